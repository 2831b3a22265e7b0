"""Article page parsers: HTML + URL in, :class:`~crawler.parsers.base.RawArticle` out. No Scrapy here.

:func:`parse_article` parses the document once and asks each layout in :data:`LAYOUTS`, in order, whether
the markup is its own (``matches``); the first that says yes extracts (``parse``). Each layout's ``matches``
asks for markers of its own era only; a page none of them claims goes to :mod:`~crawler.parsers.generic`, which
reads structured data and the densest paragraph block.

A layout is a page object (:class:`crawler.parsers.page.ArticlePage`): one class per era with one method per
field, each era subclassing the one it grew out of (``Desktop2015`` → ``Desktop2017`` → ``Desktop2023``;
``Mobile`` and ``Amp`` from ``Desktop2017``) and overriding only what changed. The helpers they share know no
era: :mod:`~crawler.parsers.document` (the parsed page and its head evidence), :mod:`~crawler.parsers.jsonld`,
:mod:`~crawler.parsers.datalayer`, :mod:`~crawler.parsers.pagination`, :mod:`~crawler.parsers.text` and
:mod:`~crawler.parsers.labels`. Adding a layout is one module (its class, ``NAME`` and the ``matches``/``parse``
pair from :func:`~crawler.parsers.page.entry_points`), one line in :data:`LAYOUTS` (before ``generic``) and one
fixture folder under ``tests/fixtures/pages/``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Protocol

from lxml import etree
from parsel import Selector

from crawler.parsers import amp, desktop2015, desktop2017, desktop2023, generic, mobile
from crawler.parsers.base import NotAnArticle, RawArticle
from crawler.parsers.document import page_for
from crawler.parsers.encoding import is_utf8

__all__ = ["LAYOUTS", "Layout", "NotAnArticle", "RawArticle", "layout_for", "parse_article", "utf8_selector"]


class Layout(Protocol):
    NAME: str

    def matches(self, sel: Selector, url: str) -> bool: ...

    def parse(self, sel: Selector, url: str) -> RawArticle: ...


# Most specific first: AMP and mobile pages reuse desktop class names, era C reuses era B's; generic, which
# claims any page whose head says it is an article, goes last.
LAYOUTS: tuple[ModuleType, ...] = (amp, mobile, desktop2023, desktop2015, desktop2017, generic)

# dataLayer content types of pages that are certainly not a single article.
_NON_ARTICLE_TYPES = frozenset({
    "homepage", "home", "index", "indeks", "index-news", "section", "subsection", "channel", "kanal", "category",
    "tag", "topic", "search", "listing", "list", "author", "penulis", "editor", "error", "404",
})


# Per thread: a parser's error log describes its latest parse, which utf8_selector reads after the parse.
_LOCAL = threading.local()


def _parser(encoding: str) -> etree.HTMLParser:
    # One parser per encoding, reused: building an HTMLParser costs more than a small page's parse.
    parsers: dict[str, etree.HTMLParser] | None = getattr(_LOCAL, "parsers", None)
    if parsers is None:
        parsers = _LOCAL.parsers = {}
    parser = parsers.get(encoding)
    if parser is None:
        parser = parsers[encoding] = etree.HTMLParser(encoding=encoding)
    return parser


def _selector(html: str | bytes, encoding: str | None = None) -> Selector:
    if isinstance(html, (bytes, bytearray)):
        if encoding is None:
            # Undeclared bytes: decode the way Scrapy's ``response.text`` does (BOM, <meta charset>, UTF-8).
            from w3lib.encoding import html_to_unicode

            html = html_to_unicode("text/html", bytes(html))[1]
        else:
            return _selector_bytes(bytes(html), encoding)
    # isspace() rather than strip(): the same test without copying the whole document.
    if not isinstance(html, str) or not html or html.isspace():
        raise NotAnArticle("empty document")
    try:
        # lxml's own HTML parser on the str, wrapped afterwards: parsel's text= path re-encodes the whole
        # document and builds lxml.html elements, whose Python class lookup runs on every element access.
        root = etree.HTML(html)
        sel = Selector(root=root, type="html") if root is not None else None
    except ValueError:  # a str that declares an encoding (<?xml … encoding=…?>) must go in as bytes
        try:
            sel = Selector(text=html, type="html")
        except (ValueError, TypeError) as exc:
            raise NotAnArticle(f"unparseable document: {exc}") from exc
    if sel is None or not isinstance(getattr(sel.root, "tag", None), str):
        raise NotAnArticle("unparseable document")
    return sel


def _selector_bytes(data: bytes, encoding: str) -> Selector:
    if not data or data.isspace():
        raise NotAnArticle("empty document")
    try:
        # Bytes in a known encoding go to libxml2 as they are: no decode, and no str → UTF-8 round trip.
        root = etree.HTML(data, _parser(encoding))
    except (LookupError, ValueError, etree.LxmlError) as exc:  # an encoding lxml does not know
        raise NotAnArticle(f"unparseable document: {exc}") from exc
    if root is None or not isinstance(root.tag, str):
        raise NotAnArticle("unparseable document")
    return Selector(root=root, type="html")


def utf8_selector(data: bytes) -> Selector | None:
    """``data`` parsed as UTF-8, or None when it is not valid UTF-8 (when ``data.decode("utf-8")`` would fail).

    libxml2 checks every byte as it decodes it and logs the first bad one (``ERR_INVALID_ENCODING``, wherever
    it lies: text, attribute, script, comment), so a parse that logged nothing read valid UTF-8 and the body
    needs no check of its own (:func:`~crawler.parsers.encoding.is_utf8` costs a tenth of the parse on a real
    250 KB page holding a few non-ASCII characters). lxml keeps only the first entries of a parse's log, so a
    log holding anything at all is no answer: ``is_utf8`` decides then. Empty and unparseable UTF-8 raise
    :class:`NotAnArticle` as :func:`parse_article` does.
    """
    try:
        sel = _selector_bytes(data, "utf-8")
    except NotAnArticle:
        if is_utf8(data):
            raise
        return None
    if _parser("utf-8").error_log and not is_utf8(data):
        return None
    return sel


def layout_for(sel: Selector, url: str, layouts: Sequence[ModuleType] | None = None) -> ModuleType | None:
    """The first layout in ``layouts`` (default :data:`LAYOUTS`) whose markup ``sel`` shows, or None."""
    for layout in LAYOUTS if layouts is None else layouts:
        if layout.matches(sel, url):
            return layout
    return None


def parse_article(html: str | bytes, url: str, *, encoding: str | None = None,
                  selector: Selector | None = None, layouts: Sequence[ModuleType] | None = None) -> RawArticle:
    """Parse one article page.

    ``html`` is the decoded page, or its raw bytes: with ``encoding`` (the charset the caller has checked the
    bytes are in) they are parsed as they are, which skips a decode and lxml's re-encoding of a str; without it
    they are decoded as Scrapy's ``response.text`` would. Both give the same result for the same document.

    ``selector`` lets a caller that already holds a parsed document (Scrapy's ``response.selector``) skip a
    second parse; otherwise ``html`` is parsed exactly once. ``layouts`` replaces :data:`LAYOUTS` (the generic
    layout's accuracy is measured with ``layouts=(generic,)``). Raises :class:`NotAnArticle` for homepages,
    listings, tag and error pages, and empty or garbage input.
    """
    sel = selector if selector is not None else _selector(html, encoding)
    page = page_for(sel)
    content_type = page.datalayer.get("content_type", "").strip().lower()
    if content_type in _NON_ARTICLE_TYPES:
        raise NotAnArticle(f"dataLayer content_type is {content_type!r}")
    layout = layout_for(sel, url, layouts)
    if layout is None:
        raise NotAnArticle("no article layout recognised")
    return layout.parse(sel, url)
