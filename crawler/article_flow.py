"""One article's way through the crawl: the state its requests carry, and what each page read decides.

Pure (no Scrapy): the spider keeps one :class:`ArticleState` in ``request.meta["tribun"]`` for every request
of an article, and a worker process reads each page with :func:`read_article_page`, which also decides the
next step (:func:`advance`). Whatever way the article was fetched (its whole-article view, or page by page),
it is normalised here, in the task that read its last page, by the one function
:func:`crawler.normalise.article.normalise_article`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from crawler.items import Article, FetchedArticle
from crawler.normalise.article import normalise_article
from crawler.parsers.base import RawArticle, is_whole

__all__ = ["META_KEY", "ArticleState", "Step", "advance"]

# The request.meta key of an article request's state; a request without it is not an article request.
META_KEY = "tribun"


@dataclass(slots=True)
class ArticleState:
    """What the crawl knows of one article between its requests (travels in ``request.meta["tribun"]``).

    Every request of the article gets its own copy (:meth:`ask`), so a retried or re-scheduled request never
    sees pages that a later request read.
    """

    url: str                                   # canonical page-1 URL: the article's identity
    discovered: dict[str, Any] = field(default_factory=dict)  # sitemap/RSS/listing facts (lastmod, …)
    page: int | str = "all"                    # what this request asks for: "all" (whole view) or a page number
    pages: list[RawArticle] = field(default_factory=list)  # pages read so far, page 1 first
    announced: int = 1                         # the most pages any page read so far announced
    # Set by the seen-articles middleware on the first request: True when re-fetched because it changed,
    # None while not decided (the middleware decides once per article).
    is_update: bool | None = None
    fetched_at: datetime | None = None         # when the article's first response arrived (aware, UTC)
    http_date: str | None = None               # that response's Date header (base for "3 jam lalu")

    def ask(self, page: int | str, pages: list[RawArticle] | None = None, announced: int | None = None
            ) -> ArticleState:
        """The state of the article's next request, for ``page``."""
        return replace(self, page=page, pages=list(self.pages if pages is None else pages),
                       announced=self.announced if announced is None else announced,
                       discovered=dict(self.discovered))

    def fetched(self, pages: list[RawArticle], page_count: int | None = None) -> FetchedArticle:
        """The whole article's evidence with its fetch context; ``page_count`` when more is known than the pages
        read show (an article cut short at the page limit)."""
        fetched = FetchedArticle.from_pages(url=self.url, pages=pages, fetched_at=self.fetched_at,
                                            http_date=self.http_date, discovered=self.discovered,
                                            is_update=bool(self.is_update))
        if page_count is not None:
            fetched.pages = page_count
        return fetched


@dataclass(slots=True)
class Step:
    """What one page read decided: the finished article, or the page to ask for next."""

    raw: RawArticle                            # the page as read
    article: Article | None = None             # the finished, normalised article
    next: ArticleState | None = None           # the state of the next request, when a page is still missing
    not_whole: bool = False                    # a ?page=all request was answered with page 1 of N
    page_limit: bool = False                   # the article announces more pages than max_pages
    pages_read: int = 1                        # pages the article was read from
    replaced: int = 0                          # bytes of the page replaced with U+FFFD (see crawler.workers)


def advance(state: ArticleState, raw: RawArticle, max_pages: int) -> Step:
    """The next step of an article after reading ``raw``, the page ``state`` asked for.

    A whole-article view ends the article; a numbered page asks for the next one until the last announced page
    (or ``max_pages``, where the article is emitted with the pages read and ``page_limit`` set). A ``?page=all``
    answered with page 1 of a split article (the server ignored the parameter) continues as page 1.
    """
    page = state.page
    not_whole = False
    if page == "all":
        if is_whole(raw):
            return Step(raw, article=normalise_article(state.fetched([raw])))
        not_whole = True
        page = 1
        raw = replace(raw, page=1)
    pages = [*state.pages, raw]
    announced = max(state.announced, raw.page_count)
    if isinstance(page, int) and page < announced:
        if page < max_pages:
            return Step(raw, next=state.ask(page + 1, pages, announced), not_whole=not_whole)
        article = normalise_article(state.fetched(pages, announced))
        return Step(raw, article=article, not_whole=not_whole, page_limit=True, pages_read=len(pages))
    article = normalise_article(state.fetched(pages))
    return Step(raw, article=article, not_whole=not_whole, pages_read=len(pages))
