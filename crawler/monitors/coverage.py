"""Counts, for every item the feed exporter receives, which fields it fills, per portal, and whether it is
valid against ``schema/article.schema.json``.

Coverage lands in the stats as ``tribun/coverage/<portal>/items`` and ``tribun/coverage/<portal>/<field>``
(items with a value in that field): the close monitors judge it, the state extension stores it per run, and
the stats file keeps it. A field is missing when it is null, an empty string or an empty list: spidermon's
own field coverage (``SPIDERMON_ADD_FIELD_COVERAGE``) is not per portal, and counts ``False`` as missing.

Schema violations are ``tribun/schema/invalid`` and one WARNING line per item, naming the URL, the field and
the rule it breaks; the item is still written (it is not lost, and the verdict fails the run).

The counts are kept here and added to the stats every ``FLUSH_EVERY`` items and when the spider closes (this
collector's handler runs before the monitors', whose extension is built after it): two dozen stats updates
per item through Scrapy's stats collector cost more than the rest of this check.

Every item is checked against the schema compiled once into plain per-field predicates (:func:`compile_schema`);
jsonschema itself reads only an item that check rejects, so the verdict and the WARNING line are jsonschema's.
A general jsonschema validation cost more than a millisecond per item on the crawl's one thread.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
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
FLUSH_EVERY = 200  # items counted before the counts are added to the stats


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


Check = Callable[[Any], bool]
# Keywords that only annotate under draft 2020-12 (``format`` asserts nothing without a format checker, which
# the collector does not pass).
_ANNOTATIONS = {"description", "title", "format", "$comment", "examples", "default"}
# Python types of the values JSON writes as they are, by JSON type. Anything else (a datetime written with
# str(), a subclass, a dict, an integral float, which JSON Schema counts as an integer) is left to jsonschema,
# which reads the item as written.
_TYPES: dict[str, frozenset[type]] = {
    "string": frozenset({str}), "null": frozenset({type(None)}), "boolean": frozenset({bool}),
    "integer": frozenset({int}), "array": frozenset({list, tuple}),
}
_PLAIN = frozenset({str, int, float, bool, type(None), list, tuple})
_ABSENT = object()


def _compile(schema: Any) -> Check | None:
    """A predicate that is True only for values valid against ``schema``; None when ``schema`` uses a keyword
    this does not know (then jsonschema judges every item)."""
    if not isinstance(schema, dict) or set(schema) - _ANNOTATIONS - {"type", "const", "pattern", "minLength",
                                                                      "minimum", "items"}:
        return None
    allowed = _PLAIN
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if any(n not in _TYPES for n in names):
            return None
        allowed = frozenset().union(*(_TYPES[n] for n in names))
    const = schema.get("const", _ABSENT)
    if const is not _ABSENT and type(const) is not str:
        return None
    search = re.compile(schema["pattern"]).search if "pattern" in schema else None
    least = schema.get("minLength", 0)
    floor = schema.get("minimum")
    item = _compile(schema["items"]) if "items" in schema else None
    if "items" in schema and item is None:
        return None

    def check(value: Any) -> bool:
        kind = type(value)
        if kind not in allowed:
            return False
        if kind is str:
            return ((const is _ABSENT or value == const) and (search is None or search(value) is not None)
                    and len(value) >= least)
        if const is not _ABSENT:
            return False
        if kind is int or kind is float:  # a bool is not a number in JSON Schema
            return floor is None or value >= floor
        if item is not None and (kind is list or kind is tuple):
            return all(item(x) for x in value)
        return True

    return check


def compile_schema(schema: dict[str, Any], names: tuple[str, ...]) -> Callable[[Any], bool] | None:
    """A check of objects whose attributes are ``names`` (a dataclass such as :class:`Article`) against
    ``schema``: True only when jsonschema would find the object, written as JSON, valid. None when the schema
    uses something it does not compile, or the names alone break it (a missing or unknown property)."""
    known = {"$schema", "$id", "type", "additionalProperties", "required", "properties"} | _ANNOTATIONS
    properties = schema.get("properties", {})
    if (set(schema) - known or schema.get("type") != "object" or schema.get("additionalProperties") is not False
            or set(schema.get("required", ())) - set(names) or set(names) - set(properties)):
        return None
    checks = [(name, _compile(properties[name])) for name in names]
    if any(check is None for _, check in checks):
        return None

    def check_all(obj: Any) -> bool:
        for name, check in checks:  # noqa: SIM110 (a plain loop: no generator per item)
            if not check(getattr(obj, name)):  # type: ignore[misc]
                return False
        return True

    return check_all


class CoverageCollector:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats
        self._inc = crawler.stats.inc_value  # looked up once: the stats collector wraps every attribute access
        self.validator = Draft202012Validator(json_schema())
        self._checks: dict[type, Callable[[Any], bool] | None] = {}
        self._counts: dict[str, int] = {}  # coverage stats not yet added to the stats collector
        self._pending = 0
        # portal -> (its items key, (field, its key) for every field), built once per portal
        self._keys: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CoverageCollector:
        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.flush, signal=signals.spider_closed)
        return ext

    def flush(self) -> None:
        """Adds the counts kept so far to the stats."""
        for key, count in self._counts.items():
            self._inc(key, count)
        self._counts.clear()
        self._pending = 0

    def item_scraped(self, item: Any) -> None:
        if not is_dataclass(item):
            return
        portal = getattr(item, "portal", None) or "unknown"
        keys = self._keys.get(portal)
        if keys is None:
            keys = self._keys[portal] = (f"{PREFIX}{portal}/items",
                                         tuple((name, f"{PREFIX}{portal}/{name}") for name in ARTICLE_FIELDS))
        counts = self._counts
        counts[keys[0]] = counts.get(keys[0], 0) + 1
        for name, key in keys[1]:
            if is_covered(getattr(item, name, None)):
                counts[key] = counts.get(key, 0) + 1
        self._pending += 1
        if self._pending >= FLUSH_EVERY:
            self.flush()
        kind = type(item)
        if kind not in self._checks:
            self._checks[kind] = compile_schema(self.validator.schema, tuple(f.name for f in fields(item)))
        check = self._checks[kind]
        if check is not None and check(item):
            return
        record = asdict(item)
        # The line as written (json round trip): tuples become lists, as a reader of the feed sees them.
        error = next(iter(self.validator.iter_errors(json.loads(json.dumps(record, default=str)))), None)
        if error is not None:
            self.stats.inc_value("tribun/schema/invalid")
            where = "/".join(str(p) for p in error.absolute_path) or "(item)"
            logger.warning("Item %s does not match the schema at %s: %s", record.get("url"), where,
                           error.message[:200])
