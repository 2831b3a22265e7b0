"""Run the real ``scrapy reextract`` in a subprocess and read what it wrote."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.crawlrun import FAST, ROOT, SCRAPY, CrawlResult, crawl_env, read_jsonl


def run_reextract(output_dir: Path, *args: str, settings: dict[str, str] | None = None,
                  timeout: float = 300) -> CrawlResult:
    """``scrapy reextract ARGS…`` with the test settings; the items of its newest run under ``reextract/``."""
    cmd = [*SCRAPY, "reextract", *args]
    for key, value in {**FAST, "TRIBUN_OUTPUT_DIR": str(output_dir), **(settings or {})}.items():
        cmd += ["-s", f"{key}={value}"]
    proc = subprocess.run(cmd, cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=timeout)
    result = CrawlResult(proc.returncode, proc.stderr + proc.stdout, output_dir)
    folder = output_dir / "reextract"
    result.feeds = sorted(p for p in folder.glob("*Z.jsonl")) if folder.is_dir() else []
    if result.feeds:
        result.items = read_jsonl(result.feeds[-1])
    stats = sorted(folder.glob("*.stats.json")) if folder.is_dir() else []
    if stats:
        result.stats = json.loads(stats[-1].read_text(encoding="utf-8"))
    return result
