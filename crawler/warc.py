"""WARC (ISO 28500) archives of a crawl, and the index that answers requests from them again.

Writing (``TRIBUN_WARC=1``, :class:`WarcArchive`): every response the download handler returns (articles,
every page of multi-page articles, sitemaps, RSS, listings, robots.txt, redirects and error pages) is
written as a WARC/1.1 ``request`` + ``response`` pair with warcio, one gzip member per record, with
payload and block digests. Records are taken from the ``response_downloaded`` signal: that is the
response as the handler returned it (before decompression and redirects), so replaying it sends it
through the same downloader middlewares again. They are compressed and written by a thread of the
archive's own. ``WARC-Target-URI`` is the real ``https://…tribunnews.com``
URL: the mirror and origin handlers answer under the real URL already. ``WARC-Date`` is the time the
response arrived. A file is written as a hidden ``.<name>.part`` and renamed when the run's feeds are
closed; past ``TRIBUN_WARC_MAX_SIZE`` bytes the next record starts ``<run>-00001.warc.gz`` and so on.
A write error is one ERROR line, stops archiving, removes the run's ``.part`` files, keeps the state
uncommitted and makes the run fail (exit status 1).

Reading (:class:`WarcIndex`): one pass over WARC files notes where each Tribun response record starts;
``crawler.downloaders.replay`` then reads a record by its offset when the spider asks for its URL. WARC
files of other crawlers are read too (Common Crawl's CC-NEWS): other hosts and ``revisit`` records are
skipped, payloads are de-chunked and decoded as warcio reads them.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import queue
import threading
import zlib
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import parse_qs, urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import GzippingWrapper, WARCWriter

from crawler import safety, urls
from crawler.arguments import _network_url
from crawler.feeds import run_id

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

WARC_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
# Headers that describe how the bytes travelled, not the bytes the record holds: the body Scrapy gives us is
# already de-chunked, so a Transfer-Encoding line would make readers de-chunk it again.
_HOP_HEADERS = {b"transfer-encoding"}


def warc_date(moment: datetime) -> str:
    """A WARC/1.1 date (UTC, microseconds): ``2026-12-06T08:15:02.123456Z``."""
    return moment.astimezone(UTC).strftime(WARC_DATE_FORMAT)


def parse_warc_date(value: str | None) -> datetime | None:
    """``WARC-Date`` as an aware UTC datetime (with or without fractions of a second), or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def warc_paths(output_dir: Path, rid: str, number: int) -> Path:
    """``<output_dir>/warc/<run>.warc.gz`` for the first file of a run, ``<run>-0000N.warc.gz`` after it."""
    suffix = f"-{number:05d}" if number else ""
    return output_dir / "warc" / f"{rid}{suffix}.warc.gz"


class _FastGzip(GzippingWrapper):
    """warcio's per-record gzip member at zlib's default level (6) instead of 9: on HTML the files are about
    2 % larger and written in half the CPU time, which the crawl's one thread needs for downloading."""

    def __init__(self, out: BinaryIO):
        super().__init__(out)
        self.compressor = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS + 16)


class _Writer(WARCWriter):
    """warcio's writer with :class:`_FastGzip` members; a pair is written response first, as warcio does."""

    def __init__(self, out: BinaryIO):
        super().__init__(out, gzip=False, warc_version="1.1")

    def _write_warc_record(self, out: BinaryIO, record: Any) -> None:
        super()._write_warc_record(_FastGzip(out), record)


