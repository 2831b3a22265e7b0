"""``m.tribunnews.com`` article page. No real mobile article has been seen (only the 2022 mobile homepage,
P2022m): recognised by the dataLayer ``'agent':'mobile'`` or the ``m_tnews_article`` stylesheet; the title is
``h1#arttitle``, the date a ``time.foot`` after it, credits ``#penulis``/``#editor``, tags ``a.rd2`` to ``/tag/``."""

from __future__ import annotations

from lxml import etree
from parsel import Selector

from crawler.parsers import _common as c
from crawler.parsers.base import RawArticle

NAME = "mobile"

_X_TAG_LINKS = etree.XPath("/descendant::a[contains(@class, 'rd2')][contains(@href, '/tag/')]")
_X_IMG_BEFORE_BODY = etree.XPath("preceding::img[not(contains(@src, '.svg'))][1]")


def matches(sel: Selector, url: str) -> bool:
    page = c.page_for(sel)
    if page.datalayer.get("agent", "").lower() == "mobile":
        return True
    return any("m_tnews_article" in href for href in page.stylesheets)


def _lead_image(page: c.Page) -> tuple[str | None, str | None]:
    """``#artimg`` when present, else the photo between header and body with its grey caption line."""
    url, caption = c.lead_image(page)
    if url or page.body is None:
        return url, caption
    found = _X_IMG_BEFORE_BODY(page.body)
    if not found or not any(a is page.region for a in found[0].iterancestors()):
        return None, None
    img = found[0]
    nxt = img.getnext()
    if nxt is not None and isinstance(nxt.tag, str) and ("grey" in (nxt.get("class") or "") or nxt.tag == "figcaption"):
        caption = c.text_of(nxt) or None
    return img.get("data-src") or img.get("src"), caption


def parse(sel: Selector, url: str) -> RawArticle:
    page = c.page_for(sel)
    image_url, caption = _lead_image(page)
    vis = c.Visible(
        title=c.text_of(page.h1) or None,
        paragraphs=c.paragraphs_of(page),
        published=c.visible_dates(page),
        modified=c.updated_dates(page),
        credits=c.credit_texts(page),
        breadcrumb=c.breadcrumb_ul(page),
        tags=c.tagcloud(page) or c.tag_texts(_X_TAG_LINKS(page.root)),
        image_url=image_url,
        image_caption=caption,
        pages=c.pagination(page, url),
    )
    return c.assemble(page, url, NAME, vis)
