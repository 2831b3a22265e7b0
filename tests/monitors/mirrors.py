"""Defaced copies of the bundled mirror: the site as it looks after a redesign the parsers do not follow."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.crawlrun import MIRROR

# Every way a page names its writers: the structured author (JSON-LD, meta, dataLayer) and the visible
# credit lines, from the label up to the next tag.
_AUTHOR_KEYS = re.compile(r"""(["'])(author|penulis)\1(\s*:)|name=(["'])author\4""", re.I)
_CREDIT_LINES = re.compile(r"(Laporan\s+Wartawan|Penulis|Reporter|Pewarta|Kontributor)\b[^<]*", re.I)
# Every date a page carries: structured (JSON-LD, meta, dataLayer) and visible (<time>, "Rabu, 10 April 2019").
_DATE_KEYS = re.compile(r"""(["'])(date(Published|Modified|Created)|(article:)?(published|modified)_time|"""
                        r"""publish_date|pubdate|date)\1""", re.I)
_TIMES = re.compile(r"<time\b[^>]*>[^<]*</time>", re.I)
_VISIBLE_DATES = re.compile(r"\b\d{1,2}\s+(Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|"
                            r"November|Desember)\s+\d{4}(\s*,?\s*\d{1,2}[:.]\d\d)?(\s*(WIB|WITA|WIT))?", re.I)


def without_authors(html: str) -> str:
    html = _AUTHOR_KEYS.sub(lambda m: m.group(0).replace("uthor", "uthorship").replace("enulis", "enulisan"), html)
    return _CREDIT_LINES.sub("", html)


def without_dates(html: str) -> str:
    html = _DATE_KEYS.sub(lambda m: f"{m.group(1)}x{m.group(2)}{m.group(1)}", html)
    return _VISIBLE_DATES.sub("", _TIMES.sub("", html))


def defaced_mirror(dest: Path, deface: Callable[[str], str]) -> Path:
    """A copy of the mirror with ``deface`` applied to every HTML page (sitemaps, feeds and robots.txt as they
    are, so discovery finds the same articles)."""
    shutil.copytree(MIRROR, dest)
    for path in dest.rglob("*"):
        if path.is_file() and not path.name.endswith((".xml", ".txt", ".gz")):
            data = path.read_bytes()
            if b"<html" in data[:4000].lower():
                path.write_text(deface(data.decode("utf-8", "surrogateescape")), "utf-8", "surrogateescape")
    return dest
