"""The exit status table of crawler.commands.crawl (the real-crawl cases are in test_commit_on_feed_close.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.commands.crawl import ExitCode, crawl_outcome
from crawler.spiders.tribun import SpiderArgumentError
from crawler.state import StateError, StateLocked

DONE = {"finish_reason": "finished", "downloader/response_status_count/200": 10}


@pytest.mark.parametrize(("stats", "status"), [
    ({**DONE, "item_scraped_count": 3}, ExitCode.OK),
    ({**DONE, "tribun/dedup/skipped_seen": 40}, ExitCode.OK),  # nothing new: a quiet run, not a failure
    ({**DONE, "tribun/dedup/near": 1}, ExitCode.OK),
    ({**DONE, "item_scraped_count": 3, "finish_reason": "shutdown"}, ExitCode.FAILED),
    ({**DONE, "item_scraped_count": 3, "finish_reason": "closespider_errorcount"}, ExitCode.FAILED),
    ({**DONE, "item_scraped_count": 3, "spider_exceptions/count": 1}, ExitCode.FAILED),
    ({**DONE, "item_scraped_count": 3, "tribun/errors/item_pipeline": 2}, ExitCode.FAILED),
    ({**DONE, "item_scraped_count": 3, "feedexport/failed_count/AtomicFileFeedStorage": 1}, ExitCode.FAILED),
    ({**DONE, "item_scraped_count": 3, "tribun/state/commit_failed": 1}, ExitCode.FAILED),
    ({**DONE, "tribun/dropped/no_body": 12}, ExitCode.NO_ITEMS),  # pages came, nothing usable: parsers broken
    ({"finish_reason": "finished", "downloader/response_status_count/404": 9}, ExitCode.UNREACHABLE),
    ({"finish_reason": "finished", "tribun/errors/dns": 126}, ExitCode.UNREACHABLE),
    ({"finish_reason": "finished", "downloader/response_status_count/301": 1}, ExitCode.NO_ITEMS),
])
def test_status_from_final_stats(stats: dict, status: ExitCode):
    code, why = crawl_outcome(stats)
    assert code == status, why
    assert why


@pytest.mark.parametrize(("error", "status"), [
    (StateLocked(Path("/x/tribun.sqlite3.lock"), "123"), ExitCode.LOCKED),
    (StateError("schema version 9"), ExitCode.STATE),
    (SpiderArgumentError("-a since='x': expected a date"), ExitCode.USAGE),
    (RuntimeError("boom"), ExitCode.FAILED),
    (None, ExitCode.FAILED),  # bootstrap failed without an exception we saw
])
def test_status_when_the_crawl_could_not_start(error: BaseException | None, status: ExitCode):
    assert crawl_outcome({}, error, bootstrap_failed=True)[0] == status


def test_sysexits_numbers_are_stable():
    # Documented in the README (Running from cron) and relied on by crontabs and systemd units: never renumber.
    assert {c.name: int(c) for c in ExitCode} == {"OK": 0, "FAILED": 1, "USAGE": 2, "NO_ITEMS": 65,
                                                  "UNREACHABLE": 69, "BLOCKED": 77, "LOCKED": 75, "STATE": 78,
                                                  "MONITORS": 79}
