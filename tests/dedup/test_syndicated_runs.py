"""Syndicated copies end to end, with real ``scrapy crawl`` subprocesses on one state: both run orders across
two runs, both discovery orders within one run (forced by the fault server), and held copies under SIGKILL."""

from __future__ import annotations

import json
import re
import signal
import threading
from pathlib import Path

import pytest

from crawler.commands.crawl import ExitCode
from tests.crawlrun import ROOT, read_jsonl, read_run
from tests.dedup.crawls import FAKE, Run, crawl, finished_feeds, part_lines, start, stored_urls, wait_for
from tests.dedup.fakespiders import COPY_URL, ORIGINAL_URL
from tests.faults import server as fs
from tests.faults.crawling import start_crawl
from tests.faults.server import Fault, FaultServer

pytestmark = pytest.mark.e2e

EXPECTED = json.loads((ROOT / "tests" / "fixtures" / "mirror_expected.json").read_text(encoding="utf-8"))
[NEAR] = [p for p in EXPECTED["syndicated"] if p["kind"] == "near"]
[EXACT] = [p for p in EXPECTED["syndicated"] if p["kind"] == "exact"]
# The mirror's articles were published in 2024-2025: a window that reaches them.
WINDOW = {"TRIBUN_NEAR_DUP_DAYS": "36500"}


def side_file(out: Path) -> list[dict]:
    feed = finished_feeds(out)[-1]
    path = feed.with_name(feed.name.replace(".jsonl", ".duplicates.jsonl"))
    return read_jsonl(path) if path.exists() else []


@pytest.fixture(scope="module")
def near_mirror(tmp_path_factory) -> Path:
    """The mirror's "near" pair (Tribun Jakarta's story and www's credited copy) with the copy's body edited
    (one sentence added, one figure changed): a copy no fingerprint catches, only the near-duplicate index."""
    mirror = tmp_path_factory.mktemp("near") / "mirror"
    for url in (NEAR["copy"], NEAR["original"]):
        for suffix in ("", "?page=all"):
            source = ROOT / "mirror" / (url.split("://", 1)[1] + suffix)
            target = mirror / source.relative_to(ROOT / "mirror")
            target.parent.mkdir(parents=True, exist_ok=True)
            html = source.read_text(encoding="utf-8")
            if url == NEAR["copy"]:
                edited = html.replace("40 sentimeter", "45 sentimeter", 1).replace(
                    "</p>", "</p><p>Warga berharap pemerintah segera membangun tanggul laut yang lebih tinggi.</p>", 1)
                assert edited != html
                html = edited
            target.write_text(html, encoding="utf-8")
    return mirror


def run(out: Path, mirror: Path, *urls: str) -> Run:
    result = crawl("tribun", out, "-a", "urls=" + ",".join(urls), settings={"TRIBUN_MIRROR": str(mirror), **WINDOW})
    assert result.returncode == ExitCode.OK, result.log[-3000:]
    return result


# --- across runs ----------------------------------------------------------------------------------------

def test_copy_in_the_run_after_its_original_is_recorded_not_emitted(tmp_path: Path, near_mirror: Path):
    out = tmp_path / "out"
    first = run(out, near_mirror, NEAR["original"])
    assert [i["url"] for i in first.items] == [NEAR["original"]]
    second = run(out, near_mirror, NEAR["copy"])
    assert second.items == []  # a finished, empty feed
    [record] = side_file(out)
    assert (record["url"], record["duplicate_of"], record["kind"]) == (NEAR["copy"], NEAR["original"], "near")
    assert 0.9 <= record["similarity"] < 1
    assert second.stat("tribun/dedup/near") == 1
    assert stored_urls(out) == {NEAR["original"]}
    assert stored_urls(out, emitted_only=False) == {NEAR["original"], NEAR["copy"]}


