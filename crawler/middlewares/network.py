"""The network guard: no request leaves the Tribun network, and a redirect loop is an error, not silence.

Why not Scrapy's OffsiteMiddleware (which this replaces in settings):

* it lets through any request with ``dont_filter=True``; RetryMiddleware sets that on every retry and
  RedirectMiddleware copies it onto the redirect, so "503, then a redirect to another site" escaped it;
* it accepts every sub-domain of an allowed domain, and ``tribunnews.com`` is one (an alias of www);
* it drops redirects to other sites when they are scheduled, without calling the request's errback,
  so an article lost that way was neither counted nor logged.

:class:`NetworkGuardMiddleware` (request side, before robots.txt) allows only http(s) requests for
the exact hosts of :func:`crawler.portals.network_hosts` on the default port, with no opt-out, and raises
:class:`OffNetworkRequest`; the request's errback sees it (``tribun/errors/offsite``).

:class:`RedirectGuardMiddleware` (response side, before RedirectMiddleware) turns a redirect back to
a URL already in the chain into :class:`RedirectLoop`. Without it the looping request is dropped by
the duplicate filter, again without an errback.

The guard also keeps the per-host cap (CONCURRENT_REQUESTS_PER_DOMAIN) real when DOWNLOAD_DELAY is 0.
Scrapy 2.19 under the asyncio reactor starts a slot's downloads as tasks and only counts them as
transferring once they run, so with no delay one pass over a slot's queue starts *every* queued
request (7 at once against a cap of 4, measured in ``tests/faults``). With any delay above zero it
starts one request per pass and the cap holds; a slot whose delay is 0 gets ``MIN_SLOT_DELAY``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import ParseResult, SplitResult, urldefrag, urljoin, urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.httpobj import urlparse_cached
from w3lib.url import safe_url_string

from crawler import user_agent
from crawler.portals import portal_for_host
from crawler.safety import check_origin

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Smallest delay between two downloads of one slot: enough to make Scrapy start them one at a time
# (see the module docstring), far too small to slow a crawl (1,000 requests a second per host).
MIN_SLOT_DELAY = 0.001


class OffNetworkRequest(IgnoreRequest):
    """A request (or a redirect) for a host outside the Tribun network, refused before it is sent."""


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL already visited in the same redirect chain."""


_DEFAULT_PORTS = {"http": 80, "https": 443}


def on_network(url_scheme: str, host: str | None, port: int | None = None) -> bool:
    """An http(s) URL for a network host on its scheme's default port: the network serves nothing on other
    ports, and a redirect to one (``bangka.tribunnews.com:8443``) leads to some other server."""
    return (url_scheme in _DEFAULT_PORTS and port in (None, _DEFAULT_PORTS[url_scheme])
            and portal_for_host(host) is not None)


def _allowed(parts: SplitResult | ParseResult) -> bool:
    try:
        port = parts.port
    except ValueError:  # not a number, or out of range
        return False
    return on_network(parts.scheme, parts.hostname, port)


def refuse(stats: StatsCollector, logged_hosts: set[str], url: str, host: str, via: str | None = None) -> None:
    """Count, log (once per host: a bad sitemap must not flood the log) and raise OffNetworkRequest."""
    stats.inc_value("tribun/network/refused")
    if host not in logged_hosts:
        logged_hosts.add(host)
        logger.warning("Refused a request outside the Tribun network: %s%s", url,
                       f" (redirected from {via})" if via else "")
    raise OffNetworkRequest(f"not a Tribun network URL: {url}")


class NetworkGuardMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        if settings.get("TRIBUN_ORIGIN"):
            # Fail the crawl at start-up with a clear message; a bad origin in the download handler
            # would only surface as every request failing.
            check_origin(settings.get("TRIBUN_ORIGIN"))
        # USER_AGENT is computed from TRIBUN_CONTACT_URL when settings.py loads, so `-s TRIBUN_CONTACT_URL=`
        # alone would not reach it. Rebuild it when the contact was overridden more strongly than the UA.
        self.user_agent: bytes | None = None
        contact_priority = settings.getpriority("TRIBUN_CONTACT_URL") or 0
        if contact_priority > SETTINGS_PRIORITIES["project"] and contact_priority > (
                settings.getpriority("USER_AGENT") or 0):
            contact = settings.get("TRIBUN_CONTACT_URL")
            self.user_agent = user_agent(contact).encode()
        self._logged_hosts: set[str] = set()
        crawler.signals.connect(self._keep_slot_cap, signal=signals.request_reached_downloader)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _keep_slot_cap(self, request: Request) -> None:
        # Sent once the request's slot exists and before the slot's queue is processed.
        downloader = getattr(self.crawler.engine, "downloader", None)
        slot = getattr(downloader, "slots", {}).get(request.meta.get("download_slot"))
        if slot is not None and getattr(slot, "delay", None) == 0:
            slot.delay = MIN_SLOT_DELAY

    def process_request(self, request: Request) -> None:
        parts = urlparse_cached(request)
        if not _allowed(parts):
            refuse(self.stats, self._logged_hosts, request.url, parts.netloc)
        if self.user_agent is not None:
            # Before UserAgentMiddleware, which only sets the header when it is missing.
            request.headers.setdefault(b"User-Agent", self.user_agent)
        return None


class RedirectGuardMiddleware:
    """Checks a redirect's target before RedirectMiddleware follows it."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self._logged_hosts: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in _REDIRECT_STATUSES or not location or request.meta.get("dont_redirect"):
            return response
        text = location.decode("latin-1")
        if text.startswith("//"):
            text = f"{urlparse_cached(request).scheme}:{text}"
        try:
            target = urldefrag(urljoin(request.url, safe_url_string(text)))[0]
            parts = urlsplit(target)
        except ValueError:  # a Location no URL parser accepts (a port past 65535): nowhere on the network
            refuse(self.stats, self._logged_hosts, text, text, via=request.url)
        if not _allowed(parts):
            refuse(self.stats, self._logged_hosts, target, parts.netloc, via=request.url)
        chain = [urldefrag(u)[0] for u in (*request.meta.get("redirect_urls", ()), request.url)]
        if target in chain:
            self.stats.inc_value("tribun/network/redirect_loops")
            raise RedirectLoop("redirect loop: " + " -> ".join([*chain[chain.index(target):], target]))
        return response
