"""Near-duplicate detection for article bodies: word shingles, MinHash, and an LSH index over one run.

The same story re-published on another portal keeps its body but gains or changes a reporter line, a
caption that leaked into the text, a lede paragraph or the footer, so the fingerprints differ while most
word 3-shingles are shared. Such additions sink the Jaccard index quickly (25 added words on a 200-word
story already give 0.88), so two bodies are near-duplicates when

* their *overlap* |A ∩ B| / min(|A|, |B|) — the share of the shorter body found in the longer — is at
  least the threshold (0.9 by default), and
* they are of comparable length (the shorter has at least half the shingles of the longer; a three-paragraph
  news flash is not a duplicate of the full article that quotes it), and
* the shorter has at least ``MIN_SHINGLES`` shingles (two one-line video captions are not one story).

MinHash signatures banded into an LSH table pick the candidates; the overlap is then computed exactly. The
bands are sized so that every pair meeting the rules above is a candidate with probability ≥ 0.99, while
unrelated articles almost never are: a query costs about the same with ten or ten thousand articles in the
index (no pairwise comparison).

Hand-written rather than ``datasketch``: datasketch needs numpy and scipy (about 200 MB installed, a
noticeable import on every cron run) for what is here some 80 lines, and the decision needs the exact
overlap of the candidates anyway (an estimate from 64 permutations is ±0.05 around the threshold).

Cost matters: this runs on every article in the crawl's single event-loop thread. Shingle hashing and the
signature are built from C-level steps (``zlib.crc32`` per word, the tuple hash per word triple, one sort),
not a Python loop per shingle and permutation: about 0.1 ms for a 1,000-word body (``bench/``).
"""

from __future__ import annotations

import math
import operator
import re
import sys
import zlib
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat

_WORD = re.compile(r"\w+")

SHINGLE_WORDS = 3
NUM_PERM = 64  # signature length: one-permutation hashing bins
MIN_SHINGLES = 20  # about 22 words
SIZE_RATIO = 0.5  # the shorter body must have at least this share of the longer one's shingles

_MASK32 = 0xFFFFFFFF
_BIN_BITS = 26  # 32-bit shingle hashes: the top 6 bits pick one of NUM_PERM = 64 bins
assert NUM_PERM == 1 << (32 - _BIN_BITS)


