"""The output schema: one :class:`Article` per line of JSONL, and its JSON Schema.

This module is the single definition of what the crawler emits. ``schema/article.schema.json`` at the
repository root is generated from :func:`json_schema` (``python -m crawler.items > schema/article.schema.json``)
and a test fails when the two drift apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.parsers.base import RawArticle

SCHEMA_VERSION = "1.0"

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}}
_ISO = {"type": "string", "format": "date-time",
        "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$"}
_NISO = {**_ISO, "type": ["string", "null"]}
_HTTPS = {"type": "string", "pattern": r"^https://[a-z0-9.-]+\.[a-z]{2,}/"}
_NHTTP = {"type": ["string", "null"], "pattern": r"^https?://"}


@dataclass(slots=True)
class Article:
    """One news article, whole (all pages merged), normalised.

    Field order is the order of keys in the JSON line. ``metadata["schema"]`` is the JSON Schema of the
    field and ``metadata["doc"]`` its meaning (the README table is built from the same words).
    """

    url: str = field(metadata={"schema": {**_HTTPS, "pattern": r"^https://[a-z0-9.-]+/[^?#]*$"},
                               "doc": "Canonical URL of page 1: https, desktop host, no /amp/, no query, no fragment."})
    portal: str = field(metadata={"schema": {**_STR, "pattern": "^[a-z]+$"},
                                  "doc": "Portal key: `tribunnews` for www/m, the sub-domain for regional portals."})
    site_name: str = field(metadata={"schema": {**_STR, "minLength": 1},
                                     "doc": "Brand name of the portal (`Bangka Pos`, `TribunSolo.com`)."})
    title: str = field(metadata={"schema": {**_STR, "minLength": 1},
                                 "doc": "Headline without site suffixes (` - Bangkapos.com`, ` - Halaman all`)."})
    lede: str | None = field(default=None, metadata={"schema": _NSTR,
                             "doc": "Summary/description as published, or null."})
    body: str = field(default="", metadata={"schema": {**_STR, "minLength": 1},
                      "doc": "Paragraph text of every page in order, paragraphs separated by a blank line; "
                             "no dateline, captions, 'Baca juga', ads, pagination or syndication footer."})
    authors: list[str] = field(default_factory=list, metadata={"schema": _LIST,
                               "doc": "Writers and reporters in page order, without role words, desks or codes."})
    editors: list[str] = field(default_factory=list, metadata={"schema": _LIST,
                               "doc": "Editors in page order."})
    source: str | None = field(default=None, metadata={"schema": _NSTR,
                               "doc": "Outlet credited as the article's origin (`Sumber:`, `Artikel ini telah tayang di`, "
                                      "`via`), by its brand name; null when not credited."})
    source_url: str | None = field(default=None, metadata={"schema": _NHTTP,
                                   "doc": "URL of the original article when the credit gives one."})
    published_at: str = field(default="", metadata={"schema": _ISO,
                              "doc": "Publication time, ISO 8601 with the portal's UTC offset."})
    modified_at: str | None = field(default=None, metadata={"schema": _NISO,
                                    "doc": "Last modification time (`dateModified`, `Diperbarui:`), ISO 8601, or null."})
    section: str | None = field(default=None, metadata={"schema": _NSTR,
                                "doc": "Section/rubric (`Metropolitan`, `Nasional`), or null."})
    tags: list[str] = field(default_factory=list, metadata={"schema": _LIST,
                            "doc": "Tags in page order, de-duplicated."})
    image_url: str | None = field(default=None, metadata={"schema": _NHTTP,
                                  "doc": "Lead image URL, or null."})
    image_caption: str | None = field(default=None, metadata={"schema": _NSTR,
                                      "doc": "Lead image caption (with its photo credit), or null."})
    dateline: str | None = field(default=None, metadata={"schema": _NSTR,
                                 "doc": "Place of the dateline (`JAKARTA` from `TRIBUNNEWS.COM, JAKARTA -`), or null."})
    pages: int = field(default=1, metadata={"schema": {"type": "integer", "minimum": 1},
                       "doc": "How many pages the article was published on."})
    language: str = field(default="id", metadata={"schema": {"const": "id"},
                          "doc": "Language code; always `id`."})
    crawled_at: str = field(default="", metadata={"schema": {**_ISO, "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$"},
                            "doc": "When the article was fetched, UTC."})
    fingerprint: str = field(default="", metadata={"schema": {**_STR, "pattern": "^[0-9a-f]{32}$"},
                             "doc": "Hash of the normalised body (same text → same fingerprint across portals)."})
    is_update: bool = field(default=False, metadata={"schema": {"type": "boolean"},
                            "doc": "True when re-emitted because the article changed since a previous run (`-a updates=1`)."})
    schema_version: str = field(default=SCHEMA_VERSION, metadata={"schema": {"const": SCHEMA_VERSION},
                                "doc": "Version of this schema."})


@dataclass(slots=True)
class FetchedArticle:
    """What the spider hands to the pipelines: a whole article's raw evidence plus fetch context.

    Not exported; :class:`crawler.pipelines.normalise.NormalisePipeline` turns it into an :class:`Article`.
    """

    url: str                      # canonical page-1 URL
    raw: RawArticle               # page 1's fields, with every page's paragraphs merged in order
    fetched_at: datetime          # aware UTC time the first page was received
    http_date: str | None = None  # the response's Date header (base for relative dates like "3 jam lalu")
    pages: int = 1
    discovered: dict = field(default_factory=dict)  # sitemap/RSS/listing facts: lastmod, publication_date, title
    is_update: bool = False       # set by the dedup middleware when re-fetched because it changed


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) every emitted line satisfies."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/tribun-crawler/tribun-crawler/schema/article.schema.json",
        "title": "Tribun article",
        "description": f"One line of tribun-crawler JSONL output, schema version {SCHEMA_VERSION}.",
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields(Article)],
        "properties": {f.name: {**f.metadata["schema"], "description": f.metadata["doc"]} for f in fields(Article)},
    }


if __name__ == "__main__":
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
