"""The last item pipeline: lets each article out once, by URL, by body and by near-identical body.

In order, an :class:`~crawler.items.Article` is dropped when

1. its canonical URL was already let out in this run, or by an earlier run (unless it is an update the
   seen-requests middleware fetched on purpose, or ``-a fresh=1``) — stat ``tribun/dedup/url``;
2. its body ``fingerprint`` equals one already let out (this run, or stored) — ``tribun/dedup/fingerprint``;
3. its body is a near-duplicate (word 3-shingle Jaccard ≥ ``TRIBUN_NEAR_DUP_THRESHOLD``) of one let out in
   this run, the same story re-published on another portal — ``tribun/dedup/near``.

Dropped duplicates of kinds 2 and 3 go to the run's ``<run>.duplicates.jsonl`` (``url``, ``duplicate_of``,
``similarity``, ``kind``) and into the state, so later runs skip them at the request level. What is let out
is staged with the state extension and committed only after the feed file is finished.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem, NotConfigured

from crawler.extensions.state import StateExtension
from crawler.items import Article
from crawler.nodes import redis_url
from crawler.similarity import NearDuplicateIndex, shingles
from crawler.state import StateRow, to_epoch
from crawler.urls import canonical_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class DedupPipeline:
    def __init__(self, crawler: Crawler, state: StateExtension, index: NearDuplicateIndex):
        self.crawler = crawler
        self.stats = crawler.stats
        self.state = state
        self.index = index
        self.urls: set[str] = set()  # every URL decided in this run (let out or dropped)
        self.fingerprints: dict[str, str] = {}  # fingerprint → URL let out in this run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        state = crawler.get_extension(StateExtension)
        if state is None:
            raise NotConfigured("needs crawler.extensions.state.StateExtension in EXTENSIONS")
        settings = crawler.settings
        if redis_url(settings):  # a distributed crawl: one index for every node of the round
            from crawler.similarity_redis import RedisNearDuplicateIndex

            index: NearDuplicateIndex = RedisNearDuplicateIndex(crawler,
                                                                settings.getfloat("TRIBUN_NEAR_DUP_THRESHOLD", 0.9))
        else:
            index = NearDuplicateIndex(settings.getfloat("TRIBUN_NEAR_DUP_THRESHOLD", 0.9),
                                       settings.getint("TRIBUN_NEAR_DUP_WINDOW", 5_000))
        return cls(crawler, state, index)

    def process_item(self, item: object) -> object:
        if not isinstance(item, Article):
            return item
        fresh = bool(getattr(self.crawler.spider, "fresh", False))
        store = None if fresh else self.state.store
        url = item.url = canonical_url(item.url)

        if url in self.urls:
            self._drop("url", f"URL already emitted in this run: {url}")
        self.urls.add(url)
        stored = store.get(url) if store is not None else None
        if stored is not None and not item.is_update:
            # The middleware normally skips these before download; this catches any other way in.
            self.state.touch(url)
            self._drop("url", f"URL emitted by an earlier run: {url}")
        item.is_update = stored is not None

        fingerprint = item.fingerprint or None
        if fingerprint:
            original = self.fingerprints.get(fingerprint)
            if original is None and store is not None:
                twin = store.by_fingerprint(fingerprint)
                if twin is not None and twin.url != url:
                    original = twin.duplicate_of or twin.url
            if original is not None:
                self._duplicate(item, original, 1.0, "fingerprint")

        text = shingles(item.body)
        match = self.index.query(text)
        if match is not None:
            self._duplicate(item, match.key, match.similarity, "near")

        self.index.add(url, text)
        if fingerprint:
            self.fingerprints[fingerprint] = url
        modified = max((t for t in (to_epoch(item.modified_at), self.state.lastmods.pop(url, None)) if t),
                       default=None)
        self.state.stage(StateRow(url, fingerprint, None, to_epoch(item.published_at), modified))
        if item.is_update:
            self.stats.inc_value("tribun/dedup/updates")
        return item

    def _duplicate(self, item: Article, original: str, similarity: float, kind: str) -> None:
        self.state.stage_duplicate(
            StateRow(item.url, item.fingerprint or None, original, to_epoch(item.published_at),
                     to_epoch(item.modified_at)),
            similarity, kind)
        logger.info("Duplicate (%s, similarity %.3f): %s repeats %s; not emitted", kind, similarity, item.url,
                    original)
        self._drop(kind, f"{kind} duplicate of {original}: {item.url}")

    def _drop(self, kind: str, message: str) -> None:
        self.stats.inc_value(f"tribun/dedup/{kind}")
        # DEBUG: a duplicate is routine, and Scrapy's drop message prints the whole item.
        raise DropItem(message, log_level="DEBUG")
