"""The run's side of the state store: holds the lock, collects the run's decisions, writes the duplicates
side file, and commits to the store only once the feeds are safely on disk.

Commit protocol. The dedup pipeline stages a row for every article it lets through and every URL it
suppresses as a duplicate; the seen-requests middleware notes the URLs it skipped. Nothing of that touches
the store during the run. When Scrapy's feed exporter has closed every feed slot (each slot's
``store()``, i.e. our ``.part`` → rename, has returned) it sends ``feed_exporter_closed``; only then, and
only if no slot failed, the side file is written (atomically too) and the staged rows are committed in one
SQLite transaction. A slot fails when its file could not be opened, written, flushed, fsynced or renamed
(``crawler.feeds.PartFile``): then nothing of the run is recorded, whichever feed it was. A crash or
SIGKILL before that point commits nothing either, so the next run emits those articles again:
at-least-once delivery into finished files, never "seen but never written".
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.feedexport import FeedExporter

from crawler.feeds import AtomicFileFeedStorage, run_id
from crawler.monitors.coverage import coverage_from_stats
from crawler.nodes import node_of, redis_url
from crawler.state import RunLock, SignatureRow, StateRow, lock_path, state_path
from crawler.state_backend import StateBackend, open_state_store

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def duplicates_path(feed: Path) -> Path:
    """The side file beside a feed: ``tribun/<run>.jsonl`` → ``tribun/<run>.duplicates.jsonl``."""
    return feed.with_name(f"{feed.stem if feed.suffix else feed.name}.duplicates.jsonl")


class StateExtension:
    def __init__(self, crawler: Crawler):
        if not crawler.settings.getbool("TRIBUN_RECORD_RUN", True):
            raise NotConfigured("TRIBUN_RECORD_RUN is off (an ad-hoc command)")
        self.crawler = crawler
        distributed = redis_url(crawler.settings) is not None
        self.path = state_path(crawler.settings)
        # Normally already held by `scrapy crawl` (crawler.commands.crawl); this covers other ways of
        # starting a crawl. Raises StateLocked before any feed file exists. A distributed crawl's nodes share
        # one state in Redis and may share a machine: their round, not a file lock, keeps them one crawl.
        self.lock = None if distributed else RunLock.acquire(lock_path(self.path))
        self.store: StateBackend | None = open_state_store(crawler.settings)
        if distributed:
            self.path = self.store.path
        self.pending: dict[str, StateRow] = {}  # url → this run's decision, not yet committed
        self.exported: set[str] = set()  # URLs whose items reached the feed exporter (item_scraped)
        self.touched: set[str] = set()  # already-stored URLs this run skipped (their last_seen moves on)
        self.lastmods: dict[str, int] = {}  # sitemap lastmod (Unix s) of articles let through, by URL
        self.duplicates: list[dict[str, Any]] = []  # the side file's records
        # Near-duplicate signatures of emitted articles, committed with their rows (TRIBUN_NEAR_DUP_DAYS).
        self.signatures: dict[str, SignatureRow] = {}
        self.near_dup_days = crawler.settings.getfloat("TRIBUN_NEAR_DUP_DAYS", 7)
        self.committed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateExtension:
        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.item_error, signal=signals.item_error)
        crawler.signals.connect(ext.feed_exporter_closed, signal=signals.feed_exporter_closed)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    # --- what the pipeline and the middleware report -------------------------------------------------

    def stage(self, row: StateRow) -> None:
        self.pending[row.url] = row

    def stage_duplicate(self, row: StateRow, similarity: float, kind: str) -> None:
        self.pending[row.url] = row
        node = node_of(self.crawler)
        if node is not None:  # another node may emit (and commit) the original
            node.share_duplicate(row)
        self.duplicates.append({"url": row.url, "duplicate_of": row.duplicate_of,
                                "similarity": round(similarity, 4), "kind": kind})

    def stage_signature(self, row: SignatureRow) -> None:
        self.signatures[row.url] = row

    def near_dup_since(self, now: float | None = None) -> int | None:
        """Oldest publication time (Unix s) the persisted near-duplicate index keeps; None when it is off."""
        if self.near_dup_days <= 0:
            return None
        now = datetime.now(UTC).timestamp() if now is None else now
        return int(now - self.near_dup_days * 86_400)

    def touch(self, url: str) -> None:
        self.touched.add(url)

    # --- signals --------------------------------------------------------------------------------------

    def item_scraped(self, item: Any) -> None:
        url = ItemAdapter(item).get("url")
        if url:
            self.exported.add(url)

    def item_error(self) -> None:
        # A pipeline bug lost an item: the crawl "succeeded" but is incomplete (see crawler.commands.crawl).
        self.crawler.stats.inc_value("tribun/errors/item_pipeline")

    def feed_exporter_closed(self) -> None:
        stats = self.crawler.stats
        failed = {k: v for k, v in stats.get_stats().items() if k.startswith("feedexport/failed_count/")}
        if failed:
            self._not_committed(f"a feed could not be stored ({failed})")
            return
        if stats.get_value("tribun/warc/failed"):
            self._not_committed("the WARC archive could not be written")
            return
        try:
            self._write_duplicates()
            rows = self._rows_to_commit()
            assert self.store is not None
            emitted = {r.url for r in rows if r.duplicate_of is None}
            count = self.store.commit(rows, self.touched, run_id=run_id(self.crawler.spider),
                                      coverage=coverage_from_stats(stats.get_stats()),
                                      signatures=[s for url, s in self.signatures.items() if url in emitted],
                                      prune_before=self.near_dup_since())
        except Exception:
            logger.exception("State commit failed")
            self._not_committed("commit failed")
            return
        self.committed = True
        stats.set_value("tribun/state/committed", count)
        logger.info("State committed: %d row(s) (%d emitted, %d duplicate(s)), %d seen again, in %s",
                    count, sum(1 for r in rows if r.duplicate_of is None),
                    sum(1 for r in rows if r.duplicate_of is not None), len(self.touched), self.path)
        self._close_store()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        # With feeds, feed_exporter_closed comes later and commits. Without any feed nothing was written,
        # so nothing may be marked as emitted.
        if self.crawler.get_extension(FeedExporter) is None and (self.pending or self.touched):
            logger.warning("State not committed: no feed is configured, so nothing was written")
            self._close_store()

    def engine_stopped(self) -> None:
        self._close_store()

    # --- internals ------------------------------------------------------------------------------------

    def _rows_to_commit(self) -> list[StateRow]:
        """Staged rows whose outcome is on disk: emitted articles that reached the feed exporter, and
        duplicates of articles that did (this run) or already were (earlier runs)."""
        assert self.store is not None
        keep: list[StateRow] = []
        for row in self.pending.values():
            if row.duplicate_of is None:
                if row.url in self.exported:
                    keep.append(row)
            elif row.duplicate_of in self.exported or self.store.get(row.duplicate_of) is not None:
                keep.append(row)
        node = node_of(self.crawler)
        if node is not None:  # duplicates other nodes found of the originals this node emitted
            local = {row.url for row in keep}
            keep += [row for row in node.duplicates_of(self.exported) if row.url not in local]
        return keep

    def _write_duplicates(self) -> None:
        if not self.duplicates:
            return
        path = duplicates_path(self._feed_path())
        # The feed's own storage class: the same hidden .part file, fsync and rename.
        storage = AtomicFileFeedStorage(str(path), feed_options={"overwrite": True})
        file = storage.open(self.crawler.spider)
        for record in self.duplicates:
            file.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        storage.store(file)

    def _feed_path(self) -> Path:
        """The first file feed of this run; the default feed location when there is none (``-o -``)."""
        exporter = self.crawler.get_extension(FeedExporter)
        for slot in exporter.slots if exporter else ():
            path = getattr(slot.storage, "path", None)
            if path:
                return Path(path)
        output_dir = Path(self.crawler.settings.get("TRIBUN_OUTPUT_DIR") or ".")
        return output_dir / "tribun" / f"{run_id(self.crawler.spider)}.jsonl"

    def _not_committed(self, why: str) -> None:
        # Read by the crawl command: the run failed even if every page was fine.
        self.crawler.stats.set_value("tribun/state/commit_failed", 1)
        self.crawler.stats.set_value("tribun/state/uncommitted", len(self.pending))
        logger.error("State NOT committed: %s. The %d article(s) of this run will be fetched and emitted "
                     "again by the next run.", why, len(self.pending))
        self._close_store()

    def _close_store(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
