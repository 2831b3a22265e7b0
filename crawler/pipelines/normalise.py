"""Turns a :class:`FetchedArticle` (raw page evidence) into an :class:`Article`.

A thin adapter around :func:`crawler.normalise.article.normalise_article`, which it runs in the crawl's
worker processes (crawler.extensions.workers).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem

from crawler.extensions.workers import pool_of
from crawler.items import FetchedArticle
from crawler.normalise.article import normalise_article
from crawler.workers import WorkerFailed, WorkerPool

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

__all__ = ["NormalisePipeline", "normalise_article"]


class NormalisePipeline:
    """Runs :func:`normalise_article` in the crawl's worker processes (crawler.extensions.workers)."""

    def __init__(self, crawler: Crawler, workers: WorkerPool):
        self.stats = crawler.stats
        self.workers = workers

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalisePipeline:
        return cls(crawler, pool_of(crawler))

    async def process_item(self, item: object) -> object:
        if not isinstance(item, FetchedArticle):
            return item
        if item.article is not None:  # normalised by the worker that parsed the page
            return item.article
        try:
            return await self.workers.run(normalise_article, item)
        except WorkerFailed as exc:
            self.stats.inc_value(f"tribun/dropped/{exc.kind}")
            logger.error("Article %s dropped: %s", item.url, exc)
            raise DropItem(f"{exc.kind}: {item.url}", log_level="DEBUG") from exc
