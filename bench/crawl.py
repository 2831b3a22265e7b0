"""Crawl throughput benchmark: ``scrapy crawl tribun`` against a bare Scrapy spider, same URLs, same server.

For each N (default 2,000 and 20,000):

1. ``tools.build_mirror.generate(dir, n_articles=N, seed=…)`` writes a mirror of N recombined article pages of
   every desktop layout era (1-3 pages each, with ``?page=all`` views) plus their sitemaps, RSS and listings;
2. :mod:`bench.server` (its own process) loads it into memory and serves it on 127.0.0.1; a load generator
   measures what the server alone delivers, to show it is not the bottleneck;
3. ``scrapy crawl tribun -a urls_file=<the N article URLs> -s TRIBUN_ORIGIN=http://127.0.0.1:PORT`` with a
   fresh output/state dir, DOWNLOAD_DELAY=0, AutoThrottle off, robots.txt off, LOG_LEVEL=INFO;
4. the bare spider (:mod:`bench.bare_spider`) then fetches exactly the URLs the tribun crawl fetched (the
   server's request log of step 3, in order), with the same concurrency settings, and does nothing.

Pages/s = HTTP 200 responses for article pages (a ``?page=all`` view or a ``?page=N`` page, as the server
logged them) / Scrapy's ``elapsed_time_seconds`` (engine start to spider close). Peak RSS is the crawl
process's own ``ru_maxrss`` (``os.wait4``), CPU its user+system time.

``python -m bench.crawl [--sizes 2000,20000] [--seed 7] [--workdir DIR] [--keep]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import ROOT, fmt, median, table

PYTHON = sys.executable
# Like for like: the same engine settings for both spiders. Concurrency is the project's own (read from
# crawler.settings), so the tribun crawl runs with what users get minus the politeness delays.
COMMON = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "ROBOTSTXT_OBEY": "False", "LOG_LEVEL": "INFO"}
_CONCURRENCY = ("CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_REQUESTS_PER_IP",
                "DOWNLOAD_TIMEOUT", "TELNETCONSOLE_ENABLED", "COOKIES_ENABLED", "TWISTED_REACTOR")


def engine_settings() -> dict[str, str]:
    from crawler import settings as project

    shared = {name: str(getattr(project, name)) for name in _CONCURRENCY if hasattr(project, name)}
    return {**shared, **COMMON}


@dataclass
class Run:
    spider: str
    n_articles: int
    returncode: int = 0
    elapsed_s: float = float("nan")
    pages: int = 0  # 200 responses for article pages
    requests: int = 0  # every request the server answered
    not_found: int = 0
    items: int | None = None
    peak_rss_mb: float = float("nan")  # its largest process
    tree_rss_mb: float = float("nan")  # it and its worker processes together (sampled)
    cpu_s: float = float("nan")
    server_cpu_s: float | None = None
    log: Path | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)  # the article URLs fetched, in order

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.elapsed_s if self.elapsed_s == self.elapsed_s and self.elapsed_s > 0 else float("nan")

    @property
    def cpu_ms_per_page(self) -> float:
        return self.cpu_s / self.pages * 1e3 if self.pages else float("nan")


class LoopbackServer:
    """``python -m bench.server DIR`` in its own process; stopped by its pid."""

    def __init__(self, root: Path, log: Path, options: tuple[str, ...] = ()):
        self.log = log.open("w")
        self.proc = subprocess.Popen([PYTHON, "-u", "-m", "bench.server", str(root), *options], cwd=root.parent,
                                     env=_env(), stdout=subprocess.PIPE, stderr=self.log, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"bench.server did not start: {line!r} (see {log})")
        self.banner = line.strip()
        self.port = int(line.split()[1])
        self.origin = f"http://127.0.0.1:{self.port}"

    def control(self, path: str) -> Any:
        request = urllib.request.Request(self.origin + path, headers={"Host": "bench.control"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def cpu_s(self) -> float | None:
        try:
            import psutil
        except ImportError:
            return None
        times = psutil.Process(self.proc.pid).cpu_times()
        return times.user + times.system

    def load_test(self, urls_file: Path, seconds: float, concurrency: int) -> dict[str, float]:
        out = subprocess.run([PYTHON, "-m", "bench.server", "--load", str(self.port), "--urls", str(urls_file),
                              "--seconds", str(seconds), "--concurrency", str(concurrency)],
                             cwd=urls_file.parent, env=_env(), capture_output=True, text=True, check=True)
        self.control("/log")  # forget the load test's requests
        return json.loads(out.stdout)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


# Linux carries ru_maxrss across fork and exec: a child started straight from this (large) process would report
# this process's peak as its own. So a tiny launcher, started first, starts the measured command and reports the
# command's own rusage (os.wait4; Linux folds the rusage of the processes the command reaped, its worker
# processes, into it: CPU is summed, ru_maxrss is the largest single process). The launcher also samples
# /proc every 0.1 s for the resident memory of the command and all its descendants together, the figure that
# counts when a crawl runs worker processes.
_LAUNCHER = """
import json, os, subprocess, sys, threading, time
log, timeout, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
peak = [0]
def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)
    except OSError:
        return 0
