"""Discovery benchmark: peak memory and time to the first article when discovery is huge.

Scenarios, each a real ``scrapy crawl tribun`` over every portal against :mod:`bench.server` (a generated
mirror of a few hundred articles, served from memory on 127.0.0.1 through ``TRIBUN_ORIGIN``):

* ``sitemap-1m``: latest mode; bangka's ``robots.txt`` also names ``sitemap-huge.xml.gz``, one sitemap of
  1,000,000 article URLs (133 MB of XML, about 10 MB gzipped, sent as a gzip body without
  ``Content-Encoding`` as ``.xml.gz`` files usually are). ``DOWNLOAD_MAXSIZE`` is raised to 32 MB for this
  run so the document is downloaded at all (the default 8 MB refuses it before a byte is parsed: see
  ``sitemap-1m-plain``);
* ``sitemap-1m-plain``: the same 1,000,000 URLs as plain XML, default settings;
* ``backfill-1995``: ``-a since=1995-01-01`` (about 11,300 days × every portal of the registry); each
  mirror portal's listing of today names its articles, every other day's listing is a 404.

Each crawl runs with the crawl benchmark's engine settings (no delays, AutoThrottle and robots.txt off) and
stops after ``--seconds`` (``CLOSESPIDER_TIMEOUT``, so its exit status is 1: closed early). Measured: the
peak resident memory of the crawl and its worker processes together, sampled from ``/proc`` every 0.1 s
(:func:`bench.crawl.run_measured`), and the time from launching the command to the server's first 200
answer for an article page. Targets: under 300 MB, first article within 10 s.

``python -m bench.discovery [--seconds 40] [--only NAME] [--workdir DIR] [--keep]``; the table is printed
and written to ``bench/results/discovery.md``. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import RESULTS, ROOT, fmt, table
from bench.crawl import PYTHON, LoopbackServer, _is_article_key, engine_settings, run_measured

HUGE_URLS = 1_000_000
RSS_TARGET_MB = 300
FIRST_ARTICLE_TARGET_S = 10
SCENARIOS = ("sitemap-1m", "sitemap-1m-plain", "backfill-1995")


@dataclass
class Result:
    name: str
    command: str
    returncode: int = 0
    tree_rss_mb: float = float("nan")
    peak_rss_mb: float = float("nan")
    first_article_s: float | None = None
    requests: int = 0
    article_pages: int = 0
    discovery_requests: int = 0  # sitemaps and listing pages asked for
    items: int = 0
    stats: dict[str, Any] | None = None


def huge_sitemap(count: int) -> bytes:
    """``count`` bangka article URLs (none of them in the mirror: each is a 404) with their ``lastmod``."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    for i in range(count):
        day = f"{2010 + i % 16}/{1 + i % 12:02d}/{1 + i % 28:02d}"
        parts.append(f"<url><loc>https://bangka.tribunnews.com/{day}/berita-arsip-nomor-{i}</loc>"
                     f"<lastmod>{day.replace('/', '-')}T10:00:00+07:00</lastmod></url>\n")
    parts.append("</urlset>\n")
    return "".join(parts).encode()


def todays_listings(mirror: Path, expected: dict[str, Any]) -> int:
    """Today's (UTC, as the spider counts days) ``index-news`` page of each mirror portal, naming its articles."""
    from crawler import portals

    today = datetime.now(UTC).date()
    by_key = {p.key: p for p in portals.select(None)}
    written = 0
    for key in sorted({a["portal"] for a in expected["articles"]}):
        portal = by_key.get(key)
        if portal is None:
            continue
        items = "".join(f'<li><h3><a href="{a["url"]}">{a.get("title", "Berita")}</a></h3>'
                        f'<time class="grey">{today:%d/%m/%Y}</time></li>'
                        for a in expected["articles"] if a["portal"] == key)
        path = portal.index_news_url.split("://", 1)[1] + f"?date={today.year}-{today.month}-{today.day}"
        target = mirror / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'<html><body><ul class="lsi">{items}</ul></body></html>', encoding="utf-8")
        written += 1
    return written


def build(work: Path, seed: int, say) -> dict[str, Path]:
    """One mirror per scenario (the server loads a whole directory)."""
    from tools import build_mirror

    base = work / "mirror-base"
    shutil.rmtree(base, ignore_errors=True)
    expected = build_mirror.generate(base, n_articles=300, seed=seed)
    say(f"  mirror: {len(expected['articles'])} articles")
    began = time.perf_counter()
    xml = huge_sitemap(HUGE_URLS)
    packed = gzip.compress(xml, 6)
    say(f"  huge sitemap: {HUGE_URLS:,} URLs, {len(xml) / 1e6:.0f} MB, gzipped {len(packed) / 1e6:.1f} MB "
        f"({time.perf_counter() - began:.0f} s)")
    mirrors = {}
    for name, (file, data) in {"sitemap-1m": ("sitemap-huge.xml.gz", packed),
                               "sitemap-1m-plain": ("sitemap-huge.xml", xml)}.items():
        mirror = work / f"mirror-{name}"
        shutil.rmtree(mirror, ignore_errors=True)
        shutil.copytree(base, mirror)
        host = mirror / "bangka.tribunnews.com"
        (host / file).write_bytes(data)
        robots = host / "robots.txt"
        robots.write_text(robots.read_text(encoding="utf-8").rstrip("\n")
                          + f"\nSitemap: https://bangka.tribunnews.com/{file}\n", encoding="utf-8")
        mirrors[name] = mirror
    mirror = work / "mirror-backfill-1995"
    shutil.rmtree(mirror, ignore_errors=True)
    shutil.copytree(base, mirror)
    say(f"  backfill: today's listing written for {todays_listings(mirror, expected)} portals")
    mirrors["backfill-1995"] = mirror
    return mirrors


