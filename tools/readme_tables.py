"""Regenerate the README's field and portal tables from the code: ``python -m tools.readme_tables``.

The tables sit between ``<!-- fields:start -->``/``<!-- fields:end -->`` (and ``portals``) markers;
``tests/test_readme.py`` fails when they drift from ``crawler/items.py`` or ``crawler/portals.py``.
"""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from crawler.items import Article
from crawler.portals import PORTALS

README = Path(__file__).resolve().parent.parent / "README.md"


def _type(schema: dict) -> str:
    kind = schema.get("type", "const")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        return "list of string"
    return kind


def fields_table() -> str:
    rows = ["| field | type | meaning and normalisation |", "|---|---|---|"]
    for f in fields(Article):
        rows.append(f"| `{f.name}` | {_type(f.metadata['schema'])} | {f.metadata['doc']} |")
    return "\n".join(rows)


def portals_table() -> str:
    rows = ["| key | host | brand | time zone |", "|---|---|---|---|"]
    for p in PORTALS:
        offset = p.tz.utcoffset(None)
        hours = int(offset.total_seconds() // 3600) if offset is not None else 0
        rows.append(f"| `{p.key}` | {p.host} | {p.brand} | {p.tz.tzname(None)} (+{hours:02d}:00) |")
    return "\n".join(rows)


def render(text: str) -> str:
    for name, table in (("fields", fields_table()), ("portals", portals_table())):
        text = re.sub(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)",
                      lambda m, t=table: f"{m.group(1)}{t}\n{m.group(2)}", text, flags=re.S)
    return text


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