def tree(root):
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    parents[int(name)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, todo = [root], [root]
    while todo:
        parent = todo.pop()
        kids = [pid for pid, ppid in parents.items() if ppid == parent]
        found += kids
        todo += kids
    return found
def sample(proc):
    while proc.poll() is None:
        peak[0] = max(peak[0], sum(rss_kb(pid) for pid in tree(proc.pid)))
        time.sleep(0.1)
with open(log, "wb") as out:
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    sampler = threading.Thread(target=sample, args=(proc,), daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "maxrss_kb": usage.ru_maxrss,
                  "tree_rss_kb": peak[0], "cpu_s": usage.ru_utime + usage.ru_stime}))
"""


def run_measured(cmd: list[str], cwd: Path, log: Path, timeout: float) -> tuple[int, float, float, float]:
    """Runs ``cmd``; returns (exit code, peak RSS MB of its largest process, peak RSS MB of it and all its
    descendants together (sampled), CPU s of it and the processes it reaped)."""
    out = subprocess.run([PYTHON, "-S", "-c", _LAUNCHER, str(log), str(timeout), *cmd], cwd=cwd, env=_env(),
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    return result["code"], result["maxrss_kb"] / 1024, result["tree_rss_kb"] / 1024, result["cpu_s"]


def _is_article_key(key: str) -> bool:
    from crawler import urls

    return urls.is_article_url(_url(key))


def _url(key: str) -> str:
    host, _, rest = key.partition("/")
    path, sep, query = rest.partition("?")
    return f"https://{host}/{quote(path)}" + (f"?{query}" if sep else "")


def _account(run: Run, server: LoopbackServer, cpu_before: float | None) -> None:
    log = server.control("/log")
    run.requests = len(log)
    run.not_found = sum(1 for status, _ in log if status == 404)
    run.fetched = [_url(key) for status, key in log if _is_article_key(key)]
    run.pages = sum(1 for status, key in log if status == 200 and _is_article_key(key))
    after = server.cpu_s()
    run.server_cpu_s = after - cpu_before if after is not None and cpu_before is not None else None


def crawl_tribun(n: int, urls_file: Path, server: LoopbackServer | None, mirror: Path, work: Path,
                 timeout: float) -> Run:
    out_dir = work / f"tribun-{n}"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    settings = {**engine_settings(), "TRIBUN_OUTPUT_DIR": str(out_dir)}
    if server is not None:
        settings["TRIBUN_ORIGIN"] = server.origin
    else:  # fallback when the origin handler is not there: the mirror handler reads the generated files
        settings["TRIBUN_MIRROR"] = str(mirror)
    cmd = [PYTHON, "-m", "scrapy", "crawl", "tribun", "-a", f"urls_file={urls_file}"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    run = Run("tribun", n, log=work / f"tribun-{n}.log")
    cpu_before = server.cpu_s() if server else None
    run.returncode, run.peak_rss_mb, run.tree_rss_mb, run.cpu_s = run_measured(cmd, ROOT, run.log, timeout)
    stats_files = sorted((out_dir / "tribun").glob("*.stats.json"))
    if stats_files:
        run.stats = json.loads(stats_files[-1].read_text(encoding="utf-8"))
    run.elapsed_s = float(run.stats.get("elapsed_time_seconds", float("nan")))
    run.items = run.stats.get("item_scraped_count", 0)
    if server is not None:
        _account(run, server, cpu_before)
    else:
        run.pages = run.stats.get("downloader/response_status_count/200", 0)
        run.requests = run.stats.get("downloader/response_count", 0)
        run.not_found = run.stats.get("downloader/response_status_count/404", 0)
    return run


def crawl_bare(n: int, fetched: list[str], server: LoopbackServer, work: Path, timeout: float) -> Run:
    urls_file = work / f"bare-{n}.urls"
    urls_file.write_text("\n".join(fetched) + "\n", encoding="utf-8")
    stats_file = work / f"bare-{n}.stats.json"
    cmd = [PYTHON, "-m", "bench.bare_spider", "--urls", str(urls_file), "--origin", server.origin,
           "--stats", str(stats_file)]
    for key, value in engine_settings().items():
        cmd += ["-s", f"{key}={value}"]
    run = Run("bare", n, log=work / f"bare-{n}.log")
    cpu_before = server.cpu_s()
    # cwd is the work dir, not the project: plain Scrapy, no scrapy.cfg, no project settings.
    run.returncode, run.peak_rss_mb, run.tree_rss_mb, run.cpu_s = run_measured(cmd, work, run.log, timeout)
    if stats_file.exists():
        run.stats = json.loads(stats_file.read_text(encoding="utf-8"))
    run.elapsed_s = float(run.stats.get("elapsed_time_seconds", float("nan")))
    _account(run, server, cpu_before)
    return run


def _last_line(log: Path | None) -> str:
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines() if log and log.exists() else []
    return lines[-1] if lines else "(empty)"


def origin_handler_ready() -> bool:
    try:
        from crawler.downloaders.origin import OriginDownloadHandler  # noqa: F401
    except Exception:
        return False
    return True


def bench_size(n: int, seed: int, work: Path, keep: bool, timeout: float, say,
               rounds: int | None = None) -> dict[str, Any]:
    from tools import build_mirror

    mirror = work / f"mirror-{n}"
    shutil.rmtree(mirror, ignore_errors=True)
    began = time.perf_counter()
    expected = build_mirror.generate(mirror, n_articles=n, seed=seed)
    gen_s = time.perf_counter() - began
    article_urls = [a["url"] for a in expected["articles"]]
    urls_file = work / f"articles-{n}.urls"
    urls_file.write_text("\n".join(article_urls) + "\n", encoding="utf-8")
    page_all = [mirror / f"{u.split('://', 1)[1]}?page=all" for u in article_urls]
    sizes = [p.stat().st_size for p in page_all if p.exists()]
    say(f"  N={n:,}: mirror generated in {gen_s:.0f} s ({expected.get('files', '?')} files; "
        f"{len(sizes)} ?page=all views, median {median(sizes) / 1024:.0f} KB)")
    rounds = rounds or rounds_for(n)
    result: dict[str, Any] = {"n": n, "rounds": [], "generate_s": gen_s, "files": expected.get("files"),
                              "page_all_files": len(sizes), "median_kb": median(sizes) / 1024 if sizes else None}
    server = LoopbackServer(mirror, work / f"server-{n}.log")
    try:
        say(f"  server: {server.banner}")
        load_urls = work / f"load-{n}.urls"
        load_urls.write_text("\n".join(f"{u}?page=all" for u in article_urls) + "\n", encoding="utf-8")
        result["server"] = server.load_test(load_urls, seconds=3, concurrency=8)
        say(f"  server alone: {result['server']['rps']:,.0f} pages/s")
        ready = origin_handler_ready()
        result["transport"] = "TRIBUN_ORIGIN" if ready else "TRIBUN_MIRROR (fallback: origin handler not ready)"
        for round_no in range(1, rounds + 1):
            if rounds > 1:
                say(f"  round {round_no} of {rounds}")
            tribun = crawl_tribun(n, urls_file, server if ready else None, mirror, work, timeout)
            say(f"  tribun: {tribun.pages:,} pages in {tribun.elapsed_s:.1f} s = {tribun.pages_per_s:.0f} pages/s, "
                f"peak RSS {tribun.peak_rss_mb:.0f} MB (exit {tribun.returncode})")
            if tribun.returncode:
                say(f"  tribun exited {tribun.returncode}; last log line: {_last_line(tribun.log)}")
            fetched = tribun.fetched or [f"{u}?page=all" for u in article_urls]
            bare = crawl_bare(n, fetched, server, work, timeout)
            say(f"  bare:   {bare.pages:,} pages in {bare.elapsed_s:.1f} s = {bare.pages_per_s:.0f} pages/s, "
                f"peak RSS {bare.peak_rss_mb:.0f} MB (exit {bare.returncode})")
            if bare.returncode:
                say(f"  bare exited {bare.returncode}; last log line: {_last_line(bare.log)}")
            result["rounds"].append((tribun, bare))
    finally:
        server.stop()
        if not keep:
            shutil.rmtree(mirror, ignore_errors=True)
    # The round with the median tribun/bare ratio stands for this N in the targets.
    by_ratio = sorted(result["rounds"], key=lambda pair: _ratio(*pair))
    result["runs"] = list(by_ratio[(len(by_ratio) - 1) // 2])
    return result


def _ratio(tribun: Run, bare: Run) -> float:
    share = tribun.pages_per_s / bare.pages_per_s
    return share if share == share else -1.0  # a failed run (NaN) sorts first


def rounds_for(n: int) -> int:
    """Crawl pairs run at size N: the VM's speed drifts between runs (the bare spider alone ranged 175-335
    pages/s in one day), so small sizes, cheap to repeat, take the median of three; 20,000 runs once."""
    return 3 if n <= 5_000 else 1


# Entry points of the crawler's own work per page in the crawl's thread, for the component summary of the crawl
# profile. Parsing and normalising run in the worker processes, which the profile does not see: what it shows
# of them is the hand-over (crawler/workers.py).
_COMPONENTS = (
    ("spider callback (parse_article: hand-over to a worker + walking)", "crawler/spiders/tribun.py",
     "parse_article"),
    ("worker replies read and unpickled (WorkerPool._on_reply)", "crawler/workers.py", "_on_reply"),
    ("tasks pickled and sent (WorkerPool._dispatch)", "crawler/workers.py", "_dispatch"),
    ("validate pipeline", "crawler/pipelines/validate.py", "process_item"),
    ("dedup pipeline", "crawler/pipelines/dedup.py", "process_item"),
    ("  of which similarity.shingles", "crawler/similarity.py", "shingles"),
    ("  of which NearDuplicateIndex.query", "crawler/similarity.py", "query"),
    ("origin download handler (incl. Scrapy's HTTP/1.1 handler)", "crawler/downloaders/origin.py",
     "download_request"),
    ("seen-requests middleware", "crawler/middlewares/seen.py", "process_request"),
    ("network guard middleware", "crawler/middlewares/network.py", "process_request"),
    ("urls.canonical_url (all callers)", "crawler/urls.py", "canonical_url"),
    ("state extension item_scraped", "crawler/extensions/state.py", "item_scraped"),
    ("feed export (Scrapy's item_scraped)", "scrapy/extensions/feedexport.py", "item_scraped"),
)


def profile_crawl(n: int, seed: int, work: Path, out: Path, say=print) -> str:
    """``scrapy crawl tribun`` under cProfile on a generated mirror of N articles; the report goes to ``out``."""
    import io
    import pstats

    from bench.extraction import write_stats
    from tools import build_mirror

    work.mkdir(parents=True, exist_ok=True)
    mirror = work / f"mirror-{n}"
    shutil.rmtree(mirror, ignore_errors=True)
    expected = build_mirror.generate(mirror, n_articles=n, seed=seed)
    urls_file = work / f"articles-{n}.urls"
    urls_file.write_text("\n".join(a["url"] for a in expected["articles"]) + "\n", encoding="utf-8")
    server = LoopbackServer(mirror, work / f"server-profile-{n}.log")
    out_dir = work / f"profile-{n}"
    shutil.rmtree(out_dir, ignore_errors=True)
    prof_file = work / f"tribun-{n}.prof"
    try:
        cmd = [PYTHON, "-m", "cProfile", "-o", str(prof_file), "-m", "scrapy", "crawl", "tribun",
               "-a", f"urls_file={urls_file}"]
        for key, value in {**engine_settings(), "TRIBUN_OUTPUT_DIR": str(out_dir),
                           "TRIBUN_ORIGIN": server.origin}.items():
            cmd += ["-s", f"{key}={value}"]
        code, _, _, cpu = run_measured(cmd, ROOT, work / f"tribun-profile-{n}.log", 1800)
        say(f"  profiled crawl of {n:,} articles: exit {code}, {cpu:.0f} s CPU")
    finally:
        server.stop()
        shutil.rmtree(mirror, ignore_errors=True)
    stats = pstats.Stats(str(prof_file))
    entries = stats.stats  # type: ignore[attr-defined]
    total = max(ct for (_, _, _), (_, _, _, ct, _) in entries.items())
    lines = [f"cProfile of `scrapy crawl tribun` over {n:,} generated articles (loopback origin, bench settings). "
             f"Profiled run: {total:.1f} s; cProfile inflates Python-heavy code more than C, so read shares, "
             f"not absolute times.\nRegenerate: python -m bench --only crawl --profile-crawl {n}\n",
             "\n===== the crawler's components (cumulative s, ms/article; nested rows are part of the row above) "
             "=====\n"]
    for label, path, func in _COMPONENTS:
        cum = sum(ct for (filename, _, name), (_, _, _, ct, _) in entries.items()
                  if filename.endswith(path) and name == func)
        lines.append(f"{cum:8.2f} s {cum / n * 1e3:7.2f} ms/article  {cum / total:6.1%}  {label}")
    text = io.StringIO()
    text.write("\n".join(lines) + "\n")
    write_stats(str(prof_file), text, 45, restrict="crawler/")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text.getvalue(), encoding="utf-8")
    return text.getvalue()


def report(results: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    rows = []
    figures: dict[str, Any] = {}
    for res in results:
        tribun, bare = res["runs"]
        several = len(res["rounds"]) > 1
        for index, (t_run, b_run) in enumerate(res["rounds"], 1):
            for run in (t_run, b_run):
                ratio = _ratio(t_run, b_run) if run is t_run else 1.0
                server_pct = (run.server_cpu_s / run.elapsed_s * 100) if run.server_cpu_s is not None else None
                label = f"{res['n']:,}" + (f" ({index})" if several else "")
                rows.append([
                    label, "`scrapy crawl tribun`" if run is t_run else "bare spider",
                    f"{run.pages:,}", f"{run.requests:,}" + (f" ({run.not_found} × 404)" if run.not_found else ""),
                    "–" if run.items is None else f"{run.items:,}", fmt(run.elapsed_s, 1),
                    fmt(run.pages_per_s, 0), fmt(ratio * 100, 0, " %"), fmt(run.cpu_ms_per_page, 2),
                    fmt(run.peak_rss_mb, 0), fmt(run.tree_rss_mb, 0), fmt(server_pct, 0, " %"),
                    "" if run.returncode == 0 else f"exit {run.returncode}",
                ])
        figures[str(res["n"])] = {"tribun_pages_per_s": tribun.pages_per_s, "bare_pages_per_s": bare.pages_per_s,
                                  "tribun_peak_rss_mb": tribun.peak_rss_mb, "bare_peak_rss_mb": bare.peak_rss_mb,
                                  "tribun_tree_rss_mb": tribun.tree_rss_mb,
                                  "workers": tribun.stats.get("tribun/workers"),
                                  "server_rps": res["server"]["rps"]}
    lines = [
        "## Crawl throughput (loopback)",
        "",
        "pages/s = article pages fetched per second: HTTP 200 responses for article pages (`?page=all` views and "
        "`?page=N` pages, counted by the server) / Scrapy's `elapsed_time_seconds` (engine start to spider close). "
        "Both spiders: the project's concurrency settings "
        + ", ".join(f"{k}={v}" for k, v in engine_settings().items() if k.startswith("CONCURRENT"))
        + ", DOWNLOAD_DELAY=0, AutoThrottle off, robots.txt off, LOG_LEVEL=INFO; per-host download slots in both; "
        "fresh output and state dir per run. The bare spider fetches the exact URL list the tribun run fetched. "
        "The tribun crawl parses and normalises in worker processes (`TRIBUN_WORKERS`, default: one per core "
        "the crawl's own thread leaves free). CPU ms/page = user+system CPU of the crawl process and its worker "
        "processes / pages; peak RSS = `ru_maxrss` of the largest single process; all processes = the sampled "
        "peak of the crawl process and its workers together (every 0.1 s, from /proc). "
        "Targets: tribun ≥ 60 % of bare pages/s; tribun peak RSS at the largest N within 50 MB of the smallest "
        "(checked on the all-processes figure).",
        "",
        table(["N articles", "spider", "pages", "requests", "items", "elapsed s", "pages/s", "% of bare",
               "CPU ms/page", "peak RSS MB", "all processes MB", "server CPU", "note"], rows),
        "",
    ]
    for res in results:
        if len(res["rounds"]) > 1:
            ratios = ", ".join(f"{_ratio(*pair):.0%}" for pair in res["rounds"])
            lines.append(f"- N={res['n']:,}: {len(res['rounds'])} rounds (tribun, then bare on the same URLs), "
                         f"tribun/bare {ratios}; the targets use the median round.")
        lines.append(f"- N={res['n']:,}: generated in {res['generate_s']:.0f} s, {res['files']:,} files, median "
                     f"`?page=all` page {fmt(res['median_kb'], 0)} KB; transport {res['transport']}; server alone "
                     f"(load generator, 8 keep-alive connections, 3 s): {res['server']['rps']:,.0f} pages/s, "
                     f"{res['server']['mb_per_s']:,.0f} MB/s.")
    if len(results) >= 2:
        small, large = results[0]["runs"][0], results[-1]["runs"][0]
        growth = large.tree_rss_mb - small.tree_rss_mb
        single = large.peak_rss_mb - small.peak_rss_mb
        bare_growth = results[-1]["runs"][1].tree_rss_mb - results[0]["runs"][1].tree_rss_mb
        lines.append(f"- tribun peak RSS growth N={small.n_articles:,} → {large.n_articles:,}, all processes: "
                     f"{growth:+.0f} MB (largest single process: {single:+.0f} MB; bare spider: "
                     f"{bare_growth:+.0f} MB).")
        figures["rss_growth_mb"] = growth
    return "\n".join(lines), figures


def run(sizes: list[int], seed: int = 7, workdir: Path | None = None, keep: bool = False,
        timeout: float = 900, say=print, rounds: int | None = None) -> tuple[str, dict[str, Any]]:
    tmp = None
    if workdir is None:
        tmp = tempfile.mkdtemp(prefix="tribun-bench-")
        workdir = Path(tmp)
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        results = [bench_size(n, seed, workdir, keep, timeout, say, rounds) for n in sizes]
        return report(results)
    finally:
        if tmp and not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the generated mirrors, logs and feeds")
    parser.add_argument("--rounds", type=int, help="crawl pairs per size (default: 3 up to N=5,000, else 1)")
    args = parser.parse_args()
    text, _ = run([int(s) for s in args.sizes.split(",")], args.seed, args.workdir, args.keep,
                  rounds=args.rounds)
    print(text)


if __name__ == "__main__":
    main()
