"""Helpers shared by every layout parser.

The document is parsed once (a parsel ``Selector`` around one lxml tree); :func:`page_for` reads the head
evidence (meta/link tags, JSON-LD, dataLayer) and caches it per selector, so layout detection (``matches``) and
extraction (``parse``) share one tree and one head read. All extraction uses lxml elements and precompiled XPath
directly (``sel.root``): wrapping nodes in parsel selectors would cost more than the extraction itself.

Speed notes (the budget is about one ``lxml.html.fromstring`` of the page): XPath steps are written
``descendant::x[...]`` rather than ``//x[...]`` (libxml2 expands ``//`` into a per-node child step with the
predicate, several times slower); element ids are looked up with ``id()`` (hash lookup); whole-document scans
are avoided where an id, the head or the article region is enough. Class and text predicates are tested in
Python over ``iter(tag)``/``iterdescendants(tag)`` rather than in XPath: libxml2 evaluates ``contains(@class, …)``
and ``normalize-space()`` per node several times slower than lxml's C-level tag filter plus a ``str`` test, and
the known ids are fetched in one ``id()`` call per page (:meth:`Page.by_id`).

Precedence is applied in :func:`assemble`, field by field: structured data first (JSON-LD, dataLayer, meta),
the layout's visible markup (:class:`Visible`) as fallback.
"""

from __future__ import annotations

import html as _html
import json
import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector

from crawler.parsers.base import NotAnArticle, RawArticle
from crawler.parsers.labels import CREDIT_LABELS

# --------------------------------------------------------------------------------------------------------------
# Compiled once: XPath objects and regexes are hot on every page. Several of these are no longer evaluated on
# the hot path (TXT_ARTICLE, DATE_BLOCK, DATE_AFTER_H1, TAYANG, DIPERBARUI, PAGE_LINKS, TOTAL_PAGE, BREADCRUMB,
# HIDDEN_LEDE, TIME_BEFORE, TIMEAGO_BEFORE, STRING): Python walks of the same name below replace them, and they
# stay as the specification the tests check those walks against.

