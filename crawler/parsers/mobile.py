"""``m.tribunnews.com`` article page. No real mobile article has been seen (only the 2022 mobile homepage,
P2022m): recognised by the dataLayer ``'agent':'mobile'`` or the ``m_tnews_article`` stylesheet; the title is
``h1#arttitle``, the date a ``time.foot`` after it, credits ``#penulis``/``#editor``, tags ``a.rd2`` to ``/tag/``,
the lead photo between header and body with a grey caption line. Its ids are era B's, so it grows out of
:class:`~crawler.parsers.desktop2017.Desktop2017`."""

from __future__ import annotations

from typing import Any

from lxml import etree

from crawler.parsers.desktop2017 import Desktop2017
from crawler.parsers.desktop2023 import summary_points, updated_dates
from crawler.parsers.document import Page
from crawler.parsers.page import entry_points
from crawler.parsers.text import tag_texts, text_of

NAME = "mobile"

# regexp=False: no EXSLT regular-expression set-up on every evaluation (none of these uses re:).
_X_IMG_BEFORE_BODY = etree.XPath("preceding::img[not(contains(@src, '.svg'))][1]", regexp=False)


def tag_links(root: Any) -> list[Any]:
    """``/descendant::a[contains(@class, 'rd2')][contains(@href, '/tag/')]`` (tests/parsers/oracles.py
    ``mobile_tag_links``): a walk, which asks most links for their class alone, where libxml2's ``contains()``
    reads both attributes of every link of the document and costs nearly twice as much."""
    found = []
    for a in root.getroottree().getroot().iter("a"):
        cls = a.get("class")
        if cls and "rd2" in cls:
            href = a.get("href")
            if href and "/tag/" in href:
                found.append(a)
    return found


class Mobile(Desktop2017):
    NAME = NAME

    @classmethod
    def matches(cls, doc: Page, url: str) -> bool:
        if doc.datalayer.get("agent", "").lower() == "mobile":
            return True
        return any("m_tnews_article" in href for href in doc.stylesheets)

    def visible_lede(self) -> str | None:
        return None

    def visible_topic(self) -> str | None:
        return None

    def visible_modified(self) -> list[tuple[str, str]]:
        return updated_dates(self.doc)

    def visible_tags(self) -> list[str]:
        return super().visible_tags() or tag_texts(tag_links(self.doc.root))

    def visible_image(self) -> tuple[str | None, str | None]:
        """``#artimg`` when present, else the photo between header and body with its grey caption line."""
        url, caption = super().visible_image()
        doc = self.doc
        if url or doc.body is None:
            return url, caption
        found = _X_IMG_BEFORE_BODY(doc.body)
        if not found or not any(a is doc.region for a in found[0].iterancestors()):
            return None, None
        img = found[0]
        nxt = img.getnext()
        if nxt is not None and isinstance(nxt.tag, str) and ("grey" in (nxt.get("class") or "")
                                                             or nxt.tag == "figcaption"):
            caption = text_of(nxt) or None
        return img.get("data-src") or img.get("src"), caption

    def visible_summary(self) -> list[str]:
        return summary_points(self.doc)


matches, parse = entry_points(Mobile)
