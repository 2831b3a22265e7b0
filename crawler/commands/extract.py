"""``scrapy extract PAGE.html --url URL``: one saved page through the same parser and pipelines.

Prints the item as one JSON line (what the crawl would write), or the reason it would be dropped. A page k of a
split article gives its own body only, with ``pages`` the N its pager shows, and says so on stderr.
For debugging a page and for making fixtures: ``--crawled-at`` freezes the clock so output is stable.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from w3lib.encoding import html_to_unicode

from crawler import urls
from crawler.items import FetchedArticle
from crawler.normalise.article import normalise_article
from crawler.parsers import parse_article
from crawler.parsers.base import NotAnArticle
from crawler.pipelines.validate import missing_field


def extract_page(path: Path, url: str, crawled_at: datetime, http_date: str | None = None
                 ) -> tuple[dict, str | None]:
    """The item dict for one saved page, and a note when the page is one page of a split article (its body is
    then that page's only); raises NotAnArticle or ValueError (with the drop reason)."""
    _, html = html_to_unicode(None, path.read_bytes())
    raw = parse_article(html, url)
    fetched = FetchedArticle.from_pages(url=urls.canonical_url(url), pages=[raw], fetched_at=crawled_at,
                                        http_date=http_date, discovered={}, is_update=False)
    article = normalise_article(fetched)
    reason = missing_field(article)
    if reason:
        raise ValueError(f"would be dropped: {reason}")
    note = None
    if not raw.is_all_pages and raw.page_count > 1:
        note = (f"page {raw.page} of {raw.page_count}: body is this one page only (a crawl joins all "
                f"{raw.page_count} pages)")
    return asdict(article), note


def extract_file(path: Path, url: str, crawled_at: datetime, http_date: str | None = None) -> dict:
    """The item dict for one saved page (:func:`extract_page` without its note)."""
    return extract_page(path, url, crawled_at, http_date)[0]


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "PAGE.html --url URL [--crawled-at ISO] [--date HTTP-DATE]"

    def short_desc(self) -> str:
        return "Parse one saved article page and print its item as a JSON line"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", required=True, help="the page's URL (decides portal and time zone)")
        parser.add_argument("--crawled-at", help="freeze crawled_at (ISO 8601 with offset); default now")
        parser.add_argument("--date", help="HTTP Date header to resolve relative times against")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one saved page")
        path = Path(args[0])
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
        if not urls.in_network(opts.url):
            raise UsageError(f"--url {opts.url!r} is not a Tribun network URL")
        crawled_at = datetime.fromisoformat(opts.crawled_at) if opts.crawled_at else datetime.now(UTC)
        if crawled_at.tzinfo is None:
            raise UsageError("--crawled-at needs a UTC offset")
        try:
            item, note = extract_page(path, opts.url, crawled_at.astimezone(UTC), opts.date)
        except (NotAnArticle, ValueError) as exc:
            print(f"extract: {path}: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        if note:
            # On stderr: stdout stays exactly the JSON line a crawl would write.
            print(f"extract: {path}: {note}", file=sys.stderr)
        print(json.dumps(item, ensure_ascii=False))
