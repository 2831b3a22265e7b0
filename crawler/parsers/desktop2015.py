"""Era A (about 2015) desktop article: ``h1#arttitle``, the date as an ``h3`` in ``div.grey.bdr3``, no JSON-LD,
no dataLayer; credits as bare ``div.f11.grey.pb10 > div`` lines after the body; the tags are the ``#`` links of
the "Terkait" line in ``div#related``; the photo credit is a ``div.f11.white`` overlay in ``#artimg`` (real page
P2015)."""

from __future__ import annotations

from lxml import etree
from parsel import Selector

from crawler.parsers import _common as c
from crawler.parsers.base import RawArticle
from crawler.parsers.labels import CREDIT_LABELS

NAME = "desktop2015"

_X_CREDIT_DIVS = etree.XPath("descendant::div[contains(@class, 'f11') and contains(@class, 'grey')]/div")
_X_CRUMBS = etree.XPath("./div[contains(@class, 'bsht')]/a")
_X_RELATED_TAGS = etree.XPath("descendant::a[contains(@href, '/tag/')]")


def matches(sel: Selector, url: str) -> bool:
    page = c.page_for(sel)
    h1 = page.h1
    if h1 is None or h1.get("id") != "arttitle":
        return False
    block = c.date_block(page)
    return block is not None and next(block.iter("time"), None) is None and next(block.iter("h3"), None) is not None


def _credits(page: c.Page) -> list[str]:
    lines = [t for t in (c.text_of(d) for d in _X_CREDIT_DIVS(page.region)) if t.startswith(CREDIT_LABELS)]
    return lines or c.credit_texts(page)


def _breadcrumb(page: c.Page) -> list[str]:
    va = page.by_id("va")
    crumbs = [t for t in (c.text_of(a) for a in _X_CRUMBS(va))] if va is not None else []
    return [t for t in crumbs if t] or c.breadcrumb_ul(page)


def photo_credit(page: c.Page) -> str | None:
    """The photographer's name laid over the lead image (``#artimg div.f11.white``); era B kept it."""
    art = page.by_id("artimg")
    if art is None:
        return None
    for div in art.iter("div"):
        if c.has_class(div, "f11") and c.has_class(div, "white"):
            return c.text_of(div) or None
    return None


def _tags(page: c.Page) -> list[str]:
    """The page's own tag block: the "Terkait" ``#tag`` links of ``div#related``, not the meta keywords."""
    related = page.by_id("related")
    return c.tag_texts(_X_RELATED_TAGS(related)) if related is not None else []


def parse(sel: Selector, url: str) -> RawArticle:
    page = c.page_for(sel)
    image_url, caption = c.lead_image(page)
    vis = c.Visible(
        title=c.text_of(page.h1) or None,
        paragraphs=c.paragraphs_of(page),
        published=c.visible_dates(page),
        credits=_credits(page),
        breadcrumb=_breadcrumb(page),
        tags=_tags(page),
        image_url=image_url,
        image_caption=caption,
        image_credit=photo_credit(page),
        pages=c.pagination(page, url),
    )
    return c.assemble(page, url, NAME, vis)
