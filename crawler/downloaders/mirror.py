"""Answer requests from a local mirror laid out as ``wget --mirror`` writes it.

``https://bangka.tribunnews.com/2022/03/21/slug?page=all`` is read from
``<TRIBUN_MIRROR>/bangka.tribunnews.com/2022/03/21/slug?page=all``; a path ending in ``/`` reads its
``index.html``. A missing file is an ordinary 404 response, so the crawl behaves as it would live.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

_CONTENT_TYPES = {b"<?xml": b"application/xml", b"<rss": b"application/rss+xml", b"<urlset": b"application/xml",
                  b"<sitemapindex": b"application/xml"}


def mirror_path(root: Path, url: str) -> Path | None:
    """The file that holds ``url`` under ``root``, or None when the URL would escape ``root``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path or "/")
    if not host or "/" in host or host in {".", ".."} or "\x00" in path:
        return None
    if path.endswith("/"):
        path += "index.html"
    name = path.lstrip("/") + (f"?{parts.query}" if parts.query else "")
    candidate = (root / host / name).resolve()
    # A crafted URL (``/../../etc/passwd``) must never read outside the mirror.
    if not candidate.is_relative_to(root / host):
        return None
    return candidate


def _content_type(path: Path, body: bytes) -> bytes:
    head = body[:200].lstrip()
    for prefix, ctype in _CONTENT_TYPES.items():
        if head.startswith(prefix):
            return ctype + b"; charset=utf-8"
    if path.name == "robots.txt":
        return b"text/plain; charset=utf-8"
    return b"text/html; charset=utf-8"


class MirrorDownloadHandler(BaseDownloadHandler):
    lazy = False

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        setting = crawler.settings.get("TRIBUN_MIRROR")
        if not setting:
            raise NotConfigured("TRIBUN_MIRROR is not set")
        self.root = Path(setting).expanduser().resolve()
        if not self.root.is_dir():
            raise NotConfigured(f"TRIBUN_MIRROR={setting!r} is not a directory")
        logger.info("Serving every request from the mirror at %s", self.root)

    async def download_request(self, request: Request) -> Response:
        path = mirror_path(self.root, request.url)
        try:
            body = path.read_bytes() if path is not None and path.is_file() else None
        except OSError as exc:
            logger.warning("Mirror file for %s unreadable: %s", request.url, exc)
            body = None
        if body is None:
            respcls = responsetypes.from_args(url=request.url)
            return respcls(url=request.url, status=404, body=b"", request=request,
                           headers=Headers({b"Content-Type": b"text/html"}))
        headers = Headers({b"Content-Type": _content_type(path, body), b"Content-Length": str(len(body))})
        respcls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return respcls(url=request.url, status=200, headers=headers, body=body, request=request)
