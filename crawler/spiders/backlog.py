"""Discovery requests handed to Scrapy only as its scheduler drains, so discovery never runs ahead of articles.

A sitemap index of 500 children, or a backfill over thirty years of days, would otherwise put every one of
its requests (and then every article URL they list) into the scheduler at once: memory grows with the size
of the site, and the first article waits until discovery is done. Instead the spider's ``start()`` ends by
draining a :class:`Backlog`: each request in it is released only when fewer than ``low_water`` requests wait
in the scheduler and the previous one released has been read (so at most one child sitemap's URLs are ever
queued at once, whatever CONCURRENT_REQUESTS is), and ``start()`` lasts while any discovery request that may
add to the backlog is still under way (the engine keeps the crawl open while ``start()`` is unfinished).

Every request counted as under way must end in exactly one :meth:`Backlog.done` (callback or errback), so
such requests are sent with ``dont_filter=True`` (a duplicate filter would drop them without either) and
the spider dedups them itself. A stall guard ends the wait if the books ever disagree with the engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING

from scrapy import signals

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

_RELEASED = "tribun_backlog_released"
# Seconds between checks while waiting (a missed scheduler_empty signal costs at most this).
_POLL = 0.5
# Seconds the engine may look idle, with discovery still counted as under way, before the wait ends.
_STALL = 15.0


class Backlog:
    def __init__(self, crawler: Crawler, low_water: int):
        self.crawler = crawler
        self.low_water = max(1, low_water)
        self._queue: deque[Request] = deque()
        self._under_way = 0
        self._released_under_way = 0  # released from the queue, not yet read
        self._changed = asyncio.Event()

    # --- books ------------------------------------------------------------------------------------

    def push(self, request: Request) -> None:
        """Queue a discovery request; it goes to the scheduler when there is room."""
        self._queue.append(request)
        self._changed.set()

    def started(self, request: Request) -> Request:
        """Count ``request`` as under way (it may push more); pair with :meth:`done`."""
        self._under_way += 1
        return request

    def done(self, request: Request) -> None:
        """``request`` (counted by :meth:`started`) has been read or has failed."""
        self._under_way = max(0, self._under_way - 1)
        if request.meta.get(_RELEASED):
            self._released_under_way = max(0, self._released_under_way - 1)
        self._changed.set()

    def __len__(self) -> int:
        return len(self._queue)

    # --- pacing -----------------------------------------------------------------------------------

    def _scheduler_waiting(self) -> int:
        stats = self.crawler.stats
        return (stats.get_value("scheduler/enqueued", 0) or 0) - (stats.get_value("scheduler/dequeued", 0) or 0)

    def has_room(self) -> bool:
        engine = self.crawler.engine
        return self._scheduler_waiting() < self.low_water and not (engine is not None and engine.needs_backout())

    def _can_release(self) -> bool:
        return not self._released_under_way and self.has_room()

    async def _wait(self, awaitable: object) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(awaitable, _POLL)  # type: ignore[arg-type]

    async def room(self) -> None:
        """Return once the scheduler has room for one more request."""
        while not self.has_room():
            await self._wait(self.crawler.signals.wait_for(signals.scheduler_empty))

    async def paced(self, requests: Iterable[Request]) -> AsyncIterator[Request]:
        """``requests`` one at a time, each once the scheduler has room."""
        for request in requests:
            await self.room()
            yield request

    def _engine_idle(self) -> bool:
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        return self._scheduler_waiting() <= 0 and not getattr(downloader, "active", True)

    async def drain(self) -> AsyncIterator[Request]:
        """Queued requests as room frees, until the queue is empty and no discovery is under way."""
        idle_since: float | None = None
        loop = asyncio.get_running_loop()
        while True:
            if self._queue and self._can_release():
                idle_since = None
                request = self._queue.popleft()
                request.meta[_RELEASED] = True
                self._released_under_way += 1
                yield self.started(request)
                continue
            if self._queue and not self._released_under_way:
                await self.room()
                continue
            if not self._under_way:
                return
            if self._engine_idle():
                idle_since = idle_since if idle_since is not None else loop.time()
                if loop.time() - idle_since > _STALL:
                    # The books lost a request (a bug, or a middleware that swallowed it): never hang the
                    # crawl on it, and never drop what is still queued.
                    logger.warning("Discovery: %d request(s) counted as under way but the crawl is idle; "
                                   "no longer waiting for them", self._under_way)
                    self._under_way = self._released_under_way = 0
                    idle_since = None
                    continue
            else:
                idle_since = None
            self._changed.clear()
            await self._wait(self._changed.wait())
