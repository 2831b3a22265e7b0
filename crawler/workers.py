"""Worker processes for the crawl's CPU-heavy pure steps: parsing pages and normalising articles.

Scrapy runs every callback and pipeline in one thread, the one that also drives the downloads. Parsing a
page and normalising an article are pure functions costing a few milliseconds each, several times what
Scrapy itself spends on a download, so run in that thread they decide the crawl's speed (measured in
``bench/``). :class:`WorkerPool` runs them in ``TRIBUN_WORKERS`` processes instead and hands back the
result to the awaiting coroutine; with 0 workers it calls them in place, the same code path without
processes (``scrapy extract``, tests of single pages, machines with one core).

Failure rules (one page never stops a crawl):

* an exception raised by the function (``NotAnArticle``, a parser bug) comes back to the caller as in
  the in-process case, with the worker's traceback attached;
* a worker that dies (SIGKILL, out of memory, a crash in C code) breaks the whole pool: the pool is
  replaced and every task it held is retried in the new one, up to ``retries`` times; a task still
  failing raises :class:`WorkerCrashed`, so the caller drops that page alone, with its URL in the log.

Processes are started with ``spawn``: forking a process that already runs threads (the reactor's pool,
the executor's own manager) may deadlock the child, and Python 3.12+ warns about exactly that. Workers
ignore SIGINT: Ctrl-C is the crawl's graceful stop, which still needs them to finish the pages in flight.
They exit within a second of the crawl process dying, however it dies.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

from w3lib.encoding import read_bom, to_unicode

from crawler.parsers import RawArticle, parse_article

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


class WorkerCrashed(RuntimeError):
    """A task's worker process died every time the task was tried."""


def default_workers() -> int:
    """One worker per core the event loop leaves free, at least one, at most four (a crawl of one
    origin rarely outruns four parsers)."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def _init_worker(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker holds both ends of its task queue, so it never sees EOF when the crawl dies (SIGKILL, OOM):
    # without this watch it would wait for tasks forever.
    threading.Thread(target=_exit_with_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


class WorkerPool:
    """Runs pure functions in worker processes (``workers`` ≥ 1) or in place (``workers`` = 0).

    Functions and their arguments travel by pickle: module-level functions, dataclasses, str and bytes.
    """

    def __init__(self, workers: int = 0, retries: int = 2):
        if workers < 0:
            raise ValueError(f"workers must be ≥ 0, got {workers}")
        self.workers = workers
        self.retries = retries
        self.restarts = 0  # pools replaced after a worker died
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False

    @property
    def in_process(self) -> bool:
        return self.workers == 0

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_init_worker, initargs=(os.getpid(),))
        return self._executor

    def start(self) -> None:
        """Starts the worker processes now rather than on the first task (they take a moment to import)."""
        if not self.in_process and not self._closed:
            pool = self._pool()
            for _ in range(self.workers):
                pool.submit(os.getpid)

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)``, computed by a worker; raises what ``fn`` raised, or WorkerCrashed."""
        if self.in_process or self._closed:
            return fn(*args, **kwargs)
        for attempt in range(self.retries + 1):
            pool = self._pool()
            try:
                return await asyncio.wrap_future(pool.submit(fn, *args, **kwargs))
            except BrokenProcessPool as exc:
                self._replace(pool)
                if attempt == self.retries:
                    raise WorkerCrashed(f"a worker process died on each of {attempt + 1} tries ({exc})") from exc
        raise AssertionError("unreachable")

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        # Every task of the broken pool lands here; only the first replaces it.
        if self._executor is broken:
            self.restarts += 1
            logger.warning("A worker process died; restarting the worker pool (%d workers) and retrying "
                           "the tasks it held", self.workers)
            broken.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def close(self) -> None:
        """Waits for the workers to finish what they hold and stops them; later tasks run in place."""
        self._closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=False)
            self._executor = None


_UTF8 = {"utf-8", "utf8"}
_SINGLE_BYTE = {"cp1252", "windows-1252", "latin-1", "latin1", "iso-8859-1", "iso8859-1", "ascii"}


def redecoded(body: bytes, declared: str) -> str | None:
    """The page text when the declared charset is wrong, or None when it is right.

    Portals and proxies mislabel charsets both ways: windows-1252 bytes sent as utf-8 would turn every
    accented letter into U+FFFD, and utf-8 sent as windows-1252 into mojibake (``cafÃ©``).
    """
    enc = (declared or "").lower().replace("_", "-")
    if enc in _UTF8:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return body.decode("cp1252", errors="replace")
        return None
    if enc in _SINGLE_BYTE and not body.isascii():
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def parse_page(body: bytes, declared_encoding: str, url: str) -> RawArticle:
    """A downloaded article page's raw fields: the body decoded by the charset Scrapy settled on
    (``response.encoding``) unless that is wrong (:func:`redecoded`), then
    :func:`crawler.parsers.parse_article`. Runs in a worker.

    Decoding here rather than with ``response.text`` keeps the decode off the event loop; it is what
    ``response.text`` does once the encoding is known (a BOM wins, undecodable bytes are replaced).
    """
    text = redecoded(body, declared_encoding)
    if text is None:
        bom_encoding, bom = read_bom(body)
        text = to_unicode(body[len(bom):], bom_encoding) if bom_encoding else to_unicode(body, declared_encoding)
    return parse_article(text, url)
