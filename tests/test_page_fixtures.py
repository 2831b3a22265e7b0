"""One saved page per layout era → the exact item the crawl would emit, every field asserted.

Each ``tests/fixtures/pages/<name>/`` folder holds ``page.html`` (the saved page), ``meta.json`` (the ``url`` it
was fetched from, the ``layout`` that must read it, a frozen ``crawled_at``) and ``expected.json`` (the complete
item). ``python -m tools.make_fixture new …`` proposes a folder from the current code and ``… diff`` shows how
the current code's output differs from each ``expected.json``; a fixture is only committed after a person has
checked each field against the page.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import fields
from pathlib import Path

import jsonschema
import pytest

from crawler.items import Article, json_schema
from tools import make_fixture

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(p for p in (ROOT / "tests" / "fixtures" / "pages").iterdir() if (p / "meta.json").is_file())
VALIDATOR = jsonschema.Draft202012Validator(json_schema())
ARTICLE_FIELDS = sorted(f.name for f in fields(Article))


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_page_gives_expected_item(fixture: Path):
    meta, expected = make_fixture.load(fixture)
    item = make_fixture.current_item(fixture, meta)
    assert sorted(expected) == ARTICLE_FIELDS, "fixture must assert every field"
    # The layout that read the page is part of the item: a page read by another layout fails here.
    assert expected["layout"] == meta["layout"]
    for name in expected:
        assert item[name] == expected[name], f"{fixture.name}: field {name!r}"
    VALIDATOR.validate(item)


def test_every_registered_layout_has_a_fixture():
    from crawler.parsers import LAYOUTS

    covered = {make_fixture.load(f)[0]["layout"] for f in FIXTURES}
    missing = {layout.NAME for layout in LAYOUTS} - covered
    assert not missing, f"layouts without a page fixture: {sorted(missing)}"


def test_every_fixture_folder_is_complete():
    for folder in FIXTURES:
        assert {p.name for p in folder.iterdir()} >= {"page.html", "meta.json", "expected.json"}, folder.name


def test_real_pages_and_seed_have_fixtures():
    sources = {make_fixture.load(f)[0]["saved_from"] for f in FIXTURES}
    assert any("kadishub-dki-taksi-uber" in p for p in sources), "real 2015 page"
    assert any("protokol-kesehatan-3m" in p for p in sources), "real 2020 page"
    assert any("aliansi-militer-csto" in p for p in sources), "seed article page"


def test_2026_pages_have_fixtures():
    cases = [make_fixture.load(f) for f in FIXTURES]
    cases = [expected for meta, expected in cases if "/7" in meta["url"]]  # numeric-id URLs: the 2025+ www shape
    assert any(c["premium_teaser"] for c in cases), "2026 premium page"
    assert any(not c["premium_teaser"] and c["summary"] for c in cases), "2026 regular page"


def test_diff_shows_a_change_and_overwrites_nothing(tmp_path: Path):
    folder = tmp_path / "case"
    shutil.copytree(FIXTURES[0], folder)
    assert make_fixture.diff(folder) == ""
    expected_file = folder / "expected.json"
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    expected["title"] = "A title the page does not have"
    expected_file.write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    before = expected_file.read_bytes()
    text = make_fixture.diff(folder)
    assert '-  "title": "A title the page does not have",' in text
    assert expected_file.read_bytes() == before


def test_new_refuses_an_existing_folder():
    with pytest.raises(FileExistsError):
        make_fixture.new(FIXTURES[0].name, FIXTURES[0] / "page.html", "https://www.tribunnews.com/x", "generic")
