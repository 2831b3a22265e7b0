"""One saved page per layout era → the exact item the crawl would emit, every field asserted.

Each ``tests/fixtures/pages/<name>.json`` names a saved page (``html``, relative to the repository
root — most live in the bundled mirror at their real URLs), the ``url`` it was fetched from, a frozen
``crawled_at`` and the complete ``expected`` item. ``python -m tools.make_fixture`` writes a new one
from the current code for review; a fixture is only committed after a person has checked each field.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest

from crawler.commands.extract import extract_file
from crawler.items import json_schema

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.json"))
VALIDATOR = jsonschema.Draft202012Validator(json_schema())


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_page_gives_expected_item(fixture: Path):
    case = load(fixture)
    item = extract_file(ROOT / case["html"], case["url"], datetime.fromisoformat(case["crawled_at"]),
                        case.get("http_date"))
    expected = case["expected"]
    assert sorted(item) == sorted(expected), "fixture must assert every field"
    for name in expected:
        assert item[name] == expected[name], f"{fixture.stem}: field {name!r}"
    VALIDATOR.validate(item)


def test_every_layout_era_has_a_fixture():
    from crawler.parsers import LAYOUTS

    covered = {load(f).get("layout") for f in FIXTURES}
    missing = {layout.NAME for layout in LAYOUTS} - covered
    assert not missing, f"layouts without a page fixture: {sorted(missing)}"


def test_real_pages_and_seed_have_fixtures():
    pages = {load(f)["html"] for f in FIXTURES}
    assert any("kadishub-dki-taksi-uber" in p for p in pages), "real 2015 page"
    assert any("protokol-kesehatan-3m" in p for p in pages), "real 2020 page"
    assert any("aliansi-militer-csto" in p for p in pages), "seed article page"


def test_2026_pages_have_fixtures():
    cases = [load(f) for f in FIXTURES if "/7" in load(f)["url"]]  # numeric-id URLs: the 2025+ www shape
    assert any(c["expected"]["premium_teaser"] for c in cases), "2026 premium page"
    assert any(not c["expected"]["premium_teaser"] and c["expected"]["summary"] for c in cases), "2026 regular page"
