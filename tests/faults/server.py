"""A real HTTP server that serves the bundled mirror and misbehaves on purpose, path by path.

The crawler reaches it through ``TRIBUN_ORIGIN=http://127.0.0.1:PORT``: every request arrives with the
real Tribun host in its ``Host`` header, and the file is looked up exactly as the mirror download
handler does (``crawler.downloaders.mirror.mirror_path``). A test switches faults on per URL with
:meth:`FaultServer.fault`; every request is recorded (:attr:`FaultServer.hits`) so tests can assert
what the crawler asked for, in which order, how often and how many at once.

Faults are plain data (:class:`Fault`) applied by one handler, so a reader sees in one place what
each fault puts on the wire.
"""

from __future__ import annotations

import gzip
import select
import socket
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from crawler.downloaders.mirror import CDN_REFUSAL_BODY, CDN_REFUSAL_HEADERS, cdn_refuses, mirror_path

# Fault kinds. "times" (below) makes any of them transient.
STATUS = "status"              # answer `status` (+ `headers`) with a short HTML error body
SLOW = "slow"                  # wait `delay` seconds before answering (past DOWNLOAD_TIMEOUT), then serve
RESET = "reset"                # headers with the full Content-Length, half the body, then a TCP reset
LENGTH_LONG = "length_long"    # Content-Length claims more bytes than are sent, then close
LENGTH_SHORT = "length_short"  # Content-Length claims half the bytes, all are sent, then close
BAD_GZIP = "bad_gzip"          # Content-Encoding: gzip on a body that is not gzip
GZIP = "gzip"                  # a correct gzip body (control for BAD_GZIP)
OVERSIZE = "oversize"          # the page padded to `size` bytes; `chunked` hides the length up front
EMPTY = "empty"                # 200 with an empty body
CONTENT_TYPE = "content_type"  # the page's bytes (or `body`) under `content_type`
REDIRECT = "redirect"          # `status` (302) to `location`
SERVE = "serve"                # the page (or `body`), optionally passed through `transform`

_STATUS_TEXT = b"<html><body><h1>%d</h1></body></html>"


@dataclass
class Fault:
    kind: str
    times: int | None = None            # faulty for the first N requests, healthy after; None: always
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    location: str | None = None
    body: bytes | None = None           # replaces the mirror file
    transform: Callable[[bytes], bytes] | None = None  # applied to the mirror file (or `body`)
    content_type: str | None = None     # replaces the mirror content type (charset faults, non-HTML)
    size: int = 0
    chunked: bool = False
    hold: threading.Event | None = None  # answer only once this is set (ordering tests)


@dataclass
class Hit:
    """One request as the server saw it; recorded on arrival, completed when the handler is done."""

    at: float                   # time.monotonic() when the request line arrived
    host: str
    target: str                 # path?query as sent
    user_agent: str
    fault: str | None = None    # the fault kind applied, None for a healthy answer
    status: int | None = None   # status sent; None when cut before a status line (or not answered yet)
    done: float | None = None   # when the handler finished (None while still sleeping on a SLOW fault)
    gave_up: float | None = None  # SLOW: when the crawler closed the connection (its timeout), seen here

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.target}"


def _key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return (parts.hostname or "").lower(), target


