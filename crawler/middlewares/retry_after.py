"""Retries that wait: ``Retry-After`` on 429/503 is honoured, other transient errors back off.

Scrapy's RetryMiddleware re-schedules a failed request at once; only DOWNLOAD_DELAY/AutoThrottle
slow it down, and neither reads ``Retry-After``. This subclass decides *whether* to retry exactly as
Scrapy does (RETRY_TIMES, RETRY_HTTP_CODES, RETRY_EXCEPTIONS, ``dont_retry``) and adds *when*:

* a 429 or 503 with ``Retry-After`` (seconds or an HTTP date): that long, capped at
  ``TRIBUN_RETRY_AFTER_MAX`` seconds (a server asking for an hour must not stall a cron run);
* any other retry: exponential backoff, ``TRIBUN_RETRY_BACKOFF`` × 2^(attempt-1) seconds, capped at
  ``TRIBUN_RETRY_BACKOFF_MAX`` (0 turns backoff off).

The wait pauses the download slot of the failing host (the server said *it* is overloaded), not
the crawl: nothing sleeps in a coroutine holding one of the CONCURRENT_REQUESTS places, and other
hosts' slots go on downloading. The retry itself goes back through the scheduler and waits in that
slot's queue until the pause ends.
"""

from __future__ import annotations

import email.utils
import logging
from datetime import UTC, datetime
from time import monotonic
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.asyncio import call_later

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

RETRY_AFTER_STATUSES = frozenset({429, 503})


def parse_retry_after(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP-date), or None if unusable."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # HTTP dates are GMT; parsedate gives naive for "-0000"
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("TRIBUN_RETRY_AFTER_MAX", 120.0)
        self.backoff = settings.getfloat("TRIBUN_RETRY_BACKOFF", 1.0)
        self.backoff_max = settings.getfloat("TRIBUN_RETRY_BACKOFF_MAX", 30.0)
        self._paused_until: dict[str, float] = {}
        self._warned_internals = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        mw = cls(crawler.settings)
        mw.crawler = crawler
        return mw

    def backoff_delay(self, attempt: int) -> float:
        """Seconds before retry number ``attempt`` (1 for the first retry)."""
        if self.backoff <= 0:
            return 0.0
        return min(self.backoff * 2 ** max(attempt - 1, 0), self.backoff_max)

    def retry_delay(self, retry: Request, response: Response | None) -> tuple[float, str]:
        """How long ``retry`` should wait, and why (for the log)."""
        attempt = retry.meta.get("retry_times", 1)
        delay = self.backoff_delay(attempt)
        if response is not None and response.status in RETRY_AFTER_STATUSES:
            asked = parse_retry_after(response.headers.get(b"Retry-After"))
            if asked is not None:
                self.crawler.stats.inc_value("tribun/retry/retry_after")
                if asked > self.retry_after_max:
                    logger.info("%s asked to retry after %.0f s; waiting TRIBUN_RETRY_AFTER_MAX=%.0f s",
                                response.url, asked, self.retry_after_max)
                return max(delay, min(asked, self.retry_after_max)), f"Retry-After {asked:.0f} s"
        return delay, f"backoff, attempt {attempt}"

    def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            self._wait_before(result, request, *self.retry_delay(result, response))
        return result

    def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            self._wait_before(result, request, *self.retry_delay(result, None))
        return result

    def _wait_before(self, retry: Request, failed: Request, delay: float, why: str) -> None:
        if delay <= 0:
            return
        key = failed.meta.get("download_slot")
        if key is None:
            return  # failed before reaching a slot (nothing was sent): nothing to slow down
        self.crawler.stats.inc_value("tribun/retry/paused")
        self.pause_slot(key, delay)
        logger.debug("Retrying %s in %.1f s (%s); downloads from %s paused", failed.url, delay, why, key)

    def pause_slot(self, key: str, delay: float) -> None:
        """Hold the download slot ``key`` for ``delay`` seconds; other slots are not touched.

        Uses the downloader's slot hook (``Slot.latercall``, what DOWNLOAD_DELAY uses between two
        requests): while it is set the slot starts no download. A longer pause already running wins.
        """
        until = monotonic() + delay
        if until <= self._paused_until.get(key, 0.0):
            return
        downloader = getattr(self.crawler.engine, "downloader", None)
        slot = getattr(downloader, "slots", {}).get(key)
        resume = getattr(downloader, "_latercall", None)
        if slot is None or resume is None or not hasattr(slot, "latercall"):
            if not self._warned_internals:  # a Scrapy upgrade changed the downloader: retry without waiting
                self._warned_internals = True
                logger.warning("Cannot pause download slots in this Scrapy version; retries will not wait")
            return
        self._paused_until[key] = until
        if slot.latercall is not None:
            slot.latercall.cancel()
        slot.latercall = call_later(delay, resume, slot)
