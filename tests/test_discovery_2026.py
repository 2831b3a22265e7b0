"""Discovery against the site as it was reported live in 2026, through the real engine and a loopback server.

Each test writes a small site (wget layout) and serves it from 127.0.0.1 with the fault server, so the
order and number of requests the crawler sent can be asserted:

* ``/sitemap.xml`` is an index of per-section ``sitemap-news.xml``, ``-web.xml`` and ``-images.xml`` files;
* www's ``/rss`` links every item to the home page;
* ``/index-news`` ignores ``?date=`` (every day's listing is the same newest page) and, walked with
  ``?page=N``, repeats page 10 from page 11 on;
* article URLs are ``/{section}/{numericId}/{slug}``: only the listing's ``<time>`` text dates them.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.crawlrun import CrawlResult, run_crawl
from tests.faults.server import FaultServer

WIB = timezone(timedelta(hours=7))
NEWEST = datetime(2026, 7, 24, 17, 25, tzinfo=WIB)
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]
_VOCABULARY = ("warga desa kota pemerintah daerah jalan banjir sekolah pasar harga beras petani nelayan polisi "
               "gubernur bupati wali rapat anggaran proyek jembatan rumah sakit pasien dokter guru siswa ujian "
               "pelabuhan kapal listrik air bersih sampah hutan kebakaran gempa bantuan sosial pajak usaha kecil "
               "menengah bank kredit pinjaman festival budaya tari musik olahraga sepak bola stadion")
WORDS = _VOCABULARY.split()


def visible(when: datetime) -> str:
    return f"{DAYS[when.weekday()]}, {when.day} {MONTHS[when.month - 1]} {when.year} {when:%H:%M} WIB"


def article_html(title: str, when: datetime, seed: int) -> str:
    """A 2026-shaped article page (JSON-LD @graph, h1#arttitle, Tayang time, txt-article body)."""
    rng = random.Random(seed)
    paragraphs = "".join(f"<p>{' '.join(rng.choice(WORDS) for _ in range(40))}.</p>" for _ in range(4))
    ld = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": title, "datePublished": when.isoformat(),
         "author": [{"@type": "Person", "name": "Rina Wulandari"}], "articleSection": "Regional",
         "isAccessibleForFree": True},
        {"@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home"},
            {"@type": "ListItem", "position": 2, "name": "Regional"}]}]}
    return (f'<html><head><title>{title}</title><script type="application/ld+json">{json.dumps(ld)}</script>'
            f'</head><body><h1 id="arttitle">{title}</h1><div class="grey"><strong>Tayang:</strong> '
            f'<time datetime="{when.isoformat()}">{visible(when)}</time></div>'
            f'<div class="side-article txt-article multi-fontsize">{paragraphs}</div></body></html>')


class Site:
    """Files of a fake network under ``root/<host>/…``, as the mirror download handler and server read them."""

    def __init__(self, root: Path):
        self.root = root
        self.articles: dict[str, datetime] = {}

    def put(self, host: str, name: str, text: str) -> None:
        path = self.root / host / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def article(self, host: str, section: str, number: int, when: datetime, published: datetime | None = None
                ) -> str:
        slug = f"berita-nomor-{number}-dari-{section}"
        url = f"https://{host}/{section}/{7_900_000 + number}/{slug}"
        html = article_html(f"Berita nomor {number} dari {section}", published or when, number)
        self.put(host, f"{section}/{7_900_000 + number}/{slug}?page=all", html)
        self.put(host, f"{section}/{7_900_000 + number}/{slug}", html)
        self.articles[url] = when
        return url


def urlset(urls: list[str]) -> str:
    body = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'


def sitemap_index(children: list[str]) -> str:
    body = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
    return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>')


