"""A progress line for long runs, and a stop for a run that only errors.

Replaces Scrapy's ``LogStats`` (``Crawled N pages (at X pages/min)``), whose page count says nothing about
how far a crawl is. Every ``TRIBUN_PROGRESS_INTERVAL`` seconds one INFO line::

    Progress: 812 articles discovered, 64 queued, 700 done (655 items), 45 errors, 230 pages/min;
    backfill: 12 of 31 days read, ETA 25 min

*discovered*: articles this run asked for; *queued*: requests waiting in the scheduler; *done*: articles
finished either way (read whole, dropped or failed); *errors*: final failures of any request
(``tribun/errors/*``), and, in a backfill (``-a since``), the days whose listings have been read of the
days asked, with an estimate of the time left from the pace so far.

The same timer checks for a run that only errors: no article response below 400 for
``TRIBUN_ONLY_ERRORS_STOP`` minutes while errors keep coming (the site answers with errors, a proxy is
broken). Such a run is closed with the finish reason ``only_errors`` (exit status 1, FAILED) instead of
working through thousands of failing requests.

A plain extension rather than a spidermon periodic monitor: the line needs the scheduler and the spider's
bookkeeping, and stopping needs the engine, none of which a monitor's test case is meant to reach.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.defer import deferred_from_coro

from crawler.article_flow import META_KEY

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

ONLY_ERRORS_REASON = "only_errors"

# Totals over other tribun/errors/* keys: counting them would count one failure twice.
_AGGREGATES = {"discovery", "incomplete_article", "blocked"}
# The error total is taken at an answered article at most this often (seconds): summing it walks every stat,
# which at hundreds of pages a second was a noticeable share of the crawl's thread. The only-errors check
# counts the errors after the last answered article, so it may count those of this short while before it too.
_RECOUNT_EVERY = 0.1


def error_total(stats: dict[str, Any]) -> int:
    """Final failures of the run: each ``tribun/errors/<kind>``, without the keys that total other ones."""
    prefix = "tribun/errors/"
    return sum(v for k, v in stats.items() if k.startswith(prefix) and k[len(prefix):] not in _AGGREGATES)


def eta_text(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


class Progress:
    def __init__(self, crawler: Crawler, interval: float, stop_after: float):
        self.crawler = crawler
        self.interval = interval
        self.stop_after = stop_after  # seconds; 0: never
        self.task: Any = None
        self.discovered = 0
        self.days_read: set[date] = set()
        self.started = self.last_ok = time.monotonic()
        self.errors_at_last_ok = 0
        self._counted_at = float("-inf")
        self.pages_before = 0
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = crawler.settings.getfloat("TRIBUN_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured("TRIBUN_PROGRESS_INTERVAL is 0")
        ext = cls(crawler, interval, 60 * crawler.settings.getfloat("TRIBUN_ONLY_ERRORS_STOP"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.started = self.last_ok = time.monotonic()
        self.task = create_looping_call(self.tick, spider)
        self.task.start(self.interval, now=False)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
            # The totals the run ended with, in the same words as the periodic lines.
            logger.info("%s", self.line(spider, self.crawler.stats.get_stats(), final=True))

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        # An article's first request asks for its whole-article view; later ones are its pages or fallbacks.
        article = request.meta.get(META_KEY)
        if article is not None and article.page == "all":
            self.discovered += 1

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        if META_KEY in request.meta:
            if response.status < 400:
                self.last_ok = now = time.monotonic()
                if now - self._counted_at >= _RECOUNT_EVERY:
                    self._counted_at = now
                    self.errors_at_last_ok = error_total(self.crawler.stats.get_stats())
        elif request.cb_kwargs.get("day") is not None and getattr(spider, "since", None):
            self.days_read.add(request.cb_kwargs["day"])

    # --- the timer ----------------------------------------------------------------------------------------

    def tick(self, spider: Spider) -> None:
        stats = self.crawler.stats.get_stats()
        logger.info("%s", self.line(spider, stats))
        self.check_only_errors(stats)

    def line(self, spider: Spider, stats: dict[str, Any], final: bool = False) -> str:
        """The progress line; ``final``: the run's totals, its pages/min over the whole run, no ETA."""
        errors = error_total(stats)
        article_errors = max(0, errors - stats.get("tribun/errors/discovery", 0))
        dropped = sum(v for k, v in stats.items() if k.startswith("tribun/dropped/"))
        done = stats.get("tribun/articles/fetched", 0) + dropped + article_errors
        scheduler = self.crawler.engine.scheduler if self.crawler.engine else None
        queued = len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0
        pages = stats.get("response_received_count", 0)
        elapsed = time.monotonic() - self.started
        rate = pages * 60 / max(elapsed, 1e-3) if final else (pages - self.pages_before) * 60 / self.interval
        self.pages_before = pages
        text = (f"{'Final' if final else 'Progress'}: {self.discovered:,} articles discovered, {queued:,} queued, "
                f"{done:,} done ({stats.get('item_scraped_count', 0):,} items), {errors:,} errors, "
                f"{rate:,.0f} pages/min")
        asked = self.days_asked(spider)
        if asked:
            read = len(self.days_read)
            text += f"; backfill: {read:,} of {asked:,} days read"
            if read and not final:
                left = elapsed / read * (asked - read)
                text += f", ETA {eta_text(left)}"
        return text

    @staticmethod
    def days_asked(spider: Spider) -> int:
        since = getattr(spider, "since", None)
        if not isinstance(since, date):
            return 0
        until = getattr(spider, "until", None)
        if until is None:
            from crawler.arguments import latest_day

            until = latest_day()
        return max(0, (until - since).days + 1)

    def check_only_errors(self, stats: dict[str, Any]) -> None:
        if not self.stop_after or self.stopping:
            return
        quiet = time.monotonic() - self.last_ok
        new_errors = error_total(stats) - self.errors_at_last_ok
        if quiet < self.stop_after or new_errors <= 0:
            return
        self.stopping = True
        logger.error("Stopping: no article was answered for %s while %d request(s) failed (%s). Finish "
                     "reason %s, exit status 1; TRIBUN_ONLY_ERRORS_STOP sets the limit.",
                     eta_text(quiet), new_errors, _kinds(stats), ONLY_ERRORS_REASON)
        self.crawler.stats.set_value("tribun/stopped/only_errors", 1)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=ONLY_ERRORS_REASON))


def _kinds(stats: dict[str, Any]) -> str:
    prefix = "tribun/errors/"
    kinds = sorted(((v, k[len(prefix):]) for k, v in stats.items()
                    if k.startswith(prefix) and k[len(prefix):] not in _AGGREGATES), reverse=True)
    return ", ".join(f"{kind} {count}" for count, kind in kinds[:3])
