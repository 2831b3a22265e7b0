"""Announces every request as it leaves the scheduler, before any downloader middleware can drop it.

Scrapy signals a request entering the scheduler (``request_scheduled``) and reaching the download handler
(``request_reached_downloader``), but a request that a downloader middleware ignores in between (robots.txt,
the cross-run "already emitted" skip) reaches neither. The discovery backlog (crawler.spiders.backlog) needs
exact per-portal counts of what waits in the scheduler, so this middleware, first in the chain, sends
:data:`request_left_scheduler` for each request the engine hands to the downloader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

request_left_scheduler = object()


class SchedulerExitMiddleware:
    def __init__(self, crawler: Crawler):
        self.signals = crawler.signals

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        self.signals.send_catch_log(signal=request_left_scheduler, request=request)
        return None
