"""Scrapy's log lines, minus the cost of the two DEBUG lines per page and per item when they are not shown.

``Crawled (200) <GET …>`` and ``Scraped from <200 …>`` are built (message, request repr, referer, a log record
through every logger and handler) for every page and every item even when ``LOG_LEVEL`` is INFO, where Scrapy's
handler then drops them: about 3 % of the crawl's thread at a few hundred pages a second. Scrapy lets a log
formatter return None to log nothing; this one does so for those two lines when ``LOG_LEVEL`` is above DEBUG
(or logging is off), and is Scrapy's own otherwise.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import logformatter

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from twisted.python.failure import Failure


def shows_debug(level: Any, enabled: bool = True) -> bool:
    """Whether a ``LOG_LEVEL`` setting (a name such as ``"INFO"`` or a number) lets DEBUG lines through."""
    if not enabled:
        return False
    numeric = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
    return not isinstance(numeric, int) or numeric <= logging.DEBUG


class LogFormatter(logformatter.LogFormatter):
    def __init__(self, debug: bool = True):
        super().__init__()
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(shows_debug(settings.get("LOG_LEVEL"), settings.getbool("LOG_ENABLED", True)))

    def crawled(self, request: Request, response: Response, spider: Spider) -> Any:
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(self, item: Any, response: Response | Failure | None, spider: Spider) -> Any:
        return super().scraped(item, response, spider) if self.debug else None
