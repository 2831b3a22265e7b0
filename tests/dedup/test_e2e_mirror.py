"""Dedup and state end to end: the real ``scrapy crawl tribun`` over the bundled mirror, in subprocesses.

What the mirror holds (articles, URL variants, syndicated pairs, a sitemap entry whose page is missing)
is listed in tests/fixtures/mirror_expected.json, written by tools/build_mirror.py with the mirror.
"""

from __future__ import annotations

import json
import re
import signal
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.commands.crawl import ExitCode
from crawler.urls import canonical_url, is_article_url
from tests.crawlrun import ROOT, read_jsonl
from tests.dedup.crawls import Run, crawl, part_lines, start, stored_urls, wait_for

pytestmark = pytest.mark.e2e

EXPECTED = json.loads((ROOT / "tests" / "fixtures" / "mirror_expected.json").read_text(encoding="utf-8"))
PAIRS = EXPECTED["syndicated"]
PAIRED = {url for pair in PAIRS for url in (pair["copy"], pair["original"])}
# The portals the mirror holds: limits discovery to hosts that answer (keeps the slow runs short).
PORTALS = "portals=" + ",".join(sorted({a["portal"] for a in EXPECTED["articles"]}))
MIRROR = {"TRIBUN_MIRROR": str(ROOT / "mirror")}
DEBUG = {**MIRROR, "LOG_LEVEL": "DEBUG"}  # "Crawled (200) <GET url>" lines: the downloads, as Scrapy saw them
_CRAWLED = re.compile(r"Crawled \((\d{3})\) <GET (\S+)>")


def article_downloads(log: str) -> list[str]:
    """Canonical URLs of every article page the crawl downloaded (any status), one entry per download."""
    return [canonical_url(url) for _, url in _CRAWLED.findall(log) if is_article_url(url)]


def story(url: str) -> str:
    """One name per story: a syndicated copy and its original are the same story."""
    for pair in PAIRS:
        if url in (pair["copy"], pair["original"]):
            return pair["original"]
    return url


def side_file(result: Run) -> list[dict]:
    [feed] = result.feeds[-1:]
    path = feed.with_name(feed.name.replace(".jsonl", ".duplicates.jsonl"))
    return read_jsonl(path) if path.exists() else []


def urls_of(result: Run) -> list[str]:
    return [item["url"] for item in result.items]


@dataclass
class Twice:
    first: Run
    duplicates: list[dict]  # the first run's side file
    second: Run
    out: Path


@pytest.fixture(scope="module")
def twice(tmp_path_factory) -> Twice:
    out = tmp_path_factory.mktemp("twice")
    first = crawl("tribun", out, settings=DEBUG)
    duplicates = side_file(first)
    return Twice(first, duplicates, crawl("tribun", out, settings=DEBUG), out)


def test_first_run_commits_exactly_what_it_wrote(twice: Twice):
    first, out = twice.first, twice.out
    assert first.returncode == ExitCode.OK, first.log[-3000:]
    emitted = set(urls_of(first))
    assert emitted and len(emitted) == len(first.items)
    assert stored_urls(out) == emitted
    suppressed = {d["url"] for d in twice.duplicates}
    assert stored_urls(out, emitted_only=False) == emitted | suppressed


def test_second_run_emits_nothing_and_downloads_no_known_article(twice: Twice):
    first, second, out = twice.first, twice.second, twice.out
    assert second.returncode == ExitCode.OK, second.log[-3000:]
    assert len(second.feeds) == 2 and second.items == []  # a finished, empty file
    assert "nothing new" in second.log
    known = stored_urls(out, emitted_only=False)
    downloaded = article_downloads(second.log)
    assert set(downloaded) & known == set()
    # The only article pages fetched again are those that failed in the first run (the mirror's missing
    # page: a sitemap entry whose page 404s is retried, as a page not yet published would be).
    assert set(downloaded) == set(article_downloads(first.log)) - known == set(EXPECTED["missing"])
    assert second.stat("tribun/articles/fetched") == 0
    assert second.stat("tribun/dedup/skipped_seen") == len(known)


def test_syndicated_copies_are_emitted_once_and_recorded(twice: Twice):
    first = twice.first
    emitted = set(urls_of(first))
    records = {d["url"]: d for d in twice.duplicates}
    for pair in PAIRS:
        kept, dropped = (pair["original"], pair["copy"]) if pair["original"] in emitted else \
            (pair["copy"], pair["original"])
        assert kept in emitted and dropped not in emitted, pair
        record = records[dropped]
        assert record["duplicate_of"] == kept
        # A "near" copy differs in the page (title, lede, footer); once normalised, its body may be identical.
        assert record["kind"] in {"exact": ("fingerprint",), "near": ("near", "fingerprint")}[pair["kind"]], record
        assert record["similarity"] == 1.0 if record["kind"] == "fingerprint" else 0.9 <= record["similarity"] < 1
    assert set(records) <= PAIRED  # nothing else was taken for a copy
    assert first.stat("tribun/dedup/fingerprint") + first.stat("tribun/dedup/near") == len(PAIRS)


