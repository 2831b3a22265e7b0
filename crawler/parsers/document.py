"""The parsed document, read once: :class:`Page` holds the head evidence (meta and link tags, JSON-LD, dataLayer)
and finds the landmarks every layout starts from (title element, body container, article region) lazily.
:func:`page_for` caches it per selector, so layout detection and extraction share one tree and one head read.

Speed notes (the budget is about one ``lxml.html.fromstring`` of the page): XPath steps are written
``descendant::x[...]`` rather than ``//x[...]``; element ids are looked up with ``id()`` (hash lookup), the known
ids in one call per page (:meth:`Page.by_id`); whole-document scans are avoided where an id, the head or the
article region is enough.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree
from parsel import Selector

from crawler.parsers.datalayer import _BRAND_SAFETY, _js_unescape, parse_datalayer
from crawler.parsers.jsonld import _ARTICLE_TYPES, _jsonld_str, _types, parse_jsonld_block
from crawler.parsers.text import clean, has_class, has_token, nearest_before

# Compiled once: XPath objects are hot on every page. Where a Python walk replaced an XPath expression, the
# expression lives on in tests/parsers/oracles.py as the walk's specification (named in its docstring).
# regexp=False: none of them calls the EXSLT regular-expression functions, whose registration lxml would otherwise
# repeat on every evaluation (a third of the cost of a small expression).

_X_ID = etree.XPath("id($i)", regexp=False)  # libxml2 indexes HTML ids while parsing: O(1), unlike //*[@id=...]
# The ids the layouts ask for, as constant expressions: binding an XPath variable costs more than the lookup.
_KNOWN_IDS = ("article_con", "arttitle", "penulis", "editor", "artimg", "va", "pagecurrent", "related")
_X_IDS = {ident: etree.XPath(f"id('{ident}')", regexp=False) for ident in _KNOWN_IDS}
# All of them in one evaluation (id() takes a space-separated list); see Page.by_id.
_X_KNOWN_IDS = etree.XPath(f"id('{' '.join(_KNOWN_IDS)}')", regexp=False)
_NO_IDS: dict[str, Any] = dict.fromkeys(_KNOWN_IDS)
_X_META = etree.XPath("/descendant::meta[@content]", regexp=False)
_X_LINK = etree.XPath("/descendant::link[@href]", regexp=False)
# Inline script texts, filtered in Python: libxml2's contains() over large scripts is slower than str.__contains__.
# Plain strings: only their characters are read.
_X_SCRIPT_TEXT = etree.XPath("/descendant::script[not(@src)]/text()", regexp=False, smart_strings=False)
_X_BODY_PRECEDING_H1 = etree.XPath("preceding::h1[not(contains(@class, 'hide'))][1]", regexp=False)
_X_H1 = etree.XPath("/descendant::h1[not(contains(@class, 'hide'))]", regexp=False)


def by_id(root: Any, ident: str) -> Any:
    xpath = _X_IDS.get(ident)
    found = xpath(root) if xpath is not None else _X_ID(root, i=ident)
    return found[0] if found else None




class Page:
    """Everything the parsers read from one document, found once."""

    __slots__ = (
        "__weakref__",
        "_body",
        "_body_done",
        "_brand_safety",
        "_h1",
        "_h1_done",
        "_ids",
        "_region",
        "article_ld",
        "breadcrumb_ld",
        "datalayer",
        "jsonld",
        "links",
        "memo",
        "metas",
        "root",
        "stylesheets",
    )

    def __init__(self, sel: Selector):
        # No reference back to ``sel``: the cache below is keyed weakly on it and must let it die.
        self.root = sel.root
        self.metas: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.stylesheets: list[str] = []
        self.jsonld: list[dict[str, Any]] = []
        self.datalayer: dict[str, str] = {}
        self._brand_safety: Any = False
        self._h1_done = self._body_done = False
        self._h1 = self._body = self._region = None
        # Landmarks a layout finds on this document (its date block…), kept for its matches() and parse().
        self.memo: dict[str, Any] = {}
        self._ids: dict[str, Any] = {}
        if not isinstance(getattr(self.root, "tag", None), str):
            self.article_ld: dict[str, Any] = {}
            self.breadcrumb_ld: list[str] = []
            return
        self._read_head()
        self.article_ld = self._pick_article_ld()
        self.breadcrumb_ld = self._breadcrumb_ld()

    def _read_head(self) -> None:
        # The head is read child by child: touching only its nodes keeps a just-parsed (cache-cold) tree cold
        # everywhere else. Whole-document scans are the fallback for pages whose head lacks what we need.
        root = self.root
        # The head is nearly always the root's first child: testing that is a fraction of find()'s path search.
        first = root[0] if len(root) else None
        head = first if first is not None and first.tag == "head" else root.find("head")
        scripts: list[tuple[str, str]] = []
        if head is not None:
            # One C-filtered pass per tag: reading ``.tag`` of every head child costs more than three passes.
            metas = self.metas
            for el in head.iterchildren("meta"):
                get = el.get
                key = get("property") or get("name") or get("itemprop")
                if key:
                    key = key.strip().lower()
                    if key not in metas:
                        metas[key] = get("content") or ""
            for el in head.iterchildren("link"):
                self._add_link(el)
            for el in head.iterchildren("script"):
                text = el.text
                if text and not el.get("src"):
                    scripts.append((el.get("type") or "", text))
        if head is None or not ("og:title" in self.metas or "description" in self.metas):
            for el in _X_META(root):
                self._add_meta(el)
            for el in _X_LINK(root):
                self._add_link(el)
        self._read_scripts(scripts)
        if not self.datalayer or not self.jsonld:
            # Some templates put JSON-LD or the dataLayer in the body; the head has been read already.
            self._read_scripts(body_scripts(root))

    def _add_meta(self, meta: Any) -> None:
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        if key:
            key = key.strip().lower()
            if key not in self.metas:
                self.metas[key] = meta.get("content") or ""

    def _add_link(self, link: Any) -> None:
        href = link.get("href")
        if not href:
            return
        rel = (link.get("rel") or "").lower()
        rels = rel.split() if " " in rel else (rel,)
        for one in rels:
            if one not in self.links:
                self.links[one] = href
        if "stylesheet" in rels or "preload" in rels:
            self.stylesheets.append(href)

    def _read_scripts(self, scripts: list[tuple[str, str]]) -> None:
        for stype, text in scripts:
            if "ld+json" in stype.lower():
                self.jsonld.extend(parse_jsonld_block(text))
            elif "dataLayer" in text:
                found = parse_datalayer(text)
                if not self.datalayer:
                    self.datalayer.update(found)  # the setdefault loop below, on an empty dict
                    continue
                for key, value in found.items():
                    self.datalayer.setdefault(key, value)

    def by_id(self, ident: str) -> Any:
        """:func:`by_id` on this page, remembered: several finders ask for the same ids."""
        ids = self._ids
        if not ids and ident in _X_IDS:
            self._prefetch_ids()
        try:
            return ids[ident]
        except KeyError:
            el = ids[ident] = by_id(self.root, ident)
            return el

    def _prefetch_ids(self) -> None:
        # Every known id in one XPath call instead of one call each. id() answers the element libxml2
        # registered for each token; an element found is matched back to its token by its id attribute. An
        # <a name=…> can be registered too (older libxml2), so then the tokens are looked up one by one.
        # Called while the page's ids are still empty; they are filled only when no <a name> was met.
        got: dict[str, Any] = {}
        for el in _X_KNOWN_IDS(self.root):
            if el.tag == "a" and el.get("name") in _X_IDS:
                return
            ident = el.get("id")
            if ident in _X_IDS and ident not in got:
                got[ident] = el
        self._ids.update(_NO_IDS)
        self._ids.update(got)

    def brand_safety(self) -> str | None:
        """``var keywordBrandSafety = "…"`` (a page's full text in a script), searched only when asked."""
        if self._brand_safety is False:
            self._brand_safety = None
            if isinstance(getattr(self.root, "tag", None), str):
                for text in _X_SCRIPT_TEXT(self.root):
                    if "keywordBrandSafety" in text:
                        m = _BRAND_SAFETY.search(text)
                        if m:
                            self._brand_safety = _js_unescape(m.group(1) if m.group(1) is not None else m.group(2))
                            break
        return self._brand_safety

    def _pick_article_ld(self) -> dict[str, Any]:
        fallback: dict[str, Any] = {}
        for obj in self.jsonld:
            if _types(obj) & _ARTICLE_TYPES:
                return obj
            if not fallback and "headline" in obj:
                fallback = obj
        return fallback

    def _breadcrumb_ld(self) -> list[str]:
        for obj in self.jsonld:
            if "breadcrumblist" in _types(obj):
                items = obj.get("itemListElement")
                if not isinstance(items, list):
                    return []
                names: list[tuple[float, str]] = []
                for i, item in enumerate(items):
                    if not isinstance(item, dict):
                        continue
                    name = _jsonld_str(item.get("name"))
                    inner = item.get("item")
                    if not name and isinstance(inner, dict):
                        name = _jsonld_str(inner.get("name"))
                    pos = item.get("position")
                    order = float(pos) if isinstance(pos, (int, float)) and not isinstance(pos, bool) else i
                    if name:
                        names.append((order, name))
                return [n for _, n in sorted(names)]
        return []

    # -- landmarks ---------------------------------------------------------------------------------------------

    @property
    def body(self) -> Any:
        """The article body container: the ``div.txt-article`` the network's templates share, or None."""
        if not self._body_done:
            self._body_done = True
            self._body = self._find_body()
        return self._body

    def _find_body(self) -> Any:
        if not isinstance(getattr(self.root, "tag", None), str):
            return None
        con = self.by_id("article_con")
        if con is not None:
            if has_class(con, "txt-article"):
                return con
            for child in con:
                if isinstance(child.tag, str) and has_class(child, "txt-article"):
                    return child
        # The scan stops at the first candidate with a paragraph: the rest of the document (sidebars, footer)
        # is not walked on most pages.
        first = None
        for cand in iter_txt_article_divs(self.root):
            if next(cand.iter("p"), None) is not None:
                return cand
            if first is None:
                first = cand
        return first

    @property
    def h1(self) -> Any:
        """The article title element: ``h1#arttitle``, else the nearest visible h1 before the body."""
        if not self._h1_done:
            self._h1_done = True
            el = self.by_id("arttitle") if isinstance(getattr(self.root, "tag", None), str) else None
            if el is None and self.body is not None:
                found = _X_BODY_PRECEDING_H1(self.body)
                el = found[0] if found else None
            if el is None and isinstance(getattr(self.root, "tag", None), str):
                found = _X_H1(self.root)
                el = found[0] if found else None
            self._h1 = el
        return self._h1

    @property
    def region(self) -> Any:
        """Smallest subtree holding both title and body (the article header lives there); else the root."""
        if self._region is None:
            self._region = self._find_region()
        return self._region

    def _find_region(self) -> Any:
        h1, body = self.h1, self.body
        if h1 is not None and body is not None:
            h1_line = {id(a): a for a in h1.iterancestors()}
            if id(body) in h1_line:
                return body
            for anc in body.iterancestors():
                if id(anc) in h1_line:
                    return anc
        anchor = body if body is not None else h1
        if anchor is not None:
            parent = anchor.getparent()
            if parent is not None and parent.getparent() is not None:
                return parent.getparent()
        return self.root

    def meta(self, *keys: str) -> str:
        for key in keys:
            value = clean(self.metas.get(key))
            if value:
                return value
        return ""


# Python walks standing in for XPath expressions (named after the _X_ constant each one replaces; tests check
# them against it). libxml2 evaluates class and text predicates several times slower than these loops.


def txt_article_divs(root: Any) -> list[Any]:
    """_X_TXT_ARTICLE: the body container candidates of the document, in document order."""
    return list(iter_txt_article_divs(root))


def iter_txt_article_divs(root: Any) -> Iterator[Any]:
    """:func:`txt_article_divs`, one at a time."""
    for div in root.iter("div"):
        cls = div.get("class")
        # has_token's own first test, inlined: most divs have a class, few hold the name, and a call costs more.
        if cls and "txt-article" in cls and has_token(cls, "txt-article"):
            yield div


def body_scripts(root: Any) -> list[tuple[str, str]]:
    """_X_BODY_SCRIPT_TEXT: (type, text) of the body's inline scripts, in document order. The walk reads each
    script's type from the element it is on; the XPath's text nodes each need a trip back to their parent (15 %
    slower on the real 2015 page, whose body holds forty scripts)."""
    found: list[tuple[str, str]] = []
    if root.tag != "html":
        return found
    for body in root.iterchildren("body"):
        for script in body.iter("script"):
            if script.get("src") is None:
                # An HTML parser gives a script one text node, or none when it is empty.
                text = script.text
                if text is not None:
                    found.append((script.get("type") or "", text))
    return found


def _not_timeago(el: Any) -> bool:
    return "timeago" not in (el.get("class") or "")


def _is_timeago(el: Any) -> bool:
    return "timeago" in (el.get("class") or "")


def time_before(body: Any, scope: Any) -> Any:
    """_X_TIME_BEFORE(body)[0] when it lies inside ``scope``, else None."""
    return nearest_before(body, scope, "time", _not_timeago)


def timeago_before(body: Any, scope: Any) -> Any:
    """_X_TIMEAGO_BEFORE(body)[0] when it lies inside ``scope``, else None."""
    return nearest_before(body, scope, "span", _is_timeago)


_PAGES: weakref.WeakKeyDictionary[Selector, Page] = weakref.WeakKeyDictionary()


# The latest answer, as weak references (it keeps no tree alive): parse_article, every layout's matches() and the
# chosen parse() ask for one page in a row, and calling a weakref is cheaper than the dictionary's lookup, which
# wraps its key in a new weakref each time.
def _gone() -> None:
    return None


_latest: tuple[Callable[[], Selector | None], Callable[[], Page | None]] = (_gone, _gone)


def page_for(sel: Selector) -> Page:
    """The :class:`Page` of ``sel``, built on first use and shared by ``matches`` and ``parse``."""
    global _latest
    sel_ref, page_ref = _latest
    if sel_ref() is sel:
        page = page_ref()
        if page is not None:
            return page
    page = _PAGES.get(sel)
    if page is None:
        page = Page(sel)
        _PAGES[sel] = page
    _latest = (weakref.ref(sel), weakref.ref(page))
    return page


def breadcrumb_uls(root: Any) -> list[Any]:
    """_X_BREADCRUMB."""
    return list(iter_breadcrumb_uls(root))


def iter_breadcrumb_uls(root: Any) -> Iterator[Any]:
    """:func:`breadcrumb_uls`, one at a time."""
    return (ul for ul in root.iter("ul") if "breadcrumb" in (ul.get("class") or ""))
