"""Era A (about 2015) desktop article: ``h1#arttitle``, the date as an ``h3`` in ``div.grey.bdr3``, no JSON-LD,
no dataLayer; credits as bare ``div.f11.grey.pb10 > div`` lines after the body; the breadcrumb ``#va .bsht`` links;
the tags are the ``#`` links of the "Terkait" line in ``div#related``; the lead image in ``#artimg`` with its
caption line ``div.arial.grey2`` and the photo credit as a ``div.f11.white`` overlay (real page P2015).

The later desktop eras grew out of this one: :class:`Desktop2015` is the root of their page objects.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from crawler.parsers.document import Page, time_before
from crawler.parsers.labels import CREDIT_LABELS
from crawler.parsers.page import ArticlePage, entry_points
from crawler.parsers.text import _nested, clean, has_class, has_token, tag_texts, text_of

NAME = "desktop2015"

# regexp=False: no EXSLT regular-expression set-up on every evaluation (none of these uses re:).
_X_CREDIT_DIVS = etree.XPath("descendant::div[contains(@class, 'f11') and contains(@class, 'grey')]/div",
                             regexp=False)
_X_CRUMBS = etree.XPath("./div[contains(@class, 'bsht')]/a", regexp=False)
_X_RELATED_TAGS = etree.XPath("descendant::a[contains(@href, '/tag/')]", regexp=False)
_X_TIME_AFTER = etree.XPath("following::time[not(contains(@class, 'timeago'))][1]", regexp=False)

def credit_divs(scope: Any) -> list[Any]:
    """_X_CREDIT_DIVS: the div children of ``div.f11.grey`` boxes under ``scope``, in document order. A walk:
    libxml2 takes four times as long over the real 2015 article. Nested boxes (rare broken markup) go to the
    XPath, which unites their children exactly."""
    boxes = [div for div in scope.iterdescendants("div") if "f11" in (cls := div.get("class") or "") and "grey" in cls]
    if _nested(boxes):
        return _X_CREDIT_DIVS(scope)
    return [child for box in boxes for child in box.iterchildren("div")]


def date_after_h1(h1: Any) -> Any:
    """_X_DATE_AFTER_H1: a ``bdr3`` div among the six div siblings after the title, or None."""
    for n, sib in enumerate(h1.itersiblings("div")):
        if n >= 6:
            return None
        if "bdr3" in (sib.get("class") or ""):
            return sib
    return None

def date_block_in(scope: Any) -> Any:
    """_X_DATE_BLOCK: the first ``div.bdr3`` under ``scope``, or None."""
    return next((div for div in scope.iterdescendants("div") if has_token(div.get("class"), "bdr3")), None)


def date_block(doc: Page) -> Any:
    """The desktop date container ``div.grey.bdr3`` of the article header, or None: normally a sibling shortly
    after the title; the region scan is the fallback."""
    if "date_block" not in doc.memo:
        found = date_after_h1(doc.h1) if doc.h1 is not None else None
        doc.memo["date_block"] = found if found is not None else date_block_in(doc.region)
    return doc.memo["date_block"]


def photo_credit(doc: Page) -> str | None:
    """The photographer's name laid over the lead image (``#artimg div.f11.white``); era B kept it."""
    art = doc.by_id("artimg")
    if art is None:
        return None
    for div in art.iter("div"):
        if has_class(div, "f11") and has_class(div, "white"):
            return text_of(div) or None
    return None


class Desktop2015(ArticlePage):
    NAME = NAME

    @classmethod
    def matches(cls, doc: Page, url: str) -> bool:
        h1 = doc.h1
        if h1 is None or h1.get("id") != "arttitle":
            return False
        block = date_block(doc)
        return block is not None and next(block.iter("time"), None) is None and next(block.iter("h3"), None) is not None

    def date_text(self, el: Any) -> str:
        """The text of a visible date element."""
        return text_of(el)

    def visible_published(self) -> list[tuple[str, str]]:
        """The date block's ``<time>`` (or ``h3``) text, then its ``datetime`` attribute; else the first
        non-relative ``<time>`` after the title."""
        return self.dates_in(date_block(self.doc))

    def dates_in(self, block: Any) -> list[tuple[str, str]]:
        doc = self.doc
        time_el = None
        out: list[tuple[str, str]] = []
        if block is not None:
            time_el = next(block.iter("time"), None)
            if time_el is None:
                heading = next(block.iter("h3"), None)
                text = self.date_text(heading if heading is not None else block)
                if text:
                    out.append(("visible", text))
        elif doc.body is not None:
            # The header's <time> precedes the body; later ones belong to related lists and sidebars.
            time_el = time_before(doc.body, doc.region)
        elif doc.h1 is not None:
            found = _X_TIME_AFTER(doc.h1)
            time_el = found[0] if found else None
        if time_el is not None:
            text = self.date_text(time_el)
            if text:
                out.append(("visible", text))
            stamp = clean(time_el.get("datetime"))
            if stamp and stamp != text:
                out.append(("visible", stamp))
        return out

    def visible_credits(self) -> list[str]:
        return [t for t in (text_of(d) for d in credit_divs(self.doc.region)) if t.startswith(CREDIT_LABELS)]

    def visible_breadcrumb(self) -> list[str]:
        va = self.doc.by_id("va")
        return [t for t in (text_of(a) for a in _X_CRUMBS(va)) if t] if va is not None else []

    def visible_tags(self) -> list[str]:
        """The page's own tag block: the "Terkait" ``#tag`` links of ``div#related``, not the meta keywords."""
        related = self.doc.by_id("related")
        return tag_texts(_X_RELATED_TAGS(related)) if related is not None else []

    def lead_image_caption(self, art: Any) -> str | None:
        """The caption of the ``#artimg`` block: a figcaption, else the grey line under the photo."""
        fig = next(art.iter("figcaption"), None)
        caption = text_of(fig) if fig is not None else ""
        if not caption:
            for div in art.iter("div"):
                if has_class(div, "arial") and has_class(div, "grey2"):
                    return text_of(div) or None
        return caption or None

    def visible_image(self) -> tuple[str | None, str | None]:
        art = self.doc.by_id("artimg")
        if art is None:
            return None, None
        url = None
        for img in art.iter("img"):
            src = img.get("data-src") or img.get("src") or ""
            if src and not src.lower().endswith(".svg") and not src.startswith("data:"):
                url = src
                break
        return url, self.lead_image_caption(art)

    def visible_image_credit(self) -> str | None:
        return photo_credit(self.doc)


matches, parse = entry_points(Desktop2015)
