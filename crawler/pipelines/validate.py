"""Drops articles that lack what every consumer needs: a title, a body and a publication time, and, in a
backfill (``-a since/until``), articles published outside the window asked for.

Discovery keeps the window where the URL or the listing shows a date; numeric-id URLs and listings that
ignore their ``?date=`` can still bring an article from another day, and only its page says so.

Each drop is counted in stats as ``tribun/dropped/<reason>`` and logged once at WARNING with the URL;
the crawl goes on.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

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


def outside_window(article: Article, since: date | None, until: date | None) -> bool:
    """True when the article's publication day (in its portal's zone, as written) is outside since…until."""
    if since is None or not article.published_at:
        return False
    day = date.fromisoformat(article.published_at[:10])
    return day < since or (until is not None and day > until)


class ValidatePipeline:
    def __init__(self, stats: StatsCollector | None = None, crawler: Crawler | None = None):
        self.stats = stats
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler.stats, crawler)

    def _window(self) -> tuple[date | None, date | None]:
        spider: Any = getattr(self.crawler, "spider", None)
        return getattr(spider, "since", None), getattr(spider, "until", None)

    def process_item(self, item: object) -> object:
        if not isinstance(item, Article):
            return item
        reason = missing_field(item)
        if reason is None and outside_window(item, *self._window()):
            reason = "outside_window"
        if reason is None:
            return item
        if self.stats is not None:
            self.stats.inc_value(f"tribun/dropped/{reason}")
        detail = f" (published {item.published_at})" if reason == "outside_window" else ""
        raise DropItem(f"{reason.replace('_', ' ')}{detail}: {item.url}")
