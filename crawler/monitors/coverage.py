"""Counts, for every item the feed exporter receives, which fields it fills, per portal, and whether it is
valid against ``schema/article.schema.json``.

Coverage lands in the stats as ``tribun/coverage/<portal>/items`` and ``tribun/coverage/<portal>/<field>``
(items with a value in that field): the close monitors judge it, the state extension stores it per run, and
the stats file keeps it. A field is missing when it is null, an empty string or an empty list: spidermon's
own field coverage (``SPIDERMON_ADD_FIELD_COVERAGE``) is not per portal, and counts ``False`` as missing.

Schema violations are ``tribun/schema/invalid`` and one WARNING line per item, naming the URL, the field and
the rule it breaks; the item is still written (it is not lost, and the verdict fails the run).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, fields, is_dataclass
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from scrapy import signals

from crawler.items import Article, json_schema

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

PREFIX = "tribun/coverage/"
ARTICLE_FIELDS = tuple(f.name for f in fields(Article))


def is_covered(value: Any) -> bool:
    """A field holds something: not null, not an empty string, not an empty list."""
    return value is not None and value != "" and value != []


def coverage_from_stats(stats: dict[str, Any]) -> dict[str, dict[str, tuple[int, int]]]:
    """``{portal: {field: (items, covered)}}`` from the ``tribun/coverage/*`` stats."""
    counts: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith(PREFIX):
            portal, _, name = key[len(PREFIX):].rpartition("/")
            if portal:
                counts.setdefault(portal, {})[name] = value
    return {portal: {name: (fields_["items"], fields_.get(name, 0)) for name in ARTICLE_FIELDS}
            for portal, fields_ in counts.items() if fields_.get("items")}


class CoverageCollector:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self.validator = Draft202012Validator(json_schema())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CoverageCollector:
        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        return ext

    def item_scraped(self, item: Any) -> None:
        if not is_dataclass(item):
            return
        record = asdict(item)
        portal = record.get("portal") or "unknown"
        self.stats.inc_value(f"{PREFIX}{portal}/items")
        for name in ARTICLE_FIELDS:
            if is_covered(record.get(name)):
                self.stats.inc_value(f"{PREFIX}{portal}/{name}")
        # The line as written (json round trip): tuples become lists, as a reader of the feed sees them.
        error = next(iter(self.validator.iter_errors(json.loads(json.dumps(record, default=str)))), None)
        if error is not None:
            self.stats.inc_value("tribun/schema/invalid")
            where = "/".join(str(p) for p in error.absolute_path) or "(item)"
            logger.warning("Item %s does not match the schema at %s: %s", record.get("url"), where,
                           error.message[:200])
