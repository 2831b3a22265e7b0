"""The spider's side of failures: stable error kinds, refused arguments, picklable requests (JOBDIR)."""

from __future__ import annotations

import gzip
import os
import pickle
import subprocess
import sys
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.request import request_from_dict
from twisted.python.failure import Failure

from crawler.article_flow import META_KEY
from crawler.middlewares.network import OffNetworkRequest, RedirectLoop
from crawler.spiders.tribun import SpiderArgumentError, TribunSpider, error_kind

ROOT = Path(__file__).resolve().parents[2]
URL = "https://bangka.tribunnews.com/2022/03/21/uji-coba"


def _failure(exc: BaseException) -> Failure:
    try:
        raise exc
    except BaseException:
        return Failure()


def _bad_gzip() -> BaseException:
    try:
        gzip.decompress(b"<html>not gzip</html>")
    except Exception as exc:
        return exc
    raise AssertionError("gzip accepted garbage")


@pytest.mark.parametrize("exc, kind", [
    (HttpError(HtmlResponse(URL, status=503), "Ignoring non-200 response"), "http_503"),
    (DownloadTimeoutError("Getting x took longer than 2 seconds."), "timeout"),
    (DownloadFailedError("connection lost"), "connection_lost"),
    (DownloadConnectionRefusedError("refused"), "connection_refused"),
    (ResponseDataLossError(), "data_loss"),
    (DownloadCancelledError(""), "too_large"),
    (IgnoreRequest("Ignored response because its body exceeded DOWNLOAD_MAXSIZE (5 B) during decompression."),
     "too_large"),
    (_bad_gzip(), "bad_encoding"),
    (zlib.error("Error -3 while decompressing data"), "bad_encoding"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots_forbidden"),
    (IgnoreRequest("max redirections reached"), "too_many_redirects"),
    (OffNetworkRequest("not a Tribun network URL: https://evil.example/"), "offsite"),
    (RedirectLoop("redirect loop: a -> b -> a"), "redirect_loop"),
    (IgnoreRequest("already emitted by an earlier run"), "ignored"),  # a deliberate skip stays silent
])
def test_error_kinds_are_stable_names(exc: BaseException, kind: str):
    assert error_kind(_failure(exc)) == kind


@pytest.mark.parametrize("value", [
    "https://evil.example/2022/03/21/x", "http://bangka.tribunnews.com.evil.example/2022/03/21/x",
    "javascript:alert(1)", "file:///etc/passwd", "ftp://bangka.tribunnews.com/2022/03/21/x",
    URL + "\nInjected log line", "https://bangka.tribunnews.com/" + "a" * 5000,
])
def test_urls_outside_the_network_are_refused(value: str):
    with pytest.raises(SpiderArgumentError, match="not a Tribun network URL"):
        TribunSpider(urls=value)


def test_urls_file_content_is_not_echoed_when_refused(tmp_path: Path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$hunter2:19000:0:99999:7:::\n", encoding="utf-8")
    with pytest.raises(SpiderArgumentError) as refused:
        TribunSpider(urls_file=str(secret))
    assert "hunter2" not in str(refused.value)
    with pytest.raises(SpiderArgumentError, match="not a regular file"):
        TribunSpider(urls_file="/dev/zero")


def test_crawl_refuses_an_off_network_url_with_a_clear_error(tmp_path: Path):
    cmd = [sys.executable, "-m", "scrapy", "crawl", "tribun", "-a", "urls=https://evil.example/2022/03/21/x",
           "-s", f"TRIBUN_OUTPUT_DIR={tmp_path}", "-s", "TRIBUN_ORIGIN=http://127.0.0.1:9"]
    proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode != 0
    assert "refusing 'https://evil.example/2022/03/21/x': not a Tribun network URL" in proc.stderr
    assert not list(tmp_path.rglob("*.jsonl"))  # nothing was crawled or written


def _round_trip(request: Request, spider: TribunSpider) -> Request:
    """What JOBDIR does to a scheduled request: to a dict, pickled to disk, and back."""
    return request_from_dict(pickle.loads(pickle.dumps(request.to_dict(spider=spider), protocol=4)),
                             spider=spider)


def test_every_request_the_spider_makes_survives_jobdir(tmp_path: Path):
    spider = TribunSpider(urls=URL)
    from crawler import portals
    from crawler.parsers.base import RawArticle

    first = spider.article_request(URL, {"via": "sitemap", "lastmod": datetime(2022, 3, 21, tzinfo=UTC),
                                         "publication_date": "2022-03-21T10:00:00+07:00", "title": "Uji"})
    page1 = RawArticle(url=URL, layout="desktop2017", title="Uji", paragraphs=["a", "b"], page_count=3,
                       published=[("jsonld", "2022-03-21T10:00:00+07:00")])
    state = first.meta[META_KEY]
    state.fetched_at, state.http_date = datetime.now(UTC), "Mon, 21 Mar 2022 03:00:00 GMT"
    follow_up = spider._article_page_request(state.ask(2, [page1], 3))
    listing = spider.listing_request(portals.BY_KEY["bangka"], date(2022, 3, 21), 2)
    for request in (first, follow_up, listing):
        back = _round_trip(request, spider)
        assert back.url == request.url and back.callback == request.callback and back.errback == request.errback
        assert back.meta == request.meta and back.cb_kwargs == request.cb_kwargs
