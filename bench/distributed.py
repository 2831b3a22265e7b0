"""Distributed crawl benchmark: 1, 2 and 3 nodes on one real redis-server (and a single-machine crawl), and
Redis sizing.

``python -m bench.distributed [--n 5000] [--nodes 1,2,3] [--latency 0.02] [--sizing 200000] [--workdir DIR]``;
the table goes to stdout and ``bench/results/distributed.md`` (``--out``).

Crawl: a generated mirror of N articles (``tools.build_mirror.generate``) served from memory by
:mod:`bench.server` in its own process, answering each request ``--latency`` seconds after it arrived (a
remote site's round trip, so requests overlap); k node processes (``scrapy crawl tribun -a urls_file=…
-s TRIBUN_ORIGIN=… -s TRIBUN_REDIS_URL=…``, the project's concurrency, no delays, robots.txt off) started
together on a fresh redis-server; k = 0 is one single-machine crawl (no Redis), for comparison. Figures:
pages/s (HTTP 200 article pages / seconds from the first to the last article answer at the server), wall
time from launch to the last node's exit (start-up and the idle close included), CPU per page (user +
system of every node and its workers / pages), Redis commands per article (``INFO commandstats`` calls /
items written) and the most requests the server saw in flight at once on one portal host, against the
cluster's budget (``CONCURRENT_REQUESTS_PER_DOMAIN``).

Sizing: ``INFO memory`` ``used_memory`` before and after writing, through the real code, K state rows
(``RedisStateStore.commit``), K request fingerprints in a round's duplicate filter, and K/10 article bodies of
200 words in the shared near-duplicate index; reported per million. The persisted near-duplicate index in
the Redis state (:func:`persisted_index`): K/10 articles of 300 words (``bench.near_dup``'s bodies) committed
1,000 a run with their signatures, Redis memory per 1,000 articles, and one new article's lookup (candidates by
band key from Redis, exact overlap), half of them edited copies. Nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench import RESULTS, ROOT, fmt, table

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PYTHON = sys.executable


def _redis_calls(client: Any) -> int:
    return sum(int(v["calls"]) for v in client.info("commandstats").values())


def sizing(count: int, work: Path, say: Any = print) -> dict[str, float]:
    import redis
    from scrapy import Request
    from scrapy.utils.test import get_crawler
    from scrapy_redis.dupefilter import RFPDupeFilter

    from bench.state_store import rows
    from crawler.distributed import Node
    from crawler.similarity import shingles
    from crawler.similarity_redis import RedisNearDuplicateIndex
    from crawler.state_redis import RedisStateStore
    from tests.redisserver import RedisServer

    figures: dict[str, float] = {}
    with RedisServer(work / "redis-sizing") as server:
        client = redis.Redis.from_url(server.url)

        def used() -> int:
            return int(client.info("memory")["used_memory"])

        say(f"sizing: {count:,} state rows …")
        base = used()
        store = RedisStateStore(server.url)
        for start in range(0, count, 10_000):
            store.commit(rows(start, min(count, start + 10_000)), run_id=f"r{start}")
        figures["state_mb_per_million"] = (used() - base) / count * 1e6 / 2**20

        say(f"sizing: {count:,} fingerprints in a round's duplicate filter …")
        from bench.state_store import url

        base = used()
        claims = RFPDupeFilter(client, "tribun:round:x:dupefilter")
        pipe = client.pipeline(transaction=False)
        for i in range(count):
            pipe.sadd(claims.key, claims.request_fingerprint(Request(url(i) + "?page=all")))
            if i % 10_000 == 9_999:
                pipe.execute()
        pipe.execute()
        figures["dupefilter_mb_per_million"] = (used() - base) / count * 1e6 / 2**20

        bodies = max(1, count // 10)
        say(f"sizing: {bodies:,} bodies in the shared near-duplicate index …")
        crawler = get_crawler(settings_dict={"TRIBUN_REDIS_URL": server.url, "TRIBUN_NODE": "sizing",
                                             "EXTENSIONS": {"crawler.distributed.Node": 90}})
        crawler.get_extension(Node).join()
        index = RedisNearDuplicateIndex(crawler)
        rng = random.Random(5)
        words = [f"kata{i}" for i in range(20_000)]
        base = used()
        for i in range(bodies):
            text = shingles(" ".join(rng.choice(words) for _ in range(200)))
            if index.query(text) is None:
                index.add(url(i), text)
        figures["near_dup_mb_per_million"] = (used() - base) / bodies * 1e6 / 2**20

        say(f"sizing: {bodies:,} articles in the persisted near-duplicate index of the state …")
        figures.update(persisted_index(bodies, server.url, client))
        client.close()
    return figures


def crawl_nodes(nodes: int, urls_file: Path, server: Any, work: Path, timeout: float, say: Any = print
                ) -> dict[str, Any]:
    import redis

    from bench.crawl import _is_article_key, engine_settings, run_measured
    from tests.redisserver import RedisServer

    out = work / f"nodes-{nodes}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    with RedisServer(work / f"redis-{nodes}") as redis_server:
        client = redis.Redis.from_url(redis_server.url)
        calls_before = _redis_calls(client)
        server.control("/log")
        server.control("/inflight")
        results: dict[int, tuple[int, float, float, float]] = {}

        def node(i: int) -> None:
            settings = {**engine_settings(), "TRIBUN_OUTPUT_DIR": str(out), "TRIBUN_ORIGIN": server.origin}
            if nodes:  # 0: the single-machine crawl (SQLite state, no Redis), for comparison
                settings.update({"TRIBUN_REDIS_URL": redis_server.url, "TRIBUN_NODE": f"b{i}",
                                 "TRIBUN_REDIS_IDLE_CLOSE": "1"})
            cmd = [PYTHON, "-m", "scrapy", "crawl", "tribun", "-a", f"urls_file={urls_file}"]
            for key, value in settings.items():
                cmd += ["-s", f"{key}={value}"]
            results[i] = run_measured(cmd, ROOT, work / f"nodes-{nodes}-b{i}.log", timeout)

        began = time.perf_counter()
        threads = [threading.Thread(target=node, args=(i,)) for i in range(1, max(1, nodes) + 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        calls = _redis_calls(client) - calls_before
        client.close()
    log = server.control("/log?times")
    inflight = server.control("/inflight")
    answers = [t for status, key, t in log if status == 200 and _is_article_key(key)]
    stats = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "tribun").glob("*.stats.json")]
    items = sum(s.get("item_scraped_count", 0) for s in stats)
    span = max(answers) - min(answers) if len(answers) > 1 else float("nan")
    per_host = {h: n for h, n in inflight.items() if h != "*"}
    figures = {
        "nodes": nodes, "codes": [results[i][0] for i in sorted(results)], "pages": len(answers), "items": items,
        "pages_per_s": len(answers) / span if span == span and span > 0 else float("nan"), "wall_s": wall,
        "cpu_ms_per_page": sum(r[3] for r in results.values()) / len(answers) * 1e3 if answers else float("nan"),
        "redis_calls_per_article": calls / items if items else float("nan"),
        "max_in_flight_per_host": max(per_host.values(), default=0), "max_in_flight_all": inflight.get("*", 0),
        "items_per_node": sorted((s.get("item_scraped_count", 0) for s in stats), reverse=True),
    }
    say(f"  {nodes} node(s): {figures}")
    return figures


def persisted_index(stored: int, server_url: str, client: Any, probes: int = 400) -> dict[str, float]:
    """The near-duplicate index persisted in the Redis state: memory per 1,000 articles, lookup time."""
    import statistics

    from bench.near_dup import _DAY, _NOW, body, edited
    from bench.near_dup import url as article_url
    from crawler.similarity import (
        NearDuplicateIndex,
        pack_bands,
        pack_shingles,
        pack_signature,
        shingles,
        unpack_shingles,
        unpack_signature,
    )
    from crawler.state import SignatureRow
    from crawler.state_redis import RedisStateStore

    index = NearDuplicateIndex()
    store = RedisStateStore(server_url, prefix="persisted:")
    base = int(client.info("memory")["used_memory"])
    for start in range(0, stored, 1_000):
        signatures = []
        for i in range(start, min(stored, start + 1_000)):
            text = shingles(body(i))
            signature, bands = index.signed(text)
            signatures.append(SignatureRow(article_url(i), _NOW - (i % 6) * _DAY, None, None, pack_shingles(text),
                                           pack_signature(signature), pack_bands(bands)))
        store.commit([], run_id=f"bench{start:08d}", signatures=signatures)
    kb_per_1000 = (int(client.info("memory")["used_memory"]) - base) / stored * 1000 / 1024
    times, found = [], 0
    for n in range(probes):
        original = random.Random(n).randrange(stored)
        text = shingles(edited(body(original), n) if n % 2 == 0 else body(10_000_000 + n))
        began = time.perf_counter()
        _, bands = index.signed(text)
        rows = store.near_duplicate_candidates(bands, _NOW - 7 * _DAY)
        match = index.best_of(text, ((r.url, unpack_shingles(r.shingles), unpack_signature(r.signature))
                                     for r in rows))
        times.append(time.perf_counter() - began)
        found += n % 2 == 0 and match is not None and match.key == article_url(original)
    store.close()
    times.sort()
    return {"persisted_kb_per_1000": kb_per_1000, "persisted_lookup_median_us": statistics.median(times) * 1e6,
            "persisted_lookup_p95_us": times[int(len(times) * 0.95)] * 1e6, "persisted_copies_found": found,
            "persisted_copies": (probes + 1) // 2, "persisted_articles": stored}


def run(n: int = 5_000, node_counts: tuple[int, ...] = (0, 1, 2, 3), latency: float = 0.02, count: int = 200_000,
        seed: int = 7, workdir: Path | None = None, say: Any = print) -> tuple[str, dict[str, Any]]:
    from bench.crawl import LoopbackServer, engine_settings
    from tools.build_mirror import generate

    with tempfile.TemporaryDirectory(prefix="tribun-bench-distributed-") as tmp:
        work = workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        figures: dict[str, Any] = {"sizing": sizing(count, work, say)}
        mirror = work / f"mirror-{n}"
        shutil.rmtree(mirror, ignore_errors=True)
        say(f"generating a mirror of {n:,} articles …")
        urls = [a["url"] for a in generate(mirror, n_articles=n, seed=seed)["articles"]]
        urls_file = work / f"urls-{n}.txt"
        urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
        server = LoopbackServer(mirror, work / "server.log", ("--latency", str(latency)))
        try:
            figures["crawls"] = [crawl_nodes(k, urls_file, server, work, timeout=1800, say=say) for k in node_counts]
        finally:
            server.stop()
    budget = engine_settings().get("CONCURRENT_REQUESTS_PER_DOMAIN")
    rows = [[c["nodes"] or "single machine", f"{c['pages']:,}", f"{c['items']:,}", fmt(c["pages_per_s"], 0),
             fmt(c["wall_s"], 1),
             fmt(c["cpu_ms_per_page"], 1), fmt(c["redis_calls_per_article"], 1),
             f"{c['max_in_flight_per_host']} (budget {budget})", c["max_in_flight_all"],
             " / ".join(f"{v:,}" for v in c["items_per_node"]), ",".join(map(str, c["codes"]))]
            for c in figures["crawls"]]
    size = figures["sizing"]
    text = "\n".join([
        f"## Distributed crawl (`python -m bench.distributed`), N = {n:,}, server latency {latency * 1000:.0f} ms",
        "",
        table(["nodes", "article pages", "items", "pages/s", "wall s", "CPU ms/page", "Redis commands/article",
               "max in flight per host", "max in flight, all hosts", "items per node", "exit"], rows),
        "",
        f"Redis memory per million (measured with {count:,} rows/fingerprints, {max(1, count // 10):,} bodies): "
        f"state {fmt(size['state_mb_per_million'], 0)} MB, a round's duplicate filter "
        f"{fmt(size['dupefilter_mb_per_million'], 0)} MB, near-duplicate index "
        f"{fmt(size['near_dup_mb_per_million'], 0)} MB.",
        "",
        f"Persisted near-duplicate index in the Redis state ({size['persisted_articles']:,} articles of 300 words): "
        f"{fmt(size['persisted_kb_per_1000'], 0)} KB of Redis memory per 1,000 articles; one article's lookup "
        f"median {fmt(size['persisted_lookup_median_us'], 0)} µs, p95 {fmt(size['persisted_lookup_p95_us'], 0)} µs; "
        f"copies found {size['persisted_copies_found']} of {size['persisted_copies']}.",
    ])
    return text, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5_000)
    parser.add_argument("--nodes", default="0,1,2,3")
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--sizing", type=int, default=200_000, help="state rows and fingerprints for the sizing")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--out", type=Path, default=RESULTS / "distributed.md")
    args = parser.parse_args()
    began = time.perf_counter()
    text, _ = run(args.n, tuple(int(k) for k in args.nodes.split(",")), args.latency, args.sizing,
                  workdir=args.workdir, say=lambda m: print(m, file=sys.stderr, flush=True))
    from bench.__main__ import machine

    text += f"\n\nOn {machine()}; took {time.perf_counter() - began:.0f} s.\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
