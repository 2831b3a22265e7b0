"""Skips article requests that an earlier run already emitted (cross-run dedup at the request level).

Every article request carries the article's state in ``meta["tribun"]`` (:class:`~crawler.article_flow.ArticleState`,
whose ``url`` is the canonical URL).
This middleware looks that URL up in the state store before anything is downloaded (it sits at the top of
the downloader middleware stack, ahead of robots.txt and the download slots) and either

* lets it through: never emitted, ``-a fresh=1``, or ``-a updates=1`` and the sitemap ``lastmod`` is newer
  than what was stored (then the state's ``is_update`` is True, which the spider copies into the item); or
* raises ``IgnoreRequest`` (stat ``tribun/dedup/skipped_seen``); the URL's ``last_seen`` moves on at commit.

The decision is written into the state's ``is_update`` (None until then); requests whose state already carries it
(later pages, retries, the page-by-page fallback of the same article) pass without a second lookup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.article_flow import META_KEY
from crawler.extensions.state import StateExtension
from crawler.portals import WIB
from crawler.state import to_epoch
from crawler.urls import canonical_url, portal_of

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler


class SeenRequestsMiddleware:
    def __init__(self, crawler: Crawler, state: StateExtension):
        self.crawler = crawler
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeenRequestsMiddleware:
        state = crawler.get_extension(StateExtension)
        if state is None:
            raise NotConfigured("needs crawler.extensions.state.StateExtension in EXTENSIONS")
        return cls(crawler, state)

    async def process_request(self, request: Request) -> None:
        # async so it runs in Scrapy's coroutine path; the lookup itself is one primary-key probe in a
        # local SQLite file (microseconds), cheaper than handing it to a thread.
        article = request.meta.get(META_KEY)
        if article is None or article.is_update is not None:
            return
        article.is_update = False
        url = canonical_url(article.url)
        portal = portal_of(url)
        lastmod = to_epoch((article.discovered or {}).get("lastmod"), portal.tz if portal else WIB)
        spider = self.crawler.spider
        store = self.state.store
        stored = None if getattr(spider, "fresh", False) or store is None else store.get(url)
        if stored is not None:
            known = stored.modified_at or stored.published_at or 0
            if not (getattr(spider, "updates", False) and stored.duplicate_of is None
                    and lastmod is not None and lastmod > known):
                self.state.touch(url)
                self.crawler.stats.inc_value("tribun/dedup/skipped_seen")
                raise IgnoreRequest(f"already emitted or recorded as a duplicate by an earlier run: {url}")
            article.is_update = True
            self.crawler.stats.inc_value("tribun/dedup/update_fetches")
        if lastmod is not None:
            self.state.lastmods[url] = lastmod
