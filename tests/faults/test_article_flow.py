"""The spider's article callback on real responses: a parser bug is `parser_error` (one ERROR line with its
traceback, the article lost, the crawl's callback returns normally), a page that is not text is
`not_an_article`, and the state object is all an article request carries."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

import crawler.workers
from crawler.article_flow import META_KEY, ArticleState
from crawler.items import Article
from crawler.spiders.tribun import TribunSpider
from crawler.workers import WorkerPool

ROOT = Path(__file__).resolve().parents[2]
URL = "https://solo.tribunnews.com/2020/10/09/pemkot-solo-siapkan-simulasi-sekolah-tatap-muka-di-20-smp"
PAGE = ROOT / "mirror" / "solo.tribunnews.com" / "2020" / "10" / "09" / (URL.rsplit("/", 1)[1] + "?page=all")


def _spider() -> TribunSpider:
    crawler = get_crawler(TribunSpider, {"TRIBUN_RECORD_RUN": False})
    spider = TribunSpider.from_crawler(crawler, urls=URL)
    crawler.spider = spider
    spider._workers = WorkerPool(0)  # in place: the code path of the worker processes, in this process
    return spider


def _run(spider: TribunSpider, response: Response) -> list[object]:
    async def collect() -> list[object]:
        return [output async for output in spider.parse_article(response)]
    return asyncio.run(collect())


def test_an_article_request_carries_one_state_object():
    spider = _spider()
    request = spider.article_request(URL, {"via": "sitemap"})
    assert [key for key in request.meta if key.startswith("tribun")] == [META_KEY]
    assert request.meta[META_KEY] == ArticleState(url=URL, discovered={"via": "sitemap"}, page="all")


def test_a_whole_page_becomes_its_article():
    spider = _spider()
    request = spider.article_request(URL, {"via": "sitemap"})
    response = HtmlResponse(request.url, body=PAGE.read_bytes(), request=request, encoding="utf-8")
    [article] = _run(spider, response)
    assert isinstance(article, Article) and article.url == URL and article.body
    assert spider.crawler.stats.get_value("tribun/articles/fetched") == 1


def test_a_parser_bug_is_a_parser_error_with_its_traceback(monkeypatch, caplog: pytest.LogCaptureFixture):
    def broken_parser(*args: object, **kwargs: object) -> None:
        raise AttributeError("'NoneType' object has no attribute 'get'")

    monkeypatch.setattr(crawler.workers, "parse_article", broken_parser)
    spider = _spider()
    request = spider.article_request(URL, {"via": "sitemap"})
    response = HtmlResponse(request.url, body=PAGE.read_bytes(), request=request, encoding="utf-8")
    with caplog.at_level(logging.INFO):
        outputs = _run(spider, response)
    # Neither an item nor a page-by-page retry: the same parser would fail on page 1 just the same.
    assert outputs == []
    stats = spider.crawler.stats
    assert stats.get_value("tribun/dropped/parser_error") == 1
    assert stats.get_value("tribun/dropped/not_an_article") is None
    assert stats.get_value("tribun/pages/page_all_failed") is None
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert URL in errors[0].getMessage()
    assert errors[0].exc_info is not None and errors[0].exc_info[0] is AttributeError


def test_a_page_that_is_not_text_is_not_an_article(caplog: pytest.LogCaptureFixture):
    spider = _spider()
    state = ArticleState(url=URL, page=1)
    request = spider._article_page_request(state)
    response = Response(request.url, body=b"\x89PNG\r\n\x1a\n\x00\x00", request=request,
                        headers={"Content-Type": "image/png"})
    with caplog.at_level(logging.WARNING):
        assert _run(spider, response) == []
    assert spider.crawler.stats.get_value("tribun/dropped/not_an_article") == 1
    assert spider.crawler.stats.get_value("tribun/dropped/parser_error") is None
    assert "image/png" in caplog.text
