"""Real ``scrapy crawl`` subprocesses for the dedup/state tests: run to the end, or start and kill."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.crawlrun import ROOT, crawl_command, crawl_env, read_jsonl

FAKE = {"SPIDER_MODULES": "tests.dedup.fakespiders"}


@dataclass
class Run:
    returncode: int
    log: str
    output_dir: Path
    feeds: list[Path] = field(default_factory=list)  # finished feed files when the run ended, oldest first
    items: list[dict] = field(default_factory=list)  # items of this run's feed ([] when it left none)

    @classmethod
    def ended(cls, returncode: int, log: str, output_dir: Path, before: list[Path]) -> Run:
        feeds = finished_feeds(output_dir)
        mine = [f for f in feeds if f not in before]
        return cls(returncode, log, output_dir, feeds, read_jsonl(mine[-1]) if mine else [])

    def stat(self, key: str) -> int:
        """A numeric stat from the 'Dumping Scrapy stats' block of the log (0 when absent)."""
        for line in self.log.splitlines():
            if f"'{key}':" in line:
                return int(line.split(":", 1)[1].strip(" ,}"))
        return 0


def command(spider: str, output_dir: Path, *args: str, settings: dict[str, str] | None = None) -> list[str]:
    return crawl_command(output_dir, *args, settings=settings, spider=spider)


def crawl(spider: str, output_dir: Path, *args: str, settings: dict[str, str] | None = None,
          timeout: float = 300) -> Run:
    before = finished_feeds(output_dir)
    proc = subprocess.run(command(spider, output_dir, *args, settings=settings), cwd=ROOT, env=crawl_env(),
                          capture_output=True, text=True, timeout=timeout)
    return Run.ended(proc.returncode, proc.stderr + proc.stdout, output_dir, before)


def start(spider: str, output_dir: Path, *args: str, settings: dict[str, str] | None = None,
          log: Path | None = None) -> subprocess.Popen:
    """Starts a crawl in the background, its log going to ``log`` (default ``output_dir``'s sibling)."""
    log = log or output_dir.with_name(output_dir.name + ".log")
    with log.open("w") as sink:
        return subprocess.Popen(command(spider, output_dir, *args, settings=settings), cwd=ROOT, env=crawl_env(),
                                stdout=sink, stderr=subprocess.STDOUT)


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen, deadline: float = 120) -> None:
    """Polls ``condition`` until it holds; fails if the crawl ends first or nothing happens for ``deadline``
    seconds (a hang guard, not a timing assertion)."""
    end = time.monotonic() + deadline
    while not condition():
        assert proc.poll() is None, f"the crawl ended (status {proc.returncode}) before the condition held"
        assert time.monotonic() < end, "the condition never held"
        time.sleep(0.05)


def finished_feeds(output_dir: Path) -> list[Path]:
    """Finished feed files (not side files, stats or hidden .part files), oldest first."""
    return sorted(p for p in (output_dir / "tribun").glob("*.jsonl") if not p.name.endswith(".duplicates.jsonl"))


def part_lines(output_dir: Path) -> int:
    """Complete lines in the running feed's hidden .part file(s)."""
    return sum(p.read_bytes().count(b"\n") for p in (output_dir / "tribun").glob(".*.jsonl.part"))


def stored_urls(output_dir: Path, emitted_only: bool = True) -> set[str]:
    path = output_dir / ".state" / "tribun.sqlite3"
    if not path.exists():
        return set()
    db = sqlite3.connect(path)
    try:
        where = " WHERE duplicate_of IS NULL" if emitted_only else ""
        return {row[0] for row in db.execute(f"SELECT url FROM articles{where}")}
    finally:
        db.close()
