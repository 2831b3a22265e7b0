"""crawler.feeds.JsonLinesExporter writes exactly what Scrapy's JsonLinesItemExporter writes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.exporters import JsonLinesItemExporter

from crawler.feeds import JsonLinesExporter
from crawler.items import FetchedArticle
from crawler.normalise.article import normalise_article
from crawler.parsers import NotAnArticle, parse_article
from tests.exporting import export_bytes

ROOT = Path(__file__).resolve().parents[1]


def _articles() -> list:
    found = []
    for path in sorted((ROOT / "mirror").rglob("*")):
        if not path.is_file() or "/20" not in path.as_posix():
            continue
        url = "https://" + path.relative_to(ROOT / "mirror").as_posix()
        try:
            raw = parse_article(path.read_bytes(), url, encoding="utf-8")
        except NotAnArticle:
            continue
        found.append(normalise_article(FetchedArticle(url=url.split("?")[0], raw=raw,
                                                      fetched_at=datetime(2025, 1, 2, tzinfo=UTC))))
    return found


ARTICLES = _articles()


_export = export_bytes


@pytest.mark.parametrize("options", [{}, {"fields_to_export": ["url", "title", "authors"]},
                                     {"export_empty_fields": True}, {"indent": 0}])
def test_same_bytes_as_scrapys_exporter(options):
    assert len(ARTICLES) >= 40
    ours = _export(JsonLinesExporter, ARTICLES, **options)
    assert ours == _export(JsonLinesItemExporter, ARTICLES, **options)


def test_other_items_take_scrapys_path():
    items = [{"url": "https://bangka.tribunnews.com/x", "n": 1}]
    assert _export(JsonLinesExporter, items) == _export(JsonLinesItemExporter, items)
