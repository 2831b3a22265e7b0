"""Owns the crawl's worker processes (:class:`crawler.workers.WorkerPool`): started with the engine, stopped
after it, used by the spider: each page is parsed there, and an article normalised in the task that reads its
last page (crawler.article_flow).

``TRIBUN_WORKERS``: how many processes; unset means :func:`crawler.workers.default_workers` (one per core
the event loop leaves free), 0 means parse and normalise in the crawl's own thread.
``TRIBUN_WORKER_TIMEOUT``: seconds one page may take in a worker before the worker is killed and the page
dropped (0: no limit). Workers need the asyncio reactor (Scrapy's default, and this project's); with another
reactor they are off, said once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.utils.asyncio import is_asyncio_available

from crawler.workers import WorkerPool, default_workers

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class Workers:
    def __init__(self, crawler: Crawler, workers: int, timeout: float | None):
        self.crawler = crawler
        self.pool = WorkerPool(workers, timeout=timeout)
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Workers:
        setting = crawler.settings.get("TRIBUN_WORKERS")
        workers = default_workers() if setting in (None, "") else crawler.settings.getint("TRIBUN_WORKERS")
        timeout = crawler.settings.getfloat("TRIBUN_WORKER_TIMEOUT") or None
        return cls(crawler, workers, timeout)

    def engine_started(self) -> None:
        if not self.pool.in_process and not is_asyncio_available():
            logger.warning("TRIBUN_WORKERS=%d needs the asyncio reactor; parsing in the crawl's own thread",
                           self.pool.workers)
            self.pool.close()  # before any worker started: every task runs in place
        self.crawler.stats.set_value("tribun/workers", self.pool.workers)
        self.pool.start()

    def engine_stopped(self) -> None:
        self.pool.close()
        self.crawler.stats.set_value("tribun/workers/most_waiting", self.pool.most_waiting)
        if self.pool.restarts:
            self.crawler.stats.set_value("tribun/workers/restarts", self.pool.restarts)
        if self.pool.fell_back:
            self.crawler.stats.set_value("tribun/workers/fell_back", 1)


def pool_of(crawler: Crawler) -> WorkerPool:
    """The crawl's worker pool, or an in-place one when the extension is not enabled."""
    try:
        extension = crawler.get_extension(Workers)
    except RuntimeError:  # asked before the extensions exist
        extension = None
    return extension.pool if extension is not None else WorkerPool(0)
