"""Discovery documents: robots.txt, sitemaps, feeds and /index-news pages (no real samples exist: hand-written)."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.parsers.listings import (
    FeedEntry,
    ListingEntry,
    SitemapEntry,
    SitemapStream,
    SitemapTooLarge,
    parse_index_news,
    parse_rss,
    parse_sitemap,
    sitemap_kind,
    sitemap_lines,
)


def test_sitemap_lines() -> None:
    robots = (
        "User-agent: *\nDisallow: /search\n"
        "Sitemap: https://www.tribunnews.com/sitemap.xml\n"
        "sitemap:https://www.tribunnews.com/regional/sitemap-news.xml  \n"
        "# Sitemap: https://commented.example/sitemap.xml\n"
        "SITEMAP: https://www.tribunnews.com/sitemap.xml\n"
    )
    assert sitemap_lines(robots) == ["https://www.tribunnews.com/sitemap.xml",
                                     "https://www.tribunnews.com/regional/sitemap-news.xml"]
    assert sitemap_lines("") == []


SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://www.tribunnews.com/nasional/sitemap-news.xml</loc><lastmod>2026-07-24</lastmod></sitemap>
  <sitemap><loc> https://www.tribunnews.com/nasional/sitemap-web.xml </loc></sitemap>
  <sitemap><loc>https://www.tribunnews.com/nasional/sitemap-news.xml</loc></sitemap>
</sitemapindex>"""

NEWS_URLSET = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:n="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://www.tribunnews.com/nasional/2026/07/24/harga-cabai</loc>
    <lastmod>2026-07-24T12:45:00+07:00</lastmod>
    <n:news>
      <n:publication><n:name>Tribunnews.com</n:name><n:language>id</n:language></n:publication>
      <n:publication_date>2026-07-24T12:40:00+07:00</n:publication_date>
      <n:title><![CDATA[Harga Cabai & Bawang Naik]]></n:title>
    </n:news>
  </url>
  <url><loc>https://www.tribunnews.com/seleb/7876266/kesaksian</loc></url>
  <url><loc></loc></url>
</urlset>"""


def test_sitemap_index() -> None:
    result = parse_sitemap(SITEMAP_INDEX)
    assert result.kind == "index"
    assert result.sitemaps == ["https://www.tribunnews.com/nasional/sitemap-news.xml",
                               "https://www.tribunnews.com/nasional/sitemap-web.xml"]
    assert result.entries == []


def test_news_urlset_any_prefix_and_str_input() -> None:
    result = parse_sitemap(NEWS_URLSET)  # a str carrying an encoding declaration
    assert result.kind == "urlset"
    assert result.entries == [
        SitemapEntry("https://www.tribunnews.com/nasional/2026/07/24/harga-cabai", "2026-07-24T12:45:00+07:00",
                     "2026-07-24T12:40:00+07:00", "Harga Cabai & Bawang Naik"),
        SitemapEntry("https://www.tribunnews.com/seleb/7876266/kesaksian"),
    ]


def test_sitemap_without_namespace_and_with_bom() -> None:
    xml = b"\xef\xbb\xbf  <urlset><url><loc>https://solo.tribunnews.com/2020/10/09/a</loc></url></urlset>"
    assert [e.url for e in parse_sitemap(xml).entries] == ["https://solo.tribunnews.com/2020/10/09/a"]


def test_truncated_sitemap_keeps_what_it_can() -> None:
    xml = NEWS_URLSET.encode()[:-200]
    assert parse_sitemap(xml).entries[0].url == "https://www.tribunnews.com/nasional/2026/07/24/harga-cabai"


def test_sitemap_garbage() -> None:
    for garbage in (b"", "", b"<html><body>Error 503</body></html>", b"\x00\xff\xfe", gzip.compress(b"<html/>"),
                    b"\x1f\x8b not gzip", "not xml at all", b"<rss><channel/></rss>"):
        result = parse_sitemap(garbage)
        assert (result.kind, result.sitemaps, result.entries) == ("unknown", [], [])


def _urlset(count: int) -> bytes:
    urls = "".join(f"<url><loc>https://solo.tribunnews.com/2020/10/09/a-{i}</loc></url>\n" for i in range(count))
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def test_gzipped_sitemap_reads_like_the_plain_one() -> None:
    # .xml.gz files come without Content-Encoding: the body itself is gzip.
    assert parse_sitemap(gzip.compress(NEWS_URLSET.encode())) == parse_sitemap(NEWS_URLSET)
    assert parse_sitemap(gzip.compress(SITEMAP_INDEX)) == parse_sitemap(SITEMAP_INDEX)
    # Two gzip members (a file appended to) hold one document.
    xml = _urlset(3)
    two = gzip.compress(xml[:100]) + gzip.compress(xml[100:])
    assert [e.url for e in parse_sitemap(two).entries] == [f"https://solo.tribunnews.com/2020/10/09/a-{i}"
                                                          for i in range(3)]


def test_truncated_gzip_keeps_what_it_unpacked() -> None:
    packed = gzip.compress(_urlset(2000))
    urls = [e.url for e in parse_sitemap(packed[: len(packed) // 2]).entries]
    assert urls  # the first half unpacks to the first URLs, in order
    assert urls == [f"https://solo.tribunnews.com/2020/10/09/a-{i}" for i in range(len(urls))]
    assert len(urls) < 2000


@pytest.mark.parametrize("packed", [False, True])
def test_sitemap_stream_stops_at_the_url_cap(packed: bool) -> None:
    xml = _urlset(10)
    stream = SitemapStream(gzip.compress(xml) if packed else xml, max_urls=4)
    assert [e.url for e in stream] == [f"https://solo.tribunnews.com/2020/10/09/a-{i}" for i in range(4)]
    assert (stream.kind, stream.capped, stream.count, stream.gzipped) == ("urlset", True, 4, packed)
    exact = SitemapStream(_urlset(4), max_urls=4)
    assert len(list(exact)) == 4 and not exact.capped  # nothing was left out


def test_sitemap_cap_counts_distinct_locations_of_an_index() -> None:
    children = "".join(f"<sitemap><loc>https://www.tribunnews.com/s{i % 3}.xml</loc></sitemap>" for i in range(9))
    stream = SitemapStream(f"<sitemapindex>{children}</sitemapindex>", max_urls=3)
    assert list(stream) == [f"https://www.tribunnews.com/s{i}.xml" for i in range(3)]
    assert stream.kind == "index" and not stream.capped  # the repeats are not URLs left out


@pytest.mark.parametrize("packed", [False, True])
def test_sitemap_past_the_size_limit_keeps_the_urls_before_it(packed: bool) -> None:
    xml = _urlset(1000)
    limit = len(xml) // 2
    stream = SitemapStream(gzip.compress(xml) if packed else xml, max_size=limit)
    read: list[str] = []
    with pytest.raises(SitemapTooLarge):
        for entry in stream:
            read.append(entry.url)
    # Every entry complete within the first `limit` bytes is kept, none after.
    complete = xml[:limit].count(b"</url>")
    assert 0 < complete < 1000
    assert read == [f"https://solo.tribunnews.com/2020/10/09/a-{i}" for i in range(complete)]


def test_gzip_bomb_stops_at_the_size_limit() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 50_000_000)  # 50 MB of blanks packs into about 50 KB
    assert len(bomb) < 100_000
    with pytest.raises(SitemapTooLarge):
        list(SitemapStream(bomb, max_size=1_000_000))


def test_sitemap_entities_not_expanded() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY ext SYSTEM "file:///etc/passwd">]>
<urlset><url><loc>https://www.tribunnews.com/a/2020/01/01/x&lol2;&ext;</loc></url></urlset>"""
    result = parse_sitemap(bomb)
    for entry in result.entries:
        assert "lollol" not in entry.url and "root:" not in entry.url


RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Tribunnews.com</title><link>https://www.tribunnews.com</link>
<item><title>Judul Satu</title><link>https://www.tribunnews.com/nasional/2026/07/24/satu</link>
  <pubDate>Fri, 24 Jul 2026 12:40:00 +0700</pubDate></item>
<item><title>Judul Dua</title><link></link>
  <guid isPermaLink="true">https://www.tribunnews.com/nasional/2026/07/24/dua</guid><dc:date>2026-07-24T10:00:00+07:00</dc:date></item>
<item><title>Dobel</title><link>https://www.tribunnews.com/nasional/2026/07/24/satu</link></item>
</channel></rss>"""

ATOM = """<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
<entry><title>Atom Satu</title><link rel="self" href="https://www.tribunnews.com/feed/1"/>
<link rel="alternate" href="https://www.tribunnews.com/nasional/2026/07/24/atom"/><updated>2026-07-24T09:00:00Z</updated></entry>
<entry><title>Tanpa rel</title><link href="https://www.tribunnews.com/nasional/2026/07/24/atom-2"/>
<published>2026-07-24T08:00:00Z</published></entry>
</feed>"""


def test_rss_items() -> None:
    assert parse_rss(RSS) == [
        FeedEntry("https://www.tribunnews.com/nasional/2026/07/24/satu", "Fri, 24 Jul 2026 12:40:00 +0700",
                  "Judul Satu"),
        FeedEntry("https://www.tribunnews.com/nasional/2026/07/24/dua", "2026-07-24T10:00:00+07:00", "Judul Dua"),
    ]


def test_atom_entries() -> None:
    assert parse_rss(ATOM) == [
        FeedEntry("https://www.tribunnews.com/nasional/2026/07/24/atom", "2026-07-24T09:00:00Z", "Atom Satu"),
        FeedEntry("https://www.tribunnews.com/nasional/2026/07/24/atom-2", "2026-07-24T08:00:00Z", "Tanpa rel"),
    ]


def test_feed_garbage() -> None:
    for garbage in (b"", "<html>nope</html>", b"\xff\xfe\x00", "<rss><channel><item>"):
        assert parse_rss(garbage) == []


INDEX_NEWS = """<html><body>
<ul class="lsi">
  <li class="ptb15"><h3 class="f16"><a href="/nasional/2026/07/24/satu" title="Satu">Satu</a></h3>
      <time class="grey">Jumat, 24 Juli 2026 12:40</time></li>
  <li><h3><a href="https://www.tribunnews.com/seleb/7876266/dua">Dua</a></h3><time class="grey">12:10 WIB</time></li>
  <li><div>iklan tanpa tautan</div></li>
  <li><h3><a href="/nasional/2026/07/24/satu">Duplikat</a></h3></li>