def content_type_for(path: Path, body: bytes) -> str:
    """The same guess the mirror download handler makes, so both serve a file identically."""
    head = body[:200].lstrip()
    for prefix, ctype in ((b"<?xml", "application/xml"), (b"<rss", "application/rss+xml"),
                          (b"<urlset", "application/xml"), (b"<sitemapindex", "application/xml")):
        if head.startswith(prefix):
            return f"{ctype}; charset=utf-8"
    if path.name == "robots.txt":
        return "text/plain; charset=utf-8"
    return "text/html; charset=utf-8"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a SLOW handler must not hold up the test's teardown

    def handle_error(self, request: object, client_address: object) -> None:
        # The crawler dropping a keep-alive connection (after a timeout or a reset fault) is expected.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FaultServer:
    """``with FaultServer(mirror_root) as server:`` serves on 127.0.0.1 on a free port."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._faults: dict[tuple[str, str], tuple[Fault, ...]] = {}
        self._served: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self.hits: list[Hit] = []
        self.in_flight: Counter[str] = Counter()
        self.max_in_flight: Counter[str] = Counter()  # per host, and "*" for all hosts together
        self.stopping = threading.Event()
        self._served_events: dict[tuple[str, str], threading.Event] = {}
        # Gate (crash tests): once `_gate_after` requests have been admitted, later ones wait for `gate`.
        self._gate_after: int | None = None
        self._admitted = 0
        self.gate = threading.Event()
        self.latency = 0.0  # seconds added to every answer (keeps a crawl running long enough to interrupt)
        # The live CDN's rule: a User-Agent that is not browser-class gets CloudFront's 403 on every path.
        self.cdn = True
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fault-server", daemon=True)

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def origin(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- configuration -----------------------------------------------------------------------

    def fault(self, url: str, *faults: Fault) -> None:
        """Apply ``faults`` to requests for exactly ``url`` (host + path + query), in turn.

        Each fault lasts its ``times`` requests (None: for good); after the last one the URL is healthy.
        ``fault(u, Fault(STATUS, status=503, times=1), Fault(REDIRECT, location=...))``: 503, then redirects.
        """
        with self._lock:
            self._faults[_key(url)] = faults
            self._served[_key(url)] = 0

    def close_gate_after(self, count: int) -> threading.Event:
        """Let ``count`` more requests through, then hold every later one until the returned event is set.

        A crash test kills the crawler while requests wait at the gate: the kill lands mid-crawl, at a
        point the test chose, with no timing involved.
        """
        with self._lock:
            self._gate_after = self._admitted + count
            self.gate.clear()
        return self.gate

    def wait_until_held(self, waiting: int = 1, timeout: float = 60) -> bool:
        """True once ``waiting`` requests are waiting at the gate (False if that never happens in time)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._gate_after is not None and self._admitted - self._gate_after >= waiting:
                    return True
            time.sleep(0.02)
        return False

    def reset(self) -> None:
        """Forget faults and recorded requests (between crawls sharing one server)."""
        with self._lock:
            self._faults.clear()
            self._served.clear()
            self._served_events.clear()
            self.hits.clear()
            self.cdn = True
            self.in_flight.clear()
            self.max_in_flight.clear()

    # --- what happened -----------------------------------------------------------------------

    def served_event(self, url: str) -> threading.Event:
        """An event set once a response for ``url`` has been sent (for ``Fault(hold=...)``)."""
        with self._lock:
            return self._served_events.setdefault(_key(url), threading.Event())

    def requests_for(self, url: str) -> list[Hit]:
        key = _key(url)
        with self._lock:
            return [h for h in self.hits if (h.host, h.target) == key]

    def hosts(self) -> set[str]:
        with self._lock:
            return {h.host for h in self.hits}

    # --- serving -----------------------------------------------------------------------------

    def _take_fault(self, key: tuple[str, str]) -> Fault | None:
        with self._lock:
            faults = self._faults.get(key, ())
            served = self._served[key]
            self._served[key] += 1
        for fault in faults:
            if fault.times is None or served < fault.times:
                return fault
            served -= fault.times
        return None

    def _enter(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)
            for name in (hit.host, "*"):
                self.in_flight[name] += 1
                self.max_in_flight[name] = max(self.max_in_flight[name], self.in_flight[name])

    def _leave(self, hit: Hit) -> None:
        with self._lock:
            hit.done = time.monotonic()
            for name in (hit.host, "*"):
                self.in_flight[name] -= 1
            event = self._served_events.get((hit.host, hit.target))
        if event is not None:
            event.set()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like a real server; Scrapy pools connections

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep pytest output clean; tests read `server.hits` instead

            def do_GET(self) -> None:
                host = (self.headers.get("Host") or "").split(":", 1)[0].lower()
                self._hit = Hit(time.monotonic(), host, self.path, self.headers.get("User-Agent", ""))
                with server._lock:
                    server._admitted += 1
                    gated = server._gate_after is not None and server._admitted > server._gate_after
                server._enter(self._hit)  # from arrival: waiting at the gate or in `latency` counts as in flight
                try:
                    if gated:
                        server.gate.wait(timeout=60)
                    if server.latency:
                        server.stopping.wait(server.latency)
                    if server.cdn and cdn_refuses(self._hit.user_agent):
                        self._hit.fault = "cdn"
                        headers = {k: v for k, v in CDN_REFUSAL_HEADERS.items() if k != "Content-Type"}
                        self._send(403, CDN_REFUSAL_BODY, CDN_REFUSAL_HEADERS["Content-Type"], headers)
                        return
                    fault = server._take_fault((host, self.path))
                    self._hit.fault = fault.kind if fault else None
                    self._answer(host, fault)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the crawler gave up (timeout): nothing to do
                finally:
                    server._leave(self._hit)

            # -- helpers ---------------------------------------------------------------------

            def _page(self, host: str, fault: Fault | None) -> tuple[int, bytes, str]:
                """Status, body and content type the healthy server would send (plus body faults)."""
                if fault is not None and fault.body is not None:
                    body, ctype = fault.body, "text/html; charset=utf-8"
                else:
                    try:
                        path = mirror_path(server.root, f"https://{host}{self.path}")
                    except ValueError:  # "%00" in the path (mirror_path does not catch it)
                        path = None
                    if path is None or not path.is_file():
                        return 404, _STATUS_TEXT % 404, "text/html; charset=utf-8"
                    body = path.read_bytes()
                    ctype = content_type_for(path, body)
                if fault is not None and fault.transform is not None:
                    body = fault.transform(body)
                if fault is not None and fault.content_type is not None:
                    ctype = fault.content_type
                return 200, body, ctype

            def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None,
                      length: int | None = None) -> None:
                self._hit.status = status
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()

            def _cut(self) -> None:
                """Close with a TCP reset (SO_LINGER 0) instead of an orderly FIN."""
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

            def _wait_or_hang_up(self, delay: float) -> bool:
                """Waits ``delay`` s; True when the server stops or the client closes the connection first."""
                end = time.monotonic() + delay
                while (left := end - time.monotonic()) > 0:
                    if server.stopping.is_set():
                        return True
                    readable, _, _ = select.select([self.connection], [], [], min(left, 0.01))
                    if readable:
                        try:
                            closed = self.connection.recv(1, socket.MSG_PEEK) == b""
                        except OSError:  # aborted: a reset, not a FIN
                            closed = True
                        if closed:
                            self._hit.gave_up = time.monotonic()
                            self.close_connection = True
                            return True
                return server.stopping.is_set()

            def _answer(self, host: str, fault: Fault | None) -> None:
                if fault is not None and fault.hold is not None:
                    fault.hold.wait(timeout=30)
                kind = fault.kind if fault else SERVE
                if kind == SLOW:
                    # Sleep past the crawler's timeout, then answer normally (to nobody, usually). The moment
                    # the crawler hangs up is recorded: retry waits are measured from it, on this clock.
                    if self._wait_or_hang_up(fault.delay):
                        return
                    kind = SERVE
                if kind == STATUS:
                    self._send(fault.status, _STATUS_TEXT % fault.status, "text/html", fault.headers)
                    return
                if kind == REDIRECT:
                    self._send(fault.status if 300 <= fault.status < 400 else 302, b"", "text/html",
                               {"Location": fault.location or "/", **fault.headers})
                    return
                if kind == EMPTY:
                    self._send(200, b"", fault.content_type or "text/html; charset=utf-8")
                    return
                status, body, ctype = self._page(host, fault)
                if status != 200:
                    self._send(status, body, ctype)
                    return
                if kind == RESET:
                    self._hit.status = 200
                    self.send_response(200)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self._cut()
                elif kind == LENGTH_LONG:
                    self._send(200, body, ctype, length=len(body) + 5000)
                    self.close_connection = True
                elif kind == LENGTH_SHORT:
                    self._send(200, body, ctype, length=len(body) // 2)
                    self.close_connection = True
                elif kind == BAD_GZIP:
                    self._send(200, body, ctype, {"Content-Encoding": "gzip"})
                elif kind == GZIP:
                    self._send(200, gzip.compress(body), ctype, {"Content-Encoding": "gzip"})
                elif kind == OVERSIZE:
                    padded = body + b"<!--" + b"x" * max(fault.size - len(body), 0) + b"-->"
                    if fault.chunked:
                        # No Content-Length: the crawler learns the size only while reading.
                        self._hit.status = 200
                        self.send_response(200)
                        self.send_header("Content-Type", ctype)
                        self.send_header("Connection", "close")
                        self.end_headers()
                        self.close_connection = True
                        for start in range(0, len(padded), 65536):
                            self.wfile.write(padded[start:start + 65536])
                    else:
                        self._send(200, padded, ctype)
                else:  # SERVE, CONTENT_TYPE
                    self._send(200, body, ctype, fault.headers if fault else None)

        return Handler
