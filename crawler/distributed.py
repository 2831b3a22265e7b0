"""Distributed crawling on Redis: any number of ``scrapy crawl tribun`` processes, on any machines, that are
started with the same ``-s TRIBUN_REDIS_URL=redis://host:port/db`` form one crawl.

* **Rounds.** The first node to start creates the round: ``SET <prefix>round <id> NX EX <lease>`` (a lock
  with expiry, not a race); it alone seeds discovery (sitemaps, feeds, listings, or the ``-a urls`` given).
  Every node started while the round key exists joins that round. Each node refreshes the round key and
  its own entry in ``round:<id>:nodes`` (a sorted set of heartbeat times) every few seconds; the last node
  to leave deletes the round, and a round whose nodes all died expires after ``TRIBUN_REDIS_LEASE`` seconds.
  The next cron start then begins a new round, which discovers again.
* **Sharing articles.** Article requests (``dont_filter``, see ``TribunSpider.article_request``) are not
  scheduled locally: :class:`SharedScheduler` claims each one in the round's scrapy-redis duplicate filter
  (``round:<id>:dupefilter``; the first claim wins, a repeat is dropped) and pushes it onto the round's
  scrapy-redis FIFO queue (``round:<id>:queue``). :class:`Node` hands queued requests to its engine as it
  has room (``engine.crawl``); everything after that first request (later pages, retries, redirects, the
  page-by-page fallback) stays on the node that took it. Both keys are per round, so a round re-discovers
  whatever an earlier one did not commit.
* **Closing.** A node closes once its own work is done, the round's queue has stayed empty for
  ``TRIBUN_REDIS_IDLE_CLOSE`` seconds and no node is still discovering (``round:<id>:discovering``, held by
  the seeding node with expiry until its discovery ends).
* **Losing a node.** A request a killed node had taken is gone from the queue, but nothing of it was
  committed (the state is written only after a node's feed is finished), so the next round finds and
  emits it.

The add-on :class:`crawler.nodes.DistributedMode` switches all of this on when ``TRIBUN_REDIS_URL`` is set.
"""

from __future__ import annotations

import json
import logging
import time
import warnings
from collections.abc import Iterable
from dataclasses import astuple
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self

import redis
from scrapy import signals
from scrapy.core.scheduler import Scheduler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.article_flow import META_KEY, ArticleState
from crawler.middlewares.scheduler_exit import request_left_scheduler
from crawler.nodes import node_name, node_of, redis_prefix, redis_url
from crawler.state import StateRow

with warnings.catch_warnings():
    # scrapy-redis 0.9.1 imports Scrapy APIs deprecated in 2.13; the queue and filter used here are unaffected.
    warnings.simplefilter("ignore")
    from scrapy_redis.dupefilter import RFPDupeFilter
    from scrapy_redis.queue import FifoQueue

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

_SHARED = "tribun_shared"  # meta: this request went through (or came from) the round's queue
_TICK = 0.25  # seconds between two looks at the shared queue


def is_shared(request: Request) -> bool:
    """The first request of an article, not yet put through the round's queue."""
    meta = request.meta
    state = meta.get(META_KEY)
    return isinstance(state, ArticleState) and state.page == "all" and not state.pages and _SHARED not in meta


