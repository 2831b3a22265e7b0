"""Who this crawl is in a distributed crawl: whether it is one (``TRIBUN_REDIS_URL``), its node name, whether
it seeds discovery, and the add-on that switches the distributed mode on.

Kept free of Redis imports (``redis`` and ``scrapy-redis`` are the `distributed` extra): every run asks these
questions, and only a distributed one loads ``crawler.distributed``.
"""

from __future__ import annotations

import os
import re
import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

    from crawler.distributed import Node

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def redis_url(settings: BaseSettings) -> str | None:
    """``TRIBUN_REDIS_URL`` when set: the crawl is then one node of a distributed crawl."""
    return (settings.get("TRIBUN_REDIS_URL") or "").strip() or None


def redis_prefix(settings: BaseSettings) -> str:
    """``TRIBUN_REDIS_PREFIX``: what every key of this crawl starts with in Redis (``tribun:`` unless set)."""
    return settings.get("TRIBUN_REDIS_PREFIX") or "tribun:"


def node_name(settings: BaseSettings) -> str:
    """``TRIBUN_NODE``, else ``<hostname>-<pid>``; only letters, digits, ``_ . -`` (it goes into file names)."""
    name = (settings.get("TRIBUN_NODE") or "").strip() or f"{socket.gethostname().split('.')[0]}-{os.getpid()}"
    return _UNSAFE.sub("-", name).strip("-.") or str(os.getpid())


def node_run_id(run_id: str, node: str) -> str:
    """A node's run id: the run start then the node name, still ending in ``Z`` (``…T065006.739457-n1Z``), so
    node files sort in run order and the README's glob ``*Z.jsonl`` reads every node's feed."""
    return f"{run_id.removesuffix('Z')}-{node}Z"


def node_of(crawler: Crawler) -> Node | None:
    """The crawl's :class:`crawler.distributed.Node` (joined to its round); None for a single-machine crawl."""
    if not redis_url(crawler.settings):
        return None
    from crawler.distributed import Node

    node = crawler.get_extension(Node)
    if node is not None:
        node.join()
    return node


def seeds_discovery(crawler: Crawler) -> bool:
    """True when this process must discover: a single-machine crawl, or the node that created the round."""
    node = node_of(crawler)
    return node is None or node.seeds


class DistributedMode:
    """Add-on: with ``TRIBUN_REDIS_URL`` set, the shared scheduler, the node extension and the shared
    politeness budget are switched on (crawler/distributed.py); without it, nothing changes."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not redis_url(settings):
            return
        try:
            import redis  # noqa: F401
            import scrapy_redis  # noqa: F401
        except ImportError as exc:
            raise ImportError(f"TRIBUN_REDIS_URL needs the `distributed` extra (pip install '.[distributed]'): "
                              f"{exc}") from exc
        settings.set("SCHEDULER", "crawler.distributed.SharedScheduler", priority="addon")
        settings.set_in_component_priority_dict("EXTENSIONS", "crawler.distributed.Node", 90)
        if settings.getbool("TRIBUN_REDIS_SHARED_BUDGET", True):
            # Last before the download handler: requests skipped earlier (seen, robots.txt) take no lease.
            settings.set_in_component_priority_dict(
                "DOWNLOADER_MIDDLEWARES", "crawler.middlewares.shared_budget.SharedBudgetMiddleware", 900)
