"""The state extension of two nodes of one round, committing to one Redis state (crawler.extensions.state)."""

from __future__ import annotations

from typing import Any

from crawler.distributed import Node
from crawler.extensions.state import StateExtension
from crawler.state import StateRow
from crawler.state_redis import RedisStateStore
from tests.dedup.conftest import make_crawler  # noqa: F401  (the stand-in crawler fixture)
from tests.redisserver import RedisServer

ORIGINAL = "https://bangka.tribunnews.com/2025/01/10/asli"
COPY = "https://jatim.tribunnews.com/2025/01/10/salinan"


def node(make_crawler: Any, url: str, name: str) -> StateExtension:  # noqa: F811
    crawler = make_crawler(TRIBUN_REDIS_URL=url, TRIBUN_NODE=name)
    crawler.extensions[Node] = Node(crawler)
    return crawler.extensions[StateExtension]


def test_a_copy_suppressed_on_one_node_is_recorded_with_the_original_committed_later(
        make_crawler: Any, redis_server: RedisServer):  # noqa: F811
    a = node(make_crawler, redis_server.url, "a")
    b = node(make_crawler, redis_server.url, "b")
    a.stage(StateRow(ORIGINAL, "a" * 32))
    b.stage_duplicate(StateRow(COPY, "b" * 32, ORIGINAL), 0.95, "near")
    # b finishes first: the original is in no finished file yet, so b cannot record the copy.
    b.feed_exporter_closed()
    store = RedisStateStore(redis_server.url)
    assert b.committed and store.get(COPY) is None
    # a's feed is finished with the original in it: its commit records the copy too.
    a.item_scraped({"url": ORIGINAL})
    a.feed_exporter_closed()
    assert a.committed
    assert store.get(ORIGINAL).duplicate_of is None
    assert store.get(COPY).duplicate_of == ORIGINAL  # the next round skips the copy
    store.close()


def test_nothing_of_the_copy_is_recorded_when_the_original_never_reaches_a_finished_file(
        make_crawler: Any, redis_server: RedisServer):  # noqa: F811
    a = node(make_crawler, redis_server.url, "a")
    b = node(make_crawler, redis_server.url, "b")
    a.stage(StateRow(ORIGINAL, "a" * 32))
    b.stage_duplicate(StateRow(COPY, "b" * 32, ORIGINAL), 0.95, "near")
    b.feed_exporter_closed()
    a.feed_exporter_closed()  # the original never reached a's feed exporter (a crash, a failed item)
    store = RedisStateStore(redis_server.url)
    assert store.get(ORIGINAL) is None and store.get(COPY) is None  # the next round fetches both again
    store.close()
