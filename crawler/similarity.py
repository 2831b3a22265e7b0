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
"""

from __future__ import annotations

import hashlib
import random
import re
from array import array
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass

_WORD = re.compile(r"\w+")

SHINGLE_WORDS = 3
NUM_PERM = 64
MIN_SHINGLES = 20  # about 22 words
SIZE_RATIO = 0.5  # the shorter body must have at least this share of the longer one's shingles
# Fixed seed: the same text gets the same signature in every run and every process.
_PERMUTATIONS = tuple(random.Random(0x7A1B).getrandbits(64) for _ in range(NUM_PERM))


def _hash64(text: str) -> int:
    # blake2b, not hash(): str hashes are salted per process, and reproducible runs need stable values.
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[int]:
    """64-bit hashes of the text's word ``size``-shingles (case-folded words, punctuation ignored).

    A text shorter than ``size`` words is one shingle; an empty text has none.
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return frozenset()
    if len(words) <= size:
        return frozenset((_hash64(" ".join(words)),))
    return frozenset(_hash64(" ".join(words[i:i + size])) for i in range(len(words) - size + 1))


def overlap(a: frozenset[int], b: Collection[int]) -> float:
    """|a ∩ b| / min(|a|, |b|): the share of the smaller shingle set found in the other (``b`` may be any
    collection of distinct hashes, such as the arrays the index keeps); 0.0 when either is empty."""
    smaller = min(len(a), len(b))
    return len(a.intersection(b)) / smaller if smaller else 0.0


def minhash(hashes: Collection[int]) -> tuple[int, ...]:
    """MinHash signature of a non-empty shingle set, one minimum per permutation.

    The shingle hashes are already uniform 64-bit values, so XOR with a random mask is a permutation of
    them that costs one operation (multiply-mod families cost six times as much in pure Python); each
    coordinate is still an unbiased sample of the Jaccard index.
    """
    return tuple(min(map(mask.__xor__, hashes)) for mask in _PERMUTATIONS)


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


@dataclass(frozen=True, slots=True)
class Match:
    key: str  # the indexed item this one duplicates
    similarity: float  # exact overlap of the two shingle sets


_LOW32 = 0xFFFFFFFF


def _low32(text: frozenset[int]) -> frozenset[int]:
    return frozenset(h & _LOW32 for h in text)


class NearDuplicateIndex:
    """The near-duplicate index of one run: ``query`` a text, then ``add`` it if it is kept.

    Keeps the shingle sets of at most ``capacity`` items, oldest forgotten first, so a long backfill has
    bounded memory; syndicated copies appear close together in time, which is what the window has to
    cover. Stored shingles keep the low 32 bits of their hash (4 bytes a shingle): the exact overlap of
    two stories of a few hundred shingles is not moved by the rare 32-bit collision, and the memory of a
    20,000-article run stays flat.
    """

    def __init__(self, threshold: float = 0.9, capacity: int = 5_000):
        if not 0 < threshold <= 1:
            raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.capacity = capacity
        self.rows = band_rows(lowest_jaccard(threshold))
        self._buckets: dict[int, list[str]] = {}
        self._items: OrderedDict[str, tuple[array, tuple[int, ...]]] = OrderedDict()
        # query() then add() of the same text is the common path: its bands are computed once.
        self._last: tuple[frozenset[int], tuple[int, ...]] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def _band_keys(self, signature: tuple[int, ...]) -> tuple[int, ...]:
        r = self.rows
        # The band number is part of the key: equal rows in different bands are not a match. A tuple of
        # ints hashes the same in every process (only str/bytes hashes are salted).
        return tuple(hash((band, *signature[band * r:(band + 1) * r])) for band in range(len(signature) // r))

    def _bands_of(self, text: frozenset[int]) -> tuple[int, ...]:
        if self._last is not None and self._last[0] is text:
            return self._last[1]
        bands = self._band_keys(minhash(text))
        self._last = (text, bands)
        return bands

    def query(self, text: frozenset[int]) -> Match | None:
        """The most similar indexed item that ``text`` (a shingle set) near-duplicates, or None."""
        if len(text) < MIN_SHINGLES:
            return None
        candidates = dict.fromkeys(key for band in self._bands_of(text) for key in self._buckets.get(band, ()))
        best: Match | None = None
        low = _low32(text) if candidates else frozenset()
        for candidate in candidates:
            other = self._items[candidate][0]
            if min(len(low), len(other)) < SIZE_RATIO * max(len(low), len(other)):
                continue
            score = overlap(low, other)
            if score >= self.threshold and (best is None or score > best.similarity):
                best = Match(candidate, score)
        return best

    def add(self, key: str, text: frozenset[int]) -> None:
        if len(text) < MIN_SHINGLES or key in self._items:
            return
        bands = self._bands_of(text)
        self._items[key] = (array("I", _low32(text)), bands)
        for band in bands:
            self._buckets.setdefault(band, []).append(key)
        while len(self._items) > self.capacity:
            self._forget_oldest()

    def _forget_oldest(self) -> None:
        key, (_, bands) = self._items.popitem(last=False)
        for band in bands:
            bucket = self._buckets[band]
            bucket.remove(key)
            if not bucket:
                del self._buckets[band]
