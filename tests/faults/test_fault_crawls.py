"""Real ``scrapy crawl tribun`` runs against the fault server: what users expect from each fault.

Three crawls, each exercising many faults at once on different articles (one fault per article, so
each assertion still names one cause): transient faults (retried, item arrives), permanent faults
(counted, logged once, nothing emitted), and content faults (odd pages that must still come out right
or be dropped with a counted reason). Every crawl also carries healthy articles that must come out
exactly once, and every request the server saw must be for a network host.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from crawler.items import json_schema
from crawler.portals import network_hosts
from tests.crawlrun import CrawlResult
from tests.faults import server as fs
from tests.faults.crawling import (
    ARTICLES,
    EXPECTED,
    MIRROR,
    crawl,
    emitted,
    error_stats,
    log_lines,
    mirror_file,
    pick,
    set_charset,
    with_title_suffix,
)
from tests.faults.server import Fault, FaultServer

pytestmark = pytest.mark.e2e

ALL = "?page=all"


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer(MIRROR) as srv:
        yield srv


def assert_stays_on_network(srv: FaultServer) -> None:
    assert srv.hosts() <= set(network_hosts()), srv.hosts() - set(network_hosts())


def assert_valid_items(result: CrawlResult) -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    for item in result.items:
        validator.validate(item)


# --- 1. transient faults: retried with backoff, the item arrives ---------------------------------

TRANSIENT = pick(7, exclude=set())
T_500, T_502, T_503, T_429, T_SLOW, T_RESET, T_LENGTH = TRANSIENT
T_HEALTHY = pick(3, exclude=set(TRANSIENT), portal="solo")
TRANSIENT_FAULTS = {
    T_500: Fault(fs.STATUS, status=500, times=1),
    T_502: Fault(fs.STATUS, status=502, times=1),
    T_503: Fault(fs.STATUS, status=503, times=2),
    T_429: Fault(fs.STATUS, status=429, times=1, headers={"Retry-After": "1"}),
    T_SLOW: Fault(fs.SLOW, delay=4, times=1),  # past DOWNLOAD_TIMEOUT=2
    T_RESET: Fault(fs.RESET, times=1),  # connection reset mid-body
    T_LENGTH: Fault(fs.LENGTH_LONG, times=1),  # Content-Length promises more than arrives
}


@pytest.fixture(scope="module")
def transient(server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    server.reset()
    for url, fault in TRANSIENT_FAULTS.items():
        server.fault(url + ALL, fault)
    result = crawl(server, tmp_path_factory.mktemp("transient"), [*TRANSIENT, *T_HEALTHY])
    result.hits = {url: server.requests_for(url + ALL) for url in TRANSIENT}  # type: ignore[attr-defined]
    assert_stays_on_network(server)
    return result


def test_transient_faults_are_retried_and_every_article_arrives_once(transient: CrawlResult):
    assert transient.returncode == 0, transient.log[-3000:]
    assert emitted(transient) == {url: 1 for url in [*TRANSIENT, *T_HEALTHY]}
    assert error_stats(transient) == {}
    assert transient.stat("retry/count") == sum(f.times for f in TRANSIENT_FAULTS.values())
    assert_valid_items(transient)


@pytest.mark.parametrize("url", TRANSIENT)
def test_each_transient_fault_was_retried_after_a_backoff(transient: CrawlResult, url: str):
    hits = transient.hits[url]  # type: ignore[attr-defined]
    fault = TRANSIENT_FAULTS[url]
    assert [h.fault for h in hits] == [fault.kind] * fault.times + [None]
    wait = 1.0 if url == T_429 else 0.2  # Retry-After: 1, else TRIBUN_RETRY_BACKOFF=0.2 (doubling)
    for before, after in itertools.pairwise(hits):
        # From when the crawler gave up on the attempt: a SLOW answer is abandoned at DOWNLOAD_TIMEOUT=2, and
        # the server sees it hang up (timed on the server's clock, like `after.at`).
        gave_up = before.gave_up if before.fault == fs.SLOW else before.done
        assert gave_up is not None, (url, before)
        assert after.at - gave_up >= wait * 0.95, (url, before, after)


# --- 2. permanent faults: counted, logged once, nothing emitted ----------------------------------

P_500, P_TIMEOUT, P_RESET, P_BIG, P_BIG_CHUNKED, P_GZIP, P_LOOP, P_OFFSITE = pick(8, portal="bangka")
P_ROBOTS = pick(1, portal="solo")[0]
P_EMPTY, P_PDF = pick(2, portal="makassar")
P_MISSING = EXPECTED["missing"][0]
P_HEALTHY = pick(3, portal="tribunnews")
OFF_NETWORK = EXPECTED["off_network"][0]

PERMANENT_KINDS = {  # article -> the kind its final failure is counted and logged under
    P_500: "http_500", P_TIMEOUT: "timeout", P_RESET: "data_loss", P_BIG: "too_large", P_BIG_CHUNKED: "too_large",
    P_GZIP: "bad_encoding", P_LOOP: "redirect_loop", P_OFFSITE: "offsite", P_ROBOTS: "robots_forbidden",
    P_MISSING: "http_404",
}
DROPPED = [P_EMPTY, P_PDF]  # answered 200 but not an article page: dropped, counted, not an error
MAXSIZE = 500_000  # a lower DOWNLOAD_MAXSIZE than the default 8 MB keeps the oversized bodies small; real pages fit


def _robots_disallowing(path: str) -> bytes:
    original = (MIRROR / "solo.tribunnews.com" / "robots.txt").read_text(encoding="utf-8")
    return original.replace("User-agent: *\n", f"User-agent: *\nDisallow: {path}\n").encode()


@pytest.fixture(scope="module")
def permanent(server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    server.reset()
    faults = {
        P_500: Fault(fs.STATUS, status=500),
        P_TIMEOUT: Fault(fs.SLOW, delay=3),
        P_RESET: Fault(fs.RESET),
        P_BIG: Fault(fs.OVERSIZE, size=MAXSIZE + 100_000),
        P_BIG_CHUNKED: Fault(fs.OVERSIZE, size=MAXSIZE + 100_000, chunked=True),
        P_GZIP: Fault(fs.BAD_GZIP),
        P_OFFSITE: Fault(fs.REDIRECT, location=OFF_NETWORK),
        P_EMPTY: Fault(fs.EMPTY),
        P_PDF: Fault(fs.CONTENT_TYPE, content_type="application/pdf", body=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
    }
    for url, fault in faults.items():  # the whole-article view and page 1 both fail
        server.fault(url + ALL, fault)
        server.fault(url, fault)
    # Timeouts cost DOWNLOAD_TIMEOUT per attempt: let the whole-article view fail fast (404, no retry)
    # so only page 1 times out; the article's final failure is still the timeout.
    server.fault(P_TIMEOUT + ALL, Fault(fs.STATUS, status=404))
    server.fault(P_LOOP + ALL, Fault(fs.REDIRECT, location=P_LOOP + "?page=all&via=1"))
    server.fault(P_LOOP + "?page=all&via=1", Fault(fs.REDIRECT, location=P_LOOP + ALL))
    server.fault(P_LOOP, Fault(fs.REDIRECT, location=P_LOOP))
    robots = P_ROBOTS.split("tribunnews.com", 1)[1]
    server.fault("https://solo.tribunnews.com/robots.txt",
                 Fault(fs.SERVE, body=_robots_disallowing(robots), content_type="text/plain"))
    urls = [*PERMANENT_KINDS, *DROPPED, *P_HEALTHY]
    result = crawl(server, tmp_path_factory.mktemp("permanent"), urls, DOWNLOAD_MAXSIZE=str(MAXSIZE))
    result.targets = {(h.host, h.target) for h in server.hits}  # type: ignore[attr-defined]
    assert_stays_on_network(server)
    return result


def test_permanent_faults_lose_only_their_articles(permanent: CrawlResult):
    # The crawl goes on to its end; losing 10 of its 15 articles on purpose is what the error-rate monitor is for.
    assert permanent.returncode == 79, permanent.log[-3000:]
    assert f"Error rate: errors {len(PERMANENT_KINDS) / 15 * 100:.1f}% > 10.0%" in permanent.log
    assert emitted(permanent) == {url: 1 for url in P_HEALTHY}
    assert_valid_items(permanent)


def test_permanent_faults_are_counted_by_kind(permanent: CrawlResult):
    expected: dict[str, int] = {}
    for kind in PERMANENT_KINDS.values():
        expected[f"tribun/errors/{kind}"] = expected.get(f"tribun/errors/{kind}", 0) + 1
    assert error_stats(permanent) == expected
    assert permanent.stat("tribun/dropped/not_an_article") == len(DROPPED)
    assert permanent.stat("tribun/dropped/parser_error") == 0  # an oversized page is never parsed


@pytest.mark.parametrize("url", list(PERMANENT_KINDS))
def test_each_permanent_failure_is_one_error_line_with_url_and_kind(permanent: CrawlResult, url: str):
    lines = log_lines(permanent, "ERROR", url)
    assert len(lines) == 1, lines
    assert f"({PERMANENT_KINDS[url]})" in lines[0]


@pytest.mark.parametrize("url", DROPPED)
def test_a_page_that_is_not_an_article_is_dropped_with_a_warning(permanent: CrawlResult, url: str):
    assert log_lines(permanent, "ERROR", url) == []
    assert any("Dropped" in line for line in log_lines(permanent, "WARNING", url))


def test_robots_txt_is_obeyed(permanent: CrawlResult):
    path = P_ROBOTS.split("tribunnews.com", 1)[1]
    assert not [t for t in permanent.targets if t[1].startswith(path)]  # type: ignore[attr-defined]
    assert permanent.stat("robotstxt/forbidden") >= 1


def test_off_network_redirect_is_never_followed(permanent: CrawlResult):
    assert permanent.stat("tribun/network/refused") >= 1
    assert any(OFF_NETWORK in line for line in log_lines(permanent, "WARNING", "outside the Tribun network"))


# --- 3. content faults: odd pages still come out right, or are dropped with a reason -------------

C_ALL_404 = pick(1, pages=2, portal="bangka")[0]
C_ALL_500 = pick(1, pages=2, portal="makassar")[0]
C_TRAP = pick(1, pages=3)[0]
(C_TRUNCATED, C_SHORT_LENGTH, C_CP1252_AS_UTF8, C_UTF8_AS_CP1252, C_NO_CHARSET, C_JSONLD, C_BARE,
 C_GZIP) = pick(8, portal="bangka")
C_HEALTHY = pick(2, portal="jakarta")
SUFFIX = " – “Uji” café"  # en dash and curly quotes: windows-1252 0x96 0x93 0x94, é 0xE9
MAX_PAGES = 5
BARE_TITLE = "Warga Gotong Royong Bersihkan Pantai Pasir Padi"
BARE_PAGE = f"""<!DOCTYPE html><html><head><title>{BARE_TITLE}</title></head><body>
<h1 id="arttitle">{BARE_TITLE}</h1>
<div class="grey bdr3 pb10 pt10"><time>Senin, 21 Maret 2022 10:15 WIB</time></div>
<div class="side-article txt-article">
<p>Ratusan warga membersihkan Pantai Pasir Padi pada Minggu pagi bersama relawan lingkungan.</p>
<p>Kegiatan ini digelar setiap bulan oleh pemerintah kelurahan dan karang taruna setempat.</p>
</div></body></html>""".encode()


def _trap_page(number: int) -> bytes:
    """Page ``number`` of an article whose pagination never ends (``Halaman N/999``)."""
    source = mirror_file(C_TRAP + ("?page=2" if number > 1 else ""))
    assert source is not None
    return re.sub(rb"Halaman \d+/3", b"Halaman %d/999" % number, source.read_bytes())


def _break_jsonld(page: bytes) -> bytes:
    # Cut every JSON-LD block short and add a trailing comma: it no longer parses.
    return re.sub(rb'(<script type="application/ld\+json">\s*)(.*?)(</script>)',
                  lambda m: m.group(1) + m.group(2)[: len(m.group(2)) // 2] + b",]}" + m.group(3), page, flags=re.S)


@pytest.fixture(scope="module")
def content(server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    server.reset()
    server.fault(C_ALL_404 + ALL, Fault(fs.STATUS, status=404))
    server.fault(C_ALL_500 + ALL, Fault(fs.STATUS, status=500))
    server.fault(C_TRAP + ALL, Fault(fs.STATUS, status=404))
    for number in range(1, 60):
        server.fault(C_TRAP + (f"?page={number}" if number > 1 else ""), Fault(fs.SERVE, body=_trap_page(number)))
    server.fault(C_TRUNCATED + ALL, Fault(fs.SERVE, transform=lambda b: b[: len(b) // 2]))
    server.fault(C_SHORT_LENGTH + ALL, Fault(fs.LENGTH_SHORT))  # Content-Length says half: the rest is lost
    title = {url: ARTICLES[url]["title"] for url in (C_CP1252_AS_UTF8, C_UTF8_AS_CP1252, C_NO_CHARSET)}
    server.fault(C_CP1252_AS_UTF8 + ALL, Fault(fs.SERVE, content_type="text/html; charset=utf-8", transform=lambda b:
                 set_charset(with_title_suffix(b, title[C_CP1252_AS_UTF8], SUFFIX), "utf-8").encode("cp1252")))
    server.fault(C_UTF8_AS_CP1252 + ALL, Fault(fs.SERVE, content_type="text/html; charset=windows-1252",
                 transform=lambda b: set_charset(with_title_suffix(b, title[C_UTF8_AS_CP1252], SUFFIX),
                                                 "windows-1252").encode("utf-8")))
    server.fault(C_NO_CHARSET + ALL, Fault(fs.SERVE, content_type="text/html", transform=lambda b:
                 set_charset(with_title_suffix(b, title[C_NO_CHARSET], SUFFIX), None).encode("cp1252")))
    server.fault(C_JSONLD + ALL, Fault(fs.SERVE, transform=_break_jsonld))
    server.fault(C_BARE + ALL, Fault(fs.SERVE, body=BARE_PAGE))
    server.fault(C_GZIP + ALL, Fault(fs.GZIP))
    urls = [C_ALL_404, C_ALL_500, C_TRAP, C_TRUNCATED, C_SHORT_LENGTH, C_CP1252_AS_UTF8, C_UTF8_AS_CP1252,
            C_NO_CHARSET, C_JSONLD, C_BARE, C_GZIP, *C_HEALTHY]
    result = crawl(server, tmp_path_factory.mktemp("content"), urls, TRIBUN_MAX_PAGES=str(MAX_PAGES))
    result.trap_requests = server.requests_for  # type: ignore[attr-defined]
    assert_stays_on_network(server)
    return result


def _item(result: CrawlResult, url: str) -> dict:
    [item] = [i for i in result.items if i["url"] == url]
    return item


def test_content_faults_crawl_finishes_with_valid_items(content: CrawlResult):
    assert content.returncode == 0, content.log[-3000:]
    assert content.stat("tribun/dropped/parser_error") == 0
    assert max(emitted(content).values()) == 1
    for url in C_HEALTHY:
        assert emitted(content)[url] == 1
    assert_valid_items(content)


@pytest.mark.parametrize("url", [C_ALL_404, C_ALL_500])
def test_failed_whole_article_view_falls_back_to_walking_pages(content: CrawlResult, url: str):
    item, want = _item(content, url), ARTICLES[url]
    assert item["pages"] == want["pages"] == 2
    words = item["body"].split()
    assert " ".join(words[:8]) == want["first_words"] and " ".join(words[-8:]) == want["last_words"]
    assert content.stat("tribun/pages/page_all_failed") >= 2


def test_pagination_trap_stops_at_the_page_limit(content: CrawlResult):
    asked = [n for n in range(1, 60) if content.trap_requests(C_TRAP + (f"?page={n}" if n > 1 else ""))]  # type: ignore[attr-defined]
    assert asked == list(range(1, MAX_PAGES + 1))
    assert content.stat("tribun/errors/page_limit") == 1
    assert any(f"TRIBUN_MAX_PAGES={MAX_PAGES}" in line for line in log_lines(content, "ERROR", C_TRAP))


@pytest.mark.parametrize("url", [C_TRUNCATED, C_SHORT_LENGTH])
def test_truncated_html_is_emitted_once_or_dropped_with_a_reason(content: CrawlResult, url: str):
    # Half a page gives no transport-level error: the crawler must neither crash nor emit it twice;
    # it either reads what is there or drops the page with a counted, logged reason.
    if emitted(content)[url] == 0:
        assert sum(v for k, v in content.stats.items() if k.startswith("tribun/dropped/")) >= 1
        assert log_lines(content, "WARNING", url)
    else:
        assert emitted(content)[url] == 1
        assert _item(content, url)["title"] == ARTICLES[url]["title"]


# The spider parses ``response.text``, which trusts the Content-Type charset over the bytes: a page whose
# bytes are not in the declared charset comes out with U+FFFD or mojibake. Owner: crawler/spiders/tribun.py.

@pytest.mark.parametrize("url", [
    pytest.param(C_CP1252_AS_UTF8, id="windows-1252 declared utf-8"),
    pytest.param(C_UTF8_AS_CP1252, id="utf-8 declared windows-1252"),
    pytest.param(C_NO_CHARSET, id="windows-1252 with no charset"),
])
def test_wrong_or_missing_charset_still_gives_the_right_text(content: CrawlResult, url: str):
    assert _item(content, url)["title"] == ARTICLES[url]["title"] + SUFFIX


def test_malformed_json_ld_falls_back_to_the_visible_page(content: CrawlResult):
    item, want = _item(content, C_JSONLD), ARTICLES[C_JSONLD]
    assert (item["title"], item["published_at"]) == (want["title"], want["published_at"])


def test_page_with_every_optional_element_missing(content: CrawlResult):
    item = _item(content, C_BARE)
    assert item["title"] == BARE_TITLE
    assert item["body"].startswith("Ratusan warga membersihkan Pantai Pasir Padi")
    assert item["published_at"] == "2022-03-21T10:15:00+07:00"
    assert (item["lede"], item["source"], item["image_url"], item["section"], item["modified_at"]) == (None,) * 5
    assert (item["authors"], item["editors"], item["tags"]) == ([], [], [])


def test_gzip_encoded_page_is_read(content: CrawlResult):
    assert _item(content, C_GZIP)["title"] == ARTICLES[C_GZIP]["title"]


# --- 4. politeness: caps and User-Agent ---------------------------------------------------------


def test_concurrency_stays_within_the_per_host_and_shared_caps(server: FaultServer, tmp_path: Path):
    server.reset()
    server.latency = 0.3  # long enough for requests to pile up against the caps
    try:
        urls = [a["url"] for a in EXPECTED["articles"] if a["portal"] in ("bangka", "tribunnews", "solo")]
        result = crawl(server, tmp_path, urls, TRIBUN_CONTACT_URL="https://example.org/tribun-contact")
    finally:
        server.latency = 0.0
    assert result.returncode == 0, result.log[-3000:]
    # The defaults of settings.py (not overridden here): 4 per host, 8 in all.
    per_host = {host: n for host, n in server.max_in_flight.items() if host != "*"}
    assert max(per_host.values()) <= 4, per_host
    assert server.max_in_flight["*"] <= 8
    assert server.max_in_flight["*"] > 4  # several hosts were served at once: the caps, not luck, bound it
    agents = {h.user_agent for h in server.hits}
    assert len(agents) == 1 and re.fullmatch(r"Mozilla/5\.0 \(.+ tribun-crawler/\S+ \(\+https://example\.org/tribun-contact\)",
                                              agents.pop())
