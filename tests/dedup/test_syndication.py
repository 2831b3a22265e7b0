"""Syndicated copies: which of two copies is the original (crawler.syndication), the persisted near-duplicate
index of the state store, and the dedup pipeline's decisions with a real store (held copies, originals met
after their copy, copies met in a later run)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem

from crawler.extensions.state import StateExtension
from crawler.pipelines.dedup import DedupPipeline
from crawler.similarity import NearDuplicateIndex, pack_bands, pack_shingles, pack_signature, shingles
from crawler.state import SignatureRow, StateRow, StateStore, to_epoch
from crawler.syndication import Provenance, credited_origin, original_of
from tests.dedup.conftest import COPY, OTHER, STORY, make_article

MEDAN = "https://medan.tribunnews.com/2025/01/10/banjir"
WWW = "https://www.tribunnews.com/regional/2025/01/10/banjir-medan"
SOLO = "https://solo.tribunnews.com/2025/01/10/banjir-medan"
EARLY, LATE = 1_736_470_000, 1_736_480_000


# --- the rule -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("portal", "source", "source_url", "expected"), [
    ("tribunnews", "Tribun Medan", None, ("medan", None)),
    ("tribunnews", "tribun-medan.com", None, ("medan", None)),  # an alias of the registry
    ("tribunnews", None, MEDAN, ("medan", MEDAN)),
    ("tribunnews", "Tribun Medan", MEDAN, ("medan", MEDAN)),
    ("medan", "Tribun Medan", None, (None, None)),  # crediting itself is no credit
    ("tribunnews", "Kompas.com", None, (None, None)),  # outside the network: says nothing about the network
    ("tribunnews", "Tribun Network", None, (None, None)),  # the network as a whole is no portal
    ("tribunnews", None, None, (None, None)),
])
def test_credited_origin(portal, source, source_url, expected):
    assert credited_origin(portal, source, source_url) == expected


def prov(url: str, published: int | None = EARLY, origin: str | None = None, origin_url: str | None = None):
    return Provenance(url, published, origin, origin_url)


@pytest.mark.parametrize(("a", "b", "original"), [
    # The credit decides, whatever the times.
    (prov(WWW, EARLY, "medan"), prov(MEDAN, LATE), MEDAN),
    (prov(WWW, EARLY, "medan", MEDAN), prov(MEDAN, LATE), MEDAN),
    # Both credit: the one whose credit names the other's portal (or URL) is the copy.
    (prov(WWW, EARLY, "medan"), prov(MEDAN, LATE, "solo"), MEDAN),
    (prov(WWW, LATE, "medan", MEDAN), prov(MEDAN, EARLY, "tribunnews", WWW), MEDAN),  # mutual: time decides
    # Both credit a third portal (two copies): the earlier is kept.
    (prov(WWW, LATE, "medan"), prov(SOLO, EARLY, "medan"), SOLO),
    # No credit: the earlier is the original.
    (prov(WWW, LATE), prov(MEDAN, EARLY), MEDAN),
    (prov(MEDAN, EARLY), prov(WWW, LATE), MEDAN),
    # Same second: a fixed choice by URL, not by order.
    (prov(WWW, EARLY), prov(MEDAN, EARLY), MEDAN),
    (prov(MEDAN, EARLY), prov(WWW, EARLY), MEDAN),
    # A stored row without a time (older crawler): the one met first (b) stays.
    (prov(MEDAN, EARLY), prov(WWW, None), WWW),
])
def test_original_of(a, b, original):
    assert original_of(a, b).url == original


def test_original_of_does_not_depend_on_the_order_met():
    pairs = [(prov(WWW, EARLY, "medan"), prov(MEDAN, LATE)), (prov(WWW, LATE), prov(SOLO, EARLY)),
             (prov(WWW, EARLY), prov(MEDAN, EARLY)), (prov(WWW, LATE, "medan"), prov(SOLO, EARLY, "medan"))]
    for a, b in pairs:
        assert original_of(a, b) == original_of(b, a)


# --- the persisted index in the store -----------------------------------------------------------------

def signature_row(url: str, body: str, published: int, origin: str | None = None) -> SignatureRow:
    text = shingles(body)
    signature, bands = NearDuplicateIndex().signed(text)
    return SignatureRow(url, published, origin, None, pack_shingles(text), pack_signature(signature),
                        pack_bands(bands))


@pytest.fixture
def store(tmp_path: Path):
    s = StateStore(tmp_path / "s.sqlite3")
    yield s
    s.close()


def test_signatures_are_found_by_band_and_pruned_by_publication_date(store: StateStore):
    index = NearDuplicateIndex()
    store.commit([], run_id="r1", signatures=[signature_row(MEDAN, STORY, EARLY, None),
                                              signature_row(SOLO, OTHER, LATE, None)])
    _, bands = index.signed(shingles(COPY))
    assert [row.url for row in store.near_duplicate_candidates(bands, since=0)] == [MEDAN]
    assert store.near_duplicate_candidates(bands, since=EARLY + 1) == []  # outside the window asked for
    # A later commit prunes what was published before its window: the row and every band row of it.
    store.commit([], run_id="r2", prune_before=EARLY + 1)
    assert store.near_duplicate_candidates(bands, since=0) == []
    assert store.signature_count() == 1
    db = sqlite3.connect(store.path)
    [(orphans,)] = db.execute("SELECT count(*) FROM signature_bands WHERE id NOT IN (SELECT id FROM signatures)")
    [(bands_left,)] = db.execute("SELECT count(*) FROM signature_bands")
    db.close()
    assert orphans == 0 and bands_left == len(index.signed(shingles(OTHER))[1])


def test_a_url_signed_again_replaces_its_row(store: StateStore):
    store.commit([], run_id="r1", signatures=[signature_row(MEDAN, STORY, EARLY)])
    store.commit([], run_id="r2", signatures=[signature_row(MEDAN, OTHER, LATE)])
    assert store.signature_count() == 1
    _, story_bands = NearDuplicateIndex().signed(shingles(STORY))
    assert store.near_duplicate_candidates(story_bands, since=0) == []


def test_candidates_lookup_uses_the_primary_keys(store: StateStore):
    plan = store.query_plan("SELECT url FROM signatures WHERE id IN (SELECT id FROM signature_bands WHERE band IN "
                            "(?, ?)) AND published_at >= ?", (1, 2, 0))
    assert "SEARCH signature_bands USING PRIMARY KEY (band=?)" in plan
    assert "SCAN" not in plan


def test_signatures_commit_with_the_run_or_not_at_all(store: StateStore):
    bad = SignatureRow(MEDAN, None, None, None, b"", b"", b"")  # type: ignore[arg-type]  # NOT NULL published_at
    with pytest.raises(sqlite3.IntegrityError):
        store.commit([], run_id="r1", signatures=[signature_row(SOLO, OTHER, LATE), bad])
    assert store.signature_count() == 0


# --- the pipeline ---------------------------------------------------------------------------------------

@pytest.fixture
def pipeline(make_crawler):
    def build(**settings) -> tuple[DedupPipeline, StateExtension]:
        crawler = make_crawler(**{"TRIBUN_NEAR_DUP_DAYS": 36_500, **settings})
        return DedupPipeline.from_crawler(crawler), crawler.get_extension(StateExtension)

    return build


def original(url: str = MEDAN, body: str = STORY, published: str = "2025-01-10T09:00:00+07:00"):
    article = make_article(url, body, published=published)
    article.portal = "medan"
    return article


def copy(url: str = WWW, body: str = COPY, published: str = "2025-01-10T08:00:00+07:00", credit: bool = True):
    """www's copy, published (by its page) an hour *before* the original: only the credit tells it apart."""
    article = make_article(url, body, published=published)
    article.portal = "tribunnews"
    if credit:
        article.source, article.source_url = "Tribun Medan", MEDAN
    return article


