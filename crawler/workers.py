"""Worker processes for the crawl's CPU-heavy pure steps: parsing pages and normalising articles.

Scrapy runs every callback and pipeline in one thread, the one that also drives the downloads. Parsing a
page and normalising an article are pure functions costing a few milliseconds each, several times what
Scrapy itself spends on a download, so run in that thread they decide the crawl's speed (measured in
``bench/``). :class:`WorkerPool` runs them in ``workers`` processes instead and hands each result to the
awaiting coroutine; with 0 workers it calls them in place, the same code path without processes
(``scrapy extract``, tests of single pages, machines with one core).

Each worker has its own pipe, read by the event loop itself (``add_reader``), and is sent a few tasks
ahead (``DEPTH``), so it never idles while the crawl's thread is busy elsewhere. Not
``concurrent.futures.ProcessPoolExecutor``: its manager thread unpickles results and wakes up through a
pipe on every submit, which cost the crawl's thread 0.5 ms a task against 0.15 ms here (both
measured with 30 KB payloads), and when one of its workers dies every task of the pool fails with it.

Failure rules (one page never stops a crawl):

* an exception raised by the function (``NotAnArticle``, a parser bug) is raised to the caller as in the
  in-place case, with the worker's traceback attached as its cause;
* a worker that dies (SIGKILL, out of memory, a crash in C code) is replaced; the task it was computing
  is tried once more on a fresh worker (the OOM killer may have picked an innocent), then fails with
  :class:`WorkerCrashed`; the tasks sent ahead to it had not started and are simply sent again;
* a task running longer than ``timeout`` seconds (a pathological page) kills its worker, which is
  replaced, and fails with :class:`WorkerTimeout`. Only that page is lost.

A worker is a fresh interpreter (``python -c "…crawler.workers…"``) given one end of a socket pair, not a
fork: forking a process that already runs threads (the reactor's thread pool) may deadlock the child, and
Python 3.12+ warns about exactly that. Not ``multiprocessing``'s spawn either, which re-imports the parent's
``__main__`` (all of Scrapy, for the ``scrapy`` script) and starts a resource-tracker process. The worker
imports only the parsers and normalisers (no Scrapy), runs in its own session so that Ctrl-C in a terminal
reaches the crawl alone (its graceful stop still needs the workers), and holds only its own end of the
socket, so it reads EOF and exits as soon as the crawl process is gone, however it died.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from w3lib.encoding import read_bom, to_unicode

from crawler.article_flow import ArticleState, Step, advance
from crawler.parsers import RawArticle, parse_article, utf8_selector
from crawler.parsers.encoding import is_utf8

if TYPE_CHECKING:
    from parsel import Selector

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

_PICKLE = pickle.HIGHEST_PROTOCOL


class WorkerFailed(RuntimeError):
    """The task got no result from a worker; ``kind`` names why, for stats and logs."""

    kind = "worker_failed"


class WorkerCrashed(WorkerFailed):
    """The task's worker process died, on each try."""

    kind = "worker_crashed"


class WorkerTimeout(WorkerFailed):
    """The task ran past the pool's timeout; its worker was killed."""

    kind = "worker_timeout"


class RemoteTraceback(Exception):
    """The worker-side traceback of an exception raised by a task (shown as the exception's cause)."""

    def __str__(self) -> str:
        return "\n" + "".join(self.args)


def usable_cores() -> int:
    """Cores this process may run on: its CPU affinity (containers, taskset), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """One worker per core the event loop leaves free, at least one, at most four (a crawl of one
    origin rarely outruns four parsers)."""
    return max(1, min(4, usable_cores() - 1))


_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _stop(process: subprocess.Popen, grace: float) -> None:
    """Waits up to ``grace`` seconds for a worker to end by itself, then kills it."""
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def serve_fd(fd: int) -> None:
    """A worker process's entry point: serve tasks over the socket ``fd`` (see :class:`WorkerPool`)."""
    _serve(Connection(fd))


