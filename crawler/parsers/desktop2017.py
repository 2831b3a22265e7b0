"""Era B (about 2017-2022, "theme15") desktop article: ``h1#arttitle``, a ``<time>`` without ``Tayang:`` in
``div.grey.bdr3``, body ``div.side-article.txt-article``, JSON-LD NewsArticle + dataLayer, ``#editor``/``#penulis``
credit divs with a ``Sumber:`` sibling, ``ul.breadcrumb``, ``h5.tagcloud3`` tags (the class also spelt
``tagcload3``), a topic pill ``h2.red``, the description in ``h4.hide`` and a glightbox caption (real page P2020).

It claims a page only when the title, the body and the date block all have their era-B shape: a redesign that
keeps one of those class names is left to the ``generic`` layout rather than read by rules written for this one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from lxml import etree

from crawler.parsers.desktop2015 import Desktop2015, date_block
from crawler.parsers.document import Page, iter_breadcrumb_uls
from crawler.parsers.labels import CREDIT_LABELS
from crawler.parsers.page import entry_points
from crawler.parsers.text import _document_order, _nested, clean, has_class, tag_texts, text_of

NAME = "desktop2017"
# data-glightbox="title: Caption text; description: …;" — the caption may itself hold semicolons.
_GLIGHTBOX_HEAD = re.compile(r"\s*title\s*:\s*", re.I)
_GLIGHTBOX_NEXT_KEY = re.compile(r";\s*(?:description|descPosition|type|effect|width|height|alt)\s*:", re.I)

# regexp=False: no EXSLT regular-expression set-up on every evaluation (none of these uses re:).
_X_TAGCLOUD = etree.XPath(
    "descendant::h5[contains(@class, 'tagcloud3') or contains(@class, 'tagcload3')]/descendant::a", regexp=False)

_X_TOPIC_PILL = etree.XPath("descendant::h2[contains(@class, 'red')]/a", regexp=False)


def inside(el: Any, box: Any) -> bool:
    """Whether ``el`` lies under ``box``. A C scan of the box's subtree for ``el``'s tag: the boxes asked about
    are credit lines of a few nodes, and walking ``el``'s ancestors instead makes a Python object of each one up
    to the root."""
    return any(d is el for d in box.iterdescendants(el.tag))


def credit_texts(page: Page) -> list[str]:
    """Visible credit elements in page order: ``#penulis``/``#editor`` (div, span or one-line h5) and the
    ``Sumber:`` siblings in their container."""
    penulis, editor = page.by_id("penulis"), page.by_id("editor")
    nodes = [n for n in (penulis, editor) if n is not None]
    if not nodes:
        return []
    if penulis is not None and editor is not None and inside(editor, penulis):
        nodes = [penulis]  # an editor span inside the one-line h5 credit
    seen = {id(n) for n in nodes}
    for node in list(nodes):
        parent = node.getparent()
        if parent is None:
            continue
        for sib in parent:
            if id(sib) in seen or not isinstance(sib.tag, str):
                continue
            # Only the element's own leading text: the container may be a large wrapper of the whole article.
            if (sib.text or "").lstrip().startswith(CREDIT_LABELS):
                nodes.append(sib)
                seen.add(id(sib))
    ordered = _document_order(nodes)
    return [t for t in (text_of(n) for n in ordered) if t]

def glightbox_title(value: str) -> str | None:
    """The caption of a ``data-glightbox`` value (``title: Caption; description: …``), or None when the value
    does not start with a title: what follows ``title:`` up to the first ``; key:`` of another option, or to the
    end, less the blanks and the one semicolon before it. One search for the next option rather than a lazy
    regex, which tries the rest of the pattern after every character: 60 µs on a real 550-character caption."""
    head = _GLIGHTBOX_HEAD.match(value)
    if head is None:
        return None
    start = head.end()
    key = _GLIGHTBOX_NEXT_KEY.search(value, start)
    caption = value[start:key.start() if key is not None else len(value)].rstrip()
    if caption.endswith(";"):
        caption = caption[:-1].rstrip()
    return caption


def breadcrumb_ul(page: Page) -> list[str]:
    """Era-B/C ``ul.breadcrumb`` item names (``itemprop=name`` when marked up, else the link text)."""
    va = page.by_id("va")
    uls: Iterable[Any] = [ul for ul in va if ul.tag == "ul" and has_class(ul, "breadcrumb")] if va is not None else []
    if not uls:
        uls = iter_breadcrumb_uls(page.root)  # lazily: the first list with names ends the document scan
    for ul in uls:
        out: list[str] = []
        for li in ul.iter("li"):
            name = next((el for el in li.iter() if el.get("itemprop") == "name"), None)
            if name is None:
                name = li.find("a")
            text = text_of(name) if name is not None else ""
            if text:
                out.append(text)
        if out:
            return out
    return []

def tagcloud_links(scope: Any) -> list[Any]:
    """_X_TAGCLOUD. Nested matches (rare broken markup) go to the XPath, which unites them exactly."""
    h5s = [h5 for h5 in scope.iterdescendants("h5")
           if "tagcloud3" in (cls := h5.get("class") or "") or "tagcload3" in cls]
    if _nested(h5s):
        return _X_TAGCLOUD(scope)
    return [a for h5 in h5s for a in h5.iterdescendants("a")]

def tagcloud(page: Page) -> list[str]:
    """Era B/C ``h5.tagcloud3 a`` (the page spells the class both ``tagcload3`` and ``tagcloud3``), looked for
    around the article first: a whole-document scan costs more than all the rest of the tag work."""
    found = tagcloud_links(page.region)
    if not found and page.region is not page.root:
        found = tagcloud_links(page.root)
    return tag_texts(found)

def topic_pill_link(scope: Any) -> Any:
    """``_X_TOPIC_PILL(scope)[0]``: the first <a> child of an h2.red, in document order, or None."""
    h2s = [h2 for h2 in scope.iterdescendants("h2") if "red" in (h2.get("class") or "")]
    if _nested(h2s):
        found = _X_TOPIC_PILL(scope)
        return found[0] if found else None
    for h2 in h2s:
        a = next(h2.iterchildren("a"), None)
        if a is not None:
            return a
    return None

def topic_pill(page: Page) -> str | None:
    a = topic_pill_link(page.region)
    return text_of(a) or None if a is not None else None

def hidden_lede_el(scope: Any) -> Any:
    """``_X_HIDDEN_LEDE(scope)[0]``, or None."""
    return next((h4 for h4 in scope.iterdescendants("h4") if "hide" in (h4.get("class") or "")), None)

def hidden_lede(page: Page) -> str | None:
    h4 = hidden_lede_el(page.region)
    return text_of(h4) or None if h4 is not None else None


class Desktop2017(Desktop2015):
    NAME = NAME

    @classmethod
    def matches(cls, doc: Page, url: str) -> bool:
        h1, body = doc.h1, doc.body
        if h1 is None or h1.get("id") != "arttitle" or body is None:
            return False
        if not (has_class(body, "side-article") and has_class(body, "txt-article")):
            return False
        block = date_block(doc)
        return block is not None and next(block.iter("time"), None) is not None

    def visible_lede(self) -> str | None:
        return hidden_lede(self.doc)

    def visible_credits(self) -> list[str]:
        return credit_texts(self.doc)

    def visible_breadcrumb(self) -> list[str]:
        return breadcrumb_ul(self.doc)

    def visible_topic(self) -> str | None:
        return topic_pill(self.doc)

    def visible_tags(self) -> list[str]:
        return tagcloud(self.doc)

    def lead_image_caption(self, art: Any) -> str | None:
        """A figcaption, else the glightbox title of the zoom link, else era A's grey line."""
        fig = next(art.iter("figcaption"), None)
        caption = text_of(fig) if fig is not None else ""
        if caption:
            return caption
        for a in art.iter("a"):
            caption = clean(glightbox_title(a.get("data-glightbox") or ""))
            if caption:
                return caption
        return super().lead_image_caption(art)


matches, parse = entry_points(Desktop2017)
