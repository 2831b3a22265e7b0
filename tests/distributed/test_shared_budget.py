"""The cluster-wide politeness budget (crawler.middlewares.shared_budget) against a real Redis; the three-node
crawl in test_cluster_e2e.py shows it at the server."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares.shared_budget import SharedBudgetMiddleware
from tests.redisserver import RedisServer

HOST = "bangka.tribunnews.com"
URL = f"https://{HOST}/2025/01/10/a?page=all"


def middleware(server: RedisServer, **settings: object) -> SharedBudgetMiddleware:
    """One node's middleware (its own crawler and connection)."""
    return SharedBudgetMiddleware.from_crawler(get_crawler(settings_dict={"TRIBUN_REDIS_URL": server.url,
                                                                          **settings}))


def ask(mw: SharedBudgetMiddleware, token: str) -> int:
    """One acquisition attempt: 0 taken, -1 host at its limit, else ms until the next start is allowed."""
    return int(mw.acquire(keys=mw._keys(HOST), args=[token, mw.limit, mw.delay_ms, mw.lease_ms]))


def test_the_host_limit_holds_across_nodes(redis_server: RedisServer):
    one = middleware(redis_server, CONCURRENT_REQUESTS_PER_DOMAIN=2, DOWNLOAD_DELAY=0)
    two = middleware(redis_server, CONCURRENT_REQUESTS_PER_DOMAIN=2, DOWNLOAD_DELAY=0)
    assert ask(one, "a") == 0 and ask(two, "b") == 0
    assert ask(one, "c") == -1 and ask(two, "c") == -1  # 2 in flight for the two nodes together
    # Another host has its own budget.
    assert int(one.acquire(keys=one._keys("solo.tribunnews.com"), args=["d", 2, 0, 40_000])) == 0


def test_a_lease_is_given_back_with_the_response_or_the_failure(redis_server: RedisServer):
    one = middleware(redis_server, CONCURRENT_REQUESTS_PER_DOMAIN=1, DOWNLOAD_DELAY=0)
    two = middleware(redis_server, CONCURRENT_REQUESTS_PER_DOMAIN=1, DOWNLOAD_DELAY=0)
    first, second = Request(URL), Request(URL)
    asyncio.run(one.process_request(first))
    assert ask(two, "x") == -1
    one.process_response(first, HtmlResponse(URL, body=b"<html></html>", request=first))
    # Without the lease given back this would wait until the lease expired (the timeout only ends the test).
    asyncio.run(asyncio.wait_for(two.process_request(second), timeout=10))
    assert ask(one, "y") == -1
    two.process_exception(second, TimeoutError())
    assert ask(one, "y") == 0


def test_the_delay_separates_request_starts_across_nodes(redis_server: RedisServer):
    one = middleware(redis_server, CONCURRENT_REQUESTS_PER_DOMAIN=4, DOWNLOAD_DELAY=60)
    two = middleware(redis_server, CONCURRENT_REQUESTS_PER_DOMAIN=4, DOWNLOAD_DELAY=60)
    assert ask(one, "a") == 0
    wait = ask(two, "b")  # the other node must wait for the rest of the 60 s, though the host has room
    assert 0 < wait <= 60_000
