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


def _dates(area: Any, block: Any) -> list[tuple[str, str]]:
    """The first ``<time>`` of the article area that is not a relative sidebar time, as text and attribute."""
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
    return []


def _breadcrumb(page: Page) -> list[str]:
    crumbs = breadcrumb_ul(page)
    if crumbs:
        return crumbs
    for nav in page.root.iter("nav", "ol"):
        label = (nav.get("aria-label") or nav.get("class") or "").lower()
        if "breadcrumb" in label:
            return [t for t in (c.text_of(a) for a in nav.iter("a")) if t]
    return []


def _tags(area: Any) -> list[str]:
    return c.tag_texts([a for a in area.iter("a") if "/tag/" in (a.get("href") or "")])


def _image(area: Any, block: Any) -> tuple[str | None, str | None]:
    """The first figure or image of the article area before the body's text, with its caption."""
    for fig in area.iter("figure"):
        img = next(fig.iter("img"), None)
        cap = next(fig.iter("figcaption"), None)
        if img is not None:
            return img.get("data-src") or img.get("src"), (c.text_of(cap) or None) if cap is not None else None
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
        return _dates(self._area, self._block)

    def visible_credits(self) -> list[str]:
        return _credit_lines(self._area, self._block) + self._body[1]

    def visible_breadcrumb(self) -> list[str]:
        return _breadcrumb(self.doc)

    def visible_tags(self) -> list[str]:
        return _tags(self._area)

    def visible_image(self) -> tuple[str | None, str | None]:
        return _image(self._area, self._block)

    def visible_pagination(self) -> Pagination:
        block = self._block
        return pagination(self.doc, self.fetched_url, block.getparent() if block is not None else None)


matches, parse = entry_points(Generic)
