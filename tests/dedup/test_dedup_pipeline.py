"""Within-run and cross-run item dedup (crawler.pipelines.dedup) with fake items and a real store."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem, NotConfigured

from crawler.extensions.state import StateExtension
from crawler.pipelines.dedup import DedupPipeline
from crawler.state import StateRow, to_epoch
from tests.dedup.conftest import COPY, OTHER, STORY, make_article

BANGKA = "https://bangka.tribunnews.com/2025/01/10/banjir"
JATIM = "https://jatim.tribunnews.com/2025/01/10/banjir-bangka"
SURABAYA = "https://surabaya.tribunnews.com/2025/01/10/cabai"


@pytest.fixture
def pipeline(make_crawler):
    def build(**kwargs) -> tuple[DedupPipeline, StateExtension]:
        crawler = make_crawler(**kwargs)
        return DedupPipeline.from_crawler(crawler), crawler.get_extension(StateExtension)

    return build


def stat(p: DedupPipeline, key: str) -> int | None:
    return p.stats.get_value(f"tribun/dedup/{key}")


def test_needs_the_state_extension(make_crawler):
    crawler = make_crawler()
    crawler.extensions.clear()
    with pytest.raises(NotConfigured):
        DedupPipeline.from_crawler(crawler)


def test_other_items_pass(pipeline):
    p, state = pipeline()
    assert p.process_item({"x": 1}) == {"x": 1}
    assert state.pending == {}


def test_distinct_articles_pass_and_are_staged(pipeline):
    p, state = pipeline()
    a = p.process_item(make_article(BANGKA, modified="2025-01-10T11:00:00+07:00"))
    b = p.process_item(make_article(SURABAYA, OTHER))
    assert (a.url, b.url) == (BANGKA, SURABAYA)
    assert not a.is_update
    row = state.pending[BANGKA]
    assert (row.duplicate_of, row.fingerprint) == (None, a.fingerprint)
    assert (row.published_at, row.modified_at) == (to_epoch(a.published_at), to_epoch("2025-01-10T11:00:00+07:00"))
    assert state.duplicates == []


def test_same_url_twice_in_a_run(pipeline):
    p, _ = pipeline()
    p.process_item(make_article(BANGKA))
    with pytest.raises(DropItem) as info:
        p.process_item(make_article("https://bangka.tribunnews.com/amp/2025/01/10/banjir?page=2", OTHER))
    assert info.value.log_level == "DEBUG"
    assert stat(p, "url") == 1


def test_same_body_on_another_url_is_a_fingerprint_duplicate(pipeline):
    p, state = pipeline()
    p.process_item(make_article(BANGKA))
    with pytest.raises(DropItem):
        p.process_item(make_article(JATIM))
    assert stat(p, "fingerprint") == 1
    assert state.duplicates == [{"url": JATIM, "duplicate_of": BANGKA, "similarity": 1.0, "kind": "fingerprint"}]
    assert state.pending[JATIM].duplicate_of == BANGKA


def test_syndicated_copy_is_a_near_duplicate(pipeline):
    p, state = pipeline()
    p.process_item(make_article(BANGKA, STORY))
    p.process_item(make_article(SURABAYA, OTHER))
    with pytest.raises(DropItem):
        p.process_item(make_article(JATIM, COPY))
    assert stat(p, "near") == 1
    [record] = state.duplicates
    assert (record["url"], record["duplicate_of"], record["kind"]) == (JATIM, BANGKA, "near")
    assert 0.9 <= record["similarity"] < 1
    assert stat(p, "fingerprint") is None


def test_near_duplicate_threshold_is_a_setting(pipeline):
    p, _ = pipeline(TRIBUN_NEAR_DUP_THRESHOLD=0.995)
    p.process_item(make_article(BANGKA, STORY))
    assert p.process_item(make_article(JATIM, COPY)).url == JATIM


def test_url_emitted_by_an_earlier_run_is_dropped(pipeline):
    p, state = pipeline()
    state.store.commit([StateRow(BANGKA, "0" * 32)], run_id="earlier")
    with pytest.raises(DropItem):
        p.process_item(make_article(BANGKA))
    assert stat(p, "url") == 1
    assert state.touched == {BANGKA}


def test_body_emitted_by_an_earlier_run_under_another_url(pipeline):
    p, state = pipeline()
    fp = make_article(BANGKA).fingerprint
    state.store.commit([StateRow(BANGKA, fp), StateRow(JATIM, fp, BANGKA)], run_id="earlier")
    with pytest.raises(DropItem):
        p.process_item(make_article("https://solo.tribunnews.com/2025/01/10/banjir-bangka"))
    assert state.duplicates[0]["duplicate_of"] == BANGKA  # the emitted one, not the stored duplicate
    assert stat(p, "fingerprint") == 1


def test_update_is_emitted_with_is_update_and_newest_modification(pipeline):
    p, state = pipeline(updates=True)
    fp = make_article(BANGKA).fingerprint
    state.store.commit([StateRow(BANGKA, fp, None, 1, 2)], run_id="earlier")
    state.lastmods[BANGKA] = to_epoch("2025-01-12T00:00:00+07:00")
    item = p.process_item(make_article(BANGKA, STORY + "\n\nPembaruan: air mulai surut.", is_update=True,
                                       modified="2025-01-11T00:00:00+07:00"))
    assert item.is_update is True
    assert stat(p, "updates") == 1
    assert state.pending[BANGKA].modified_at == to_epoch("2025-01-12T00:00:00+07:00")


def test_update_with_an_unchanged_body_is_not_its_own_fingerprint_duplicate(pipeline):
    p, state = pipeline(updates=True)
    article = make_article(BANGKA, is_update=True)
    state.store.commit([StateRow(BANGKA, article.fingerprint)], run_id="earlier")
    assert p.process_item(article).is_update is True


def test_fresh_run_ignores_earlier_runs_but_not_its_own(pipeline):
    p, state = pipeline(fresh=True)
    fp = make_article(BANGKA).fingerprint
    state.store.commit([StateRow(BANGKA, fp)], run_id="earlier")
    item = p.process_item(make_article(BANGKA))
    assert item.is_update is False
    with pytest.raises(DropItem):
        p.process_item(make_article(JATIM))
    assert state.store.get(BANGKA) is not None


def test_item_url_is_canonicalised(pipeline):
    p, state = pipeline()
    item = p.process_item(make_article("http://bangka.tribunnews.com/amp/2025/01/10/banjir/?utm_source=x"))
    assert item.url == BANGKA
    assert BANGKA in state.pending
