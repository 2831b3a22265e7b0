"""The near-duplicate index of a distributed crawl: the LSH bands and the shingle sets in Redis, shared by
every node of the round, so a syndicated copy is recognised whichever node fetched the original.

Same interface and decision as :class:`crawler.similarity.NearDuplicateIndex`: ``query`` a shingle set, then
``add`` it if it is kept; candidates come from the bands, the overlap is computed exactly.

Two nodes may handle a copy and its original in the same millisecond (their pages are answered together),
so a plain "query, then add" would let both miss each other. Instead ``query`` first registers the text,
atomically (one Lua script) and with a round-wide sequence number, and compares it only with texts
registered before it: of two near-duplicates, the later registration always sees the earlier one. A text
found to be a duplicate is unregistered at once; a kept one is registered pending until ``add`` names its
URL. A candidate still pending is waited for (``add`` follows ``query`` within the same pipeline call,
microseconds later) up to :data:`PENDING_WAIT` seconds, then ignored (its node died in between).

Keys, per round (``<prefix>round:<id>:nd:…``): ``seq`` (counter), ``items`` (hash: id → shingles and
signature, packed), ``seqs`` (hash: id → sequence number), ``owners`` (hash: id → URL, empty while
pending), ``band:<key>`` (set of ids). Every write renews a key's expiry (:data:`RETENTION`), which bounds
Redis's memory the way the window bounds the single-machine index.
"""

from __future__ import annotations

import struct
import time
import uuid
from array import array
from typing import TYPE_CHECKING

from crawler.similarity import MIN_SHINGLES, NUM_PERM, Match, NearDuplicateIndex

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.distributed import Node

RETENTION = 24 * 3600  # seconds an index key lives after its last write
PENDING_WAIT = 2.0  # seconds to wait for a pending candidate's URL

# KEYS: seq, items, seqs, owners, band keys… ARGV: id, packed text, retention. Returns the sequence number.
_REGISTER = """
local seq = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], seq)
redis.call('HSET', KEYS[4], ARGV[1], '')
for i = 1, #KEYS do
    if i > 4 then redis.call('SADD', KEYS[i], ARGV[1]) end
    redis.call('EXPIRE', KEYS[i], ARGV[3])
end
return seq
"""


def pack(text: frozenset[int], signature: tuple[int, ...]) -> bytes:
    return struct.pack("<I", len(text)) + array("I", text).tobytes() + array("Q", signature).tobytes()


def unpack(raw: bytes) -> tuple[array, array]:
    (count,) = struct.unpack_from("<I", raw)
    shingles = array("I")
    shingles.frombytes(raw[4:4 + 4 * count])
    signature = array("Q")
    signature.frombytes(raw[4 + 4 * count:4 + 4 * count + 8 * NUM_PERM])
    return shingles, signature


class RedisNearDuplicateIndex(NearDuplicateIndex):
    def __init__(self, crawler: Crawler, threshold: float = 0.9):
        super().__init__(threshold, capacity=0)
        self.crawler = crawler
        self._node: Node | None = None
        self._script = None
        # The registration of the text last queried and kept: (its shingle set, its id, its band keys).
        self._pending: tuple[frozenset[int], str, list[str]] | None = None

    @property
    def node(self) -> Node:
        if self._node is None:
            from crawler.distributed import Node

            self._node = self.crawler.get_extension(Node)
            self._node.join()
            self._script = self._node.redis.register_script(_REGISTER)
        return self._node

    def _key(self, name: str) -> str:
        return self.node.key(f"nd:{name}")

    def __len__(self) -> int:
        return int(self.node.redis.hlen(self._key("items")))

    def _register(self, text: frozenset[int]) -> tuple[str, int, tuple[int, ...], list[str]]:
        signature, bands = self._signed(text)
        ident = uuid.uuid4().hex
        band_keys = [self._key(f"band:{band}") for band in bands]
        keys = [self._key(n) for n in ("seq", "items", "seqs", "owners")] + band_keys
        seq = int(self._script(keys=keys, args=[ident, pack(text, signature), RETENTION]))  # type: ignore[misc]
        return ident, seq, bands, band_keys

    def _unregister(self, ident: str, band_keys: list[str]) -> None:
        pipe = self.node.redis.pipeline(transaction=True)
        for key in band_keys:
            pipe.srem(key, ident)
        for name in ("items", "seqs", "owners"):
            pipe.hdel(self._key(name), ident)
        pipe.execute()

    def _owners(self, idents: list[str]) -> dict[str, str]:
        """id → URL of the candidates registered earlier, waiting briefly for pending ones."""
        redis = self.node.redis
        deadline = time.monotonic() + PENDING_WAIT
        owners: dict[str, str] = {}
        waiting = idents
        while waiting:
            found = redis.hmget(self._key("owners"), waiting)
            still = []
            for ident, owner in zip(waiting, found, strict=True):
                if owner is None:
                    continue  # unregistered: it was a duplicate itself
                if owner:
                    owners[ident] = owner.decode()
                else:
                    still.append(ident)
            if not still or time.monotonic() > deadline:
                break
            waiting = still
            time.sleep(0.001)
        return owners

    def query(self, text: frozenset[int]) -> Match | None:
        self._pending = None
        if len(text) < MIN_SHINGLES:
            return None
        ident, seq, bands, band_keys = self._register(text)
        redis = self.node.redis
        pipe = redis.pipeline(transaction=False)
        for key in band_keys:
            pipe.smembers(key)
        members = [{m.decode() for m in found} - {ident} for found in pipe.execute()]
        others = list(set().union(*members))
        earlier: list[str] = []
        if others:
            seqs = redis.hmget(self._key("seqs"), others)
            earlier = [o for o, s in zip(others, seqs, strict=True) if s is not None and int(s) < seq]
        match = None
        owners = self._owners(earlier) if earlier else {}
        if owners:
            raw = redis.hmget(self._key("items"), list(owners))
            # The parent's exact decision, over this query's view of the shared index (keyed by URL).
            self._items = {owners[i]: unpack(v) for i, v in zip(owners, raw, strict=True) if v}  # type: ignore[assignment]
            self._buckets = {band: [owners[i] for i in found if i in owners]
                             for band, found in zip(bands, members, strict=True)}
            try:
                match = super().query(text)
            finally:
                self._items.clear()
                self._buckets.clear()
        if match is not None:
            self._unregister(ident, band_keys)
        else:
            self._pending = (text, ident, band_keys)
        return match

    def add(self, key: str, text: frozenset[int]) -> None:
        if len(text) < MIN_SHINGLES:
            return
        if self._pending is None or (self._pending[0] is not text and self._pending[0] != text):
            self.query(text)  # registers it (added without a query first: nothing to compare it with here)
        if self._pending is None:
            return
        _, ident, _ = self._pending
        self._pending = None
        self.node.redis.hset(self._key("owners"), ident, key)
