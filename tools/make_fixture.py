"""Write a page fixture from the current code: ``python -m tools.make_fixture NAME HTML URL LAYOUT``.

The output is a *proposal*: read every field against the page before committing it.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from crawler.commands.extract import extract_file

ROOT = Path(__file__).resolve().parent.parent
CRAWLED_AT = "2026-11-25T12:00:00+00:00"


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    name, html, url, layout = argv
    item = extract_file(ROOT / html, url, datetime.fromisoformat(CRAWLED_AT).astimezone(UTC))
    case = {"html": html, "url": url, "layout": layout, "crawled_at": CRAWLED_AT, "expected": item}
    out = ROOT / "tests" / "fixtures" / "pages" / f"{name}.json"
    out.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
