"""Era C (2023 onward, "theme23") desktop article. No real page has been seen: the markup comes from scraper
code and second-hand claims (docs/layouts.md), so every element is optional and both reported shapes are read:

* credit: one-line ``h5#penulis`` ("Penulis: X | Editor: Y") or ``div#penulis`` + ``div#editor``, or a bare
  ``div.credit``;
* date: ``<time><strong>Tayang:</strong> <span>…</span></time>`` or ``<strong>Tayang:</strong> <time datetime>``,
  optional ``Diperbarui: …``, optional ``<span class="timeago">24h</span> via <a>outlet</a>`` line;
* lede ``h2`` right after the title; pagination ``span.total-page`` "Halaman 1/2"; ``keywordBrandSafety`` script
  text when the DOM body is empty; the "Ringkasan Berita" recap ``blockquote.summary-article``.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from crawler.parsers.desktop2015 import date_block
from crawler.parsers.desktop2017 import Desktop2017, credit_texts, hidden_lede
from crawler.parsers.document import Page, time_before, timeago_before
from crawler.parsers.page import entry_points
from crawler.parsers.pagination import page_parts
from crawler.parsers.text import _XML_WS, _first_text_node, clean, dedupe, has_class, string_value, text_of

NAME = "desktop2023"

# regexp=False: no EXSLT regular-expression set-up on every evaluation (none of these uses re:).
_X_CREDIT_DIV = etree.XPath("descendant::div[contains(concat(' ', normalize-space(@class), ' '), ' credit ')]",
                            regexp=False)
_SUMMARY_HEADING = re.compile(r"^\s*ringkasan\s+berita\s*:?\s*", re.I)

def header_scope(page: Page) -> Any:
    """Where the header labels (Tayang, Diperbarui) live: around the date block or the header's <time>,
    else the whole region. Found once per page: detection and two fields ask."""
    if "header_scope" not in page.memo:
        page.memo["header_scope"] = _header_scope(page)
    return page.memo["header_scope"]


def _header_scope(page: Page) -> Any:
    anchor = date_block(page)
    if anchor is None and page.body is not None:
        # A <time> outside the region has its parent outside too, which the test below rejects.
        found = time_before(page.body, page.region)
        if found is not None:
            anchor = found.getparent()
    parent = anchor.getparent() if anchor is not None else None
    if parent is not None and (page.region is page.root or any(a is page.region for a in parent.iterancestors())):
        return parent
    return page.region

def has_tayang_label(page: Page) -> bool:
    return has_tayang(header_scope(page))

def has_tayang(scope: Any) -> bool:
    """``bool(_X_TAYANG(scope))``."""
    # The <strong> elements are walked without first looking for the word in the scope's text: the scope is
    # often the whole article, whose text costs five times the walk (measured on the bench's pages).
    for strong in scope.iterdescendants("strong"):
        text = string_value(strong)
        if "Tayang" in text and text.lstrip(_XML_WS).startswith("Tayang"):
            return True
    return False

def diperbarui_elements(scope: Any) -> list[Any]:
    """_X_DIPERBARUI: elements under ``scope`` whose first text node starts with the label."""
    # The label lies in one text node under ``scope``, so in the concatenation of them all: without it there, the
    # walk (a Python visit per descendant) is skipped.
    if "Diperbarui" not in string_value(scope):
        return []
    found: list[Any] = []
    _diperbarui_under(scope, found)
    return found


def _diperbarui_under(parent: Any, found: list[Any]) -> None:
    # An element's first text node lies in its own subtree: a child whose text lacks the label holds no element
    # that starts with it, and its subtree is not visited (on a header, all but the date line's few elements).
    for child in parent.iterchildren("*"):
        if "Diperbarui" in string_value(child):
            text = _first_text_node(child)
            if text is not None and "Diperbarui" in text and text.lstrip(_XML_WS).startswith("Diperbarui"):
                found.append(child)
            if len(child):
                _diperbarui_under(child, found)


def updated_dates(page: Page) -> list[tuple[str, str]]:
    """``Diperbarui: …`` (era C, optional) as a visible modified-date candidate."""
    scope = header_scope(page)
    for el in diperbarui_elements(scope):
        text = text_of(el)
        if not any(ch.isdigit() for ch in text) and el.getparent() is not None:
            text = text_of(el.getparent())  # label in its own <strong>, date in the parent
        idx = text.find("Diperbarui")
        if idx >= 0 and any(ch.isdigit() for ch in text[idx:]):
            return [("visible", text[idx:].strip())]
    return []

def relative_label(page: Page) -> tuple[list[tuple[str, str]], list[str]]:
    if "relative_label" not in page.memo:
        page.memo["relative_label"] = _relative_label(page)
    return page.memo["relative_label"]


def _relative_label(page: Page) -> tuple[list[tuple[str, str]], list[str]]:
    """The era-C ``<span class="timeago">24h</span> via <a>outlet</a>`` line above the body:
    a ("relative", "24h") published candidate and a "via outlet" source line."""
    if page.body is None:
        return [], []
    span = timeago_before(page.body, page.region)
    if span is None:
        return [], []
    label = text_of(span)
    published = [("relative", label)] if label else []
    sources: list[str] = []
    parent = span.getparent()
    if parent is not None:
        line = text_of(parent)
        idx = line.find("via ")
        if idx >= 0 and line[idx + 4:].strip():
            sources.append(line[idx:].strip())
    return published, sources

def summary_points(page: Page) -> list[str]:
    """The points of the "Ringkasan Berita" recap (``blockquote.summary-article``): one per list item, else one
    per paragraph; the heading is not a point. Only the body is searched (the region when there is none): that is
    where the pages put it, and a whole-document scan would cost every page."""
    scope = page.body if page.body is not None else page.region
    if not isinstance(getattr(scope, "tag", None), str):
        return []
    box = next((b for b in scope.iter("blockquote") if has_class(b, "summary-article")), None)
    if box is None:
        return []
    items = list(box.iter("li")) or list(box.iter("p")) or [box]
    points = [_SUMMARY_HEADING.sub("", text_of(el)) for el in items]
    return dedupe([clean(p) for p in points if clean(p)])


class Desktop2023(Desktop2017):
    NAME = NAME

    @classmethod
    def matches(cls, doc: Page, url: str) -> bool:
        body = doc.body
        if body is not None and has_class(body, "multi-fontsize"):
            return True
        penulis = doc.by_id("penulis")
        if penulis is not None and penulis.tag == "h5":
            return True
        if doc.h1 is None and body is None:
            return False
        if has_tayang_label(doc):
            return True
        scope = body.getparent() if body is not None else None
        return bool(page_parts(doc, scope if scope is not None else doc.region)[1])

    def date_text(self, el: Any) -> str:
        # The date block may hold both "Tayang: …" and "Diperbarui: …"; the latter is a modified date.
        text = text_of(el)
        idx = text.find("Diperbarui")
        return text[:idx].strip(" |-,") if idx > 0 else text

    def visible_lede(self) -> str | None:
        h1 = self.doc.h1
        if h1 is not None:
            # following-sibling::*[1][self::h2]: the next element, comments skipped.
            after = next(h1.itersiblings("*"), None)
            if after is not None and after.tag == "h2":
                return text_of(after) or None
        return hidden_lede(self.doc)

    def visible_published(self) -> list[tuple[str, str]]:
        return super().visible_published() + relative_label(self.doc)[0]

    def visible_modified(self) -> list[tuple[str, str]]:
        return updated_dates(self.doc)

    def visible_credits(self) -> list[str]:
        lines = credit_texts(self.doc)
        if lines:
            return lines
        # Some era-C pages are reported with a bare div.credit holding the line, without ids.
        return [t for t in (text_of(d) for d in _X_CREDIT_DIV(self.doc.region)) if t][:1]

    def visible_via(self) -> list[str]:
        return relative_label(self.doc)[1]

    def visible_summary(self) -> list[str]:
        return summary_points(self.doc)


matches, parse = entry_points(Desktop2023)
