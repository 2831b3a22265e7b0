"""The near-duplicate index shared by the nodes of a round (crawler.similarity_redis), on a real Redis."""

from __future__ import annotations

import random
import threading

import pytest
from scrapy.utils.test import get_crawler

from crawler.distributed import Node
from crawler.similarity import NearDuplicateIndex, shingles
from crawler.similarity_redis import RedisNearDuplicateIndex
from tests.redisserver import RedisServer

WORDS = [f"kata{i}" for i in range(3000)]


def story(seed: int, words: int = 200) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words))


def node_index(server: RedisServer, name: str) -> RedisNearDuplicateIndex:
    """The index of one node process, as DedupPipeline builds it (its own crawler, Node and connection)."""
    crawler = get_crawler(settings_dict={"TRIBUN_REDIS_URL": server.url, "TRIBUN_NODE": name,
                                         "EXTENSIONS": {"crawler.distributed.Node": 90}})
    crawler.get_extension(Node).join()
    return RedisNearDuplicateIndex(crawler, 0.9)


@pytest.fixture
def two_nodes(redis_server: RedisServer) -> tuple[RedisNearDuplicateIndex, RedisNearDuplicateIndex]:
    a, b = node_index(redis_server, "a"), node_index(redis_server, "b")
    assert a.node.round == b.node.round  # b joined the round a created
    return a, b


def test_a_copy_on_another_node_is_recognised(two_nodes):
    a, b = two_nodes
    original = story(1)
    # The copy: the same story with a reporter line and a footer (overlap stays above 0.9).
    copy = "Laporan Wartawan Tribun, Budi " + original + " Artikel ini telah tayang di Tribunnews.com"
    text = shingles(original)
    assert a.query(text) is None
    a.add("https://bangka.tribunnews.com/2025/01/10/asli", text)
    match = b.query(shingles(copy))
    assert match is not None and match.key == "https://bangka.tribunnews.com/2025/01/10/asli"
    assert match.similarity >= 0.9
    # The duplicate is not left in the index: a third copy still points at the original.
    assert len(a) == 1
    assert b.query(shingles(copy + " tambahan")).key == "https://bangka.tribunnews.com/2025/01/10/asli"


def test_unrelated_stories_are_not_matched(two_nodes):
    a, b = two_nodes
    text = shingles(story(1))
    a.query(text)
    a.add("https://bangka.tribunnews.com/2025/01/10/satu", text)
    assert b.query(shingles(story(2))) is None


def test_copies_handled_at_the_same_moment_on_two_nodes_yield_one_original(two_nodes, monkeypatch):
    # Node a has queried (and so registered) the original but not yet added its URL when node b queries the
    # copy: b must wait for a's URL instead of missing it; a query-then-add index would emit both.
    a, b = two_nodes
    original, copy = story(3), story(3) + " Editor: Sari"
    assert a.query(shingles(original)) is None
    saw_pending = threading.Event()
    real_hmget = b.node.redis.hmget

    def hmget(key, keys):
        answer = real_hmget(key, keys)
        if key.endswith(":nd:owners") and b"" in answer:
            saw_pending.set()  # b has seen a's registration still without its URL
        return answer

    monkeypatch.setattr(b.node.redis, "hmget", hmget)
    found: list = []
    waiter = threading.Thread(target=lambda: found.append(b.query(shingles(copy))))
    waiter.start()
    assert saw_pending.wait(10)
    a.add("https://jakarta.tribunnews.com/2025/05/06/asli", shingles(original))
    waiter.join()
    assert found[0] is not None and found[0].key == "https://jakarta.tribunnews.com/2025/05/06/asli"


def test_decisions_equal_the_single_machine_index(redis_server: RedisServer):
    shared = node_index(redis_server, "a")
    local = NearDuplicateIndex(0.9, 5_000)
    texts = [story(s) for s in range(20)]
    # Copies of some of them with small edits, in between.
    texts += [t.replace(t.split()[5], "ubah", 1) + " Sumber: Kompas" for t in texts[:8]]
    for n, body in enumerate(texts):
        text = shingles(body)
        got, want = shared.query(text), local.query(text)
        assert (got and (got.key, round(got.similarity, 6))) == (want and (want.key, round(want.similarity, 6)))
        if want is None:
            shared.add(f"u{n}", text)
            local.add(f"u{n}", text)
    assert len(shared) == len(local) == 20


def test_a_discarded_text_is_forgotten_by_every_node_and_a_kept_repeat_is_indexed(two_nodes):
    # The held copy superseded by its original: discarded (here by the other node), while the original, whose
    # query matched the copy, is indexed so that later copies point at it.
    a, b = two_nodes
    held_copy, original = story(4) + " Sumber: Tribun Medan", story(4)
    assert a.query(shingles(held_copy)) is None
    a.add("https://www.tribunnews.com/2025/01/10/salinan", shingles(held_copy))
    assert b.query(shingles(original)).key == "https://www.tribunnews.com/2025/01/10/salinan"
    b.add("https://medan.tribunnews.com/2025/01/10/asli", shingles(original))
    b.discard("https://www.tribunnews.com/2025/01/10/salinan")
    assert len(a) == 1
    assert a.query(shingles(original + " Editor: Sari")).key == "https://medan.tribunnews.com/2025/01/10/asli"
    b.discard("https://www.tribunnews.com/2025/01/10/never-added")  # nothing to forget
