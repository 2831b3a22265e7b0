"""The ``generic`` layout: pages no era layout claims (a redesign) are read from structured data, visible credit
lines and the densest paragraph block; it never reads a page a known layout claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.parsers import LAYOUTS, NotAnArticle, generic, parse_article
from tests.parsers.conftest import snippet
from tests.parsers.test_mirror import ARTICLES

REDESIGN = (Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "generic-2026-www-redesign"
            / "page.html").read_text(encoding="utf-8")
URL = "https://www.tribunnews.com/bisnis/8012345/harga-cabai-rawit-di-pasar-induk-turun-jelang-panen-raya"


def test_redesign_is_read_by_generic() -> None:
    raw = parse_article(REDESIGN, URL)
    assert raw.layout == generic.NAME
    assert raw.title == "Harga Cabai Rawit di Pasar Induk Turun Jelang Panen Raya"
    # The four text paragraphs of div.detail__body; not "Baca juga", the in-body figure caption, the ad, the
    # fully linked related paragraph, the related list after the article or the sidebar.
    assert raw.paragraphs == [
        "TRIBUNNEWS.COM, JAKARTA - Harga cabai rawit merah di Pasar Induk Kramat Jati turun menjadi Rp 38.000 per "
        "kilogram pada Jumat (20/11/2026).",
        "Pekan lalu harga cabai rawit merah masih Rp 52.000 per kilogram.",
        "Menurut Kepala Pasar Induk Kramat Jati, Agus Lamun, pasokan dari Jawa Tengah dan Jawa Timur mulai naik "
        "menjelang panen raya.",
        '"Pasokan masuk sekitar 80 ton per hari, biasanya hanya 60 ton," kata Agus.',
    ]
    assert raw.credit_lines == ["Penulis: Rina Ayu Panca Rini | Editor: Sanusi"]  # in the header, not the body
    assert raw.structured_authors == ["Rina Ayu Panca Rini"]
    assert raw.published[0] == ("jsonld", "2026-11-20T09:15:00+07:00")
    assert ("visible", "Jumat, 20 November 2026 09:15 WIB") in raw.published
    assert raw.section == "Ekonomi"  # nav breadcrumb Home › Bisnis › Ekonomi
    assert raw.tags == ["Cabai Rawit", "Harga Pangan"]  # the tag links, not the keywords
    assert raw.image_caption == ("Pedagang menata cabai rawit di Pasar Induk Kramat Jati, Jakarta Timur, "
                                 "Kamis (19/11/2026).")


def test_credit_line_inside_the_body_is_a_credit_not_a_paragraph() -> None:
    html = REDESIGN.replace('<div class="detail__credit">Penulis: Rina Ayu Panca Rini | Editor: Sanusi</div>', "")
    html = html.replace("</div>\n  <div class=\"detail__tags\">",
                        "<p>Penulis: Rina Ayu Panca Rini | Editor: Sanusi</p></div>\n  <div class=\"detail__tags\">")
    raw = parse_article(html, URL)
    assert raw.credit_lines == ["Penulis: Rina Ayu Panca Rini | Editor: Sanusi"]
    assert not any(p.startswith("Penulis") for p in raw.paragraphs)


def test_one_old_class_name_does_not_make_an_old_layout() -> None:
    # A redesign that keeps the era-B title id (and nothing else of era B) is still not era B.
    html = REDESIGN.replace('<h1 class="detail__title">', '<h1 class="detail__title" id="arttitle">')
    assert parse_article(html, URL).layout == generic.NAME


@pytest.mark.parametrize("name", ["tag_page.html", "error_page.html"])
def test_pages_without_article_evidence_are_not_claimed(name: str) -> None:
    with pytest.raises(NotAnArticle):
        parse_article(snippet(name), "https://www.tribunnews.com/nasional/2020/01/01/x")


def test_generic_is_last() -> None:
    assert LAYOUTS[-1] is generic


@pytest.mark.parametrize(("url", "path"), ARTICLES, ids=[u for u, _ in ARTICLES] or None)
def test_known_layout_pages_are_never_read_by_generic(url: str, path: Path) -> None:
    data = path.read_bytes()
    assert parse_article(data, url).layout != generic.NAME
    # ... although generic alone can read every one of them (its accuracy: bench/generic_layout.py).
    assert parse_article(data, url, layouts=(generic,)).layout == generic.NAME
