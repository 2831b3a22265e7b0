"""``scrapy reextract``: the archive of a mirror crawl, re-read offline, gives the crawl's own items."""

from __future__ import annotations

import hashlib
from pathlib import Path

from crawler.state import RunLock, StateStore
from crawler.warc import parse_warc_date
from tests.crawlrun import read_jsonl
from tests.warc.conftest import ArchivedCrawl
from tests.warc.replay import run_reextract


def _state_files(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((out / ".state").iterdir())}


def test_items_equal_the_crawls_and_crawled_at_is_the_warc_date(archived_crawl: ArchivedCrawl) -> None:
    out = archived_crawl.result.output_dir
    state_before = _state_files(out)
    (warc,) = archived_crawl.files
    result = run_reextract(out, str(out / "warc" / "*.warc.gz"))
    assert result.returncode == 0, result.log[-3000:]
    crawled = {item["url"]: item for item in archived_crawl.result.items}
    again = {item["url"]: item for item in result.items}
    assert len(result.items) == len(again) == len(crawled) > 40
    for url, item in crawled.items():
        assert {k: v for k, v in again[url].items() if k != "crawled_at"} == \
               {k: v for k, v in item.items() if k != "crawled_at"}, url
    # crawled_at is when the article's first page was fetched: the WARC-Date of its ?page=all record, or of its
    # page 1 when the whole-article view was missing.
    dates = {r.uri: parse_warc_date(r.date) for r in archived_crawl.responses() if r.http_status == 200}
    for url, item in again.items():
        first = dates.get(url + "?page=all") or dates[url]
        assert item["crawled_at"] == first.isoformat(timespec="seconds"), url
    # In-run dedup is the crawl's: the same duplicates, in the side file beside the re-extracted feed.
    feed = result.feeds[-1]
    crawl_feed = archived_crawl.result.feeds[-1]
    duplicates = feed.with_name(f"{feed.stem}.duplicates.jsonl")
    assert read_jsonl(duplicates) == read_jsonl(crawl_feed.with_name(f"{crawl_feed.stem}.duplicates.jsonl")) != []
    # Offline, in the worker processes, and the crawl's state untouched.
    assert result.stat("tribun/replay/answered") > 40 and result.stat("tribun/replay/not_archived") == 0
    assert result.stat("tribun/workers") >= 1
    assert _state_files(out) == state_before
    assert sorted(p.name for p in (out / "tribun").glob("*Z.jsonl")) == [crawl_feed.name]
    assert warc.is_file()
    # …with the downloader middlewares that only matter on the network switched off (and the items above equal).
    enabled = result.log.split("Enabled downloader middlewares:", 1)[1].split("]", 1)[0]
    assert "RedirectMiddleware" in enabled and "DownloaderStats" in enabled
    for name in ("HttpAuth", "DownloadTimeout", "DefaultHeaders", "HttpCompression", "HttpProxy"):
        assert f"{name}Middleware" not in enabled, enabled


def test_output_options_work_as_for_a_crawl(archived_crawl: ArchivedCrawl, tmp_path: Path) -> None:
    (warc,) = archived_crawl.files
    target = tmp_path / "again.jsonl"
    result = run_reextract(tmp_path, str(warc), "-O", str(target))
    assert result.returncode == 0, result.log[-2000:]
    assert len(read_jsonl(target)) == len(archived_crawl.result.items)
    assert not (tmp_path / "reextract").exists() or not list((tmp_path / "reextract").glob("*Z.jsonl"))


def test_usage_errors(tmp_path: Path) -> None:
    missing = run_reextract(tmp_path, str(tmp_path / "nothing-*.warc.gz"))
    assert missing.returncode == 2 and "no WARC file at" in missing.log
    (tmp_path / "empty.warc.gz").write_bytes(b"")
    empty = run_reextract(tmp_path, str(tmp_path / "empty.warc.gz"))
    assert empty.returncode == 65 and "the archive holds no Tribun article page" in empty.log
    spider_args = run_reextract(tmp_path, str(tmp_path / "empty.warc.gz"), "-a", "since=2024-01-01")
    assert spider_args.returncode == 2 and "reextract takes only -a portals" in spider_args.log


def test_state_option_records_the_run_and_waits_for_a_running_crawl(archived_crawl: ArchivedCrawl,
                                                                    tmp_path: Path) -> None:
    (warc,) = archived_crawl.files
    store_path = tmp_path / ".state" / "tribun.sqlite3"
    lock = RunLock.acquire(tmp_path / ".state" / "tribun.sqlite3.lock")  # as a running crawl holds it
    try:
        locked = run_reextract(tmp_path, str(warc), "--state")
    finally:
        lock.release()
    assert locked.returncode == 75 and "Not starting" in locked.log
    assert not (tmp_path / "reextract").exists() and not store_path.exists()
    result = run_reextract(tmp_path, str(warc), "--state")
    assert result.returncode == 0, result.log[-2000:]
    assert result.stat("tribun/state/committed") > 40
    store = StateStore(store_path)
    try:
        assert all(store.get(item["url"]) is not None for item in result.items)
    finally:
        store.close()
