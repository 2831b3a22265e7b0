"""Helpers for fault crawls: the real ``scrapy crawl tribun`` against the fault server, and the mirror's facts."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

from crawler.downloaders.mirror import mirror_path
from tests.crawlrun import CrawlResult, crawl_command, crawl_env, run_crawl
from tests.faults.server import FaultServer

ROOT = Path(__file__).resolve().parents[2]
MIRROR = ROOT / "mirror"
EXPECTED: dict[str, Any] = json.loads((ROOT / "tests/fixtures/mirror_expected.json").read_text(encoding="utf-8"))
ARTICLES: dict[str, dict[str, Any]] = {a["url"]: a for a in EXPECTED["articles"]}
# Syndicated pairs yield one item between them (the original; the copy is recorded): kept out of fault
# tests so "exactly once" stays a plain per-URL count.
_SYNDICATED = {u for s in EXPECTED["syndicated"] for u in (s["copy"], s["original"])}

# The brief's crawl settings: fast, few retries, short timeout, short backoff.
FAULT_SETTINGS = {"RETRY_TIMES": "2", "DOWNLOAD_TIMEOUT": "2", "TRIBUN_RETRY_BACKOFF": "0.2", "STATS_DUMP": "True"}


def mirror_file(url: str) -> Path | None:
    path = mirror_path(MIRROR.resolve(), url)
    return path if path is not None and path.is_file() else None


def pick(count: int, *, pages: int = 1, portal: str | None = None, exclude: set[str] = frozenset()) -> list[str]:
    """``count`` article URLs of the mirror (stable order) that have a ``?page=all`` file."""
    found = [a["url"] for a in EXPECTED["articles"]
             if a["pages"] == pages and a["url"] not in _SYNDICATED and a["url"] not in exclude
             and (portal is None or a["portal"] == portal) and mirror_file(a["url"] + "?page=all")]
    assert len(found) >= count, f"the mirror has only {len(found)} such articles"
    return found[:count]


def crawl(server: FaultServer, out: Path, urls: list[str], *args: str, **settings: str) -> CrawlResult:
    """``scrapy crawl tribun -a urls=…`` through TRIBUN_ORIGIN with the fault settings."""
    merged = {**FAULT_SETTINGS, "TRIBUN_ORIGIN": server.origin, **settings}
    return run_crawl(out, "-a", "urls=" + ",".join(urls), *args, settings=merged, mirror=None)


def emitted(result: CrawlResult) -> Counter[str]:
    return Counter(item["url"] for item in result.items)


def log_lines(result: CrawlResult, level: str, needle: str) -> list[str]:
    """Log lines at ``level`` (``ERROR``, ``WARNING``) that mention ``needle``."""
    return [line for line in result.log.splitlines() if f"] {level}: " in line and needle in line]


def error_stats(result: CrawlResult) -> dict[str, int]:
    return {k: v for k, v in result.stats.items() if k.startswith("tribun/errors/")}


def with_title_suffix(page: bytes, title: str, suffix: str) -> str:
    """The page as text with ``suffix`` appended to every occurrence of its title (h1, og:title, JSON-LD)."""
    return page.decode("utf-8").replace(title, title + suffix)


def set_charset(html: str, charset: str | None) -> str:
    """``html`` with its ``<meta>`` charset declarations saying ``charset`` (removed when None)."""
    decl = f"; charset={charset}" if charset else ""
    html = re.sub(r'(<meta[^>]*content="text/html)\s*;\s*charset=[\w-]+', lambda m: m.group(1) + decl, html,
                  flags=re.I)
    return re.sub(r'<meta\s+charset="?[\w-]+"?\s*/?>', f'<meta charset="{charset}">' if charset else "", html,
                  flags=re.I)


def start_crawl(server: FaultServer, out: Path, urls: list[str], log: Path, **settings: str) -> subprocess.Popen:
    """``scrapy crawl tribun`` started in the background (for tests that interrupt it), logging to ``log``."""
    cmd = crawl_command(out, "-a", "urls=" + ",".join(urls),
                        settings={**FAULT_SETTINGS, "TRIBUN_ORIGIN": server.origin, **settings})
    with log.open("wb") as sink:  # the child keeps its own descriptor
        return subprocess.Popen(cmd, cwd=ROOT, env=crawl_env(), stdout=sink, stderr=subprocess.STDOUT)


def visible_feeds(out: Path) -> list[Path]:
    """Feed files a reader globbing ``output/tribun/*.jsonl`` would open."""
    return sorted(p for p in (out / "tribun").glob("*.jsonl") if not p.name.startswith("."))


def read_complete_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every line of ``path`` as a JSON object; fails on a partial or non-JSON line."""
    data = path.read_bytes()
    assert not data or data.endswith(b"\n"), f"{path} ends mid-line"
    items = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    assert all(isinstance(item, dict) for item in items)
    return items
