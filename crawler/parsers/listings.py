"""Discovery documents: robots.txt sitemap lines, sitemaps (index and urlset, Google News extension), RSS/Atom
feeds and ``/index-news`` listing pages. Pure functions; no Scrapy.

Sitemaps are read as a stream (:class:`SitemapStream`): a sitemap may list hundreds of thousands of URLs, and a
whole lxml tree of one costs about a kilobyte per URL. The stream unpacks gzip itself (``.xml.gz`` files are
usually served without ``Content-Encoding``), stops at a URL cap and an unpacked-size cap, and never holds more
than the element being read.

No real Tribun sitemap, feed or index-news page has been seen (``../shared/reference/tribun-markup.md`` §3, §6),
so every reader matches elements by local name (any namespace prefix) and returns an empty result rather than
raising on garbage. XML is parsed with entity resolution, network access and huge-tree support off.
"""

from __future__ import annotations

import contextlib
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.urls import is_article_url

__all__ = [
    "FeedEntry", "IndexPage", "ListingEntry", "SitemapEntry", "SitemapResult", "SitemapStream", "SitemapTooLarge",
    "parse_index_news", "parse_rss", "parse_sitemap", "sitemap_lines",
]


@dataclass(slots=True)
class SitemapEntry:
    url: str
    lastmod: str | None = None
    publication_date: str | None = None   # news:news/news:publication_date
    title: str | None = None              # news:news/news:title


@dataclass(slots=True)
class SitemapResult:
    kind: str = "unknown"                 # "index" | "urlset" | "unknown" (empty or unreadable document)
    sitemaps: list[str] = field(default_factory=list)
    entries: list[SitemapEntry] = field(default_factory=list)


@dataclass(slots=True)
class FeedEntry:
    url: str
    published: str | None = None
    title: str | None = None


@dataclass(slots=True)
class ListingEntry:
    url: str
    time_text: str | None = None


@dataclass(slots=True)
class IndexPage:
    entries: list[ListingEntry] = field(default_factory=list)
    next_url: str | None = None


_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.I | re.M)
_WS = re.compile(r"\s+")
_PAGE_PARAM = re.compile(r"[?&]page=(\d+)(?:[&#]|$)", re.I)
# A bare "»" often means "last page" on these pagers, so it is not taken as "next".
_NEXT_TEXTS = frozenset({"next", "›", "selanjutnya", "next ›", "next »", "berikutnya", ">", "selanjutnya ›"})


def _clean(text: str | None) -> str:
    return _WS.sub(" ", text).strip() if text else ""


