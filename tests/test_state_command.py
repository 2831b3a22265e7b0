"""``scrapy state`` end to end: real ``scrapy state …`` subprocesses on the state a real mirror crawl wrote.

What the command prints is checked against the files the crawl wrote (its feed and duplicates side file):
the state must tell the same story as the output the user reads.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from crawler.state import RunLock, StateStore, lock_path
from crawler.urls import canonical_url, portal_of
from tests.crawlrun import ROOT, SCRAPY, CrawlResult, crawl_env, read_jsonl, run_crawl

pytestmark = pytest.mark.e2e

STATE = Path(".state") / "tribun.sqlite3"


def state_cmd(output_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*SCRAPY, "state", *args, "-s", f"TRIBUN_OUTPUT_DIR={output_dir}"], cwd=ROOT,
                          env=crawl_env(), capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> CrawlResult:
    result = run_crawl(tmp_path_factory.mktemp("state-cmd"))
    assert result.returncode == 0, result.log[-3000:]
    return result


@pytest.fixture
def copy(crawled: CrawlResult, tmp_path: Path) -> CrawlResult:
    """The crawled output folder, copied: for subcommands that change the state."""
    out = tmp_path / "out"
    shutil.copytree(crawled.output_dir, out)
    return CrawlResult(0, "", out, crawled.items, crawled.stats, [out / "tribun" / crawled.feeds[-1].name])


def _duplicates(result: CrawlResult) -> list[dict]:
    return read_jsonl(result.feeds[-1].with_name(result.feeds[-1].stem + ".duplicates.jsonl"))


def _rows(output: str) -> list[list[str]]:
    return [line.split() for line in output.splitlines()[1:]]


def test_runs_lists_the_run_with_its_items_and_duplicates(crawled: CrawlResult):
    proc = state_cmd(crawled.output_dir, "runs")
    assert proc.returncode == 0, proc.stderr
    run_id = crawled.feeds[-1].stem
    rows = _rows(proc.stdout)
    assert len(rows) == 1
    # run, started (day, time), committed (day, time), items, duplicates
    assert rows[0][0] == run_id
    assert rows[0][1] == f"{run_id[:4]}-{run_id[4:6]}-{run_id[6:8]}"
    assert rows[0][5:7] == [str(len(crawled.items)), str(len(_duplicates(crawled)))]


def test_portals_counts_each_portals_emitted_articles(crawled: CrawlResult):
    proc = state_cmd(crawled.output_dir, "portals")
    assert proc.returncode == 0, proc.stderr
    emitted = Counter(portal_of(item["url"]).key for item in crawled.items)
    duplicates = Counter(portal_of(d["url"]).key for d in _duplicates(crawled))
    expected = [[key, str(emitted[key]), str(duplicates[key])] for key in sorted(emitted | duplicates)]
    expected.append(["total", str(len(crawled.items)), str(sum(duplicates.values()))])
    assert _rows(proc.stdout) == expected


def test_url_names_the_run_and_file_of_an_emitted_article(crawled: CrawlResult):
    url = crawled.items[0]["url"]
    # A tracking parameter and a trailing slash are not part of the article's identity.
    proc = state_cmd(crawled.output_dir, "url", url + "/?utm_source=feed")
    assert proc.returncode == 0, proc.stderr
    assert f"url:        {url}\n" in proc.stdout
    assert "status:     emitted\n" in proc.stdout
    assert f"run:        {crawled.feeds[-1].stem}\n" in proc.stdout
    assert f"file:       {crawled.feeds[-1]}\n" in proc.stdout


def test_url_shows_a_duplicate_and_what_it_duplicates(crawled: CrawlResult):
    dup = _duplicates(crawled)[0]
    proc = state_cmd(crawled.output_dir, "url", dup["url"])
    assert proc.returncode == 0, proc.stderr
    assert f"status:     not emitted: a duplicate of {dup['duplicate_of']}\n" in proc.stdout
    assert f"{crawled.feeds[-1].stem}.duplicates.jsonl" in proc.stdout


def test_url_not_in_the_state_exits_1(crawled: CrawlResult):
    proc = state_cmd(crawled.output_dir, "url", "https://solo.tribunnews.com/2024/01/01/never-crawled")
    assert proc.returncode == 1
    assert "not in the state" in proc.stdout


def test_forgotten_url_is_emitted_again_by_the_next_run(copy: CrawlResult):
    dependants = {d["duplicate_of"] for d in _duplicates(copy)}
    url = next(item["url"] for item in copy.items if item["url"] not in dependants)
    proc = state_cmd(copy.output_dir, "forget", url)
    assert proc.returncode == 0, proc.stderr
    assert "forgot 1 URL(s)" in proc.stdout
    second = run_crawl(copy.output_dir)
    assert second.returncode == 0, second.log[-3000:]
    assert [item["url"] for item in second.items] == [url]


def test_forget_takes_the_duplicates_recorded_against_the_url_with_it(copy: CrawlResult):
    dup = _duplicates(copy)[0]
    original = dup["duplicate_of"]
    proc = state_cmd(copy.output_dir, "forget", original)
    assert proc.returncode == 0, proc.stderr
    second = run_crawl(copy.output_dir)
    assert second.returncode == 0, second.log[-3000:]
    # Both are fetched again; whichever of the pair the run reads first is emitted, the other is its duplicate.
    assert len(second.items) == 1
    assert second.items[0]["url"] in {original, dup["url"]}


def test_forget_reads_a_file_and_reports_urls_it_does_not_hold(copy: CrawlResult, tmp_path: Path):
    urls = [copy.items[0]["url"], copy.items[1]["url"]]
    unknown = "https://solo.tribunnews.com/2024/01/01/never-crawled"
    listing = tmp_path / "forget.txt"
    listing.write_text(f"# to crawl again\n{urls[0]}\n\n{urls[1]}\n{unknown}\n", encoding="utf-8")
    proc = state_cmd(copy.output_dir, "forget", "--file", str(listing))
    assert proc.returncode == 0, proc.stderr
    assert "forgot 2 URL(s)" in proc.stdout
    assert f"not in the state: {unknown}" in proc.stdout
    db = sqlite3.connect(copy.output_dir / STATE)
    left = {row[0] for row in db.execute("SELECT url FROM articles")}
    db.close()
    assert not set(urls) & left
    assert len(left) == len(copy.items) + len(_duplicates(copy)) - 2


def test_forget_skips_a_url_outside_the_network_and_forgets_the_rest(copy: CrawlResult):
    url = copy.items[0]["url"]
    proc = state_cmd(copy.output_dir, "forget", "https://example.com/2024/01/01/x", url)
    assert proc.returncode == 2
    assert "'https://example.com/2024/01/01/x' is not a Tribun network URL" in proc.stderr
    assert "forgot 1 URL(s)" in proc.stdout


def test_while_a_crawl_holds_the_lock_reads_work_and_writes_refuse_with_75(copy: CrawlResult):
    url = copy.items[0]["url"]
    path = copy.output_dir / STATE
    # What a running crawl holds: the run lock, and the store open in WAL mode.
    lock = RunLock.acquire(lock_path(path))
    store = StateStore(path)
    try:
        runs = state_cmd(copy.output_dir, "runs")
        looked_up = state_cmd(copy.output_dir, "url", url)
        forget = state_cmd(copy.output_dir, "forget", url)
        vacuum = state_cmd(copy.output_dir, "vacuum")
        still_there = store.get(url)
    finally:
        store.close()
        lock.release()
    assert runs.returncode == 0, runs.stderr
    assert copy.feeds[-1].stem in runs.stdout
    assert looked_up.returncode == 0, looked_up.stderr
    for proc in (forget, vacuum):
        assert proc.returncode == 75
        assert "not changing the state: another crawl" in proc.stderr
    assert still_there is not None


def test_vacuum_keeps_every_row(copy: CrawlResult):
    proc = state_cmd(copy.output_dir, "vacuum")
    assert proc.returncode == 0, proc.stderr
    assert "vacuumed" in proc.stdout
    store = StateStore(copy.output_dir / STATE)
    try:
        assert store.count() == len(copy.items) + len(_duplicates(copy))
        assert store.get(canonical_url(copy.items[0]["url"])) is not None
    finally:
        store.close()


def test_no_state_store_is_one_line_and_exit_1(tmp_path: Path):
    for args in (("runs",), ("forget", "https://solo.tribunnews.com/2024/01/01/x")):
        proc = state_cmd(tmp_path, *args)
        assert proc.returncode == 1
        assert f"no state store at {tmp_path / STATE}" in proc.stderr
    assert not (tmp_path / ".state").exists()  # looking created nothing, not even the lock file


def test_store_of_a_later_schema_shows_its_exit_status_and_coverage(copy: CrawlResult):
    # Schema 3 has runs.exit_status and the coverage table (the crawl filled both): replaced here by known figures.
    run_id = copy.feeds[-1].stem
    db = sqlite3.connect(copy.output_dir / STATE)
    db.execute("DELETE FROM coverage")
    db.execute("UPDATE runs SET exit_status = 3")
    db.executemany("INSERT INTO coverage VALUES (?, ?, ?, ?, ?)",
                   [(run_id, "solo", "authors", 4, 1), (run_id, "bangka", "authors", 4, 4),
                    (run_id, "solo", "title", 4, 4)])
    db.commit()
    db.close()
    proc = state_cmd(copy.output_dir, "runs")
    assert proc.returncode == 0, proc.stderr
    header, row = proc.stdout.splitlines()
    assert header.split()[-2:] == ["exit", "coverage"]
    # authors: 5 of 8 items over both portals; title fully covered is not listed.
    assert row.split()[-3:] == ["3", "authors", "62%"]
