"""One politeness budget for a distributed crawl: per portal host, at most ``TRIBUN_REDIS_HOST_CONCURRENCY``
requests in flight and ``DOWNLOAD_DELAY`` seconds between two request starts, for all nodes together.

Each node's own download slots hold those limits per process; three nodes would triple them at the site.
Before a request goes out this middleware takes a lease on its host in Redis (one Lua script, so checking
and taking are one step): a sorted set ``<prefix>budget:<host>`` of the leases in flight, each with its
expiry, and ``<prefix>budget:<host>:next``, the earliest time the next request may start. The lease is given
back when the response (or the failure) comes in. A node killed mid-download never gives its leases back:
they expire after ``DOWNLOAD_TIMEOUT`` + 10 s, so the budget heals by itself. Times are Redis's clock,
the same for every machine.

AutoThrottle still adapts each node's own delay to the latency it sees; the shared delay is the floor.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import TYPE_CHECKING, Self

import redis
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from crawler.nodes import redis_prefix, redis_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

# KEYS: leases, next start. ARGV: token, limit, delay ms, lease ms. Returns 0 when the lease is taken, -1 when
# the host is at its limit, else the milliseconds until the next request may start.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < next_start then return next_start - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', ARGV[3]) end
return 0
"""
_LEASE = "tribun_budget_lease"
_FULL_WAIT = 0.02  # seconds before asking again when the host is at its limit


class SharedBudgetMiddleware:
    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        url = redis_url(settings)
        if not url:
            raise NotConfigured("TRIBUN_REDIS_URL is not set")
        self.crawler = crawler
        self.prefix = redis_prefix(settings)
        self.limit = max(1, settings.getint("TRIBUN_REDIS_HOST_CONCURRENCY")
                         or settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        self.delay_ms = int(settings.getfloat("DOWNLOAD_DELAY") * 1000)
        self.lease_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT") + 10) * 1000)
        self.redis = redis.Redis.from_url(url)
        self.acquire = self.redis.register_script(_ACQUIRE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _keys(self, host: str) -> list[str]:
        return [f"{self.prefix}budget:{host}", f"{self.prefix}budget:{host}:next"]

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        token = uuid.uuid4().hex
        keys = self._keys(host)
        waited = False
        while True:
            answer = int(self.acquire(keys=keys, args=[token, self.limit, self.delay_ms, self.lease_ms]))
            if answer == 0:
                break
            waited = True
            await asyncio.sleep(_FULL_WAIT if answer < 0 else answer / 1000)
        if waited:
            self.crawler.stats.inc_value("tribun/distributed/budget_waits")
        request.meta[_LEASE] = (host, token)

    def _release(self, request: Request) -> None:
        lease = request.meta.pop(_LEASE, None)
        if lease is not None:
            with contextlib.suppress(redis.RedisError):  # else the lease expires by itself
                self.redis.zrem(self._keys(lease[0])[0], lease[1])

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        self._release(request)
        return None
