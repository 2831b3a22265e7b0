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

Keys, per round (``<prefix>round:<id>:nd:…``): ``seq`` (the counter; a text's id is its sequence number),
``items`` (hash: id → shingles and signature, packed), ``owners`` (hash: id → URL, empty while pending),
``ids`` (hash: URL → id, to discard by URL), ``bands`` (hash: band key, 8 bytes → the ids in that bucket,
space-separated).

What decides which of two copies is the original lives beside them, so a node can apply the rule to an
article another node met: ``records`` (hash: URL → JSON ``[published_at, origin, origin_url, fingerprint,
held]``, written before the URL is added) and ``fates`` (hash: URL of a copy held back on its node → either
``released`` or JSON ``[original URL, similarity, kind]``). A held copy's fate is set once (``HSETNX``): by
the node meeting its original (the copy is then recorded as that original's duplicate, not released), or by
its own node releasing it at its run's end (an original met afterwards is emitted with the copy in
``copies``); whichever comes first decides, on every node alike. Three hashes rather than a set per
band: one key per band bucket would cost Redis's per-key overhead 32 times per article. Every write renews
the keys' expiry (:data:`RETENTION`), which bounds Redis's memory the way the window bounds the
single-machine index.
"""

from __future__ import annotations

import json
import struct
import time
from array import array
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crawler.similarity import MIN_SHINGLES, NUM_PERM, Match, NearDuplicateIndex
from crawler.syndication import Provenance

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.distributed import Node

RETENTION = 24 * 3600  # seconds an index key lives after its last write
PENDING_WAIT = 2.0  # seconds to wait for a pending candidate's URL

# KEYS: seq, items, owners, bands. ARGV: packed text, retention, band keys… Returns the new id.
_REGISTER = """
local id = tostring(redis.call('INCR', KEYS[1]))
redis.call('HSET', KEYS[2], id, ARGV[1])
redis.call('HSET', KEYS[3], id, '')
for i = 3, #ARGV do
    local ids = redis.call('HGET', KEYS[4], ARGV[i])
    redis.call('HSET', KEYS[4], ARGV[i], ids and (ids .. ' ' .. id) or id)
end
for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ARGV[2]) end
return id
"""
# KEYS: items, owners, bands. ARGV: id, band keys…
_UNREGISTER = """
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
for i = 2, #ARGV do
    local ids = redis.call('HGET', KEYS[3], ARGV[i])
    if ids then
        local kept = {}
        for other in string.gmatch(ids, '%S+') do
            if other ~= ARGV[1] then table.insert(kept, other) end
        end
        if #kept == 0 then redis.call('HDEL', KEYS[3], ARGV[i])
        else redis.call('HSET', KEYS[3], ARGV[i], table.concat(kept, ' ')) end
    end
end
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


def _band_field(band: int) -> bytes:
    return struct.pack("<q", band)


RELEASED = "released"


@dataclass(frozen=True, slots=True)
class RoundRecord:
    """An article some node of the round let out or held back: what the original-wins rule needs of it."""

    provenance: Provenance
    fingerprint: str | None
    held: bool  # held back on its node (until its fate is set)
    fate: str | tuple[str, float, str] | None  # None, RELEASED, or (original URL, similarity, kind)


