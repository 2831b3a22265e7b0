"""One contract, two stores: every test here runs against the SQLite store and the Redis store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from crawler.similarity import NearDuplicateIndex, pack_bands, pack_shingles, pack_signature, shingles
from crawler.state import SCHEMA_VERSION, SignatureRow, StateError, StateRow, StateStore
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


# --- the persisted near-duplicate index ----------------------------------------------------------------

STORY = " ".join(f"kata{i}" for i in range(60))  # 58 distinct 3-shingles
NEAR = STORY + " Artikel ini telah tayang di Tribun-Medan.com"  # adds 7 shingles: overlap 1.0 with STORY
OTHER = " ".join(f"lain{i}" for i in range(60))  # shares no shingle with STORY
EARLY, LATE = 1_736_470_000, 1_736_480_000


def signed(url: str, body: str, published: int, origin: str | None = None,
           origin_url: str | None = None) -> SignatureRow:
    text = shingles(body)
    signature, bands = NearDuplicateIndex().signed(text)
    return SignatureRow(url, published, origin, origin_url, pack_shingles(text), pack_signature(signature),
                        pack_bands(bands))


def bands_of(body: str) -> tuple[int, ...]:
    return NearDuplicateIndex().signed(shingles(body))[1]


def test_signatures_are_found_by_band_and_read_back_whole(backend: StateBackend):
    row = signed(A, STORY, EARLY, "medan", "https://medan.tribunnews.com/2025/01/10/x")
    backend.commit([StateRow(A, "f" * 32, None, EARLY)], run_id="r1", signatures=[row, signed(B, OTHER, LATE)])
    assert backend.near_duplicate_candidates(bands_of(NEAR), since=0) == [row]
    assert backend.near_duplicate_candidates(bands_of(NEAR), since=EARLY + 1) == []  # outside the window asked for
    assert [r.url for r in backend.near_duplicate_candidates(bands_of(OTHER), since=0)] == [B]
    assert backend.near_duplicate_candidates((), since=0) == []
    assert backend.signature_count() == 2


def test_a_commit_prunes_signatures_published_before_its_window(backend: StateBackend):
    backend.commit([], run_id="r1", signatures=[signed(A, STORY, EARLY), signed(B, OTHER, LATE)])
    backend.commit([], run_id="r2", signatures=[signed(C, NEAR, EARLY)], prune_before=EARLY + 1)
    # A (and C, committed already outside the window) are gone, with every band entry of them.
    assert backend.near_duplicate_candidates(bands_of(STORY), since=0) == []
    assert backend.signature_count() == 1
    assert [r.url for r in backend.near_duplicate_candidates(bands_of(OTHER), since=0)] == [B]


def test_a_url_signed_again_replaces_its_row(backend: StateBackend):
    backend.commit([], run_id="r1", signatures=[signed(A, STORY, EARLY)])
    backend.commit([], run_id="r2", signatures=[signed(A, OTHER, LATE)])
    assert backend.signature_count() == 1
    assert backend.near_duplicate_candidates(bands_of(STORY), since=0) == []
    assert [r.published_at for r in backend.near_duplicate_candidates(bands_of(OTHER), since=0)] == [LATE]


def test_two_articles_in_one_bucket_are_forgotten_one_at_a_time(backend: StateBackend):
    backend.commit([], run_id="r1", signatures=[signed(A, STORY, EARLY), signed(B, NEAR, LATE)])
    assert {r.url for r in backend.near_duplicate_candidates(bands_of(STORY), since=0)} == {A, B}
    backend.forget_signature(A)
    assert [r.url for r in backend.near_duplicate_candidates(bands_of(STORY), since=0)] == [B]
    backend.forget_signature(B)
    backend.forget_signature(C)  # never signed: nothing to do
    assert backend.near_duplicate_candidates(bands_of(STORY), since=0) == []
    assert backend.signature_count() == 0


def test_signatures_commit_with_the_run_or_not_at_all(backend: StateBackend):
    bad = SignatureRow(B, None, None, None, b"", b"", b"")  # type: ignore[arg-type]  # no publication time
    with pytest.raises((sqlite3.IntegrityError, ValueError)):
        backend.commit([StateRow(A, "f" * 32)], run_id="r1", signatures=[signed(A, STORY, EARLY), bad])
    assert backend.signature_count() == 0
    assert backend.count() == 0
    assert runs_of(backend) == {}


def test_redis_bands_leave_no_empty_bucket_behind(redis_server: RedisServer):
    import redis

    store = RedisStateStore(redis_server.url)
    store.commit([], run_id="r1", signatures=[signed(A, STORY, EARLY), signed(B, OTHER, LATE)])
    client = redis.Redis.from_url(redis_server.url)
    # One field per distinct band key of the two articles (they share none).
    assert client.hlen("tribun:state:signature_bands") == len(set(bands_of(STORY)) | set(bands_of(OTHER)))
    store.commit([], run_id="r2", prune_before=LATE + 1)
    assert client.hlen("tribun:state:signature_bands") == 0
    assert client.zcard("tribun:state:signature_dates") == 0
    store.close()


def test_an_older_redis_schema_is_upgraded_and_its_state_kept(redis_server: RedisServer):
    import redis

    store = RedisStateStore(redis_server.url)
    store.commit([StateRow(A, "f" * 32)], run_id="r1", now=7)
    store.close()
    client = redis.Redis.from_url(redis_server.url)
    client.set("tribun:state:schema", SCHEMA_VERSION - 1)  # written by the crawler version before this one
    store = RedisStateStore(redis_server.url)
    assert store.get(A).fingerprint == "f" * 32
    assert int(client.get("tribun:state:schema")) == SCHEMA_VERSION
    store.close()
