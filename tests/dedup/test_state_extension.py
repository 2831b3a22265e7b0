"""The commit protocol of crawler.extensions.state, driven by hand (the real-crawl version is in
test_commit_on_feed_close.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extensions.state import StateExtension, duplicates_path
from crawler.feeds import run_id
from crawler.state import StateRow, StateStore

A = "https://bangka.tribunnews.com/2025/01/10/a"
B = "https://jatim.tribunnews.com/2025/01/10/b"
C = "https://solo.tribunnews.com/2025/01/10/c"
D = "https://bali.tribunnews.com/2025/01/10/d"
OLD = "https://bali.tribunnews.com/2024/12/01/old"


@pytest.mark.parametrize(("feed", "side"), [
    ("out/tribun/20250110T030000Z.jsonl", "out/tribun/20250110T030000Z.duplicates.jsonl"),
    ("articles.json", "articles.duplicates.jsonl"),
    ("articles", "articles.duplicates.jsonl"),
])
def test_side_file_name_derives_from_the_feed(feed: str, side: str):
    assert duplicates_path(Path(feed)) == Path(side)


def _staged(make_crawler) -> tuple[StateExtension, object]:
    crawler = make_crawler()
    state: StateExtension = crawler.get_extension(StateExtension)
    state.store.commit([StateRow(OLD, "1" * 32)], run_id="earlier")
    state.stage(StateRow(A, "a" * 32))
    state.stage(StateRow(C, "c" * 32))  # staged but never reached the feed exporter
    state.stage_duplicate(StateRow(B, "b" * 32, A), 0.93, "near")
    state.stage_duplicate(StateRow(D, "d" * 32, OLD), 1.0, "fingerprint")
    state.stage_duplicate(StateRow("https://bali.tribunnews.com/2025/01/10/e", "e" * 32, C), 0.95, "near")
    state.touch(OLD)
    state.item_scraped({"url": A})
    return state, crawler


def test_commit_keeps_only_what_is_in_a_finished_file(make_crawler):
    state, crawler = _staged(make_crawler)
    state.feed_exporter_closed()
    assert state.committed
    store = StateStore(state.path)
    try:
        assert store.get(A).duplicate_of is None
        assert store.get(B).duplicate_of == A
        assert store.get(D).duplicate_of == OLD  # its original was emitted by an earlier run
        assert store.get(C) is None  # never exported: the next run emits it
        assert store.get("https://bali.tribunnews.com/2025/01/10/e") is None  # its original never exported
        assert store.get(OLD).last_seen >= store.get(OLD).first_seen
    finally:
        store.close()
    assert crawler.stats.get_value("tribun/state/committed") == 3
    assert state.store is None  # closed once committed


def test_side_file_is_written_beside_the_feed_without_leftovers(make_crawler):
    state, crawler = _staged(make_crawler)
    state.feed_exporter_closed()
    feed_dir = Path(crawler.settings["TRIBUN_OUTPUT_DIR"]) / "tribun"
    side = feed_dir / f"{run_id(crawler.spider)}.duplicates.jsonl"
    records = [json.loads(line) for line in side.read_text(encoding="utf-8").splitlines()]
    assert [r["url"] for r in records] == [B, D, "https://bali.tribunnews.com/2025/01/10/e"]
    assert records[0] == {"url": B, "duplicate_of": A, "similarity": 0.93, "kind": "near"}
    assert [p.name for p in feed_dir.iterdir()] == [side.name]


def test_no_duplicates_no_side_file(make_crawler):
    crawler = make_crawler()
    state = crawler.get_extension(StateExtension)
    state.stage(StateRow(A))
    state.item_scraped({"url": A})
    state.feed_exporter_closed()
    assert state.committed
    assert not (Path(crawler.settings["TRIBUN_OUTPUT_DIR"]) / "tribun").exists()


def test_a_failed_feed_commits_nothing(make_crawler):
    state, crawler = _staged(make_crawler)
    crawler.stats.inc_value("feedexport/failed_count/AtomicFileFeedStorage")
    state.feed_exporter_closed()
    assert not state.committed
    assert crawler.stats.get_value("tribun/state/commit_failed") == 1
    store = StateStore(state.path)
    try:
        assert store.get(A) is None and store.get(B) is None
    finally:
        store.close()


def test_a_failed_commit_is_reported(make_crawler, monkeypatch: pytest.MonkeyPatch):
    state, crawler = _staged(make_crawler)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(state.store, "commit", broken)
    state.feed_exporter_closed()
    assert not state.committed
    assert crawler.stats.get_value("tribun/state/commit_failed") == 1
    assert crawler.stats.get_value("tribun/state/uncommitted") == 5
