"""The last item pipeline: lets each story out once, by URL, by body and by near-identical body, and lets
out the original rather than another portal's copy.

In order, an :class:`~crawler.items.Article` is dropped when

1. its canonical URL was already let out in this run, or by an earlier run (unless it is an update the
   seen-requests middleware fetched on purpose, or ``-a fresh=1``) — stat ``tribun/dedup/url``;
2. it repeats an article of this run or of the state (an earlier run), and of the two it is the copy
   (``crawler.syndication.original_of``): its body ``fingerprint`` is the same — ``tribun/dedup/fingerprint``
   — or its body is a near-duplicate (word 3-shingle overlap ≥ ``TRIBUN_NEAR_DUP_THRESHOLD``) —
   ``tribun/dedup/near``. Earlier runs' bodies are compared through the near-duplicate index persisted in
   the state for ``TRIBUN_NEAR_DUP_DAYS``.

When the article is the *original* of what it repeats: a copy held back in this run is recorded as its
duplicate instead; a copy already emitted (by an earlier run, or earlier in this run without a credit to
tell it apart) stays, and the original is emitted with that copy's URL in ``copies``
(``tribun/dedup/original_after_copy``).

An article whose credit names another portal of the network as its origin is a copy whatever else is known,
so when nothing emitted repeats it, it is *held back* (``tribun/dedup/held``, at most
``TRIBUN_SYNDICATION_HOLD``) instead of emitted: if its original arrives later in the run, the original is
emitted and the copy recorded. At the run's end (``spider_idle``) the copies still held are sent through the
item pipelines again (:meth:`Scraper.start_itemproc_async`) and emitted (``tribun/dedup/released``), the
spider kept open (``DontCloseSpider``) until they are in the feed. Held copies live only in memory and are
staged nowhere: a run killed before its end records nothing of them, and the next run decides again.

In a distributed crawl (``TRIBUN_REDIS_URL``) "this run" is the round: the round's index
(:class:`crawler.similarity_redis.RedisNearDuplicateIndex`) also tells what decides the original of an
article another node met, and a copy held back on another node is settled there once, either superseded by
its original (its node then records it instead of releasing it) or released (an original met afterwards is
emitted with it in ``copies``); held copies are released only once no live node of the round has
anything left.

Dropped duplicates go to the run's ``<run>.duplicates.jsonl`` (``url``, ``duplicate_of``, ``similarity``,
``kind``) and into the state, so later runs skip them at the request level. What is let out is staged with
the state extension and committed only after the feed file is finished.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from crawler.extensions.state import StateExtension
from crawler.items import Article
from crawler.nodes import redis_url
from crawler.similarity import (
    MIN_SHINGLES,
    NearDuplicateIndex,
    pack_bands,
    pack_shingles,
    pack_signature,
    shingles,
    unpack_shingles,
    unpack_signature,
)
from crawler.state import SignatureRow, StateRow, to_epoch
from crawler.state_backend import StateBackend
from crawler.syndication import Provenance, original_of, provenance
from crawler.urls import canonical_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.similarity_redis import RedisNearDuplicateIndex

logger = logging.getLogger(__name__)

EMITTED, HELD, STORED = "emitted", "held", "stored"
HELD_ELSEWHERE = "held elsewhere"  # held back on another node of the round (distributed mode)


@dataclass(frozen=True, slots=True)
class Repeat:
    """What an article repeats: the other article, how alike they are, and where that one stands."""

    other: Provenance
    similarity: float
    kind: str  # "fingerprint" or "near"
    where: str  # EMITTED in this run, HELD back in this run (HELD_ELSEWHERE: by another node), or STORED


@dataclass(slots=True)
class _Held:
    item: Article
    text: frozenset[int]


class DedupPipeline:
    def __init__(self, crawler: Crawler, state: StateExtension, index: NearDuplicateIndex, hold_max: int = 1_000):
        self.crawler = crawler
        self.stats = crawler.stats
        self.state = state
        self.index = index
        # Distributed mode: the round's index, which also knows the articles other nodes met.
        self.shared: RedisNearDuplicateIndex | None = index if hasattr(index, "record_of") else None  # type: ignore[assignment]
        self.hold_max = hold_max
        self.urls: set[str] = set()  # every URL decided in this run (let out, held or dropped)
        self.fingerprints: dict[str, str] = {}  # fingerprint → URL let out (or held) in this run
        self.seen: dict[str, Provenance] = {}  # URL let out or held in this run → what decides originals
        self.held: dict[str, _Held] = {}  # copies held back until the run's end, in arrival order
        self.releasing: set[int] = set()  # id() of held items sent through the pipelines at the run's end
        self._hold_full_logged = False
        self._waiting_logged = False

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
        pipeline = cls(crawler, state, index, settings.getint("TRIBUN_SYNDICATION_HOLD", 1_000))
        crawler.signals.connect(pipeline.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item: object) -> object:
        if not isinstance(item, Article):
            return item
        if id(item) in self.releasing:
            self.releasing.discard(id(item))
            self.held.pop(item.url, None)
            self.stats.inc_value("tribun/dedup/released")
            self._let_out(item, shingles(item.body))
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

        mine = provenance(item)
        text = shingles(item.body)
        repeat = self._repeat_in_run(item, text) or (self._repeat_stored(item, text, store) if store else None)
        if repeat is not None:
            if original_of(mine, repeat.other) is repeat.other:
                self._duplicate(item, repeat.other.url, repeat.similarity, repeat.kind)
            elif repeat.where == HELD and self._supersede(repeat, item, text):
                pass
            elif repeat.where == HELD_ELSEWHERE and self.shared is not None \
                    and self.shared.supersede(repeat.other.url, url, repeat.similarity, repeat.kind):
                self.stats.inc_value("tribun/dedup/superseded_elsewhere")
                logger.info("Original %s arrived: its copy %s, held back on another node, is not emitted", url,
                            repeat.other.url)
            else:  # emitted already (a copy held elsewhere counts once its node released it)
                item.copies = [*item.copies, repeat.other.url]
                self.stats.inc_value("tribun/dedup/original_after_copy")
                logger.info("Original %s of %s, which was emitted %s: emitted with it in `copies`", url,
                            repeat.other.url, "by an earlier run" if repeat.where == STORED else "earlier in this run")

        self.seen[url] = mine
        if fingerprint := item.fingerprint or None:
            self.fingerprints.setdefault(fingerprint, url)
        hold = mine.credited and not item.is_update and len(self.held) < self.hold_max
        if self.shared is not None:
            self.shared.describe(mine, item.fingerprint or None, hold)
        self.index.add(url, text)
        if mine.credited and not item.is_update:
            if hold:
                self.held[url] = _Held(item, text)
                self.stats.inc_value("tribun/dedup/held")
                logger.info("Holding back %s until the run's end: it credits %s as its origin", url,
                            mine.origin_url or mine.origin)
                raise DropItem(f"held back as a copy of another portal's article: {url}", log_level="DEBUG")
            self.stats.inc_value("tribun/dedup/hold_full")
            if not self._hold_full_logged:
                self._hold_full_logged = True
                logger.warning("%d copies are held back already (TRIBUN_SYNDICATION_HOLD): further copies are "
                               "emitted when met, before their original may arrive", self.hold_max)
        self._let_out(item, text)
        if item.is_update:
            self.stats.inc_value("tribun/dedup/updates")
        return item

    # --- finding what an article repeats ------------------------------------------------------------------

    def _repeat_in_run(self, item: Article, text: frozenset[int]) -> Repeat | None:
        twin = self.fingerprints.get(item.fingerprint) if item.fingerprint else None
        if twin is not None and twin != item.url:
            return Repeat(self.seen[twin], 1.0, "fingerprint", HELD if twin in self.held else EMITTED)
        match = self.index.query(text)
        if match is not None and match.key != item.url and match.key in self.seen:
            return Repeat(self.seen[match.key], match.similarity, "near", HELD if match.key in self.held else EMITTED)
        if match is not None and match.key != item.url and self.shared is not None:
            return self._repeat_elsewhere(item, match.key, match.similarity)
        return None

    def _repeat_elsewhere(self, item: Article, key: str, similarity: float) -> Repeat | None:
        """What ``item`` repeats when the round's index matched an article another node met."""
        assert self.shared is not None
        record = self.shared.record_of(key)
        if record is None:  # its node has not described it (it died in between): nothing to decide against
            return None
        kind = "fingerprint" if item.fingerprint and record.fingerprint == item.fingerprint else "near"
        other = record.provenance
        if other.url in self.seen:  # a copy held here, superseded on another node: its original's record
            return Repeat(self.seen[other.url], similarity, kind, HELD if other.url in self.held else EMITTED)
        held = record.held and record.fate is None
        return Repeat(other, similarity, kind, HELD_ELSEWHERE if held else EMITTED)

    def _repeat_stored(self, item: Article, text: frozenset[int], store: StateBackend) -> Repeat | None:
        since = self.state.near_dup_since()
        near: dict[str, SignatureRow] = {}
        if since is not None and len(text) >= MIN_SHINGLES:
            _, bands = self.index.signed(text)
            near = {row.url: row for row in store.near_duplicate_candidates(bands, since) if row.url != item.url}
        if item.fingerprint:
            twin = store.by_fingerprint(item.fingerprint)
            if twin is not None and twin.url != item.url:
                original = twin.duplicate_of or twin.url
                row = near.get(original)
                if row is not None:
                    return Repeat(_provenance_of(row), 1.0, "fingerprint", STORED)
                known = store.get(original)
                return Repeat(Provenance(original, known.published_at if known else twin.published_at), 1.0,
                              "fingerprint", STORED)
        if not near:
            return None
        match = self.index.best_of(text, ((row.url, unpack_shingles(row.shingles), unpack_signature(row.signature))
                                          for row in near.values()))
        return Repeat(_provenance_of(near[match.key]), match.similarity, "near", STORED) if match else None

    # --- outcomes -------------------------------------------------------------------------------------------

    def _let_out(self, item: Article, text: frozenset[int]) -> None:
        modified = max((t for t in (to_epoch(item.modified_at), self.state.lastmods.pop(item.url, None)) if t),
                       default=None)
        published = to_epoch(item.published_at)
        self.state.stage(StateRow(item.url, item.fingerprint or None, None, published, modified))
        since = self.state.near_dup_since()
        if since is not None and published is not None and published >= since and text:
            mine = self.seen.get(item.url) or provenance(item)
            signature, bands = self.index.signed(text)
            self.state.stage_signature(SignatureRow(item.url, published, mine.origin, mine.origin_url,
                                                    pack_shingles(text), pack_signature(signature), pack_bands(bands)))

    def _supersede(self, repeat: Repeat, original: Article, text: frozenset[int]) -> bool:
        """``original`` arrived while its copy was held: the copy becomes its recorded duplicate. False when the
        copy is already on its way out (released at the run's end)."""
        if self.shared is not None and not self.shared.supersede(repeat.other.url, original.url, repeat.similarity,
                                                                 repeat.kind):
            return False
        copy = self.held.pop(repeat.other.url).item
        self.index.discard(copy.url)
        self._settle(copy, original.url, repeat.similarity, repeat.kind)
        logger.info("Original %s arrived: its copy %s, held back, is not emitted", original.url, copy.url)
        return True

    def _settle(self, copy: Article, original: str, similarity: float, kind: str) -> None:
        """Records a held copy as ``original``'s duplicate, with the copies recorded against it."""
        if copy.fingerprint and self.fingerprints.get(copy.fingerprint) == copy.url:
            del self.fingerprints[copy.fingerprint]
        self.seen.pop(copy.url, None)
        self._record(copy, original, similarity, kind)
        # Copies recorded against the held one repeat the original too.
        for url, row in list(self.state.pending.items()):
            if row.duplicate_of == copy.url:
                self.state.pending[url] = replace(row, duplicate_of=original)
        for record in self.state.duplicates:
            if record["duplicate_of"] == copy.url:
                record["duplicate_of"] = original

    def _duplicate(self, item: Article, original: str, similarity: float, kind: str) -> None:
        self._record(item, original, similarity, kind)
        self._drop(kind, f"{kind} duplicate of {original}: {item.url}")

    def _record(self, item: Article, original: str, similarity: float, kind: str) -> None:
        self.state.stage_duplicate(
            StateRow(item.url, item.fingerprint or None, original, to_epoch(item.published_at),
                     to_epoch(item.modified_at)),
            similarity, kind)
        self.stats.inc_value(f"tribun/dedup/{kind}")
        logger.info("Duplicate (%s, similarity %.3f): %s repeats %s; not emitted", kind, similarity, item.url,
                    original)

    def _drop(self, kind: str, message: str) -> None:
        if kind == "url":
            self.stats.inc_value("tribun/dedup/url")
        # DEBUG: a duplicate is routine, and Scrapy's drop message prints the whole item.
        raise DropItem(message, log_level="DEBUG")

    # --- the run's end --------------------------------------------------------------------------------------

    def spider_idle(self) -> None:
        """Nothing is left to crawl: the copies still held have no original in this run, so they go out."""
        # Items already released are through the pipelines by the next idle (the scraper counts them as in
        # progress until then): only copies not yet released keep the spider open.
        pending = [h.item for h in self.held.values() if id(h.item) not in self.releasing]
        if self.shared is not None:
            # The node extension, connected first, has just decided whether this node has anything left.
            done = self.shared.node.done
            if not self.shared.round_done(done) and pending:
                if not done:
                    return  # the node keeps the spider open itself
                if not self._waiting_logged:
                    self._waiting_logged = True
                    logger.info("Holding %d cop%s back until the round's other nodes have nothing left: they may "
                                "still meet the originals", len(pending), "y" if len(pending) == 1 else "ies")
                raise DontCloseSpider
            pending = [item for item in pending if not self._superseded_elsewhere(item)]
        if not pending:
            return
        logger.info("Releasing %d held-back cop%s: no original met in this run", len(pending),
                    "y" if len(pending) == 1 else "ies")
        scraper = self.crawler.engine.scraper
        for item in pending:
            self.releasing.add(id(item))
            # Through every item pipeline and on to the feed exporter, as a spider's item would go.
            deferred_from_coro(scraper.start_itemproc_async(item, response=None)).addBoth(self._wake_engine)
        raise DontCloseSpider

    def _wake_engine(self, result: object) -> object:
        """Lets the engine look at once whether the crawl is over, rather than at its next 5-second heartbeat:
        a finished item, unlike a finished download, does not make it look by itself."""
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()
        return result

    def _superseded_elsewhere(self, copy: Article) -> bool:
        """Settles a held copy's fate in the round: True when another node met its original first (the copy is
        then recorded as its duplicate), False when it is released."""
        assert self.shared is not None
        fate = self.shared.release(copy.url)
        if fate is None:
            return False
        original, similarity, kind = fate
        del self.held[copy.url]
        self._settle(copy, original, similarity, kind)
        logger.info("Original %s was met on another node: its copy %s, held back, is not emitted", original,
                    copy.url)
        return True

    def spider_closed(self, reason: str) -> None:
        if self.held:
            # Closed early (Ctrl-C, an error limit): nothing of them was staged, so the next run decides again.
            logger.info("%d held-back cop%s not emitted: the run closed (%s) before its end; the next run "
                        "decides again", len(self.held), "y" if len(self.held) == 1 else "ies", reason)


def _provenance_of(row: SignatureRow) -> Provenance:
    return Provenance(row.url, row.published_at, row.origin, row.origin_url)
