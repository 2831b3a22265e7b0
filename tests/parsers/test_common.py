"""Shared helpers: JSON-LD repair, dataLayer literals, text cleaning, and robustness on arbitrary input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.parsers import datalayer, jsonld, parse_article, text
from crawler.parsers.base import NotAnArticle, RawArticle


class TestJsonLd:
    def test_single_object(self) -> None:
        assert jsonld.parse_jsonld_block('{"@type": "NewsArticle", "headline": "A"}') == [
            {"@type": "NewsArticle", "headline": "A"}]

    def test_list_and_graph_flattened(self) -> None:
        text = '[{"@type": "WebSite"}, {"@graph": [{"@type": "NewsArticle"}, {"@type": "BreadcrumbList"}]}]'
        assert [o["@type"] for o in jsonld.parse_jsonld_block(text)] == ["WebSite", "NewsArticle", "BreadcrumbList"]

    def test_trailing_commas_and_raw_newlines(self) -> None:
        text = '{"@type": "NewsArticle", "headline": "Baris satu\nbaris dua", "keywords": ["a", "b",],}'
        (obj,) = jsonld.parse_jsonld_block(text)
        assert obj["headline"] == "Baris satu\nbaris dua"
        assert obj["keywords"] == ["a", "b"]

    def test_repeated_comma(self) -> None:
        (obj,) = jsonld.parse_jsonld_block('{"@type": "NewsArticle", "isAccessibleForFree": true,,\n "headline": "H"}')
        assert obj["headline"] == "H"

    def test_wrappers_semicolon_and_concatenated_objects(self) -> None:
        text = '<!-- {"@type": "A"} {"@type": "B"}; -->'
        assert [o["@type"] for o in jsonld.parse_jsonld_block(text)] == ["A", "B"]

    def test_html_escaped_block(self) -> None:
        (obj,) = jsonld.parse_jsonld_block("{&quot;@type&quot;: &quot;NewsArticle&quot;}")
        assert obj["@type"] == "NewsArticle"

    def test_invalid_escape(self) -> None:
        (obj,) = jsonld.parse_jsonld_block('{"headline": "Jum\\\'at"}')
        assert obj["headline"] == "Jum'at"

    def test_hopeless_block_skipped(self) -> None:
        for block in ("", "   ", "{", "{'single': 'quotes'", "null garbage", "[1, 2", "\x00"):
            assert jsonld.parse_jsonld_block(block) == []

    def test_scalars_ignored(self) -> None:
        assert jsonld.parse_jsonld_block("42") == []
        assert jsonld.parse_jsonld_block('"text"') == []

    def test_bad_block_does_not_hide_good_one(self) -> None:
        html = (
            "<html><head>"
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Bagus",'
            ' "author": [{"name": "A"}, "B", {"@type": "Organization"}], "image": {"url": "//x.net/i.jpg"},'
            ' "articleSection": ["Nasional"], "datePublished": "2024-01-01T00:00:00+07:00"}</script>'
            "</head><body><h1 id='arttitle'>H</h1><div class='side-article txt-article'><p>Isi.</p></div></body></html>"
        )
        raw = parse_article(html, "https://www.tribunnews.com/nasional/2024/01/01/x")
        assert raw.title == "Bagus"
        assert raw.structured_authors == ["A", "B"]
        assert raw.image_url == "https://x.net/i.jpg"
        assert raw.section == "Nasional"
        assert raw.published == [("jsonld", "2024-01-01T00:00:00+07:00")]

    @given(st.text(max_size=300))
    @settings(max_examples=300, deadline=None)
    def test_never_raises(self, text: str) -> None:
        assert isinstance(jsonld.parse_jsonld_block(text), list)


class TestDataLayer:
    def test_single_quoted_literal(self) -> None:
        script = """
        dataLayer = [{
          'editor': 'Hanang Yuwono',
          'penulis':'',
          'title': 'Jum\\'at "kutip"',
          "idArticle": 159056,
          agent:'desktop',
        }];"""
        assert datalayer.parse_datalayer(script) == {
            "editor": "Hanang Yuwono", "penulis": "", "title": "Jum'at \"kutip\"", "idArticle": "159056",
            "agent": "desktop",
        }

    def test_push_form_and_first_value_wins(self) -> None:
        assert datalayer.parse_datalayer("dataLayer.push({'a': '1', 'a': '2'});") == {"a": "1"}

    def test_gtm_snippet_is_not_a_datalayer(self) -> None:
        gtm = "(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});"
        gtm += "})(window,document,'script','dataLayer','GTM-NNJ5M3B');"
        assert datalayer.parse_datalayer(gtm) == {}

    @given(st.text(max_size=200))
    @settings(max_examples=200, deadline=None)
    def test_never_raises(self, text: str) -> None:
        assert isinstance(datalayer.parse_datalayer("dataLayer = [{" + text), dict)


def test_clean() -> None:
    assert text.clean("  a\xa0\n\tb\u200b c  ") == "a b c"
    assert text.clean(None) == ""


def test_brand_safety_paragraphs() -> None:
    assert text.brand_safety_paragraphs("<p>Satu</p><p>Dua &amp; tiga</p><p>Baca juga: x</p>") == ["Satu", "Dua & tiga"]
    assert text.brand_safety_paragraphs(None) == []


def test_non_article_content_type_rejected() -> None:
    html = ("<html><head><script>dataLayer = [{'content_type': 'homepage'}];</script></head>"
            "<body><h1 id='arttitle'>T</h1><div class='txt-article'><p>x</p></div></body></html>")
    try:
        parse_article(html, "https://www.tribunnews.com/")
    except NotAnArticle as exc:
        assert "homepage" in str(exc)
    else:
        raise AssertionError("homepage accepted")


_TAGS = st.sampled_from(["p", "div", "h1", "h2", "span", "a", "script", "time", "figure", "table", "li", "br"])
_CLASSES = st.sampled_from(["", "txt-article", "side-article txt-article", "baca", "bdr3", "paging", "tagcloud3",
                            "multi-fontsize", "amp-title", "credit"])
_IDS = st.sampled_from(["", "arttitle", "penulis", "editor", "article_con", "artimg", "pagecurrent", "va"])


@st.composite
def _html_docs(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag, cls, ident = draw(_TAGS), draw(_CLASSES), draw(_IDS)
        text = draw(st.text(max_size=20))
        attrs = (f' class="{cls}"' if cls else "") + (f' id="{ident}"' if ident else "")
        parts.append(f"<{tag}{attrs}>{text}" + ("" if draw(st.booleans()) else f"</{tag}>"))
    return "<html><body>" + "".join(parts)


@given(_html_docs())
@settings(max_examples=300, deadline=None)
def test_parse_article_only_raises_not_an_article(html: str) -> None:
    try:
        raw = parse_article(html, "https://www.tribunnews.com/nasional/2020/01/01/x")
    except NotAnArticle:
        return
    assert isinstance(raw, RawArticle)
    assert raw.title and raw.paragraphs
    assert all(p and p == p.strip() for p in raw.paragraphs)


def test_section_from_jsonld_breadcrumb_skips_home_and_article_itself() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "headline": "Judul"},'
        ' {"@type": "BreadcrumbList", "itemListElement": ['
        ' {"position": 3, "item": {"@id": "https://x", "name": "Judul"}},'
        ' {"position": 1, "name": "Home"}, {"position": 2, "name": "Nasional"}]}]}</script></head>'
        "<body><h1>Judul</h1><div class='txt-article'><p>Isi.</p></div></body></html>"
    )
    raw = parse_article(html, "https://www.tribunnews.com/nasional/2024/01/01/judul")
    assert raw.section == "Nasional"
