"""Retries wait: Retry-After is honoured (bounded), other transient errors back off, other hosts go on.

Waits are checked as lower bounds on the gap the fault server saw between two attempts (a slow
machine only makes gaps longer, so these cannot flake); nothing asserts that something was fast.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from scrapy.core.downloader import Downloader, Slot
from scrapy.settings import Settings

from crawler.middlewares.retry_after import RetryAfterMiddleware, parse_retry_after
from tests.faults import server as fs
from tests.faults.probing import run_probe, stats
from tests.faults.server import Fault, FaultServer

A = "https://bangka.tribunnews.com/2022/03/21/uji-coba"
OTHER_HOST = "https://solo.tribunnews.com/"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("value, seconds", [
    (b"120", 120.0), ("0", 0.0), (b" 7 ", 7.0),
    (format_datetime(NOW + timedelta(seconds=90), usegmt=True), 90.0),
    (format_datetime(NOW - timedelta(seconds=90), usegmt=True), 0.0),  # a date in the past: retry now
    (b"", None), (None, None), (b"soon", None), (b"-5", None), (b"1.5", None),
])
def test_parse_retry_after(value, seconds):
    assert parse_retry_after(value, now=NOW) == seconds


def test_backoff_doubles_up_to_its_cap():
    mw = RetryAfterMiddleware(Settings({"TRIBUN_RETRY_BACKOFF": 1.0, "TRIBUN_RETRY_BACKOFF_MAX": 5}))
    assert [mw.backoff_delay(n) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]
    assert RetryAfterMiddleware(Settings({"TRIBUN_RETRY_BACKOFF": 0})).backoff_delay(3) == 0.0


def test_scrapy_still_has_the_slot_hook_the_pause_uses():
    # pause_slot() degrades to "retry without waiting" if these disappear in a Scrapy upgrade; this
    # test makes such an upgrade fail loudly instead.
    assert callable(Downloader._latercall)
    assert Slot(1, 0).latercall is None


@pytest.mark.e2e
def test_retry_after_is_honoured_without_blocking_other_hosts(tiny_server: FaultServer, tmp_path: Path):
    tiny_server.fault(A, Fault(fs.STATUS, status=429, times=1, headers={"Retry-After": "2"}))
    # The other host answers only once the 429 has gone out, so its answer falls inside the pause.
    tiny_server.fault(OTHER_HOST, Fault(fs.SERVE, hold=tiny_server.served_event(A)))
    probe = run_probe(tiny_server, tmp_path, A, OTHER_HOST)
    assert probe.returncode == 0, probe.log[-3000:]
    first, retry = tiny_server.requests_for(A)
    assert (first.status, retry.status) == (429, 200)
    assert retry.at - first.done >= 2.0
    assert probe.response(A)["retry_times"] == 1
    # The other host's page reached the spider while bangka was paused (CLOCK_MONOTONIC is system-wide).
    assert probe.response(OTHER_HOST)["at"] < retry.at
    assert stats(tmp_path)["tribun/retry/retry_after"] == 1


@pytest.mark.e2e
def test_retry_after_is_capped_and_503_honours_it_too(tiny_server: FaultServer, tmp_path: Path):
    tiny_server.fault(A, Fault(fs.STATUS, status=503, times=1, headers={"Retry-After": "3600"}))
    probe = run_probe(tiny_server, tmp_path, A, TRIBUN_RETRY_AFTER_MAX="1")
    first, retry = tiny_server.requests_for(A)
    assert retry.at - first.done >= 1.0
    assert probe.response(A)["status"] == 200
    assert "asked to retry after 3600 s" in probe.log


@pytest.mark.e2e
def test_transient_errors_back_off_exponentially(tiny_server: FaultServer, tmp_path: Path):
    tiny_server.fault(A, Fault(fs.STATUS, status=500, times=2))
    probe = run_probe(tiny_server, tmp_path, A, TRIBUN_RETRY_BACKOFF="0.5", RETRY_TIMES="2")
    hits = tiny_server.requests_for(A)
    assert [h.status for h in hits] == [500, 500, 200]
    assert hits[1].at - hits[0].done >= 0.5
    assert hits[2].at - hits[1].done >= 1.0
    assert probe.response(A)["retry_times"] == 2


def test_politeness_is_on_by_default():
    from scrapy.utils.project import get_project_settings

    from crawler import __version__

    settings = get_project_settings()
    assert settings.getbool("AUTOTHROTTLE_ENABLED") and settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getfloat("DOWNLOAD_DELAY") > 0
    assert 0 < settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") < settings.getint("CONCURRENT_REQUESTS") <= 8
    # Non-zero would make Scrapy key slots by IP and drop the per-host cap (see settings.py).
    assert settings.getint("CONCURRENT_REQUESTS_PER_IP") == 0
    user_agent = settings["USER_AGENT"]
    # Browser-class (the CDN refuses the rest), naming the project and its contact, never a search bot.
    assert user_agent.startswith("Mozilla/5.0 (") and f"tribun-crawler/{__version__} (+" in user_agent
    assert user_agent.endswith(f"(+{settings['TRIBUN_CONTACT_URL']})")
    assert not re.search(r"googlebot|bingbot|bot\b", user_agent, re.I)
    assert settings["ROBOTSTXT_USER_AGENT"] == "tribun-crawler"
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None
    assert middlewares["scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"] is None
    assert middlewares["crawler.middlewares.retry_after.RetryAfterMiddleware"] == 550
    # Request side before robots.txt (100); response side before RedirectMiddleware (600).
    assert middlewares["crawler.middlewares.network.NetworkGuardMiddleware"] < 100
    assert middlewares["crawler.middlewares.network.RedirectGuardMiddleware"] > 600
