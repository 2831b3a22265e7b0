"""State schema 3: the coverage table and runs.exit_status, created new or migrated from a version-2 store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.commands.crawl import ExitCode, crawl_outcome
from crawler.state import SCHEMA_VERSION, StateRow, StateStore

# The store as the previous crawler version (schema version 2) created it: its SQL verbatim.
SCHEMA_V2 = """
CREATE TABLE articles (
    url          TEXT PRIMARY KEY,
    fingerprint  TEXT,
    duplicate_of TEXT,
    published_at INTEGER,
    modified_at  INTEGER,
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    run_id       TEXT
) WITHOUT ROWID;
CREATE INDEX articles_fingerprint ON articles (fingerprint);
CREATE TABLE runs (
    run_id       TEXT PRIMARY KEY,
    committed_at INTEGER NOT NULL,
    emitted      INTEGER NOT NULL,
    duplicates   INTEGER NOT NULL
);
"""
COVERAGE_SQL = ("CREATE TABLE coverage (run_id TEXT NOT NULL, portal TEXT NOT NULL, field TEXT NOT NULL, items INTEGER "
                "NOT NULL, covered INTEGER NOT NULL, PRIMARY KEY (run_id, portal, field)) WITHOUT ROWID")
URL = "https://bangka.tribunnews.com/2025/01/10/banjir"


def write_v2_store(path: Path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(f"BEGIN; {SCHEMA_V2} PRAGMA user_version = 2; COMMIT;")
    db.execute("INSERT INTO articles VALUES (?, ?, NULL, 1736474400, NULL, 1000, 1000, 'r1')", (URL, "0" * 32))
    db.execute("INSERT INTO runs VALUES ('r1', 1000, 1, 0)")
    db.close()


def test_a_version_2_store_is_migrated_to_3_and_keeps_its_rows(tmp_path: Path):
    path = tmp_path / "s.sqlite3"
    write_v2_store(path)
    store = StateStore(path)
    try:
        assert store.get(URL) is not None and store.get(URL).run_id == "r1"
        store.commit([StateRow("https://bangka.tribunnews.com/2025/01/11/x", "1" * 32)], run_id="r2", now=2000,
                     coverage={"bangka": {"url": (1, 1), "authors": (1, 0)}})
        store.set_exit_status("r2", ExitCode.MONITORS)
    finally:
        store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # Exactly the table other commands read.
    assert db.execute("SELECT sql FROM sqlite_master WHERE name = 'coverage'").fetchone()[0] == COVERAGE_SQL
    assert db.execute("SELECT run_id, emitted, exit_status FROM runs ORDER BY 1").fetchall() == [
        ("r1", 1, None), ("r2", 1, 79)]
    assert sorted(db.execute("SELECT * FROM coverage").fetchall()) == [
        ("r2", "bangka", "authors", 1, 0), ("r2", "bangka", "url", 1, 1)]
    db.close()


def test_a_new_store_has_the_same_tables_as_a_migrated_one(tmp_path: Path):
    migrated, new = tmp_path / "m.sqlite3", tmp_path / "n.sqlite3"
    write_v2_store(migrated)
    StateStore(migrated).close()
    StateStore(new).close()

    def columns(path: Path) -> dict:
        db = sqlite3.connect(path)
        try:
            return {table: [c[1:] for c in db.execute(f"PRAGMA table_info({table})")]
                    for table in ("articles", "runs", "coverage")}
        finally:
            db.close()

    assert columns(migrated) == columns(new)


DONE = {"finish_reason": "finished", "downloader/response_status_count/200": 10}


@pytest.mark.parametrize(("stats", "status"), [
    ({**DONE, "item_scraped_count": 3, "tribun/monitors/failed": 1}, ExitCode.MONITORS),
    ({**DONE, "tribun/dedup/skipped_seen": 4, "tribun/monitors/failed": 1}, ExitCode.MONITORS),
    ({**DONE, "item_scraped_count": 3, "tribun/monitors/failed": 0}, ExitCode.OK),
    # A more specific status wins: the items monitor fails on these runs too.
    ({**DONE, "tribun/dropped/no_body": 12, "tribun/monitors/failed": 1}, ExitCode.NO_ITEMS),
    ({**DONE, "item_scraped_count": 3, "spider_exceptions/count": 1, "tribun/monitors/failed": 2}, ExitCode.FAILED),
    ({**DONE, "item_scraped_count": 3, "tribun/errors/blocked": 9, "tribun/monitors/failed": 2}, ExitCode.BLOCKED),
])
def test_a_failed_monitor_is_its_own_exit_status(stats: dict, status: ExitCode):
    code, why = crawl_outcome(stats)
    assert code == status, why
    assert code not in (0, 1, 75) or status != ExitCode.MONITORS
