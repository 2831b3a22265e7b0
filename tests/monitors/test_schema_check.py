"""The schema check compiled from schema/article.schema.json agrees with jsonschema on every item it passes, and
the coverage collector still reports jsonschema's verdict for the items it does not."""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from crawler.items import Article, json_schema
from crawler.monitors.coverage import ARTICLE_FIELDS, CoverageCollector, compile_schema
from tests.monitors.test_monitors import project_crawler

GOOD = Article(url="https://bangka.tribunnews.com/2025/01/10/banjir", portal="bangka", site_name="Bangka Pos",
               title="Banjir", body="Air naik.", published_at="2025-01-10T10:00:00+07:00",
               crawled_at="2025-01-10T04:00:00+00:00", fingerprint="0" * 32, authors=["Adi"], pages=2)

# Each breaks one rule of the schema, or sits at its edge (the comment says which).
VARIANTS: list[dict[str, Any]] = [
    {},  # valid
    {"authors": ("Adi", "Budi")},  # a tuple is written as a JSON array: valid
    {"pages": None},  # valid
    {"pages": 1},  # the minimum itself: valid
    {"published_at": "2025-01-10T10:00:00.123+07:00"},  # fractions of a second: valid
    {"published_at": "2025-01-11"},  # a day, not a time with offset
    {"modified_at": "2025-01-11T10:00:00"},  # no offset
    {"crawled_at": "2025-01-10T11:00:00+07:00"},  # crawled_at is UTC
    {"title": ""},  # minLength
    {"authors": ["Adi", ""]},  # an item's minLength
    {"tags": [3]},  # an item's type
    {"pages": 0},  # below the minimum
    {"pages": True},  # a bool is not an integer
    {"pages": 2.0},  # an integral float: jsonschema's call
    {"pages": 1.5},
    {"language": "en"},  # const
    {"schema_version": 1.2},  # const of another type
    {"url": "https://bangka.tribunnews.com/a?page=2"},  # pattern
    {"copies": ["http://bangka.tribunnews.com/a"]},  # an item's pattern
    {"image_url": "ftp://x"},
    {"fingerprint": "0" * 31},
    {"lede": 5},  # type
    {"premium_teaser": 1},
    {"body": None},
    {"section": datetime(2025, 1, 10, tzinfo=UTC)},  # written with str(): a string
    {"crawled_at": datetime(2025, 1, 10, tzinfo=UTC)},  # written as "2025-01-10 00:00:00+00:00"
]


def jsonschema_valid(article: Article) -> bool:
    line = json.loads(json.dumps(dataclasses.asdict(article), default=str))
    return Draft202012Validator(json_schema()).is_valid(line)


def test_the_project_schema_compiles():
    assert compile_schema(json_schema(), ARTICLE_FIELDS) is not None


@pytest.mark.parametrize("change", VARIANTS, ids=lambda c: ",".join(f"{k}={v!r}" for k, v in c.items()) or "good")
def test_compiled_check_passes_only_what_jsonschema_passes(change):
    check = compile_schema(json_schema(), ARTICLE_FIELDS)
    assert check is not None
    article = dataclasses.replace(GOOD, **change)
    if check(article):
        assert jsonschema_valid(article)
    # The items the crawl writes take the cheap path: every valid variant of plain JSON values passes.
    if jsonschema_valid(article) and not isinstance(next(iter(change.values()), None), (float, datetime)):
        assert check(article)


def test_collector_reports_jsonschemas_verdict_on_every_variant(caplog):
    crawler = project_crawler()
    crawler.stats.open_spider()
    collector = CoverageCollector(crawler)
    with caplog.at_level(logging.WARNING):
        for change in VARIANTS:
            collector.item_scraped(dataclasses.replace(GOOD, **change))
    invalid = [c for c in VARIANTS if not jsonschema_valid(dataclasses.replace(GOOD, **c))]
    # 7 valid variants above: the first five, the integral float (2.0 is an integer to JSON Schema) and the
    # datetime section (a string once written)
    assert len(invalid) == len(VARIANTS) - 7
    assert crawler.stats.get_value("tribun/schema/invalid") == len(invalid)
    warnings = [r.getMessage() for r in caplog.records if "does not match the schema" in r.getMessage()]
    assert len(warnings) == len(invalid)


@pytest.mark.parametrize("schema", [
    {**json_schema(), "additionalProperties": True},
    {**json_schema(), "required": [*ARTICLE_FIELDS, "extra"]},
    {**json_schema(), "properties": {**json_schema()["properties"], "title": {"type": "string", "maxLength": 5}}},
    {**json_schema(), "properties": {**json_schema()["properties"], "pages": {"type": "number"}}},
])
def test_what_does_not_compile_is_left_to_jsonschema(schema):
    assert compile_schema(schema, ARTICLE_FIELDS) is None


def test_a_value_json_writes_with_str_is_judged_as_written():
    # No type keyword: only the string the feed holds ("2025-01-10 00:00:00+00:00") can be matched.
    schema = {**json_schema(), "properties": {**json_schema()["properties"], "section": {"pattern": "^2024"}}}
    check = compile_schema(schema, ARTICLE_FIELDS)
    assert check is not None
    article = dataclasses.replace(GOOD, section=datetime(2025, 1, 10, tzinfo=UTC))
    assert not Draft202012Validator(schema).is_valid(json.loads(json.dumps(dataclasses.asdict(article), default=str)))
    assert not check(article)
