"""TRIBUN_ORIGIN and the network guard, through Scrapy's whole download stack (no parsers needed).

Each test runs the real engine in a subprocess against the fault server; the server's records say
what actually went over the wire.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.portals import network_hosts
from tests.faults import server as fs
from tests.faults.probing import run_probe, stats
from tests.faults.server import Fault, FaultServer

pytestmark = pytest.mark.e2e

BASE = "https://bangka.tribunnews.com/2022/03/21/uji-coba"
ALL = BASE + "?page=all"


def test_origin_receives_the_real_host_and_the_crawl_sees_the_real_url(tiny_server: FaultServer, tmp_path: Path):
    probe = run_probe(tiny_server, tmp_path, ALL)
    assert probe.returncode == 0, probe.log[-3000:]
    got = probe.response(ALL)
    assert (got["url"], got["status"]) == (ALL, 200)
    assert got["body_head"].startswith("<html><head><title>Uji semua")
    assert got["latency"] is not None  # copied back from the forwarded request (AutoThrottle reads it)
    # robots.txt first, then the page, both asked of the origin under the real Host header.
    assert [(h.host, h.target) for h in tiny_server.hits] == [
        ("bangka.tribunnews.com", "/robots.txt"), ("bangka.tribunnews.com", "/2022/03/21/uji-coba?page=all")]
    assert all(h.user_agent.startswith("Mozilla/5.0 (") and " tribun-crawler/" in h.user_agent
               and "(+https://" in h.user_agent for h in tiny_server.hits)
    assert "127.0.0.1" not in "".join(line for line in probe.log.splitlines() if "uji-coba" in line)


@pytest.mark.parametrize("location", ["{origin}/2022/03/21/uji-coba?page=all",
                                      "//{hostport}/2022/03/21/uji-coba?page=all", "/2022/03/21/uji-coba?page=all"])
def test_redirect_to_the_origin_is_mapped_back_to_the_real_host(tiny_server: FaultServer, tmp_path: Path,
                                                               location: str):
    hostport = tiny_server.origin.removeprefix("http://")
    tiny_server.fault(BASE, Fault(fs.REDIRECT, status=301, location=location.format(origin=tiny_server.origin,
                                                                                   hostport=hostport)))
    probe = run_probe(tiny_server, tmp_path, BASE)
    got = probe.response(BASE)
    assert (got["url"], got["status"], got["redirect_urls"]) == (ALL, 200, [BASE])
    assert tiny_server.hosts() == {"bangka.tribunnews.com"}


def test_no_request_leaves_the_network(tiny_server: FaultServer, tmp_path: Path):
    off = "https://evil.example/steal"
    sub = "https://video.tribunnews.com/x"  # a sub-domain Scrapy's OffsiteMiddleware would let through
    redirected = "https://bangka.tribunnews.com/2022/03/21/pergi"
    retried = "https://bangka.tribunnews.com/2022/03/21/coba-lagi"
    tiny_server.fault(redirected, Fault(fs.REDIRECT, location="https://evil.example/redirected"))
    # A retry carries dont_filter=True, which Scrapy's OffsiteMiddleware honours, and a redirect of it
    # keeps the flag: 503 first, then a redirect off the network. The guard must refuse it anyway.
    tiny_server.fault(retried, Fault(fs.STATUS, status=503, times=1),
                      Fault(fs.REDIRECT, location="https://evil.example/after-retry"))
    probe = run_probe(tiny_server, tmp_path, off, sub, redirected, retried)
    assert probe.returncode == 0, probe.log[-3000:]
    # Every refusal reaches the request's errback (Scrapy's own filter drops redirects silently).
    assert {f["asked"]: f["exception"] for f in probe.failures} == {
        off: "OffNetworkRequest", sub: "OffNetworkRequest", redirected: "OffNetworkRequest",
        retried: "OffNetworkRequest"}
    assert [h.status for h in tiny_server.requests_for(retried)] == [503, 302]
    assert tiny_server.hosts() <= set(network_hosts())
    assert stats(tmp_path)["tribun/network/refused"] == 4


def test_redirect_loop_is_a_counted_error_not_silence(tiny_server: FaultServer, tmp_path: Path):
    a, b = BASE, "https://bangka.tribunnews.com/2022/03/21/uji-lain"
    tiny_server.fault(a, Fault(fs.REDIRECT, location=b))
    tiny_server.fault(b, Fault(fs.REDIRECT, location=a))
    probe = run_probe(tiny_server, tmp_path, a)
    failure = probe.failure(a)
    assert failure["exception"] == "RedirectLoop"
    assert f"{a} -> {b} -> {a}" in failure["message"]
    assert stats(tmp_path)["tribun/network/redirect_loops"] == 1


def test_download_errors_name_the_real_url(tiny_server: FaultServer, tmp_path: Path):
    tiny_server.fault(ALL, Fault(fs.SLOW, delay=5))
    probe = run_probe(tiny_server, tmp_path, ALL, DOWNLOAD_TIMEOUT="1", RETRY_TIMES="0")
    failure = probe.failure(ALL)
    assert failure["exception"] == "DownloadTimeoutError"
    assert ALL in failure["message"] and "127.0.0.1" not in failure["message"]


def test_bad_origin_stops_the_crawl_at_start(tmp_path: Path):
    probe = run_probe(None, tmp_path, ALL, origin="http://127.0.0.1:9/some/path")
    assert probe.responses == [] and probe.failures == []
    assert "TRIBUN_ORIGIN='http://127.0.0.1:9/some/path'" in probe.log
