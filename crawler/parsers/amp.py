"""AMP article page (``/amp/…``). No real AMP page has been seen; the markup is inferred (docs/layouts.md):
``<html amp>``/``<html ⚡>``, ``h1.amp-title``, ``div.amp-date time[datetime]``, ``div.amp-credit`` spans,
lead ``amp-img`` + ``div.amp-caption``, body ``div.amp-article-body``, ``div.amp-tags`` links. The credit ids,
breadcrumb and tag cloud are era B's, so it grows out of :class:`~crawler.parsers.desktop2017.Desktop2017`."""

from __future__ import annotations

from typing import Any

from lxml import etree

from crawler.parsers.desktop2017 import Desktop2017
from crawler.parsers.desktop2023 import summary_points, updated_dates
from crawler.parsers.document import Page
from crawler.parsers.page import entry_points
from crawler.parsers.text import tag_texts, text_of

NAME = "amp"

# regexp=False: no EXSLT regular-expression set-up on every evaluation (none of these uses re:).
_X_TITLE = etree.XPath("/descendant::h1[contains(@class, 'amp-title')]", regexp=False)
_X_DATE = etree.XPath("/descendant::div[contains(@class, 'amp-date')]", regexp=False)
_X_TAGS = etree.XPath("/descendant::div[contains(@class, 'amp-tags')]/descendant::a", regexp=False)
_X_LEAD_IMG = etree.XPath("preceding::amp-img[1]", regexp=False)
_X_CAPTION = etree.XPath(
    "following-sibling::*[1][contains(@class, 'amp-caption')] | ancestor::figure[1]/figcaption", regexp=False)
_X_ANY_CAPTION = etree.XPath("/descendant::div[contains(@class, 'amp-caption')]", regexp=False)
_X_AMP_SCRIPT = etree.XPath("boolean(/descendant::script[contains(@src, 'ampproject.org')])", regexp=False)


class Amp(Desktop2017):
    NAME = NAME

    @classmethod
    def matches(cls, doc: Page, url: str) -> bool:
        root = doc.root
        attrs = root.attrib if isinstance(getattr(root, "tag", None), str) else {}
        if "amp" in attrs or "⚡" in attrs:
            return True
        if "amphtml" in doc.links:
            return False  # a page that links to its AMP version is not the AMP version
        # The html attribute can be lost by re-serialisation; the AMP runtime script is then the marker.
        return "/amp" in url and isinstance(getattr(root, "tag", None), str) and bool(_X_AMP_SCRIPT(root))

    def _title_el(self) -> Any:
        titles = _X_TITLE(self.doc.root)
        return titles[0] if titles else self.doc.h1

    def visible_title(self) -> str | None:
        return text_of(self._title_el()) or None

    def visible_lede(self) -> str | None:
        return None

    def visible_topic(self) -> str | None:
        return None

    def visible_published(self) -> list[tuple[str, str]]:
        dates = _X_DATE(self.doc.root)
        return self.dates_in(dates[0]) if dates else super().visible_published()

    def visible_modified(self) -> list[tuple[str, str]]:
        return updated_dates(self.doc)

    def visible_tags(self) -> list[str]:
        return tag_texts(_X_TAGS(self.doc.root)) or super().visible_tags()

    def visible_image(self) -> tuple[str | None, str | None]:
        body = self.doc.body
        found = _X_LEAD_IMG(body) if body is not None else []
        if not found:
            return super().visible_image()
        img = found[0]
        caps = _X_CAPTION(img) or _X_ANY_CAPTION(self.doc.root)
        return img.get("src"), (text_of(caps[0]) or None) if caps else None

    def visible_summary(self) -> list[str]:
        return summary_points(self.doc)


matches, parse = entry_points(Amp)
