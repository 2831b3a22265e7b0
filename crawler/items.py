"""The output schema: one :class:`Article` per line of JSONL, and its JSON Schema.

This module is the single definition of what the crawler emits. ``schema/article.schema.json`` at the
repository root is generated from :func:`json_schema` (``python -m crawler.items > schema/article.schema.json``)
and a test fails when the two drift apart.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from typing import Any

from crawler.parsers.base import RawArticle, merge_pages

SCHEMA_VERSION = "1.2"

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}}
_ISO = {"type": "string", "format": "date-time",
        "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$"}
_NISO = {**_ISO, "type": ["string", "null"]}
_HTTPS = {"type": "string", "pattern": r"^https://[a-z0-9.-]+\.[a-z]{2,}/"}
_NHTTP = {"type": ["string", "null"], "pattern": r"^https?://"}


def _field(schema: dict, doc: str, default: Any = MISSING) -> Any:
    """A dataclass field carrying its JSON Schema and its documentation (README table, schema file)."""
    meta = {"schema": schema, "doc": doc}
    if default is list:
        return field(default_factory=list, metadata=meta)
    if default is MISSING:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


_URL = {**_HTTPS, "pattern": r"^https://[a-z0-9.-]+/[^?#]*$"}


@dataclass(slots=True)
class Article:
    """One news article, whole (all pages merged), normalised.

    Field order is the order of keys in the JSON line. ``metadata["schema"]`` is the JSON Schema of the
    field and ``metadata["doc"]`` its meaning (the README table is built from the same words).
    """

    url: str = _field(_URL, "Canonical URL of page 1: https, desktop host (m. → www), no /amp/, no query, "
                            "no fragment. The article's identity across runs.")
    portal: str = _field({**_STR, "pattern": "^[a-z]+$"},
                         "Portal key: `tribunnews` for www/m, the sub-domain for regional portals.")
    site_name: str = _field({**_STR, "minLength": 1}, "Brand name of the portal (`Bangka Pos`, `TribunSolo.com`).")
    title: str = _field({**_STR, "minLength": 1}, "Headline; HTML entities decoded, Unicode NFC, whitespace "
                        "collapsed, site suffixes (` - Bangkapos.com`, ` - Halaman all`) removed.")
    lede: str | None = _field(_NSTR, "Summary/description as published, or null.", None)
    summary: list[str] = _field(_LIST, "Points of the page's \"Ringkasan Berita\" recap (`blockquote.summary-article`)"
                                " in order, one string each, without the heading; empty when the page has none. The "
                                "recap is never part of `body`.", list)
    body: str = _field({**_STR, "minLength": 1},
                       "Paragraph text of every page in order, paragraphs separated by a blank line; no dateline, "
                       "captions, 'Baca juga', ads, pagination, credit lines or syndication footer.", "")
    premium_teaser: bool = _field({"type": "boolean"}, "True when the page's structured data marks the article as not "
                                  "free (`isAccessibleForFree: false`, a premium article): `body` is then only the "
                                  "teaser the page shows, never the whole article.", False)
    authors: list[str] = _field(_LIST, "Writers and reporters in page order (`Penulis:`, `Laporan Wartawan <desk>, X`, "
                                "`Reporter:`, `Pewarta:`, `Kontributor:`), without role words, desks, outlets, e-mails "
                                "or initials codes; all-lower/upper-case names title-cased; de-duplicated. "
                                "Photo credits and an editor named as JSON-LD author are not authors.", list)
    editors: list[str] = _field(_LIST, "Editors (`Editor:` lines, else the JSON-LD `editor`) in page order, same "
                                "cleaning as authors.", list)
    source: str | None = _field(_NSTR, "Outlet credited as the article's origin (`Sumber:`, `Artikel ini telah tayang "
                                "di`, `via`), by its brand name from one registry (`intisari-online` → `Intisari "
                                "Online`); outlets merely cited in the text are not the source; null when uncredited.",
                                None)
    source_url: str | None = _field(_NHTTP, "URL of the original article when the credit gives one.", None)
    published_at: str = _field(_ISO, "Publication time, ISO 8601 with offset. Structured data (JSON-LD, meta, "
                               "dataLayer) over visible text (`Jumat, 4 Maret 2022 10:25 WIB`, `3 jam lalu`) over "
                               "the URL date; a time without zone takes the portal's (WIB/WITA/WIT); future or "
                               "pre-1995 values are rejected.", "")
    modified_at: str | None = _field(_NISO, "Last modification time (`dateModified`, `Diperbarui:`), ISO 8601, "
                                     "or null.", None)
    section: str | None = _field(_NSTR, "Section/rubric (`Metropolitan`, `Nasional`), or null. The most specific "
                                 "rubric of the JSON-LD breadcrumb (`Home › Nasional › Politik` → `Politik`) when "
                                 "`articleSection` is missing or one of its crumbs; else `articleSection`, the "
                                 "dataLayer, the visible breadcrumb.", None)
    tags: list[str] = _field(_LIST, "Tags in page order, de-duplicated.", list)
    image_url: str | None = _field(_NHTTP, "Lead image URL, or null.", None)
    image_caption: str | None = _field(_NSTR, "Lead image caption as the page shows it under the image, or null.",
                                       None)
    image_credit: str | None = _field(_NSTR, "Photo credit of the lead image as the page shows it on or under the "
                                      "image (`Tribun Jateng/Hermawan Handaka`), or null. Not part of the caption; "
                                      "never an author.", None)
    dateline: str | None = _field(_NSTR, "Place of the dateline, upper case (`JAKARTA` from "
                                  "`TRIBUNNEWS.COM, JAKARTA -`), or null.", None)
    pages: int | None = _field({"type": ["integer", "null"], "minimum": 1},
                               "How many pages the article was published on, as its pagination showed it (the pages "
                               "walked, or the pager of its whole-article view); null when unknown: a whole-article "
                               "view that shows no pagination does not tell whether the article has one page or "
                               "several.", None)
    language: str = _field({"const": "id"}, "Language code; always `id`.", "id")
    crawled_at: str = _field({**_ISO, "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$"},
                             "When the article was fetched, UTC.", "")
    fingerprint: str = _field({**_STR, "pattern": "^[0-9a-f]{32}$"}, "Hash of the body ignoring case, spacing and "
                              "punctuation (same text → same fingerprint across portals).", "")
    is_update: bool = _field({"type": "boolean"}, "True when re-emitted because the article changed since a previous "
                             "run (`-a updates=1`).", False)
    # Empty only in an Article built by hand (tests, tools): every item the crawler emits names its layout.
    layout: str = _field({**_STR, "pattern": "^[a-z0-9]*$"}, "The parser layout that read page 1 (`desktop2015`, "
                         "`desktop2017`, `desktop2023`, `mobile`, `amp`, or `generic`: no known layout matched, read "
                         "from structured data and the densest paragraph block).", "")
    copies: list[str] = _field({"type": "array", "items": _URL}, "URLs of copies of this article (another "
                               "portal's republication, see *Syndicated copies*) that were emitted before the "
                               "original was met, in an earlier run or earlier in this one: collapse them onto this "
                               "article. Empty otherwise.", list)
    schema_version: str = _field({"const": SCHEMA_VERSION}, "Version of this schema.", SCHEMA_VERSION)


@dataclass(slots=True)
class FetchedArticle:
    """A whole article's raw evidence plus fetch context.

    Not exported; :func:`crawler.normalise.article.normalise_article` turns it into an :class:`Article` (in the
    crawl, in the worker task that reads the article's last page: :mod:`crawler.article_flow`).
    """

    url: str                      # canonical page-1 URL
    raw: RawArticle               # page 1's fields, with every page's paragraphs merged in order
    fetched_at: datetime          # aware UTC time the first page was received
    http_date: str | None = None  # the response's Date header (base for relative dates like "3 jam lalu")
    pages: int | None = 1         # how many pages the article was published on; None when unknown
    discovered: dict = field(default_factory=dict)  # sitemap/RSS/listing facts: lastmod, publication_date, title
    is_update: bool = False       # set by the dedup middleware when re-fetched because it changed

    @classmethod
    def from_pages(cls, url: str, pages: list[RawArticle], fetched_at: datetime, http_date: str | None,
                   discovered: dict, is_update: bool) -> FetchedArticle:
        """The article's pages (in order, page 1 first) with their fetch context and :func:`known_page_count`."""
        return cls(url=url, raw=merge_pages(pages), fetched_at=fetched_at, http_date=http_date,
                   pages=known_page_count(pages),
                   discovered=discovered, is_update=is_update)


def known_page_count(pages: list[RawArticle]) -> int | None:
    """How many pages an article has, from the pages read of it (page 1 first), or None when they do not say.

    Pages walked one by one are the count. A whole-article view (``?page=all``) counts only when it shows its
    pagination: one that shows none is the same for a one-page article and for a split one whose view hides
    its pager, so the count is unknown. A single numbered or plain page says what its pager shows (page k of
    N: N; no pager on a plain page: one page).
    """
    if not pages:
        return None
    first = pages[0]
    if len(pages) > 1:
        return len(pages)
    if first.is_all_pages:
        return first.page_count if first.page_count > 1 else None
    return max(first.page_count, first.page, 1)


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