def _word_ids(words: list[str]) -> list[int]:
    # crc32, not hash(): str hashes are salted per process, and reproducible runs need stable values.
    return list(map(zlib.crc32, map(str.encode, words)))


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[int]:
    """32-bit hashes of the text's word ``size``-shingles (case-folded words, punctuation ignored).

    A text shorter than ``size`` words is one shingle; an empty text has none. A shingle's hash is the
    tuple hash of its words' CRC-32s: ints and tuples of ints hash alike in every process (only str and
    bytes hashes are salted), and the tuple hash mixes well enough for MinHash, unlike CRC-32 itself.
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return frozenset()
    ids = _word_ids(words)
    if len(ids) <= size:
        return frozenset((hash(tuple(ids)) & _MASK32,))
    grams = zip(*(ids[i:] for i in range(size)), strict=False)
    return frozenset(map(_MASK32.__and__, map(hash, grams)))


def overlap(a: frozenset[int], b: Collection[int]) -> float:
    """|a ∩ b| / min(|a|, |b|): the share of the smaller shingle set found in the other (``b`` may be any
    collection of distinct hashes, such as the arrays the index keeps); 0.0 when either is empty."""
    smaller = min(len(a), len(b))
    return len(a.intersection(b)) / smaller if smaller else 0.0


def minhash(hashes: Collection[int]) -> tuple[int, ...]:
    """MinHash signature of a non-empty shingle set by one-permutation hashing (Li, Owen & Zhang 2012).

    The hashes are uniform 32-bit values; their top bits split them into ``NUM_PERM`` bins and each bin's
    minimum is one coordinate, so a signature costs one sort instead of one pass per permutation. Two sets
    agree on a bin with probability equal to their Jaccard index. An empty bin (short texts) borrows the
    next non-empty bin's minimum tagged with the distance (rotation densification, Shrivastava & Li 2014),
    which keeps that property for every coordinate.
    """
    ordered = sorted(hashes)
    if not ordered:
        raise ValueError("minhash of an empty set")
    size = len(ordered)
    sig: list[int | None] = [None] * NUM_PERM
    for b in range(NUM_PERM):
        i = bisect_left(ordered, b << _BIN_BITS)
        if i < size and ordered[i] >> _BIN_BITS == b:
            sig[b] = ordered[i]
    if None in sig:
        real = list(sig)
        following: tuple[int, int] | None = None  # (position, minimum) of the next non-empty bin
        # Twice round the circle from the end, so every empty bin has seen the next non-empty one.
        for position in range(2 * NUM_PERM - 1, -1, -1):
            b = position % NUM_PERM
            if real[b] is not None:
                following = (position, real[b])  # type: ignore[assignment]
            elif following is not None and sig[b] is None:
                sig[b] = ((following[0] - position) << 32) | following[1]
    return tuple(sig)  # type: ignore[arg-type]


def lowest_jaccard(threshold: float, size_ratio: float = SIZE_RATIO) -> float:
    """The smallest Jaccard index a near-duplicate pair can have: overlap ``threshold`` between a body and
    one ``1 / size_ratio`` times longer."""
    common = threshold * size_ratio  # in units of the longer body
    return common / (1 + size_ratio - common)


def band_rows(jaccard: float, num_perm: int = NUM_PERM, recall: float = 0.99) -> int:
    """Rows per LSH band: the most (fewest false candidates) that still make a pair with this Jaccard
    index a candidate with probability ≥ ``recall``; more similar pairs are found even more surely."""
    for rows in (16, 8, 4, 3, 2):
        if 1 - (1 - jaccard**rows) ** (num_perm // rows) >= recall:
            return rows
    return 1


# One byte of each signature coordinate (its lowest, whatever the machine's byte order): equal coordinates
# have equal bytes, so counting equal bytes over-counts agreement by 1/256 a coordinate at most.
_LOW_BYTE = 0 if sys.byteorder == "little" else 7


def quick_signature(signature: Sequence[int]) -> bytes:
    """The screening form of a signature: the low byte of each coordinate (see ``NearDuplicateIndex.query``)."""
    return array("Q", signature).tobytes()[_LOW_BYTE::8]


def _packed(values: array) -> bytes:
    # Little-endian on disk whatever the machine, so a state file moves between machines.
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _unpacked(typecode: str, data: bytes) -> array:
    values = array(typecode)
    values.frombytes(data)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def pack_shingles(text: Collection[int]) -> bytes:
    """A shingle set as stored (4 bytes a shingle); :func:`unpack_shingles` reads it back."""
    return _packed(array("I", text))


def unpack_shingles(data: bytes) -> array:
    return _unpacked("I", data)


def pack_signature(signature: Sequence[int]) -> bytes:
    """A MinHash signature as stored, 8 bytes a coordinate."""
    return _packed(array("Q", signature))


def pack_bands(bands: Sequence[int]) -> bytes:
    """LSH band keys (signed 64-bit, as SQLite integers are) as stored."""
    return _packed(array("q", bands))


def unpack_signature(data: bytes) -> array:
    return _unpacked("Q", data)


def unpack_bands(data: bytes) -> array:
    return _unpacked("q", data)


@dataclass(frozen=True, slots=True)
class Match:
    key: str  # the indexed item this one duplicates
    similarity: float  # exact overlap of the two shingle sets


class NearDuplicateIndex:
    """The near-duplicate index of one run: ``query`` a text, then ``add`` it if it is kept.

    Keeps the shingle sets of at most ``capacity`` items, oldest forgotten first, so a long backfill has
    bounded memory; syndicated copies appear close together in time, which is what the window has to
    cover. Shingle hashes are 32-bit (4 bytes a stored shingle): the exact overlap of two stories of a few
    hundred shingles is not moved by the rare 32-bit collision, and the memory of a 20,000-article run
    stays flat.
    """

    def __init__(self, threshold: float = 0.9, capacity: int = 5_000):
        if not 0 < threshold <= 1:
            raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.capacity = capacity
        self.rows = band_rows(lowest_jaccard(threshold))
        self._buckets: dict[int, list[str]] = {}
        # key -> (its shingles, its signature); bands are recomputed from the signature when forgotten.
        self._items: OrderedDict[str, tuple[array, array]] = OrderedDict()
        self._quick: dict[str, bytes] = {}  # key -> quick_signature of its signature
        # query() then add() of the same text is the common path: its signature is computed once.
        self._last: tuple[frozenset[int], tuple[int, ...], tuple[int, ...]] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def _band_keys(self, signature: Sequence[int]) -> tuple[int, ...]:
        r = self.rows
        # The band number is part of the key: equal rows in different bands are not a match. A tuple of
        # ints hashes the same in every process (only str/bytes hashes are salted). zip builds each band's
        # tuple (band, its r coordinates) in C: the key of band b is hash((b, *signature[b*r:(b+1)*r])). The
        # range stops zip before coordinates that fill no whole band.
        bands = range(len(signature) // r)
        return tuple(map(hash, zip(bands, *(signature[i::r] for i in range(r)), strict=False)))

    def signed(self, text: frozenset[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(MinHash signature, LSH band keys) of ``text``: what a stored index keeps and looks up by."""
        return self._signed(text)

    def _signed(self, text: frozenset[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(signature, band keys) of ``text``."""
        if self._last is not None and self._last[0] is text:
            return self._last[1], self._last[2]
        signature = minhash(text)
        bands = self._band_keys(signature)
        self._last = (text, signature, bands)
        return signature, bands

    def _could_qualify(self, estimate: float, smaller: int, larger: int) -> bool:
        """False when the signatures' agreement rules out an overlap ≥ threshold beyond reasonable doubt.

        Two bodies with overlap ≥ t (sizes s ≤ l) have Jaccard ≥ t·s / (l + s − t·s); the share of equal
        signature coordinates estimates the Jaccard index with a standard deviation of at most
        0.5 / √(bins actually filled), so a candidate is only dismissed four of those below the bound
        (a miss about once in 30,000 qualifying pairs). It spares the exact overlap of most of the
        candidates that share a little boilerplate: the costliest step of a query.
        """
        common = self.threshold * smaller
        least = common / (larger + smaller - common)
        slack = 4 * 0.5 / math.sqrt(min(NUM_PERM, smaller))
        return estimate >= least - slack

    def query(self, text: frozenset[int]) -> Match | None:
        """The most similar indexed item that ``text`` (a shingle set) near-duplicates, or None."""
        if len(text) < MIN_SHINGLES:
            return None
        signature, bands = self._signed(text)
        get = self._buckets.get
        keys = list(dict.fromkeys(chain.from_iterable(get(band, ()) for band in bands)))
        if not keys:
            return None
        keys = self._screened(keys, quick_signature(signature), self._screen_floor(len(text)), len(text))
        return self.best_of(text, ((key, *self._items[key]) for key in keys))

    def _screen_floor(self, size: int) -> int:
        """Equal coordinates (of NUM_PERM) below which no candidate of a ``size``-shingle text can pass
        :meth:`_could_qualify`, whatever its size: the loosest bound over every size a near-duplicate may have
        (the smaller body has at least half the larger's shingles, so at least ``size / 2`` of them)."""
        smaller = max(1.0, SIZE_RATIO * size)
        least = lowest_jaccard(self.threshold) - 4 * 0.5 / math.sqrt(min(NUM_PERM, smaller))
        return math.ceil(least * NUM_PERM - 1e-9)

    def _screened(self, keys: list[str], mine: bytes, floor: int, size: int) -> list[str]:
        """The candidates that could pass :meth:`_could_qualify` against a ``size``-shingle text whose screening
        signature is ``mine``, judged on their screening signatures; ``floor`` is :meth:`_screen_floor`.

        Most candidates share one band by chance and a few coordinates in all; telling them apart one by one
        in Python is most of a query's cost. Here every candidate's low bytes are compared at once (one XOR of
        two integers), the equal bytes counted per candidate in C, and only those reaching ``floor`` are
        judged one by one. Equal bytes over-count equal coordinates, never under-count, and the test only
        grows easier to pass with more agreement, so no candidate the exact test would keep is screened out.
        """
        quick = self._quick
        try:
            theirs = b"".join(map(quick.__getitem__, keys))
        except KeyError:  # an index that keeps no screening form (one filled per query)
            theirs = b"".join([quick.get(key) or quick_signature(self._items[key][1]) for key in keys])
        width = len(mine)
        diff = (int.from_bytes(theirs, "little") ^ int.from_bytes(mine * len(keys), "little")).to_bytes(
            len(theirs), "little")
        equal = list(map(diff.count, repeat(0), range(0, len(diff), width), range(width, len(diff) + width, width)))
        items = self._items
        kept = []
        for key, agree in compress(zip(keys, equal, strict=True), map(floor.__le__, equal)):
            other = len(items[key][0])
            smaller, larger = (size, other) if size <= other else (other, size)
            if smaller >= SIZE_RATIO * larger and self._could_qualify(agree / NUM_PERM, smaller, larger):
                kept.append(key)
        return kept

    def best_of(self, text: frozenset[int], candidates: Iterable[tuple[str, Collection[int], Sequence[int]]]
                ) -> Match | None:
        """The candidate (key, shingles, signature) most similar to ``text`` among those it near-duplicates,
        or None: the same test :meth:`query` applies, for candidates found elsewhere (a stored index)."""
        if len(text) < MIN_SHINGLES:
            return None
        signature, _ = self._signed(text)
        best: Match | None = None
        for candidate, other, other_signature in candidates:
            smaller, larger = sorted((len(text), len(other)))
            if smaller < SIZE_RATIO * larger:
                continue
            agreement = sum(map(operator.eq, signature, other_signature)) / NUM_PERM
            if not self._could_qualify(agreement, smaller, larger):
                continue
            score = overlap(text, other)
            if score >= self.threshold and (best is None or score > best.similarity):
                best = Match(candidate, score)
        return best

    def add(self, key: str, text: frozenset[int]) -> None:
        if len(text) < MIN_SHINGLES or key in self._items:
            return
        signature, bands = self._signed(text)
        self._items[key] = (array("I", text), array("Q", signature))
        self._quick[key] = quick_signature(signature)
        for band in bands:
            self._buckets.setdefault(band, []).append(key)
        while len(self._items) > self.capacity:
            self._forget_oldest()

    def discard(self, key: str) -> None:
        """Forgets ``key`` (a held copy that turned out to be a duplicate) if it is indexed."""
        entry = self._items.pop(key, None)
        if entry is not None:
            self._quick.pop(key, None)
            self._unbucket(key, entry[1])

    def _forget_oldest(self) -> None:
        key, (_, signature) = self._items.popitem(last=False)
        self._quick.pop(key, None)
        self._unbucket(key, signature)

    def _unbucket(self, key: str, signature: Sequence[int]) -> None:
        for band in self._band_keys(signature):
            bucket = self._buckets[band]
            bucket.remove(key)
            if not bucket:
                del self._buckets[band]
