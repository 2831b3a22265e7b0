"""Text and paragraph helpers over lxml elements, for any page: whitespace, class tests, noise subtrees, the
paragraphs of a body container, document order. Nothing here knows a layout era.

Speed notes: class and text predicates are tested in Python over ``iter(tag)`` rather than in XPath (libxml2
evaluates ``contains(@class, …)`` per node several times slower than lxml's C tag filter plus a ``str`` test).
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from lxml import etree

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_BR = "\x00"  # line-break marker: lxml never keeps a NUL in tree text, so it cannot clash with page text
_HTML_BREAKS = re.compile(r"</p\s*>|<br\s*/?>|\n", re.I)
_TAGS = re.compile(r"<[^>]+>")

# Paragraph-level noise the markup does not mark with a class: recirculation and pagination leftovers.
_NOISE_TEXT = re.compile(
    r"^\W*(?:"
    r"(?:baca|simak|lihat|tonton|saksikan)\s+(?:juga|pula)\b"
    r"|(?:baca|simak|lihat)\s*(?:berita\s+lainnya)?\s*:"
    r"|halaman\s+(?:selanjutnya|berikutnya|sebelumnya)\b"
    r"|halaman\s*\d+\s*/\s*\d+\s*$"
    r"|halaman\s*(?:\d+\s*)+$"
    r")",
    re.I,
)
# The first two letters of every word _NOISE_TEXT starts with.
_NOISE_HEADS = frozenset({"ba", "si", "li", "to", "sa", "ha"})

_NOISE_TAGS = frozenset({
    "script", "style", "noscript", "iframe", "ins", "figure", "figcaption", "form", "button", "svg", "video",
    "audio", "object", "embed", "canvas", "select", "input", "textarea", "template", "img", "picture",
    "amp-ad", "amp-embed", "amp-social-share", "amp-img", "amp-iframe", "amp-twitter", "amp-instagram",
    "amp-youtube", "amp-facebook", "amp-video", "amp-sticky-ad", "amp-analytics",
})
_NOISE_CLASSES = frozenset({
    "baca", "ads", "ads-placeholder", "summary-article", "sosmed-artikel", "share", "sharebtn", "caption",
    "paging", "total-page", "twitter-tweet", "instagram-media", "tiktok-embed", "related", "adsbygoogle",
})
_NOISE_ID_PREFIXES = ("div-", "ads", "google_ads", "gpt", "related")
_INLINE = frozenset({
    "a", "strong", "b", "em", "i", "u", "span", "font", "sup", "sub", "small", "mark", "abbr", "cite", "q",
    "s", "del", "time", "code", "label", "big", "tt", "var", "kbd", "bdi", "bdo", "data", "wbr", "nobr",
})
_TEXT_BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "pre", "dd", "dt"})
_BLOCKS_INSIDE_INLINE = ("p", "div", "ul", "ol", "table", "h2", "h3", "h4", "blockquote")




def clean(text: str | None) -> str:
    """Whitespace (incl. nbsp) collapsed to single spaces, zero-width characters dropped, stripped."""
    if not text:
        return ""
    if (text.isascii() and text[:1] != " " and text[-1:] != " " and "  " not in text and "\n" not in text
            and "\t" not in text and "\r" not in text and "\x0b" not in text and "\x0c" not in text
            and "\x1c" not in text and "\x1d" not in text and "\x1e" not in text and "\x1f" not in text):
        # ASCII holds no zero-width character, and these are all the ASCII whitespace str.split() knows: with
        # single inner spaces and none at the edges the text is already clean (most texts of a page). Each test
        # is a memchr; together they cost a fraction of the split and join (str.isprintable() costs as much).
        return text
    # str.split() knows Unicode whitespace (nbsp included) and beats a regex substitution several times over.
    text = " ".join(text.split())
    if "\u200b" in text or "\ufeff" in text or "\u200c" in text or "\u200d" in text or "\u2060" in text:
        text = " ".join(_ZERO_WIDTH.sub("", text).split())
    return text


def text_of(el: Any) -> str:
    """Collapsed text of a small element (all descendants; use only on credit lines, titles, labels)."""
    if el is None:
        return ""
    return clean(string_value(el))


def has_class(el: Any, name: str) -> bool:
    cls = el.get("class")
    return bool(cls) and name in cls.split()


# XPath's normalize-space() knows only these four characters as whitespace (str.split() knows many more), so
# class tokens are matched the way ``contains(concat(' ', normalize-space(@class), ' '), ' x ')`` matches them.
_XML_WS_TO_SPACE = str.maketrans("\t\n\r", "   ")
_XML_WS = " \t\n\r"


def has_token(cls: str | None, token: str) -> bool:
    """``cls`` holds ``token`` as a whole XPath (normalize-space) class token."""
    return bool(cls) and token in cls and f" {token} " in f" {cls.translate(_XML_WS_TO_SPACE)} "


def string_value(el: Any) -> str:
    """_X_STRING (XPath ``string(el)``): its descendant text in document order (comments and PIs left out)."""
    if not isinstance(el.tag, str):
        return "".join(el.itertext())  # a comment or PI: itertext() refuses it, as it always has here
    if not len(el):
        # No children, so no other text node: tostring's setup costs more than the whole answer.
        return el.text or ""
    # libxml2 concatenates the text nodes in C: several times faster than joining itertext(), which makes a
    # Python string per node, and no XPath evaluation to set up.
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _first_text_node(el: Any) -> str | None:
    # XPath ``text()`` as a string argument: the element's first child text node, which follows a leading
    # child element or comment when the element has no text of its own.
    if el.text is not None:
        return el.text
    for child in el:
        if child.tail is not None:
            return child.tail
    return None


def absolute(base: str, href: str | None) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "data:", "#", "mailto:")):
        return None
    if href.startswith(("https://", "http://")):
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def is_noise(el: Any) -> bool:
    """True for a subtree that never holds article text (ads, embeds, share widgets, captions, recirculation)."""
    tag = el.tag
    if not isinstance(tag, str):
        return True
    if tag in _NOISE_TAGS:
        return True
    # One keys() call instead of two get() calls: most body elements (bare <p>, <strong>) carry no attribute,
    # and an attribute that is absent need not be asked for.
    names = el.keys()
    if not names:
        return False
    return noise_marked(el.get("class") if "class" in names else None, el.get("id") if "id" in names else None)


def noise_marked(cls: str | None, ident: str | None) -> bool:
    """Whether an element's ``class`` and ``id`` values mark it as noise (the attribute half of :func:`is_noise`)."""
    if cls:
        for token in cls.lower().split():
            # A premium page's subscribe box sits inside the body after the teaser ("paywall-box").
            if token in _NOISE_CLASSES or token.startswith(("ads-", "ads_", "paywall")) or "banner" in token:
                return True
    return bool(ident) and ident.lower().startswith(_NOISE_ID_PREFIXES)


