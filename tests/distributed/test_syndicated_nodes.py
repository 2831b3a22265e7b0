"""The original wins across the nodes of a round and across rounds: the dedup pipelines of two nodes, each
with its own crawler, Node and state extension, against one real Redis (round index and state)."""

from __future__ import annotations

import contextlib
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.exceptions import DontCloseSpider, DropItem
from twisted.internet.defer import Deferred, succeed

from crawler.distributed import Node
from crawler.extensions.state import StateExtension
from crawler.pipelines.dedup import DedupPipeline
from crawler.state_redis import RedisStateStore
from tests.dedup.conftest import make_crawler  # noqa: F401  (the stand-in crawler fixture)
from tests.dedup.test_syndication import MEDAN, WWW, copy, original
from tests.redisserver import RedisServer


class Released:
    """Stands in for the engine's scraper at the run's end: keeps what the pipeline sends back through the
    item pipelines, for the test to pass on to it as Scrapy would."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def start_itemproc_async(self, item: Any, response: Any = None) -> Deferred[None]:
        self.items.append(item)
        return succeed(None)  # Scrapy's is a coroutine: the pipeline waits on either


class NodeRun:
    """One node's run: its dedup pipeline and state extension."""

    def __init__(self, make_crawler: Any, url: str, name: str):  # noqa: F811
        crawler = make_crawler(TRIBUN_REDIS_URL=url, TRIBUN_NODE=name, TRIBUN_NEAR_DUP_DAYS=36_500,
                               TRIBUN_REDIS_IDLE_CLOSE=0)
        crawler.extensions[Node] = self.node = Node(crawler)
        self.node.join()  # the first node built seeds the round (and discovers until its first idle)
        if self.node.seeds:  # its discovery is over: the articles come from the test
            self.node.spider_idle(crawler.spider)
        self.released = Released()
        crawler.engine = SimpleNamespace(scraper=self.released)
        self.crawler = crawler
        self.pipeline = DedupPipeline.from_crawler(crawler)
        self.state: StateExtension = crawler.get_extension(StateExtension)
        self.emitted: list[str] = []

    def meet(self, item: Any) -> bool:
        """The item through the pipeline; True when it is let out (and so reaches this node's feed)."""
        try:
            out = self.pipeline.process_item(item)
        except DropItem:
            return False
        self.emitted.append(out.url)
        self.state.item_scraped(out)
        return True

    def end(self) -> None:
        """The run's end: held copies released (or found superseded), the feed finished, the state committed."""
        self.release()
        self.state.feed_exporter_closed()
        assert self.state.committed

    def release(self) -> None:
        """The run's end: the node finds nothing left in the round, then held copies are released through the
        pipeline (or found superseded); the node extension's idle handler runs first, as it is connected first."""
        self.node.spider_idle(self.crawler.spider)  # TRIBUN_REDIS_IDLE_CLOSE=0: nothing keeps it open
        assert self.node.done
        with contextlib.suppress(DontCloseSpider):  # released copies are on their way through the pipelines
            self.pipeline.spider_idle()
        for item in self.released.items:
            self.meet(item)
        self.released.items.clear()

    def leave(self) -> None:
        self.crawler.get_extension(Node).spider_closed(self.crawler.spider, "finished")


@pytest.fixture
def nodes(make_crawler: Any, redis_server: RedisServer):  # noqa: F811
    def build(*names: str) -> list[NodeRun]:
        return [NodeRun(make_crawler, redis_server.url, name) for name in names]

    return build


def stored(redis_server: RedisServer) -> dict[str, str | None]:
    """URL → duplicate_of, for the two URLs of the story, as the Redis state has them."""
    store = RedisStateStore(redis_server.url)
    try:
        return {url: (row.duplicate_of if (row := store.get(url)) else "absent") for url in (MEDAN, WWW)}
    finally:
        store.close()


