"""``TRIBUN_REPLAY``: answer every request from WARC files instead of the network (``scrapy reextract``).

The files are indexed once (:class:`crawler.warc.WarcIndex`); a request is answered with the archived
response of its URL, read from its offset, its payload de-chunked and decoded as warcio reads it (Common
Crawl keeps the bytes as they travelled). The response says when it was fetched: ``WARC-Date`` goes into
``request.meta["tribun_fetched_at"]``, which the spider uses as the article's ``crawled_at``. A URL the
archive does not hold is a 404 flagged ``not_archived``, so the crawl treats it as a missing page and the
spider can tell it from a 404 the site really sent.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, BinaryIO

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator

from crawler.warc import WarcIndex, expand_paths, parse_warc_date

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

NOT_ARCHIVED = "not_archived"
# The body is handed over decoded and whole: these would make Scrapy decode or measure it again.
_DROPPED_HEADERS = {"transfer-encoding", "content-encoding", "content-length"}


class WarcReplayHandler(BaseDownloadHandler):
    lazy = False

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        patterns = crawler.settings.getlist("TRIBUN_REPLAY")
        if not patterns:
            raise NotConfigured("TRIBUN_REPLAY is not set")
        # `scrapy reextract` has indexed the files already (to know the articles); another caller indexes here.
        index = getattr(crawler, "tribun_replay_index", None)
        if index is None:
            paths, _ = expand_paths(patterns)
            index = WarcIndex.build(paths)
        self.index: WarcIndex = index
        self._files: dict[str, BinaryIO] = {}
        self.stats = crawler.stats
        logger.info("Answering every request from %d archived response(s) in %d WARC file(s)",
                    len(index.records), index.counts["files"])

    async def download_request(self, request: Request) -> Response:
        entry = self.index.get(request.url)
        if entry is None:
            self.stats.inc_value("tribun/replay/not_archived")
            return responsetypes.from_args(url=request.url)(
                url=request.url, status=404, body=b"", request=request, flags=[NOT_ARCHIVED],
                headers=Headers({b"Content-Type": b"text/html"}))
        handle = self._files.get(entry.path)
        if handle is None:
            handle = self._files[entry.path] = open(entry.path, "rb")  # noqa: SIM115 (closed in close())
        handle.seek(entry.offset)
        record = next(iter(ArchiveIterator(handle)))
        # Decoding errors (a damaged gzip or chunked payload) propagate as the network's would: the spider
        # logs the page's URL with the error's kind.
        body = record.content_stream().read()
        headers = Headers()
        for name, value in record.http_headers.headers:
            if name.lower() not in _DROPPED_HEADERS:
                headers.appendlist(name, value)
        fetched_at = parse_warc_date(entry.date)
        if fetched_at is not None:
            request.meta["tribun_fetched_at"] = fetched_at
        self.stats.inc_value("tribun/replay/answered")
        respcls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return respcls(url=request.url, status=entry.status or 200, headers=headers, body=body, request=request,
                       flags=["warc"])

    async def close(self) -> None:
        for handle in self._files.values():
            handle.close()
        self._files.clear()
