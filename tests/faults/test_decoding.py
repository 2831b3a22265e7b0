"""A UTF-8 article with a few broken bytes, crawled for real: U+FFFD for those bytes only, counted and logged once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.crawlrun import CrawlResult
from tests.faults import server as fs
from tests.faults.crawling import ARTICLES, MIRROR, crawl, emitted, log_lines, pick, with_title_suffix
from tests.faults.server import Fault, FaultServer

pytestmark = pytest.mark.e2e

BROKEN, HEALTHY = pick(2, portal="bangka")
SUFFIX = " – “Uji” café crème brûlée"  # 9 non-ASCII characters, all valid UTF-8


def _two_bad_bytes(page: bytes) -> bytes:
    """The page with non-ASCII text in its title and two bytes that fit no UTF-8 sequence in its first
    paragraph (0xFF, and 0x80, a continuation byte with no lead)."""
    first = ARTICLES[BROKEN]["first_words"]
    words = first.split()
    text = with_title_suffix(page, ARTICLES[BROKEN]["title"], SUFFIX).encode("utf-8")
    damaged = " ".join([words[0] + "\udcff", *words[1:-1], "\udc80" + words[-1]])
    return text.replace(first.encode("utf-8"), damaged.encode("utf-8", errors="surrogateescape"), 1)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlResult]:
    with FaultServer(MIRROR) as server:
        server.fault(BROKEN + "?page=all", Fault(fs.SERVE, content_type="text/html; charset=utf-8",
                                                 transform=_two_bad_bytes))
        # Workers: the count has to come back from another process to reach the stats.
        yield crawl(server, tmp_path_factory.mktemp("decode"), [BROKEN, HEALTHY], TRIBUN_WORKERS="1")


def test_only_the_broken_bytes_are_replaced(result: CrawlResult):
    assert result.returncode == 0, result.log[-3000:]
    assert emitted(result) == {BROKEN: 1, HEALTHY: 1}
    [item] = [i for i in result.items if i["url"] == BROKEN]
    assert item["title"] == ARTICLES[BROKEN]["title"] + SUFFIX
    words = ARTICLES[BROKEN]["first_words"].split()
    assert item["body"].startswith(" ".join([words[0] + "\ufffd", *words[1:-1], "\ufffd" + words[-1]]))
    assert item["body"].count("\ufffd") == 2


def test_the_replacement_is_counted_and_logged_once(result: CrawlResult):
    assert result.stat("tribun/decode/replaced") == 1
    lines = log_lines(result, "WARNING", "not UTF-8 replaced with U+FFFD")
    assert len(lines) == 1 and BROKEN in lines[0] and "2 byte(s)" in lines[0]

