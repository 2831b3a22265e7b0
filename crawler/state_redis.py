"""The state store in Redis: the contract of :class:`crawler.state.StateStore`, shared by every node.

Keys, under ``TRIBUN_REDIS_PREFIX`` (``tribun:``):

* ``state:articles`` — one hash, canonical URL → JSON ``[fingerprint, duplicate_of, published_at,
  modified_at, first_seen, last_seen, run_id]`` (one field per URL; with its fingerprint entry about 0.45 KB
  of Redis memory a URL, see README *Running on several machines*);
* ``state:fingerprints`` — hash, fingerprint → URL (an emitted article's URL over a duplicate's);
* ``state:runs`` — hash, run id → JSON ``{committed_at, emitted, duplicates, exit_status, coverage}``;
* ``state:signatures`` — hash, URL → an emitted article's near-duplicate row (:class:`crawler.state.SignatureRow`:
  a JSON header ``[published_at, origin, origin_url, len(shingles), len(signature)]`` then the three blobs);
* ``state:signature_bands`` — hash, LSH band key (8 bytes) → the URLs in that bucket, newline-separated (one
  hash rather than a key per bucket: Redis's per-key overhead would be paid 32 times an article);
* ``state:signature_dates`` — sorted set, URL scored by publication time: what ``prune_before`` deletes;
* ``state:schema`` — the schema version (:data:`crawler.state.SCHEMA_VERSION`); an older one is upgraded in
  place (the keys a newer version adds start empty), a newer one is refused.

:meth:`RedisStateStore.commit` is one MULTI/EXEC transaction under WATCH of the hashes it reads (the old
rows, to keep ``first_seen`` and the non-null times as the SQLite upsert does): all of a run or nothing,
retried when another node committed in between. Durability is Redis's: see the persistence settings in
the README.
"""

from __future__ import annotations

import json
import logging
import struct
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import redis

from crawler.similarity import unpack_bands
from crawler.state import SCHEMA_VERSION, SignatureRow, StateError, StateRow, StoredArticle

logger = logging.getLogger(__name__)


def _encode(article: StoredArticle) -> str:
    return json.dumps([article.fingerprint, article.duplicate_of, article.published_at, article.modified_at,
                       article.first_seen, article.last_seen, article.run_id], separators=(",", ":"))


def _decode(url: str, raw: bytes | str | None) -> StoredArticle | None:
    if raw is None:
        return None
    return StoredArticle(url, *json.loads(raw))


def _encode_signature(row: SignatureRow) -> bytes:
    header = json.dumps([row.published_at, row.origin, row.origin_url, len(row.shingles), len(row.signature)],
                        separators=(",", ":")).encode()
    return struct.pack("<I", len(header)) + header + row.shingles + row.signature + row.bands


def _decode_signature(url: str, raw: bytes) -> SignatureRow:
    (size,) = struct.unpack_from("<I", raw)
    published_at, origin, origin_url, n_shingles, n_signature = json.loads(raw[4:4 + size])
    blobs = raw[4 + size:]
    return SignatureRow(url, published_at, origin, origin_url, blobs[:n_shingles],
                        blobs[n_shingles:n_shingles + n_signature], blobs[n_shingles + n_signature:])


def _band_field(band: int) -> bytes:
    return struct.pack("<q", band)