</ul>
<div class="paging">
  <a href="/index-news/all?date=2026-7-24&amp;page=1">1</a>
  <a href="/index-news/all?date=2026-7-24&amp;page=2">2</a>
  <a href="/index-news/all?date=2026-7-24&amp;page=3">3</a>
  <a href="/index-news/all?date=2026-7-24&amp;page=10">10</a>
</div>
</body></html>"""

BASE = "https://www.tribunnews.com/index-news/all?date=2026-7-24"


def test_index_news_items_and_next_page() -> None:
    page = parse_index_news(INDEX_NEWS, BASE)
    assert page.entries == [
        ListingEntry("https://www.tribunnews.com/nasional/2026/07/24/satu", "Jumat, 24 Juli 2026 12:40"),
        ListingEntry("https://www.tribunnews.com/seleb/7876266/dua", "12:10 WIB"),
    ]
    assert page.next_url == "https://www.tribunnews.com/index-news/all?date=2026-7-24&page=2"
    assert parse_index_news(INDEX_NEWS, BASE + "&page=2").next_url.endswith("&page=3")
    assert parse_index_news(INDEX_NEWS, BASE + "&page=10").next_url is None


def test_index_news_next_link_text_wins() -> None:
    html = INDEX_NEWS.replace("</body>", '<a href="/index-news/all?date=2026-7-24&page=7">Next</a></body>')
    assert parse_index_news(html, BASE).next_url.endswith("&page=7")
    html = INDEX_NEWS.replace("</body>", '<a href="?date=2026-7-24&page=4">\u203a</a></body>')
    assert parse_index_news(html, BASE + "&page=3").next_url == (
        "https://www.tribunnews.com/index-news/all?date=2026-7-24&page=4")


def test_index_news_old_markup() -> None:
    html = """<ul><li class="ptb15"><div class="f16 fbo"><a href="http://www.tribunnews.com/metropolitan/2015/06/19/a">A</a>
    </div><time class="grey">Jumat, 19 Juni 2015</time></li>
    <li class="ptb15"><div class="fbo f16 pt5"><a href="/metropolitan/2015/06/19/b">B</a></div></li></ul>
    <a href="http://www.tribunnews.com/index-news?page=2">Selanjutnya</a>"""
    page = parse_index_news(html, "http://www.tribunnews.com/index-news")
    assert page.entries == [
        ListingEntry("http://www.tribunnews.com/metropolitan/2015/06/19/a", "Jumat, 19 Juni 2015"),
        ListingEntry("http://www.tribunnews.com/metropolitan/2015/06/19/b", None),
    ]
    assert page.next_url == "http://www.tribunnews.com/index-news?page=2"


def test_index_news_unknown_markup_falls_back_to_article_headlines() -> None:
    html = """<div><h3><a href="/nasional/2026/07/24/x">X</a></h3><h3><a href="/tag/vaksin">Tag</a></h3></div>"""
    page = parse_index_news(html, BASE)
    assert [e.url for e in page.entries] == ["https://www.tribunnews.com/nasional/2026/07/24/x"]
    assert page.next_url is None


def test_index_news_garbage() -> None:
    for garbage in ("", "   ", "\x00", "<html></html>"):
        page = parse_index_news(garbage, BASE)
        assert (page.entries, page.next_url) == ([], None)


@given(st.binary(max_size=300) | st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_readers_never_raise(data: bytes | str) -> None:
    parse_sitemap(data)
    parse_rss(data)
    if isinstance(data, str):
        parse_index_news(data, BASE)
        sitemap_lines(data)


@pytest.mark.parametrize(("url", "kind"), [
    ("https://www.tribunnews.com/nasional/sitemap-news.xml", "news"),
    ("https://kaltara.tribunnews.com/sitemap_news.xml", "news"),
    ("https://www.tribunnews.com/regional/sitemap-web.xml", "web"),
    ("https://kaltara.tribunnews.com/sitemap_web.xml.gz", "web"),
    ("https://www.tribunnews.com/seleb/sitemap-images.xml", "images"),
    ("https://www.tribunnews.com/sitemap-image-2026.xml", "images"),
    ("https://bangka.tribunnews.com/sitemap-2026-07.xml", "other"),
    ("https://www.tribunnews.com/news/sitemap.xml", "other"),  # a section called "news" is not a news file
])
def test_sitemap_kind(url: str, kind: str) -> None:
    assert sitemap_kind(url) == kind
