"""Run the real ``scrapy crawl tribun`` in a subprocess and read what it wrote.

Shared by every end-to-end test: the crawl goes through Scrapy's real engine, download stack and
feed exporter, exactly as a user's cron job does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIRROR = ROOT / "mirror"
SCRAPY = [sys.executable, "-m", "scrapy"]

# Fast, deterministic settings for tests: no politeness delays against a local mirror.
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "0", "LOG_LEVEL": "INFO"}


@dataclass
class CrawlResult:
    returncode: int
    log: str
    output_dir: Path
    items: list[dict] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    feeds: list[Path] = field(default_factory=list)

    def stat(self, key: str, default: int = 0) -> int:
        return self.stats.get(key, default)


def crawl_command(output_dir: Path, *args: str, settings: dict[str, str] | None = None, spider: str = "tribun",
                  mirror: Path | None = None) -> list[str]:
    """The ``scrapy crawl`` command line: the test settings, ``TRIBUN_OUTPUT_DIR``, then ``settings``."""
    merged = {**FAST, "TRIBUN_OUTPUT_DIR": str(output_dir), **(settings or {})}
    if mirror is not None:
        merged.setdefault("TRIBUN_MIRROR", str(mirror))
    cmd = [*SCRAPY, "crawl", spider, *args]
    for key, value in merged.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def crawl_env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{path}" if path else str(ROOT)}


def run_crawl(output_dir: Path, *args: str, settings: dict[str, str] | None = None, mirror: Path | None = MIRROR,
              timeout: float = 300) -> CrawlResult:
    """``scrapy crawl tribun`` with the given ``-a``/``-s`` args; returns its items, stats and log."""
    cmd = crawl_command(output_dir, *args, settings=settings, mirror=mirror)
    proc = subprocess.run(cmd, cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=timeout)
    return read_run(output_dir, proc.returncode, proc.stderr + proc.stdout)


def read_run(output_dir: Path, returncode: int = 0, log: str = "") -> CrawlResult:
    """The newest run's feed and stats under ``output_dir/tribun``."""
    result = CrawlResult(returncode, log, output_dir)
    feed_dir = output_dir / "tribun"
    feeds = sorted(p for p in feed_dir.glob("*.jsonl") if not p.name.endswith(".duplicates.jsonl"))
    result.feeds = feeds
    if feeds:
        result.items = read_jsonl(feeds[-1])
    stats = sorted(feed_dir.glob("*.stats.json"))
    if stats:
        result.stats = json.loads(stats[-1].read_text(encoding="utf-8"))
    return result


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