def test_original_in_the_run_after_its_copy_is_emitted_naming_the_copy(tmp_path: Path, near_mirror: Path):
    out = tmp_path / "out"
    first = run(out, near_mirror, NEAR["copy"])
    # Held back as a credited copy, then released at the run's end: its original never came.
    assert [(i["url"], i["copies"]) for i in first.items] == [(NEAR["copy"], [])]
    assert (first.stat("tribun/dedup/held"), first.stat("tribun/dedup/released")) == (1, 1)
    second = run(out, near_mirror, NEAR["original"])
    assert [(i["url"], i["copies"]) for i in second.items] == [(NEAR["original"], [NEAR["copy"]])]
    assert side_file(out) == []
    assert second.stat("tribun/dedup/original_after_copy") == 1
    assert stored_urls(out) == {NEAR["original"], NEAR["copy"]}


# --- within one run, either order -----------------------------------------------------------------------

def crawl_in_order(tmp_path: Path, mirror: Path, first: str, second: str) -> tuple[Run, str]:
    """One crawl of both URLs in which ``second``'s pages are answered only once ``first`` has been decided:
    held back (INFO line), or let out of the item pipelines (Scrapy's DEBUG line ``Scraped from <200 …>``)."""
    out, log = tmp_path / "out", tmp_path / "crawl.log"
    with FaultServer(mirror) as server:
        gate = threading.Event()
        for suffix in ("", "?page=all"):
            server.fault(second + suffix, Fault(fs.SERVE, hold=gate))
        proc = start_crawl(server, out, [first, second], log, DOWNLOAD_TIMEOUT="60", LOG_LEVEL="DEBUG", **WINDOW)
        decided = re.compile(rf"Holding back {re.escape(first)} |Scraped from <200 {re.escape(first)}[?>]")
        try:
            wait_for(lambda: decided.search(log.read_text(encoding="utf-8")) is not None, proc)
            assert server.requests_for(second + "?page=all") or server.requests_for(second)
            gate.set()
            proc.wait(timeout=120)
        finally:
            gate.set()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    text = log.read_text(encoding="utf-8")
    result = read_run(out, proc.returncode, text)
    assert result.returncode == ExitCode.OK, text[-3000:]
    return Run(result.returncode, text, out, result.feeds, result.items), text


@pytest.mark.parametrize("pair", ["exact", "near"])
@pytest.mark.parametrize("copy_first", [True, False], ids=["copy_first", "original_first"])
def test_the_original_wins_whichever_is_met_first(tmp_path: Path, near_mirror: Path, pair: str, copy_first: bool):
    urls, mirror = (EXACT, ROOT / "mirror") if pair == "exact" else (NEAR, near_mirror)
    first, second = (urls["copy"], urls["original"]) if copy_first else (urls["original"], urls["copy"])
    result, log = crawl_in_order(tmp_path, mirror, first, second)
    assert [(i["url"], i["copies"]) for i in result.items] == [(urls["original"], [])]
    [record] = side_file(result.output_dir)
    assert (record["url"], record["duplicate_of"]) == (urls["copy"], urls["original"])
    assert record["kind"] == ("fingerprint" if pair == "exact" else "near")
    assert (f"Holding back {urls['copy']}" in log) == copy_first
    assert result.stat("tribun/dedup/released") == 0
    assert stored_urls(result.output_dir) == {urls["original"]}


# --- SIGKILL ----------------------------------------------------------------------------------------------

def test_held_copies_are_lost_to_a_sigkill_and_the_next_run_decides_again(tmp_path: Path):
    out = tmp_path / "out"
    log = tmp_path / "killed.log"
    proc = start("syndicated", out, "-a", "order=copy", "-a", "hang=1", settings=FAKE, log=log)
    try:
        wait_for(lambda: f"Holding back {COPY_URL}" in log.read_text(encoding="utf-8"), proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert finished_feeds(out) == []
    assert part_lines(out) == 0  # the held copy never reached the feed…
    assert stored_urls(out, emitted_only=False) == set()  # …nor the state

    again = crawl("syndicated", out, "-a", "order=copy,original", settings=FAKE)
    assert again.returncode == ExitCode.OK, again.log[-3000:]
    assert [(i["url"], i["copies"]) for i in again.items] == [(ORIGINAL_URL, [])]
    assert [(d["url"], d["duplicate_of"]) for d in side_file(out)] == [(COPY_URL, ORIGINAL_URL)]
    assert stored_urls(out) == {ORIGINAL_URL}