def held(p: DedupPipeline, item) -> None:
    with pytest.raises(DropItem, match="held back"):
        p.process_item(item)


def test_copy_met_first_is_held_and_the_original_wins(pipeline):
    p, state = pipeline()
    held(p, copy())
    assert state.pending == {} and state.duplicates == []
    assert p.process_item(original()).url == MEDAN
    assert state.pending[MEDAN].duplicate_of is None
    assert state.pending[WWW].duplicate_of == MEDAN
    [record] = state.duplicates
    assert (record["url"], record["duplicate_of"], record["kind"]) == (WWW, MEDAN, "near")
    assert p.spider_idle() is None  # nothing held any more: the spider may close
    assert p.stats.get_value("tribun/dedup/held") == 1 and p.stats.get_value("tribun/dedup/near") == 1


def test_original_met_first_and_its_copy_is_recorded(pipeline):
    p, state = pipeline()
    assert p.process_item(original()).url == MEDAN
    with pytest.raises(DropItem, match="near duplicate"):
        p.process_item(copy())
    assert state.pending[WWW].duplicate_of == MEDAN
    assert p.stats.get_value("tribun/dedup/held") is None


def test_a_second_copy_is_recorded_against_the_held_one_then_against_the_original(pipeline):
    p, state = pipeline()
    held(p, copy())
    solo = copy(SOLO, COPY + "\n\nBaca berita lainnya di TribunSolo.com.", published="2025-01-10T10:00:00+07:00")
    with pytest.raises(DropItem, match="duplicate"):
        p.process_item(solo)
    assert state.pending[SOLO].duplicate_of == WWW
    p.process_item(original())
    assert state.pending[SOLO].duplicate_of == MEDAN  # moved onto the original
    assert {d["url"]: d["duplicate_of"] for d in state.duplicates} == {SOLO: MEDAN, WWW: MEDAN}


