from __future__ import annotations

import logging

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse

from crawler.logformatter import LogFormatter, shows_debug
from tests.crawlrun import run_crawl


@pytest.mark.parametrize(("level", "enabled", "expected"), [
    ("DEBUG", True, True), ("debug", True, True), (logging.DEBUG, True, True), (5, True, True),
    ("INFO", True, False), ("WARNING", True, False), (logging.ERROR, True, False),
    ("DEBUG", False, False),
    ("NOSUCHLEVEL", True, True),  # unknown: Scrapy decides; the lines are built as before
])
def test_shows_debug(level, enabled, expected):
    assert shows_debug(level, enabled) is expected


def test_the_per_page_and_per_item_lines_are_not_built_when_hidden():
    request = Request("https://bangka.tribunnews.com/2025/01/10/banjir")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    spider = Spider("tribun")
    quiet, verbose = LogFormatter(debug=False), LogFormatter(debug=True)
    assert quiet.crawled(request, response, spider) is None
    assert quiet.scraped({"url": request.url}, response, spider) is None
    assert verbose.crawled(request, response, spider)["level"] == logging.DEBUG
    assert verbose.scraped({"url": request.url}, response, spider)["level"] == logging.DEBUG
    # Everything else is Scrapy's, shown at every level.
    assert quiet.download_error(Exception("x"), request, spider)["level"] == logging.ERROR


def test_the_project_uses_it():
    from scrapy.utils.misc import load_object

    from crawler import settings

    assert load_object(settings.LOG_FORMATTER) is LogFormatter


def test_a_crawl_logs_crawled_and_scraped_lines_only_at_debug(tmp_path):
    quiet = run_crawl(tmp_path / "info", settings={"LOG_LEVEL": "INFO"})
    assert quiet.items and "Crawled (200)" not in quiet.log and "Scraped from" not in quiet.log
    verbose = run_crawl(tmp_path / "debug", settings={"LOG_LEVEL": "DEBUG"})
    assert "Crawled (200)" in verbose.log and verbose.log.count("Scraped from") == len(verbose.items)
