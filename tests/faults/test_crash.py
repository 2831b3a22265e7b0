"""Crash safety: a crawl killed at any point leaves only complete files; Ctrl-C + JOBDIR pauses and resumes.

The kill point is chosen by the fault server, not by a clock: it lets K requests through, holds the
next one, and the test kills the crawler while that request waits. K is random (the seed is in the
failure message), so repeated runs probe different points of the crawl.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.state import StateStore
from tests.faults.crawling import MIRROR, crawl, pick, read_complete_jsonl, start_crawl, visible_feeds
from tests.faults.server import FaultServer

pytestmark = pytest.mark.e2e

# Articles on three portals, single- and multi-page: a crawl of a few dozen requests.
URLS = pick(4, portal="bangka") + pick(3, portal="solo") + pick(2, pages=2) + pick(1, pages=3)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer(MIRROR) as srv:
        yield srv


def _emitted(out: Path) -> Counter[str]:
    """Articles in every feed a reader can see, each feed checked to be complete JSON lines."""
    return Counter(item["url"] for feed in visible_feeds(out) for item in read_complete_jsonl(feed))


def _state_is_sound(out: Path) -> int:
    """The state store opens cleanly after the crash; returns how many articles it holds."""
    path = out / ".state" / "tribun.sqlite3"
    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = StateStore(path)
    try:
        return store.count()
    finally:
        store.close()


def _descendants(pid: int) -> set[int]:
    """Live processes below ``pid`` (Linux /proc), e.g. the crawl's worker processes."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        children = {child for child, ppid in parents.items() if ppid == parent}
        found |= children
        todo += children
    return found


def _gone(pids: set[int], timeout: float = 10) -> set[int]:
    """Those of ``pids`` still running after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        alive = {pid for pid in alive if Path(f"/proc/{pid}").exists()
                 and "zombie" not in Path(f"/proc/{pid}/status").read_text(errors="replace")}
        time.sleep(0.2)
    return alive


def _stop(proc: subprocess.Popen, sig: int) -> int:
    proc.send_signal(sig)
    return proc.wait(timeout=60)


def test_sigkill_leaves_only_complete_files_and_the_next_run_finishes(server: FaultServer, tmp_path: Path):
    seed = random.randrange(1 << 30)
    # One request per article plus one robots.txt per host: there is always a request after the K-th.
    admitted = random.Random(seed).randint(1, len(URLS) - 1)
    out, log = tmp_path / "out", tmp_path / "killed.log"
    gate = server.close_gate_after(admitted)
    proc = start_crawl(server, out, URLS, log, CONCURRENT_REQUESTS="2")
    try:
        assert server.wait_until_held(), f"seed={seed}: the crawl never reached request {admitted + 1}"
        workers = _descendants(proc.pid)
        assert workers, "the crawl runs worker processes (crawler/workers.py)"
        assert _stop(proc, signal.SIGKILL) == -signal.SIGKILL
    finally:
        gate.set()  # let the held server threads finish
        if proc.poll() is None:
            proc.kill()
    context = f"seed={seed}, killed after {admitted} requests; log: {log.read_text(errors='replace')[-2000:]}"
    assert not _gone(workers), "worker processes outlived the killed crawl"
    before = _emitted(out)  # only finished feeds are visible; each is whole
    assert max(before.values(), default=1) == 1, context
    committed = _state_is_sound(out)
    assert committed == len(before), context  # the store holds exactly what readers can see

    result = crawl(server, out, URLS)
    assert result.returncode == 0, result.log[-3000:]
    assert _emitted(out) == {url: 1 for url in URLS}, context


def test_ctrl_c_then_resume_with_jobdir_loses_and_doubles_nothing(server: FaultServer, tmp_path: Path):
    out, job = tmp_path / "out", tmp_path / "job"
    settings = {"JOBDIR": str(job), "CONCURRENT_REQUESTS": "1"}  # one request at a time: a clear stop point
    gate = server.close_gate_after(6)
    proc = start_crawl(server, out, URLS, tmp_path / "first.log", **settings)
    try:
        assert server.wait_until_held()
        proc.send_signal(signal.SIGINT)  # once: a graceful stop
        gate.set()  # the request in flight completes, as it would on the network
        code = proc.wait(timeout=60)
    finally:
        gate.set()
        if proc.poll() is None:
            proc.kill()
    first_log = (tmp_path / "first.log").read_text(errors="replace")
    assert "shutting down gracefully" in first_log
    assert code == 1, first_log[-3000:]  # crawler/commands/crawl.py: closed early
    first = _emitted(out)
    assert 0 < len(first) < len(URLS), first_log[-3000:]  # really stopped half-way, and kept what was done
    asked_before = Counter((h.host, h.target) for h in server.hits)

    server.reset()
    result = crawl(server, out, URLS, **settings)
    assert result.returncode == 0, result.log[-3000:]
    assert "Resuming crawl" in result.log  # the pending requests came back from the job directory
    assert _emitted(out) == {url: 1 for url in URLS}
    # Nothing the first part finished was fetched again (robots.txt is re-read by every run).
    again = {(h.host, h.target) for h in server.hits} & set(asked_before)
    assert {target for _, target in again} <= {"/robots.txt"}, again
