"""Page fixtures: one folder per saved page, ``tests/fixtures/pages/<name>/`` holding

* ``page.html``: the page as it was saved (bytes as served);
* ``meta.json``: the ``url`` it was fetched from, the ``layout`` expected to read it, a frozen ``crawled_at``,
  an optional ``http_date`` and where the page was saved from;
* ``expected.json``: the complete item the crawl emits for it, every field, written by a person who read the page.

``python -m tools.make_fixture new NAME HTML URL LAYOUT`` creates a folder from the current code: a *proposal*,
read every field against the page before committing it. It refuses to touch an existing folder.

``python -m tools.make_fixture diff [NAME ...]`` compares what the current code gives with each ``expected.json``
(all fixtures when no name is given) and prints a unified diff; it never overwrites an expected output. Exit
status 1 when any fixture differs. To accept a change, edit ``expected.json`` by hand after checking the page.
"""

from __future__ import annotations

import difflib
import json
import shutil
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.commands.extract import extract_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "pages"
CRAWLED_AT = "2026-11-25T12:00:00+00:00"


def load(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(meta, expected) of one fixture folder."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return meta, expected


def current_item(folder: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """The item the current code makes of the fixture's page."""
    return extract_file(folder / "page.html", meta["url"], datetime.fromisoformat(meta["crawled_at"]),
                        meta.get("http_date"))


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def diff(folder: Path) -> str:
    """Unified diff from ``expected.json`` to the current output; empty when they agree."""
    meta, expected = load(folder)
    lines = difflib.unified_diff(_dump(expected).splitlines(keepends=True),
                                 _dump(current_item(folder, meta)).splitlines(keepends=True),
                                 fromfile=f"{folder.name}/expected.json", tofile=f"{folder.name} (current code)")
    return "".join(lines)


def new(name: str, html: Path, url: str, layout: str) -> Path:
    folder = FIXTURES / name
    if folder.exists():
        raise FileExistsError(f"{folder} exists: use 'diff' to compare it with the current code")
    folder.mkdir(parents=True)
    shutil.copyfile(html, folder / "page.html")
    meta = {"url": url, "layout": layout, "crawled_at": CRAWLED_AT,
            "saved_from": str(html.relative_to(ROOT)) if html.is_relative_to(ROOT) else str(html)}
    (folder / "meta.json").write_text(_dump(meta), encoding="utf-8")
    (folder / "expected.json").write_text(_dump(current_item(folder, meta)), encoding="utf-8")
    return folder


def main(argv: list[str]) -> int:
    if argv[:1] == ["new"] and len(argv) == 5:
        _, name, html, url, layout = argv
        print(new(name, Path(html).resolve(), url, layout.strip()))
        return 0
    if argv[:1] == ["diff"]:
        names = argv[1:] or sorted(p.name for p in FIXTURES.iterdir() if (p / "meta.json").is_file())
        changed = 0
        for name in names:
            text = diff(FIXTURES / name)
            if text:
                changed += 1
                sys.stdout.write(text)
        print(f"{changed} of {len(names)} fixture(s) differ from the current code", file=sys.stderr)
        return 1 if changed else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
