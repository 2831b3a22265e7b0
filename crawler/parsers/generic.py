"""The fallback for article pages no layout claims (a redesign): it reads what every Tribun article has carried
for years, whatever its markup: JSON-LD ``NewsArticle``, ``og:``/``article:`` meta and visible credit lines.

It claims a page only when the head says it is one article (an article JSON-LD object, ``og:type`` article or
``article:published_time``), so a listing or an error page is still not an article. Registered last: it is
never used when a layout of a known era matches.

The body is the densest paragraph block of the page (the element whose own ``<p>`` children hold the most
text that is not link text), without related links, "Baca juga", captions or credit lines; credit lines found
anywhere in the article area are kept as credits.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from crawler.parsers import text as c
from crawler.parsers.desktop2017 import breadcrumb_ul
from crawler.parsers.document import Page
from crawler.parsers.labels import CREDIT_LABELS
from crawler.parsers.page import ArticlePage, entry_points
from crawler.parsers.pagination import Pagination, pagination

NAME = "generic"

# Containers a paragraph block can sit in; a redesign may use any of them.
_CONTAINERS = ("div", "article", "section", "main", "td")
# A credit line is short: longer text starting with a label is a paragraph that happens to begin with the word.
_MAX_CREDIT_CHARS = 160
# A date line under the title: within its first few siblings, short, with a year and a clock time.
_DATE_SIBLINGS = 3
_MAX_DATE_CHARS = 80
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d\d\b")
# A breadcrumb line is a few short links.
_MAX_CRUMBS_CHARS = 200
# A caption follows its photo in the photo's box or one or two boxes up, and is a sentence or a paragraph.
_CAPTION_LEVELS = 3
_MAX_CAPTION_CHARS = 300


def _own_paragraph_chars(el: Any) -> int:
    """Text of ``el``'s ``<p>`` children that is not link text: related-link lists score nothing."""
    total = 0
    for p in el.iterchildren("p"):
        if c.is_noise(p):
            continue
        text = len(c.text_of(p))
        linked = sum(len(c.text_of(a)) for a in p.iterdescendants("a"))
        total += max(text - linked, 0)
    return total


def densest_block(root: Any) -> Any:
    """The element whose own paragraphs hold the most non-link text, or None when the page has no ``<p>``."""
    best, best_chars = None, 0
    for el in root.iter(*_CONTAINERS):
        if c.is_noise(el):
            continue
        chars = _own_paragraph_chars(el)
        if chars > best_chars:
            best, best_chars = el, chars
    return best


def _is_credit(text: str) -> bool:
    if len(text) > _MAX_CREDIT_CHARS or not text.startswith(CREDIT_LABELS):
        return False
    # "Penulis: X", "Penulis/Editor: X", "Laporan Wartawan Tribunnews.com, X": a label word, then its value.
    head = text.split(":", 1)[0] if ":" in text else text
    return ":" in text or head.startswith("Laporan")


def _fully_linked(el: Any) -> bool:
    text = c.text_of(el)
    return bool(text) and sum(len(c.text_of(a)) for a in el.iterdescendants("a")) >= len(text)


def _body(block: Any) -> tuple[list[str], list[str]]:
    """Paragraphs of ``block`` and the credit lines found among them."""
    linked = {c.inline_text(p) for p in block.iterdescendants("p", "li") if _fully_linked(p)}
    paragraphs: list[str] = []
    credits: list[str] = []
    for text in c.body_paragraphs(block):
        if _is_credit(text):
            credits.append(text)
        elif text not in linked:
            paragraphs.append(text)
    return paragraphs, credits


def _area(page: Page, block: Any) -> Any:
    """The smallest element holding both the title and the body block: where the article's header and credits
    live. The root when there is no title."""
    h1 = page.h1
    if h1 is None or block is None:
        return page.root
    # Sets of the elements themselves, not of id(): an lxml proxy that is not kept alive can be freed and its
    # id() reused by the next one.
    h1_line = set(h1.iterancestors())
    for anc in block.iterancestors():
        if anc in h1_line:
            return anc
    return page.root


def _credit_lines(area: Any, block: Any) -> list[str]:
    """Short elements in the article area whose own text starts with a credit label, outside the body block."""
    inside = set(block.iter()) if block is not None else set()
    found: list[str] = []
    taken: set[Any] = set()
    for el in area.iter("div", "p", "span", "h5", "h6", "li", "small", "address"):
        if el in inside or c.is_noise(el) or any(a in taken for a in el.iterancestors()):
            continue
        if not (el.text or "").lstrip().startswith(CREDIT_LABELS):
            continue
        text = c.text_of(el)
        if _is_credit(text):
            taken.add(el)
            found.append(text)
    return found


def _date_after_title(h1: Any) -> list[tuple[str, str]]:
    """A short line right after the title that reads as a date and time (``Jumat, 19 Juni 2015 12:58 WIB``)."""
    for n, sib in enumerate(h1.itersiblings("*")):
        if n >= _DATE_SIBLINGS:
            break
        text = c.text_of(sib)
        if len(text) <= _MAX_DATE_CHARS and _YEAR.search(text) and _CLOCK.search(text):
            return [("visible", text)]
    return []


