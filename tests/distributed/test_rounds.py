"""Rounds in Redis (crawler.distributed.Node): created once, joined by later nodes, ended by the last one."""

from __future__ import annotations

import redis
from scrapy.utils.test import get_crawler

from crawler.distributed import Node
from tests.redisserver import RedisServer


def make_node(server: RedisServer, name: str) -> Node:
    crawler = get_crawler(settings_dict={"TRIBUN_REDIS_URL": server.url, "TRIBUN_NODE": name,
                                         "EXTENSIONS": {"crawler.distributed.Node": 90}})
    node = crawler.get_extension(Node)
    node.join()
    return node


def test_the_first_node_creates_and_seeds_the_round_the_others_join_it(redis_server: RedisServer):
    first, second, third = (make_node(redis_server, n) for n in ("a", "b", "c"))
    assert first.seeds and not second.seeds and not third.seeds
    assert first.round == second.round == third.round
    client = redis.Redis.from_url(redis_server.url)
    assert client.zcard(first.key("nodes")) == 3
    assert client.get(first.key("discovering")) == b"a"  # the seeding node's lock, until its discovery ends


def test_the_last_node_to_leave_ends_the_round(redis_server: RedisServer):
    first, second = make_node(redis_server, "a"), make_node(redis_server, "b")
    client = redis.Redis.from_url(redis_server.url)
    first.spider_closed(None, "finished")
    assert client.get("tribun:round") == first.round.encode()  # b is still in it
    second.spider_closed(None, "finished")
    assert client.get("tribun:round") is None
    assert make_node(redis_server, "c").seeds  # the next start begins a new round and discovers again


def test_a_round_lost_by_redis_is_put_back_by_its_running_nodes(redis_server: RedisServer):
    node = make_node(redis_server, "a")
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()  # what a restart without persistence leaves
    node._beat()
    assert client.get("tribun:round") == node.round.encode()
    assert not make_node(redis_server, "b").seeds  # a node started now joins it instead of seeding another
