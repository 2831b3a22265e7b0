"""The speed-motivated code paths give exactly what the plain ones give.

* ``parse_article`` on bytes with their encoding equals ``parse_article`` on the decoded str;
* each Python walk of the parsers equals the XPath expression it replaced (kept as ``_X_…``), on every mirror
  page and on markup built to trip them (nested matches, comments, non-XML whitespace in class names,
  ancestors on the ``preceding::`` axis);
* ``Page.by_id`` (one batched id() lookup, cached) equals :func:`by_id`.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from parsel import Selector

from crawler import urls
from crawler.parsers import datalayer, desktop2015, desktop2017, desktop2023, document, pagination, parse_article, text
from crawler.parsers.base import NotAnArticle
from tests.parsers import oracles
from tests.parsers.conftest import REPO, SNIPPETS

MIRROR = REPO / "mirror"
ARTICLE_URL = "https://www.tribunnews.com/nasional/2024/05/14/contoh-artikel"


def _mirror_pages() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(p for p in MIRROR.rglob("*") if p.is_file()):
        host, _, rest = path.relative_to(MIRROR).as_posix().partition("/")
        url = f"https://{host}/{rest}"
        if urls.in_network(url) and urls.is_article_url(url):
            out.append((url, path))
    return out


PAGES = _mirror_pages()

TRICKY = """<html><head><title>t</title></head><body>
<div class="a\u00a0txt-article"><p>nbsp is not XPath whitespace</p></div>
<div class="x\ttxt-article\n"><p>tab and newline are</p></div>
<div itemprop="articleBody"><p>itemprop</p></div>
<h1 id="arttitle">T</h1><!-- c --><h2>lede</h2>
<div class="x"></div><div class="grey  bdr3"><strong><!--x--> Tayang:</strong> 1 Mei 2024
<span><b>x</b>Diperbarui: 2 Mei 2024</span><i> \tDiperbarui</i><em>\u00a0Diperbarui</em></div>
<div class="paging"><a>no href</a><a href="">empty</a><div class="paging"><a href="?x=1">nested</a></div></div>
<a href="/a?page=2">2</a><a class="page=3">class only</a>
<span class="total-page x">Halaman 1/2</span>
<h5 class="tagcloud3"><a>outer</a><h5 class="tagcload3"><a>inner</a></h5><a>after</a></h5>
<h5 class="tagcloud3"><a>second</a></h5>
<h2 class="red">t<h2 class="red"><a>inner pill</a></h2><a>outer pill</a></h2>
<h4 class="x hide">hidden lede</h4>
<ul class="breadcrumb"><li><a>Home</a></li></ul><div><ul class="nobreadcrumbs"></ul></div>
<a name="va">named anchor</a><div id="va"><ul class="breadcrumb"><li>x</li></ul></div>
<div id="penulis">one</div><div id="penulis">two</div>
<script>var a = 1;</script><script src="x.js">ignored</script><script type="application/ld+json"></script>
<div><script type="application/LD+JSON">{"@type": "NewsArticle"}</script></div><script>
dataLayer = [{'a': 'b'}];</script>
</body></html>"""


def _trees() -> list[etree._Element]:
    trees = [etree.HTML(path.read_bytes(), etree.HTMLParser(encoding="utf-8")) for _, path in PAGES]
    trees += [etree.HTML(path.read_text(encoding="utf-8")) for path in sorted(SNIPPETS.glob("*.html"))]
    trees.append(etree.HTML(TRICKY))
    return trees


TREES = _trees()


def _scopes(root: etree._Element) -> list[etree._Element]:
    # The root, and every div and h1 under it: the walks are called on regions, bodies and header scopes.
    return [root, *root.iter("div", "h1")]


def test_there_are_pages() -> None:
    assert len(PAGES) > 40


@pytest.mark.parametrize(("url", "path"), PAGES, ids=[p.name[:40] for _, p in PAGES])
def test_bytes_and_str_give_the_same_article(url: str, path: Path) -> None:
    data = path.read_bytes()
    try:
        expected = dataclasses.asdict(parse_article(data.decode("utf-8"), url))
    except NotAnArticle:
        with pytest.raises(NotAnArticle):
            parse_article(data, url, encoding="utf-8")
        return
    assert dataclasses.asdict(parse_article(data, url, encoding="utf-8")) == expected
    assert dataclasses.asdict(parse_article(data, url)) == expected  # bytes without a declared encoding


def test_bytes_edge_cases() -> None:
    for data in (b"", b" \n\t", b"<!-- only a comment -->"):
        with pytest.raises(NotAnArticle):
            parse_article(data, ARTICLE_URL, encoding="utf-8")
    with pytest.raises(NotAnArticle):
        parse_article(b"<html><body><p>x</p></body></html>", ARTICLE_URL, encoding="no-such-encoding")
    html = (SNIPPETS / "minimal_article.html").read_text(encoding="utf-8")
    assert parse_article(b"\xef\xbb\xbf" + html.encode(), ARTICLE_URL, encoding="utf-8") == \
        parse_article(html, ARTICLE_URL)


@pytest.mark.parametrize("index", range(len(TREES)))
def test_walks_match_their_xpaths(index: int) -> None:
    root = TREES[index]
    assert document.txt_article_divs(root) == oracles._X_TXT_ARTICLE(root)
    assert document.body_scripts(root) == [(t.getparent().get("type") or "", str(t))
                                           for t in oracles._X_BODY_SCRIPT_TEXT(root)]
    assert document.breadcrumb_uls(root) == oracles._X_BREADCRUMB(root)
    for h1 in root.iter("h1"):
        found = oracles._X_DATE_AFTER_H1(h1)
        assert desktop2015.date_after_h1(h1) is (found[0] if found else None)
    for scope in _scopes(root):
        found = oracles._X_DATE_BLOCK(scope)
        assert desktop2015.date_block_in(scope) is (found[0] if found else None)
        assert desktop2023.has_tayang(scope) is bool(oracles._X_TAYANG(scope))
        assert desktop2023.diperbarui_elements(scope) == oracles._X_DIPERBARUI(scope)
        assert pagination.page_links(scope) == oracles._X_PAGE_LINKS(scope)
        assert pagination.total_page_spans(scope) == oracles._X_TOTAL_PAGE(scope)
        assert desktop2017.tagcloud_links(scope) == desktop2017._X_TAGCLOUD(scope)
        assert desktop2015.credit_divs(scope) == desktop2015._X_CREDIT_DIVS(scope)
        found = desktop2017._X_TOPIC_PILL(scope)
        assert desktop2017.topic_pill_link(scope) is (found[0] if found else None)
        found = oracles._X_HIDDEN_LEDE(scope)
        assert desktop2017.hidden_lede_el(scope) is (found[0] if found else None)


PRECEDING = """<html><body><div id="outer"><time class="x">outside</time><span class="timeago">1h</span>
<div id="region"><span class="timeago">2h</span><time>t1</time><time class="timeago">t2</time>
<span class="timeago" id="anc"><!-- c --><div id="mid"><time>t3</time>
<div id="body"><time>inside</time><span class="timeago">3h</span></div></div></span></div>
<time>after</time><span class="timeago">4h</span></div></body></html>"""


@pytest.mark.parametrize("index", range(len(TREES) + 1))
def test_nearest_before_matches_preceding_xpaths(index: int) -> None:
    # Every div as the body, every ancestor of it as the scope: the walk gives the XPath's answer when that
    # lies inside the scope, else None (ancestors of the body are not preceding it).
    root = TREES[index] if index < len(TREES) else etree.HTML(PRECEDING)
    for body in root.iter("div"):
        for scope in [body, *body.iterancestors()]:
            for walk, xpath in ((document.time_before, oracles._X_TIME_BEFORE),
                                (document.timeago_before, oracles._X_TIMEAGO_BEFORE)):
                found = xpath(body)
                inside = found and (found[0] is scope or any(a is scope for a in found[0].iterancestors()))
                assert walk(body, scope) is (found[0] if inside else None)


@pytest.mark.parametrize("index", range(len(TREES)))
def test_string_value_matches_string_xpath_and_itertext(index: int) -> None:
    for el in TREES[index].iter():
        if isinstance(el.tag, str):
            assert text.string_value(el) == oracles._X_STRING(el) == "".join(el.itertext())


def test_string_value_of_mixed_content() -> None:
    root = etree.HTML("<div>a<!--c-->b<?pi x?>c<p>d<!--e-->f</p>g<script>h</script>&amp;&#160;é<br>😀</div>")
    div = next(root.iter("div"))
    assert text.string_value(div) == oracles._X_STRING(div) == "".join(div.itertext()) == "abcdfgh& é😀"
    comment = next(div.iter(etree.Comment))
    with pytest.raises(ValueError):  # as itertext() always did: text_of is for elements
        text.string_value(comment)


def test_text_prefilters_skip_labels_outside_text_nodes() -> None:
    root = etree.HTML("<div><!-- Diperbarui: 1 --><strong><!-- Tayang --></strong><b>Tay</b>ang</div>")
    assert not desktop2023.has_tayang(root) and not oracles._X_TAYANG(root)
    assert desktop2023.diperbarui_elements(root) == oracles._X_DIPERBARUI(root) == []


@pytest.mark.parametrize("index", range(len(TREES)))
def test_page_by_id_matches_by_id(index: int) -> None:
    root = TREES[index]
    page = document.Page(Selector(root=root, type="html"))
    for ident in (*document._KNOWN_IDS, "cse-search-box", "no-such-id"):
        assert page.by_id(ident) is document.by_id(root, ident)
        found = document._X_ID(root, i=ident)
        assert document.by_id(root, ident) is (found[0] if found else None)


def test_tricky_markup_is_really_tricky() -> None:
    # Guards the fixture itself: these are the cases the walks must get right.
    root = TREES[-1]
    # The tab-separated class only: nbsp is not XPath whitespace, and an itemprop=articleBody div without the
    # network's body class is left to the generic layout's densest block.
    assert len(oracles._X_TXT_ARTICLE(root)) == 1
    assert len(oracles._X_DIPERBARUI(root)) == 2  # after a leading child, and after tab; not after nbsp
    assert desktop2017.tagcloud_links(root) and desktop2017.topic_pill_link(root) is not None


# parse_datalayer as first written: one alternation per character of a quoted value, one match() per pair.
_PAIR_REFERENCE = re.compile(
    r"""\s*,?\s*(?:(['"])(?P<k>[^'"\n]*)\1|(?P<bk>[A-Za-z_$][\w$-]*))\s*:\s*"""
    r"""(?:'(?P<sv>(?:[^'\\]|\\.)*)'|"(?P<dv>(?:[^"\\]|\\.)*)"|(?P<bv>[^,}\n]*))""",
    re.S,
)


def _datalayer_reference(script: str) -> dict[str, str]:
    m = datalayer._DATALAYER_START.search(script)
    if not m:
        return {}
    out: dict[str, str] = {}
    pos = m.end()
    while True:
        pair = _PAIR_REFERENCE.match(script, pos)
        if not pair or pair.end() == pos:
            break
        pos = pair.end()
        key = pair["k"] if pair["k"] is not None else pair["bk"]
        if pair["sv"] is not None:
            value = datalayer._js_unescape(pair["sv"])
        elif pair["dv"] is not None:
            value = datalayer._js_unescape(pair["dv"])
        else:
            value = (pair["bv"] or "").strip()
        if key and key not in out:
            out[key] = value.strip()
    return out


_JS_PIECES = st.sampled_from([
    "'", '"', "\\", "\\'", '\\"', "\\u0041", "\\x41", "\\n", ",", ":", " ", "\n", "}", "{", "a", "key", "$k",
    "'k': 'v'", '"k": "v"', "k: 1", "'", "é",
])


@settings(max_examples=800)
@given(st.lists(_JS_PIECES, max_size=20).map("".join))
def test_datalayer_pairs_match_the_reference(body: str) -> None:
    script = "dataLayer = [{" + body
    assert datalayer.parse_datalayer(script) == _datalayer_reference(script)


def test_datalayer_reference_on_mirror_pages() -> None:
    for _, path in PAGES:
        for script in etree.HTML(path.read_bytes(), etree.HTMLParser(encoding="utf-8")).xpath("//script/text()"):
            if "dataLayer" in script:
                assert datalayer.parse_datalayer(script) == _datalayer_reference(script)


# Whitespace of every kind str.split() knows, zero-width characters, controls and plain text around them.
_TEXT_PIECES = st.sampled_from([
    " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x01", "\x85", "\u00a0", "\u2028", "\u3000",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "a", "Budi", "Z", "9", ".", "é", "“", "—",
])


def _clean_reference(value: str) -> str:
    return " ".join(re.sub("[\u200b\u200c\u200d\u2060\ufeff]", "", " ".join(value.split())).split())


@settings(max_examples=600)
@given(st.lists(_TEXT_PIECES, max_size=16).map("".join) | st.text(max_size=40))
def test_clean_matches_the_reference(value: str) -> None:
    assert text.clean(value) == _clean_reference(value)


def test_clean_examples() -> None:
    assert text.clean("Penulis: Budi Santoso") == "Penulis: Budi Santoso"
    assert text.clean(" Penulis:\tBudi\u00a0 Santoso\u200b ") == "Penulis: Budi Santoso"
    assert text.clean("Budi\x0bSantoso") == "Budi Santoso"


# Option keys and their look-alikes, separators, every kind of blank the regex's \s knows, and caption text.
_GLIGHTBOX_PIECES = st.sampled_from([
    "title", "Title", "TITLE", ":", ";", " ", "  ", "\t", "\n", "\r", "\x0b", "\x1c", "\u00a0", "\u2028",
    "description", "descPosition", "type", "effect", "width", "height", "alt", "ALT", "desc", "titles", "a", "é",
    "Masker", "kini", ".", "title:", "; description:", ";alt:", "description :",
])


# Most values start with the title, as glightbox writes them; a few with something else.
_GLIGHTBOX_HEADS = st.sampled_from(["title:", "title: ", " Title :\n", "TITLE\u00a0:", "title", "titl:", ""])


@settings(max_examples=1500)
@given(st.tuples(_GLIGHTBOX_HEADS, st.lists(_GLIGHTBOX_PIECES, max_size=14).map("".join)).map("".join))
def test_glightbox_title_matches_the_regex(value: str) -> None:
    match = oracles._GLIGHTBOX_TITLE.match(value)
    assert desktop2017.glightbox_title(value) == (match.group(1) if match else None)


def test_glightbox_title_examples() -> None:
    assert desktop2017.glightbox_title("title: Banjir; di Solo ; description: x; alt: y") == "Banjir; di Solo"
    assert desktop2017.glightbox_title("title:Masker kini penting.;") == "Masker kini penting."
    assert desktop2017.glightbox_title("title: a ;; ;alt: b") == "a ;"
    assert desktop2017.glightbox_title("description: a; title: b") is None


def test_credit_divs_of_nested_boxes_match_the_xpath() -> None:
    root = etree.HTML("""<html><body><div class="f11 grey pb10"><div>Penulis: A</div>
        <div class="f11 grey"><div>Editor: B</div></div><div>Sumber: C</div></div></body></html>""")
    found = desktop2015.credit_divs(root)
    assert [d.text for d in found] == ["Penulis: A", None, "Editor: B", "Sumber: C"]
    assert found == desktop2015._X_CREDIT_DIVS(root)


def test_credit_divs_skip_boxes_without_both_classes() -> None:
    root = etree.HTML("""<html><body><div class="grey f11x"><div>Editor: D</div><p>x</p></div>
        <div class="f11 white"><div>Foto: E</div></div><div class="grey"><div>F</div></div></body></html>""")
    found = desktop2015.credit_divs(root)
    assert [d.text for d in found] == ["Editor: D"]
    assert found == desktop2015._X_CREDIT_DIVS(root)