_X_ID = etree.XPath("id($i)")  # libxml2 indexes HTML ids while parsing: O(1), unlike //*[@id=...]
# The ids the layouts ask for, as constant expressions: binding an XPath variable costs more than the lookup.
_KNOWN_IDS = ("article_con", "arttitle", "penulis", "editor", "artimg", "va", "pagecurrent", "related")
_X_IDS = {ident: etree.XPath(f"id('{ident}')") for ident in _KNOWN_IDS}
# All of them in one evaluation (id() takes a space-separated list); see Page.by_id.
_X_KNOWN_IDS = etree.XPath(f"id('{' '.join(_KNOWN_IDS)}')")
_X_META = etree.XPath("/descendant::meta[@content]")
_X_LINK = etree.XPath("/descendant::link[@href]")
# Inline script texts, filtered in Python: libxml2's contains() over large scripts is slower than str.__contains__.
_X_SCRIPT_TEXT = etree.XPath("/descendant::script[not(@src)]/text()")
_X_BODY_SCRIPT_TEXT = etree.XPath("/html/body/descendant::script[not(@src)]/text()")
_X_AMP_SCRIPT = etree.XPath("boolean(/descendant::script[contains(@src, 'ampproject.org')])")
_X_STRING = etree.XPath("string()")
_X_TXT_ARTICLE = etree.XPath(
    "/descendant::div[contains(concat(' ', normalize-space(@class), ' '), ' txt-article ')"
    " or contains(@class, 'amp-article-body') or @itemprop='articleBody']"
)
_X_BODY_PRECEDING_H1 = etree.XPath("preceding::h1[not(contains(@class, 'hide'))][1]")
_X_H1 = etree.XPath("/descendant::h1[not(contains(@class, 'hide'))]")
_X_DATE_BLOCK = etree.XPath("descendant::div[contains(concat(' ', normalize-space(@class), ' '), ' bdr3 ')]")
_X_DATE_AFTER_H1 = etree.XPath("following-sibling::div[position() <= 6][contains(@class, 'bdr3')][1]")
_X_TIME_BEFORE = etree.XPath("preceding::time[not(contains(@class, 'timeago'))][1]")
_X_TIME_AFTER = etree.XPath("following::time[not(contains(@class, 'timeago'))][1]")
_X_TAYANG = etree.XPath("descendant::strong[starts-with(normalize-space(.), 'Tayang')]")
_X_DIPERBARUI = etree.XPath("descendant::*[starts-with(normalize-space(text()), 'Diperbarui')]")
_X_TIMEAGO_BEFORE = etree.XPath("preceding::span[contains(@class, 'timeago')][1]")
_X_PAGE_LINKS = etree.XPath(
    "descendant::a[contains(@href, 'page=')] | descendant::div[contains(@class, 'paging')]/descendant::a[@href]"
)
_X_TOTAL_PAGE = etree.XPath("descendant::span[contains(@class, 'total-page')]")
_X_BREADCRUMB = etree.XPath("/descendant::ul[contains(@class, 'breadcrumb')]")

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_BR = "\x00"  # line-break marker: lxml never keeps a NUL in tree text, so it cannot clash with page text
_PAGE_OF = re.compile(r"Halaman\s*(\d+)\s*/\s*(\d+)", re.I)
_DATALAYER_START = re.compile(r"dataLayer\s*(?:=\s*\[|\.push\s*\()\s*\{")
# Quoted values as "unrolled loops" (`[^'\\]*(?:\\.[^'\\]*)*`: the same strings as `(?:[^'\\]|\\.)*`), which the
# regex engine runs as one character-class loop per stretch instead of one alternation per character.
_DATALAYER_PAIR = re.compile(
    r"""\s*,?\s*(?:(['"])(?P<k>[^'"\n]*)\1|(?P<bk>[A-Za-z_$][\w$-]*))\s*:\s*"""
    r"""(?:'(?P<sv>[^'\\]*(?:\\.[^'\\]*)*)'|"(?P<dv>[^"\\]*(?:\\.[^"\\]*)*)"|(?P<bv>[^,}\n]*))""",
    re.S,
)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": "", "0": ""}
_BRAND_SAFETY = re.compile(r"""keywordBrandSafety\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""", re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_REPEATED_COMMA = re.compile(r",(?:\s*,)+")
_BAD_JSON_ESCAPE = re.compile(r"\\(?=['])")
_HTML_BREAKS = re.compile(r"</p\s*>|<br\s*/?>|\n", re.I)
_TAGS = re.compile(r"<[^>]+>")
# data-glightbox="title: Caption text; description: …;" — the caption may itself hold semicolons.
_GLIGHTBOX_TITLE = re.compile(
    r"\s*title\s*:\s*(.*?)\s*;?\s*(?:;\s*(?:description|descPosition|type|effect|width|height|alt)\s*:.*)?$",
    re.I | re.S,
)

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

_ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "socialmediaposting",
})


# --------------------------------------------------------------------------------------------------------------
# Text


def clean(text: str | None) -> str:
    """Whitespace (incl. nbsp) collapsed to single spaces, zero-width characters dropped, stripped."""
    if not text:
        return ""
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


def by_id(root: Any, ident: str) -> Any:
    xpath = _X_IDS.get(ident)
    found = xpath(root) if xpath is not None else _X_ID(root, i=ident)
    return found[0] if found else None


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
    cls = el.get("class")
    if cls:
        for token in cls.lower().split():
            # A premium page's subscribe box sits inside the body after the teaser ("paywall-box").
            if token in _NOISE_CLASSES or token.startswith(("ads-", "ads_", "paywall")) or "banner" in token:
                return True
    ident = el.get("id")
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


def _keep(out: list[str], text: str) -> None:
    if text and not _NOISE_TEXT.match(text):
        out.append(text)


def body_paragraphs(body: Any) -> list[str]:
    """Paragraph texts of an article body in document order, noise removed.

    ``<p>``, sub-headings and list items give one paragraph each; text placed directly in the body or in
    wrapper divs (older articles separate paragraphs with ``<br>``) is split at the line breaks.
    """
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            for line in "".join(buf).split(_BR):
                _keep(out, clean(line))
            buf.clear()

    def walk(container: Any) -> None:
        if container.text:
            buf.append(container.text)
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
                flush()
                if tag != "li" or not _link_heavy(child):
                    _keep(out, inline_text(child))
            elif tag in ("table", "ul", "ol") and _link_heavy(child):
                flush()
            else:
                flush()
                walk(child)
                flush()
            if child.tail:
                buf.append(child.tail)

    walk(body)
    flush()
    return out


