"""Three node processes, one crawl: the real ``scrapy crawl tribun`` three times against the fault server over
the bundled mirror, with one real redis-server (tests/redisserver.py)."""

from __future__ import annotations

import json
import os
import signal
from collections import Counter
from pathlib import Path

import pytest

from tests.distributed.cluster import (
    PAIRS,
    assert_every_article_once,
    finished_feeds,
    log_of,
    node_of_hit,
    round_nodes,
    round_over,
    start_node,
    wait_for,
)
from tests.faults.server import FaultServer
from tests.redisserver import RedisServer

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
NODES = ("n1", "n2", "n3")


@pytest.fixture
def server() -> FaultServer:
    with FaultServer(ROOT / "mirror") as srv:
        yield srv


def run_round(server: FaultServer, out: Path, url: str, *, gate: bool, **settings: str) -> dict[str, int]:
    """Starts the three nodes together and waits for them; returns each node's exit status.

    With ``gate``, the server holds every request until all three nodes have joined the round, so the
    work is there for all of them, whichever starts first.
    """
    if gate:
        server.close_gate_after(0)
    procs = {name: start_node(server, out, name, url, **settings) for name in NODES}
    try:
        if gate:
            wait_for(lambda: round_nodes(url) == len(NODES), what="three nodes in the round")
            server.gate.set()
        return {name: proc.wait(timeout=300) for name, proc in procs.items()}
    finally:
        server.gate.set()
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_three_nodes_emit_every_article_once_and_a_second_round_nothing(server: FaultServer, tmp_path: Path,
                                                                       redis_server: RedisServer):
    out = tmp_path / "out"
    out.mkdir()
    server.latency = 0.1  # keeps every node busy long enough to share the work
    codes = run_round(server, out, redis_server.url, gate=True, CONCURRENT_REQUESTS_PER_DOMAIN="2")
    assert codes == dict.fromkeys(NODES, 0), {n: log_of(out, n)[-3000:] for n in NODES}
    feeds = finished_feeds(out)
    # One finished file per node, named <run start>-<node>Z.jsonl: sorted, they follow the nodes' start order.
    assert sorted(name.rsplit("-", 1)[1] for name in feeds) == ["n1Z.jsonl", "n2Z.jsonl", "n3Z.jsonl"]
    assert [p.name for p in (out / "tribun").iterdir() if p.name.endswith(".part")] == []
    items = [item for found in feeds.values() for item in found]
    assert_every_article_once(items)
    # The work was shared: more than one node fetched articles.
    fetchers = {node_of_hit(h.user_agent) for h in server.hits if "?page=all" in h.target}
    assert len(fetchers) >= 2, fetchers
    # Discovery was seeded once: each portal's sitemap was read by one node only, once.
    sitemaps = Counter((h.host, node_of_hit(h.user_agent)) for h in server.hits if h.target == "/sitemap.xml")
    assert sorted(sitemaps.values()) == [1] * 5 and len({node for _, node in sitemaps}) == 1
    # One politeness budget: never more than 2 requests at once on any portal host, for the three nodes.
    per_host = {host: n for host, n in server.max_in_flight.items() if host != "*"}
    assert per_host and max(per_host.values()) <= 2, per_host

    wait_for(lambda: round_over(redis_server.url), what="the round to end")
    server.reset()
    before = set(finished_feeds(out))
    codes = run_round(server, out, redis_server.url, gate=False)
    assert codes == dict.fromkeys(NODES, 0), {n: log_of(out, n)[-3000:] for n in NODES}
    second = {name: found for name, found in finished_feeds(out).items() if name not in before}
    assert len(second) == 3 and all(found == [] for found in second.values()), second
    # Nothing emitted before was downloaded again.
    assert not [h for h in server.hits if "?page=all" in h.target and h.status == 200]


def test_a_node_killed_mid_round_loses_nothing(server: FaultServer, tmp_path: Path, redis_server: RedisServer):
    out = tmp_path / "out"
    out.mkdir()
    server.latency = 0.05
    held = server.close_gate_after(0)
    procs = {name: start_node(server, out, name, redis_server.url) for name in NODES}
    try:
        wait_for(lambda: round_nodes(redis_server.url) == len(NODES), what="three nodes in the round")
        # Let discovery and the first articles through, then hold every later request at the gate; kill n2 while
        # one of its article requests is under way or held there (it has taken articles it will never finish).
        held.set()
        server.close_gate_after(40)
        wait_for(lambda: any(node_of_hit(h.user_agent) == "n2" and "?page=all" in h.target and h.done is None
                             for h in list(server.hits)), what="an article request of n2 under way or held")
        os.kill(procs["n2"].pid, signal.SIGKILL)
        procs["n2"].wait()
        server.gate.set()
        codes = {name: procs[name].wait(timeout=300) for name in ("n1", "n3")}
    finally:
        server.gate.set()
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert codes == {"n1": 0, "n3": 0}, {n: log_of(out, n)[-3000:] for n in ("n1", "n3")}
    # n2 left no visible file, and its articles are in no one's state: the next round finds them.
    first = finished_feeds(out)
    assert not any(name.endswith("-n2Z.jsonl") for name in first)
    taken_by_n2 = {h.url.split("?")[0] for h in server.hits
                   if node_of_hit(h.user_agent) == "n2" and "?page=all" in h.target}
    emitted_first = {item["url"] for found in first.values() for item in found}
    assert taken_by_n2 and not taken_by_n2 & emitted_first
    wait_for(lambda: round_over(redis_server.url), what="the dead node's round to expire")
    server.reset()
    codes = run_round(server, out, redis_server.url, gate=False)
    assert codes == dict.fromkeys(NODES, 0), {n: log_of(out, n)[-3000:] for n in NODES}
    items = [item for found in finished_feeds(out).values() for item in found]
    assert_every_article_once(items)
    # What n2 had taken came out in the second round (a syndicated copy may have lost to its original).
    assert len(taken_by_n2 - {item["url"] for item in items}) <= len(PAIRS)
    stats = [json.loads(p.read_text()) for p in (out / "tribun").glob("*.stats.json")]
    assert sum(s.get("item_scraped_count", 0) for s in stats) == len(items)
