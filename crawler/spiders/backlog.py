"""Discovery requests handed to Scrapy only as its scheduler drains, so discovery never runs ahead of articles.

A sitemap index of 500 children, or a backfill over thirty years of days, would otherwise put every one of
its requests (and then every article URL they list) into the scheduler at once: memory grows with the size
of the site, and the first article waits until discovery is done. Instead the spider's ``start()`` ends by
draining a :class:`Backlog`, which keeps one queue per host (portal) and releases a host's next request
only when

* that host's previous released request has been read (so one child sitemap's URLs at a time per portal),
* fewer than ``per_host`` of that host's requests wait in the scheduler (its articles are being fetched),
* fewer than ``total`` requests wait in the scheduler altogether (the memory bound).

Hosts are served round-robin, so one portal's long backlog never holds the others back. Waiting counts come
from signals: Scrapy's ``request_scheduled`` in; out, ``request_left_scheduler`` (sent by
crawler.middlewares.scheduler_exit, the first downloader middleware) or Scrapy's ``request_dropped``.
``start()`` lasts while any discovery request that may add to the backlog is under way (the engine keeps
the crawl open while ``start()`` is unfinished).

Every request counted as under way must end in exactly one :meth:`Backlog.done` (callback or errback), so
such requests are sent with ``dont_filter=True`` (a duplicate filter would drop them without either) and
the spider dedups them itself. A stall guard stops waiting if the books ever disagree with the engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter, deque
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.utils.httpobj import urlparse_cached

from crawler.middlewares.scheduler_exit import request_left_scheduler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

_RELEASED = "tribun_backlog_released"
# Seconds between checks while waiting (a missed signal costs at most this).
_POLL = 0.5
# Seconds the engine may look idle, with discovery still counted as under way, before the wait ends.
_STALL = 15.0


def _host(request: Request) -> str:
    return urlparse_cached(request).hostname or ""


class Backlog:
    def __init__(self, crawler: Crawler, per_host: int, total: int):
        self.crawler = crawler
        self.per_host = max(1, per_host)
        self.total = max(1, total)
        self._queues: dict[str, deque[Request]] = {}
        self._waiting: Counter[str] = Counter()  # requests in the scheduler, per host
        # id → host of each request in the scheduler: requests the engine downloads without scheduling them
        # (robots.txt) also pass the exit middleware and must not be subtracted.
        self._in_scheduler: dict[int, str] = {}
        self._released: set[str] = set()  # hosts whose released request is not read yet
        self._under_way = 0
        self._changed = asyncio.Event()
        crawler.signals.connect(self._scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self._left, signal=request_left_scheduler)
        crawler.signals.connect(self._left, signal=signals.request_dropped)

    # --- books ------------------------------------------------------------------------------------

    def _scheduled(self, request: Request) -> None:
        host = _host(request)
        self._in_scheduler[id(request)] = host
        self._waiting[host] += 1

    def _left(self, request: Request) -> None:
        host = self._in_scheduler.pop(id(request), None)
        if host is not None:
            self._waiting[host] -= 1
            self._changed.set()

    def push(self, request: Request) -> None:
        """Queue a discovery request; it goes to the scheduler when its host has room."""
        self._queues.setdefault(_host(request), deque()).append(request)
        self._changed.set()

    def started(self, request: Request) -> Request:
        """Count ``request`` as under way (it may push more); pair with :meth:`done`."""
        self._under_way += 1
        return request

    def done(self, request: Request) -> None:
        """``request`` (counted by :meth:`started`) has been read or has failed."""
        self._under_way = max(0, self._under_way - 1)
        if request.meta.get(_RELEASED):
            self._released.discard(_host(request))
        self._changed.set()

    def __len__(self) -> int:
        return sum(len(q) for q in self._queues.values())

    # --- pacing -----------------------------------------------------------------------------------

    def has_room(self, host: str) -> bool:
        return self._waiting[host] < self.per_host and sum(self._waiting.values()) < self.total

    async def _wait_for_change(self) -> None:
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), _POLL)

    async def paced(self, requests: Iterable[Request]) -> AsyncIterator[Request]:
        """``requests`` one at a time, each once its host has room in the scheduler."""
        for request in requests:
            while not self.has_room(_host(request)):
                await self._wait_for_change()
            yield request

    def _next_releasable(self) -> Request | None:
        for host, queue in self._queues.items():
            if queue and host not in self._released and self.has_room(host):
                request = queue.popleft()
                # Round-robin: this host goes to the back of the line.
                del self._queues[host]
                if queue:
                    self._queues[host] = queue
                return request
        return None

    def _engine_idle(self) -> bool:
        # From the engine's own figures, not the books above: this is the guard against the books being wrong.
        stats = self.crawler.stats
        waiting = (stats.get_value("scheduler/enqueued", 0) or 0) - (stats.get_value("scheduler/dequeued", 0) or 0)
        downloader = getattr(self.crawler.engine, "downloader", None)
        return waiting <= 0 and not getattr(downloader, "active", True)

    async def drain(self) -> AsyncIterator[Request]:
        """Queued requests as room frees, until every queue is empty and no discovery is under way."""
        idle_since: float | None = None
        loop = asyncio.get_running_loop()
        while True:
            request = self._next_releasable()
            if request is not None:
                idle_since = None
                request.meta[_RELEASED] = True
                self._released.add(_host(request))
                yield self.started(request)
                continue
            if not self._under_way and not len(self):
                return
            if self._engine_idle():
                idle_since = idle_since if idle_since is not None else loop.time()
                if loop.time() - idle_since > _STALL:
                    # The books lost a request (a bug, or a middleware that swallowed it): never hang the
                    # crawl on it, and never drop what is still queued.
                    logger.warning("Discovery: %d request(s) counted as under way but the crawl is idle; "
                                   "no longer waiting for them", self._under_way)
                    self._under_way = 0
                    self._released.clear()
                    self._waiting.clear()
                    self._in_scheduler.clear()
                    idle_since = None
                    continue
            else:
                idle_since = None
            await self._wait_for_change()