def run_scenario(name: str, mirror: Path, work: Path, seconds: int, say) -> Result:
    args = {"sitemap-1m": [], "sitemap-1m-plain": [], "backfill-1995": ["-a", "since=1995-01-01"]}[name]
    extra = {"DOWNLOAD_MAXSIZE": str(32 * 1024 * 1024)} if name == "sitemap-1m" else {}
    out_dir = work / f"out-{name}"
    shutil.rmtree(out_dir, ignore_errors=True)
    server = LoopbackServer(mirror, work / f"server-{name}.log")
    try:
        settings = {**engine_settings(), "TRIBUN_OUTPUT_DIR": str(out_dir), "TRIBUN_ORIGIN": server.origin,
                    "CLOSESPIDER_TIMEOUT": str(seconds), **extra}
        cmd = [PYTHON, "-m", "scrapy", "crawl", "tribun", *args]
        for key, value in settings.items():
            cmd += ["-s", f"{key}={value}"]
        shown = " ".join(["scrapy crawl tribun", *args, *(f"-s {k}={v}" for k, v in extra.items())])
        result = Result(name, shown)
        server.control("/log?times")  # forget the start-up
        launched = time.time()
        result.returncode, result.peak_rss_mb, result.tree_rss_mb, _ = run_measured(
            cmd, ROOT, work / f"crawl-{name}.log", seconds + 120)
        log = server.control("/log?times")
    finally:
        server.stop()
    result.requests = len(log)
    articles = [t for status, key, t in log if status == 200 and _is_article_key(key)]
    result.article_pages = len(articles)
    result.discovery_requests = sum(1 for _, key, _ in log if "sitemap" in key or "index-news" in key)
    result.first_article_s = min(articles) - launched if articles else None
    stats_files = sorted((out_dir / "tribun").glob("*.stats.json"))
    result.stats = json.loads(stats_files[-1].read_text(encoding="utf-8")) if stats_files else {}
    result.items = result.stats.get("item_scraped_count", 0)
    say(f"  {name}: peak RSS {result.tree_rss_mb:.0f} MB (crawl + workers), first article "
        f"{fmt(result.first_article_s, 1, ' s')}, {result.requests:,} requests, exit {result.returncode}")
    return result


def report(results: list[Result], seconds: int) -> str:
    rows = []
    for r in results:
        stats = r.stats or {}
        ok = (r.tree_rss_mb < RSS_TARGET_MB and r.first_article_s is not None
              and r.first_article_s <= FIRST_ARTICLE_TARGET_S)
        rows.append([r.name, f"`{r.command}`", fmt(r.tree_rss_mb, 0), fmt(r.peak_rss_mb, 0),
                     fmt(r.first_article_s, 1), f"{r.requests:,}", f"{r.article_pages:,}", f"{r.items:,}",
                     f"{stats.get('scheduler/enqueued/memory', stats.get('scheduler/enqueued', 0)):,}",
                     f"{r.discovery_requests:,}", f"{stats.get('tribun/discovery/sitemap_batches', 0)}",
                     f"{stats.get('tribun/errors/too_large', 0)}",
                     "met" if ok else "**not met**"])
    return "\n".join([
        "## Discovery at scale (`python -m bench.discovery`)",
        "",
        f"Every portal, {seconds} s per crawl (`CLOSESPIDER_TIMEOUT`), loopback `TRIBUN_ORIGIN`, the crawl "
        "benchmark's engine settings. all processes = sampled peak RSS of the crawl and its workers; first article = "
        "launch to the server's first 200 for an article page; scheduled = requests Scrapy's scheduler took in "
        "(articles, pages, discovery); sitemap batches = further passes over a long sitemap "
        "(`TRIBUN_DISCOVERY_HIGH_WATER` article requests each). Targets: all processes < "
        f"{RSS_TARGET_MB} MB, first article ≤ {FIRST_ARTICLE_TARGET_S} s.",
        "",
        table(["scenario", "command", "all processes MB", "largest process MB", "first article s", "requests",
               "article pages 200", "items", "scheduled", "sitemap and listing requests", "sitemap batches",
               "too_large", "target"], rows),
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=40, help="how long each crawl runs")
    parser.add_argument("--only", action="append", choices=SCENARIOS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS / "discovery.md")
    args = parser.parse_args()
    text = run(args.only or list(SCENARIOS), args.seconds, args.seed, args.workdir, args.keep)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    return 0


def run(names: list[str], seconds: int = 40, seed: int = 7, workdir: Path | None = None, keep: bool = False,
        say=lambda m: print(m, file=sys.stderr, flush=True)) -> str:
    tmp = None
    if workdir is None:
        tmp = tempfile.mkdtemp(prefix="tribun-bench-discovery-")
        workdir = Path(tmp)
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        mirrors = build(workdir, seed, say)
        return report([run_scenario(name, mirrors[name], workdir, seconds, say) for name in names], seconds)
    finally:
        if tmp and not keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
