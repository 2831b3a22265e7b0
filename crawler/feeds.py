"""Feed storage that never shows readers half a file, and the feed URI parameters.

A feed is written to a hidden ``.<name>.part`` file beside its target and renamed over the target
only when the feed closes cleanly. ``rename`` within one directory is atomic on POSIX, so a reader
globbing ``output/tribun/*.jsonl`` sees either nothing or the complete file, even when the crawl is
killed with SIGKILL. Items only count as emitted once this rename has happened (see
``crawler.pipelines.dedup``).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Callable
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exporters import JsonLinesItemExporter
from scrapy.extensions.feedexport import FileFeedStorage

from crawler import safety
from crawler.items import Article
from crawler.nodes import node_name, node_run_id, redis_url

if TYPE_CHECKING:
    from scrapy import Spider

logger = logging.getLogger(__name__)


def part_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


class FeedNotFinished(OSError):
    """A feed's file could not be written completely; it was not renamed into place."""


class _Discard(io.RawIOBase):
    """Where a feed writes once its file could not even be opened: the run goes on, the feed is failed."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return len(memoryview(data))


class PartFile(io.BufferedWriter):
    """The ``.part`` file of a feed, remembering the first write error instead of raising it.

    Scrapy's FeedExporter calls the exporter for every slot in turn from its ``item_scraped`` handler and
    only logs what it raises: a full disk would cost one traceback per item, skip the feeds after the
    failing one, and still leave a file that Scrapy closes and stores as if it were whole. Here the first
    error is logged once, later writes are dropped (the file is lost anyway), and :meth:`store` refuses to
    publish the file, so Scrapy counts the slot as failed (``feedexport/failed_count/*``) and the state
    records none of the run's articles.
    """

    def __init__(self, raw: io.RawIOBase, target: Path, error: BaseException | None = None):
        super().__init__(raw)
        self.target = target
        self.error: BaseException | None = None
        # A finished file an exporter must rewrite into this one itself (``-o`` onto a Parquet file).
        self.append_from: Path | None = None
        if error is not None:
            self._fail(error, "could not be opened")

    def fail(self, exc: BaseException, what: str) -> None:
        """Fails the feed from outside (an exporter): logged once, and the file will not be finished."""
        if self.error is None:
            self._fail(exc, what)

    def write(self, data: Any) -> int:
        if self.error is None:
            try:
                return super().write(data)
            except OSError as exc:
                self._fail(exc, "could not be written")
        return len(memoryview(data))

    def flush(self) -> None:
        if self.error is None:
            try:
                super().flush()
            except OSError as exc:
                self._fail(exc, "could not be written")

    def close(self) -> None:
        try:
            super().close()
        except OSError as exc:  # the raw close of a failed file; the error that matters is already kept
            if self.error is None:
                self._fail(exc, "could not be closed")

    def _fail(self, exc: BaseException, what: str) -> None:
        self.error = exc
        logger.error("Feed %s %s (%s): it will not be finished, and this run's articles are not recorded "
                     "as emitted (the next run writes them again)", self.target, what, exc)


class AtomicFileFeedStorage(FileFeedStorage):
    """FileFeedStorage that writes ``.<name>.part`` and renames it into place on close.

    The rename happens only when every byte was written and ``fsync`` returned; otherwise :meth:`store`
    raises :class:`FeedNotFinished` and removes the ``.part`` (see :class:`PartFile`).
    """

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None):
        super().__init__(uri, feed_options=feed_options)
        # A Parquet file's footer indexes the whole file: appended bytes would not be read, so on ``-o`` the
        # exporter copies the old rows instead (crawler.parquet).
        self._copy_bytes = (feed_options or {}).get("format") != "parquet"

    def open(self, spider: Spider) -> IO[bytes]:
        settings = spider.crawler.settings
        self._target = Path(self.path)
        self._part: Path | None = None
        try:
            target = safety.check_feed_target(self.path, settings.get("TRIBUN_OUTPUT_DIR") or ".",
                                              explicit=safety.feeds_are_explicit(settings))
            self._target = target
            target.parent.mkdir(parents=True, exist_ok=True)
            self._part = part_path(target)
            # Appending (-o) starts from the finished file so the rename replaces it with old + new.
            append = self.write_mode == "ab" and target.exists()
            handle = safety.open_part_file(self._part, append_from=target if append and self._copy_bytes else None)
            handle.flush()
            part = PartFile(handle.detach(), target)
            if append and not self._copy_bytes:
                part.append_from = target
            return part
        except (OSError, ValueError) as exc:
            # Raised here, Scrapy would retry the open on every item (one traceback each) and then store an
            # empty file anyway; a failed file that discards its writes fails the slot once, at store().
            return PartFile(_Discard(), self._target, error=exc)

    def store(self, file: IO[bytes]) -> None:
        error = file.error if isinstance(file, PartFile) else None
        if error is None:
            try:
                file.flush()
                error = file.error if isinstance(file, PartFile) else None
                if error is None:
                    os.fsync(file.fileno())
            except OSError as exc:
                error = exc
        file.close()
        if error is None and isinstance(file, PartFile):
            error = file.error
        if error is not None:
            self._discard_part()
            raise FeedNotFinished(f"feed {self._target} not finished: {error}") from None
        assert self._part is not None
        try:
            os.replace(self._part, self._target)
        except OSError:
            self._discard_part()
            raise
        # The directory entry must reach the disk too, or a power cut could lose the rename.
        dir_fd = os.open(self._target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        logger.info("Feed finished: %s", self._target)
        return None

    def _discard_part(self) -> None:
        # Its articles are written again by the next run; on a full disk the space is needed.
        if self._part is not None:
            with contextlib.suppress(OSError):
                self._part.unlink()


RUN_ID_FORMAT = "%Y%m%dT%H%M%S.%fZ"


def run_id(spider: Spider) -> str:
    """One sortable UTC id for this run (``20261125T220911.123456Z``), shared by every file the run writes.

    Kept on the crawler, which no spider argument can reach. Microseconds make two runs started in the
    same second differ; a run started in the very same microsecond on the same output folder (another
    state, another host on shared storage) finds the id reserved and takes the next microsecond, so ids
    still sort in start order and no run's files ever replace another's.
    """
    crawler = spider.crawler
    rid = getattr(crawler, "_tribun_run_id", None)
    if rid is None:
        rid, marker = reserve_run_id(Path(crawler.settings.get("TRIBUN_OUTPUT_DIR") or "."))
        if redis_url(crawler.settings):  # one node of a distributed crawl: its own files, named after it
            rid = node_run_id(rid, node_name(crawler.settings))
        crawler._tribun_run_id = rid
        if marker is not None and hasattr(crawler.signals, "send_catch_log"):
            # Only a run that is still going needs its reservation: the files it names exist by then.
            crawler.signals.connect(_remover(marker), signal=signals.engine_stopped, weak=False)
    return rid


def reserve_run_id(output_dir: Path, start: datetime | None = None) -> tuple[str, Path | None]:
    """The first free run id at or after ``start`` (default: now), and the marker reserving it.

    The marker, ``<output_dir>/.runs/<id>``, is created exclusively, so two processes can never both hold
    one id. When the output folder is not writable no marker is made (None): the feed fails there anyway.
    """
    start = start or datetime.now(UTC)
    folder = output_dir / ".runs"
    for step in range(1000):
        rid = (start + timedelta(microseconds=step)).strftime(RUN_ID_FORMAT)
        marker = folder / rid
        try:
            folder.mkdir(parents=True, exist_ok=True)
            os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            continue
        except OSError:
            return rid, None
        return rid, marker
    raise RuntimeError(f"no free run id in {folder}")


def _remover(path: Path) -> Callable[[], None]:
    def remove() -> None:
        with contextlib.suppress(OSError):
            path.unlink()

    return remove


def uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """Adds ``%(run_id)s`` and ``%(output_dir)s`` to feed URIs; relative default feeds land in the output dir."""
    params["run_id"] = run_id(spider)
    params["output_dir"] = spider.crawler.settings.get("TRIBUN_OUTPUT_DIR")
    return params


class JsonLinesExporter(JsonLinesItemExporter):
    """Scrapy's JSON-lines exporter, with a direct path for :class:`~crawler.items.Article`.

    The generic path wraps every item in an ItemAdapter and looks up each field's metadata for a
    serializer; Article declares none, so for the default export (all fields, in declaration order) the
    line is the same when built straight from the dataclass, at a fraction of the cost on the crawl's
    one thread. Any other item, or ``fields_to_export`` / ``export_empty_fields`` set, takes Scrapy's path.
    """

    _ARTICLE_FIELDS = tuple(f.name for f in dataclass_fields(Article))

    def export_item(self, item: Any) -> None:
        if type(item) is not Article or self.fields_to_export is not None or self.export_empty_fields:
            super().export_item(item)
            return
        line = self.encoder.encode({name: getattr(item, name) for name in self._ARTICLE_FIELDS}) + "\n"
        self.file.write(line.encode(self.encoding or "utf-8"))
