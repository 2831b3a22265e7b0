"""crawler.workers: real worker processes, a worker killed mid-task, and the in-place mode."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.article_flow import ArticleState
from crawler.parsers import NotAnArticle
from crawler.workers import (
    RemoteTraceback,
    WorkerCrashed,
    WorkerPool,
    WorkerTimeout,
    decode_page,
    default_workers,
    is_mostly_utf8,
    parse_page,
    read_article_page,
    redecoded,
)

ROOT = Path(__file__).resolve().parents[1]
# The real pages of the bundled mirror (copied byte for byte from ../shared/corpus/real/).
REAL_PAGES = sorted(p for host in ("solo.tribunnews.com/2020", "www.tribunnews.com/nasional/2015")
                    for p in (ROOT / "mirror" / host).rglob("*") if p.is_file() and "?" not in p.name)


def square(x: int) -> int:
    return x * x


def die_on(x: int, marker: int) -> int:
    """Kills its own process on ``marker``: what a segfault or the OOM killer does to a worker."""
    if x == marker:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def hang_on(x: int, marker: int) -> int:
    if x == marker:
        time.sleep(60)
    return x


def pid() -> int:
    return os.getpid()


def refuse(_: int) -> int:
    raise NotAnArticle("listing page")


def run_all(pool: WorkerPool, fn, args) -> list:
    """Each ``fn(*a)`` for ``a`` in ``args`` through the pool, concurrently, then closes the pool."""
    async def main() -> list:
        try:
            return await asyncio.gather(*(pool.run(fn, *a) for a in args), return_exceptions=True)
        finally:
            pool.close()
    return asyncio.run(main())


def test_tasks_run_in_other_processes_and_exceptions_come_back_with_the_worker_traceback():
    assert run_all(WorkerPool(2), square, [(i,) for i in range(20)]) == [i * i for i in range(20)]
    assert os.getpid() not in set(run_all(WorkerPool(2), pid, [()] * 4))
    [error] = run_all(WorkerPool(1), refuse, [(1,)])
    assert isinstance(error, NotAnArticle) and str(error) == "listing page"
    assert isinstance(error.__cause__, RemoteTraceback) and "in refuse" in str(error.__cause__)


def test_a_dead_worker_costs_only_its_own_task_after_one_retry():
    pool = WorkerPool(2, retries=1)
    results = run_all(pool, die_on, [(i, 7) for i in range(16)])
    assert isinstance(results[7], WorkerCrashed) and results[7].kind == "worker_crashed"
    assert results[:7] + results[8:] == [i for i in range(16) if i != 7]
    assert pool.restarts == 2  # the culprit killed a worker on each of its two tries


def test_a_hung_task_is_stopped_at_the_timeout_and_the_rest_complete():
    pool = WorkerPool(2, timeout=1.5)
    began = time.monotonic()
    results = run_all(pool, hang_on, [(i, 3) for i in range(10)])
    assert isinstance(results[3], WorkerTimeout) and results[3].kind == "worker_timeout"
    assert results[:3] + results[4:] == [i for i in range(10) if i != 3]
    assert pool.restarts == 1
    assert time.monotonic() - began < 30  # not the 60 s the task wanted (a bound, not a benchmark)


def test_zero_workers_run_in_place_and_a_closed_pool_too():
    assert asyncio.run(WorkerPool(0).run(pid)) == os.getpid()
    pool = WorkerPool(1)
    pool.close()
    assert asyncio.run(pool.run(pid)) == os.getpid()
    with pytest.raises(ValueError):
        WorkerPool(-1)
    assert 1 <= default_workers() <= 4


def test_parse_page_decodes_like_response_text():
    html = ("<html><head><meta charset='utf-8'><title>Kafé</title></head><body><p>Kafé di Bangka</p>"
            "</body></html>")
    assert redecoded(html.encode("utf-8"), "utf-8") is None
    assert redecoded(html.encode("cp1252"), "utf-8") == html  # windows-1252 bytes sent as utf-8
    assert redecoded(html.encode("utf-8"), "cp1252") == html  # utf-8 sent as windows-1252
    with pytest.raises(NotAnArticle):
        parse_page(b"\xef\xbb\xbf" + html.encode("utf-8"), "utf-8", "https://bangka.tribunnews.com/x")


@pytest.mark.parametrize("path", REAL_PAGES, ids=lambda p: p.name[:40])
def test_parse_page_gives_what_parsing_response_text_gives(path: Path):
    from w3lib.encoding import html_to_unicode

    from crawler.parsers import parse_article

    url = "https://" + path.relative_to(ROOT / "mirror").as_posix()
    body = path.read_bytes()
    encoding, text = html_to_unicode("text/html; charset=utf-8", body)
    assert parse_page(body, encoding, url) == parse_article(text, url)


def test_workers_that_cannot_start_leave_the_work_to_the_crawls_thread(caplog: pytest.LogCaptureFixture):
    """A broken environment (the worker cannot even import the crawler) must not turn into a loop of dying
    processes and lost pages: after a few start failures the pool computes in place."""
    pool = WorkerPool(2)
    pool.COMMAND = "import sys; sys.exit(3)"
    results = run_all(pool, square, [(i,) for i in range(12)])
    assert results == [i * i for i in range(12)]
    assert pool.fell_back and pool.in_process
    assert pool.restarts == WorkerPool.START_FAILURES
    assert "keep dying before their first result (last exit code 3" in caplog.text


def test_read_article_page_normalises_an_article_at_its_last_page_only():
    """The real P2020 page is page 1 of 2 (its pager links ?page=2): reading it asks for page 2, and reading page
    2 finishes the article, normalised from both pages exactly as normalise_article makes it."""
    from crawler.items import FetchedArticle
    from crawler.normalise.article import normalise_article

    base = ROOT / "mirror" / "solo.tribunnews.com" / "2020" / "10" / "09"
    name = "protokol-kesehatan-3m-adalah-vaksin-terbaik-cegah-covid-19-simak-penjelasan-dokter"
    url = f"https://solo.tribunnews.com/2020/10/09/{name}"
    state = ArticleState(url=url, page=1, fetched_at=datetime(2025, 1, 2, tzinfo=UTC), is_update=False)
    first = read_article_page((base / name).read_bytes(), "utf-8", url, state, 20)
    assert first.article is None and first.raw.page_count == 2
    assert first.next is not None and first.next.page == 2 and first.next.pages == [first.raw]
    assert state.pages == []  # the request's own state is left as it was
    second = read_article_page((base / f"{name}?page=2").read_bytes(), "utf-8", f"{url}?page=2", first.next, 20)
    assert second.next is None and second.pages_read == 2
    expected = normalise_article(FetchedArticle.from_pages(
        pages=[first.raw, second.raw], url=url, fetched_at=state.fetched_at, http_date=None, discovered={},
        is_update=False))
    assert second.article == expected
    assert second.article.pages == 2

    # With a page limit of 1 the article is emitted from page 1 alone, saying it has 2 pages.
    cut = read_article_page((base / name).read_bytes(), "utf-8", url, state, 1)
    assert cut.page_limit and cut.next is None and cut.article is not None and cut.article.pages == 2


# A UTF-8 article paragraph with curly quotes, an en dash and accents: 7 non-ASCII characters.
KAFE = "<html><head><meta charset='utf-8'><title>Kafé</title></head><body><p>“Kafé” – crème brûlée</p>"


@pytest.mark.parametrize("declared", ["utf-8", "windows-1252"])
def test_a_few_bad_bytes_in_a_utf8_page_become_u_fffd_and_nothing_else_changes(declared: str):
    # Two stray bytes in one paragraph (0xFF and a lone continuation byte 0x80 can start no UTF-8 sequence).
    body = KAFE.encode("utf-8").replace("crème".encode(), b"cr\xffme") + b"<p>x \x80 y</p></body></html>"
    text, replaced = decode_page(body, declared)
    assert replaced == 2
    assert text == KAFE.replace("crème", "cr\ufffdme") + "<p>x \ufffd y</p></body></html>"


def test_a_windows_1252_page_is_still_read_as_windows_1252():
    page = KAFE + "</body></html>"
    # Every non-ASCII character of it is a byte that fits no UTF-8 sequence: really not UTF-8.
    assert not is_mostly_utf8(page.encode("cp1252"))
    assert decode_page(page.encode("cp1252"), "utf-8") == (page, 0)
    assert decode_page(page.encode("cp1252"), "windows-1252") == (None, 0)  # the declared charset is right
    # One valid UTF-8 character among many windows-1252 ones does not make it UTF-8.
    mixed = page.encode("cp1252") + "©".encode()
    assert decode_page(mixed, "utf-8")[0] == page + "Â©"


def test_clean_pages_are_left_to_the_declared_charset():
    assert decode_page(KAFE.encode("utf-8"), "utf-8") == (None, 0)
    assert decode_page(b"<p>ascii</p>", "windows-1252") == (None, 0)


def test_the_count_of_replaced_bytes_comes_back_from_a_worker_process():
    base = ROOT / "mirror" / "solo.tribunnews.com" / "2020" / "10" / "09"
    name = "pemkot-solo-siapkan-simulasi-sekolah-tatap-muka-di-20-smp"
    url = f"https://solo.tribunnews.com/2020/10/09/{name}"
    page = (base / name).read_bytes()
    clean = parse_page(page, "utf-8", url)
    first = clean.paragraphs[0]
    broken_word = first.split()[1].encode("utf-8")
    # The page needs more valid UTF-8 than broken bytes to count as UTF-8: add a line of accents.
    body = page.replace(broken_word, broken_word[:1] + b"\xfe" + broken_word[1:], 1)
    body = body.replace(b"</body>", "<p>“Kafé” – crème brûlée</p></body>".encode(), 1)
    pool = WorkerPool(1)
    try:
        state = ArticleState(url=url, fetched_at=datetime(2025, 1, 2, tzinfo=UTC))
        step = asyncio.run(pool.run(read_article_page, body, "utf-8", url, state, 20))
        raw, replaced = step.raw, step.replaced
    finally:
        pool.close()
    assert replaced == 1
    assert raw.paragraphs[0] == first.replace(broken_word.decode(), broken_word[:1].decode() + "\ufffd"
                                              + broken_word[1:].decode(), 1)
    assert raw.title == clean.title
