"""Articles lost to redirects: each one arrives through its fallback, or is one ERROR line and one count.

Scrapy's duplicate filter drops a request without calling its callback or errback. A whole-article view
that redirects to the article's own page 1 puts that URL into the filter, so the page-by-page fallback for
the same URL used to vanish without a word. Real ``scrapy crawl tribun`` runs against the fault server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawlrun import CrawlResult
from tests.faults import server as fs
from tests.faults.crawling import MIRROR, crawl, emitted, error_stats, log_lines, pick
from tests.faults.server import Fault, FaultServer

pytestmark = pytest.mark.e2e

ALL = "?page=all"
BACK, LOOP, CHAIN = pick(3, portal="bangka")
HEALTHY = pick(2, portal="solo")
LOST = {LOOP: "redirect_loop", CHAIN: "too_many_redirects"}
HOPS = 7  # more than REDIRECT_MAX_TIMES (5)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlResult]:
    with FaultServer(MIRROR) as server:
        # The view redirects to page 1, whose first answer redirects back: a loop. Page 1 is healthy after
        # that, so the fallback that reads it must arrive.
        server.fault(BACK + ALL, Fault(fs.REDIRECT, location=BACK))
        server.fault(BACK, Fault(fs.REDIRECT, location=BACK + ALL, times=1))
        # The same loop for good: the article is lost, and says so.
        server.fault(LOOP + ALL, Fault(fs.REDIRECT, location=LOOP))
        server.fault(LOOP, Fault(fs.REDIRECT, location=LOOP + ALL))
        # The view redirects to page 1, which starts a chain of redirects longer than REDIRECT_MAX_TIMES.
        server.fault(CHAIN + ALL, Fault(fs.REDIRECT, location=CHAIN))
        server.fault(CHAIN, Fault(fs.REDIRECT, location=f"{CHAIN}?hop=1"))
        for hop in range(1, HOPS):
            server.fault(f"{CHAIN}?hop={hop}", Fault(fs.REDIRECT, location=f"{CHAIN}?hop={hop + 1}"))
        out: Path = tmp_path_factory.mktemp("redirects")
        run = crawl(server, out, [BACK, LOOP, CHAIN, *HEALTHY])
        run.page1_requests = {url: len(server.requests_for(url)) for url in (BACK, LOOP, CHAIN)}  # type: ignore[attr-defined]
        yield run


def test_fallback_through_a_url_seen_in_the_redirect_chain_arrives(result: CrawlResult):
    assert result.returncode == 0, result.log[-3000:]
    assert emitted(result) == {url: 1 for url in [BACK, *HEALTHY]}
    # Page 1 was asked twice: inside the view's redirect chain, then by the fallback.
    assert result.page1_requests[BACK] == 2  # type: ignore[attr-defined]
    assert log_lines(result, "ERROR", BACK) == []


def test_each_article_lost_to_redirects_is_one_error_and_one_count(result: CrawlResult):
    assert error_stats(result) == {f"tribun/errors/{kind}": 1 for kind in LOST.values()}
    for url, kind in LOST.items():
        lines = log_lines(result, "ERROR", url)
        assert len(lines) == 1, (url, lines)
        assert f"({kind})" in lines[0]
        assert result.page1_requests[url] == 2, url  # type: ignore[attr-defined]