def _inline_parts(el: Any, out: list[str]) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str):
            if tag == "br":
                out.append(_BR)
            elif not is_noise(child):
                _inline_parts(child, out)
        if child.tail:
            out.append(child.tail)


def inline_text(el: Any) -> str:
    """Text of ``el`` without noise descendants; ``<br>`` kept as newlines, other whitespace collapsed."""
    if not len(el):
        return clean(el.text)  # no children: no noise and no <br> to look for (most paragraphs)
    parts: list[str] = []
    _inline_parts(el, parts)
    return "\n".join(line for line in (clean(x) for x in "".join(parts).split(_BR)) if line)


def _link_heavy(el: Any) -> bool:
    """Recirculation lists and tables are mostly link text; real content rarely is."""
    total = len(clean(string_value(el)))
    if not total:
        return True
    linked = sum(len(clean(string_value(a))) for a in el.iterdescendants("a"))
    return linked >= 0.6 * total


def flush_into(out: list[str], buf: list[str]) -> None:
    """:func:`keep_lines` of the buffered text pieces, and the buffer emptied."""
    text = "".join(buf)
    buf.clear()
    # Between block children the buffer mostly holds the markup's newlines and indents alone: blanks (str.split's
    # whitespace, which isspace() knows too) make no line, and keep_lines would only find that out line by line.
    if not text.isspace():
        keep_lines(out, text)


def keep_lines(out: list[str], text: str) -> None:
    """Appends the paragraphs of ``text``, a run of inline text whose line breaks are marked ``_BR``."""
    for line in text.split(_BR):
        _keep(out, clean(line))


