"""`pages`: the page count the pages read show, or null when they do not say (crawler.items.known_page_count,
used by the crawl through crawler.article_flow and by ``scrapy extract``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.article_flow import ArticleState, advance
from crawler.items import known_page_count
from crawler.parsers.base import RawArticle

URL = "https://www.tribunnews.com/nasional/2024/05/14/x"
WHEN = datetime(2026, 11, 25, tzinfo=UTC)


def page(n: int = 1, count: int = 1, whole: bool = False) -> RawArticle:
    return RawArticle(url=URL, layout="desktop2023", title="Judul", paragraphs=[f"Paragraf halaman {n}."],
                      published=[("jsonld", "2024-05-14T10:00:00+07:00")], page=n, page_count=count,
                      is_all_pages=whole)


@pytest.mark.parametrize(("pages", "expected"), [
    # A whole view (?page=all) showing no pager: one page, or three behind a hidden pager; it does not say.
    ([page(whole=True)], None),
    # A whole view whose pager shows the three pages it joins.
    ([page(count=3, whole=True)], 3),
    # Three pages walked one by one.
    ([page(1, 3), page(2, 3), page(3, 3)], 3),
    # One numbered page, page 2 of 3 (what `scrapy extract` reads): its pager says 3.
    ([page(2, 3)], 3),
    # A plain page with no pager: an article on one page.
    ([page()], 1),
])
def test_known_page_count(pages: list[RawArticle], expected: int | None):
    assert known_page_count(pages) == expected


def test_a_whole_view_that_hides_a_three_page_pagination_is_not_called_one_page():
    """The crawl's path: ?page=all answered whole, without a pager, for an article published on three pages."""
    step = advance(ArticleState(url=URL, page="all", fetched_at=WHEN), page(whole=True), max_pages=30)
    assert step.article is not None and step.article.pages is None


def test_page_one_of_three_behind_an_ignored_page_all_is_walked_and_counted():
    """A server that ignores ?page=all answers with page 1 of 3: the article is walked and has 3 pages."""
    state = ArticleState(url=URL, page="all", fetched_at=WHEN)
    step = advance(state, page(1, 3), max_pages=30)
    assert step.not_whole and step.article is None and step.next is not None and step.next.page == 2
    step = advance(step.next, page(2, 3), max_pages=30)
    step = advance(step.next, page(3, 3), max_pages=30)
    assert step.next is None and step.article is not None and step.article.pages == 3
    assert step.article.body.split("\n\n") == ["Paragraf halaman 1.", "Paragraf halaman 2.", "Paragraf halaman 3."]