def _dates(area: Any, block: Any, h1: Any = None) -> list[tuple[str, str]]:
    """The first ``<time>`` of the article area that is not a relative sidebar time, as text and attribute;
    else a date line right after the title."""
    inside = set(block.iter()) if block is not None else set()
    for el in area.iter("time"):
        if el in inside or "timeago" in (el.get("class") or ""):
            continue
        out = []
        text = c.text_of(el)
        if text:
            out.append(("visible", text))
        stamp = c.clean(el.get("datetime"))
        if stamp and stamp != text:
            out.append(("visible", stamp))
        return out
    return _date_after_title(h1) if h1 is not None else []


def _breadcrumb(page: Page) -> list[str]:
    """A list or block marked as a breadcrumb; else a short line of links joined by » or › before the title."""
    crumbs = breadcrumb_ul(page)
    if crumbs:
        return crumbs
    for nav in page.root.iter("nav", "ol", "div"):
        label = (nav.get("aria-label") or nav.get("class") or "").lower()
        if "breadcrumb" in label:
            return [t for t in (c.text_of(a) for a in nav.iter("a")) if t]
    for el in page.root.iter("div", "nav", "p"):
        if el is page.h1:
            break
        links = list(el.iterchildren("a"))
        if len(links) >= 2:
            text = c.text_of(el)
            if len(text) <= _MAX_CRUMBS_CHARS and ("»" in text or "›" in text):
                return [t for t in (c.text_of(a) for a in links) if t]
    return []


def _tags(area: Any, block: Any) -> list[str]:
    """Links to ``/tag/`` pages in the article area, outside the body first (a tag block), else in it."""
    inside = set(block.iter()) if block is not None else set()
    links = [a for a in area.iter("a") if "/tag/" in (a.get("href") or "")]
    return c.tag_texts([a for a in links if a not in inside] or links)


def _caption_after(img: Any, block: Any) -> str | None:
    """The caption that follows the photo in its box or a box or two up, before the body: an element marked as a
    caption, else the longest short text there (a photo credit is shorter than its caption)."""
    body_line = set(block.iterancestors()) | {block} if block is not None else set()
    best = ""
    el = img
    for _ in range(_CAPTION_LEVELS):
        for sib in el.itersiblings("*"):
            if sib in body_line:
                break
            if sib.tag == "figcaption" or "caption" in (sib.get("class") or "").lower():
                return c.text_of(sib) or None
            text = c.text_of(sib)
            if len(best) < len(text) <= _MAX_CAPTION_CHARS:
                best = text
        el = el.getparent()
        if best or el is None or el in body_line:
            break
    return best or None


def _image(area: Any, block: Any) -> tuple[str | None, str | None]:
    """The lead image: the first figure or photo of the article area before the body block, with its caption."""
    for el in area.iter("figure", "img", "amp-img", block.tag if block is not None else "figure"):
        if el is block:
            break
        if el.tag == "figure":
            img = next(el.iter("img", "amp-img"), None)
            if img is not None:
                cap = next(el.iter("figcaption"), None)
                return (img.get("data-src") or img.get("src"),
                        (c.text_of(cap) or None) if cap is not None else _caption_after(img, block))
            continue
        src = el.get("data-src") or el.get("src") or ""
        if src and not src.lower().endswith(".svg") and not src.startswith("data:"):
            return src, _caption_after(el, block)
    return None, None


class Generic(ArticlePage):
    NAME = NAME

    @classmethod
    def matches(cls, doc: Page, url: str) -> bool:
        if not isinstance(getattr(doc.root, "tag", None), str):
            return False
        return (bool(doc.article_ld) or doc.meta("og:type").lower() == "article"
                or bool(doc.meta("article:published_time")))

    @cached_property
    def _block(self) -> Any:
        return densest_block(self.doc.root)

    @cached_property
    def _body(self) -> tuple[list[str], list[str]]:
        return _body(self._block) if self._block is not None else ([], [])

    @cached_property
    def _area(self) -> Any:
        return _area(self.doc, self._block)

    def visible_paragraphs(self) -> list[str]:
        return self._body[0]

    def visible_published(self) -> list[tuple[str, str]]:
        return _dates(self._area, self._block, self.doc.h1)

    def visible_credits(self) -> list[str]:
        return _credit_lines(self._area, self._block) + self._body[1]

    def visible_breadcrumb(self) -> list[str]:
        return _breadcrumb(self.doc)

    def visible_tags(self) -> list[str]:
        return _tags(self._area, self._block)

    def visible_image(self) -> tuple[str | None, str | None]:
        return _image(self._area, self._block)

    def visible_pagination(self) -> Pagination:
        block = self._block
        return pagination(self.doc, self.fetched_url, block.getparent() if block is not None else None)


matches, parse = entry_points(Generic)
