"""Era C (2023 onward, "theme23") desktop article. No real page has been seen: the markup comes from scraper
code and second-hand claims (docs/layouts.md), so every element is optional and both reported shapes are read:

* credit: one-line ``h5#penulis`` ("Penulis: X | Editor: Y") or ``div#penulis`` + ``div#editor``;
* date: ``<time><strong>Tayang:</strong> <span>…</span></time>`` or ``<strong>Tayang:</strong> <time datetime>``,
  optional ``Diperbarui: …``, optional ``<span class="timeago">24h</span> via <a>outlet</a>`` line;
* pagination ``span.total-page`` "Halaman 1/2"; ``keywordBrandSafety`` script text when the DOM body is empty.
"""

from __future__ import annotations

from lxml import etree
from parsel import Selector

from crawler.parsers import _common as c
from crawler.parsers.base import RawArticle

NAME = "desktop2023"

_X_CREDIT_DIV = etree.XPath("descendant::div[contains(concat(' ', normalize-space(@class), ' '), ' credit ')]")


def matches(sel: Selector, url: str) -> bool:
    page = c.page_for(sel)
    body = page.body
    if body is not None and c.has_class(body, "multi-fontsize"):
        return True
    penulis = page.by_id("penulis")
    if penulis is not None and penulis.tag == "h5":
        return True
    if page.h1 is None and body is None:
        return False
    if c.has_tayang_label(page):
        return True
    scope = body.getparent() if body is not None else None
    return bool(c.total_page_spans(scope if scope is not None else page.region))


def _lede(page: c.Page) -> str | None:
    if page.h1 is not None:
        # following-sibling::*[1][self::h2]: the next element, comments skipped.
        after = next(page.h1.itersiblings("*"), None)
        if after is not None and after.tag == "h2":
            return c.text_of(after) or None
    return c.hidden_lede(page)


def _credits(page: c.Page) -> list[str]:
    lines = c.credit_texts(page)
    if lines:
        return lines
    # Some era-C pages are reported with a bare div.credit holding the line, without ids.
    return [t for t in (c.text_of(d) for d in _X_CREDIT_DIV(page.region)) if t][:1]


def parse(sel: Selector, url: str) -> RawArticle:
    page = c.page_for(sel)
    image_url, caption = c.lead_image(page)
    relative, via = c.relative_label(page)
    vis = c.Visible(
        title=c.text_of(page.h1) or None,
        lede=_lede(page),
        paragraphs=c.paragraphs_of(page),
        published=c.visible_dates(page) + relative,
        modified=c.updated_dates(page),
        credits=_credits(page),
        sources=via,
        breadcrumb=c.breadcrumb_ul(page),
        topic=c.topic_pill(page),
        tags=c.tagcloud(page),
        image_url=image_url,
        image_caption=caption,
        pages=c.pagination(page, url),
    )
    return c.assemble(page, url, NAME, vis)
