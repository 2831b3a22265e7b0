"""``make crawl``'s demo: the bundled mirror's portals only, no politeness delays, and a last line that says
where the feed is and what the monitors said. Real ``scrapy crawl`` subprocesses, as ``make crawl`` runs it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.addons import MirrorMode
from crawler.commands.crawl import run_summary
from tests.crawlrun import MIRROR, ROOT, SCRAPY, CrawlResult, crawl_env, read_run

pytestmark = pytest.mark.e2e

# The bundled mirror's folders: www. and m.tribunnews.com (one portal), bangka, jakarta, makassar, solo.
MIRROR_PORTALS = ["tribunnews", "bangka", "jakarta", "makassar", "solo"]


def demo_crawl(out: Path, *args: str) -> CrawlResult:
    """What ``make crawl`` runs: only TRIBUN_MIRROR, none of the tests' speed settings."""
    cmd = [*SCRAPY, "crawl", "tribun", "-s", "TRIBUN_MIRROR=mirror", "-s", f"TRIBUN_OUTPUT_DIR={out}", *args]
    proc = subprocess.run(cmd, cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=300)
    return read_run(out, proc.returncode, proc.stderr)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> CrawlResult:
    return demo_crawl(tmp_path_factory.mktemp("demo"))


def _overridden(log: str) -> str:
    match = re.search(r"Overridden settings:\n(\{.*?\})", log, re.S)
    assert match, log[-3000:]
    return match.group(1)


def test_demo_crawls_only_the_portals_the_mirror_holds(demo: CrawlResult):
    assert demo.returncode == 0, demo.log[-3000:]
    held = [line for line in demo.log.splitlines() if "holds 5 portal(s)" in line]
    assert len(held) == 1 and held[0].endswith(f"{', '.join(MIRROR_PORTALS)} (-a portals=… chooses others)")
    assert "Crawl mode latest over 5 portal(s)" in demo.log
    # Before, every other portal's robots.txt, sitemap and RSS were asked for and answered 404 by the mirror.
    assert "Discovery request failed" not in demo.log
    assert demo.stat("tribun/errors/discovery") == 0


def test_demo_runs_without_politeness_delays(demo: CrawlResult):
    # The project's DOWNLOAD_DELAY 0.25 and AutoThrottle are replaced by Scrapy's own defaults (no delay, off),
    # so neither is listed among the settings that differ from them.
    overridden = _overridden(demo.log)
    assert "DOWNLOAD_DELAY" not in overridden
    assert "AUTOTHROTTLE_ENABLED" not in overridden


def test_demo_ends_with_the_feed_and_the_monitors_verdict(demo: CrawlResult):
    last = demo.log.strip().splitlines()[-1]
    report = demo.feeds[-1].with_name(demo.feeds[-1].stem + ".monitors.json")
    assert last.endswith(f"INFO: Feed: {demo.feeds[-1]}; monitors: passed (report {report})"), last


def test_command_line_settings_and_portals_still_win_in_mirror_mode(tmp_path: Path):
    result = demo_crawl(tmp_path, "-a", "portals=solo,surabaya", "-s", "DOWNLOAD_DELAY=0.01")
    assert result.returncode == 0, result.log[-3000:]
    assert "holds 5 portal(s)" not in result.log
    assert "Crawl mode latest over 2 portal(s)" in result.log
    assert "'DOWNLOAD_DELAY': '0.01'" in _overridden(result.log)
    # surabaya is not in the mirror: its discovery documents are 404s, still reported.
    assert "Discovery request failed (http_404): https://surabaya.tribunnews.com/" in result.log


def test_mirror_mode_add_on_leaves_the_live_sites_delays_alone():
    settings = Settings({"DOWNLOAD_DELAY": 0.25, "AUTOTHROTTLE_ENABLED": True}, priority="project")
    MirrorMode().update_settings(settings)
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.25
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    settings.set("TRIBUN_MIRROR", str(MIRROR), priority="cmdline")
    settings.set("AUTOTHROTTLE_ENABLED", True, priority="cmdline")
    MirrorMode().update_settings(settings)
    assert settings.getfloat("DOWNLOAD_DELAY") == 0
    assert settings.getbool("AUTOTHROTTLE_ENABLED")  # given with -s: kept


def test_run_summary_reads_the_monitors_stats(tmp_path: Path):
    feed = tmp_path / "run.jsonl"
    feed.write_text("", encoding="utf-8")
    report = str(tmp_path / "run.monitors.json")
    assert run_summary({}, [str(feed)]) == f"Feed: {feed}; monitors: not run"
    assert (run_summary({"tribun/monitors/failed": 0, "tribun/monitors/report": report}, [str(feed)])
            == f"Feed: {feed}; monitors: passed (report {report})")
    assert (run_summary({"tribun/monitors/failed": 2, "tribun/monitors/report": report}, [str(feed)])
            == f"Feed: {feed}; monitors: 2 FAILED (report {report})")
    assert run_summary({}, [str(tmp_path / "never-written.jsonl")]) == "Feed: none written; monitors: not run"