def listing(entries: list[tuple[str, datetime]]) -> str:
    items = "".join(f'<li><h4 class="red"><a href="/topic/banjir">Banjir</a></h4><h3><a href="{u}" title="t">'
                    f'Judul</a></h3><time class="grey">{visible(w)}</time></li>' for u, w in entries)
    return f'<html><body><ul class="lsi">{items}</ul><div class="paging"></div></body></html>'


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path / "site")


@pytest.fixture
def serve(site: Site) -> Iterator[FaultServer]:
    site.root.mkdir(parents=True, exist_ok=True)
    with FaultServer(site.root) as server:
        yield server


def crawl(server: FaultServer, out: Path, *args: str, **settings: str) -> CrawlResult:
    # The generated pages carry no editor, tags or lede: the monitors are for real pages (tests/monitors).
    merged = {"TRIBUN_ORIGIN": server.origin, "TRIBUN_WORKERS": "0", "STATS_DUMP": "True", "SPIDERMON_ENABLED": "0",
              **settings}
    return run_crawl(out, *args, settings=merged, mirror=None)


def requested(server: FaultServer) -> list[str]:
    return [hit.url for hit in server.hits]


# --- latest mode: sitemaps and feeds ---------------------------------------------------------------------


def test_sitemap_index_news_preferred_images_skipped_useless_feed_ignored(site: Site, serve: FaultServer,
                                                                          tmp_path: Path):
    www = "www.tribunnews.com"
    nasional = [site.article(www, "nasional", n, NEWEST - timedelta(hours=n)) for n in range(1, 4)]
    web_only = site.article(www, "nasional", 10, NEWEST - timedelta(days=30))
    regional = [site.article(www, "regional", n, NEWEST - timedelta(hours=n)) for n in range(20, 22)]
    site.put(www, "robots.txt", "User-agent: *\nDisallow: /tag/\n\nSitemap: https://www.tribunnews.com/sitemap.xml\n")
    children = [f"https://{www}/{section}/sitemap-{kind}.xml" for section in ("nasional", "regional")
                for kind in ("news", "web", "images")]
    # regional has no news file: its web file is read instead.
    children.remove(f"https://{www}/regional/sitemap-news.xml")
    site.put(www, "sitemap.xml", sitemap_index(children))
    site.put(www, "nasional/sitemap-news.xml", urlset(nasional))
    site.put(www, "nasional/sitemap-web.xml", urlset([*nasional, web_only]))
    site.put(www, "nasional/sitemap-images.xml", urlset([*nasional, web_only]))
    site.put(www, "regional/sitemap-web.xml", urlset(regional))
    site.put(www, "regional/sitemap-images.xml", urlset(regional))
    items = "".join(f"<item><title>Judul {n}</title><link>https://www.tribunnews.com/</link>"
                    f"<guid>https://www.tribunnews.com/</guid></item>" for n in range(5))
    site.put(www, "rss", f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>')

    result = crawl(serve, tmp_path / "out", "-a", "portals=tribunnews")
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(i["url"] for i in result.items) == sorted(nasional + regional)
    asked = requested(serve)
    assert f"https://{www}/nasional/sitemap-news.xml" in asked and f"https://{www}/regional/sitemap-web.xml" in asked
    assert not [u for u in asked if u.endswith(("images.xml", "nasional/sitemap-web.xml"))]
    assert result.stat("tribun/discovery/sitemaps_skipped/images") == 2
    assert result.stat("tribun/discovery/sitemaps_skipped/web") == 1
    # /sitemap.xml comes from start() and from robots.txt: asked once.
    assert asked.count(f"https://{www}/sitemap.xml") == 1
    assert result.stat("tribun/discovery/feed_useless") == 1 and "tribun/discovery/feeds" not in result.stats
    useless = [line for line in result.log.splitlines() if "useless for discovery" in line]
    assert len(useless) == 1 and "WARNING" in useless[0] and "1 distinct link(s)" in useless[0]


def test_image_sitemaps_are_read_when_nothing_else_exists(site: Site, serve: FaultServer, tmp_path: Path):
    host = "bangka.tribunnews.com"
    found = [site.article(host, "berita", n, NEWEST - timedelta(hours=n)) for n in range(1, 3)]
    site.put(host, "sitemap.xml", sitemap_index([f"https://{host}/berita/sitemap-images.xml"]))
    site.put(host, "berita/sitemap-images.xml", urlset(found))
    result = crawl(serve, tmp_path / "out", "-a", "portals=bangka")
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(i["url"] for i in result.items) == sorted(found)


def test_index_children_are_fetched_as_articles_drain(site: Site, serve: FaultServer, tmp_path: Path):
    """12 child sitemaps of 10 articles each: articles are downloading long before the last child is asked."""
    host = "bangka.tribunnews.com"
    children = []
    for c in range(12):
        name = f"berita/sitemap-{c}.xml"
        site.put(host, name, urlset([site.article(host, "berita", c * 10 + k,
                                                  NEWEST - timedelta(minutes=c * 10 + k)) for k in range(10)]))
        children.append(f"https://{host}/{name}")
    site.put(host, "sitemap.xml", sitemap_index(children))
    result = crawl(serve, tmp_path / "out", "-a", "portals=bangka", CONCURRENT_REQUESTS="4",
                   CONCURRENT_REQUESTS_PER_DOMAIN="4")
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.items) == 120
    asked = requested(serve)
    children = [i for i, u in enumerate(asked) if "/sitemap-" in u]
    articles = [i for i, u in enumerate(asked) if "page=all" in u]
    # With 4 download slots free, an eager crawl would ask 4 children before any article: one is asked,
    # and each next child only after the previous one's articles have started downloading.
    assert len([i for i in children if i < articles[0]]) == 1, asked[:20]
    for previous, child in itertools.pairwise(children):
        assert any(previous < i < child for i in articles), asked


