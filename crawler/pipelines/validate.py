"""Drops articles that lack what every consumer needs: a title, a body and a publication time.

Each drop is counted in stats as ``tribun/dropped/<reason>`` and logged once at WARNING with the URL;
the crawl goes on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem

from crawler.items import Article

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


def missing_field(article: Article) -> str | None:
    """The first required field that is empty, as a drop reason, or None."""
    if not article.title:
        return "no_title"
    if not article.body:
        return "no_body"
    if not article.published_at:
        return "no_published_at"
    return None


class ValidatePipeline:
    def __init__(self, stats: StatsCollector | None = None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler.stats)

    def process_item(self, item: object) -> object:
        if not isinstance(item, Article):
            return item
        reason = missing_field(item)
        if reason is None:
            return item
        if self.stats is not None:
            self.stats.inc_value(f"tribun/dropped/{reason}")
        raise DropItem(f"{reason.replace('_', ' ')}: {item.url}")
