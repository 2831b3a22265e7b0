"""The state store is checked when a crawl starts (damaged or emptied: exit 78, one line, nothing written) and an
older store is migrated in place, never refused."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from crawler.commands.crawl import ExitCode
from crawler.state import SCHEMA_VERSION, StateRow, StateStore
from tests.dedup.crawls import FAKE, Run, crawl, stored_urls
from tests.dedup.fakespiders import fake_url

# The store as the previous crawler version (schema version 1) created it: its SQL verbatim.
SCHEMA_V1 = """
CREATE TABLE articles (
    url          TEXT PRIMARY KEY,  -- canonical URL
    fingerprint  TEXT,              -- Article.fingerprint of the body as emitted (or as seen, for duplicates)
    duplicate_of TEXT,              -- NULL: emitted; else the URL of the article it duplicates (not emitted)
    published_at INTEGER,           -- Unix seconds
    modified_at  INTEGER,           -- Unix seconds: newest of dateModified and sitemap lastmod when emitted
    first_seen   INTEGER NOT NULL,  -- Unix seconds of the commit that added the row
    last_seen    INTEGER NOT NULL   -- Unix seconds of the last run that emitted it or skipped it as seen
) WITHOUT ROWID;
CREATE INDEX articles_fingerprint ON articles (fingerprint);
CREATE TABLE runs (
    run_id       TEXT PRIMARY KEY,  -- crawler.feeds.run_id, also the feed's file name
    committed_at INTEGER NOT NULL,
    emitted      INTEGER NOT NULL,
    duplicates   INTEGER NOT NULL
);
"""


def write_v1_store(path: Path, urls: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(f"BEGIN; {SCHEMA_V1} PRAGMA user_version = 1; COMMIT;")
    db.execute("PRAGMA journal_mode = WAL")
    db.executemany("INSERT INTO articles VALUES (?, ?, NULL, 1736474400, NULL, 1000, 1000)",
                   [(url, f"{i:032x}") for i, url in enumerate(urls)])
    db.execute("INSERT INTO runs VALUES ('20250110T030000Z', 1000, ?, 0)", (len(urls),))
    db.close()


def test_a_version_1_store_is_migrated_and_keeps_its_rows(tmp_path: Path):
    path = tmp_path / "s.sqlite3"
    write_v1_store(path, [fake_url(0), fake_url(1)])
    store = StateStore(path)
    try:
        old = store.get(fake_url(0))
        assert old is not None and old.fingerprint == f"{0:032x}" and old.first_seen == 1000 and old.run_id is None
        store.commit([StateRow(fake_url(2), "2" * 32)], run_id="r2", now=2000)
        new = store.get(fake_url(2))
        assert new is not None and new.run_id == "r2" and new.first_seen == 2000
        assert store.count() == 3
    finally:
        store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    StateStore(path).close()  # opening a migrated store again is a no-op


@pytest.mark.e2e
def test_a_crawl_on_a_version_1_store_migrates_it_and_skips_what_it_recorded(tmp_path: Path):
    out = tmp_path / "out"
    write_v1_store(out / ".state" / "tribun.sqlite3", [fake_url(0), fake_url(1)])
    run = crawl("fake", out, "-a", "n=4", settings=FAKE)
    assert run.returncode == ExitCode.OK, run.log[-3000:]
    assert "Migrated state store" in run.log
    assert [item["url"] for item in run.items] == [fake_url(2), fake_url(3)]
    assert stored_urls(out) == {fake_url(i) for i in range(4)}


def _damage(path: Path) -> None:
    """Overwrites the middle of a b-tree page of ``path`` (a store of a few hundred KB) with garbage."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file, where the damage goes
    db.close()
    with path.open("r+b") as handle:
        handle.seek(4096 * 10 + 100)
        handle.write(bytes(range(256)) + b"\xff" * 44)


def _assert_refused_with_78(run: Run, out: Path, needle: str) -> None:
    assert run.returncode == ExitCode.STATE == 78, run.log[-3000:]
    errors = [line for line in run.log.splitlines() if " ERROR: " in line]
    assert any(needle in line for line in errors), errors
    assert "Traceback" not in run.log
    assert "Spider opened" not in run.log
    assert not (out / "tribun").exists()  # no feed, no stats file


@pytest.mark.e2e
def test_a_damaged_store_is_exit_78_at_start(tmp_path: Path):
    out = tmp_path / "out"
    path = out / ".state" / "tribun.sqlite3"
    store = StateStore(path)
    store.commit([StateRow(fake_url(i), f"{i:032x}") for i in range(3000)], run_id="r1")
    store.close()
    _damage(path)
    run = crawl("fake", out, "-a", "n=2", settings=FAKE)
    _assert_refused_with_78(run, out, "is damaged (SQLite quick_check")


@pytest.mark.e2e
def test_an_emptied_store_is_exit_78_not_a_new_state(tmp_path: Path):
    out = tmp_path / "out"
    first = crawl("fake", out, "-a", "n=2", settings=FAKE)
    assert first.returncode == ExitCode.OK, first.log[-3000:]
    path = out / ".state" / "tribun.sqlite3"
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        side.unlink(missing_ok=True)
    os.truncate(path, 0)  # e.g. a `> tribun.sqlite3` slip, or a restore that copied nothing
    for leftover in (out / "tribun").iterdir():
        leftover.unlink()
    (out / "tribun").rmdir()
    run = crawl("fake", out, "-a", "n=2", settings=FAKE)
    _assert_refused_with_78(run, out, "is an empty file (0 bytes)")
    assert path.stat().st_size == 0  # left as found, for the operator to look at


def test_a_new_store_is_never_left_empty(tmp_path: Path):
    path = tmp_path / "new" / "s.sqlite3"
    StateStore(path).close()
    assert path.stat().st_size > 0
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no build leftovers
    StateStore(path).close()  # and this process's own new store opens again