def test_uncredited_later_copy_is_a_duplicate_whichever_comes_first(pipeline):
    p, state = pipeline()
    later = copy(published="2025-01-10T12:00:00+07:00", credit=False)
    assert p.process_item(original()).url == MEDAN
    with pytest.raises(DropItem):
        p.process_item(later)
    assert state.pending[WWW].duplicate_of == MEDAN


def test_copy_held_beyond_the_bound_is_emitted_when_met(pipeline):
    p, _ = pipeline(TRIBUN_SYNDICATION_HOLD=1)
    held(p, copy())
    second = copy(SOLO, OTHER)
    second.source, second.source_url = "Tribun Medan", None
    assert p.process_item(second).url == SOLO
    assert p.stats.get_value("tribun/dedup/hold_full") == 1


def commit(state: StateExtension) -> None:
    """What the end of a run does once the feed is finished: everything staged and let out is written."""
    state.exported |= set(state.pending)
    state.store.commit(state._rows_to_commit(), run_id="earlier",
                       signatures=[s for u, s in state.signatures.items() if state.pending[u].duplicate_of is None])


def test_copy_in_a_later_run_than_its_original_is_recorded(pipeline, make_crawler):
    p, state = pipeline()
    p.process_item(original())
    commit(state)
    assert state.store.signature_count() == 1
    later, later_state = pipeline()
    with pytest.raises(DropItem, match="near duplicate"):
        later.process_item(copy())
    assert later_state.duplicates == [{"url": WWW, "duplicate_of": MEDAN,
                                       "similarity": later_state.duplicates[0]["similarity"], "kind": "near"}]
    assert 0.9 <= later_state.duplicates[0]["similarity"] < 1


def test_original_in_a_later_run_than_its_emitted_copy_names_it_in_copies(pipeline):
    p, state = pipeline()
    held(p, copy())
    [item] = [h.item for h in p.held.values()]
    p.releasing.add(id(item))  # what spider_idle does, without an engine
    assert p.process_item(item).url == WWW
    commit(state)
    later, later_state = pipeline()
    item = later.process_item(original())
    assert item.copies == [WWW]
    assert later_state.pending[MEDAN].duplicate_of is None and later_state.duplicates == []
    assert later.stats.get_value("tribun/dedup/original_after_copy") == 1


