"""One contract, two stores: every test here runs against the SQLite store and the Redis store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from crawler.state import StateError, StateRow, StateStore
from crawler.state_backend import StateBackend, open_state_store
from crawler.state_redis import RedisStateStore
from tests.redisserver import RedisServer, available

A = "https://bangka.tribunnews.com/2025/01/10/a"
B = "https://solo.tribunnews.com/2025/01/10/b"
C = "https://makassar.tribunnews.com/2025/01/10/c"


@pytest.fixture(params=["sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateBackend]:
    if request.param == "sqlite":
        store: Any = StateStore(tmp_path / "state" / "tribun.sqlite3")
    else:
        if not available():
            pytest.skip("redis-server is not installed")
        server = RedisServer(tmp_path / "redis").start()
        request.addfinalizer(server.stop)
        store = RedisStateStore(server.url)
    yield store
    store.close()


def runs_of(store: Any) -> dict[str, tuple[int, int, int | None]]:
    """run id → (emitted, duplicates, exit status), read the store's own way."""
    if isinstance(store, StateStore):
        with sqlite3.connect(store.path) as db:
            return {r[0]: tuple(r[1:]) for r in db.execute("SELECT run_id, emitted, duplicates, exit_status FROM runs")}
    return {k: (v["emitted"], v["duplicates"], v["exit_status"]) for k, v in store.runs().items()}


def test_both_stores_satisfy_the_contract(backend: StateBackend):
    assert isinstance(backend, StateBackend)


def test_commit_then_lookup_by_url_and_fingerprint(backend: StateBackend):
    assert backend.get(A) is None
    n = backend.commit([StateRow(A, "f" * 32, None, 100, 200), StateRow(B, "e" * 32, A, 150, None)],
                       run_id="r1", now=1000)
    assert n == 2
    a = backend.get(A)
    assert (a.url, a.fingerprint, a.duplicate_of, a.published_at, a.modified_at, a.first_seen, a.last_seen,
            a.run_id) == (A, "f" * 32, None, 100, 200, 1000, 1000, "r1")
    assert backend.get(B).duplicate_of == A
    assert backend.by_fingerprint("f" * 32).url == A
    assert backend.by_fingerprint("0" * 32) is None
    assert backend.count() == 2


def test_fingerprint_lookup_prefers_the_emitted_article(backend: StateBackend):
    backend.commit([StateRow(B, "f" * 32, A), StateRow(A, "f" * 32, None)], run_id="r1", now=1)
    assert backend.by_fingerprint("f" * 32).url == A
    # A later duplicate with the same body does not take the fingerprint from the emitted article.
    backend.commit([StateRow(C, "f" * 32, A)], run_id="r2", now=2)
    assert backend.by_fingerprint("f" * 32).url == A


def test_recommit_keeps_first_seen_and_times_and_touch_moves_last_seen(backend: StateBackend):
    backend.commit([StateRow(A, "f" * 32, None, 100, 200), StateRow(B, "e" * 32)], run_id="r1", now=1000)
    backend.commit([StateRow(A, "d" * 32, None, None, 300)], [B], run_id="r2", now=2000)
    a, b = backend.get(A), backend.get(B)
    assert (a.fingerprint, a.published_at, a.modified_at, a.first_seen, a.last_seen) == ("d" * 32, 100, 300, 1000, 2000)
    assert (b.first_seen, b.last_seen, b.run_id) == (1000, 2000, "r1")
    assert backend.by_fingerprint("d" * 32).url == A
    assert runs_of(backend) == {"r1": (2, 0, None), "r2": (1, 0, None)}


def test_touching_an_unknown_url_adds_nothing(backend: StateBackend):
    backend.commit([], ["https://bangka.tribunnews.com/2025/01/10/never"], run_id="r1", now=5)
    assert backend.count() == 0
    assert runs_of(backend) == {"r1": (0, 0, None)}


def test_commit_is_all_or_nothing(backend: StateBackend):
    with pytest.raises((sqlite3.IntegrityError, ValueError)):
        backend.commit([StateRow(A, "f" * 32), StateRow(None, "e" * 32)], run_id="r1", now=1)  # type: ignore[arg-type]
    assert backend.count() == 0
    assert backend.by_fingerprint("f" * 32) is None
    assert runs_of(backend) == {}
    backend.commit([StateRow(A)], run_id="r2", now=1)  # still usable
    assert backend.count() == 1


def test_exit_status_lands_on_the_committed_run_only(backend: StateBackend):
    backend.commit([StateRow(A, "f" * 32)], run_id="r1", now=1)
    backend.set_exit_status("r1", 79)
    backend.set_exit_status("never-committed", 1)
    assert runs_of(backend) == {"r1": (1, 0, 79)}


def test_the_setting_chooses_the_store(tmp_path: Path, redis_server: RedisServer):
    settings = Settings({"TRIBUN_OUTPUT_DIR": str(tmp_path), "TRIBUN_STATE_PATH": ".state/tribun.sqlite3"})
    sqlite_store = open_state_store(settings)
    assert isinstance(sqlite_store, StateStore) and sqlite_store.path == tmp_path / ".state/tribun.sqlite3"
    sqlite_store.close()
    settings.set("TRIBUN_REDIS_URL", redis_server.url)
    redis_store = open_state_store(settings)
    assert isinstance(redis_store, RedisStateStore)
    redis_store.close()


def test_a_newer_redis_schema_is_refused(redis_server: RedisServer):
    import redis

    redis.Redis.from_url(redis_server.url).set("tribun:state:schema", 99)
    with pytest.raises(StateError, match="schema version 99"):
        RedisStateStore(redis_server.url)


def test_an_unreachable_redis_is_a_state_error(tmp_path: Path):
    from tests.redisserver import free_port

    with pytest.raises(StateError, match="Redis is running"):
        RedisStateStore(f"redis://127.0.0.1:{free_port()}/0")


def test_redis_rows_are_compact_json(redis_server: RedisServer):
    store = RedisStateStore(redis_server.url)
    store.commit([StateRow(A, "f" * 32, None, 100, 200)], run_id="r1", now=7)
    import redis

    raw = redis.Redis.from_url(redis_server.url).hget("tribun:state:articles", A)
    assert json.loads(raw) == ["f" * 32, None, 100, 200, 7, 7, "r1"]
    store.close()


def test_redis_state_survives_a_restart_with_the_append_only_file(tmp_path: Path):
    if not available():
        pytest.skip("redis-server is not installed")
    with RedisServer(tmp_path / "aof", persist=True) as server:
        store = RedisStateStore(server.url)
        store.commit([StateRow(A, "f" * 32, None, 100, 200)], run_id="r1", now=7)
        store.close()
        server.restart()
        store = RedisStateStore(server.url)
        assert store.get(A).fingerprint == "f" * 32 and store.count() == 1
        store.close()


def test_without_persistence_a_restart_forgets_the_state(tmp_path: Path, redis_server: RedisServer):
    # What the README warns about: the next run would emit everything again.
    store = RedisStateStore(redis_server.url)
    store.commit([StateRow(A, "f" * 32)], run_id="r1", now=7)
    store.close()
    redis_server.restart()
    store = RedisStateStore(redis_server.url)
    assert store.count() == 0
    store.close()