@dataclass(frozen=True, slots=True)
class _Exchange:
    """What the archive keeps of one download: copied on the crawl's thread, written on the archive's."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    moment: datetime


def _header_list(headers: Any, skip: Collection[bytes] = ()) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in headers.items() if name.lower() not in skip for value in values]


class WarcArchive:
    """The extension behind ``TRIBUN_WARC``: archives the run's responses (see the module docstring).

    The crawl's thread only copies what a record needs into a bounded queue; one thread of the archive's own
    compresses, digests and writes (zlib and hashlib release the GIL), so the crawl's thread, the one that
    decides the crawl's speed, does not do the archive's work. A full queue (a slow disk) makes the crawl wait.
    """

    QUEUE_SIZE = 256

    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        if not settings.getbool("TRIBUN_WARC"):
            raise NotConfigured("TRIBUN_WARC is off")
        self.crawler = crawler
        self.output_dir = Path(settings.get("TRIBUN_OUTPUT_DIR") or ".")
        self.max_size = settings.getint("TRIBUN_WARC_MAX_SIZE")
        self.info = {"software": "tribun-crawler (warcio)", "format": "WARC File Format 1.1",
                     "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                     "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                     "http-header-user-agent": settings.get("USER_AGENT")}
        self.error: BaseException | None = None
        self.finished = False
        self.done: list[tuple[Path, Path]] = []  # (part, target) of the files already rotated out
        self._handle: BinaryIO | None = None
        self._writer: _Writer | None = None
        self._part: Path | None = None
        self._target: Path | None = None
        self._number = 0
        self._run: str | None = None
        self._queue: queue.Queue[_Exchange | None] = queue.Queue(self.QUEUE_SIZE)
        self._thread: threading.Thread | None = None
        self.records = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchive:
        ext = cls(crawler)
        crawler.signals.connect(ext.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(ext.feed_exporter_closed, signal=signals.feed_exporter_closed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    # --- writing ----------------------------------------------------------------------------------

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        if self.error is not None or self.finished:
            return
        exchange = _Exchange(response.url, response.status, _header_list(response.headers, _HOP_HEADERS),
                             response.body, request.method, _header_list(request.headers), request.body or b"",
                             datetime.now(UTC))
        if self._thread is None:
            self._run = run_id(spider)
            self._thread = threading.Thread(target=self._drain, name="tribun-warc", daemon=True)
            self._thread.start()
        self._queue.put(exchange)

    def _drain(self) -> None:
        while (exchange := self._queue.get()) is not None:
            if self.error is not None:
                continue  # archiving has stopped; the queue is emptied so that the crawl never waits on it
            try:
                if self._writer is None or (self.max_size and self._handle.tell() >= self.max_size):  # type: ignore[union-attr]
                    self._rotate()
                self._write(exchange)
            except Exception as exc:
                self._fail(exc)

    def _rotate(self) -> None:
        if self._writer is not None:
            self._close_current()
            self._number += 1
        assert self._run is not None
        target = warc_paths(self.output_dir, self._run, self._number)
        self._target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.part")
        self._handle = safety.open_part_file(part)
        self._part = part
        self._writer = _Writer(self._handle)
        self._writer.write_record(self._writer.create_warcinfo_record(target.name,
                                                                      {**self.info, "isPartOf": self._run}))

    def _write(self, exchange: _Exchange) -> None:
        writer = self._writer
        assert writer is not None
        url = exchange.url
        date = warc_date(exchange.moment)
        try:
            reason = HTTPStatus(exchange.status).phrase
        except ValueError:
            reason = ""
        body = exchange.body
        http = StatusAndHeaders(f"{exchange.status} {reason}".strip(), exchange.headers, protocol="HTTP/1.1")
        resp = writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body),
                                         http_headers=http, warc_headers_dict={"WARC-Date": date})
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_headers = exchange.request_headers
        if not any(name.lower() == "host" for name, _ in req_headers):
            req_headers = [("Host", parts.netloc), *req_headers]
        req_body = exchange.request_body
        req_http = StatusAndHeaders(f"{target} HTTP/1.1", req_headers, protocol=exchange.method,
                                    is_http_request=True)
        req = writer.create_warc_record(url, "request", payload=BytesIO(req_body), length=len(req_body),
                                        http_headers=req_http, warc_headers_dict={"WARC-Date": date})
        writer.write_request_response_pair(req, resp)
        self.records += 1

    def _close_current(self) -> None:
        """Flushes and fsyncs the current ``.part``; it is renamed with the others when the run ends."""
        handle, self._handle, self._writer = self._handle, None, None
        if handle is None:
            return
        try:
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            handle.close()
        assert self._part is not None and self._target is not None
        self.done.append((self._part, self._target))

    # --- finishing --------------------------------------------------------------------------------

    def feed_exporter_closed(self) -> None:
        self.finish()

    def engine_stopped(self) -> None:
        # A run without any feed has no feed_exporter_closed: its archive is finished here.
        self.finish()

    def finish(self) -> None:
        """Renames every ``.part`` of the run into place (or removes them after a failure)."""
        if self.finished:
            return
        self.finished = True
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
        stats = self.crawler.stats
        if self.error is None:
            try:
                self._close_current()
                for part, target in self.done:
                    os.replace(part, target)
                if self.done:
                    dir_fd = os.open(self.done[0][1].parent, os.O_RDONLY)
                    try:
                        os.fsync(dir_fd)
                    finally:
                        os.close(dir_fd)
            except Exception as exc:
                self._fail(exc)
        if self.error is not None:
            self._discard()
            return
        stats.set_value("tribun/warc/records", self.records)
        stats.set_value("tribun/warc/files", len(self.done))
        stats.set_value("tribun/warc/bytes", sum(t.stat().st_size for _, t in self.done))
        for _, target in self.done:
            logger.info("WARC finished: %s", target)

    def _fail(self, exc: BaseException) -> None:
        if self.error is None:
            self.error = exc
            self.crawler.stats.set_value("tribun/warc/failed", 1)
            logger.error("WARC archive %s could not be written (%s): archiving stopped, the run fails and its "
                         "articles are not recorded as emitted (the next run fetches and archives them again)",
                         self._target or self.output_dir / "warc", exc)
        if self.finished:
            self._discard()

    def _discard(self) -> None:
        handle, self._handle, self._writer = self._handle, None, None
        if handle is not None:
            with contextlib.suppress(OSError):
                handle.close()
            if self._part is not None:
                self.done.append((self._part, self._target))  # type: ignore[arg-type]
        for part, _ in self.done:
            with contextlib.suppress(OSError):
                part.unlink()
        self.done.clear()


# --- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArchivedResponse:
    """Where one archived response is, and what the index needs to choose between copies of a URL."""

    path: str
    offset: int
    length: int  # bytes of the record in the file (its gzip member, in a .warc.gz)
    url: str
    date: str
    status: int


def replay_key(url: str) -> str:
    """The index key of a URL: scheme-less; an article page by its canonical URL (desktop host, no /amp/)
    and its ``page`` parameter, so a record archived under ``http://m.…`` answers the spider's
    ``https://www.…`` request."""
    if urls.is_article_url(url):
        page = parse_qs(urlsplit(url).query).get("page", [""])[0]
        canonical = urls.canonical_url(url).split("://", 1)[-1]
        return f"{canonical}?page={page}" if page else canonical
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def expand_paths(patterns: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Files named or matched by glob ``patterns`` (sorted per pattern, each once), and the patterns that
    matched nothing."""
    found: dict[Path, None] = {}
    unmatched: list[str] = []
    for pattern in patterns:
        matches = sorted(glob.glob(os.path.expanduser(pattern))) if glob.has_magic(pattern) else [pattern]
        matches = [m for m in matches if Path(m).is_file()]
        if not matches:
            unmatched.append(pattern)
        for match in matches:
            found.setdefault(Path(match).resolve(), None)
    return list(found), unmatched


class WarcIndex:
    """Tribun response records of WARC files by :func:`replay_key`, built by one pass over the files.

    When a URL was archived more than once, the copy kept is the one answered below 400, then the one
    under the URL itself (not an http, m. or /amp/ variant), then the latest.
    """

    def __init__(self) -> None:
        self.records: dict[str, ArchivedResponse] = {}
        # The key of every archived URL, as computed when indexing: the replay looks up those same URLs, and
        # computing a key (URL parsing, canonicalisation) costs more than the rest of the lookup.
        self._keys: dict[str, str] = {}
        self.counts: Counter[str] = Counter()
        self.broken: list[str] = []  # files that ended in a damaged record

    @classmethod
    def build(cls, paths: Iterable[Path]) -> WarcIndex:
        index = cls()
        for path in paths:
            index.add_file(path)
        return index

    def add_file(self, path: Path) -> None:
        counts = self.counts
        with path.open("rb") as handle:
            # Only the WARC headers are parsed here (the HTTP status line is read by hand): the index pass reads
            # every record of files that may be mostly other hosts', so it does the least it can per record.
            iterator = ArchiveIterator(handle, no_record_parse=True)
            try:
                for record in iterator:
                    counts["records"] += 1
                    kind = record.rec_type
                    if kind == "revisit":
                        counts["revisit"] += 1
                        continue
                    if kind != "response":
                        continue
                    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")
                    if not _network_url(uri):
                        counts["other_hosts"] += 1
                        continue
                    line = record.raw_stream.readline(_MAX_STATUS_LINE)
                    # warcio reads a record cut short (a truncated download) without complaint: its length says.
                    size = len(line)
                    while chunk := record.raw_stream.read(_CHUNK):
                        size += len(chunk)
                    if record.length is None or size < int(record.length):  # WARC requires Content-Length
                        raise EOFError(f"the record of {uri} ends after {size} of its {record.length} bytes")
                    status = _status(line)
                    if status is None:  # a response record without HTTP (a DNS lookup, a screenshot)
                        counts["not_http"] += 1
                        continue
                    self._add(ArchivedResponse(str(path), iterator.get_record_offset(),
                                               iterator.get_record_length(), uri,
                                               record.rec_headers.get_header("WARC-Date") or "", status))
            except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as exc:
                counts["broken_files"] += 1
                self.broken.append(str(path))
                logger.error("WARC file %s is damaged after %d record(s) (%s): its records up to there are used",
                             path, counts["records"], exc)
        counts["files"] += 1

    def _add(self, entry: ArchivedResponse) -> None:
        key = self._keys.get(entry.url)
        if key is None:
            key = self._keys[entry.url] = replay_key(entry.url)
        self.counts["responses"] += 1
        old = self.records.get(key)
        if old is None or _rank(entry, key) >= _rank(old, key):
            self.records[key] = entry

    def get(self, url: str) -> ArchivedResponse | None:
        key = self._keys.get(url)
        return self.records.get(key if key is not None else replay_key(url))

    def article_urls(self) -> list[str]:
        """The canonical URL of every archived article (any of its pages), in archive order."""
        seen: dict[str, None] = {}
        for entry in sorted(self.records.values(), key=lambda e: (e.path, e.offset)):
            if urls.is_article_url(entry.url):
                seen.setdefault(urls.canonical_url(entry.url), None)
        return list(seen)


_MAX_STATUS_LINE = 1024
_CHUNK = 1 << 16


def _status(line: bytes) -> int | None:
    """The status of an HTTP status line (``HTTP/1.1 200 OK``), 0 when unreadable, None when not HTTP."""
    if not line.startswith(b"HTTP/"):
        return None
    parts = line.split(None, 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def _rank(entry: ArchivedResponse, key: str) -> tuple[bool, bool, str]:
    exact = entry.url.split("://", 1)[-1] == key
    return 0 < entry.status < 400, exact, entry.date
