"""The SQLite state store and the run lock (crawler.state)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.state import (
    SCHEMA_VERSION,
    RunLock,
    StateError,
    StateLocked,
    StateRow,
    StateStore,
    lock_path,
    state_path,
    to_epoch,
)

ROOT = Path(__file__).resolve().parents[2]
A = "https://bangka.tribunnews.com/2025/01/10/a"
B = "https://solo.tribunnews.com/2025/01/10/b"


@pytest.fixture
def store(tmp_path: Path):
    s = StateStore(tmp_path / "state" / "tribun.sqlite3")
    yield s
    s.close()


def test_new_store_is_versioned_wal_with_busy_timeout(store: StateStore):
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    db.close()


def test_commit_then_lookup_by_url_and_fingerprint(store: StateStore):
    assert store.get(A) is None
    n = store.commit([StateRow(A, "f" * 32, None, 100, 200), StateRow(B, "e" * 32, A, 150, None)],
                     run_id="r1", now=1000)
    assert n == 2
    a = store.get(A)
    assert (a.url, a.fingerprint, a.duplicate_of, a.published_at, a.modified_at, a.first_seen, a.last_seen) == (
        A, "f" * 32, None, 100, 200, 1000, 1000)
    assert store.get(B).duplicate_of == A
    assert store.by_fingerprint("f" * 32).url == A
    assert store.by_fingerprint("0" * 32) is None


def test_fingerprint_lookup_prefers_the_emitted_article(store: StateStore):
    store.commit([StateRow(B, "f" * 32, A), StateRow(A, "f" * 32, None)], run_id="r1", now=1)
    assert store.by_fingerprint("f" * 32).url == A


def test_recommit_keeps_first_seen_and_touch_moves_last_seen(store: StateStore):
    store.commit([StateRow(A, "f" * 32, None, 100, 200), StateRow(B, "e" * 32)], run_id="r1", now=1000)
    store.commit([StateRow(A, "d" * 32, None, None, 300)], [B], run_id="r2", now=2000)
    a, b = store.get(A), store.get(B)
    assert (a.fingerprint, a.published_at, a.modified_at, a.first_seen, a.last_seen) == ("d" * 32, 100, 300, 1000, 2000)
    assert (b.first_seen, b.last_seen) == (1000, 2000)
    runs = sqlite3.connect(store.path).execute("SELECT run_id, emitted, duplicates FROM runs ORDER BY 1").fetchall()
    assert runs == [("r1", 2, 0), ("r2", 1, 0)]


def test_commit_is_all_or_nothing(store: StateStore):
    with pytest.raises(sqlite3.IntegrityError):
        store.commit([StateRow(A, "f" * 32), StateRow(None, "e" * 32)], run_id="r1", now=1)  # type: ignore[arg-type]
    assert store.count() == 0
    store.commit([StateRow(A)], run_id="r2", now=1)  # the store is still usable
    assert store.count() == 1


def test_lookups_use_indexes_not_scans(store: StateStore):
    by_url = store.query_plan("SELECT * FROM articles WHERE url = ?", (A,))
    by_fp = store.query_plan(
        "SELECT * FROM articles WHERE fingerprint = ? ORDER BY duplicate_of IS NOT NULL LIMIT 1", ("f",))
    assert "SEARCH articles USING PRIMARY KEY" in by_url
    assert "SEARCH articles USING INDEX articles_fingerprint" in by_fp
    assert "SCAN" not in by_url + by_fp


def test_schema_version_mismatch_is_refused_clearly(tmp_path: Path):
    path = tmp_path / "s.sqlite3"
    StateStore(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StateError, match=rf"schema version {SCHEMA_VERSION + 1}.*uses schema version {SCHEMA_VERSION}"):
        StateStore(path)


def test_foreign_database_and_garbage_are_refused(tmp_path: Path):
    foreign = tmp_path / "foreign.sqlite3"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE t (x)")
    db.close()
    with pytest.raises(StateError, match="not a tribun-crawler state store"):
        StateStore(foreign)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateError, match="unusable"):
        StateStore(garbage)


@pytest.mark.parametrize(("setting", "output_dir", "expected"), [
    (".state/tribun.sqlite3", "/data/out", "/data/out/.state/tribun.sqlite3"),
    ("/var/lib/tribun/state.db", "/data/out", "/var/lib/tribun/state.db"),
    ("s.db", "rel/out", "rel/out/s.db"),
])
def test_state_path_is_relative_to_the_output_dir(setting: str, output_dir: str, expected: str):
    settings = Settings({"TRIBUN_STATE_PATH": setting, "TRIBUN_OUTPUT_DIR": output_dir})
    assert state_path(settings) == Path(expected)
    assert lock_path(Path(expected)) == Path(expected + ".lock")


def test_empty_state_path_is_an_error():
    with pytest.raises(StateError):
        state_path(Settings({"TRIBUN_STATE_PATH": "", "TRIBUN_OUTPUT_DIR": "/x"}))


WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(("value", "expected"), [
    (None, None),
    ("", None),
    ("not a date", None),
    ("2020-10-09T13:52:50+07:00", int(datetime(2020, 10, 9, 6, 52, 50, tzinfo=UTC).timestamp())),
    ("2020-10-09T06:52:50Z", int(datetime(2020, 10, 9, 6, 52, 50, tzinfo=UTC).timestamp())),
    ("2020-10-09 13:52:50", int(datetime(2020, 10, 9, 6, 52, 50, tzinfo=UTC).timestamp())),  # naive: portal zone
    ("2020-10-09", int(datetime(2020, 10, 8, 17, 0, tzinfo=UTC).timestamp())),
    (date(2020, 10, 9), int(datetime(2020, 10, 8, 17, 0, tzinfo=UTC).timestamp())),
    (datetime(2020, 10, 9, 6, 52, 50, tzinfo=UTC), int(datetime(2020, 10, 9, 6, 52, 50, tzinfo=UTC).timestamp())),
    (1600000000, 1600000000),
])
def test_to_epoch(value, expected):
    assert to_epoch(value, WIB) == expected


# --- the run lock -------------------------------------------------------------------------------------

_HOLDER = """
import sys, time
from pathlib import Path
from crawler.state import RunLock
RunLock.acquire(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(600)
"""


def _hold_in_subprocess(path: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_lock_refuses_a_second_process_and_frees_itself_on_sigkill(tmp_path: Path):
    path = tmp_path / "tribun.sqlite3.lock"
    holder = _hold_in_subprocess(path)
    try:
        with pytest.raises(StateLocked) as info:
            RunLock.acquire(path)
        assert info.value.holder == str(holder.pid)
        assert str(holder.pid) in str(info.value)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    lock = RunLock.acquire(path)  # the kernel dropped the dead holder's lock: no stale lock
    try:
        assert path.read_text().strip() == str(os.getpid())
    finally:
        lock.release()


def test_lock_is_reentrant_within_the_process(tmp_path: Path):
    path = tmp_path / "x.lock"
    first = RunLock.acquire(path)
    try:
        assert RunLock.acquire(path) is first
    finally:
        first.release()
    assert path.resolve() not in RunLock._held
