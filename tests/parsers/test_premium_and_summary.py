"""The 2026 article fields read from one page: ``premium_teaser`` (structured ``isAccessibleForFree``) and
``summary`` (the "Ringkasan Berita" recap), through the parser and the normaliser as the crawl runs them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from crawler.items import Article, FetchedArticle
from crawler.normalise.article import normalise_article
from crawler.parsers import parse_article

URL = "https://www.tribunnews.com/nasional/7912399/contoh-berita"


def page(ld_extra: dict | None = None, recap: str = "", body_extra: str = "") -> str:
    article = {"@type": "NewsArticle", "headline": "Contoh Berita", "datePublished": "2026-07-24T12:40:00+07:00",
               "author": [{"@type": "Person", "name": "Rina Kusuma"}], **(ld_extra or {})}
    ld = json.dumps({"@context": "https://schema.org", "@graph": [article]})
    return f"""<html><head><title>Contoh Berita - Tribunnews.com</title>
<script type="application/ld+json">{ld}</script></head><body>
<h1 id="arttitle">Contoh Berita</h1>
<div class="grey bdr3 pb10 pt10"><strong>Tayang:</strong>
<time datetime="2026-07-24T12:40+07:00">Jumat, 24 Juli 2026 12:40 WIB</time></div>
<div class="side-article txt-article">{recap}
<p>Paragraf pertama berita ini.</p>
<p>Paragraf kedua berita ini.</p>{body_extra}
</div>
<div class="side-article mb5"><h3>Sesuai Minatmu</h3><ul class="lsi"><li><a href="/x/7900001/y">Berita lain</a>
<p>Teks pendek berita lain.</p></li></ul></div>
</body></html>"""


def article(html: str) -> Article:
    raw = parse_article(html, URL)
    return normalise_article(FetchedArticle(url=URL, raw=raw, fetched_at=datetime(2026, 11, 25, tzinfo=UTC)))


@pytest.mark.parametrize(("ld_extra", "teaser"), [
    ({"isAccessibleForFree": False}, True),
    ({"isAccessibleForFree": "False"}, True),
    ({"isAccessibleForFree": "false"}, True),
    ({"isAccessibleForFree": True}, False),
    ({"isAccessibleForFree": "True"}, False),
    ({}, False),
    ({"isAccessibleForFree": "unknown"}, False),
], ids=["false", "False-string", "false-string", "true", "True-string", "absent", "unreadable"])
def test_premium_teaser(ld_extra: dict, teaser: bool):
    assert article(page(ld_extra)).premium_teaser is teaser


def test_paywall_box_is_not_body():
    paywall = ('<div class="paywall-box"><h3>Artikel ini khusus untuk pelanggan</h3><p>Berlangganan mulai '
               'Rp 25.000 per bulan.</p><a href="/member/langganan">Langganan</a></div>')
    item = article(page({"isAccessibleForFree": False}, body_extra=paywall))
    assert item.premium_teaser
    assert item.body == "Paragraf pertama berita ini.\n\nParagraf kedua berita ini."


@pytest.mark.parametrize(("recap", "points"), [
    ('<blockquote class="summary-article"><p><strong>Ringkasan Berita:</strong></p><ul><li>Poin satu.</li>'
     "<li>Poin dua.</li><li>Poin tiga.</li></ul></blockquote>", ["Poin satu.", "Poin dua.", "Poin tiga."]),
    ('<blockquote class="summary-article"><h2>Ringkasan Berita</h2><ul><li> Poin  satu. </li><li>Poin dua.</li>'
     "</ul></blockquote>", ["Poin satu.", "Poin dua."]),
    ('<blockquote class="summary-article"><p>Ringkasan Berita: Satu-satunya poin.</p></blockquote>',
     ["Satu-satunya poin."]),
    ('<blockquote class="summary-article"><p>Ringkasan Berita:</p><p>Poin A.</p><p>Poin B.</p></blockquote>',
     ["Poin A.", "Poin B."]),
    ("", []),
    ("<blockquote><p>Kutipan biasa, bukan ringkasan.</p></blockquote>", []),
], ids=["list", "heading-element", "one-paragraph", "paragraphs", "none", "plain-blockquote"])
def test_summary(recap: str, points: list[str]):
    item = article(page(recap=recap))
    assert item.summary == points
    for point in points:
        assert point not in item.body
    assert "Ringkasan Berita" not in item.body
    assert "Teks pendek berita lain" not in item.body


@pytest.mark.parametrize("editor", [{"@type": "Person", "name": "Hasanudin Aco"},
                                    [{"@type": "Person", "name": "Hasanudin Aco"}]], ids=["person", "array"])
def test_jsonld_editor_is_editor_evidence(editor: object):
    raw = parse_article(page({"editor": editor}), URL)
    assert raw.structured_editors == ["Hasanudin Aco"]
    item = article(page({"editor": editor}))
    assert item.editors == ["Hasanudin Aco"]
    assert item.authors == ["Rina Kusuma"]


def test_breadcrumb_names_the_section():
    crumbs = {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://www.tribunnews.com/"},
        {"@type": "ListItem", "position": 2, "name": "Nasional", "item": "https://www.tribunnews.com/nasional"},
        {"@type": "ListItem", "position": 3, "name": "Politik", "item": "https://www.tribunnews.com/nasional/politik"},
    ]}
    html = page({"articleSection": "Nasional"}).replace(
        '"@graph": [', f'"@graph": [{json.dumps(crumbs)}, ')
    assert article(html).section == "Politik"
    assert article(page({"articleSection": "Nasional"})).section == "Nasional"


def test_articlesection_outside_a_shallow_breadcrumb_stays():
    crumbs = {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://www.tribunnews.com/"},
        {"@type": "ListItem", "position": 2, "name": "Internasional", "item": "https://www.tribunnews.com/internasional"},
    ]}
    html = page({"articleSection": "Militer dan Kepolisian"}).replace(
        '"@graph": [', f'"@graph": [{json.dumps(crumbs)}, ')
    assert article(html).section == "Militer dan Kepolisian"
    bare = page().replace('"@graph": [', f'"@graph": [{json.dumps(crumbs)}, ')
    assert article(bare).section == "Internasional"
