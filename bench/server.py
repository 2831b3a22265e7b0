"""Loopback HTTP/1.1 server for the crawl benchmark: a mirror directory pre-loaded into a dict of bytes.

``python -m bench.server ROOT [--port 0]`` loads every file of ``ROOT/<host>/<path>`` (the mirror layout:
query string kept in the file name, ``index.html`` for a path ending in ``/``) into memory, then answers
``GET path`` by ``Host`` header + path, as ``TRIBUN_ORIGIN`` expects. It prints ``PORT <n>`` once it
listens. A missing file is a 404. Keep-alive is honoured; responses are pre-built, so each request costs a
dict look-up and one ``writelines``.

Control requests (``Host: bench.control``): ``/log`` returns, as JSON, every ``[status, "host/path"]``
answered since the last ``/log`` and clears the list (``/log?times`` adds each answer's ``time.time()`` as a
third element); ``/count`` returns the number of requests answered; ``/inflight`` returns the most requests
that were in flight at once, per host (and ``*`` for all), since the last ``/inflight``.

``--latency S`` answers every request S seconds after it arrived (a remote site's round trip), so requests
overlap and the in-flight counts mean something (the distributed benchmark's politeness figure).

``python -m bench.server --load PORT --urls FILE [--seconds 5] [--concurrency 8]`` is a load generator (a
separate process with raw keep-alive sockets) that measures what the server alone can serve: the figure the
crawl benchmark shows to prove the server is not the bottleneck. Python's client side limits it, so it
is a lower bound of the server's rate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from email.utils import formatdate
from pathlib import Path
from urllib.parse import unquote, urlsplit

CONTROL_HOST = b"bench.control"
_TYPES = ((b"<?xml", b"application/xml"), (b"<rss", b"application/rss+xml"), (b"<urlset", b"application/xml"),
          (b"<sitemapindex", b"application/xml"))


def _content_type(rel: str, body: bytes) -> bytes:
    head = body[:200].lstrip()
    for prefix, ctype in _TYPES:
        if head.startswith(prefix):
            return ctype + b"; charset=utf-8"
    if rel.endswith("/robots.txt"):
        return b"text/plain; charset=utf-8"
    return b"text/html; charset=utf-8"


def load(root: Path) -> dict[bytes, tuple[bytes, bytes]]:
    """``b"host/path?query"`` -> (headers without Date and the blank line, body)."""
    files: dict[bytes, tuple[bytes, bytes]] = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = Path(dirpath, name)
            rel = path.relative_to(root).as_posix()
            body = path.read_bytes()
            head = (b"HTTP/1.1 200 OK\r\nServer: bench\r\nContent-Type: " + _content_type(rel, body)
                    + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n")
            files[rel.encode("utf-8")] = (head, body)
    return files


def key_for(host: bytes, target: bytes) -> bytes:
    """The dict key of a request: lower-cased host without port, unquoted path, query kept verbatim."""
    host = host.split(b":", 1)[0].strip().lower()
    path, sep, query = target.partition(b"?")
    if path.startswith(b"http://") or path.startswith(b"https://"):  # absolute-form request target
        path = urlsplit(path.decode("latin-1")).path.encode("latin-1") or b"/"
    if b"%" in path:
        path = unquote(path.decode("latin-1")).encode("utf-8")
    if path.endswith(b"/"):
        path += b"index.html"
    return host + path + (b"?" + query if sep else b"")


class _Date:
    """The Date header, rebuilt at most once a second."""

    def __init__(self) -> None:
        self.second = -1
        self.value = b""

    def header(self) -> bytes:
        now = int(time.time())
        if now != self.second:
            self.second = now
            self.value = b"Date: " + formatdate(now, usegmt=True).encode() + b"\r\n"
        return self.value


_NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nServer: bench\r\nContent-Type: text/html\r\nContent-Length: 9\r\n"


class Server:
    def __init__(self, files: dict[bytes, tuple[bytes, bytes]], latency: float = 0.0):
        self.files = files
        self.latency = latency
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.log: list[tuple[int, bytes]] = []
        self.times: list[float] = []  # when each entry of `log` was answered
        self.count = 0
        self.date = _Date()

    def respond(self, host: bytes, target: bytes) -> tuple[bytes, bytes]:
        if host.split(b":", 1)[0].strip().lower() == CONTROL_HOST:
            if target.startswith(b"/log"):
                timed = b"times" in target
                body = json.dumps([[s, k.decode("utf-8", "replace"), *((t,) if timed else ())]
                                   for (s, k), t in zip(self.log, self.times, strict=True)]).encode()
                self.log = []
                self.times = []
            elif target.startswith(b"/inflight"):
                body = json.dumps(self.max_in_flight).encode()
                self.max_in_flight = {}
            else:
                body = str(self.count).encode()
            return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + str(len(body)).encode() + b"\r\n"), body
        key = key_for(host, target)
        found = self.files.get(key)
        self.count += 1
        self.times.append(time.time())
        if found is None:
            self.log.append((404, key))
            return _NOT_FOUND, b"not found"
        self.log.append((200, key))
        return found

    def arrived(self, host: str) -> None:
        for name in (host, "*"):
            self.in_flight[name] = self.in_flight.get(name, 0) + 1
            self.max_in_flight[name] = max(self.max_in_flight.get(name, 0), self.in_flight[name])

    def left(self, host: str) -> None:
        for name in (host, "*"):
            self.in_flight[name] -= 1


class _Connection(asyncio.Protocol):
    def __init__(self, server: Server):
        self.server = server
        self.buffer = b""
        self.waiting = False  # an answer is being held back (--latency)
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while not self.waiting:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end]
            lines = head.split(b"\r\n")
            parts = lines[0].split(b" ")
            host, length, close = b"", 0, False
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"host":
                    host = value.strip()
                elif name == b"content-length":
                    length = int(value.strip() or 0)
                elif name == b"connection":
                    close = value.strip().lower() == b"close"
            if len(self.buffer) < end + 4 + length:
                return  # a request body still arriving (never, for GETs)
            self.buffer = self.buffer[end + 4 + length:]
            if len(parts) < 3 or parts[2] == b"HTTP/1.0":
                close = True
            target = parts[1] if len(parts) > 1 else b"/"
            head_bytes, body = self.server.respond(host, target)
            extra = b"Connection: close\r\n\r\n" if close else b"\r\n"
            pieces = [head_bytes, self.server.date.header(), extra, b"" if parts[0] == b"HEAD" else body]
            name = host.split(b":", 1)[0].decode("latin-1").lower()
            if self.server.latency and name != CONTROL_HOST.decode():
                # One request at a time per connection (clients do not pipeline): the rest waits for the answer.
                self.server.arrived(name)
                asyncio.get_running_loop().call_later(self.server.latency, self._answer_later, name, pieces, close)
                self.waiting = True
                return
            if not self._send(pieces, close):
                return

    def _send(self, pieces: list[bytes], close: bool) -> bool:
        assert self.transport is not None
        self.transport.writelines(pieces)
        if close:
            self.transport.close()
        return not close

    def _answer_later(self, host: str, pieces: list[bytes], close: bool) -> None:
        self.server.left(host)
        self.waiting = False
        if self.transport is None or self.transport.is_closing():
            return
        if self._send(pieces, close) and self.buffer:
            self.data_received(b"")


async def serve(root: Path, port: int, host: str = "127.0.0.1", latency: float = 0.0) -> None:
    began = time.perf_counter()
    files = load(root)
    server = Server(files, latency)
    loop = asyncio.get_running_loop()
    listener = await loop.create_server(lambda: _Connection(server), host, port, backlog=1024)
    bound = listener.sockets[0].getsockname()[1]
    size = sum(len(b) for _, b in files.values())
    print(f"PORT {bound} files={len(files)} bytes={size} load_s={time.perf_counter() - began:.1f}", flush=True)
    async with listener:
        await listener.serve_forever()


# --- load generator ----------------------------------------------------------------------------------------


async def _client(port: int, requests: list[bytes], deadline: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    try:
        while time.perf_counter() < deadline:
            writer.write(requests[i % len(requests)])
            i += 1
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            counts[0] += 1
            counts[1] += length
    finally:
        writer.close()


async def load_test(port: int, urls: list[str], seconds: float, concurrency: int) -> dict[str, float]:
    requests = []
    for url in urls:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        requests.append(f"GET {target} HTTP/1.1\r\nHost: {parts.hostname}\r\nAccept: */*\r\n\r\n".encode())
    counts = [0, 0]
    began = time.perf_counter()
    deadline = began + seconds
    await asyncio.gather(*(_client(port, requests[i::concurrency] or requests, deadline, counts)
                           for i in range(concurrency)))
    elapsed = time.perf_counter() - began
    return {"requests": counts[0], "seconds": elapsed, "rps": counts[0] / elapsed,
            "mb_per_s": counts[1] / elapsed / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, help="mirror directory to serve")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--load", type=int, metavar="PORT", help="run the load generator against PORT instead")
    parser.add_argument("--urls", type=Path, help="(load) file of URLs, one a line")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    if args.load:
        urls = [u.strip() for u in args.urls.read_text(encoding="utf-8").splitlines() if u.strip()]
        result = asyncio.run(load_test(args.load, urls, args.seconds, args.concurrency))
        print(json.dumps(result))
        return
    if args.root is None or not args.root.is_dir():
        parser.error("give the mirror directory to serve")
    try:
        asyncio.run(serve(args.root, args.port, latency=args.latency))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
