"""Helpers of the distributed suite: node processes (the real ``scrapy crawl tribun``) against the fault
server over the bundled mirror, all sharing one real redis-server, and what their finished files hold."""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import redis

from crawler.settings import USER_AGENT
from tests.crawlrun import crawl_command, crawl_env, read_jsonl
from tests.faults.server import FaultServer

ROOT = Path(__file__).resolve().parents[2]
EXPECTED: dict[str, Any] = json.loads((ROOT / "tests/fixtures/mirror_expected.json").read_text(encoding="utf-8"))
ARTICLES = {a["url"] for a in EXPECTED["articles"]}
PAIRS = [(s["original"], s["copy"]) for s in EXPECTED["syndicated"]]
# The portals the bundled mirror holds (the fault server serves nothing else).
PORTALS = "tribunnews,bangka,jakarta,makassar,solo"


def start_node(server: FaultServer, out: Path, name: str, redis_url: str, *args: str,
               **settings: str) -> subprocess.Popen:
    """One node: ``scrapy crawl tribun`` through TRIBUN_ORIGIN, named ``name``; its log is ``out/<name>.log``.

    Its User-Agent ends with ``node/<name>`` (still browser-class), so the server can tell the nodes apart.
    """
    merged = {"TRIBUN_ORIGIN": server.origin, "TRIBUN_REDIS_URL": redis_url, "TRIBUN_NODE": name,
              "TRIBUN_REDIS_IDLE_CLOSE": "1", "TRIBUN_REDIS_LEASE": "3", "TRIBUN_WORKERS": "0",
              "USER_AGENT": f"{USER_AGENT} node/{name}", **settings}
    cmd = crawl_command(out, "-a", f"portals={PORTALS}", *args, settings=merged)
    with (out / f"{name}.log").open("ab") as sink:  # the child keeps its own descriptor
        return subprocess.Popen(cmd, cwd=ROOT, env=crawl_env(), stdout=sink, stderr=subprocess.STDOUT)


def node_of_hit(user_agent: str) -> str | None:
    return user_agent.rsplit("node/", 1)[1] if "node/" in user_agent else None


def wait_for(condition: Any, timeout: float = 120, what: str = "condition") -> None:
    """Waits for ``condition()`` (never an assertion on time: the timeout only stops a hung test)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout} s for {what}")
        time.sleep(0.05)


def round_nodes(redis_url: str) -> int:
    """How many nodes the current round has (0 when no round is under way)."""
    client = redis.Redis.from_url(redis_url)
    try:
        current = client.get("tribun:round")
        return int(client.zcard(f"tribun:round:{current.decode()}:nodes")) if current else 0
    finally:
        client.close()


def round_over(redis_url: str) -> bool:
    client = redis.Redis.from_url(redis_url)
    try:
        return not client.exists("tribun:round")
    finally:
        client.close()


def finished_feeds(out: Path) -> dict[str, list[dict]]:
    """Every finished feed, read with the README's one glob: file name → items."""
    return {p.name: read_jsonl(p) for p in sorted((out / "tribun").glob("*Z.jsonl"))}


def log_of(out: Path, name: str) -> str:
    return (out / f"{name}.log").read_text(encoding="utf-8", errors="replace")


def assert_every_article_once(items: list[dict]) -> None:
    """The mirror's articles, each exactly once; of each syndicated pair exactly one (either) once collapsed as
    the README tells readers to: a copy emitted in a round before its original is named in the original's
    ``copies`` (a node killed with the original in hand, the copy released by another node)."""
    urls = Counter(item["url"] for item in items)
    assert [u for u, n in urls.items() if n > 1] == []
    assert set(urls) <= ARTICLES
    named = {copy for item in items for copy in item.get("copies") or ()}
    collapsed = set(urls) - named
    for original, copy in PAIRS:
        assert (original in collapsed) != (copy in collapsed), (original, copy)
        assert copy not in named or original in urls  # only an emitted original names a copy
    singles = ARTICLES - {u for pair in PAIRS for u in pair} - set(EXPECTED["missing"])
    assert singles <= collapsed, sorted(singles - collapsed)
    assert len(collapsed) == len(singles) + len(PAIRS)
