"""Real crawls of the mirror and of defaced copies: the close monitors pass a healthy crawl and fail a drifted
one with exit status 79, one summary line naming the field and its figure, and a report beside the feed."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from crawler.commands.crawl import ExitCode
from tests.crawlrun import CrawlResult, run_crawl
from tests.monitors.mirrors import defaced_mirror, without_authors, without_dates

pytestmark = pytest.mark.e2e


def summary_line(result: CrawlResult) -> str:
    lines = [line for line in result.log.splitlines() if "] ERROR: Monitors failed (" in line]
    assert len(lines) == 1, result.log[-3000:]
    return lines[0]


def report(result: CrawlResult) -> dict:
    path = Path(result.stats["tribun/monitors/report"])
    assert path.parent == result.feeds[-1].parent
    assert path.name == result.feeds[-1].name.replace(".jsonl", ".monitors.json")
    return json.loads(path.read_text(encoding="utf-8"))


def runs_table(result: CrawlResult) -> list[tuple]:
    db = sqlite3.connect(result.output_dir / ".state" / "tribun.sqlite3")
    try:
        return db.execute("SELECT run_id, emitted, exit_status FROM runs").fetchall()
    finally:
        db.close()


def test_a_healthy_mirror_crawl_passes_every_monitor(tmp_path: Path):
    result = run_crawl(tmp_path / "out")
    assert result.returncode == ExitCode.OK, result.log[-3000:]
    assert "Monitors passed" in result.log and "Monitors failed" not in result.log
    assert result.stat("tribun/monitors/failed", -1) == 0
    verdict = report(result)
    assert verdict["passed"] is True and verdict["failed"] == 0
    assert {m["status"] for m in verdict["monitors"]} == {"OK"}
    # The coverage stored for the drift monitor is the feed's, portal by portal.
    per_portal = Counter(item["portal"] for item in result.items)
    assert {portal: c["items"] for portal, c in verdict["coverage"].items()} == per_portal
    db = sqlite3.connect(result.output_dir / ".state" / "tribun.sqlite3")
    stored = dict(db.execute("SELECT portal, items FROM coverage WHERE field = 'title'").fetchall())
    authors = sum(covered for (covered,) in db.execute("SELECT covered FROM coverage WHERE field = 'authors'"))
    db.close()
    assert stored == per_portal
    assert authors == sum(1 for item in result.items if item["authors"])
    assert runs_table(result) == [(result.feeds[-1].stem, len(result.items), ExitCode.OK)]


def test_a_crawl_without_credit_lines_fails_and_names_authors(tmp_path: Path):
    mirror = defaced_mirror(tmp_path / "mirror", without_authors)
    result = run_crawl(tmp_path / "out", mirror=mirror)
    assert result.returncode == ExitCode.MONITORS, result.log[-3000:]
    assert result.items and not any(item["authors"] for item in result.items)  # nothing else was lost
    line = summary_line(result)
    assert f"Field coverage: authors 0.0% < 90.0% (0 of {len(result.items)})" in line
    assert result.stat("tribun/monitors/failed") == 1
    verdict = report(result)
    assert verdict["passed"] is False and verdict["failed"] == 1
    [failed] = [m for m in verdict["monitors"] if "failed" in m]
    assert failed["monitor"] == "Field coverage" and "authors 0.0%" in failed["failed"]
    assert "Exit status 79 (MONITORS)" in result.log
    assert runs_table(result) == [(result.feeds[-1].stem, len(result.items), ExitCode.MONITORS)]


def test_a_crawl_without_dates_on_its_pages_fails_and_names_modified_at(tmp_path: Path):
    mirror = defaced_mirror(tmp_path / "mirror", without_dates)
    result = run_crawl(tmp_path / "out", mirror=mirror)
    assert result.returncode == ExitCode.MONITORS, result.log[-3000:]
    # A modification time is only ever on the page; the publication time also comes from the sitemaps.
    assert result.items and not any(item["modified_at"] for item in result.items)
    assert f"modified_at 0.0% < 50.0% (0 of {len(result.items)})" in summary_line(result)


def test_no_verdict_file_nor_history_when_the_run_is_not_recorded(tmp_path: Path):
    mirror = defaced_mirror(tmp_path / "mirror", without_authors)
    result = run_crawl(tmp_path / "out", "-O", str(tmp_path / "feed.jsonl"), mirror=mirror,
                       settings={"TRIBUN_RECORD_RUN": "0"})
    # The verdict still decides the exit status; only the files of a recorded run are not written.
    assert result.returncode == ExitCode.MONITORS, result.log[-3000:]
    assert "authors 0.0%" in summary_line(result)
    assert not list((tmp_path / "out").rglob("*.monitors.json"))


def test_notifications_are_spidermon_actions_run_only_when_a_monitor_fails(tmp_path: Path):
    sent = tmp_path / "sent.txt"
    notify = {"TRIBUN_MONITOR_NOTIFY": "tests.monitors.notify.RecordFailures", "TEST_NOTIFY_FILE": str(sent)}
    healthy = run_crawl(tmp_path / "ok", settings=notify)
    assert healthy.returncode == ExitCode.OK, healthy.log[-3000:]
    assert not sent.exists()
    mirror = defaced_mirror(tmp_path / "mirror", without_authors)
    failed = run_crawl(tmp_path / "bad", mirror=mirror, settings=notify)
    assert failed.returncode == ExitCode.MONITORS, failed.log[-3000:]
    assert sent.read_text(encoding="utf-8") == "Field coverage\n"