# --- backfill: listings that ignore ?date= and repeat page 10 -------------------------------------------

PER_PAGE = 5
HOURS_APART = 3


def undated_site(site: Site, host: str = "bangka.tribunnews.com", pages: int = 10,
                 dates: tuple[str, ...] = ("2026-7-24", "2026-7-23", "2026-7-22")) -> list[list[str]]:
    """``/index-news?page=N`` newest first, page 11 and 12 = page 10, and every ``?date=`` = page 1."""
    listed: list[list[str]] = []
    number = 0
    for page in range(1, pages + 1):
        entries = []
        for _ in range(PER_PAGE):
            when = NEWEST - timedelta(hours=HOURS_APART * number)
            entries.append((site.article(host, "berita", number, when), when))
            number += 1
        listed.append([u for u, _ in entries])
        html = listing(entries)
        site.put(host, f"index-news?page={page}", html)
        if page == 1:
            for day in dates:
                site.put(host, f"index-news?date={day}", html)
        if page == pages:
            for extra in (pages + 1, pages + 2):
                site.put(host, f"index-news?page={extra}", html)
    return listed


def test_backfill_notices_an_ignored_date_and_walks_back_until_since(site: Site, serve: FaultServer,
                                                                      tmp_path: Path):
    undated_site(site)
    # 2026-07-22 00:00 WIB is 65.4 h before the newest (17:25): numbers 0..21 are in the window.
    result = crawl(serve, tmp_path / "out", "-a", "portals=bangka", "-a", "since=2026-07-22",
                   "-a", "until=2026-07-24")
    assert result.returncode == 0, result.log[-3000:]
    in_window = sorted(u for u, when in site.articles.items() if when.date() >= NEWEST.date() - timedelta(days=2))
    assert len(in_window) == 22
    assert sorted(i["url"] for i in result.items) == in_window
    warned = [line for line in result.log.splitlines() if "ignores ?date=" in line]
    assert len(warned) == 1 and "WARNING" in warned[0]
    assert result.stat("tribun/discovery/date_ignored") == 1
    asked = requested(serve)
    # Walked until a page holds only older articles (page 5: numbers 20..24, the last in-window is 21... page 6).
    walked = [u for u in asked if "index-news?page=" in u]
    assert walked == [f"https://bangka.tribunnews.com/index-news?page={n}" for n in range(1, len(walked) + 1)]
    assert len(walked) == 6, walked
    # Articles outside the window were never fetched: the listing's <time> text kept them out.
    assert not [u for u in asked if "page=all" in u and u.split("?")[0] not in in_window]
    assert result.stat("tribun/discovery/outside_window") >= 1
    assert "tribun/discovery/listing_capped" not in result.stats


