"""The request-level cross-run skip (crawler.middlewares.seen) with fake requests and a real store."""

from __future__ import annotations

import asyncio
import inspect

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.article_flow import META_KEY, ArticleState
from crawler.extensions.state import StateExtension
from crawler.middlewares.seen import SeenRequestsMiddleware
from crawler.state import StateRow, to_epoch

URL = "https://bangka.tribunnews.com/2025/01/10/banjir"
OTHER = "https://solo.tribunnews.com/2025/01/10/banjir-solo"
PUBLISHED = to_epoch("2025-01-10T09:00:00+07:00")


def article_request(url: str = URL, lastmod: str | None = None) -> Request:
    discovered = {"via": "sitemap", "lastmod": lastmod, "publication_date": None}
    return Request(f"{url}?page=all", meta={META_KEY: ArticleState(url=url, discovered=discovered)})


def run(middleware: SeenRequestsMiddleware, request: Request) -> None:
    return asyncio.run(middleware.process_request(request))


@pytest.fixture
def seeded(make_crawler):
    """A crawler whose state holds URL (emitted, modified 10:00 WIB) and OTHER (a duplicate of URL)."""

    def build(**kwargs):
        crawler = make_crawler(**kwargs)
        state = crawler.get_extension(StateExtension)
        state.store.commit([StateRow(URL, "f" * 32, None, PUBLISHED, to_epoch("2025-01-10T10:00:00+07:00")),
                            StateRow(OTHER, "e" * 32, URL, PUBLISHED, None)], run_id="earlier")
        return crawler, state, SeenRequestsMiddleware.from_crawler(crawler)

    return build


def test_is_async():
    assert inspect.iscoroutinefunction(SeenRequestsMiddleware.process_request)


def test_needs_the_state_extension(make_crawler):
    crawler = make_crawler()
    crawler.extensions.clear()
    with pytest.raises(NotConfigured):
        SeenRequestsMiddleware.from_crawler(crawler)


def test_other_requests_pass_untouched(seeded):
    _, _, mw = seeded()
    request = Request("https://bangka.tribunnews.com/sitemap.xml")
    assert run(mw, request) is None
    assert META_KEY not in request.meta


def test_new_article_passes_and_its_lastmod_is_noted(seeded):
    crawler, state, mw = seeded()
    request = article_request("https://bangka.tribunnews.com/2025/01/11/baru", lastmod="2025-01-11T08:00:00+07:00")
    assert run(mw, request) is None
    assert request.meta[META_KEY].is_update is False
    assert state.lastmods == {"https://bangka.tribunnews.com/2025/01/11/baru": to_epoch("2025-01-11T08:00:00+07:00")}
    assert crawler.stats.get_value("tribun/dedup/skipped_seen") is None


@pytest.mark.parametrize("url", [URL, OTHER])
def test_emitted_or_duplicate_article_is_skipped_before_download(seeded, url: str):
    crawler, state, mw = seeded()
    with pytest.raises(IgnoreRequest):
        run(mw, article_request(url))
    assert crawler.stats.get_value("tribun/dedup/skipped_seen") == 1
    assert state.touched == {url}


def test_lookup_uses_the_canonical_url(seeded):
    _, _, mw = seeded()
    request = article_request(URL)
    request.meta[META_KEY].url = "http://bangka.tribunnews.com/amp/2025/01/10/banjir/?utm_source=x"
    with pytest.raises(IgnoreRequest):
        run(mw, request)


@pytest.mark.parametrize(("lastmod", "let_through"), [
    ("2025-01-12T08:00:00+07:00", True),  # newer than the stored modification time
    ("2025-01-10T10:00:00+07:00", False),  # the same
    ("2025-01-10T09:30:00+07:00", False),  # older
    (None, False),  # unknown (RSS, listings): no reason to fetch again
])
def test_updates_refetch_only_what_the_sitemap_says_changed(seeded, lastmod: str | None, let_through: bool):
    crawler, state, mw = seeded(updates=True)
    request = article_request(URL, lastmod=lastmod)
    if let_through:
        assert run(mw, request) is None
        assert request.meta[META_KEY].is_update is True
        assert state.lastmods[URL] == to_epoch(lastmod)
        assert crawler.stats.get_value("tribun/dedup/update_fetches") == 1
    else:
        with pytest.raises(IgnoreRequest):
            run(mw, request)


def test_without_updates_a_newer_lastmod_is_still_skipped(seeded):
    _, _, mw = seeded()
    with pytest.raises(IgnoreRequest):
        run(mw, article_request(URL, lastmod="2030-01-01T00:00:00+07:00"))


def test_a_stored_duplicate_is_never_an_update(seeded):
    _, _, mw = seeded(updates=True)
    with pytest.raises(IgnoreRequest):
        run(mw, article_request(OTHER, lastmod="2030-01-01T00:00:00+07:00"))


def test_naive_lastmod_is_read_in_the_portal_zone(seeded):
    # 10:30 in Bangka (WIB) is after the stored 10:00 WIB; read as UTC it would be 17:30 WIB.
    _, state, mw = seeded(updates=True)
    request = article_request(URL, lastmod="2025-01-10T10:30:00")
    run(mw, request)
    assert state.lastmods[URL] == to_epoch("2025-01-10T10:30:00+07:00")


def test_fresh_ignores_the_store(seeded):
    _, state, mw = seeded(fresh=True)
    request = article_request(URL)
    assert run(mw, request) is None
    assert request.meta[META_KEY].is_update is False
    assert state.store.get(URL) is not None  # ignored, not erased


def test_follow_up_requests_of_an_article_are_not_looked_up_again(seeded):
    _, state, mw = seeded()
    page2 = Request(f"{URL}?page=2", meta={META_KEY: ArticleState(url=URL, page=2, is_update=False)})
    assert run(mw, page2) is None
    assert state.touched == set()
