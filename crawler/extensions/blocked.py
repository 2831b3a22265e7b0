"""Tells a run the site refused from a run that failed: a crawl answered mostly with HTTP 403 is *blocked*.

The network's CDN (CloudFront) answers 403 to User-Agents it takes for bots, on every path. One refused
article is an ordinary ``http_403`` error; a run whose article and discovery requests are refused in the
main is something else: retrying later will not help, changing the User-Agent will. At spider close this
extension sets ``tribun/errors/blocked`` and logs one ERROR line naming the User-Agent and the share
refused; ``scrapy crawl`` then exits with ``ExitCode.BLOCKED`` (crawler/commands/crawl.py). A run that
is refused on every one of its first ``TRIBUN_BLOCKED_STOP_AFTER`` answers stops there (finish reason
``blocked``) rather than send thousands more requests that will be refused too.

Only the spider's own requests count: Scrapy's robots.txt fetches are left out.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

BLOCKED_REASON = "blocked"


def is_cdn_refusal(response: Response) -> bool:
    """A 403 that the CDN itself wrote (its error page), not one from the site's own pages."""
    if response.status != 403:
        return False
    headers = response.headers
    server = (headers.get(b"Server") or b"").lower()
    cache = (headers.get(b"X-Cache") or b"").lower()
    return server == b"cloudfront" or cache.startswith(b"error from cloudfront")


class BlockDetector:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.share = settings.getfloat("TRIBUN_BLOCKED_SHARE")
        self.minimum = settings.getint("TRIBUN_BLOCKED_MIN")
        self.stop_after = settings.getint("TRIBUN_BLOCKED_STOP_AFTER")
        self.answered = 0
        self.refused = 0
        self.cdn_refused = 0
        self.user_agent: str | None = None
        self._stopping = False
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BlockDetector:
        return cls(crawler)

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        if request.meta.get("dont_obey_robotstxt"):  # RobotsTxtMiddleware's own fetch
            return
        self.answered += 1
        if response.status == 403:
            self.refused += 1
            self.stats.inc_value("tribun/responses/refused")
            if is_cdn_refusal(response):
                self.cdn_refused += 1
                self.stats.inc_value("tribun/responses/cdn_refused")
            if self.user_agent is None:
                self.user_agent = (request.headers.get(b"User-Agent") or b"").decode("latin-1")
        if (self.stop_after and not self._stopping and self.answered >= self.stop_after
                and self.refused == self.answered):
            self._stopping = True
            logger.error("Every one of the first %d answers was HTTP 403: stopping the crawl", self.answered)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=BLOCKED_REASON))

    def is_blocked(self) -> bool:
        return self.refused >= self.minimum and self.refused >= self.share * self.answered

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if reason != BLOCKED_REASON and not self.is_blocked():
            return
        self.stats.set_value("tribun/errors/blocked", self.refused)
        cdn = (f"{self.cdn_refused} of them CloudFront's own error page" if self.cdn_refused
               else "none of them marked as the CDN's")
        logger.error(
            "Blocked: the site refused %d of %d requests (%.0f %%) with HTTP 403 (%s) for the User-Agent %r. "
            "The network's CDN refuses User-Agents that are not browser-class: keep the default USER_AGENT or "
            "give a browser-class one with -s USER_AGENT=... (README, Politeness). Retrying as it is will not help.",
            self.refused, self.answered, 100 * self.refused / self.answered, cdn, self.user_agent)