def sitemap_lines(robots_txt: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt, in order, without duplicates."""
    if not robots_txt:
        return []
    return list(dict.fromkeys(m.group(1) for m in _SITEMAP_LINE.finditer(robots_txt)))


def _xml_root(xml: bytes | str) -> etree._Element | None:
    if isinstance(xml, str):
        xml = xml.encode("utf-8")  # a str may carry an encoding declaration lxml refuses on str input
    if not xml:
        return None
    xml = xml.lstrip()
    if xml.startswith(b"\xef\xbb\xbf"):
        xml = xml[3:].lstrip()
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False,
        recover=True, remove_comments=True, remove_pis=True,
    )
    try:
        root = etree.fromstring(xml, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root if root is not None and isinstance(root.tag, str) else None


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _child_text(el: etree._Element, name: str) -> str | None:
    for child in el:
        if _local(child) == name:
            return _clean("".join(child.itertext())) or None
    return None


def sitemap_kind(url: str) -> str:
    """``news``, ``web``, ``images`` or ``other``, from a sitemap's file name (``{section}/sitemap-news.xml``,
    ``sitemap_web.xml`` on some portals, ``sitemap-images.xml``; compressed or not)."""
    name = urlsplit(url).path.rsplit("/", 1)[-1].lower()
    for kind, words in (("images", ("image",)), ("news", ("news",)), ("web", ("web",))):
        if any(word in name for word in words):
            return kind
    return "other"


class SitemapTooLarge(ValueError):
    """The sitemap unpacks to more than the size allowed (a gzip bomb, or a document past DOWNLOAD_MAXSIZE)."""


# Bytes handed to the XML parser at a time (and the most gzip may unpack in one step).
_CHUNK = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


def _unpacked(body: bytes, max_size: int) -> Iterator[bytes]:
    """``body`` in chunks, gunzipped when it starts with the gzip magic number (several members allowed).

    Raises :class:`SitemapTooLarge` once more than ``max_size`` bytes (0: no limit) came out, having yielded
    the chunks before that point: what was read is kept.
    """
    if not body.startswith(_GZIP_MAGIC):
        if max_size and len(body) > max_size:
            yield body[:max_size]
            raise SitemapTooLarge(f"more than {max_size} bytes")
        for start in range(0, len(body), _CHUNK):
            yield body[start:start + _CHUNK]
        return
    total = 0
    data = body
    while data:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            out = inflater.decompress(data, _CHUNK)
            while True:
                total += len(out)
                if max_size and total > max_size:
                    yield out[: len(out) - (total - max_size)]
                    raise SitemapTooLarge(f"more than {max_size} bytes once unpacked")
                if out:
                    yield out
                if inflater.eof or not inflater.unconsumed_tail:
                    break
                out = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        except zlib.error:
            return  # a damaged or truncated stream: what came out before it is kept
        data = inflater.unused_data if inflater.eof else b""
        if data and not data.startswith(_GZIP_MAGIC):
            return  # trailing garbage after the last member


class SitemapStream:
    """The entries of a sitemap, read as they are parsed.

    Iterating yields a :class:`SitemapEntry` per ``<url>`` of a urlset, or the ``<loc>`` (a ``str``) of each
    ``<sitemap>`` of an index, each distinct location once, at most ``max_urls`` of them (0: no cap). After
    the iteration, :attr:`kind` is ``"index"``, ``"urlset"`` or ``"unknown"`` (garbage, an HTML error page,
    an empty body), :attr:`capped` says whether more locations followed the cap, and :attr:`gzipped` whether
    the body was gzip. Iterating raises :class:`SitemapTooLarge` when the body unpacks past ``max_size``
    bytes (0: no limit), after yielding what came before. Garbage never raises.
    """

    def __init__(self, xml: bytes | str, max_urls: int = 0, max_size: int = 0):
        if isinstance(xml, str):
            xml = xml.encode("utf-8")  # a str may carry an encoding declaration lxml refuses on str input
        self._body = xml
        self.max_urls = max_urls
        self.max_size = max_size
        self.kind = "unknown"
        self.capped = False
        self.gzipped = xml.startswith(_GZIP_MAGIC)
        self.count = 0

    def __iter__(self) -> Iterator[SitemapEntry | str]:
        parser = etree.XMLPullParser(
            events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
            dtd_validation=False, recover=True, remove_comments=True, remove_pis=True,
        )
        seen: set[str] = set()
        depth = 0
        for event, el in self._events(parser):
            if event == "start":
                depth += 1
                if depth == 1:
                    root = _local(el)
                    if root not in ("urlset", "sitemapindex"):
                        return
                    self.kind = "urlset" if root == "urlset" else "index"
                continue
            depth -= 1
            if depth != 1:
                continue
            found = self._read(el, seen)
            # Done with this element: drop it and any earlier siblings, so the tree stays one element big.
            el.clear()
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
            if found is None:
                continue
            if self.max_urls and self.count >= self.max_urls:
                self.capped = True
                return
            self.count += 1
            yield found

    def _events(self, parser: etree.XMLPullParser) -> Iterator[tuple[str, etree._Element]]:
        first = True
        for chunk in _unpacked(self._body, self.max_size):
            if first:
                # lxml refuses a BOM or blank lines before the XML declaration, which some servers send.
                chunk = chunk.lstrip()
                if chunk.startswith(b"\xef\xbb\xbf"):
                    chunk = chunk[3:].lstrip()
                if not chunk:
                    continue
                first = False
            try:
                parser.feed(chunk)
            except etree.XMLSyntaxError:
                return
            yield from parser.read_events()
        if first:
            return  # nothing to parse: lxml's close() would complain of an empty document
        # A truncated document: recovery closes the open elements, so the last complete entries count.
        with contextlib.suppress(etree.XMLSyntaxError):
            parser.close()
        yield from parser.read_events()

    def _read(self, el: etree._Element, seen: set[str]) -> SitemapEntry | str | None:
        name = _local(el)
        if (self.kind, name) not in (("urlset", "url"), ("index", "sitemap")):
            return None
        loc = _child_text(el, "loc")
        if not loc or loc in seen:
            return None
        seen.add(loc)
        if self.kind == "index":
            return loc
        entry = SitemapEntry(url=loc, lastmod=_child_text(el, "lastmod"))
        for child in el:
            if _local(child) == "news":
                entry.publication_date = _child_text(child, "publication_date")
                entry.title = _child_text(child, "title")
                break
        return entry


def parse_sitemap(xml: bytes | str, max_urls: int = 0) -> SitemapResult:
    """A sitemap index (``.sitemaps``) or urlset (``.entries``, with the Google News fields when present), gzip
    or not, all at once (:class:`SitemapStream` reads one without holding it whole).

    Garbage, HTML error pages and empty bodies give an empty result of kind ``"unknown"``.
    """
    stream = SitemapStream(xml, max_urls=max_urls)
    found = list(stream)
    if stream.kind == "index":
        return SitemapResult(kind="index", sitemaps=[f for f in found if isinstance(f, str)])
    if stream.kind == "urlset":
        return SitemapResult(kind="urlset", entries=[f for f in found if isinstance(f, SitemapEntry)])
    return SitemapResult()


def parse_rss(xml: bytes | str) -> list[FeedEntry]:
    """Items of an RSS 2.0 feed (``link``, else a URL-like ``guid``; ``pubDate``/``dc:date``) or Atom entries
    (``link[@rel=alternate]/@href``; ``published``/``updated``). Garbage gives ``[]``."""
    root = _xml_root(xml)
    if root is None:
        return []
    out: list[FeedEntry] = []
    seen: set[str] = set()
    for el in root.iter():
        name = _local(el)
        if name == "item":
            url = _child_text(el, "link")
            if not url or not url.startswith(("http://", "https://")):
                guid = _child_text(el, "guid")
                url = guid if guid and guid.startswith(("http://", "https://")) else url
            published = _child_text(el, "pubdate") or _child_text(el, "date") or _child_text(el, "published")
        elif name == "entry":
            url = _atom_link(el)
            published = _child_text(el, "published") or _child_text(el, "updated")
        else:
            continue
        if url and url not in seen:
            seen.add(url)
            out.append(FeedEntry(url=url, published=published, title=_child_text(el, "title")))
    return out


def _atom_link(entry: etree._Element) -> str | None:
    fallback = None
    for child in entry:
        if _local(child) != "link":
            continue
        href = (child.get("href") or "").strip() or _clean(child.text)
        rel = (child.get("rel") or "alternate").lower()
        if href and rel == "alternate":
            return href
        fallback = fallback or href
    return fallback


# ---------------------------------------------------------------------------------------------------------------
# /index-news listing pages (HTML)

# regexp=False: no EXSLT regular-expression set-up on every evaluation (none of these uses re:).
_X_LSI_ITEMS = etree.XPath("/descendant::ul[contains(concat(' ', normalize-space(@class), ' '), ' lsi ')]/li",
                           regexp=False)
_X_OLD_ITEMS = etree.XPath(
    "/descendant::li[contains(concat(' ', normalize-space(@class), ' '), ' ptb15 ')]"
    "/div[contains(@class, 'f16') and contains(@class, 'fbo')]/a[@href]", regexp=False)
_X_H3_LINKS = etree.XPath("/descendant::h3/a[@href]", regexp=False)
_X_ANCHORS = etree.XPath("/descendant::a[@href]", regexp=False)


def _html_root(html: str) -> etree._Element | None:
    if not isinstance(html, str) or not html.strip():
        return None
    try:
        root = etree.HTML(html)
    except ValueError:
        try:
            root = etree.HTML(html.encode("utf-8"))
        except (ValueError, etree.ParserError):
            return None
    return root if root is not None and isinstance(root.tag, str) else None


def _page_number(url: str) -> int | None:
    m = _PAGE_PARAM.search(url)
    return int(m.group(1)) if m else None


def _path(url: str) -> str:
    return urljoin(url, "?").split("?", 1)[0].split("#", 1)[0].rstrip("/")


def parse_index_news(html: str, url: str) -> IndexPage:
    """Article links of an ``/index-news`` page (``ul.lsi > li`` with ``h3 > a`` and ``time.grey``, or the older
    ``li.ptb15 div.f16.fbo a``) and the next listing page: a "Next"/"›"/"Selanjutnya" link, else the nearest
    ``?page=N`` link above the current page."""
    root = _html_root(html)
    if root is None:
        return IndexPage()
    entries: list[ListingEntry] = []
    seen: set[str] = set()

    def add(href: str | None, time_text: str | None) -> None:
        if not href or href.startswith(("javascript:", "#")):
            return
        absu = urljoin(url, href.strip())
        if absu not in seen:
            seen.add(absu)
            entries.append(ListingEntry(url=absu, time_text=time_text or None))

    for li in _X_LSI_ITEMS(root):
        h3 = li.find(".//h3")
        a = h3.find(".//a") if h3 is not None else None
        if a is None:
            continue
        add(a.get("href"), _item_time(li))
    for a in _X_OLD_ITEMS(root):
        li = a.getparent().getparent()
        add(a.get("href"), _item_time(li) if li is not None else None)
    if not entries:
        # Unknown listing markup: headline links that look like articles are still worth following.
        for a in _X_H3_LINKS(root):
            href = a.get("href")
            if href and is_article_url(urljoin(url, href.strip())):
                add(href, None)
    return IndexPage(entries=entries, next_url=_next_url(root, url))


def _item_time(li: etree._Element) -> str | None:
    fallback = None
    for t in li.iter("time"):
        text = _clean("".join(t.itertext()))
        if "grey" in (t.get("class") or "").split() and text:
            return text
        fallback = fallback or text
    if fallback:
        return fallback
    for el in li.iter("span", "div"):
        if "grey" in (el.get("class") or "").split() and len(el) == 0:
            text = _clean(el.text)
            if text:
                return text
    return None


def _next_url(root: etree._Element, url: str) -> str | None:
    current = _page_number(url) or 1
    here = _path(url)
    numbered: dict[int, str] = {}
    for a in _X_ANCHORS(root):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        text = _clean("".join(a.itertext())).lower()
        rel = (a.get("rel") or "").lower()
        absu = urljoin(url, href)
        if (text in _NEXT_TEXTS or rel == "next") and absu != url:
            return absu
        n = _page_number(absu)
        if n is not None and n > current and _path(absu) == here:
            numbered.setdefault(n, absu)
    # The nearest higher page, not the highest: jumping to the last link would skip the pages between.
    return numbered[min(numbered)] if numbered else None
