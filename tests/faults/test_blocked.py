"""A crawl the site refuses (the CDN's 403 to bot User-Agents) is diagnosed as blocked, not as 'transient'.

Real crawls through the fault server, which applies the CDN rule reported for the live network in 2026:
every request whose User-Agent is not browser-class gets CloudFront's 403 error page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler import BROWSER_USER_AGENT, user_agent
from crawler.commands.crawl import ExitCode, crawl_outcome
from crawler.downloaders.mirror import cdn_refuses
from tests.faults import server as fs
from tests.faults.crawling import ARTICLES, MIRROR, crawl, emitted, error_stats, log_lines, pick
from tests.faults.server import Fault, FaultServer

OLD_DEFAULT = "tribun-crawler/0.1.0 (+https://github.com/tribun-crawler/tribun-crawler)"


@pytest.mark.parametrize(("agent", "refused"), [
    ("curl/8.5.0", True),
    ("axios/1.7.9", True),
    ("feedparser/6.0.11 +https://github.com/kurtmckee/feedparser/", True),
    ("python-requests/2.32.3", True),
    ("Scrapy/2.19.0 (+https://scrapy.org)", True),
    ("SomethingCrawler/0.1", True),
    (OLD_DEFAULT, True),
    ("", True),
    ("Mozilla/5.0", True),
    ("Mozilla/5.0 (compatible; SomethingCrawler/0.1)", True),
    (BROWSER_USER_AGENT, False),
    (user_agent("https://example.org/contact"), False),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", False),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
     "Safari/605.1.15", False),
])
def test_cdn_rule(agent: str, refused: bool):
    assert cdn_refuses(agent) is refused


def test_exit_status_of_a_blocked_run():
    blocked = {"finish_reason": "finished", "tribun/errors/blocked": 40, "tribun/responses/refused": 40,
               "downloader/response_status_count/403": 40}
    assert crawl_outcome(blocked)[0] == ExitCode.BLOCKED == 77
    assert crawl_outcome({"finish_reason": "blocked", "tribun/responses/refused": 200})[0] == ExitCode.BLOCKED
    # Without the diagnosis the same answers would read as "unreachable, usually transient".
    del blocked["tribun/errors/blocked"]
    assert crawl_outcome(blocked)[0] == ExitCode.UNREACHABLE


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer(MIRROR) as srv:
        yield srv


def test_refused_user_agent_is_diagnosed_once(server: FaultServer, tmp_path: Path):
    server.reset()
    urls = pick(6)
    result = crawl(server, tmp_path, urls, USER_AGENT=OLD_DEFAULT)
    assert result.returncode == ExitCode.BLOCKED, result.log[-3000:]
    blocked = log_lines(result, "ERROR", "Blocked:")
    assert len(blocked) == 1, result.log[-3000:]
    assert OLD_DEFAULT in blocked[0] and "6 of 6 requests (100 %)" in blocked[0]
    assert "CloudFront" in blocked[0] and "USER_AGENT" in blocked[0]
    assert "usually transient" not in result.log
    assert result.stat("tribun/errors/blocked") == 6
    assert result.stat("tribun/responses/cdn_refused") == 6
    # Each article is still its own counted error; no page-1 retry of what the CDN refused.
    assert error_stats(result)["tribun/errors/http_403"] == 6
    assert all(server.requests_for(url) == [] for url in urls)
    assert result.items == []


def test_default_user_agent_is_served(server: FaultServer, tmp_path: Path):
    server.reset()
    urls = pick(3)
    result = crawl(server, tmp_path, urls)
    assert result.returncode == ExitCode.OK, result.log[-3000:]
    assert set(emitted(result)) == set(urls)
    assert "tribun/errors/blocked" not in result.stats
    assert {hit.fault for hit in server.hits} == {None}


def test_one_refused_article_stays_an_article_error(server: FaultServer, tmp_path: Path):
    server.reset()
    urls = pick(5)
    server.fault(urls[0] + "?page=all", Fault(fs.STATUS, status=403))
    server.fault(urls[0], Fault(fs.STATUS, status=403))
    result = crawl(server, tmp_path, urls)
    assert result.returncode == ExitCode.OK, result.log[-3000:]
    assert set(emitted(result)) == set(urls[1:])
    assert error_stats(result) == {"tribun/errors/http_403": 1}
    assert not log_lines(result, "ERROR", "Blocked:")
    assert [ARTICLES[u]["title"] for u in urls[1:]]  # the rest arrived whole


def test_a_run_refused_from_the_start_stops_early(server: FaultServer, tmp_path: Path):
    server.reset()
    urls = pick(12)
    result = crawl(server, tmp_path, urls, USER_AGENT="curl/8.5.0", TRIBUN_BLOCKED_STOP_AFTER="4",
                   CONCURRENT_REQUESTS="1")
    assert result.returncode == ExitCode.BLOCKED, result.log[-3000:]
    assert result.stats["finish_reason"] == "blocked"
    assert len(log_lines(result, "ERROR", "Blocked:")) == 1
    # Stopped after the 4th refusal: at most the requests already in flight besides.
    assert 4 <= sum(1 for hit in server.hits if hit.target != "/robots.txt") < 12


@pytest.mark.parametrize(("robots", "forbidden"), [
    # Our own token's group applies although USER_AGENT starts with browser words.
    ("User-agent: *\nAllow: /\n\nUser-agent: tribun-crawler\nDisallow: /\n", True),
    # A group for a named search engine's bot is never taken for ours: the '*' group applies.
    ("User-agent: Googlebot\nAllow: /\n\nUser-agent: *\nDisallow: /\n", True),
    ("User-agent: *\nDisallow: /tag/\nDisallow: /search\n", False),
])
def test_robots_txt_is_matched_for_our_token(server: FaultServer, tmp_path: Path, robots: str, forbidden: bool):
    server.reset()
    urls = pick(2, portal="bangka")
    server.fault("https://bangka.tribunnews.com/robots.txt", Fault(fs.SERVE, body=robots.encode()))
    result = crawl(server, tmp_path, urls)
    if forbidden:
        # ?page=all, then page 1 (a rule may refuse only the first): both refused, neither requested.
        assert result.items == [] and result.stat("robotstxt/forbidden") == 4, result.log[-3000:]
        assert error_stats(result) == {"tribun/errors/robots_forbidden": 2}
        assert [hit.target for hit in server.hits] == ["/robots.txt"]
    else:
        assert set(emitted(result)) == set(urls), result.log[-3000:]


def test_the_bundled_mirror_refuses_a_bot_user_agent_like_the_cdn(tmp_path: Path):
    from tests.crawlrun import run_crawl

    result = run_crawl(tmp_path, "-a", "portals=bangka", settings={"USER_AGENT": "curl/8.5.0"})
    assert result.returncode == ExitCode.BLOCKED, result.log[-3000:]
    assert len(log_lines(result, "ERROR", "Blocked:")) == 1 and "'curl/8.5.0'" in result.log
    open_mirror = run_crawl(tmp_path / "off", "-a", "portals=bangka",
                            settings={"USER_AGENT": "curl/8.5.0", "TRIBUN_MIRROR_CDN": "0"})
    assert open_mirror.returncode == ExitCode.OK and open_mirror.items, open_mirror.log[-3000:]
