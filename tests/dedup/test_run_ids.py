"""Run ids never collide: two runs on one output folder keep their own feed and stats files."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.commands.crawl import ExitCode
from crawler.feeds import reserve_run_id
from tests.crawlrun import ROOT, crawl_env, read_jsonl
from tests.dedup.crawls import FAKE, command, finished_feeds
from tests.dedup.fakespiders import fake_url


def test_a_run_started_in_the_same_microsecond_takes_the_next_one(tmp_path: Path):
    start = datetime(2026, 11, 25, 22, 9, 11, 999_999, tzinfo=UTC)
    first, first_marker = reserve_run_id(tmp_path, start)
    second, _ = reserve_run_id(tmp_path, start)
    assert first == "20261125T220911.999999Z"
    assert second == "20261125T220912.000000Z"  # one microsecond later: still sorts after the first
    assert sorted([second, first]) == [first, second]
    # Once the first run has ended (its marker gone), a later run is never given an id before it.
    assert first_marker is not None
    first_marker.unlink()
    later, _ = reserve_run_id(tmp_path)
    assert later > second


def test_ids_sort_in_run_order_across_seconds_and_days(tmp_path: Path):
    starts = [datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC),
              datetime(2027, 1, 1, 0, 0, 0, 1, tzinfo=UTC), datetime(2027, 1, 1, 0, 0, 1, tzinfo=UTC)]
    ids = [reserve_run_id(tmp_path, start)[0] for start in starts]
    assert sorted(ids) == ids
    assert all(i.endswith("Z") for i in ids)  # the documented reader glob output/tribun/*Z.jsonl


@pytest.mark.e2e
def test_two_concurrent_crawls_on_one_output_folder_keep_both_files(tmp_path: Path):
    out = tmp_path / "out"
    procs = []
    for first, state in ((0, "a"), (100, "b")):
        settings = {**FAKE, "TRIBUN_STATE_PATH": str(tmp_path / state / "tribun.sqlite3")}
        procs.append(subprocess.Popen(command("fake", out, "-a", f"first={first}", "-a", "n=5", settings=settings),
                                      cwd=ROOT, env=crawl_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True))
    logs = [proc.communicate(timeout=300)[0] for proc in procs]
    for proc, log in zip(procs, logs, strict=True):
        assert proc.returncode == ExitCode.OK, log[-3000:]
        assert "State committed: 5 row(s)" in log

    feeds = finished_feeds(out)
    assert len(feeds) == 2, feeds
    assert all(f.name.endswith("Z.jsonl") for f in feeds)
    got = sorted(sorted(item["url"] for item in read_jsonl(feed)) for feed in feeds)
    assert got == sorted([sorted(fake_url(i) for i in range(5)), sorted(fake_url(i) for i in range(100, 105))])
    stats = sorted((out / "tribun").glob("*Z.stats.json"))
    assert [s.name.removesuffix(".stats.json") for s in stats] == [f.name.removesuffix(".jsonl") for f in feeds]
    assert not list((out / ".runs").iterdir())  # reservations are dropped when the runs end
