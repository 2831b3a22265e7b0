"""Reproducible benchmarks: ``make bench`` (``python -m bench``) prints a Markdown table and writes it to
``bench/results/latest.md``.

* :mod:`bench.extraction`: our parse + normalise against ``lxml.html.fromstring`` (the floor) and
  ``trafilatura.extract`` on the same bytes, per page;
* :mod:`bench.generic_layout`: how close the ``generic`` fallback layout comes to each era layout, field by
  field, on every known-layout page;
* :mod:`bench.crawl`: ``scrapy crawl tribun`` against a bare Scrapy spider (:mod:`bench.bare_spider`) over a
  loopback server (:mod:`bench.server`) that serves a generated mirror of N articles;
* :mod:`bench.state_store`: the cross-run state store at 1,000,000 URLs (run as a subprocess).
* :mod:`bench.discovery`: peak memory and time to the first article for a 1,000,000-URL sitemap and a backfill
  since 1995 over every portal.

Benchmarks are measurements, not tests: nothing here asserts a time, and no test imports this package.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MIRROR = ROOT / "mirror"
REAL_DIR = ROOT.parent / "shared" / "corpus" / "real"


def median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def fmt(value: float | None, digits: int = 2, suffix: str = "") -> str:
    if value is None or value != value:  # None or NaN
        return "–"
    return f"{value:,.{digits}f}{suffix}"
