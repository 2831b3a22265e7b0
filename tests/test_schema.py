"""The published JSON Schema file is generated from crawler/items.py and must not drift from it."""

import json
from dataclasses import asdict, fields
from pathlib import Path

import jsonschema
import pytest

from crawler.items import SCHEMA_VERSION, Article, json_schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "article.schema.json"


def valid_article(**changes) -> dict:
    article = Article(
        url="https://bangka.tribunnews.com/2022/03/21/slug", portal="bangka", site_name="Bangka Pos",
        title="Judul", body="Isi.", published_at="2022-03-21T10:25:00+07:00",
        crawled_at="2026-11-25T22:00:00+00:00", fingerprint="0" * 32,
    )
    return {**asdict(article), **changes}


def test_schema_file_matches_items_module():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_schema(), (
        "regenerate with: python -m crawler.items > schema/article.schema.json"
    )


def test_every_field_is_required_and_documented():
    schema = json_schema()
    names = [f.name for f in fields(Article)]
    assert schema["required"] == names
    assert all(schema["properties"][n]["description"] for n in names)
    assert valid_article()["schema_version"] == SCHEMA_VERSION


def test_valid_article_passes():
    jsonschema.Draft202012Validator(json_schema()).validate(valid_article())


@pytest.mark.parametrize("change", [
    {"url": "https://m.tribunnews.com/x?page=2"},
    {"url": "http://www.tribunnews.com/x"},
    {"published_at": "2022-03-21 10:25"},
    {"published_at": "2022-03-21T10:25:00"},
    {"crawled_at": "2022-03-21T10:25:00+07:00"},
    {"title": ""},
    {"body": ""},
    {"authors": [""]},
    {"pages": 0},
    {"language": "en"},
    {"fingerprint": "xyz"},
    {"extra": 1},
])
def test_invalid_article_fails(change):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(json_schema()).validate(valid_article(**change))