class RedisNearDuplicateIndex(NearDuplicateIndex):
    def __init__(self, crawler: Crawler, threshold: float = 0.9):
        super().__init__(threshold, capacity=0)
        self.crawler = crawler
        self._node: Node | None = None
        self._scripts: tuple[Any, Any] | None = None
        # The registration of the text last queried and kept: (its shingle set, its id, its band fields).
        self._pending: tuple[frozenset[int], int, list[bytes]] | None = None

    @property
    def node(self) -> Node:
        if self._node is None:
            from crawler.distributed import Node

            self._node = self.crawler.get_extension(Node)
            self._node.join()
            self._scripts = (self._node.redis.register_script(_REGISTER),
                             self._node.redis.register_script(_UNREGISTER))
        return self._node

    def _key(self, name: str) -> str:
        return self.node.key(f"nd:{name}")

    def __len__(self) -> int:
        return int(self.node.redis.hlen(self._key("items")))

    def _register(self, text: frozenset[int]) -> tuple[int, tuple[int, ...], list[bytes]]:
        signature, bands = self._signed(text)
        fields = [_band_field(band) for band in bands]
        keys = [self._key(n) for n in ("seq", "items", "owners", "bands")]
        assert self._scripts is not None
        ident = int(self._scripts[0](keys=keys, args=[pack(text, signature), RETENTION, *fields]))
        return ident, bands, fields

    def _unregister(self, ident: int, fields: list[bytes]) -> None:
        assert self._scripts is not None
        self._scripts[1](keys=[self._key(n) for n in ("items", "owners", "bands")], args=[ident, *fields])

    def _owners(self, idents: list[int]) -> dict[int, str]:
        """id → URL of the candidates registered earlier, waiting briefly for pending ones."""
        redis = self.node.redis
        deadline = time.monotonic() + PENDING_WAIT
        owners: dict[int, str] = {}
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
        _ = self.node
        ident, bands, fields = self._register(text)
        redis = self.node.redis
        # Only texts registered before this one: of two near-duplicates, the later one is the copy.
        members = [[int(i) for i in (ids or b"").split() if int(i) < ident]
                   for ids in redis.hmget(self._key("bands"), fields)]
        earlier = list(dict.fromkeys(i for found in members for i in found))
        owners = self._owners(earlier) if earlier else {}
        match = None
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
            self._unregister(ident, fields)
        else:
            self._pending = (text, ident, fields)
        return match

    def add(self, key: str, text: frozenset[int]) -> None:
        if len(text) < MIN_SHINGLES:
            return
        if self._pending is None or (self._pending[0] is not text and self._pending[0] != text):
            # Kept although its query matched (an original that superseded its copy), or added without a
            # query: registered as it is, later texts compare with it.
            ident, _, _ = self._register(text)
        else:
            _, ident, _ = self._pending
        self._pending = None
        pipe = self.node.redis.pipeline(transaction=False)
        pipe.hset(self._key("owners"), ident, key)
        pipe.hset(self._key("ids"), key, ident)
        pipe.expire(self._key("ids"), RETENTION)
        pipe.execute()

    def discard(self, key: str) -> None:
        """Forgets ``key`` (a held copy that turned out to be a duplicate), whichever node added it."""
        redis = self.node.redis
        ident = redis.hget(self._key("ids"), key)
        raw = redis.hget(self._key("items"), ident) if ident is not None else None
        if raw is None:
            return
        bands = self._band_keys(unpack(raw)[1])
        self._unregister(int(ident), [_band_field(band) for band in bands])
        redis.hdel(self._key("ids"), key)

    # --- what the rule needs of the round's articles ----------------------------------------------------

    def describe(self, provenance: Provenance, fingerprint: str | None, held: bool) -> None:
        """Records what another node needs to decide against this article (before it is added)."""
        value = json.dumps([provenance.published_at, provenance.origin, provenance.origin_url, fingerprint, held],
                           separators=(",", ":"))
        pipe = self.node.redis.pipeline(transaction=False)
        pipe.hset(self._key("records"), provenance.url, value)
        pipe.expire(self._key("records"), RETENTION)
        pipe.execute()

    def record_of(self, url: str) -> RoundRecord | None:
        """What the round knows of ``url``; for a held copy superseded since, its original's record."""
        record = self._record(url)
        if record is not None and isinstance(record.fate, tuple):
            return self._record(record.fate[0]) or record
        return record

    def _record(self, url: str) -> RoundRecord | None:
        raw, fate = self.node.redis.hmget(self._key("records"), url), self.node.redis.hget(self._key("fates"), url)
        if raw[0] is None:
            return None
        published_at, origin, origin_url, fingerprint, held = json.loads(raw[0])
        decided: str | tuple[str, float, str] | None = None
        if fate is not None:
            decided = RELEASED if fate == RELEASED.encode() else tuple(json.loads(fate))  # type: ignore[assignment]
        return RoundRecord(Provenance(url, published_at, origin, origin_url), fingerprint, held, decided)

    def supersede(self, copy: str, original: str, similarity: float, kind: str) -> bool:
        """Settles a copy held on another node as ``original``'s duplicate; False when it was released first."""
        redis = self.node.redis
        settled = bool(redis.hsetnx(self._key("fates"), copy, json.dumps([original, similarity, kind])))
        redis.expire(self._key("fates"), RETENTION)
        if settled:
            self.discard(copy)
        return settled

    def round_done(self, done: bool) -> bool:
        """Notes whether this node has nothing left in the round (``done``); True when no live node of the round
        has anything left, so no original can arrive any more. A node that died counts as live until its
        heartbeat is older than the round's lease."""
        node, key = self.node, self._key("done")
        if not done:
            node.redis.srem(key, node.name)
            return False
        seconds, micros = node.redis.time()
        pipe = node.redis.pipeline(transaction=False)
        pipe.sadd(key, node.name)
        pipe.expire(key, RETENTION)
        pipe.zrangebyscore(node.key("nodes"), seconds + micros / 1e6 - node.lease, "+inf")
        pipe.smembers(key)
        _, _, live, finished = pipe.execute()
        return set(live) <= set(finished) | {node.name.encode()}

    def release(self, copy: str) -> tuple[str, float, str] | None:
        """Settles a held copy as released; if its original was met first (on any node), returns
        (original URL, similarity, kind) instead and the copy must not be emitted."""
        redis = self.node.redis
        if redis.hsetnx(self._key("fates"), copy, RELEASED):
            redis.expire(self._key("fates"), RETENTION)
            return None
        fate = redis.hget(self._key("fates"), copy)
        if fate is None or fate == RELEASED.encode():
            return None
        original, similarity, kind = json.loads(fate)
        return original, float(similarity), kind