class Node:
    """One process of a distributed crawl: joins (or creates) the round, feeds its engine from the shared
    queue, keeps its heartbeat, decides when to close, and leaves the round at the end."""

    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        url = redis_url(settings)
        if not url:
            raise NotConfigured("TRIBUN_REDIS_URL is not set")
        self.crawler = crawler
        self.name = node_name(settings)
        self.prefix = redis_prefix(settings)
        self.lease = max(3, settings.getint("TRIBUN_REDIS_LEASE", 30))
        self.idle_close = max(0.0, settings.getfloat("TRIBUN_REDIS_IDLE_CLOSE", 10))
        self.redis = redis.Redis.from_url(url)
        self.round: str | None = None
        self.seeds = False
        self.discovering = False
        self.scheduler: SharedScheduler | None = None
        self._empty_since: float | None = None
        # True once an idle check found nothing left for this node: the spider may close at this idle.
        self.done = False
        self._last_beat = 0.0
        self._loop: Any = None
        self._unreachable = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        node = cls(crawler)
        crawler.signals.connect(node.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(node.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(node.spider_closed, signal=signals.spider_closed)
        return node

    # --- the round --------------------------------------------------------------------------------

    def key(self, name: str) -> str:
        assert self.round is not None
        return f"{self.prefix}round:{self.round}:{name}"

    def join(self) -> None:
        """Creates the round (and seeds it) or joins the one under way; once per process."""
        if self.round is not None:
            return
        round_key = f"{self.prefix}round"
        while self.round is None:
            candidate = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
            if self.redis.set(round_key, candidate, nx=True, ex=self.lease):
                self.round, self.seeds = candidate, True
            else:
                current = self.redis.get(round_key)
                if current is not None:  # else it expired just now: try to create it again
                    self.round = current.decode()
        if self.seeds:
            self.discovering = True
            self.redis.set(self.key("discovering"), self.name, ex=self.lease)
        self._beat()
        stats = self.crawler.stats
        stats.set_value("tribun/distributed/round", self.round)
        stats.set_value("tribun/distributed/node", self.name)
        logger.info("Node %s %s round %s (%s)", self.name, "created" if self.seeds else "joined", self.round,
                    "seeding discovery" if self.seeds else "discovery seeded by the node that created it")

    def _beat(self) -> None:
        seconds, micros = self.redis.time()
        pipe = self.redis.pipeline(transaction=False)
        # Put the round back if it expired (a Redis restart or an outage longer than the lease) while nodes of
        # it still run: a node started meanwhile must join it, not seed a second round beside it.
        pipe.set(f"{self.prefix}round", self.round, nx=True, ex=self.lease)
        pipe.expire(f"{self.prefix}round", self.lease)
        pipe.zadd(self.key("nodes"), {self.name: seconds + micros / 1e6})
        for name in ("nodes", "queue", "dupefilter"):
            pipe.expire(self.key(name), self.lease)
        if self.discovering:
            pipe.expire(self.key("discovering"), self.lease)
        pipe.execute()
        self._last_beat = time.monotonic()

    def _live_nodes(self) -> int:
        seconds, _ = self.redis.time()
        self.redis.zremrangebyscore(self.key("nodes"), "-inf", seconds - self.lease)
        return int(self.redis.zcard(self.key("nodes")))

    # --- duplicates whose original another node emits ------------------------------------------------

    def share_duplicate(self, row: StateRow) -> None:
        """Hands a duplicate's state row to whichever node commits its original (``round:<id>:dups:<url>``):
        the node that suppressed it may commit first, before the original is in the state."""
        key = self.key(f"dups:{row.duplicate_of}")
        pipe = self.redis.pipeline(transaction=False)
        pipe.sadd(key, json.dumps(astuple(row), separators=(",", ":")))
        pipe.expire(key, 24 * 3600)
        pipe.execute()

    def duplicates_of(self, originals: Iterable[str]) -> list[StateRow]:
        """The duplicate rows any node of the round shared for these originals."""
        originals = list(originals)
        pipe = self.redis.pipeline(transaction=False)
        for url in originals:
            pipe.smembers(self.key(f"dups:{url}"))
        return [StateRow(*json.loads(raw)) for found in pipe.execute() for raw in found]

    # --- signals ----------------------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        self.join()
        self._loop = create_looping_call(self._tick)
        self._loop.start(_TICK, now=False)

    def _tick(self) -> None:
        try:
            if time.monotonic() - self._last_beat >= self.lease / 3:
                self._beat()
            self._feed()
        except redis.RedisError as exc:
            # One line per outage, not per tick; the node goes on with what it has and tries again.
            self.crawler.stats.inc_value("tribun/distributed/redis_errors")
            if not self._unreachable:
                self._unreachable = True
                logger.error("Redis unreachable from node %s: %s; retrying every %.2f s", self.name, exc, _TICK)
            return
        if self._unreachable:
            self._unreachable = False
            logger.warning("Redis reachable again from node %s", self.name)

    def _feed(self) -> None:
        """Takes requests from the round's queue while the engine has room for them. The scheduler also takes
        them whenever the engine asks; this wakes an engine that has nothing in flight (it would otherwise look
        again only at its 5-second heartbeat)."""
        engine = self.crawler.engine
        scheduler = self.scheduler
        if engine is None or scheduler is None or not engine.running:
            return
        room = self.crawler.settings.getint("CONCURRENT_REQUESTS") - len(scheduler) - len(engine.downloader.active)
        while room > 0 and not engine.needs_backout():
            request = scheduler.shared.pop()
            if request is None:
                return
            self.crawler.stats.inc_value("tribun/distributed/taken")
            engine.crawl(request)
            room -= 1

    def spider_idle(self, spider: Spider) -> None:
        self.done = False
        if self.discovering:
            # Idle with start() finished: this node's discovery is over.
            self.discovering = False
            self.redis.delete(self.key("discovering"))
        try:
            queued = len(self.scheduler.shared) if self.scheduler is not None else 0
            discovering = bool(self.redis.exists(self.key("discovering")))
        except redis.RedisError as exc:
            logger.error("Redis unreachable from node %s: %s; closing", self.name, exc)
            self.done = True
            return
        now = time.monotonic()
        if queued or discovering:
            self._empty_since = None
            raise DontCloseSpider
        if self._empty_since is None:
            self._empty_since = now
        if now - self._empty_since < self.idle_close:
            raise DontCloseSpider
        self.done = True

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.round is None:
            return
        stats = self.crawler.stats
        try:
            stats.set_value("tribun/distributed/round_articles", int(self.redis.scard(self.key("dupefilter"))))
            if self.discovering:
                self.redis.delete(self.key("discovering"))
            self.redis.zrem(self.key("nodes"), self.name)
            if self._live_nodes() == 0:
                self._end_round()
        except redis.RedisError as exc:
            logger.error("Node %s could not leave round %s cleanly (%s); it expires in %d s", self.name,
                         self.round, exc, self.lease)
        finally:
            self.redis.close()

    def _end_round(self) -> None:
        round_key = f"{self.prefix}round"

        def end(pipe: redis.client.Pipeline) -> None:
            current = pipe.get(round_key)
            pipe.multi()
            if current is not None and current.decode() == self.round:
                pipe.delete(round_key)
            pipe.delete(*(self.key(n) for n in ("nodes", "queue", "dupefilter", "discovering")))

        self.redis.transaction(end, round_key)
        logger.info("Node %s was the last of round %s: round ended", self.name, self.round)


class SharedScheduler(Scheduler):
    """Scrapy's scheduler for this node's own requests; the first request of each article goes to the round's
    scrapy-redis queue instead, once per round (the round's scrapy-redis duplicate filter)."""

    node: Node
    shared: FifoQueue
    claims: RFPDupeFilter

    def open(self, spider: Spider) -> Any:
        result = super().open(spider)
        assert self.crawler is not None
        node = node_of(self.crawler)
        if node is None:
            raise NotConfigured("SharedScheduler needs TRIBUN_REDIS_URL and crawler.distributed.Node")
        node.join()
        node.scheduler = self
        self.node = node
        self.shared = FifoQueue(node.redis, spider, node.key("queue"))
        self.claims = RFPDupeFilter(node.redis, node.key("dupefilter"))
        return result

    def enqueue_request(self, request: Request) -> bool:
        if not is_shared(request):
            return super().enqueue_request(request)
        request.meta[_SHARED] = True
        assert self.stats is not None and self.crawler is not None
        if self.claims.request_seen(request):
            self.stats.inc_value("tribun/distributed/claimed_before")
            return False
        self.shared.push(request)
        self.stats.inc_value("tribun/distributed/shared")
        # It waits in the round's queue, not in this scheduler: the discovery backlog must not count it here.
        self.crawler.signals.send_catch_log(signal=request_left_scheduler, request=request)
        return True

    def next_request(self) -> Request | None:
        """This node's own requests first (started articles, discovery), then the round's queue: the engine
        asks whenever it has room, so a busy node takes shared work at its own pace."""
        request = super().next_request()
        if request is None:
            try:
                request = self.shared.pop()
            except redis.RedisError:
                return None  # the node's tick reports the outage
            if request is not None:
                assert self.stats is not None
                self.stats.inc_value("tribun/distributed/taken")
        return request

    def has_pending_requests(self) -> bool:
        if super().has_pending_requests():
            return True
        try:
            return len(self.shared) > 0
        except redis.RedisError:
            return False
