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
import re
import zlib
from io import BytesIO
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
_DROPPED_HEADERS = {b"transfer-encoding", b"content-encoding", b"content-length"}


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
        data = handle.read(entry.length)
        # Decoding errors (a damaged gzip or chunked payload) propagate as the network's would: the spider
        # logs the page's URL with the error's kind.
        read = _plain_record(data)
        status, header_lines, body = read if read is not None else _warcio_record(data)
        headers = Headers()
        for name, value in header_lines:
            if (name if isinstance(name, bytes) else name.encode("latin-1")).lower() not in _DROPPED_HEADERS:
                headers.appendlist(name, value)
        fetched_at = parse_warc_date(entry.date)
        if fetched_at is not None:
            request.meta["tribun_fetched_at"] = fetched_at
        self.stats.inc_value("tribun/replay/answered")
        respcls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return respcls(url=request.url, status=status or entry.status or 200, headers=headers, body=body,
                       request=request, flags=["warc"])

    async def close(self) -> None:
        for handle in self._files.values():
            handle.close()
        self._files.clear()


_GZIP_MAGIC = b"\x1f\x8b"
_CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d+)[ \t]*$", re.IGNORECASE | re.MULTILINE)
# Payloads stored as they travelled: warcio decodes these.
_ENCODED = re.compile(rb"^(?:transfer-encoding|content-encoding):", re.IGNORECASE | re.MULTILINE)


def _plain_record(data: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
    """``(status, headers, body)`` of a well-formed record whose payload is stored as is (what our archive
    writes), read directly from its bytes; None for anything else, which warcio reads. Reading the archive is on
    the crawl's one thread, and warcio's general reader costs several times this per record."""
    if data[:2] == _GZIP_MAGIC:
        inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        data = inflater.decompress(data)
        if not inflater.eof:
            return None
    warc_end = data.find(b"\r\n\r\n")
    if warc_end < 0:
        return None
    found = _CONTENT_LENGTH.search(data, 0, warc_end)
    if found is None:
        return None
    block = data[warc_end + 4:warc_end + 4 + int(found[1])]
    http_end = block.find(b"\r\n\r\n")
    if http_end < 0 or _ENCODED.search(block, 0, http_end):
        return None
    status_line, *lines = block[:http_end].split(b"\r\n")
    parts = status_line.split(None, 2)
    if not status_line.startswith(b"HTTP/") or len(parts) < 2 or not parts[1].isdigit():
        return None
    headers = []
    for line in lines:
        name, colon, value = line.partition(b":")
        if not colon or not name.strip() or line[:1] in b" \t":  # folded or broken lines: warcio's job
            return None
        headers.append((name.strip(), value.strip()))
    return int(parts[1]), headers, block[http_end + 4:]


def _warcio_record(data: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    """``(status, headers, body)`` as warcio reads the record: payload de-chunked and decoded."""
    record = next(iter(ArchiveIterator(BytesIO(data))))
    body = record.content_stream().read()
    return int(record.http_headers.get_statuscode() or 0), list(record.http_headers.headers), body
