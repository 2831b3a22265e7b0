"""The progress line and the stop of a run that only errors, in real crawls through the fault server."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from crawler.commands.crawl import ExitCode
from crawler.extensions.progress import error_total, eta_text
from tests.crawlrun import ROOT, crawl_command, crawl_env, read_run, run_crawl
from tests.faults import server as fs
from tests.faults.crawling import FAULT_SETTINGS, MIRROR, pick
from tests.faults.server import Fault, FaultServer


def test_a_run_that_only_errors_is_stopped_with_its_own_finish_reason(tmp_path: Path):
    failing = pick(3, portal="bangka")
    held = pick(2, portal="solo")
    release = threading.Event()
    with FaultServer(MIRROR) as server:
        for url in failing:
            server.fault(url + "?page=all", Fault(fs.STATUS, status=404))
            server.fault(url, Fault(fs.STATUS, status=404))
        # Held until the crawl has stopped: the run cannot end by itself, only the stop can end it.
        for url in held:
            server.fault(url + "?page=all", Fault(fs.SERVE, hold=release))
        settings = {**FAULT_SETTINGS, "TRIBUN_ORIGIN": server.origin, "DOWNLOAD_TIMEOUT": "600",
                    "TRIBUN_PROGRESS_INTERVAL": "0.2", "TRIBUN_ONLY_ERRORS_STOP": "0.01"}
        cmd = crawl_command(tmp_path, "-a", "urls=" + ",".join(failing + held), settings=settings)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=crawl_env(), stderr=subprocess.PIPE, text=True)
        # Without the stop the crawl would wait for the held pages for good: end it so the test fails.
        watchdog = threading.Timer(240, proc.kill)
        watchdog.start()
        log = []
        try:
            for line in proc.stderr:
                log.append(line)
                if "Stopping: no article was answered" in line:
                    release.set()
            proc.wait()
        finally:
            watchdog.cancel()
            release.set()
    result = read_run(tmp_path, proc.returncode, "".join(log))
    assert result.returncode == ExitCode.FAILED, result.log[-3000:]
    assert result.stats["finish_reason"] == "only_errors"
    assert result.stat("tribun/stopped/only_errors") == 1
    stop = [line for line in log if "Stopping: no article was answered" in line]
    assert len(stop) == 1 and "http_404" in stop[0], stop
    assert "Exit status 1 (FAILED): the crawl was closed early (only_errors)" in result.log
    # Closing lets downloads under way finish (as a Ctrl-C does): the held articles still arrive whole.
    assert sorted(item["url"] for item in result.items) == sorted(held)


def test_progress_lines_replace_scrapys_rate_line_and_give_the_runs_totals(tmp_path: Path):
    result = run_crawl(tmp_path, settings={"TRIBUN_PROGRESS_INTERVAL": "0.05"})
    assert result.returncode == 0, result.log[-3000:]
    assert "Crawled " not in result.log  # LogStats' "Crawled N pages (at X pages/min)"
    assert "Progress: " in result.log
    final = [line for line in result.log.splitlines() if "] INFO: Final: " in line]
    assert len(final) == 1
    stats = result.stats
    items = stats["item_scraped_count"]
    assert f"({items:,} items), {error_total(stats):,} errors" in final[0]
    assert "backfill" not in final[0]


def test_a_backfill_counts_the_days_it_was_asked_for(tmp_path: Path):
    result = run_crawl(tmp_path, "-a", "since=2025-05-01", "-a", "until=2025-05-10",
                       settings={"TRIBUN_PROGRESS_INTERVAL": "0.05"})
    final = [line for line in result.log.splitlines() if "] INFO: Final: " in line]
    assert len(final) == 1, result.log[-3000:]
    # 1 to 10 May: ten days, each of whose listings is read by the end of the run.
    assert final[0].endswith("backfill: 10 of 10 days read")


def test_eta_text():
    assert eta_text(20) == "under a minute"
    assert eta_text(25 * 60) == "25 min"
    assert eta_text(3 * 3600 + 5 * 60) == "3 h 05 min"


def test_error_total_counts_each_failure_once():
    stats = {"tribun/errors/http_404": 5, "tribun/errors/timeout": 2, "tribun/errors/discovery": 4,
             "tribun/errors/incomplete_article": 1, "tribun/errors/blocked": 1, "tribun/dropped/x": 9}
    assert error_total(stats) == 7
