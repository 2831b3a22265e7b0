"""Bounded discovery through the real engine and a loopback server: gzipped sitemaps, the per-document URL cap
and the unpacked-size limit. Sites are written in the wget layout and served by the fault server."""

from __future__ import annotations

import gzip
import itertools
from datetime import timedelta
from pathlib import Path

from tests.faults import server as fs
from tests.faults.server import Fault, FaultServer
from tests.test_discovery_2026 import NEWEST, Site, crawl, requested, serve, site, sitemap_index, urlset

__all__ = ["serve", "site"]  # fixtures

HOST = "bangka.tribunnews.com"


def articles(site: Site, first: int, count: int) -> list[str]:
    return [site.article(HOST, "berita", n, NEWEST - timedelta(minutes=n)) for n in range(first, first + count)]


def put_bytes(site: Site, name: str, data: bytes) -> None:
    path = site.root / HOST / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def lines(text: str, level: str, needle: str) -> list[str]:
    return [line for line in text.splitlines() if f"] {level}: " in line and needle in line]


def test_gzipped_sitemaps_are_read(site: Site, serve: FaultServer, tmp_path: Path):
    from_robots, from_index, encoded = articles(site, 0, 3), articles(site, 10, 3), articles(site, 20, 3)
    base = f"https://{HOST}"
    site.put(HOST, "robots.txt", f"User-agent: *\nDisallow: /tag/\nSitemap: {base}/sitemap-news.xml.gz\n")
    # .xml.gz files as most servers send them: a gzip body, no Content-Encoding.
    put_bytes(site, "sitemap-news.xml.gz", gzip.compress(urlset(from_robots).encode()))
    put_bytes(site, "sitemap.xml", gzip.compress(sitemap_index([f"{base}/berita/sitemap-1.xml.gz",
                                                                f"{base}/berita/sitemap-2.xml"]).encode()))
    put_bytes(site, "berita/sitemap-1.xml.gz", gzip.compress(urlset(from_index).encode()))
    # And one with Content-Encoding: gzip, which Scrapy unpacks before the spider sees it.
    site.put(HOST, "berita/sitemap-2.xml", urlset(encoded))
    for name in ("sitemap-news.xml.gz", "sitemap.xml", "berita/sitemap-1.xml.gz"):
        serve.fault(f"{base}/{name}", Fault(fs.CONTENT_TYPE, content_type="application/x-gzip"))
    serve.fault(f"{base}/berita/sitemap-2.xml", Fault(fs.GZIP))
    result = crawl(serve, tmp_path / "out", "-a", "portals=bangka")
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(i["url"] for i in result.items) == sorted(from_robots + from_index + encoded)
    assert result.stat("tribun/discovery/sitemaps") == 4


def test_a_sitemap_past_the_url_cap_is_read_up_to_it_with_one_warning(site: Site, serve: FaultServer,
                                                                       tmp_path: Path):
    listed = articles(site, 0, 25)
    site.put(HOST, "sitemap.xml", urlset(listed))
    result = crawl(serve, tmp_path / "out", "-a", "portals=bangka", TRIBUN_SITEMAP_MAX_URLS="10")
    assert result.returncode == 0, result.log[-3000:]
    # The first ten in document order, and nothing after them was asked for.
    assert sorted(i["url"] for i in result.items) == sorted(listed[:10])
    assert not [u for u in requested(serve) if u.split("?")[0] in listed[10:]]
    warned = lines(result.log, "WARNING", f"https://{HOST}/sitemap.xml")
    assert len(warned) == 1 and "more than 10 URLs" in warned[0] and "TRIBUN_SITEMAP_MAX_URLS" in warned[0]
    assert result.stat("tribun/discovery/sitemap_capped") == 1


def test_a_gzipped_sitemap_unpacking_past_download_maxsize_keeps_the_urls_before_the_limit(
        site: Site, serve: FaultServer, tmp_path: Path):
    before, after = articles(site, 0, 5), articles(site, 10, 5)
    limit = 40_000
    xml = urlset(before).replace("</urlset>", " " * (2 * limit) + "".join(f"<url><loc>{u}</loc></url>" for u in after)
                                 + "</urlset>")
    packed = gzip.compress(xml.encode())
    assert len(packed) < limit < len(xml)  # small on the wire, too large unpacked
    put_bytes(site, "sitemap.xml", packed)
    serve.fault(f"https://{HOST}/sitemap.xml", Fault(fs.CONTENT_TYPE, content_type="application/x-gzip"))
    result = crawl(serve, tmp_path / "out", "-a", "portals=bangka", DOWNLOAD_MAXSIZE=str(limit))
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(i["url"] for i in result.items) == sorted(before)
    warned = lines(result.log, "WARNING", f"https://{HOST}/sitemap.xml")
    assert len(warned) == 1 and "DOWNLOAD_MAXSIZE" in warned[0] and "first 5 URL(s)" in warned[0]
    assert result.stat("tribun/errors/too_large") == 1


def test_a_long_sitemap_is_read_in_batches_as_the_scheduler_drains(site: Site, serve: FaultServer, tmp_path: Path):
    listed = articles(site, 0, 25)
    site.put(HOST, "sitemap.xml", urlset(listed))
    # Batches of 8 article requests: 8, 8, then 4 as the cap (20) falls in the third pass.
    result = crawl(serve, tmp_path / "out", "-a", "portals=bangka", TRIBUN_DISCOVERY_HIGH_WATER="8",
                   TRIBUN_SITEMAP_MAX_URLS="20", CONCURRENT_REQUESTS="2", CONCURRENT_REQUESTS_PER_DOMAIN="1")
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(i["url"] for i in result.items) == sorted(listed[:20])
    asked = requested(serve)
    passes = [i for i, u in enumerate(asked) if u == f"https://{HOST}/sitemap.xml"]
    assert len(passes) == 2 + 1  # /sitemap.xml from start(), then two more passes (robots.txt is a 404 here)
    pages = [i for i, u in enumerate(asked) if "page=all" in u]
    # Each pass is asked only after articles of the one before have been downloading.
    for previous, following in itertools.pairwise(passes):
        assert any(previous < i < following for i in pages), asked
    assert len(pages) == len(set(asked[i] for i in pages)) == 20  # no article asked twice
    assert result.stat("tribun/discovery/sitemap_batches") == 2
    assert result.stat("tribun/discovery/sitemaps") == 1
    assert len(lines(result.log, "WARNING", "TRIBUN_SITEMAP_MAX_URLS")) == 1


def test_an_article_named_by_several_sources_is_requested_once(site: Site, serve: FaultServer, tmp_path: Path):
    a, b, c = articles(site, 0, 3)
    site.put(HOST, "sitemap.xml", urlset([a, b]))
    # The feed names b again, once as its whole-article view: the same article after canonicalisation.
    items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in (f"{b}?page=all", c))
    site.put(HOST, "rss", f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>')
    result = crawl(serve, tmp_path / "out", "-a", "portals=bangka")
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(i["url"] for i in result.items) == sorted([a, b, c])
    asked = [u for u in requested(serve) if "page=all" in u]
    assert sorted(asked) == sorted(f"{u}?page=all" for u in (a, b, c))
    assert result.stat("tribun/discovery/duplicate") == 1