def _js_unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw

    def repl(m: re.Match[str]) -> str:
        esc = m.group(1)
        if len(esc) > 1:
            return chr(int(esc[1:], 16))
        return _JS_SIMPLE.get(esc, esc)

    return _JS_ESCAPE.sub(repl, raw)


def brand_safety_paragraphs(text: str | None) -> list[str]:
    """The ``keywordBrandSafety`` full text split into paragraphs (it may carry ``<p>``/``<br>`` markup)."""
    if not text:
        return []
    out: list[str] = []
    for chunk in _HTML_BREAKS.split(text):
        _keep(out, clean(_html.unescape(_TAGS.sub(" ", chunk))))
    return out


# --------------------------------------------------------------------------------------------------------------
# Structured data


def _strip_script_wrappers(text: str) -> str:
    text = text.strip()
    for prefix in ("<!--", "//<![CDATA[", "<![CDATA["):
        if text.startswith(prefix):
            text = text[len(prefix):]
    for suffix in ("-->", "//]]>", "]]>"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.strip()


_JSON = json.JSONDecoder(strict=False)  # strict=False accepts raw newlines/tabs inside strings


def _decode_json_values(text: str) -> list[Any]:
    """Every JSON value in ``text`` (several may be concatenated); raises ValueError when none parses."""
    decoder = _JSON
    values: list[Any] = []
    pos, end = 0, len(text)
    while pos < end:
        while pos < end and text[pos] in " \t\r\n,;":
            pos += 1
        if pos >= end:
            break
        value, pos = decoder.raw_decode(text, pos)
        values.append(value)
    if not values:
        raise ValueError("empty JSON-LD block")
    return values


def parse_jsonld_block(text: str | None) -> list[dict[str, Any]]:
    """The objects of one JSON-LD script: a single object, a list or an ``@graph`` flattened to a list.

    Malformed blocks are repaired when the fault is a common one (trailing commas, raw newlines, ``\\'``,
    HTML-escaped quotes); a block that still does not parse gives ``[]``. Never raises.
    """
    if not text or not text.strip():
        return []
    text = _strip_script_wrappers(text)
    try:
        return _flatten_jsonld(_decode_json_values(text))
    except (ValueError, RecursionError):
        pass
    # Repairs are built only for a block that failed as it is: most blocks are valid JSON.
    repaired = _BAD_JSON_ESCAPE.sub("", _TRAILING_COMMA.sub(r"\1", _REPEATED_COMMA.sub(",", text)))
    attempts = [repaired]
    if "&quot;" in text or "&#" in text:
        attempts.append(_html.unescape(repaired))
    for attempt in attempts:
        try:
            values = _decode_json_values(attempt)
        except (ValueError, RecursionError):
            continue
        return _flatten_jsonld(values)
    return []


def _flatten_jsonld(values: list[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = list(reversed(values))
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(reversed(graph))
                rest = {k: v for k, v in item.items() if k != "@graph"}
                if "@type" in rest:
                    out.append(rest)
            else:
                out.append(item)
    return out


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.lower()}
    if isinstance(t, list):
        return {x.lower() for x in t if isinstance(x, str)}
    return set()


def parse_datalayer(script: str) -> dict[str, str]:
    """Key/values of the first ``dataLayer`` object literal in a script (single- or double-quoted JS)."""
    m = _DATALAYER_START.search(script)
    if not m:
        return {}
    out: dict[str, str] = {}
    pos = m.end()
    match = _DATALAYER_PAIR.scanner(script, pos).match  # each match() starts where the last one ended
    while True:
        pair = match()
        if pair is None or pair.end() == pos:
            break
        pos = pair.end()
        _, key, bare_key, single, double, bare = pair.groups()
        if key is None:
            key = bare_key
        if key and key not in out:
            if single is not None:
                value = _js_unescape(single)
            elif double is not None:
                value = _js_unescape(double)
            else:
                value = (bare or "").strip()
            out[key] = value.strip()
    return out


def _jsonld_str(value: Any) -> str:
    if isinstance(value, str):
        return clean(_html.unescape(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def jsonld_names(value: Any) -> list[str]:
    """Names from a JSON-LD person/organisation value: string, object with ``name``, or a list of those."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = _jsonld_str(item.get("name")) if isinstance(item, dict) else _jsonld_str(item)
        if name:
            names.append(name)
    return names


def jsonld_image(value: Any) -> str | None:
    if isinstance(value, list):
        for item in value:
            found = jsonld_image(item)
            if found:
                return found
        return None
    if isinstance(value, dict):
        return jsonld_image(value.get("url") or value.get("contentUrl") or value.get("@id"))
    return _jsonld_str(value) or None


def jsonld_free(value: Any) -> bool | None:
    """``isAccessibleForFree`` as a boolean: JSON true/false or the strings some CMSs write ("False")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower())
    return None


_SUMMARY_HEADING = re.compile(r"^\s*ringkasan\s+berita\s*:?\s*", re.I)


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


def jsonld_keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [clean(x) for x in _html.unescape(value).split(",") if clean(x)]
    if isinstance(value, list):
        return [k for x in value for k in jsonld_keywords(x)]
    return []


# --------------------------------------------------------------------------------------------------------------
# The page: head evidence read once, body landmarks found lazily and cached.


class Page:
    """Everything the parsers read from one document, found once."""

    __slots__ = (
        "__weakref__", "_body", "_body_done", "_brand_safety", "_date_block", "_h1", "_h1_done", "_ids", "_region",
        "article_ld", "breadcrumb_ld", "datalayer", "jsonld", "links", "metas", "root", "stylesheets",
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
        self._date_block: Any = False
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
        head = root.find("head")
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
            self._read_scripts([(t.getparent().get("type") or "", t) for t in _X_BODY_SCRIPT_TEXT(root)])

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
                for key, value in parse_datalayer(text).items():
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
        ids = self._ids
        found = _X_KNOWN_IDS(self.root)
        if any(el.tag == "a" and el.get("name") in _X_IDS for el in found):
            return
        for el in found:
            ident = el.get("id")
            if ident in _X_IDS and ident not in ids:
                ids[ident] = el
        for ident in _KNOWN_IDS:
            ids.setdefault(ident, None)

    def brand_safety(self) -> str | None:
        """``var keywordBrandSafety = "…"`` (era C full text), searched only when asked: it is a fallback."""
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
        """The article body container (``div.txt-article`` and its AMP/era variants), or None."""
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

    @property
    def date_block(self) -> Any:
        """The desktop date container ``div.grey.bdr3`` of the article header, or None."""
        if self._date_block is False:
            # Normally a sibling shortly after the title; the region scan is the fallback.
            found = date_after_h1(self.h1) if self.h1 is not None else None
            if found is None:
                found = date_block_in(self.region)
            self._date_block = found
        return self._date_block

    @property
    def amp_script(self) -> bool:
        return bool(_X_AMP_SCRIPT(self.root)) if isinstance(getattr(self.root, "tag", None), str) else False

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
        in_class = bool(cls) and (has_token(cls, "txt-article") or "amp-article-body" in cls)
        if in_class or div.get("itemprop") == "articleBody":
            yield div


def date_after_h1(h1: Any) -> Any:
    """_X_DATE_AFTER_H1: a ``bdr3`` div among the six div siblings after the title, or None."""
    for n, sib in enumerate(h1.itersiblings("div")):
        if n >= 6:
            return None
        if "bdr3" in (sib.get("class") or ""):
            return sib
    return None


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


def date_block_in(scope: Any) -> Any:
    """_X_DATE_BLOCK: the first ``div.bdr3`` under ``scope``, or None."""
    return next((div for div in scope.iterdescendants("div") if has_token(div.get("class"), "bdr3")), None)


_PAGES: weakref.WeakKeyDictionary[Selector, Page] = weakref.WeakKeyDictionary()


def page_for(sel: Selector) -> Page:
    """The :class:`Page` of ``sel``, built on first use and shared by ``matches`` and ``parse``."""
    page = _PAGES.get(sel)
    if page is None:
        page = Page(sel)
        _PAGES[sel] = page
    return page


# --------------------------------------------------------------------------------------------------------------
# Visible markup finders shared by several layouts


def visible_dates(page: Page, block: Any = None) -> list[tuple[str, str]]:
    """Visible publication date candidates: the date block's ``<time>`` (or heading) text, then its
    ``datetime`` attribute; else the first non-relative ``<time>`` after the title."""
    if block is None:
        block = date_block(page)
    time_el = None
    out: list[tuple[str, str]] = []
    if block is not None:
        time_el = next(block.iter("time"), None)
        if time_el is None:
            heading = next(block.iter("h3"), None)
            text = _without_updated(text_of(heading if heading is not None else block))
            if text:
                out.append(("visible", text))
    elif page.body is not None:
        # The header's <time> precedes the body; later ones belong to related lists and sidebars.
        time_el = time_before(page.body, page.region)
    elif page.h1 is not None:
        found = _X_TIME_AFTER(page.h1)
        time_el = found[0] if found else None
    if time_el is not None:
        text = _without_updated(text_of(time_el))
        if text:
            out.append(("visible", text))
        stamp = clean(time_el.get("datetime"))
        if stamp and stamp != text:
            out.append(("visible", stamp))
    return out


def _without_updated(text: str) -> str:
    # An era-C date block may hold both "Tayang: …" and "Diperbarui: …"; the latter is a modified date.
    idx = text.find("Diperbarui")
    return text[:idx].strip(" |-,") if idx > 0 else text


def date_block(page: Page) -> Any:
    return page.date_block


def header_scope(page: Page) -> Any:
    """Where the header labels (Tayang, Diperbarui) live: around the date block or the header's <time>,
    else the whole region."""
    anchor = page.date_block
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
    # The label lies in one text node under ``scope``, so in the concatenation of them all: without it there,
    # the walk (a Python visit per descendant, ten times the cost of the string) is skipped.
    if "Tayang" not in string_value(scope):
        return False
    for strong in scope.iterdescendants("strong"):
        text = string_value(strong)
        if "Tayang" in text and text.lstrip(_XML_WS).startswith("Tayang"):
            return True
    return False


def diperbarui_elements(scope: Any) -> list[Any]:
    """_X_DIPERBARUI: elements under ``scope`` whose first text node starts with the label."""
    if "Diperbarui" not in string_value(scope):  # see has_tayang
        return []
    found = []
    for el in scope.iterdescendants("*"):
        text = _first_text_node(el)
        if text is not None and "Diperbarui" in text and text.lstrip(_XML_WS).startswith("Diperbarui"):
            found.append(el)
    return found


def updated_dates(page: Page) -> list[tuple[str, str]]:
    """``Diperbarui: …`` (era C, optional) as a visible modified-date candidate."""
    for el in diperbarui_elements(header_scope(page)):
        text = text_of(el)
        if not any(ch.isdigit() for ch in text) and el.getparent() is not None:
            text = text_of(el.getparent())  # label in its own <strong>, date in the parent
        idx = text.find("Diperbarui")
        if idx >= 0 and any(ch.isdigit() for ch in text[idx:]):
            return [("visible", text[idx:].strip())]
    return []


def relative_label(page: Page) -> tuple[list[tuple[str, str]], list[str]]:
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




def credit_texts(page: Page) -> list[str]:
    """Visible credit elements in page order: ``#penulis``/``#editor`` (div, span or one-line h5) and the
    ``Sumber:`` siblings in their container."""
    penulis, editor = page.by_id("penulis"), page.by_id("editor")
    nodes = [n for n in (penulis, editor) if n is not None]
    if not nodes:
        return []
    if penulis is not None and editor is not None and any(a is penulis for a in editor.iterancestors()):
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


def breadcrumb_uls(root: Any) -> list[Any]:
    """_X_BREADCRUMB."""
    return list(iter_breadcrumb_uls(root))


def iter_breadcrumb_uls(root: Any) -> Iterator[Any]:
    """:func:`breadcrumb_uls`, one at a time."""
    return (ul for ul in root.iter("ul") if "breadcrumb" in (ul.get("class") or ""))


def lead_image(page: Page) -> tuple[str | None, str | None]:
    """The ``#artimg`` lead image URL and caption (figcaption, glightbox title, grey caption line)."""
    art = page.by_id("artimg")
    if art is None:
        return None, None
    url = None
    caption = None
    for img in art.iter("img"):
        src = img.get("data-src") or img.get("src") or ""
        if src and not src.lower().endswith(".svg") and not src.startswith("data:"):
            url = src
            break
    fig = next(art.iter("figcaption"), None)
    if fig is not None:
        caption = text_of(fig)
    if not caption:
        for a in art.iter("a"):
            m = _GLIGHTBOX_TITLE.match(a.get("data-glightbox") or "")
            if m:
                caption = clean(m.group(1))
                if caption:
                    break
    if not caption:
        for div in art.iter("div"):
            if has_class(div, "arial") and has_class(div, "grey2"):
                caption = text_of(div)
                break
    return url, caption or None


def tag_texts(elements: list[Any]) -> list[str]:
    return dedupe([clean(text_of(a).lstrip("#")) for a in elements])


# --------------------------------------------------------------------------------------------------------------
# Pagination


@dataclass(slots=True)
class Pagination:
    page: int = 1
    page_count: int = 1
    page_urls: list[str] = field(default_factory=list)
    is_all_pages: bool = False


_PAGE_PARAM = re.compile(r"[?&]page=([^&#]*)", re.I)
_URL_PATH = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?(?://[^/?#]*)?([^?#]*)", re.I)


def _page_param(url: str) -> str | None:
    m = _PAGE_PARAM.search(url)
    return m.group(1).strip().lower() if m else None


def _article_key(url: str) -> str:
    """The path that identifies an article across its m./amp/?page=N variants (host aliases are not compared:
    a pagination link of the same path on another host of the network is still this article)."""
    m = _URL_PATH.match(url)
    path = m.group(1) if m else url
    if path.startswith("/amp/"):
        path = path[4:]
    return path.rstrip("/").lower()


def _is_active(a: Any) -> bool:
    cls = a.get("class")
    return bool(cls) and ("active" in cls.split() or "current" in cls.split())


def page_links(scope: Any) -> list[Any]:
    """_X_PAGE_LINKS in Python: links to ``page=`` and every link inside a ``div.paging``, in document order."""
    in_pager: set[Any] = set()
    for div in scope.iterdescendants("div"):
        if "paging" in (div.get("class") or ""):
            in_pager.update(a for a in div.iterdescendants("a") if a.get("href") is not None)
    if in_pager:
        return [a for a in scope.iterdescendants("a") if "page=" in (a.get("href") or "") or a in in_pager]
    return [a for a in scope.iterdescendants("a") if "page=" in (a.get("href") or "")]


def total_page_spans(scope: Any) -> list[Any]:
    """``descendant::span[contains(@class, 'total-page')]`` of ``scope``."""
    return [span for span in scope.iterdescendants("span") if "total-page" in (span.get("class") or "")]


def pagination(page: Page, url: str, scope: Any = None) -> Pagination:
    """Pagination as the page shows it: ``div.paging`` links, ``#pagecurrent``, ``span.total-page``
    "Halaman 1/2", "Halaman selanjutnya" and head ``rel=next/prev`` links to pages of this same article."""
    if scope is None:
        body = page.body
        parent = body.getparent() if body is not None else None
        scope = parent if parent is not None else page.region
    me = _article_key(url)
    requested = _page_param(url)
    current: int | None = None
    total = 0
    links: dict[int, str] = {}

    anchors = page_links(scope)
    totals = total_page_spans(scope)
    shows_all = False  # the pager marks the whole-article link ("Semua") as the current one
    hrefs = [(a.get("href"), a) for a in anchors]
    hrefs += [(page.links.get(rel), None) for rel in ("next", "prev") if page.links.get(rel)]
    for href, a in hrefs:
        absu = absolute(url, href)
        if not absu or _article_key(absu) != me:
            continue
        marked = a is not None and (a.get("id") == "pagecurrent" or _is_active(a))
        param = _page_param(absu)
        if param is None:
            number = 1
        elif param.isdigit():
            number = int(param)
        else:
            shows_all = shows_all or (marked and param == "all")
            continue  # ?page=all and friends are not page numbers
        if marked:
            current = number
        links.setdefault(number, absu)

    cur_el = page.by_id("pagecurrent")
    if cur_el is not None and text_of(cur_el).isdigit():
        current = int(text_of(cur_el))
    for span in totals:
        m = _PAGE_OF.search(text_of(span))
        if m:
            if current is None:
                current = int(m.group(1))
            total = max(total, int(m.group(2)))
    numbered_view = current is not None  # the page itself says it is page N of a split article
    if current is None:
        current = int(requested) if requested and requested.isdigit() and int(requested) > 0 else 1
    count = max([total, current, *links]) if links else max(total, current)
    urls = [links[n] for n in sorted(links) if n != current]
    # A ?page=all response is whole when it shows no pages beyond 1, or its pager marks "all" as current;
    # a server that ignored the parameter serves page 1 and marks page 1 (or "Halaman 1/N") instead.
    all_pages = requested == "all" and not numbered_view and (count <= 1 or shows_all)
    return Pagination(page=current, page_count=max(count, 1), page_urls=urls, is_all_pages=all_pages)


# --------------------------------------------------------------------------------------------------------------
# Assembly


@dataclass(slots=True)
class Visible:
    """What a layout found in the visible markup; :func:`assemble` uses it where structured data is silent."""

    title: str | None = None
    lede: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    published: list[tuple[str, str]] = field(default_factory=list)
    modified: list[tuple[str, str]] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)   # credit/source texts in page order, unclassified
    sources: list[str] = field(default_factory=list)   # "via x" lines
    breadcrumb: list[str] = field(default_factory=list)
    topic: str | None = None
    tags: list[str] = field(default_factory=list)
    image_url: str | None = None
    image_caption: str | None = None
    image_credit: str | None = None
    pages: Pagination | None = None


def _first(*values: str | None) -> str | None:
    for value in values:
        if value:
            return value
    return None


def assemble(page: Page, url: str, layout: str, vis: Visible) -> RawArticle:
    """Combine structured data and the layout's visible evidence into a :class:`RawArticle`.

    Raises :class:`NotAnArticle` when neither source yields a title, or the page has no body text.
    """
    ld = page.article_ld
    dl = page.datalayer

    paragraphs = vis.paragraphs or brand_safety_paragraphs(page.brand_safety())
    title = _first(_jsonld_str(ld.get("headline")), page.meta("og:title"), vis.title)
    if not title:
        raise NotAnArticle(f"{layout}: no title found")
    if not paragraphs:
        raise NotAnArticle(f"{layout}: no body paragraphs found")

    main = ld.get("mainEntityOfPage")
    main_id = main.get("@id") if isinstance(main, dict) else main
    canonical = (
        absolute(url, page.links.get("canonical"))
        or absolute(url, page.meta("og:url"))
        or absolute(url, main_id if isinstance(main_id, str) else None)
    )

    authors = jsonld_names(ld.get("author"))
    if clean(dl.get("penulis")):
        authors.append(clean(dl.get("penulis")))
    editors = jsonld_names(ld.get("editor"))
    if clean(dl.get("editor")):
        editors.append(clean(dl["editor"]))

    credit_lines: list[str] = []
    source_lines: list[str] = []
    for text in vis.credits:
        text = text.strip(" |/-")  # an empty "Penulis:" part leaves a dangling separator ("| Editor: Y")
        if not text:
            continue
        (source_lines if text.lower().startswith(("sumber", "via ")) else credit_lines).append(text)
    source_lines.extend(vis.sources)

    published: list[tuple[str, str]] = []
    modified: list[tuple[str, str]] = []
    for target, ld_key, meta_keys, dl_key in (
        (published, "datePublished", ("article:published_time", "og:article:published_time", "datepublished"),
         "publish_date"),
        (modified, "dateModified", ("article:modified_time", "og:updated_time", "datemodified"), "modified_date"),
    ):
        if _jsonld_str(ld.get(ld_key)):
            target.append(("jsonld", _jsonld_str(ld.get(ld_key))))
        meta_value = page.meta(*meta_keys)
        if meta_value:
            target.append(("meta", meta_value))
        if clean(dl.get(dl_key)):
            target.append(("datalayer", clean(dl.get(dl_key))))
    published.extend(vis.published)
    modified.extend(vis.modified)

    section_ld = ld.get("articleSection")
    if isinstance(section_ld, list):
        section_ld = next((s for s in section_ld if isinstance(s, str) and s.strip()), None)
    # The first crumb is the site home and a last crumb equal to the title is the article itself.
    # "News"/"Berita" is a bucket every rubric has (Tribunnews.com » Metropolitan » News), not a rubric.
    not_sections = {"home", "beranda", "halaman depan", "news", "berita", title.casefold(),
                    (vis.title or "").casefold()}

    def rubrics(names: list[str]) -> list[str]:
        kept = [c for c in names if c.casefold() not in not_sections]
        return [c for c in kept if not c.casefold().endswith((".com", ".co.id", ".id"))]

    # The breadcrumb (structured, else the visible one) names the most specific rubric (Home › Nasional ›
    # Politik with articleSection "Nasional"; Home › News › Nasional with dataLayer section "news"). When
    # articleSection is none of its crumbs it is a different, often finer, classification than a shallow
    # breadcrumb (Home › Internasional), and it stays. The dataLayer section is only the top-level channel.
    crumbs = rubrics(page.breadcrumb_ld) or rubrics(vis.breadcrumb)
    article_section = _jsonld_str(section_ld)
    refines = bool(crumbs) and (not article_section
                                or article_section.casefold() in {c.casefold() for c in crumbs})
    section = _first(crumbs[-1] if refines else None, article_section, clean(dl.get("section")), vis.topic)

    tags = vis.tags or dedupe(jsonld_keywords(ld.get("keywords")))
    if not tags:
        tags = dedupe([clean(t) for t in page.meta("keywords", "news_keywords").split(",") if clean(t)])

    image = (
        absolute(url, page.meta("og:image", "og:image:url", "og:image:secure_url"))
        or absolute(url, jsonld_image(ld.get("image")))
        or absolute(url, vis.image_url)
        or absolute(url, page.meta("twitter:image", "twitter:image:src"))
        or absolute(url, page.links.get("image_src"))
    )

    pages = vis.pages or Pagination()
    return RawArticle(
        url=url,
        layout=layout,
        canonical_url=canonical,
        title=title,
        lede=_first(_jsonld_str(ld.get("description")), page.meta("og:description", "description"), vis.lede),
        paragraphs=paragraphs,
        structured_authors=dedupe(authors),
        structured_editors=dedupe(editors),
        credit_lines=credit_lines,
        source_lines=dedupe(source_lines),
        structured_source=clean(dl.get("source")) or None,
        published=published,
        modified=modified,
        section=section,
        tags=tags,
        image_url=image,
        image_caption=vis.image_caption or None,
        image_credit=vis.image_credit or None,
        page=pages.page,
        page_count=pages.page_count,
        page_urls=pages.page_urls,
        is_all_pages=pages.is_all_pages,
        accessible_for_free=jsonld_free(ld.get("isAccessibleForFree")),
        summary=summary_points(page),
    )


# --------------------------------------------------------------------------------------------------------------
# Small finders used by more than one layout

_X_TAGCLOUD = etree.XPath(
    "descendant::h5[contains(@class, 'tagcloud3') or contains(@class, 'tagcload3')]/descendant::a"
)
_X_TOPIC_PILL = etree.XPath("descendant::h2[contains(@class, 'red')]/a")
_X_HIDDEN_LEDE = etree.XPath("descendant::h4[contains(@class, 'hide')]")


def _nested(elements: list[Any]) -> bool:
    """Whether one of ``elements`` (in document order) lies inside another."""
    if len(elements) < 2:
        return False
    members = set(elements)
    return any(anc in members for el in elements[1:] for anc in el.iterancestors())


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


def paragraphs_of(page: Page) -> list[str]:
    return body_paragraphs(page.body) if page.body is not None else []