def test_url_variants_are_one_article(tmp_path: Path):
    variants = EXPECTED["variants"]
    given = []
    for v in variants:
        canonical = v["canonical"]
        given += [v["url"], canonical, f"{canonical}?page=2", f"{canonical}?utm_source=whatsapp&utm_medium=share",
                  f"{canonical.replace('https://', 'http://')}/#komentar"]
    result = crawl("tribun", tmp_path, "-a", "urls=" + ",".join(given), settings=MIRROR)
    assert result.returncode == ExitCode.OK, result.log[-3000:]
    assert sorted(urls_of(result)) == sorted({v["canonical"] for v in variants})


def test_a_copy_with_an_edited_body_is_a_near_duplicate(tmp_path: Path):
    """The mirror's "near" pair is identical once normalised, so edit the copy's body (one sentence added,
    one figure changed) in a private copy of the mirror: the crawl must still emit the story once."""
    [pair] = [p for p in PAIRS if p["kind"] == "near"]
    mirror = tmp_path / "mirror"
    for url in (pair["copy"], pair["original"]):
        for suffix in ("", "?page=all"):
            source = ROOT / "mirror" / (url.split("://", 1)[1] + suffix)
            target = mirror / source.relative_to(ROOT / "mirror")
            target.parent.mkdir(parents=True, exist_ok=True)
            html = source.read_text(encoding="utf-8")
            if url == pair["copy"]:
                edited = html.replace("40 sentimeter", "45 sentimeter", 1).replace(
                    "</p>", "</p><p>Warga berharap pemerintah segera membangun tanggul laut yang lebih tinggi.</p>", 1)
                assert edited.count("<p>") == html.count("<p>") + 1
                html = edited
            target.write_text(html, encoding="utf-8")
    result = crawl("tribun", tmp_path / "out", "-a", f"urls={pair['original']},{pair['copy']}",
                   settings={"TRIBUN_MIRROR": str(mirror), "CONCURRENT_REQUESTS": "1"})
    assert result.returncode == ExitCode.OK, result.log[-3000:]
    assert len(result.items) == 1
    [record] = side_file(result)
    assert record["kind"] == "near" and 0.9 <= record["similarity"] < 1
    assert {record["url"], record["duplicate_of"]} == {pair["copy"], pair["original"]}
    assert record["duplicate_of"] == result.items[0]["url"]
    assert result.stat("tribun/dedup/near") == 1


def test_sigkill_mid_run_then_the_next_run_emits_exactly_the_missing_items(tmp_path: Path, twice: Twice):
    reference = {story(u) for u in urls_of(twice.first)}
    out = tmp_path / "out"
    early = sorted(u for u in urls_of(twice.first) if u not in PAIRED)[:2]
    assert crawl("tribun", out, "-a", "urls=" + ",".join(early), settings=MIRROR).returncode == ExitCode.OK
    assert stored_urls(out) == set(early)

    slow = {**MIRROR, "DOWNLOAD_DELAY": "0.3", "RANDOMIZE_DOWNLOAD_DELAY": "0", "CONCURRENT_REQUESTS": "1"}
    proc = start("tribun", out, "-a", PORTALS, settings=slow)
    try:
        wait_for(lambda: part_lines(out) >= 1, proc)
        # Meanwhile a second crawl on the same state is refused at once, touching nothing.
        before = sorted(p.name for p in (out / "tribun").iterdir())
        locked = crawl("tribun", out, "-a", PORTALS, settings=slow)
        assert locked.returncode == ExitCode.LOCKED, locked.log[-3000:]
        assert sorted(p.name for p in (out / "tribun").iterdir()) == before
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    [part] = (out / "tribun").glob(".*.part")
    killed = [json.loads(line)["url"] for line in part.read_text(encoding="utf-8").splitlines()[:part_lines(out)]]
    assert killed  # the killed run had written articles…
    assert stored_urls(out) == set(early)  # …and committed none of them

    after = crawl("tribun", out, "-a", PORTALS, settings=MIRROR)
    assert after.returncode == ExitCode.OK, after.log[-3000:]
    emitted = urls_of(after)
    assert not set(emitted) & set(early)
    assert {story(u) for u in emitted} == reference - {story(u) for u in early}  # exactly the missing ones
    assert {story(u) for u in killed} <= {story(u) for u in emitted}  # nothing the killed run wrote is lost
    every = [item["url"] for feed in after.feeds for item in read_jsonl(feed)]
    assert Counter(every).most_common(1)[0][1] == 1  # and across finished files, none twice


def test_bad_spider_argument_is_a_usage_error(tmp_path: Path):
    result = crawl("tribun", tmp_path, "-a", "portals=atlantis", settings=MIRROR)
    assert result.returncode == ExitCode.USAGE, result.log[-3000:]
    assert "atlantis" in result.log
    assert not (tmp_path / "tribun").exists()