def noise_text(text: str) -> bool:
    """Whether a paragraph's text is recirculation or pagination noise (:data:`_NOISE_TEXT`)."""
    head = text[:2]
    if head.isascii() and head.isalpha() and head.lower() not in _NOISE_HEADS:
        # Two ASCII letters open the text, so the pattern's \W* takes nothing and its words must start here.
        return False
    return _NOISE_TEXT.match(text) is not None


def _keep(out: list[str], text: str) -> None:
    if text and not noise_text(text):
        out.append(text)


def body_paragraphs(body: Any, *, skip_blanks: bool = True) -> list[str]:
    """Paragraph texts of an article body in document order, noise removed.

    ``<p>``, sub-headings and list items give one paragraph each; text placed directly in the body or in
    wrapper divs (older articles separate paragraphs with ``<br>``) is split at the line breaks.
    ``skip_blanks=False`` also buffers the blanks that would open the buffer, which changes nothing but the work:
    the plain walk, which the fast-path tests compare with.
    """
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        flush_into(out, buf)

    def walk(container: Any) -> None:
        text = container.text
        if text and (buf or not skip_blanks or not text.isspace()):
            buf.append(text)
        for child in container:
            tag = child.tag
            if not isinstance(tag, str):
                pass
            elif tag == "br":
                buf.append(_BR)
            elif is_noise(child):
                pass
            elif tag in _INLINE and next(child.iter(*_BLOCKS_INSIDE_INLINE), None) is None:
                _inline_parts(child, buf)
            elif tag in _TEXT_BLOCKS:
                if buf:
                    flush()
                if tag != "li" or not _link_heavy(child):
                    _keep(out, inline_text(child))
            elif tag in ("table", "ul", "ol") and _link_heavy(child):
                if buf:
                    flush()
            else:
                if buf:
                    flush()
                walk(child)
                if buf:
                    flush()
            # Blanks that would open the buffer are left out: the markup's newline after each block would
            # otherwise make a flush of its own, and clean() drops leading blanks from the first line anyway.
            tail = child.tail
            if tail and (buf or not skip_blanks or not tail.isspace()):
                buf.append(tail)

    walk(body)
    if buf:
        flush()
    return out


def brand_safety_paragraphs(text: str | None) -> list[str]:
    """The ``keywordBrandSafety`` full text split into paragraphs (it may carry ``<p>``/``<br>`` markup)."""
    if not text:
        return []
    out: list[str] = []
    for chunk in _HTML_BREAKS.split(text):
        _keep(out, clean(_html.unescape(_TAGS.sub(" ", chunk))))
    return out


def tag_texts(elements: list[Any]) -> list[str]:
    """The link texts of a tag block, without the leading ``#``, once each."""
    return dedupe([tag_text(text_of(a)) for a in elements])


def tag_text(text: str) -> str:
    """``clean(text.lstrip("#"))`` of a text :func:`clean` has already cleaned."""
    # Without a "#" to strip the text is as clean() left it, and clean() of its own output gives it back.
    return clean(text.lstrip("#")) if text[:1] == "#" else text


def _document_order(nodes: list[Any]) -> list[Any]:
    return sorted(nodes, key=_order_key) if len(nodes) > 1 else nodes


def _order_key(el: Any) -> list[int]:
    # Sibling indexes from the root down: compares in document order.
    key: list[int] = []
    parent = el.getparent()
    while parent is not None:
        key.append(parent.index(el))
        el, parent = parent, parent.getparent()
    key.reverse()
    return key


def _nested(elements: list[Any]) -> bool:
    """Whether one of ``elements`` (in document order) lies inside another."""
    if len(elements) < 2:
        return False
    members = set(elements)
    return any(anc in members for el in elements[1:] for anc in el.iterancestors())


def nearest_before(body: Any, scope: Any, tag: str, wanted: Callable[[Any], bool]) -> Any:
    """XPath ``preceding::tag[wanted][1]`` of ``body``, kept only when it lies inside ``scope`` (an ancestor of
    ``body``), else None. What ``scope`` holds before ``body`` is nearer to it than anything outside, so only
    ``scope`` is walked, and only up to ``body``: libxml2's ``preceding::`` walks the whole document back."""
    ancestors: list[Any] | None = None
    found = None
    for el in scope.iter(tag, body.tag):
        if el is body:
            break
        if el.tag == tag and wanted(el):
            if ancestors is None:
                ancestors = list(body.iterancestors())  # preceding:: leaves out the ancestors
            if not any(a is el for a in ancestors):
                found = el
    return found
