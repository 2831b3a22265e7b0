"""Coverage drift against history: a state holding earlier runs' coverage, then a real mirror crawl."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.commands.crawl import ExitCode
from crawler.state import StateStore
from tests.crawlrun import run_crawl

pytestmark = pytest.mark.e2e


def earlier_runs(output_dir: Path, coverage: dict[str, tuple[int, int]], runs: int, portal: str = "bangka") -> None:
    """A state store whose last ``runs`` runs wrote ``portal`` with ``coverage`` (field → (items, covered));
    fields a run did not record are not judged against it."""
    store = StateStore(output_dir / ".state" / "tribun.sqlite3")
    try:
        for n in range(runs):
            rows = {"url": next(iter(coverage.values())), **coverage}
            store.commit([], run_id=f"2025010{n + 1}T030000.000000Z", now=1_735_700_000 + n,
                         coverage={portal: rows})
    finally:
        store.close()


def test_a_field_that_drops_below_its_history_fails_though_no_threshold_watches_it(tmp_path: Path):
    out = tmp_path / "out"
    # Every earlier run credited a source on all bangka articles; the mirror credits it on few of them (source
    # has no fixed threshold, so only the drift monitor can see the drop).
    earlier_runs(out, {"source": (20, 20)}, runs=3)
    result = run_crawl(out)
    assert result.returncode == ExitCode.MONITORS, result.log[-3000:]
    bangka = [item for item in result.items if item["portal"] == "bangka"]
    with_source = sum(1 for item in bangka if item["source"])
    assert len(bangka) >= 10 and with_source < 0.8 * len(bangka)
    failed = [line for line in result.log.splitlines() if "] ERROR: Monitors failed (" in line]
    assert len(failed) == 1, result.log[-3000:]
    assert (f"Coverage drift: bangka source {with_source / len(bangka) * 100:.1f}% < median 100.0% of its last 3 "
            f"runs - 20.0% ({with_source} of {len(bangka)})") in failed[0]
    assert "Field coverage" not in failed[0]  # every fixed threshold holds


@pytest.mark.parametrize(("coverage", "runs"), [
    ({"source": (20, 20)}, 2),  # too little history to judge (TRIBUN_MONITOR_DRIFT_MIN_RUNS = 3)
    ({"source": (20, 0)}, 3),  # the portal never credited sources: no drop
    ({"source": (5, 5)}, 3),  # runs with fewer than TRIBUN_MONITOR_MIN_ITEMS items are no yardstick
    # Before schema 1.2 `pages` was filled on every item; now a whole-article view without a pager leaves it null
    # (most of the mirror's bangka articles): how an article was fetched is no sign of a layout lost.
    ({"pages": (20, 20)}, 3),
])
def test_no_drift_without_a_drop_against_enough_history(tmp_path: Path, coverage: dict, runs: int):
    out = tmp_path / "out"
    earlier_runs(out, coverage, runs=runs)
    result = run_crawl(out)
    assert result.returncode == ExitCode.OK, result.log[-3000:]
    assert "Monitors passed" in result.log


def test_the_margin_is_a_setting(tmp_path: Path):
    out = tmp_path / "out"
    earlier_runs(out, {"source": (20, 20)}, runs=3)
    result = run_crawl(out, settings={"TRIBUN_MONITOR_DRIFT_MARGIN": "1.0"})
    assert result.returncode == ExitCode.OK, result.log[-3000:]


def test_this_runs_coverage_joins_the_history(tmp_path: Path):
    out = tmp_path / "out"
    first = run_crawl(out)
    assert first.returncode == ExitCode.OK, first.log[-3000:]
    db = sqlite3.connect(out / ".state" / "tribun.sqlite3")
    runs = db.execute("SELECT DISTINCT run_id FROM coverage").fetchall()
    db.close()
    assert runs == [(first.feeds[-1].stem,)]
