"""``TRIBUN_ORIGIN=http://127.0.0.1:PORT``: send every Tribun request to one HTTP server instead.

Used for tests (the fault-injecting site), staging mirrors and a local caching proxy. Only the
connection changes: ``https://bangka.tribunnews.com/2022/03/21/slug?page=all`` is fetched as
``http://127.0.0.1:PORT/2022/03/21/slug?page=all`` with ``Host: bangka.tribunnews.com``, by Scrapy's
standard HTTP/1.1 handler (so timeouts, size limits and data-loss checks are the real ones), and the
response comes back with the real URL. Everything above this handler (retries, redirects, robots.txt,
throttling, items, the state store, logs) sees only real ``https://…tribunnews.com`` URLs.

A ``Location`` header that points at the origin itself is mapped back to the real host, so a
redirect the origin sends stays on the network instead of escaping to ``127.0.0.1``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.http import Headers
from scrapy.utils.misc import build_from_crawler, load_object

from crawler.downloaders import HTTP_HANDLER
from crawler.middlewares.network import OffNetworkRequest
from crawler.portals import portal_for_host
from crawler.safety import check_origin

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Meta keys of HttpProxyMiddleware: the origin is the destination, an environment proxy must not
# carry a request for 127.0.0.1 off the machine.
_PROXY_META = ("proxy", "_auth_proxy", "_scheme_proxy")
# Meta keys the HTTP handler writes on the request it is given; copied back to the real request.
_WRITTEN_META = ("download_latency",)


def _host_port(scheme: str, netloc: str) -> tuple[str, int | None]:
    parts = urlsplit(f"{scheme}://{netloc}")
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


class OriginDownloadHandler(BaseDownloadHandler):
    lazy = False

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.origin = check_origin(crawler.settings.get("TRIBUN_ORIGIN"))
        parts = urlsplit(self.origin)
        self._scheme, self._netloc = parts.scheme, parts.netloc
        self._origin_host_port = _host_port(parts.scheme, parts.netloc)
        self._http: BaseDownloadHandler = build_from_crawler(load_object(HTTP_HANDLER), crawler)
        logger.info("Sending every network request to the origin %s (Host header kept)", self.origin)

    def origin_url(self, url: str) -> str:
        """The URL actually fetched for ``url``: same path and query, the origin's scheme and address."""
        parts = urlsplit(url)
        return urlunsplit((self._scheme, self._netloc, parts.path or "/", parts.query, ""))

    async def download_request(self, request: Request) -> Response:
        target = urlsplit(request.url)
        # The origin stands in for the Tribun network only; anything else would reach it under a
        # foreign Host header (and, without TRIBUN_ORIGIN, the internet). Refused here as well as in
        # the network guard, so this handler is safe on its own.
        if target.scheme not in _DEFAULT_PORTS or portal_for_host(target.hostname) is None:
            raise OffNetworkRequest(f"TRIBUN_ORIGIN serves only the Tribun network; refused {request.url}")
        host = target.hostname or ""
        if target.port and target.port != _DEFAULT_PORTS[target.scheme]:
            host = f"{host}:{target.port}"
        headers = request.headers.copy()
        headers[b"Host"] = host.encode("ascii")
        headers.pop(b"Proxy-Authorization", None)
        meta = {k: v for k, v in request.meta.items() if k not in _PROXY_META}
        origin_url = self.origin_url(request.url)
        forwarded = request.replace(url=origin_url, headers=headers, meta=meta)
        try:
            response = await self._http.download_request(forwarded)
        except Exception as exc:
            raise _with_real_url(exc, origin_url, request.url) from exc
        finally:
            for key in _WRITTEN_META:
                if key in forwarded.meta:
                    request.meta[key] = forwarded.meta[key]
        return response.replace(url=request.url, request=request,
                                headers=self._real_headers(response.headers, target.scheme, host))

    def _real_headers(self, headers: Headers, scheme: str, host: str) -> Headers:
        """The response headers with a ``Location`` on the origin mapped back to the real host."""
        location = headers.get(b"Location")
        if not location:
            return headers
        text = location.decode("latin-1").strip()
        # "//127.0.0.1:PORT/x" is scheme-relative: it means the origin just as much.
        probe = f"{self._scheme}:{text}" if text.startswith("//") else text
        parts = urlsplit(probe)
        if parts.scheme not in _DEFAULT_PORTS or _host_port(parts.scheme, parts.netloc) != self._origin_host_port:
            return headers  # relative, or another host: Scrapy resolves it against the real URL
        mapped = urlunsplit((scheme, host, parts.path or "/", parts.query, parts.fragment))
        real = Headers(headers)
        real[b"Location"] = mapped.encode("latin-1")
        return real

    async def close(self) -> None:
        await self._http.close()


def _with_real_url(exc: Exception, origin_url: str, real_url: str) -> Exception:
    """The same exception with the origin URL in its message replaced by the real one.

    Kept the same type so RetryMiddleware and the spider classify it exactly as on the network;
    exceptions whose constructor takes something other than one message are passed on unchanged.
    """
    text = str(exc)
    if origin_url not in text:
        return exc
    try:
        return type(exc)(text.replace(origin_url, real_url))
    except Exception:
        return exc