class RedisStateStore:
    """The state of a distributed crawl, in the Redis at ``url``; safe to use from many processes at once."""

    def __init__(self, url: str, prefix: str = "tribun:", client: redis.Redis | None = None):
        self.url = url
        self.prefix = prefix
        self.articles_key = f"{prefix}state:articles"
        self.fingerprints_key = f"{prefix}state:fingerprints"
        self.runs_key = f"{prefix}state:runs"
        self.schema_key = f"{prefix}state:schema"
        self.signatures_key = f"{prefix}state:signatures"
        self.bands_key = f"{prefix}state:signature_bands"
        self.dates_key = f"{prefix}state:signature_dates"
        try:
            self._redis = client or redis.Redis.from_url(url)
            self._redis.set(self.schema_key, SCHEMA_VERSION, nx=True)
            version = int(self._redis.get(self.schema_key) or 0)
            if 0 < version < SCHEMA_VERSION:
                # Every older layout is a subset of this one: the keys added since start empty.
                self._redis.set(self.schema_key, SCHEMA_VERSION)
                logger.info("Upgraded state store %s from schema version %d to %d", _safe(url), version,
                            SCHEMA_VERSION)
                version = SCHEMA_VERSION
        except (redis.RedisError, ValueError) as exc:
            raise StateError(f"state store {_safe(url)} is unusable: {exc}. Check that Redis is running and "
                             "TRIBUN_REDIS_URL names it.") from exc
        if version != SCHEMA_VERSION:
            raise StateError(f"state store {_safe(url)} has schema version {version}; this crawler uses schema "
                             f"version {SCHEMA_VERSION}. Run the crawler version that wrote it, or use another "
                             "TRIBUN_REDIS_PREFIX.")

    @property
    def path(self) -> str:
        """Where the state is, for log lines (the URL without its password)."""
        return _safe(self.url)

    def get(self, url: str) -> StoredArticle | None:
        return _decode(url, self._redis.hget(self.articles_key, url))

    def by_fingerprint(self, fingerprint: str) -> StoredArticle | None:
        """An article stored with this body fingerprint (emitted ones first), or None."""
        url = self._redis.hget(self.fingerprints_key, fingerprint)
        if url is None:
            return None
        article = self.get(url.decode())
        # A URL re-committed with another body leaves its old fingerprint's entry behind.
        return article if article is not None and article.fingerprint == fingerprint else None

    def count(self) -> int:
        return int(self._redis.hlen(self.articles_key))

    def near_duplicate_candidates(self, bands: Sequence[int], since: int) -> list[SignatureRow]:
        """Stored articles published at or after ``since`` (Unix s) sharing at least one LSH band key with
        ``bands`` (the contract of :meth:`crawler.state.StateStore.near_duplicate_candidates`)."""
        if not bands:
            return []
        urls = dict.fromkeys(url for found in self._redis.hmget(self.bands_key, [_band_field(b) for b in bands])
                             if found for url in found.decode().split("\n"))
        if not urls:
            return []
        raws = self._redis.hmget(self.signatures_key, list(urls))
        # A row pruned by another node between the two reads is simply gone.
        rows = [_decode_signature(url, raw) for url, raw in zip(urls, raws, strict=True) if raw is not None]
        return [row for row in rows if row.published_at >= since]

    def signature_count(self) -> int:
        return int(self._redis.hlen(self.signatures_key))

    def forget_signature(self, url: str) -> None:
        """Deletes ``url``'s near-duplicate row and its band entries (``scrapy state forget``)."""
        try:
            self._redis.transaction(lambda pipe: self._write_signatures(pipe, [], None, forget=[url]),
                                    self.signatures_key, self.bands_key, self.dates_key)
        except redis.RedisError as exc:
            raise StateError(f"signature of {url} not forgotten in {self.path}: {exc}") from exc

    def _write_signatures(self, pipe: redis.client.Pipeline, signatures: list[SignatureRow],
                          prune_before: int | None, forget: Sequence[str] = ()) -> None:
        """Reads (under WATCH) what the new rows replace and what the window drops, then queues the writes;
        leaves ``pipe`` in MULTI mode."""
        gone = set(forget) | {row.url for row in signatures}
        if prune_before is not None:
            gone.update(u.decode() for u in pipe.zrangebyscore(self.dates_key, "-inf", f"({prune_before}"))
        new = {row.url: row for row in signatures if prune_before is None or row.published_at >= prune_before}
        gone_list = list(gone)
        old = {url: _decode_signature(url, raw) for url, raw in
               zip(gone_list, pipe.hmget(self.signatures_key, gone_list) if gone_list else [], strict=True)
               if raw is not None}
        removed: dict[bytes, set[str]] = {}
        for row in old.values():
            for band in unpack_bands(row.bands):
                removed.setdefault(_band_field(band), set()).add(row.url)
        added: dict[bytes, list[str]] = {}
        for row in new.values():
            for band in dict.fromkeys(unpack_bands(row.bands)):
                added.setdefault(_band_field(band), []).append(row.url)
        fields = list(removed.keys() | added.keys())
        buckets = dict(zip(fields, pipe.hmget(self.bands_key, fields), strict=True)) if fields else {}
        values: dict[bytes, str] = {}
        empty: list[bytes] = []
        for field, raw in buckets.items():
            urls = [u for u in (raw.decode().split("\n") if raw else []) if u not in removed.get(field, ())]
            urls += [u for u in added.get(field, []) if u not in urls]
            if urls:
                values[field] = "\n".join(urls)
            elif raw:
                empty.append(field)
        pipe.multi()
        dropped = [url for url in old if url not in new]
        if dropped:
            pipe.hdel(self.signatures_key, *dropped)
            pipe.zrem(self.dates_key, *dropped)
        if new:
            pipe.hset(self.signatures_key, mapping={url: _encode_signature(row) for url, row in new.items()})
            pipe.zadd(self.dates_key, {url: row.published_at for url, row in new.items()})
        if values:
            pipe.hset(self.bands_key, mapping=values)
        if empty:
            pipe.hdel(self.bands_key, *empty)

    def commit(self, rows: Iterable[StateRow], touched: Iterable[str] = (), *, run_id: str,
               now: int | None = None, coverage: Mapping[str, Mapping[str, tuple[int, int]]] | None = None,
               signatures: Iterable[SignatureRow] = (), prune_before: int | None = None) -> int:
        """Writes a run's rows, refreshes ``last_seen`` of the URLs it skipped, records the run and writes its
        emitted articles' near-duplicate ``signatures`` (replacing a URL's earlier one; those published before
        ``prune_before``, Unix s, are deleted), in one transaction. Returns the number of rows written; an
        exception leaves the store unchanged."""
        now = int(datetime.now(UTC).timestamp()) if now is None else now
        rows = list(rows)
        signatures = list(signatures)
        for sig in signatures:
            if not isinstance(sig.published_at, int):
                raise ValueError(f"a signature row needs its publication time, got {sig.published_at!r} for {sig.url}")
        for row in rows:
            if not isinstance(row.url, str) or not row.url:
                raise ValueError(f"a state row needs a URL, got {row.url!r}")
        touched = [url for url in touched if url not in {r.url for r in rows}]
        emitted = sum(1 for r in rows if r.duplicate_of is None)
        run = {"committed_at": now, "emitted": emitted, "duplicates": len(rows) - emitted, "exit_status": None,
               "coverage": {p: {f: list(v) for f, v in by_field.items()} for p, by_field in (coverage or {}).items()}}

        def write(pipe: redis.client.Pipeline) -> None:
            urls = [r.url for r in rows] + touched
            old = dict(zip(urls, pipe.hmget(self.articles_key, urls), strict=True)) if urls else {}
            fingerprints = [r.fingerprint for r in rows if r.fingerprint]
            holders = dict(zip(fingerprints, pipe.hmget(self.fingerprints_key, fingerprints), strict=True)) \
                if fingerprints else {}
            holder_rows = {h.decode(): _decode(h.decode(), pipe.hget(self.articles_key, h))
                           for h in set(holders.values()) if h is not None}
            values: dict[str, str] = {}
            claims: dict[str, str] = {}
            for r in rows:
                before = _decode(r.url, old.get(r.url))
                article = StoredArticle(
                    r.url, r.fingerprint, r.duplicate_of,
                    r.published_at if r.published_at is not None else (before.published_at if before else None),
                    r.modified_at if r.modified_at is not None else (before.modified_at if before else None),
                    before.first_seen if before else now, now, run_id)
                values[r.url] = _encode(article)
                if r.fingerprint:
                    holder = claims.get(r.fingerprint) or (holders.get(r.fingerprint) or b"").decode() or None
                    held = _decode(holder, values.get(holder)) if holder in values else holder_rows.get(holder)
                    # The emitted article keeps the fingerprint; a duplicate only takes a free (or stale) one.
                    if (held is None or held.fingerprint != r.fingerprint or held.url == r.url
                            or (held.duplicate_of is not None and r.duplicate_of is None)):
                        claims[r.fingerprint] = r.url
            for url in touched:
                before = _decode(url, old.get(url))
                if before is not None:
                    values[url] = _encode(StoredArticle(url, before.fingerprint, before.duplicate_of,
                                                        before.published_at, before.modified_at,
                                                        before.first_seen, now, before.run_id))
            self._write_signatures(pipe, signatures, prune_before)  # switches the pipeline to MULTI
            if values:
                pipe.hset(self.articles_key, mapping=values)
            if claims:
                pipe.hset(self.fingerprints_key, mapping=claims)
            pipe.hset(self.runs_key, run_id, json.dumps(run, separators=(",", ":")))

        try:
            self._redis.transaction(write, self.articles_key, self.fingerprints_key, self.signatures_key,
                                    self.bands_key, self.dates_key)
        except redis.RedisError as exc:
            raise StateError(f"state commit to {self.path} failed: {exc}") from exc
        return len(rows)

    def set_exit_status(self, run_id: str, status: int) -> None:
        """Records how ``scrapy crawl`` ended on the run's record (written by :meth:`commit`)."""

        def write(pipe: redis.client.Pipeline) -> None:
            raw = pipe.hget(self.runs_key, run_id)
            if raw is None:
                return
            run = json.loads(raw)
            run["exit_status"] = int(status)
            pipe.multi()
            pipe.hset(self.runs_key, run_id, json.dumps(run, separators=(",", ":")))

        try:
            self._redis.transaction(write, self.runs_key)
        except redis.RedisError as exc:
            raise StateError(f"exit status not recorded in {self.path}: {exc}") from exc

    def runs(self) -> dict[str, dict[str, Any]]:
        """Every committed run's record, by run id."""
        return {k.decode(): json.loads(v) for k, v in self._redis.hgetall(self.runs_key).items()}

    def close(self) -> None:
        self._redis.close()


def _safe(url: str) -> str:
    """``url`` without a password (it goes into log lines)."""
    if "@" in url:
        scheme, _, rest = url.partition("://")
        return f"{scheme}://…@{rest.rsplit('@', 1)[1]}"
    return url
