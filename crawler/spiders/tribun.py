"""The ``tribun`` spider: decides what to fetch on the Tribun network, and nothing else.

Modes (spider arguments, ``-a name=value``):

* latest (default): each portal's ``robots.txt`` ``Sitemap:`` lines, ``/sitemap.xml`` and ``/rss``;
* backfill: ``since=YYYY-MM-DD`` [``until=YYYY-MM-DD``] walks the dated ``index-news`` listings;
* given URLs: ``urls=URL[,URL…]`` or ``urls_file=PATH`` (one URL a line, ``#`` comments).

``portals=bangka,solo`` limits any mode to those portals (default: all). Parsing lives in
``crawler.parsers``; normalisation in the item pipelines.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import portals as registry
from crawler import urls
from crawler.arguments import SpiderArgumentError as SpiderArgumentError  # raised by __init__; crawl.py maps it to 2
from crawler.arguments import check_settings, check_spider_arguments, latest_day, mirror_portals
from crawler.article_flow import META_KEY, ArticleState
from crawler.downloaders.replay import NOT_ARCHIVED
from crawler.extensions.blocked import is_cdn_refusal
from crawler.extensions.workers import pool_of
from crawler.items import Article
from crawler.nodes import seeds_discovery
from crawler.normalise.article import normalise_article
from crawler.normalise.dates import parse_date
from crawler.parsers import listings
from crawler.parsers.base import NotAnArticle
from crawler.spiders.backlog import Backlog
from crawler.workers import WorkerFailed, WorkerPool, read_article_page

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

def error_kind(failure: Failure) -> str:
    """A short, stable name for a download failure, used in stats keys and log lines.

    Scrapy 2.13+ wraps Twisted's errors (DownloadTimeoutError, DownloadFailedError, …); both spellings
    are mapped. A plain IgnoreRequest (a skip decided by a middleware, e.g. cross-run dedup) is
    ``ignored`` and stays silent; the refusals users need to see get their own kind.
    """
    exc = failure.value
    if failure.check(HttpError):
        return f"http_{exc.response.status}"
    name = type(exc).__name__
    text = str(exc)
    if name == "IgnoreRequest":
        if text.startswith("Forbidden by robots.txt"):
            return "robots_forbidden"
        if "max redirections" in text:
            return "too_many_redirects"
        if "DOWNLOAD_MAXSIZE" in text:  # HttpCompressionMiddleware: the body grew past it when unpacked
            return "too_large"
        return "ignored"
    if name == "DownloadCancelledError":
        # Scrapy's HTTP handler cancels a download only past DOWNLOAD_MAXSIZE (announced or received);
        # its timeout cancel is re-raised as DownloadTimeoutError.
        return "too_large"
    # A Content-Encoding body that does not unpack (gzip.BadGzipFile, zlib/brotli ``error``, EOFError).
    if name in {"BadGzipFile", "error", "EOFError"}:
        return "bad_encoding"
    return {
        "OffNetworkRequest": "offsite",
        "RedirectLoop": "redirect_loop",
        "DownloadTimeoutError": "timeout",
        "TimeoutError": "timeout",
        "TCPTimedOutError": "timeout",
        "CannotResolveHostError": "dns",
        "DNSLookupError": "dns",
        "DownloadConnectionRefusedError": "connection_refused",
        "ConnectionRefusedError": "connection_refused",
        "DownloadFailedError": "connection_lost",
        "ConnectionLost": "connection_lost",
        "ConnectionDone": "connection_lost",
        "ResponseNeverReceived": "connection_lost",
        "ResponseFailed": "connection_lost",
        "ResponseDataLossError": "data_loss",
    }.get(name, name.lower())


class TribunSpider(scrapy.Spider):
    name = "tribun"
    allowed_domains = registry.network_hosts()

    check_arguments = staticmethod(check_spider_arguments)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        check_settings(crawler.settings)
        spider = super().from_crawler(crawler, *args, **kwargs)
        mirror = crawler.settings.get("TRIBUN_MIRROR")
        held = mirror_portals(mirror) if mirror and not kwargs.get("portals") and not spider.given_urls else []
        if held:
            spider.portals = held
            spider._hosts = {h for p in spider.portals for h in (p.host, *p.aliases)}
            logger.info("Mirror %s holds %d portal(s): %s (-a portals=… chooses others)", mirror,
                        len(spider.portals), ", ".join(p.key for p in spider.portals))
        return spider

    def __init__(self, **kwargs: Any):
        # Every -a name is checked here (crawler.arguments), none is set as an attribute: Scrapy's default
        # would let `-a _tribun_run_id=…` or `-a name=…` rewrite the spider's internals.
        args = check_spider_arguments(kwargs)
        super().__init__()
        self.portals = args.portals
        self.since = args.since
        self.until = args.until
        self.updates = args.updates
        self.fresh = args.fresh
        for url in args.skipped_urls:
            logger.warning("Skipping %s: not an article URL (tag, topic, section or listing page)", url)
        self.given_urls = args.given_urls
        self._hosts = {h for p in self.portals for h in (p.host, *p.aliases)}
        self._workers: WorkerPool | None = None
        self._sitemaps_seen: set[str] = set()
        # Canonical URLs of the articles requested in this run (see article_request).
        self._articles: set[str] = set()
        # Backfill listings: article URLs seen per (portal, day) walk; page-1 signatures per portal, to
        # notice a site that ignores ?date=; portals walked undated instead.
        self._listing_seen: dict[tuple[str, date | None], set[str]] = {}
        self._first_pages: dict[str, dict[int, date]] = {}
        self._undated: set[str] = set()

    @property
    def workers(self) -> WorkerPool:
        """The crawl's worker processes (crawler.extensions.workers), looked up once."""
        if self._workers is None:
            self._workers = pool_of(self.crawler)
        return self._workers

    @property
    def mode(self) -> str:
        if self.given_urls:
            return "urls"
        return "backfill" if self.since else "latest"

    # --- start ----------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        logger.info("Crawl mode %s over %d portal(s)", self.mode, len(self.portals))
        self.backlog = Backlog(self.crawler, per_host=2 * self.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                               total=self.settings.getint("TRIBUN_DISCOVERY_HIGH_WATER"))
        if not seeds_discovery(self.crawler):
            return  # a distributed crawl's node that joined a round: the node that created it discovers
        if self.given_urls:
            for url in self.given_urls:
                request = self.article_request(url, {"via": "argument"})
                if request is not None:
                    yield request
            return
        if self.since:
            async for request in self.backlog.paced(self._backfill_listings()):
                yield request
        else:
            for portal in self.portals:
                base = portal.base_url
                yield self._discovery(f"{base}/robots.txt", self.parse_robots)
                sitemap = self._sitemap_request(f"{base}/sitemap.xml")
                if sitemap is not None:
                    yield sitemap
                yield self._discovery(f"{base}/rss", self.parse_rss)
        # Sitemap-index children and undated listing walks: released as the scheduler drains.
        async for request in self.backlog.drain():
            yield request

    def _backfill_listings(self) -> Iterator[scrapy.Request]:
        until = self.until or latest_day()
        day = until
        # Newest first: a backfill interrupted half-way has the most recent days.
        while day >= self.since:
            for portal in self.portals:
                if portal.key not in self._undated:  # that portal's listing ignores ?date=: walked once instead
                    yield self.backlog.started(self.listing_request(portal, day, 1))
            day -= timedelta(days=1)

    # --- discovery ------------------------------------------------------------------------------

    def _discovery(self, url: str, callback: Any, **cb_kwargs: Any) -> scrapy.Request:
        """A discovery request counted as under way until its callback or errback ends (crawler.spiders.backlog).

        ``dont_filter``: Scrapy's duplicate filter would drop a repeat without calling either; repeats are
        kept out by the spider's own books instead.
        """
        return self.backlog.started(scrapy.Request(url, callback=callback, errback=self.discovery_error,
                                                   cb_kwargs=cb_kwargs, dont_filter=True))

    def _sitemap_request(self, url: str, lazy: bool = False) -> scrapy.Request | None:
        """A request for a sitemap not asked for yet in this run (robots.txt and indexes repeat them)."""
        key = urls.canonical_url(url)
        if key in self._sitemaps_seen:
            return None
        self._sitemaps_seen.add(key)
        request = scrapy.Request(url, callback=self.parse_sitemap, errback=self.discovery_error, dont_filter=True)
        if lazy:
            self.backlog.push(request)
            return None
        return self.backlog.started(request)

    def _wanted(self, url: str) -> bool:
        """An article URL on one of the selected portals."""
        if not urls.is_article_url(url):
            return False
        portal = urls.portal_of(url)
        return portal is not None and portal in self.portals

    def parse_robots(self, response: Response) -> Iterable[scrapy.Request]:
        try:
            for sitemap in listings.sitemap_lines(response.text):
                if urls.portal_of(sitemap) in self.portals:
                    request = self._sitemap_request(sitemap)
                    if request is not None:
                        yield request
        finally:
            self.backlog.done(response.request)

    def parse_sitemap(self, response: Response) -> Iterable[scrapy.Request]:
        """Article requests as the sitemap's ``<url>`` elements are parsed (no tree of the document is kept).

        At most TRIBUN_DISCOVERY_HIGH_WATER article requests per pass: Scrapy schedules whatever a callback
        yields at once, and a callback cannot wait for the scheduler to drain (while a response larger than
        SCRAPER_SLOT_MAX_ACTIVE_SIZE is in its callback, the engine takes nothing out of the scheduler). A
        longer document is read again for its next batch, queued in the discovery backlog like a sitemap-index
        child (released as that portal's queue drains); that pass skips the entries read before
        (``meta["tribun_sitemap_read"]``).
        """
        stats = self.crawler.stats
        cap = self.settings.getint("TRIBUN_SITEMAP_MAX_URLS")
        batch = max(1, self.settings.getint("TRIBUN_DISCOVERY_HIGH_WATER"))
        max_size = int(response.meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE")))
        skip = int(response.meta.get("tribun_sitemap_read", 0))
        stream = listings.SitemapStream(response.body, max_urls=cap, max_size=max_size)
        children: list[str] = []
        read = requested = 0
        more = False
        try:
            for found in stream:
                read += 1
                if read <= skip:
                    continue
                if isinstance(found, str):
                    children.append(found)
                elif self._wanted(found.url):
                    if requested >= batch:
                        more = True
                        break
                    request = self.article_request(found.url, {
                        "via": "sitemap", "lastmod": found.lastmod,
                        "publication_date": found.publication_date, "title": found.title,
                    })
                    if request is not None:
                        requested += 1
                        yield request
                else:
                    stats.inc_value("tribun/discovery/skipped_non_article")
        except listings.SitemapTooLarge:
            stats.inc_value("tribun/errors/too_large")
            stats.inc_value("tribun/errors/discovery")
            logger.warning("Sitemap %s unpacks to more than DOWNLOAD_MAXSIZE (%d bytes): read only its first %d "
                           "URL(s)", response.url, max_size, stream.count)
        finally:
            try:
                if more:
                    stats.inc_value("tribun/discovery/sitemap_batches")
                    self.backlog.push(response.request.replace(meta={"tribun_sitemap_read": read - 1}))
                if not skip:
                    stats.inc_value("tribun/discovery/sitemaps")
                if stream.capped:
                    stats.inc_value("tribun/discovery/sitemap_capped")
                    logger.warning("Sitemap %s lists more than %d URLs: read the first %d (TRIBUN_SITEMAP_MAX_URLS), "
                                   "the rest is not used", response.url, cap, cap)
                for child in self._chosen_children(children, response.url):
                    self._sitemap_request(child, lazy=True)
            finally:
                self.backlog.done(response.request)

    def _chosen_children(self, children: list[str], index_url: str) -> list[str]:
        """The children of a sitemap index worth reading for the latest articles.

        Per folder (a section on www), its ``-news`` file when it has one, else its ``-web`` file: a news
        sitemap lists the same recent articles with their publication time and title, a web sitemap lists
        more and older ones. ``-images`` files list the same pages again for their pictures; they are read
        only when the index offers nothing else. Other names (dated or numbered files) are all read.
        """
        ours = [c for c in children if urls.portal_of(c) in self.portals]
        by_kind: dict[str, list[str]] = {"news": [], "web": [], "images": [], "other": []}
        for child in ours:
            by_kind[listings.sitemap_kind(child)].append(child)
        folders_with_news = {c.rsplit("/", 1)[0] for c in by_kind["news"]}
        web = [c for c in by_kind["web"] if c.rsplit("/", 1)[0] not in folders_with_news]
        chosen = by_kind["news"] + web + by_kind["other"]
        stats = self.crawler.stats
        if len(web) < len(by_kind["web"]):
            stats.inc_value("tribun/discovery/sitemaps_skipped/web", len(by_kind["web"]) - len(web))
        if chosen:
            if by_kind["images"]:
                stats.inc_value("tribun/discovery/sitemaps_skipped/images", len(by_kind["images"]))
            return chosen
        if by_kind["images"]:
            logger.info("Sitemap index %s lists only image sitemaps; reading them", index_url)
        return by_kind["images"]

    def parse_rss(self, response: Response) -> Iterable[scrapy.Request]:
        try:
            entries = listings.parse_rss(response.body)
            wanted = [e for e in entries if self._wanted(e.url)]
            if entries and not wanted and all(not urls.is_article_url(e.url) for e in entries):
                # Reported live in 2026: www's feed links every item to the home page.
                self.crawler.stats.inc_value("tribun/discovery/feed_useless")
                logger.warning("Feed %s is useless for discovery: every item links to a non-article page "
                               "(%d distinct link(s), e.g. %s); not used", response.url, len(entries), entries[0].url)
                return
            self.crawler.stats.inc_value("tribun/discovery/feeds")
            self.crawler.stats.inc_value("tribun/discovery/skipped_non_article", len(entries) - len(wanted))
            for entry in wanted:
                request = self.article_request(entry.url, {"via": "rss", "publication_date": entry.published,
                                                           "title": entry.title})
                if request is not None:
                    yield request
        finally:
            self.backlog.done(response.request)

    def listing_request(self, portal: registry.Portal, day: date | None, page: int) -> scrapy.Request:
        """Page ``page`` of the portal's ``index-news`` listing for ``day``; for None, the undated listing
        (newest first), walked when the site ignores ``?date=``."""
        if day is None:
            url = f"{portal.base_url}/index-news?page={page}"
        else:
            url = f"{portal.index_news_url}?date={day.year}-{day.month}-{day.day}"
            if page > 1:
                url += f"&page={page}"
        return scrapy.Request(url, callback=self.parse_listing, errback=self.discovery_error, dont_filter=True,
                              cb_kwargs={"portal": portal, "day": day, "page": page})

    def _entry_day(self, entry: listings.ListingEntry, portal: registry.Portal) -> date | None:
        """The day of a listed article: from its URL, else from the listing's time text, else None."""
        day = urls.date_from_url(entry.url)
        if day is None and entry.time_text:
            when = parse_date(entry.time_text, portal.tz)
            day = when.date() if when is not None else None
        return day

    def parse_listing(self, response: Response, portal: registry.Portal, day: date | None,
                      page: int) -> Iterable[scrapy.Request]:
        try:
            yield from self._read_listing(response, portal, day, page)
        finally:
            self.backlog.done(response.request)

    def _read_listing(self, response: Response, portal: registry.Portal, day: date | None,
                      page: int) -> Iterable[scrapy.Request]:
        stats = self.crawler.stats
        stats.inc_value("tribun/discovery/listing_pages")
        listing = listings.parse_index_news(response.text, response.url)
        entries = [e for e in listing.entries if self._wanted(e.url)]
        if day is not None and page == 1 and self._date_ignored(portal, day, entries):
            return
        seen = self._listing_seen.setdefault((portal.key, day), set())
        new = [e for e in entries if e.url not in seen]
        seen.update(e.url for e in new)
        until = self.until or latest_day()
        days: list[date] = []
        for entry in new:
            entry_day = self._entry_day(entry, portal)
            if entry_day is not None:
                days.append(entry_day)
                # A listing may carry neighbours of its day (late updates); keep the window strict.
                if not (self.since <= entry_day <= until):
                    stats.inc_value("tribun/discovery/outside_window")
                    continue
            request = self.article_request(entry.url, {"via": "index-news", "listing_time": entry.time_text})
            if request is not None:
                yield request
        if not new:
            if entries and page > 1:
                # Page 11 onward repeats page 10 on the live site: the listing has nothing further.
                stats.inc_value("tribun/discovery/listing_repeated")
                logger.info("Listing %s (page %d) brings no new article: end of that listing", response.url, page)
            if day is None:
                self._undated_walk_ended(portal, page, reached=False)
            return
        if day is None and days and max(days) < self.since:
            self._undated_walk_ended(portal, page, reached=True)
            return
        if day is None or listing.next_url:
            if page < self.settings.getint("TRIBUN_MAX_LISTING_PAGES"):
                yield self.backlog.started(self.listing_request(portal, day, page + 1))
            else:
                logger.warning("Stopped listing %s at page %d (TRIBUN_MAX_LISTING_PAGES)", response.url, page)
                if day is None:
                    self._undated_walk_ended(portal, page, reached=False)

    def _date_ignored(self, portal: registry.Portal, day: date, entries: list[listings.ListingEntry]) -> bool:
        """True once two days' listings of a portal are the same: the site ignores ``?date=`` there. The
        portal's backfill then walks its undated listing back in time instead (once); this day is done."""
        if portal.key in self._undated:
            return True
        if not entries:
            return False
        signature = hash(tuple(sorted(e.url for e in entries)))
        first_pages = self._first_pages.setdefault(portal.key, {})
        other = first_pages.get(signature)
        first_pages.setdefault(signature, day)
        if other is None or other == day:
            return False
        self._undated.add(portal.key)
        self.crawler.stats.inc_value("tribun/discovery/date_ignored")
        logger.warning("%s ignores ?date= (the listings of %s and %s are the same): walking its /index-news "
                       "pages back in time until before %s instead", portal.index_news_url, other, day, self.since)
        self.backlog.push(self.listing_request(portal, None, 1))
        return True

    def _undated_walk_ended(self, portal: registry.Portal, page: int, reached: bool) -> None:
        if reached:
            logger.info("Undated listing of %s walked back past %s in %d page(s)", portal.key, self.since, page)
            return
        self.crawler.stats.inc_value("tribun/discovery/listing_capped")
        logger.warning("The undated listing of %s ends at page %d before reaching %s: older days of the window "
                       "cannot be found this way (it serves only its newest pages)", portal.key, page, self.since)

    def discovery_error(self, failure: Failure) -> None:
        self.backlog.done(failure.request)
        kind = error_kind(failure)
        self.crawler.stats.inc_value(f"tribun/errors/{kind}")
        self.crawler.stats.inc_value("tribun/errors/discovery")
        logger.warning("Discovery request failed (%s): %s", kind, failure.request.url)

    # --- articles -------------------------------------------------------------------------------

    def article_request(self, url: str, discovered: dict[str, Any]) -> scrapy.Request | None:
        """The first request for an article: its whole-article view ``?page=all``; None for an article already
        requested in this run (sitemaps, feeds and listings name the same articles).

        Every request of an article is sent with ``dont_filter``: Scrapy's duplicate filter drops a request
        without calling its callback or errback, so an article whose redirect, page or fallback request
        matched a URL seen earlier (a redirect chain passes through the page-1 URL that the fallback asks for
        again) would vanish without an error. The spider keeps one request chain per article instead.
        """
        canonical = urls.canonical_url(url)
        if canonical in self._articles:
            self.crawler.stats.inc_value("tribun/discovery/duplicate")
            return None
        self._articles.add(canonical)
        return self._article_page_request(ArticleState(url=canonical, discovered=discovered))

    def _article_page_request(self, state: ArticleState) -> scrapy.Request:
        """The request for the page ``state`` asks for (``dont_filter``: one chain per article, see
        :meth:`article_request`)."""
        return scrapy.Request(urls.page_url(state.url, state.page), callback=self.parse_article,
                              errback=self.article_error, meta={META_KEY: state}, dont_filter=True)

    async def parse(self, response: Response, **kwargs: Any) -> AsyncIterator[scrapy.Request | Article]:
        """An article page fetched without the crawl's bookkeeping, as ``scrapy parse URL`` does (the crawl
        itself never calls this): read like the crawl reads it, later pages followed through this method
        again (``--depth``), and the finished article yielded as the normalised item the feed would get."""
        if META_KEY not in response.meta:
            if not urls.is_article_url(response.url):
                logger.error("%s is not an article URL: scrapy parse reads article pages (for other pages give "
                             "--callback, e.g. parse_sitemap, parse_rss, parse_robots)", response.url)
                return
            page = parse_qs(urlsplit(response.url).query).get("page", ["all"])[0]
            response.meta[META_KEY] = ArticleState(url=urls.canonical_url(response.url),
                                                   discovered={"via": "argument"},
                                                   page=int(page) if page.isdigit() else "all")
        async for output in self.parse_article(response):
            yield output.replace(callback=self.parse) if isinstance(output, scrapy.Request) else output

    async def parse_article(self, response: Response) -> AsyncIterator[scrapy.Request | Article]:
        state: ArticleState = response.meta[META_KEY]
        if state.fetched_at is None:
            header = response.headers.get(b"Date")
            # An archived response (crawler/downloaders/replay.py) was fetched when its WARC record says.
            state.fetched_at = response.meta.get("tribun_fetched_at") or datetime.now(UTC)
            state.http_date = header.decode("latin-1") if header else None
        if not isinstance(response, TextResponse):
            for request in self._unreadable(response, state, "not a text response "
                                            f"({response.headers.get(b'Content-Type', b'no Content-Type')!r})"):
                yield request
            return
        try:
            # Read by a worker process (crawler.workers): the event loop keeps downloading. The task that reads
            # the article's last page (or its whole view) also normalises it.
            step = await self.workers.run(read_article_page, response.body, response.encoding, response.url,
                                          state, self.settings.getint("TRIBUN_MAX_PAGES"))
        except NotAnArticle as exc:
            for request in self._unreadable(response, state, str(exc) or type(exc).__name__):
                yield request
            return
        except WorkerFailed as exc:
            self.crawler.stats.inc_value(f"tribun/dropped/{exc.kind}")
            logger.error("Page %s dropped: %s", response.url, exc)
            return
        except Exception:
            # A parser or normaliser bug on one hostile page must cost that article only, never the crawl.
            self.crawler.stats.inc_value("tribun/dropped/parser_error")
            logger.exception("Parser failed on %s (article %s); page dropped", response.url, state.url)
            return
        stats = self.crawler.stats
        stats.inc_value(f"tribun/layout/{step.raw.layout}")  # which layout read each page
        if step.replaced:
            stats.inc_value("tribun/decode/replaced")
            logger.warning("Page %s: %d byte(s) that are not UTF-8 replaced with U+FFFD (the rest of the page "
                           "is UTF-8)", response.url, step.replaced)
        if step.not_whole:
            # The server ignored ?page=all (it shows page 1 of N): the pages are walked instead.
            stats.inc_value("tribun/pages/page_all_not_whole")
        if step.next is not None:
            stats.inc_value("tribun/pages/walked")
            yield self._article_page_request(step.next)
            return
        if step.page_limit:
            stats.inc_value("tribun/errors/page_limit")
            logger.error("Article %s announces %d pages; stopped at TRIBUN_MAX_PAGES=%d", state.url,
                         step.article.pages if step.article else 0, self.settings.getint("TRIBUN_MAX_PAGES"))
        stats.inc_value("tribun/articles/fetched")
        if step.pages_read > 1:
            stats.inc_value("tribun/articles/multi_page")
        yield step.article

    def _unreadable(self, response: Response, state: ArticleState, reason: str) -> Iterable[scrapy.Request]:
        if state.page == "all":
            # A broken whole-article view is no reason to lose the article: read its pages instead.
            self.crawler.stats.inc_value("tribun/pages/page_all_failed")
            yield self._article_page_request(state.ask(1))
            return
        self.crawler.stats.inc_value("tribun/dropped/not_an_article")
        logger.warning("Dropped %s (page %s): not a readable article page: %s", response.url, state.page, reason)

    def article_error(self, failure: Failure) -> Iterable[scrapy.Request | Article]:
        request = failure.request
        state: ArticleState = request.meta[META_KEY]
        kind = error_kind(failure)
        # The CDN refusing us would refuse page 1 just the same: no second request for nothing.
        cdn_refusal = failure.check(HttpError) and is_cdn_refusal(failure.value.response)
        if state.page == "all" and kind != "ignored" and not cdn_refusal:
            self.crawler.stats.inc_value("tribun/pages/page_all_failed")
            logger.info("?page=all failed (%s) for %s; reading its pages instead", kind, state.url)
            # Its URL was often seen already, in the failed view's redirect chain (see article_request).
            yield self._article_page_request(state.ask(1))
            return
        if kind == "ignored":
            return
        if state.pages and failure.check(HttpError) and NOT_ARCHIVED in failure.value.response.flags:
            # Re-extracting an archive that never held this page (Common Crawl keeps the pages it happened to
            # fetch): the pages it does hold are the article as far as it is known.
            self.crawler.stats.inc_value("tribun/replay/partial_articles")
            logger.warning("Article %s: page %s is not in the archive; emitted from its first %d page(s)",
                           state.url, state.page, len(state.pages))
            self.crawler.stats.inc_value("tribun/articles/fetched")
            yield normalise_article(state.fetched(state.pages, max(len(state.pages), state.announced)))
            return
        self.crawler.stats.inc_value(f"tribun/errors/{kind}")
        if state.pages:
            self.crawler.stats.inc_value("tribun/errors/incomplete_article")
            logger.error("Article %s not emitted: page %s failed (%s); the next run retries it",
                         state.url, state.page, kind)
        else:
            logger.error("Article %s failed (%s): %s", state.url, kind, request.url)