def _serve(conn: Connection) -> None:
    """A worker's life: read pickled (function, args, kwargs), answer (ok, value) in order, until EOF.

    A reader thread drains the pipe into an in-memory queue while the main thread computes, so the crawl
    can hand over the next pages without waiting for this one (a full pipe would block the crawl's
    thread on send).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def read() -> None:
        while True:
            try:
                inbox.put(conn.recv_bytes())
            except (EOFError, OSError):  # the crawl closed the pool, or died
                inbox.put(None)
                return

    threading.Thread(target=read, name="tribun-worker-inbox", daemon=True).start()
    while (message := inbox.get()) is not None:
        try:
            fn, args, kwargs = pickle.loads(message)
            reply = pickle.dumps((True, fn(*args, **kwargs)), _PICKLE)
        except Exception as exc:
            remote = "".join(traceback.format_exception(exc))
            try:
                reply = pickle.dumps((False, (exc, remote)), _PICKLE)
            except Exception:  # an exception that does not pickle still has to come back
                reply = pickle.dumps((False, (RuntimeError(repr(exc)), remote)), _PICKLE)
        try:
            conn.send_bytes(reply)
        except OSError:
            return


@dataclass(eq=False)
class _Task:
    payload: bytes
    future: asyncio.Future
    tries: int = 0
    deadline: float = float("inf")


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    conn: Connection
    tasks: deque[_Task] = field(default_factory=deque)  # sent, answered in this order
    held_bytes: int = 0
    reading: bool = False
    replied: bool = False  # has answered at least once (it did start)
    dead: bool = False  # a send failed: it takes nothing more, and its reader will see the EOF


class WorkerPool:
    """Runs pure functions in worker processes (``workers`` ≥ 1) or in place (``workers`` = 0).

    Functions and their arguments travel by pickle: module-level functions, dataclasses, str and bytes.
    Must be used from one event loop (the crawl's).
    """

    # Tasks sent ahead to a busy worker, so it never waits for the crawl's thread between two pages; capped
    # in bytes too, so that a large page is only sent to an idle worker (no send ever waits long).
    DEPTH = 4
    AHEAD_BYTES = 128 * 1024
    # Workers that die before their first answer, in a row, before the pool gives up on processes.
    START_FAILURES = 3
    COMMAND = "import crawler.workers as w; w.serve_fd({fd})"

    def __init__(self, workers: int = 0, timeout: float | None = 120.0, retries: int = 1):
        if workers < 0:
            raise ValueError(f"workers must be ≥ 0, got {workers}")
        self.workers = workers
        self.timeout = timeout
        self.retries = retries
        self.restarts = 0  # workers replaced after dying or timing out
        self.fell_back = False  # workers could not start: everything runs in place
        self.most_waiting = 0  # the longest the queue of tasks not yet sent to a worker has been
        self._start_failures = 0
        self._pool: list[_Worker] = []
        self._queue: deque[_Task] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._watch: asyncio.TimerHandle | None = None
        self._closed = False

    @property
    def in_process(self) -> bool:
        return self.workers == 0 or self._closed or self.fell_back

    def start(self) -> None:
        """Starts the worker processes now rather than on the first task (they take a moment to import)."""
        if not self.in_process:
            while len(self._pool) < self.workers:
                self._pool.append(self._spawn())

    def _spawn(self) -> _Worker:
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        # The crawler package is importable in the worker wherever the crawl was started from.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (_PACKAGE_ROOT, env.get("PYTHONPATH"))))
        process = subprocess.Popen(
            [sys.executable, "-c", self.COMMAND.format(fd=theirs.fileno())],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        theirs.close()  # only the worker holds its end: it sees EOF when we are gone
        return _Worker(process, Connection(ours.detach()))

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)`` computed by a worker; raises what ``fn`` raised, WorkerCrashed or
        WorkerTimeout."""
        if self.in_process:
            return fn(*args, **kwargs)
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self.start()
        task = _Task(pickle.dumps((fn, args, kwargs), _PICKLE), self._loop.create_future())
        self._queue.append(task)
        self.most_waiting = max(self.most_waiting, len(self._queue))
        self._dispatch()
        return await task.future

    def _taker(self, size: int) -> _Worker | None:
        """The least loaded worker that may take a task of ``size`` bytes now, if any."""
        best = min((w for w in self._pool if not w.dead), key=lambda w: len(w.tasks), default=None)
        if best is None or (best.tasks and (len(best.tasks) >= self.DEPTH
                                            or best.held_bytes + size > self.AHEAD_BYTES)):
            return None
        return best

    def _dispatch(self) -> None:
        while self._queue:
            task = self._queue[0]
            if task.future.done():  # cancelled while queued
                self._queue.popleft()
                continue
            worker = self._taker(len(task.payload))
            if worker is None:
                break
            self._queue.popleft()
            try:
                worker.conn.send_bytes(task.payload)
            except OSError:  # it died: put this one back
                self._queue.appendleft(task)
                if worker.reading:
                    # Replies it sent before dying may still wait in the socket: the reader takes them first,
                    # then the EOF, so the death is blamed on the task it was really computing. Declaring it
                    # lost here would blame the oldest unanswered task and give the real culprit a new try.
                    worker.dead = True
                else:
                    self._lost(worker, "died", WorkerCrashed)
                continue
            task.tries += 1
            if not worker.tasks:
                task.deadline = self._deadline()
            worker.tasks.append(task)
            worker.held_bytes += len(task.payload)
            if not worker.reading:
                self._loop.add_reader(worker.conn.fileno(), self._on_reply, worker)  # type: ignore[union-attr]
                worker.reading = True
        if self.timeout and self._watch is None and any(w.tasks for w in self._pool):
            self._watch = self._loop.call_later(min(self.timeout, 1.0), self._check_deadlines)  # type: ignore[union-attr]

    def _deadline(self) -> float:
        return time.monotonic() + self.timeout if self.timeout else float("inf")

    def _on_reply(self, worker: _Worker) -> None:
        try:
            ok, value = pickle.loads(worker.conn.recv_bytes())
        except (EOFError, OSError):
            self._lost(worker, "died", WorkerCrashed)
            self._dispatch()
            return
        task = worker.tasks.popleft()
        worker.held_bytes -= len(task.payload)
        worker.replied = True
        self._start_failures = 0
        if worker.tasks:
            worker.tasks[0].deadline = self._deadline()  # the worker starts on it now
        if not task.future.done():
            if ok:
                task.future.set_result(value)
            else:
                exc, remote = value
                exc.__cause__ = RemoteTraceback(remote)
                task.future.set_exception(exc)
        self._dispatch()

    def _lost(self, worker: _Worker, why: str, error: type[WorkerFailed] | None = None) -> None:
        """Replaces a dead or killed worker. The task it was computing is retried (or failed with ``error``
        when it used its tries, or at once for a timeout); the tasks sent ahead were not started and go back
        to the front of the queue as they were."""
        self._pool.remove(worker)
        if worker.reading and self._loop is not None:
            self._loop.remove_reader(worker.conn.fileno())
        worker.conn.close()
        _stop(worker.process, 0)
        self.restarts += 1
        self._start_failures = 0 if worker.replied else self._start_failures + 1
        if self._start_failures >= self.START_FAILURES and not self._closed:
            self._fall_back(worker)
            return
        logger.warning("Worker process %s %s; starting another", worker.process.pid, why)
        if worker.tasks and error is not None:
            culprit, *ahead = worker.tasks
            for task in reversed(ahead):
                task.tries -= 1
                self._queue.appendleft(task)
            if culprit.future.done():
                pass
            elif error is WorkerCrashed and culprit.tries <= self.retries:
                self._queue.appendleft(culprit)
            else:
                message = (f"no result after {self.timeout:g} s; its worker was killed" if error is WorkerTimeout
                           else f"its worker process died (exit code {worker.process.returncode}) on each of "
                                f"{culprit.tries} tries")
                culprit.future.set_exception(error(message))
        else:
            for task in reversed(worker.tasks):
                task.tries -= 1
                self._queue.appendleft(task)
        worker.tasks.clear()
        if not self._closed:
            self._pool.append(self._spawn())

    def _fall_back(self, last: _Worker) -> None:
        """Worker processes cannot start here (a broken environment, not a bad page): rather than spawn and
        lose them forever, the rest of the crawl parses in its own thread, slower but complete."""
        logger.error("Worker processes keep dying before their first result (last exit code %s, %d in a row); "
                     "parsing and normalising in the crawl's own thread from now on", last.process.returncode,
                     self._start_failures)
        self.fell_back = True
        pending = [*last.tasks, *self._queue, *(t for w in self._pool for t in w.tasks)]
        last.tasks.clear()
        self._queue.clear()
        for worker in self._pool:
            worker.tasks.clear()
        self.close()
        for task in pending:
            if task.future.done():
                continue
            fn, args, kwargs = pickle.loads(task.payload)
            try:
                task.future.set_result(fn(*args, **kwargs))
            except Exception as exc:
                task.future.set_exception(exc)

    def _check_deadlines(self) -> None:
        self._watch = None
        now = time.monotonic()
        for worker in [w for w in self._pool if w.tasks and w.tasks[0].deadline < now]:
            self._lost(worker, f"ran past TRIBUN_WORKER_TIMEOUT={self.timeout:g} s", WorkerTimeout)
        self._dispatch()

    def close(self) -> None:
        """Stops the workers (what they still hold is abandoned); later tasks run in place."""
        self._closed = True
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        for task in self._queue:
            task.future.cancel()
        self._queue.clear()
        for worker in self._pool:
            for task in worker.tasks:
                task.future.cancel()
            if worker.reading and self._loop is not None and not self._loop.is_closed():
                self._loop.remove_reader(worker.conn.fileno())
            worker.conn.close()  # EOF: the worker's loop ends
        for worker in self._pool:
            _stop(worker.process, 5)
        self._pool.clear()


_UTF8 = {"utf-8", "utf8"}
_SINGLE_BYTE = {"cp1252", "windows-1252", "latin-1", "latin1", "iso-8859-1", "iso8859-1", "ascii"}
_ASCII = bytes(range(128))
# What surrogateescape makes of each byte that is not part of a valid UTF-8 sequence.
_ESCAPED = re.compile("[\udc80-\udcff]")


def _charset(name: str | None) -> str:
    return (name or "").lower().replace("_", "-")


def utf8_evidence(body: bytes) -> tuple[int, int]:
    """``(valid, invalid)``: the non-ASCII characters of ``body`` that are well-formed UTF-8, and the bytes
    that are not part of any UTF-8 sequence."""
    text = body.decode("utf-8", errors="surrogateescape")
    invalid = len(_ESCAPED.findall(text))
    ascii_bytes = len(body) - len(body.translate(None, _ASCII))
    return len(text) - ascii_bytes - invalid, invalid


def is_mostly_utf8(body: bytes) -> bool:
    """The rule for a body that is not clean UTF-8: it is UTF-8 with damaged bytes when its well-formed
    multi-byte characters outnumber the bytes that fit no UTF-8 sequence; otherwise it is single-byte text.

    Windows-1252 text almost never forms a valid multi-byte sequence (an accented letter is followed by an
    ASCII one), so each of its non-ASCII letters counts as invalid and it loses; a UTF-8 page with a few
    broken bytes keeps its hundreds of curly quotes, dashes and accents as valid and wins.
    """
    valid, invalid = utf8_evidence(body)
    return valid > invalid


def decode_page(body: bytes, declared: str) -> tuple[str | None, int]:
    """``(text, replaced)``: the page text when the declared charset alone would read it wrong (None when
    it is right), and how many bytes were replaced with U+FFFD.

    Portals and proxies mislabel charsets both ways: windows-1252 bytes sent as utf-8 would turn every
    accented letter into U+FFFD, and utf-8 sent as windows-1252 into mojibake (``cafÃ©``). A page that is
    UTF-8 but for a few bytes (:func:`is_mostly_utf8`) stays UTF-8, with U+FFFD for those bytes only:
    re-reading it all as windows-1252 would garble every other non-ASCII character of the article.
    """
    enc = _charset(declared)
    if enc in _UTF8 and is_utf8(body):  # the common case, checked without building the text
        return None, 0
    if enc in _UTF8 or (enc in _SINGLE_BYTE and not body.isascii()):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            if is_mostly_utf8(body):
                return body.decode("utf-8", errors="replace").removeprefix("\ufeff"), utf8_evidence(body)[1]
            return (body.decode("cp1252", errors="replace"), 0) if enc in _UTF8 else (None, 0)
        return (None, 0) if enc in _UTF8 else (text, 0)
    return None, 0


def redecoded(body: bytes, declared: str) -> str | None:
    """The page text when the declared charset is wrong or the bytes need replacing, or None when the
    declared charset reads them as they are (:func:`decode_page`)."""
    return decode_page(body, declared)[0]


def _parse_page(body: bytes, declared_encoding: str, url: str) -> tuple[RawArticle, int, Selector | None]:
    """(raw fields, bytes replaced, the parsed document when it is still alive: see :func:`read_article_page`)."""
    if _charset(declared_encoding) in _UTF8 and read_bom(body)[0] is None:
        # The common case, parsed at once: libxml2 checks the bytes are UTF-8 as it reads them. Bytes that are
        # not take the path below, as if this had not been tried.
        sel = utf8_selector(body)
        if sel is not None:
            return parse_article(body, url, encoding="utf-8", selector=sel), 0, sel
    text, replaced = decode_page(body, declared_encoding)
    if text is not None:
        return parse_article(text, url), replaced, None
    bom_encoding, bom = read_bom(body)
    if bom_encoding:
        return parse_article(to_unicode(body[len(bom):], bom_encoding), url), 0, None
    return parse_article(to_unicode(body, declared_encoding), url), 0, None


def parse_page(body: bytes, declared_encoding: str, url: str) -> RawArticle:
    """A downloaded article page's raw fields: the body decoded by the charset Scrapy settled on
    (``response.encoding``) unless that is wrong (:func:`decode_page`), then
    :func:`crawler.parsers.parse_article`. Runs in a worker.

    Decoding here rather than with ``response.text`` keeps the decode off the event loop; it is what
    ``response.text`` does once the encoding is known (a BOM wins, undecodable bytes are replaced).
    """
    return _parse_page(body, declared_encoding, url)[0]


def read_article_page(body: bytes, declared_encoding: str, url: str, state: ArticleState, max_pages: int) -> Step:
    """One page of an article read (:func:`parse_page`) and the article's next step decided
    (:func:`crawler.article_flow.advance`): when this page completes the article, the :class:`Step` holds the
    normalised Article, made here rather than in a second hand-over. The count of replaced bytes travels back
    with the result: a worker process has no access to the crawl's stats."""
    raw, replaced, document = _parse_page(body, declared_encoding, url)
    step = advance(state, raw, max_pages)
    # The document is freed only now, after normalising: freeing it visits every node, which on a large page
    # evicts the normalisers' code and data from the CPU caches. Normalised first, the real 250 KB page costs
    # about 6 % less CPU a page, measured page after page as a worker runs them (bench.extraction).
    del document
    step.replaced = replaced
    return step