def test_copy_held_on_one_node_is_recorded_when_another_node_meets_the_original(nodes, redis_server: RedisServer):
    a, b = nodes("a", "b")
    assert not a.meet(copy())  # credits Tribun Medan: held back on a
    assert a.pipeline.held and b.pipeline.held == {}
    assert b.meet(original())
    assert b.crawler.stats.get_value("tribun/dedup/superseded_elsewhere") == 1
    b.end()
    a.end()  # a's run ends: its held copy is not released, it is the original's duplicate
    assert a.emitted == [] and b.emitted == [MEDAN]
    assert [(d["url"], d["duplicate_of"]) for d in a.state.duplicates] == [(WWW, MEDAN)]  # a's side file
    assert stored(redis_server) == {MEDAN: None, WWW: MEDAN}


def test_copy_met_on_one_node_after_another_node_emitted_the_original_is_recorded(nodes, redis_server: RedisServer):
    a, b = nodes("a", "b")
    assert b.meet(original())
    assert not a.meet(copy())
    assert a.pipeline.held == {}  # not held: its original is known already
    a.end()  # a commits first: the original is in no finished file yet, b's commit records the copy
    b.end()
    assert a.emitted == [] and b.emitted == [MEDAN]
    assert [(d["url"], d["duplicate_of"], d["kind"]) for d in a.state.duplicates] == [(WWW, MEDAN, "near")]
    assert stored(redis_server) == {MEDAN: None, WWW: MEDAN}


def test_original_met_after_another_node_released_its_copy_names_it_in_copies(nodes, redis_server: RedisServer):
    a, b = nodes("a", "b")
    assert not a.meet(copy())
    b.release()  # b has nothing left (it will meet the original all the same: a page it still had in hand)
    a.release()  # every node of the round has nothing left: the copy is released and emitted
    assert a.emitted == [WWW]
    assert b.meet(original())  # before a's commit: known from the round, not from the state
    a.state.feed_exporter_closed()
    b.end()
    assert b.emitted == [MEDAN]
    assert b.pipeline.seen[MEDAN] and b.crawler.stats.get_value("tribun/dedup/original_after_copy") == 1
    assert b.state.duplicates == []
    assert stored(redis_server) == {MEDAN: None, WWW: None}


def test_original_emitted_with_copies_after_another_node_emitted_an_uncredited_copy(nodes):
    a, b = nodes("a", "b")
    # No credit and published an hour later: a copy by time only, so nothing holds it back on a.
    assert a.meet(copy(published="2025-01-10T10:00:00+07:00", credit=False))
    item = original()
    assert b.meet(item)
    assert item.copies == [WWW]


def test_a_node_holds_its_copies_until_it_has_nothing_left_in_the_round(nodes):
    [a] = nodes("a")
    assert not a.meet(copy())
    a.node.idle_close = 60  # what TRIBUN_REDIS_IDLE_CLOSE=60 sets
    with pytest.raises(DontCloseSpider):
        a.node.spider_idle(a.crawler.spider)  # just out of work: the round may still bring the original
    assert a.pipeline.spider_idle() is None and a.released.items == []
    a.node.idle_close = 0
    a.release()
    assert a.emitted == [WWW]


def test_a_node_keeps_its_copy_until_the_other_nodes_have_nothing_left(nodes, redis_server: RedisServer):
    a, b = nodes("a", "b")
    assert not a.meet(copy())
    a.node.spider_idle(a.crawler.spider)
    assert a.node.done  # a has nothing left, but b has not said so yet
    with pytest.raises(DontCloseSpider):
        a.pipeline.spider_idle()
    assert a.released.items == [] and a.pipeline.held
    assert b.meet(original())
    b.end()
    a.end()
    assert a.emitted == [] and b.emitted == [MEDAN]
    assert stored(redis_server) == {MEDAN: None, WWW: MEDAN}


def test_a_near_copy_in_a_later_round_is_recorded_not_emitted(nodes, redis_server: RedisServer):
    [a] = nodes("a")
    assert a.meet(original())
    a.end()
    a.leave()  # the last node of the round: the round ends, and its index with it
    [b] = nodes("b")
    assert b.crawler.get_extension(Node).round != a.crawler.get_extension(Node).round
    assert not b.meet(copy())  # found through the persisted index in the Redis state, not held
    assert b.pipeline.held == {}
    b.end()
    assert b.emitted == []
    assert [(d["url"], d["duplicate_of"]) for d in b.state.duplicates] == [(WWW, MEDAN)]
    assert stored(redis_server) == {MEDAN: None, WWW: MEDAN}
