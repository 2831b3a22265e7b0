"""A feed that cannot be written completely fails the run and records nothing, through real ``scrapy crawl`` runs
of the tiny spider (tests/dedup/fakespiders.py): a full disk mid-run, the feed folder being a file, a read-only
output folder. After each, a run on the same state emits exactly the articles missing from finished files."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.commands.crawl import ExitCode
from tests.crawlrun import ROOT, crawl_env, read_jsonl
from tests.dedup.crawls import FAKE, Run, command, crawl, finished_feeds
from tests.dedup.fakespiders import fake_url

pytestmark = pytest.mark.e2e

IS_ROOT = os.geteuid() == 0


def in_finished_files(out: Path) -> list[str]:
    return [item["url"] for feed in finished_feeds(out) for item in read_jsonl(feed)]


def assert_failed_and_recorded_nothing(run: Run, out: Path, before: list[str]) -> None:
    assert run.returncode == ExitCode.FAILED, run.log[-3000:]
    assert "Exit status 1 (FAILED)" in run.log
    assert "State NOT committed" in run.log
    assert "State committed" not in run.log
    assert in_finished_files(out) == before  # the failed run published no file
    assert not list((out / "tribun").glob(".*.part"))  # nor left its unfinished one taking disk space


def assert_next_run_emits_the_rest(out: Path, n: int, before: list[str], settings: dict[str, str]) -> None:
    after = crawl("fake", out, "-a", f"n={n}", settings=settings)
    assert after.returncode == ExitCode.OK, after.log[-3000:]
    # Exactly the articles of 0…n-1 that no finished file held: nothing lost, nothing twice.
    assert [item["url"] for item in after.items] == [fake_url(i) for i in range(n) if fake_url(i) not in before]
    assert sorted(in_finished_files(out)) == sorted(fake_url(i) for i in range(n))


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    if not IS_ROOT:
        pytest.skip("mounting a tmpfs needs root (CI runs as root); the RLIMIT_FSIZE test covers the rest")
    mount = tmp_path / "disk"
    mount.mkdir()
    # 192 KB: room for the state store (WAL and shared memory files included) and a few dozen of the fake
    # spider's ~2.5 KB lines, not for 120.
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full_mid_run_fails_the_run_and_the_next_run_emits_the_lost_articles(small_tmpfs: Path):
    out = small_tmpfs / "out"
    first = crawl("fake", out, "-a", "n=3", settings=FAKE)  # fits: articles 0…2 in a finished file
    assert first.returncode == ExitCode.OK, first.log[-3000:]
    before = in_finished_files(out)
    assert before == [fake_url(i) for i in range(3)]

    full = crawl("fake", out, "-a", "n=120", settings=FAKE)
    assert "No space left on device" in full.log
    assert_failed_and_recorded_nothing(full, out, before)

    subprocess.run(["mount", "-o", "remount,size=4m", str(small_tmpfs)], check=True)  # the disk frees again
    assert_next_run_emits_the_rest(out, 120, before, FAKE)


def _file_size_limit(limit: int) -> None:
    # Writes past the limit fail with EFBIG instead of killing the process with SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_feed_writes_failing_mid_run_fail_the_run(tmp_path: Path):
    """The same without root: a file-size limit makes the feed's writes fail part-way through."""
    out = tmp_path / "out"
    crawl("fake", out, "-a", "n=2", settings=FAKE)
    before = in_finished_files(out)
    assert before == [fake_url(0), fake_url(1)]

    proc = subprocess.run(command("fake", out, "-a", "n=40", settings=FAKE), cwd=ROOT, env=crawl_env(),
                          capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: _file_size_limit(48 * 1024))
    limited = Run.ended(proc.returncode, proc.stderr + proc.stdout, out, [])
    assert "File too large" in limited.log
    assert_failed_and_recorded_nothing(limited, out, before)

    assert_next_run_emits_the_rest(out, 40, before, FAKE)


def test_feed_folder_being_a_file_fails_the_run(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "tribun").write_text("not a folder\n", encoding="utf-8")
    run = crawl("fake", out, "-a", "n=5", settings=FAKE)
    assert run.returncode == ExitCode.FAILED, run.log[-3000:]
    assert "State NOT committed" in run.log
    assert len([line for line in run.log.splitlines() if "ERROR: Feed " in line]) == 1  # one line, not one per item
    assert "Error caught on signal handler" not in run.log

    (out / "tribun").unlink()
    assert_next_run_emits_the_rest(out, 5, [], FAKE)


@pytest.fixture
def read_only_output(tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / "out"
    out.mkdir()
    if IS_ROOT:  # root ignores permission bits: a read-only mount is what refuses root
        subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(out)], check=True)
    else:
        out.chmod(0o555)
    try:
        yield out
    finally:
        if IS_ROOT:
            subprocess.run(["umount", "-l", str(out)], check=False)
        else:
            out.chmod(0o755)


def test_read_only_output_folder_with_the_state_elsewhere_fails_the_run(tmp_path: Path, read_only_output: Path):
    out = read_only_output
    settings = {**FAKE, "TRIBUN_STATE_PATH": str(tmp_path / "state" / "tribun.sqlite3")}
    run = crawl("fake", out, "-a", "n=5", settings=settings)
    assert run.returncode == ExitCode.FAILED, run.log[-3000:]
    assert "State NOT committed" in run.log
    assert "Exit status 1 (FAILED)" in run.log

    # The operator fixes the folder; the same state then lets every article through once.
    writable = tmp_path / "writable"
    shutil.copytree(out, writable)
    assert_next_run_emits_the_rest(writable, 5, [], settings)
