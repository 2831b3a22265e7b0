"""The commit protocol, the run lock and the exit statuses through real ``scrapy crawl`` runs of a tiny
spider (tests/dedup/fakespiders.py): no network, no parser, one or two seconds a run."""

from __future__ import annotations

import signal
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from crawler.commands.crawl import ExitCode
from crawler.state import SCHEMA_VERSION, StateStore
from tests.crawlrun import read_jsonl
from tests.dedup.crawls import FAKE, crawl, part_lines, start, stored_urls, wait_for
from tests.dedup.fakespiders import fake_url

pytestmark = pytest.mark.e2e


def urls(items: list[dict]) -> list[str]:
    return [item["url"] for item in items]


def test_second_run_emits_nothing_and_state_follows_the_feed(tmp_path: Path):
    out = tmp_path / "out"
    first = crawl("fake", out, "-a", "n=5", settings=FAKE)
    assert first.returncode == ExitCode.OK, first.log[-3000:]
    assert urls(first.items) == [fake_url(i) for i in range(5)]
    assert stored_urls(out) == {fake_url(i) for i in range(5)}
    assert "State committed: 5 row(s)" in first.log

    second = crawl("fake", out, "-a", "n=5", settings=FAKE)
    assert second.returncode == ExitCode.OK, second.log[-3000:]
    assert len(second.feeds) == 2 and second.items == []
    assert second.stat("tribun/dedup/url") == 5
    assert "nothing new" in second.log

    third = crawl("fake", out, "-a", "first=3", "-a", "n=5", settings=FAKE)
    assert urls(third.items) == [fake_url(i) for i in range(5, 8)]


def test_fresh_run_emits_again_without_erasing_the_state(tmp_path: Path):
    out = tmp_path / "out"
    crawl("fake", out, "-a", "n=3", settings=FAKE)
    again = crawl("fake", out, "-a", "n=3", "-a", "fresh=1", settings=FAKE)
    assert again.returncode == ExitCode.OK, again.log[-3000:]
    assert urls(again.items) == [fake_url(i) for i in range(3)]
    assert all(item["is_update"] is False for item in again.items)
    assert stored_urls(out) == {fake_url(i) for i in range(3)}
    assert crawl("fake", out, "-a", "n=3", settings=FAKE).items == []


def test_sigkill_mid_run_commits_nothing_and_the_next_run_emits_each_article_once(tmp_path: Path):
    out = tmp_path / "out"
    crawl("fake", out, "-a", "n=2", settings=FAKE)  # an earlier, finished run: articles 0 and 1
    proc = start("fake", out, "-a", "n=40", "-a", "hang=1", settings=FAKE)
    try:
        wait_for(lambda: part_lines(out) >= 1, proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert part_lines(out) >= 1  # the killed run had written articles, but only to its hidden .part file
    assert stored_urls(out) == {fake_url(0), fake_url(1)}  # … and marked none of them as emitted

    after = crawl("fake", out, "-a", "n=40", settings=FAKE)
    assert after.returncode == ExitCode.OK, after.log[-3000:]
    assert urls(after.items) == [fake_url(i) for i in range(2, 40)]  # exactly the missing ones
    every = [url for feed in after.feeds for url in urls(read_jsonl(feed))]
    assert sorted(every) == sorted(fake_url(i) for i in range(40))  # across finished files: each once
    assert Counter(every).most_common(1)[0][1] == 1


def test_overlapping_run_exits_75_and_touches_nothing(tmp_path: Path):
    out = tmp_path / "out"
    proc = start("fake", out, "-a", "n=1", "-a", "hang=1", settings=FAKE)
    try:
        wait_for(lambda: any((out / "tribun").glob(".*.part")), proc)
        before = sorted(p.name for p in (out / "tribun").iterdir())
        state_before = (out / ".state" / "tribun.sqlite3").read_bytes()
        second = crawl("fake", out, "-a", "n=3", settings=FAKE)
        assert second.returncode == ExitCode.LOCKED == 75
        assert f"another crawl (pid {proc.pid})" in second.log
        assert "Spider opened" not in second.log
        assert sorted(p.name for p in (out / "tribun").iterdir()) == before
        assert (out / ".state" / "tribun.sqlite3").read_bytes() == state_before
        assert proc.poll() is None  # the running crawl is unaffected
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # Once the holder is gone (even by SIGKILL) the next run starts normally.
    assert crawl("fake", out, "-a", "n=1", settings=FAKE).returncode == ExitCode.OK


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    root = tmp_path / "mirror"
    (root / "bangka.tribunnews.com").mkdir(parents=True)
    (root / "bangka.tribunnews.com" / "ada").write_text("<html><body>ok</body></html>", encoding="utf-8")
    return root


@pytest.mark.parametrize(("args", "status"), [
    (["-a", "n=2"], ExitCode.OK),
    (["-a", "n=0", "-a", "fetch=https://bangka.tribunnews.com/ada"], ExitCode.NO_ITEMS),
    (["-a", "n=0", "-a", "fetch=https://bangka.tribunnews.com/tidak-ada"], ExitCode.UNREACHABLE),
    (["-a", "n=2", "-a", "fetch=https://bangka.tribunnews.com/ada", "-a", "fail=1"], ExitCode.FAILED),
])
def test_exit_status(tmp_path: Path, mirror: Path, args: list[str], status: ExitCode):
    result = crawl("fake", tmp_path / "out", *args, settings={**FAKE, "TRIBUN_MIRROR": str(mirror)})
    assert result.returncode == status, result.log[-3000:]
    assert f"Exit status {int(status)} ({status.name})" in result.log


def test_unusable_state_exits_78_before_any_feed(tmp_path: Path):
    out = tmp_path / "out"
    StateStore(out / ".state" / "tribun.sqlite3").close()
    db = sqlite3.connect(out / ".state" / "tribun.sqlite3")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    result = crawl("fake", out, "-a", "n=2", settings=FAKE)
    assert result.returncode == ExitCode.STATE == 78, result.log[-3000:]
    assert f"schema version {SCHEMA_VERSION + 1}" in result.log
    assert not (out / "tribun").exists()
