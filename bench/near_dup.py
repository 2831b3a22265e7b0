"""Benchmark of the near-duplicate index persisted in the state: ``python -m bench.near_dup [--stored 100000]``.

1. Builds a state store holding N emitted articles with their signatures (synthetic 300-word bodies), in
   commits of 1,000 as cron runs make them, and beside it the same store without signatures: file size
   growth per 1,000 articles, with and without the index.
2. Looks up bodies against it as the dedup pipeline does for an article of a new run (signature, candidates
   by band key, exact overlap of the candidates): half are edited copies of stored bodies, half new stories;
   µs per lookup and how many copies were found.
3. Crawl throughput: ``scrapy crawl fake`` (tests/dedup/fakespiders.py: articles straight from ``start()``,
   no download, so the item pipelines are all the work and the index's share is as large as it can be) on a
   copy of that store, with the persisted index (``TRIBUN_NEAR_DUP_DAYS`` covering every stored article) and
   without (``0``), alternating, median of the rounds: the crawl process's CPU time per item (``wait4``; it
   includes the commit, and other load on the machine barely moves it), items/s over Scrapy's
   ``elapsed_time_seconds`` and the wall time (both move with the machine's load).

A measurement, not a test: nothing here asserts a time or a size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crawler.similarity import (  # noqa: E402  (after the path set-up above)
    NearDuplicateIndex,
    pack_bands,
    pack_shingles,
    pack_signature,
    shingles,
    unpack_shingles,
    unpack_signature,
)
from crawler.state import SignatureRow, StateRow, StateStore  # noqa: E402

_VOCABULARY = [f"kata{i}" for i in range(20_000)]
_NOW = int(time.time())
_DAY = 86_400


def body(i: int, words: int = 300) -> str:
    rng = random.Random(i)
    return " ".join(rng.choice(_VOCABULARY) for _ in range(words))


def edited(text: str, seed: int) -> str:
    """Another portal's copy: a reporter line first, a few words changed, a footer."""
    rng = random.Random(seed)
    words = text.split()
    for _ in range(5):
        words[rng.randrange(len(words))] = rng.choice(_VOCABULARY)
    return "Laporan Wartawan Tribunnews.com " + " ".join(words) + " Artikel ini telah tayang di Tribun Medan"


def url(i: int) -> str:
    return f"https://medan.tribunnews.com/2026/12/0{1 + i % 6}/berita-bench-{i}"


def _size(path: Path) -> int:
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path.stat().st_size


