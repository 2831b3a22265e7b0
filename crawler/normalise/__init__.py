"""Pure normalisers for article fields (no Scrapy imports): text, people, source, dates.

Every public function is total (any input → a valid value or None, never an exception) and idempotent.
"""

from crawler.normalise.dates import parse_date, parse_http_date, resolve_modified, resolve_published, to_iso
from crawler.normalise.people import Credits, clean_name, parse_credit_line, resolve_people
from crawler.normalise.source import OUTLETS, normalise_outlet, parse_source
from crawler.normalise.text import (
    body_from_paragraphs,
    clean_title,
    fingerprint,
    normalise_text,
    split_credit_paragraphs,
    split_dateline,
)

__all__ = [
    "OUTLETS",
    "Credits",
    "body_from_paragraphs",
    "clean_name",
    "clean_title",
    "fingerprint",
    "normalise_outlet",
    "normalise_text",
    "parse_credit_line",
    "parse_date",
    "parse_http_date",
    "parse_source",
    "resolve_modified",
    "resolve_people",
    "resolve_published",
    "split_credit_paragraphs",
    "split_dateline",
    "to_iso",
]
