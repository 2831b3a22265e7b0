"""AMP article page (``/amp/…``). No real AMP page has been seen; the markup is inferred (docs/layouts.md):
``<html amp>``/``<html ⚡>``, ``h1.amp-title``, ``div.amp-date time[datetime]``, ``div.amp-credit`` spans,
lead ``amp-img`` + ``div.amp-caption``, body ``div.amp-article-body``, ``div.amp-tags`` links."""

from __future__ import annotations

from lxml import etree
from parsel import Selector

from crawler.parsers import _common as c
from crawler.parsers.base import RawArticle

NAME = "amp"

_X_TITLE = etree.XPath("/descendant::h1[contains(@class, 'amp-title')]")
_X_DATE = etree.XPath("/descendant::div[contains(@class, 'amp-date')]")
_X_TAGS = etree.XPath("/descendant::div[contains(@class, 'amp-tags')]/descendant::a")
_X_LEAD_IMG = etree.XPath("preceding::amp-img[1]")
_X_CAPTION = etree.XPath(
    "following-sibling::*[1][contains(@class, 'amp-caption')] | ancestor::figure[1]/figcaption"
)
_X_ANY_CAPTION = etree.XPath("/descendant::div[contains(@class, 'amp-caption')]")


def matches(sel: Selector, url: str) -> bool:
    page = c.page_for(sel)
    root = page.root
    attrs = root.attrib if isinstance(getattr(root, "tag", None), str) else {}
    if "amp" in attrs or "⚡" in attrs:
        return True
    if "amphtml" in page.links:
        return False  # a page that links to its AMP version is not the AMP version
    # The html attribute can be lost by re-serialisation; the AMP runtime script is then the marker.
    return "/amp" in url and page.amp_script


def _image(page: c.Page) -> tuple[str | None, str | None]:
    body = page.body
    found = _X_LEAD_IMG(body) if body is not None else []
    if not found:
        return c.lead_image(page)
    img = found[0]
    caps = _X_CAPTION(img) or _X_ANY_CAPTION(page.root)
    return img.get("src"), (c.text_of(caps[0]) or None) if caps else None


def parse(sel: Selector, url: str) -> RawArticle:
    page = c.page_for(sel)
    titles = _X_TITLE(page.root)
    h1 = titles[0] if titles else page.h1
    dates = _X_DATE(page.root)
    image_url, caption = _image(page)
    vis = c.Visible(
        title=c.text_of(h1) or None,
        paragraphs=c.paragraphs_of(page),
        published=c.visible_dates(page, dates[0]) if dates else c.visible_dates(page),
        modified=c.updated_dates(page),
        credits=c.credit_texts(page),
        breadcrumb=c.breadcrumb_ul(page),
        tags=c.tag_texts(_X_TAGS(page.root)) or c.tagcloud(page),
        image_url=image_url,
        image_caption=caption,
        pages=c.pagination(page, url),
    )
    return c.assemble(page, url, NAME, vis)
