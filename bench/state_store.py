"""Benchmark of the cross-run state store at scale: ``python -m bench.state_store [--urls 1000000]``.

Inserts N realistic canonical article URLs through :meth:`StateStore.commit` (in run-sized commits, as
crawls do), then looks URLs and fingerprints up from a *fresh process*, so that process's peak RSS is what
a crawl pays for the store, independent of how many URLs it holds. Prints per-lookup times, the file size
and peak RSS of both phases. A measurement, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from crawler.portals import PORTALS
from crawler.state import StateRow, StateStore

_WORDS = ("banjir", "warga", "kota", "pemerintah", "bupati", "harga", "pasar", "polisi", "jalan", "sekolah",
          "presiden", "menteri", "desa", "gempa", "kebakaran", "pemilu", "partai", "calon", "sidang", "hakim",
          "korupsi", "tersangka", "pantai", "wisata", "festival")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def url(i: int) -> str:
    """The i-th synthetic canonical URL: a real portal host, a dated path, a 5-8 word slug (~90 chars)."""
    rng = random.Random(i)
    portal = PORTALS[i % len(PORTALS)]
    section = "nasional/" if portal.key == "tribunnews" else ""
    slug = "-".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 8)))
    day = 1 + i % 28
    return f"https://{portal.host}/{section}20{15 + i % 11}/{1 + i % 12:02d}/{day:02d}/{slug}-{i}"


def fingerprint(i: int) -> str:
    return hashlib.md5(str(i).encode()).hexdigest()


def rows(start: int, stop: int) -> Iterator[StateRow]:
    for i in range(start, stop):
        yield StateRow(url(i), fingerprint(i), None, 1_600_000_000 + i, None)


def insert(path: Path, count: int, batch: int) -> dict[str, float]:
    store = StateStore(path)
    began = time.perf_counter()
    for start in range(0, count, batch):
        store.commit(rows(start, min(count, start + batch)), run_id=f"bench{start // batch:06d}")
    elapsed = time.perf_counter() - began
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return {"insert_s": elapsed, "insert_us_per_url": elapsed / count * 1e6, "insert_peak_rss_mb": _peak_rss_mb()}


def lookup(path: str, count: int, probes: int, queue: multiprocessing.Queue) -> None:
    """Runs in a fresh process: lookups of present and absent URLs and of fingerprints."""
    rng = random.Random(42)
    present = [url(rng.randrange(count)) for _ in range(probes)]
    absent = [url(count + rng.randrange(count)) for _ in range(probes)]
    prints = [fingerprint(rng.randrange(count)) for _ in range(probes)]
    rss_before = _peak_rss_mb()  # the interpreter, the modules and the probe keys
    store = StateStore(Path(path))
    result: dict[str, float] = {"stored_urls": store.count()}
    for name, keys, find in (("hit", present, store.get), ("miss", absent, store.get),
                             ("fingerprint", prints, store.by_fingerprint)):
        began = time.perf_counter()
        found = sum(find(key) is not None for key in keys)
        result[f"lookup_{name}_us"] = (time.perf_counter() - began) / len(keys) * 1e6
        result[f"lookup_{name}_found"] = found
    result["plan_url"] = store.query_plan("SELECT * FROM articles WHERE url = ?", (present[0],))
    store.close()
    result["lookup_rss_before_open_mb"] = rss_before
    result["lookup_peak_rss_mb"] = _peak_rss_mb()
    queue.put(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000, help="URLs per commit (one crawl's worth)")
    parser.add_argument("--probes", type=int, default=100_000, help="lookups of each kind")
    parser.add_argument("--dir", help="where to build the store (default: a temporary directory)")
    args = parser.parse_args()

    # The same measurement on a store 100 times smaller: what stays equal does not grow with the store.
    sizes = [max(1, args.urls // 100), args.urls]
    results: dict[int, dict[str, float | str]] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            path = Path(tmp) / "tribun.sqlite3"
            results[size] = {"urls": size, **insert(path, size, args.batch)}
            results[size]["file_mb"] = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
            # A spawned process, not a fork: its peak RSS owes nothing to the insert phase.
            ctx = multiprocessing.get_context("spawn")
            queue = ctx.Queue()
            child = ctx.Process(target=lookup, args=(str(path), size, args.probes, queue))
            child.start()
            results[size].update(queue.get())
            child.join()

    print(json.dumps(results, indent=1))
    for size in sizes:
        r = results[size]
        print(f"{size:>10,} URLs: lookup {r['lookup_hit_us']:.1f} µs (hit), {r['lookup_miss_us']:.1f} µs (miss), "
              f"{r['lookup_fingerprint_us']:.1f} µs (fingerprint); insert {r['insert_us_per_url']:.0f} µs/URL; "
              f"file {r['file_mb']:.0f} MB; lookup process peak RSS {r['lookup_peak_rss_mb']:.0f} MB, "
              f"of which the store {r['lookup_peak_rss_mb'] - r['lookup_rss_before_open_mb']:.1f} MB")


if __name__ == "__main__":
    main()