def build(path: Path, stored: int, signed: bool) -> dict[str, float]:
    """``stored`` articles committed 1,000 a run; file size at half and at the end."""
    index = NearDuplicateIndex()
    store = StateStore(path)
    sizes: dict[int, int] = {}
    began = time.perf_counter()
    for start in range(0, stored, 1_000):
        rows, signatures = [], []
        for i in range(start, min(stored, start + 1_000)):
            published = _NOW - (i % 6) * _DAY  # within the default window of 7 days
            rows.append(StateRow(url(i), f"{i:032x}", None, published, None))
            if signed:
                text = shingles(body(i))
                signature, bands = index.signed(text)
                signatures.append(SignatureRow(url(i), published, None, None, pack_shingles(text),
                                               pack_signature(signature), pack_bands(bands)))
        store.commit(rows, run_id=f"bench{start:08d}", signatures=signatures)
        done = min(stored, start + 1_000)
        if done in (stored // 2, stored):
            store.close()
            sizes[done] = _size(path)
            store = StateStore(path)
    store.close()
    half, full = sizes[stored // 2], sizes[stored]
    return {"seconds": time.perf_counter() - began, "file_mb": full / 2**20,
            "kb_per_1000": (full - half) / (stored - stored // 2) * 1000 / 1024}


def lookups(path: Path, stored: int, probes: int) -> dict[str, float]:
    index = NearDuplicateIndex()
    store = StateStore(path)
    times, found, false = [], 0, 0
    for n in range(probes):
        is_copy = n % 2 == 0
        original = random.Random(n).randrange(stored)
        text = shingles(edited(body(original), n) if is_copy else body(10_000_000 + n))
        began = time.perf_counter()
        _, bands = index.signed(text)
        rows = store.near_duplicate_candidates(bands, _NOW - 7 * _DAY)
        match = index.best_of(text, ((r.url, unpack_shingles(r.shingles), unpack_signature(r.signature))
                                     for r in rows))
        times.append(time.perf_counter() - began)
        if is_copy and match is not None and match.key == url(original):
            found += 1
        elif not is_copy and match is not None:
            false += 1
    store.close()
    times.sort()
    return {"median_us": statistics.median(times) * 1e6, "p95_us": times[int(len(times) * 0.95)] * 1e6,
            "copies_found": found, "copies": (probes + 1) // 2, "false_matches": false}


def crawl(state: Path, workdir: Path, items: int, days: int) -> dict[str, float]:
    out = workdir / f"out-{days}-{time.monotonic_ns()}"
    (out / ".state").mkdir(parents=True)
    shutil.copy(state, out / ".state" / "tribun.sqlite3")
    cmd = [sys.executable, "-m", "scrapy", "crawl", "fake", "-a", f"n={items}", "-a", "first=20000000",
           "-s", "SPIDER_MODULES=tests.dedup.fakespiders", "-s", f"TRIBUN_OUTPUT_DIR={out}",
           "-s", f"TRIBUN_NEAR_DUP_DAYS={days}", "-s", "TRIBUN_WORKERS=0", "-s", "LOG_LEVEL=WARNING"]
    began = time.perf_counter()
    with (workdir / "crawl.log").open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        # wait4: the crawl's own CPU time, which other processes on the machine do not inflate as they do
        # wall time.
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"crawl failed: {(workdir / 'crawl.log').read_text()[-2000:]}")
    [stats_file] = (out / "tribun").glob("*.stats.json")
    stats = json.loads(stats_file.read_text())
    shutil.rmtree(out)
    cpu = usage.ru_utime + usage.ru_stime
    return {"items_per_s": stats["item_scraped_count"] / stats["elapsed_time_seconds"], "wall_s": wall,
            "cpu_s": cpu, "cpu_ms_per_item": cpu / items * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--probes", type=int, default=1_000)
    parser.add_argument("--items", type=int, default=3_000, help="articles per crawl")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="near-dup-bench-") as tmp:
        work = Path(tmp)
        signed = build(work / "signed.sqlite3", args.stored, signed=True)
        plain = build(work / "plain.sqlite3", args.stored, signed=False)
        look = lookups(work / "signed.sqlite3", args.stored, args.probes)
        runs: dict[int, list[dict[str, float]]] = {36_500: [], 0: []}
        for _ in range(args.rounds):
            for days in runs:
                runs[days].append(crawl(work / "signed.sqlite3", work, args.items, days))
    rate = {d: statistics.median(r["items_per_s"] for r in rs) for d, rs in runs.items()}
    wall = {d: statistics.median(r["wall_s"] for r in rs) for d, rs in runs.items()}
    cpu = {d: statistics.median(r["cpu_ms_per_item"] for r in rs) for d, rs in runs.items()}
    # The least disturbed round of each: other processes on the machine only ever add time.
    least = {d: min(r["cpu_ms_per_item"] for r in rs) for d, rs in runs.items()}
    best = {d: max(r["items_per_s"] for r in rs) for d, rs in runs.items()}
    print(json.dumps({"signed": signed, "plain": plain, "lookups": look, "crawls": runs}, indent=1))
    print(f"\nstate of {args.stored:,} articles: {signed['file_mb']:.0f} MB with signatures, "
          f"{plain['file_mb']:.0f} MB without; growth per 1,000 articles {signed['kb_per_1000']:.0f} KB "
          f"({plain['kb_per_1000']:.0f} KB without the index)")
    print(f"lookup: median {look['median_us']:.0f} µs, p95 {look['p95_us']:.0f} µs per article; "
          f"{look['copies_found']} of {look['copies']} copies found, {look['false_matches']} false matches")
    print(f"crawl of {args.items:,} items ({args.rounds} rounds), with the persisted index / without: CPU per item "
          f"least {least[36_500]:.2f} / {least[0]:.2f} ms ({(least[36_500] / least[0] - 1) * 100:+.1f} %), median "
          f"{cpu[36_500]:.2f} / {cpu[0]:.2f} ms ({(cpu[36_500] / cpu[0] - 1) * 100:+.1f} %); items/s best "
          f"{best[36_500]:.0f} / {best[0]:.0f} ({(best[0] / best[36_500] - 1) * 100:+.1f} % time per item), median "
          f"{rate[36_500]:.0f} / {rate[0]:.0f}; wall (median) {wall[36_500]:.1f} / {wall[0]:.1f} s")


if __name__ == "__main__":
    main()
