"""Era B (about 2017-2022, "theme15") desktop article: ``h1#arttitle``, a ``<time>`` without ``Tayang:`` in
``div.grey.bdr3``, body ``div.side-article.txt-article``, JSON-LD NewsArticle + dataLayer, ``#editor``/``#penulis``
credit divs with a ``Sumber:`` sibling, ``h5.tagcloud3`` tags (real page P2020).

Registered after the more specific layouts, it is also the generic desktop fallback: any page with an
``h1#arttitle`` or a ``txt-article`` body that no other layout claimed."""

from __future__ import annotations

from parsel import Selector

from crawler.parsers import _common as c
from crawler.parsers.base import RawArticle

NAME = "desktop2017"


def matches(sel: Selector, url: str) -> bool:
    page = c.page_for(sel)
    h1 = page.h1
    return (h1 is not None and h1.get("id") == "arttitle") or page.body is not None


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
        pages=c.pagination(page, url),
    )
    return c.assemble(page, url, NAME, vis)