def test_the_persisted_index_is_off_with_zero_days(pipeline):
    p, state = pipeline(TRIBUN_NEAR_DUP_DAYS=0)
    p.process_item(original())
    commit(state)
    assert state.store.signature_count() == 0
    later, _ = pipeline(TRIBUN_NEAR_DUP_DAYS=0)
    held(later, copy())  # nothing to compare with: a copy without its original is held as in any run


def test_articles_older_than_the_window_are_not_signed(pipeline):
    p, state = pipeline(TRIBUN_NEAR_DUP_DAYS=7)
    p.process_item(original())  # published 2025-01-10, long before the last 7 days
    assert state.signatures == {}
    assert to_epoch("2025-01-10T09:00:00+07:00") < state.near_dup_since()


# --- schema 4 -----------------------------------------------------------------------------------------

# The store as the previous crawler version (schema version 3) created it: its SQL verbatim.
SCHEMA_V3 = """
CREATE TABLE articles (url TEXT PRIMARY KEY, fingerprint TEXT, duplicate_of TEXT, published_at INTEGER,
    modified_at INTEGER, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, run_id TEXT) WITHOUT ROWID;
CREATE INDEX articles_fingerprint ON articles (fingerprint);
CREATE TABLE runs (run_id TEXT PRIMARY KEY, committed_at INTEGER NOT NULL, emitted INTEGER NOT NULL,
    duplicates INTEGER NOT NULL, exit_status INTEGER);
CREATE TABLE coverage (run_id TEXT NOT NULL, portal TEXT NOT NULL, field TEXT NOT NULL, items INTEGER NOT NULL,
    covered INTEGER NOT NULL, PRIMARY KEY (run_id, portal, field)) WITHOUT ROWID;
"""


def test_a_version_3_store_is_migrated_to_4_keeps_its_rows_and_matches_a_new_one(tmp_path: Path):
    path = tmp_path / "v3.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(f"BEGIN; {SCHEMA_V3} PRAGMA user_version = 3; COMMIT;")
    db.execute("INSERT INTO articles VALUES (?, ?, NULL, ?, NULL, 1000, 1000, 'r1')", (MEDAN, "0" * 32, EARLY))
    db.close()
    migrated = StateStore(path)
    try:
        assert migrated.get(MEDAN).published_at == EARLY
        migrated.commit([], run_id="r2", signatures=[signature_row(WWW, COPY, LATE, "medan")])
        _, bands = NearDuplicateIndex().signed(shingles(STORY))
        [row] = migrated.near_duplicate_candidates(bands, since=0)
        assert (row.url, row.origin) == (WWW, "medan")
    finally:
        migrated.close()
    StateStore(tmp_path / "new.sqlite3").close()

    def tables(p: Path) -> dict:
        db = sqlite3.connect(p)
        try:
            return {name: [c[1:] for c in db.execute(f"PRAGMA table_info({name})")] for (name,) in
                    db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")}
        finally:
            db.close()

    assert tables(path) == tables(tmp_path / "new.sqlite3")
    assert {"signatures", "signature_bands"} <= set(tables(path))


def test_forgetting_a_url_forgets_its_signature(tmp_path: Path):
    from tests.test_state_command import state_cmd

    out = tmp_path / "out"
    store = StateStore(out / ".state" / "tribun.sqlite3")
    store.commit([StateRow(MEDAN, "0" * 32, None, EARLY), StateRow(SOLO, "1" * 32, None, LATE)], run_id="r1",
                 signatures=[signature_row(MEDAN, STORY, EARLY), signature_row(SOLO, OTHER, LATE)])
    store.close()
    proc = state_cmd(out, "forget", MEDAN)
    assert proc.returncode == 0, proc.stderr
    store = StateStore(out / ".state" / "tribun.sqlite3")
    try:
        _, bands = NearDuplicateIndex().signed(shingles(COPY))
        assert store.near_duplicate_candidates(bands, since=0) == []  # a copy met later is no one's duplicate
        assert store.signature_count() == 1
    finally:
        store.close()
