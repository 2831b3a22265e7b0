"""Pagination as a page shows it: links to ``?page=N`` of the same article (in a ``div.paging`` or anywhere in
the scope), the current page (``#pagecurrent``, an active link, "Halaman 1/2"), head ``rel=next/prev``, and
whether a ``?page=all`` response is the whole article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from crawler.parsers.document import Page
from crawler.parsers.text import absolute, text_of

_PAGE_OF = re.compile(r"Halaman\s*(\d+)\s*/\s*(\d+)", re.I)




@dataclass(slots=True)
class Pagination:
    page: int = 1
    page_count: int = 1
    page_urls: list[str] = field(default_factory=list)
    is_all_pages: bool = False


_PAGE_PARAM = re.compile(r"[?&]page=([^&#]*)", re.I)
_URL_PATH = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?(?://[^/?#]*)?([^?#]*)", re.I)


def _page_param(url: str) -> str | None:
    m = _PAGE_PARAM.search(url)
    return m.group(1).strip().lower() if m else None


def _article_key(url: str) -> str:
    """The path that identifies an article across its m./amp/?page=N variants (host aliases are not compared:
    a pagination link of the same path on another host of the network is still this article)."""
    m = _URL_PATH.match(url)
    path = m.group(1) if m else url
    if path.startswith("/amp/"):
        path = path[4:]
    return path.rstrip("/").lower()


def _is_active(a: Any) -> bool:
    cls = a.get("class")
    return bool(cls) and ("active" in cls.split() or "current" in cls.split())


def pager_parts(scope: Any) -> tuple[list[Any], list[Any]]:
    """(:func:`page_links`, :func:`total_page_spans`) of ``scope`` in one walk: the scope is the body's parent,
    often most of the page, and each walk makes a Python object of every element it yields."""
    in_pager: set[Any] = set()
    anchors: list[Any] = []
    spans: list[Any] = []
    # A pager's links follow the pager div in document order, so ``in_pager`` is filled before they are met.
    for el in scope.iterdescendants("div", "a", "span"):
        tag = el.tag
        if tag == "a":
            if "page=" in (el.get("href") or "") or el in in_pager:
                anchors.append(el)
        elif tag == "span":
            if "total-page" in (el.get("class") or ""):
                spans.append(el)
        elif "paging" in (el.get("class") or ""):
            in_pager.update(a for a in el.iterdescendants("a") if a.get("href") is not None)
    return anchors, spans


def page_parts(page: Page, scope: Any) -> tuple[list[Any], list[Any]]:
    """:func:`pager_parts` of ``scope``, remembered on ``page``: layout detection and pagination both ask."""
    memo = page.memo.get("pager_parts")
    if memo is None or memo[0] is not scope:
        memo = page.memo["pager_parts"] = (scope, pager_parts(scope))
    return memo[1]


def page_links(scope: Any) -> list[Any]:
    """_X_PAGE_LINKS in Python: links to ``page=`` and every link inside a ``div.paging``, in document order."""
    return pager_parts(scope)[0]


def total_page_spans(scope: Any) -> list[Any]:
    """``descendant::span[contains(@class, 'total-page')]`` of ``scope``."""
    return pager_parts(scope)[1]


def pagination(page: Page, url: str, scope: Any = None) -> Pagination:
    """Pagination as the page shows it: ``div.paging`` links, ``#pagecurrent``, ``span.total-page``
    "Halaman 1/2", "Halaman selanjutnya" and head ``rel=next/prev`` links to pages of this same article."""
    if scope is None:
        body = page.body
        parent = body.getparent() if body is not None else None
        scope = parent if parent is not None else page.region
    me = _article_key(url)
    requested = _page_param(url)
    current: int | None = None
    total = 0
    links: dict[int, str] = {}

    anchors, totals = page_parts(page, scope)
    shows_all = False  # the pager marks the whole-article link ("Semua") as the current one
    hrefs = [(a.get("href"), a) for a in anchors]
    hrefs += [(page.links.get(rel), None) for rel in ("next", "prev") if page.links.get(rel)]
    for href, a in hrefs:
        absu = absolute(url, href)
        if not absu or _article_key(absu) != me:
            continue
        marked = a is not None and (a.get("id") == "pagecurrent" or _is_active(a))
        param = _page_param(absu)
        if param is None:
            number = 1
        elif param.isdigit():
            number = int(param)
        else:
            shows_all = shows_all or (marked and param == "all")
            continue  # ?page=all and friends are not page numbers
        if marked:
            current = number
        links.setdefault(number, absu)

    cur_el = page.by_id("pagecurrent")
    cur_text = text_of(cur_el) if cur_el is not None else ""
    if cur_text.isdigit():
        current = int(cur_text)
    for span in totals:
        m = _PAGE_OF.search(text_of(span))
        if m:
            if current is None:
                current = int(m.group(1))
            total = max(total, int(m.group(2)))
    numbered_view = current is not None  # the page itself says it is page N of a split article
    if current is None:
        current = int(requested) if requested and requested.isdigit() and int(requested) > 0 else 1
    count = max([total, current, *links]) if links else max(total, current)
    urls = [links[n] for n in sorted(links) if n != current]
    # A ?page=all response is whole when it shows no pages beyond 1, or its pager marks "all" as current;
    # a server that ignored the parameter serves page 1 and marks page 1 (or "Halaman 1/N") instead.
    all_pages = requested == "all" and not numbered_view and (count <= 1 or shows_all)
    return Pagination(page=current, page_count=max(count, 1), page_urls=urls, is_all_pages=all_pages)
