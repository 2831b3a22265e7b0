"""Era B (about 2017-2022, "theme15") desktop article: ``h1#arttitle``, a ``<time>`` without ``Tayang:`` in
``div.grey.bdr3``, body ``div.side-article.txt-article``, JSON-LD NewsArticle + dataLayer, ``#editor``/``#penulis``
credit divs with a ``Sumber:`` sibling, ``h5.tagcloud3`` tags (real page P2020).

It claims a page only when the title, the body and the date block all have their era-B shape: a redesign that
keeps one of those class names is left to the ``generic`` layout rather than read by rules written for this one."""

from __future__ import annotations

from parsel import Selector

from crawler.parsers import _common as c
from crawler.parsers.base import RawArticle
from crawler.parsers.desktop2015 import photo_credit

NAME = "desktop2017"


def matches(sel: Selector, url: str) -> bool:
    page = c.page_for(sel)
    h1, body = page.h1, page.body
    if h1 is None or h1.get("id") != "arttitle" or body is None:
        return False
    if not (c.has_class(body, "side-article") and c.has_class(body, "txt-article")):
        return False
    block = c.date_block(page)
    return block is not None and next(block.iter("time"), None) is not None


def parse(sel: Selector, url: str) -> RawArticle:
    page = c.page_for(sel)
    image_url, caption = c.lead_image(page)
    vis = c.Visible(
        title=c.text_of(page.h1) or None,
        lede=c.hidden_lede(page),
        paragraphs=c.paragraphs_of(page),
        published=c.visible_dates(page),
        credits=c.credit_texts(page),
        breadcrumb=c.breadcrumb_ul(page),
        topic=c.topic_pill(page),
        tags=c.tagcloud(page),
        image_url=image_url,
        image_caption=caption,
        image_credit=photo_credit(page),
        pages=c.pagination(page, url),
    )
    return c.assemble(page, url, NAME, vis)
