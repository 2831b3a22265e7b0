"""The cross-run state: which articles earlier runs emitted, in SQLite, and the lock that keeps one crawl
on it at a time.

One row per canonical URL (``crawler.urls.canonical_url``): the body fingerprint, whether it was emitted
or suppressed as a duplicate of another URL, its published/modified times and when runs first and last
saw it. Lookups go through the primary key or the fingerprint index, never a scan, and nothing is cached
in memory, so a store of millions of URLs costs disk, not RAM (``bench/state_store.py``).

Rows reach the store only through :meth:`StateStore.commit`, which the state extension calls once the
run's feed files have been renamed into place (``crawler.extensions.state``): a run that dies earlier
leaves the store as it was, and the next run emits its articles again.

The near-duplicate index persisted across runs is kept behind three methods, all another backend has to
provide for it (the MinHash/LSH logic stays in ``crawler.similarity``, the rule of which copy is the original
in ``crawler.syndication``; the blobs are opaque here): :meth:`StateStore.commit` takes the run's
``signatures`` (:class:`SignatureRow`, replacing a URL's earlier one) and ``prune_before`` (deletes those
published earlier) in the same transaction as the articles; :meth:`StateStore.near_duplicate_candidates`
returns the rows sharing any band key with a new article, published at or after a given time; and
:func:`forget_signature` deletes one URL's row (``scrapy state forget``).
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.similarity import unpack_bands

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

# Bump when the schema changes, and add the step from the previous version to _MIGRATIONS: an older store
# is migrated in place (one transaction, logged); a newer one (a later crawler version) is refused.
SCHEMA_VERSION = 4

_SCHEMA = """
CREATE TABLE articles (
    url          TEXT PRIMARY KEY,  -- canonical URL
    fingerprint  TEXT,              -- Article.fingerprint of the body as emitted (or as seen, for duplicates)
    duplicate_of TEXT,              -- NULL: emitted; else the URL of the article it duplicates (not emitted)
    published_at INTEGER,           -- Unix seconds
    modified_at  INTEGER,           -- Unix seconds: newest of dateModified and sitemap lastmod when emitted
    first_seen   INTEGER NOT NULL,  -- Unix seconds of the commit that added the row
    last_seen    INTEGER NOT NULL,  -- Unix seconds of the last run that emitted it or skipped it as seen
    run_id       TEXT               -- the run whose commit last wrote the row (its feed's name); NULL before v2
) WITHOUT ROWID;
CREATE INDEX articles_fingerprint ON articles (fingerprint);
CREATE TABLE runs (
    run_id       TEXT PRIMARY KEY,  -- crawler.feeds.run_id, also the feed's file name
    committed_at INTEGER NOT NULL,
    emitted      INTEGER NOT NULL,
    duplicates   INTEGER NOT NULL,
    exit_status  INTEGER            -- of `scrapy crawl`, written after the commit; NULL before v3 or if it died
);
"""
# Each run's field coverage per portal (items written, items filling the field), for the drift monitor; only
# runs whose commit went in have rows. `scrapy state` reads it too.
_COVERAGE = ("CREATE TABLE coverage (run_id TEXT NOT NULL, portal TEXT NOT NULL, field TEXT NOT NULL, "
             "items INTEGER NOT NULL, covered INTEGER NOT NULL, PRIMARY KEY (run_id, portal, field)) WITHOUT ROWID;")
_SCHEMA += _COVERAGE
# The persisted near-duplicate index (crawler.similarity): one row per emitted article published within
# TRIBUN_NEAR_DUP_DAYS, and one row per LSH band key of it, looked up by band key (the primary key). The
# band keys are kept on the article's row too, so pruning deletes exactly its band rows without a scan.
_SIGNATURES = """
CREATE TABLE signatures (
    id           INTEGER PRIMARY KEY,
    url          TEXT NOT NULL UNIQUE,  -- canonical URL of the emitted article
    published_at INTEGER NOT NULL,      -- Unix seconds; rows older than the window are pruned at commit
    origin       TEXT,                  -- portal key its credit names as the origin (crawler.syndication)
    origin_url   TEXT,                  -- the credited URL on that portal, when the credit gives one
    shingles     BLOB NOT NULL,         -- 32-bit shingle hashes, little-endian
    signature    BLOB NOT NULL,         -- MinHash signature, 64-bit little-endian
    bands        BLOB NOT NULL          -- LSH band keys, signed 64-bit little-endian
);
CREATE INDEX signatures_published ON signatures (published_at);
CREATE TABLE signature_bands (band INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (band, id)) WITHOUT ROWID;
"""
_SCHEMA += _SIGNATURES

# Step from version N to N + 1, run in one transaction with the new user_version. Columns are only ever
# added at the end, so a migrated store and a new one have the same column order.
_MIGRATIONS = {
    1: "ALTER TABLE articles ADD COLUMN run_id TEXT;",
    2: f"ALTER TABLE runs ADD COLUMN exit_status INTEGER; {_COVERAGE}",
    3: _SIGNATURES,
}

_UPSERT = """
INSERT INTO articles (url, fingerprint, duplicate_of, published_at, modified_at, first_seen, last_seen, run_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET
    fingerprint = excluded.fingerprint,
    duplicate_of = excluded.duplicate_of,
    published_at = coalesce(excluded.published_at, published_at),
    modified_at = coalesce(excluded.modified_at, modified_at),
    last_seen = excluded.last_seen,
    run_id = excluded.run_id
"""


class StateError(RuntimeError):
    """The state store cannot be used (wrong schema version, not our database, unreadable)."""


class StateLocked(RuntimeError):
    """Another process holds the state lock: a crawl on the same state is already running."""

    def __init__(self, lock_path: Path, holder: str | None):
        self.lock_path = lock_path
        self.holder = holder
        who = f"pid {holder}" if holder else "another process"
        super().__init__(f"another crawl ({who}) is using the state at {lock_path.with_suffix('')}; "
                         f"lock file {lock_path}")


@dataclass(frozen=True, slots=True)
class StoredArticle:
    url: str
    fingerprint: str | None
    duplicate_of: str | None
    published_at: int | None
    modified_at: int | None
    first_seen: int
    last_seen: int
    run_id: str | None = None


@dataclass(frozen=True, slots=True)
class StateRow:
    """One decision of a run, to be committed: an emitted article, or a URL suppressed as a duplicate."""

    url: str
    fingerprint: str | None = None
    duplicate_of: str | None = None
    published_at: int | None = None
    modified_at: int | None = None


@dataclass(frozen=True, slots=True)
class SignatureRow:
    """An emitted article in the persisted near-duplicate index: what a later run compares its articles
    with (``crawler.similarity`` packs the blobs) and what decides which is the original
    (``crawler.syndication``)."""

    url: str
    published_at: int
    origin: str | None
    origin_url: str | None
    shingles: bytes
    signature: bytes
    bands: bytes


def state_path(settings: BaseSettings) -> Path:
    """``TRIBUN_STATE_PATH``, taken relative to ``TRIBUN_OUTPUT_DIR`` when relative (as the feeds are)."""
    path = Path(settings.get("TRIBUN_STATE_PATH") or "").expanduser()
    if not path.name:
        raise StateError("TRIBUN_STATE_PATH is empty")
    if not path.is_absolute():
        path = Path(settings.get("TRIBUN_OUTPUT_DIR") or ".").expanduser() / path
    return path


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def to_epoch(value: Any, default_tz: tzinfo = UTC) -> int | None:
    """Unix seconds of an ISO 8601 string, a ``date``/``datetime`` or a number; None when absent or
    unreadable. A time without an offset is taken in ``default_tz`` (the portal's zone)."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)  # a day: its midnight
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz)
    return int(value.timestamp())


class StateStore:
    """The SQLite state file. Single-threaded use from the crawl's reactor thread; one writer at a time
    is guaranteed by :class:`RunLock`, ``busy_timeout`` covers a reader (``sqlite3`` shell, a monitor)."""

    def __init__(self, path: Path, busy_timeout_ms: int = 10_000):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db: sqlite3.Connection | None = None
        try:
            if not path.exists():
                self._create(path)
            elif path.stat().st_size == 0 and not _has_content(_wal_path(path)):
                # SQLite would take an empty file for a new store and emit every article again. Our stores
                # are never empty (created whole, then renamed), so this one was truncated or replaced.
                raise StateError(f"state store {path} is an empty file (0 bytes), not a state store: it was "
                                 "truncated or replaced. Restore it from a backup, or move it aside (the next "
                                 "run starts a new state and emits everything again).")
            # isolation_level=None: we open transactions ourselves (one per commit), nothing implicit.
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            self._open_schema()
            self._db.execute("PRAGMA journal_mode = WAL")
            # FULL: a committed run survives a power cut too; there is one commit per run, so it is cheap.
            self._db.execute("PRAGMA synchronous = FULL")
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            raise StateError(f"state store {path} is unusable: {exc}. Restore it from a backup, or move it "
                             "aside (the next run starts a new state and emits everything again).") from exc
        except StateError:
            self._close_quietly()
            raise

    @staticmethod
    def _create(path: Path) -> None:
        """A new, empty store, built beside ``path`` and linked into place whole: a crash while creating it
        never leaves a half-made (or 0-byte) store behind."""
        tmp = path.with_name(f".{path.name}.new")
        for leftover in (tmp, _wal_path(tmp), tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.executescript(f"BEGIN; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        finally:
            db.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # never replaces a store that appeared meanwhile
        except FileExistsError:
            pass
        else:
            logger.info("Created state store %s (schema version %d)", path, SCHEMA_VERSION)
        finally:
            tmp.unlink(missing_ok=True)

    def _open_schema(self) -> None:
        assert self._db is not None
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 or version > SCHEMA_VERSION or not {"articles", "runs"} <= tables:
            what = (f"schema version {version}; this crawler uses schema version {SCHEMA_VERSION} and cannot read "
                    "a newer store" if version > SCHEMA_VERSION else "a database that is not a tribun-crawler "
                    "state store")
            raise StateError(f"state store {self.path} has {what}. Run the crawler version that wrote it, or "
                             "move the file aside (the next run starts a new state and emits everything again).")
        # Checked at start, not at the end of the run: a damaged store would otherwise fail every commit,
        # so every run would crawl, fail and emit the same articles again, forever.
        problems = [row[0] for row in self._db.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            found = "; ".join(line for p in problems for line in p.splitlines() if not line.startswith("***"))
            raise StateError(f"state store {self.path} is damaged (SQLite quick_check: {found}). "
                             "Restore it from a backup, or move it aside (the next run starts a new state and "
                             "emits everything again).")
        if version < SCHEMA_VERSION:
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        assert self._db is not None
        steps = " ".join(_MIGRATIONS[v] for v in range(version, SCHEMA_VERSION))
        self._db.executescript(f"BEGIN IMMEDIATE; {steps} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        logger.info("Migrated state store %s from schema version %d to %d", self.path, version, SCHEMA_VERSION)

    def get(self, url: str) -> StoredArticle | None:
        row = self._db.execute("SELECT * FROM articles WHERE url = ?", (url,)).fetchone()
        return StoredArticle(*row) if row else None

    def by_fingerprint(self, fingerprint: str) -> StoredArticle | None:
        """An article stored with this body fingerprint (emitted ones first), or None."""
        row = self._db.execute(
            "SELECT * FROM articles WHERE fingerprint = ? ORDER BY duplicate_of IS NOT NULL LIMIT 1",
            (fingerprint,),
        ).fetchone()
        return StoredArticle(*row) if row else None

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def near_duplicate_candidates(self, bands: Sequence[int], since: int) -> list[SignatureRow]:
        """Stored articles published at or after ``since`` (Unix s) sharing at least one LSH band key with
        ``bands``: the candidates a new article's exact comparison runs on. One primary-key search per band."""
        if not bands:
            return []
        marks = ",".join("?" * len(bands))
        rows = self._db.execute(
            f"SELECT url, published_at, origin, origin_url, shingles, signature, bands FROM signatures WHERE id IN "
            f"(SELECT id FROM signature_bands WHERE band IN ({marks})) AND published_at >= ?", (*bands, since))
        return [SignatureRow(*row) for row in rows]

    def signature_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM signatures").fetchone()[0]

    def forget_signature(self, url: str) -> None:
        """Deletes ``url``'s near-duplicate row and its band rows, in a transaction of its own."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            forget_signature(self._db, url)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _write_signatures(self, signatures: Iterable[SignatureRow], prune_before: int | None) -> None:
        db = self._db
        for row in signatures:
            self._delete_signatures(db.execute("SELECT id, bands FROM signatures WHERE url = ?", (row.url,)))
            cursor = db.execute("INSERT INTO signatures (url, published_at, origin, origin_url, shingles, signature, "
                                "bands) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (row.url, row.published_at, row.origin, row.origin_url, row.shingles, row.signature,
                                 row.bands))
            db.executemany("INSERT OR IGNORE INTO signature_bands VALUES (?, ?)",
                           ((band, cursor.lastrowid) for band in unpack_bands(row.bands)))
        if prune_before is not None:
            self._delete_signatures(db.execute("SELECT id, bands FROM signatures WHERE published_at < ?",
                                               (prune_before,)))

    def _delete_signatures(self, found: Iterable[tuple[int, bytes]]) -> None:
        _delete_signature_rows(self._db, found)

    def commit(self, rows: Iterable[StateRow], touched: Iterable[str] = (), *, run_id: str,
               now: int | None = None, coverage: Mapping[str, Mapping[str, tuple[int, int]]] | None = None,
               signatures: Iterable[SignatureRow] = (), prune_before: int | None = None) -> int:
        """Writes a run's rows and refreshes ``last_seen`` of the URLs it skipped, in one transaction, with
        the run's field coverage (``{portal: {field: (items, covered)}}``) and its emitted articles'
        near-duplicate ``signatures`` (replacing a URL's earlier one); signatures of articles published before
        ``prune_before`` (Unix s) are deleted in the same transaction.

        Returns the number of rows written. All or nothing: an exception leaves the store unchanged.
        """
        now = int(datetime.now(UTC).timestamp()) if now is None else now
        rows = list(rows)
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            self._write_signatures(signatures, prune_before)
            db.executemany(_UPSERT, ((r.url, r.fingerprint, r.duplicate_of, r.published_at, r.modified_at,
                                      now, now, run_id) for r in rows))
            db.executemany("UPDATE articles SET last_seen = ? WHERE url = ?", ((now, url) for url in touched))
            emitted = sum(1 for r in rows if r.duplicate_of is None)
            db.execute("INSERT OR REPLACE INTO runs (run_id, committed_at, emitted, duplicates) VALUES (?, ?, ?, ?)",
                       (run_id, now, emitted, len(rows) - emitted))
            db.executemany("INSERT OR REPLACE INTO coverage VALUES (?, ?, ?, ?, ?)",
                           ((run_id, portal, name, items, covered) for portal, by_field in (coverage or {}).items()
                            for name, (items, covered) in by_field.items()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return len(rows)

    def set_exit_status(self, run_id: str, status: int) -> None:
        """Records how ``scrapy crawl`` ended on the run's row (written by :meth:`commit`)."""
        self._db.execute("UPDATE runs SET exit_status = ? WHERE run_id = ?", (status, run_id))

    def query_plan(self, sql: str, params: tuple = ()) -> str:
        """SQLite's plan for ``sql`` (tests use it to prove lookups use an index, not a scan)."""
        return " | ".join(row[-1] for row in self._db.execute(f"EXPLAIN QUERY PLAN {sql}", params))

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def _close_quietly(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _delete_signature_rows(db: sqlite3.Connection, found: Iterable[tuple[int, bytes]]) -> None:
    for id_, bands in list(found):
        db.executemany("DELETE FROM signature_bands WHERE band = ? AND id = ?",
                       ((band, id_) for band in unpack_bands(bands)))
        db.execute("DELETE FROM signatures WHERE id = ?", (id_,))


def forget_signature(db: sqlite3.Connection, url: str) -> None:
    """Deletes ``url``'s near-duplicate signature and its band rows, inside the caller's transaction (a store
    older than schema version 4 has none)."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'signatures'").fetchone():
        _delete_signature_rows(db, db.execute("SELECT id, bands FROM signatures WHERE url = ?", (url,)))


def _wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False


class RunLock:
    """An exclusive ``flock`` on ``<state>.lock``, held for the life of the process.

    ``flock`` is released by the kernel when the process exits, however it exits (SIGKILL, OOM), so a
    stale lock never blocks the next cron run; the PID written into the file is only for the message.
    Locks are per open file, so the process keeps one per path (:func:`acquire`) and taking it again,
    as the crawl command and then the state extension do, is a no-op.
    """

    _held: dict[Path, RunLock] = {}

    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd = fd

    @classmethod
    def acquire(cls, path: Path) -> RunLock:
        """Takes the lock or raises :class:`StateLocked` at once (never waits: cron starts the next run)."""
        path = path.resolve()
        if path in cls._held:
            return cls._held[path]
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or None
            os.close(fd)
            raise StateLocked(path, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        lock = cls._held[path] = cls(path, fd)
        return lock

    def release(self) -> None:
        if self._held.get(self.path) is self:
            del self._held[self.path]
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