def test_backfill_past_what_the_listing_serves_says_so(site: Site, serve: FaultServer, tmp_path: Path):
    listed = undated_site(site, dates=("2026-7-24", "2026-7-23"))
    result = crawl(serve, tmp_path / "out", "-a", "portals=bangka", "-a", "since=2026-07-01",
                   "-a", "until=2026-07-24")
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(i["url"] for i in result.items) == sorted(u for page in listed for u in page)
    walked = [u for u in requested(serve) if "index-news?page=" in u]
    # Page 11 repeats page 10: nothing new, the walk ends there.
    assert walked[-1].endswith("page=11") and len(walked) == 11
    assert result.stat("tribun/discovery/listing_repeated") == 1
    assert result.stat("tribun/discovery/listing_capped") == 1
    capped = [line for line in result.log.splitlines() if "before reaching 2026-07-01" in line]
    assert len(capped) == 1 and "WARNING" in capped[0]


def test_dated_listing_walk_stops_when_a_page_repeats(site: Site, serve: FaultServer, tmp_path: Path):
    """A listing that honours ?date= but repeats its last page (and links one page further) stops there."""
    host = "bangka.tribunnews.com"
    day = NEWEST.replace(hour=23)
    pages = []
    for page in range(1, 4):
        entries = [(site.article(host, "berita", page * 10 + k, day - timedelta(hours=page + k)),
                    day - timedelta(hours=page + k)) for k in range(3)]
        pages.append(listing(entries).replace(
            '<div class="paging"></div>',
            f'<div class="paging"><a href="/index-news?date=2026-7-24&amp;page={page + 1}">Next</a></div>'))
    pages.append(pages[-1])  # page 4 = page 3
    site.put(host, "index-news?date=2026-7-24", pages[0])
    for n, html in enumerate(pages, start=1):
        site.put(host, f"index-news?date=2026-7-24&page={n}", html)
    result = crawl(serve, tmp_path / "out", "-a", "portals=bangka", "-a", "since=2026-07-24",
                   "-a", "until=2026-07-24")
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.items) == 9
    walked = [u for u in requested(serve) if "index-news" in u]
    assert walked[-1].endswith("page=4") and not [u for u in walked if u.endswith("page=5")]
    assert result.stat("tribun/discovery/listing_repeated") == 1


def test_article_published_outside_the_window_is_dropped_after_fetching(site: Site, serve: FaultServer,
                                                                        tmp_path: Path):
    host = "bangka.tribunnews.com"
    inside = site.article(host, "berita", 1, NEWEST)
    # Listed (and timed by the listing) on the 24th, but the page says it was published on the 20th.
    stale = site.article(host, "berita", 2, NEWEST, published=NEWEST - timedelta(days=4))
    site.put(host, "index-news?date=2026-7-24", listing([(inside, NEWEST), (stale, NEWEST)]))
    result = crawl(serve, tmp_path / "out", "-a", "portals=bangka", "-a", "since=2026-07-23",
                   "-a", "until=2026-07-24")
    assert result.returncode == 0, result.log[-3000:]
    assert [i["url"] for i in result.items] == [inside]
    assert result.stat("tribun/dropped/outside_window") == 1
    assert any("outside window (published 2026-07-20T17:25:00+07:00)" in line for line in result.log.splitlines())
