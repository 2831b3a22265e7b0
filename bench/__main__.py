"""``make bench`` / ``python -m bench``: every benchmark in one run; Markdown table printed and written to
``bench/results/latest.md``.

    python -m bench                 # extraction, generic layout accuracy, crawl at N=2,000 and 20,000, state
                                    # store at 1,000,000 URLs,
                                    # discovery at scale (1,000,000-URL sitemap, backfill since 1995),
                                    # WARC archiving and scrapy reextract over 20,000 articles
    python -m bench --quick         # development: fewer runs, N=500 and 2,000, 100,000 URLs (WARC: 2,000)
    python -m bench --only crawl    # one part (extraction, generic, crawl, state, discovery, warc); repeatable
    python -m bench --sizes 2000,20000 --urls 1000000 --reps 5 --out bench/results/latest.md
    python -m bench --only crawl --profile-crawl 2000   # + cProfile of the tribun crawl by component

Progress goes to stderr; the table to stdout and the file. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import RESULTS, ROOT, fmt, table

if str(ROOT) not in sys.path:  # tools.build_mirror and crawler, whatever the cwd
    sys.path.insert(0, str(ROOT))

PARTS = ("extraction", "generic", "crawl", "state", "discovery", "warc")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("scrapy", "lxml", "parsel", "trafilatura"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} –")
    return ", ".join(found)


def machine() -> str:
    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.0f} GB RAM"
    except ImportError:
        mem = "RAM ?"
    cpu = platform.processor() or platform.machine()
    return (f"{os.cpu_count()} CPUs ({cpu}), {mem}, Python {platform.python_version()}, {_versions()}; "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")


def state_store(urls: int, timeout: float) -> tuple[str, dict[str, Any]]:
    """Runs ``bench/state_store.py`` (owned by the state store) and tabulates what it prints as JSON."""
    if not (ROOT / "bench" / "state_store.py").exists():
        return "## State store\n\n`bench/state_store.py` is not there yet: skipped.", {}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "bench.state_store", "--urls", str(urls)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    try:
        results, _ = json.JSONDecoder().raw_decode(proc.stdout.lstrip())
    except ValueError:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        return ("## State store\n\n`python -m bench.state_store` failed (exit "
                f"{proc.returncode}):\n\n```\n" + "\n".join(tail) + "\n```"), {}
    rows = []
    for size, r in sorted(results.items(), key=lambda kv: int(kv[0])):
        rows.append([f"{int(size):,}", fmt(r.get("lookup_hit_us"), 1), fmt(r.get("lookup_miss_us"), 1),
                     fmt(r.get("lookup_fingerprint_us"), 1), fmt(r.get("insert_us_per_url"), 1),
                     fmt(r.get("file_mb"), 0),
                     fmt(r.get("lookup_peak_rss_mb", float("nan")) - r.get("lookup_rss_before_open_mb", float("nan")),
                         1)])
    text = "\n".join([
        "## State store (SQLite, `python -m bench.state_store`)",
        "",
        "URLs inserted in run-sized commits, then looked up from a fresh process (µs per lookup).",
        "",
        table(["URLs stored", "lookup hit µs", "lookup miss µs", "fingerprint µs", "insert µs/URL", "file MB",
               "store RSS MB"], rows),
    ])
    return text, results


def summary(extraction: dict[str, Any], crawl: dict[str, Any], state: dict[str, Any]) -> str:
    """The targets of the issue against this run's figures."""
    rows = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    for label, key, goal in (("generated pages", "generated (mirror)", 2.0), ("real pages", "real pages", 1.5)):
        med = extraction.get(key, {}).get("median_ms")
        if not med:
            continue
        ratio = extraction[key].get("ratio", med["ours"] / med["floor"])
        runs = extraction[key].get("ratio_runs", [])
        shown = fmt(ratio, 2, "×") + (f" (median of {len(runs)} runs, {min(runs):.2f}–{max(runs):.2f}×)"
                                      if len(runs) > 1 else "")
        rows.append([f"extraction, {label}: ours / floor", f"≤ {goal:.1f}×", shown, verdict(ratio <= goal)])
        if "trafilatura" in med:
            speed = med["trafilatura"] / med["ours"]
            rows.append([f"extraction, {label}: trafilatura / ours", "≥ 5×", fmt(speed, 1, "×"), verdict(speed >= 5)])
    for n, fig in crawl.items():
        if isinstance(fig, dict):
            share = fig["tribun_pages_per_s"] / fig["bare_pages_per_s"]
            rows.append([f"crawl N={int(n):,}: tribun / bare pages/s", "≥ 60 %",
                         f"{share:.0%} ({fig['tribun_pages_per_s']:.0f} / {fig['bare_pages_per_s']:.0f})",
                         verdict(share >= 0.6)])
    if "rss_growth_mb" in crawl:
        growth = crawl["rss_growth_mb"]
        rows.append(["crawl: tribun peak RSS, largest N − smallest N", "≤ 50 MB", f"{growth:+.0f} MB",
                     verdict(growth <= 50)])
    if state:
        size, r = max(state.items(), key=lambda kv: int(kv[0]))
        rows.append([f"state store at {int(size):,} URLs: lookup (hit)", "–", f"{r.get('lookup_hit_us', 0):.0f} µs, "
                     f"file {r.get('file_mb', 0):.0f} MB", "–"])
    if not rows:
        return ""
    return "## Targets\n\n" + table(["target", "goal", "this run", ""], rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller and fewer runs, for development")
    parser.add_argument("--only", action="append", choices=PARTS, help="run only this part (repeatable)")
    parser.add_argument("--sizes", help="crawl sizes, comma-separated (default 2000,20000; quick 500,2000)")
    parser.add_argument("--urls", type=int, help="state store size (default 1000000; quick 100000)")
    parser.add_argument("--reps", type=int, help="timed runs per page and candidate (default 5; quick 2)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated crawl mirror")
    parser.add_argument("--workdir", type=Path, help="where crawl mirrors and logs go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the crawl work dir (mirrors, logs, feeds)")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.md")
    parser.add_argument("--profile", type=Path, default=RESULTS / "profile.txt",
                        help="cProfile report of the extraction hot path")
    parser.add_argument("--profile-crawl", type=int, metavar="N",
                        help="with the crawl part: also run `scrapy crawl tribun` over N articles under cProfile, "
                             "report in bench/results/profile_crawl.txt")
    args = parser.parse_args()
    parts = args.only or list(PARTS)
    sizes = [int(s) for s in (args.sizes or ("500,2000" if args.quick else "2000,20000")).split(",")]
    urls = args.urls or (100_000 if args.quick else 1_000_000)
    reps = args.reps or (2 if args.quick else 5)

    began = time.perf_counter()
    sections = []
    figures: dict[str, dict[str, Any]] = {}
    if "extraction" in parts:
        from bench import extraction

        say("extraction: timing parse + normalise, lxml floor and trafilatura on every mirror and real page …")
        text, figures["extraction"] = extraction.run(reps, args.profile.resolve(),
                                                     profile_rounds=5 if args.quick else 20,
                                                     runs=1 if args.quick else 5)
        sections.append(text)
    if "generic" in parts:
        from bench import generic_layout

        say("generic: every known-layout page read with only the generic layout on, field by field …")
        text, figures["generic"] = generic_layout.run()
        sections.append(text)
    if "crawl" in parts:
        from bench import crawl

        say(f"crawl: tribun vs bare spider at N = {', '.join(f'{n:,}' for n in sizes)} …")
        text, figures["crawl"] = crawl.run(sizes, args.seed, args.workdir, args.keep, say=say)
        if args.profile_crawl:
            import tempfile

            say(f"crawl profile: {args.profile_crawl:,} articles under cProfile …")
            with tempfile.TemporaryDirectory(prefix="tribun-bench-profile-") as tmp:
                crawl.profile_crawl(args.profile_crawl, args.seed, args.workdir or Path(tmp),
                                    RESULTS / "profile_crawl.txt", say=say)
            text += "\n\nProfile of the tribun crawl: `bench/results/profile_crawl.txt` (cProfile, by component)."
        sections.append(text)
    if "state" in parts:
        say(f"state store: {urls:,} URLs …")
        text, figures["state"] = state_store(urls, timeout=1800)
        sections.append(text)
    if "discovery" in parts:
        from bench import discovery

        say("discovery: 1,000,000-URL sitemap and a backfill since 1995 over every portal …")
        text = discovery.run(list(discovery.SCENARIOS), seconds=20 if args.quick else 40, seed=args.seed,
                             workdir=args.workdir, keep=args.keep, say=say)
        if not args.quick:
            (RESULTS / "discovery.md").write_text(text + "\n", encoding="utf-8")
        sections.append(text)
    if "warc" in parts:
        import tempfile

        from bench import warc

        n = 2_000 if args.quick else 20_000
        say(f"warc: archiving cost and scrapy reextract over {n:,} generated articles …")
        work = Path(args.workdir) / "warc" if args.workdir else Path(tempfile.mkdtemp(prefix="bench-warc-"))
        work.mkdir(parents=True, exist_ok=True)
        try:
            sections.append(warc.report(warc.run(n, args.seed, work, timeout=3600, say=say)))
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    mode = "quick" if args.quick else "full"
    header = [f"# Benchmarks ({mode} run)", "",
              f"`make bench` (`python -m bench{' --quick' if args.quick else ''}`) on {machine()}. "
              f"Took {time.perf_counter() - began:.0f} s.", ""]
    targets = summary(figures.get("extraction", {}), figures.get("crawl", {}), figures.get("state", {}))
    document = "\n".join(header) + "\n" + "\n\n".join([targets, *sections] if targets else sections) + "\n"
    print(document)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(document, encoding="utf-8")
    say(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
