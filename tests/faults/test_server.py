"""The fault server itself: each fault puts on the wire what its name promises.

The crawl tests trust these faults; if one silently served a healthy page, a crawl test would pass
for the wrong reason. Checked with the standard library's HTTP client, not with Scrapy.
"""

from __future__ import annotations

import gzip
import http.client
import socket

import pytest

from crawler import BROWSER_USER_AGENT
from tests.faults import server as fs
from tests.faults.server import Fault, FaultServer

PAGE = "https://bangka.tribunnews.com/2022/03/21/uji-coba"


def get(server: FaultServer, url: str, timeout: float = 5,
        user_agent: str = BROWSER_USER_AGENT) -> tuple[int, dict[str, str], bytes]:
    parts = http.client.urlsplit(url)
    host, port = server.origin.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                     headers={"Host": parts.hostname, "User-Agent": user_agent})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_serves_the_mirror_by_host_header(tiny_server: FaultServer):
    status, headers, body = get(tiny_server, PAGE + "?page=all")
    assert status == 200 and b"Uji semua" in body
    assert headers["content-type"].startswith("text/html")
    assert get(tiny_server, "https://bangka.tribunnews.com/robots.txt")[0] == 200
    assert get(tiny_server, "https://solo.tribunnews.com/")[2] == b"<html>solo</html>"
    assert get(tiny_server, "https://bangka.tribunnews.com/nope")[0] == 404
    # A crafted path cannot read outside the mirror (the server uses the handler's mirror_path).
    assert get(tiny_server, "https://bangka.tribunnews.com/../solo.tribunnews.com/index.html")[0] == 404
    hit = tiny_server.requests_for(PAGE + "?page=all")
    assert [(h.host, h.status, h.user_agent) for h in hit] == [("bangka.tribunnews.com", 200, BROWSER_USER_AGENT)]


def test_transient_fault_heals_after_its_count(tiny_server: FaultServer):
    tiny_server.fault(PAGE, Fault(fs.STATUS, status=503, times=2, headers={"Retry-After": "7"}))
    first = get(tiny_server, PAGE)
    assert first[0] == 503 and first[1]["retry-after"] == "7"
    assert get(tiny_server, PAGE)[0] == 503
    assert get(tiny_server, PAGE)[0] == 200
    assert [h.fault for h in tiny_server.requests_for(PAGE)] == [fs.STATUS, fs.STATUS, None]


def test_reset_and_length_lies_break_the_body(tiny_server: FaultServer):
    tiny_server.fault(PAGE, Fault(fs.RESET))
    with pytest.raises((http.client.IncompleteRead, ConnectionResetError)):
        get(tiny_server, PAGE)
    tiny_server.fault(PAGE, Fault(fs.LENGTH_LONG))
    with pytest.raises(http.client.IncompleteRead):
        get(tiny_server, PAGE)
    tiny_server.fault(PAGE, Fault(fs.LENGTH_SHORT))
    _status, headers, body = get(tiny_server, PAGE)
    assert int(headers["content-length"]) == len(body) < len(get(tiny_server, PAGE + "?page=all")[2]) // 2 + 10


def test_encoding_and_size_faults(tiny_server: FaultServer):
    tiny_server.fault(PAGE, Fault(fs.BAD_GZIP))
    _status, headers, body = get(tiny_server, PAGE)
    assert headers["content-encoding"] == "gzip" and not body.startswith(b"\x1f\x8b")
    tiny_server.fault(PAGE, Fault(fs.GZIP))
    assert b"Isi berita" in gzip.decompress(get(tiny_server, PAGE)[2])
    tiny_server.fault(PAGE, Fault(fs.OVERSIZE, size=300_000, chunked=True))
    _status, headers, body = get(tiny_server, PAGE)
    assert "content-length" not in headers and len(body) >= 300_000
    tiny_server.fault(PAGE, Fault(fs.CONTENT_TYPE, content_type="application/pdf", body=b"%PDF-1.4"))
    assert get(tiny_server, PAGE)[1]["content-type"] == "application/pdf"
    tiny_server.fault(PAGE, Fault(fs.EMPTY))
    assert get(tiny_server, PAGE)[2] == b""


def test_slow_fault_outlasts_a_client_timeout(tiny_server: FaultServer):
    tiny_server.fault(PAGE, Fault(fs.SLOW, delay=3, times=1))
    with pytest.raises(socket.timeout):
        get(tiny_server, PAGE, timeout=0.5)
    assert get(tiny_server, PAGE)[0] == 200


def test_redirect_and_transform(tiny_server: FaultServer):
    tiny_server.fault(PAGE, Fault(fs.REDIRECT, location="https://evil.example/x"))
    status, headers, _ = get(tiny_server, PAGE)
    assert status == 302 and headers["location"] == "https://evil.example/x"
    tiny_server.fault(PAGE, Fault(fs.SERVE, transform=lambda b: b.replace(b"Uji", b"Diubah")))
    assert b"Diubah" in get(tiny_server, PAGE)[2]


def test_refuses_non_browser_user_agents_as_the_cdn_does(tiny_server: FaultServer):
    status, headers, body = get(tiny_server, PAGE, user_agent="curl/8.5.0")
    assert status == 403 and headers["server"] == "CloudFront"
    assert headers["x-cache"] == "Error from cloudfront" and b"The request could not be satisfied" in body
    assert get(tiny_server, PAGE)[0] == 200
