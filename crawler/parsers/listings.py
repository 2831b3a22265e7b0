"""Discovery documents: robots.txt sitemap lines, sitemaps (index and urlset, Google News extension), RSS/Atom
feeds and ``/index-news`` listing pages. Pure functions; no Scrapy.

No real Tribun sitemap, feed or index-news page has been seen (``../shared/reference/tribun-markup.md`` §3, §6),
so every reader matches elements by local name (any namespace prefix) and returns an empty result rather than
raising on garbage. XML is parsed with entity resolution, network access and huge-tree support off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.urls import is_article_url

__all__ = [
    "FeedEntry", "IndexPage", "ListingEntry", "SitemapEntry", "SitemapResult", "parse_index_news", "parse_rss",
    "parse_sitemap", "sitemap_lines",
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


def parse_sitemap(xml: bytes | str) -> SitemapResult:
    """A sitemap index (``.sitemaps``) or urlset (``.entries``, with the Google News fields when present).

    Garbage, HTML error pages and empty bodies give an empty result of kind ``"unknown"``.
    """
    root = _xml_root(xml)
    if root is None:
        return SitemapResult()
    kind = _local(root)
    if kind == "sitemapindex":
        locs = [_child_text(sm, "loc") for sm in root if _local(sm) == "sitemap"]
        return SitemapResult(kind="index", sitemaps=list(dict.fromkeys(loc for loc in locs if loc)))
    if kind != "urlset":
        return SitemapResult()
    entries: list[SitemapEntry] = []
    seen: set[str] = set()
    for url_el in root:
        if _local(url_el) != "url":
            continue
        loc = _child_text(url_el, "loc")
        if not loc or loc in seen:
            continue
        seen.add(loc)
        entry = SitemapEntry(url=loc, lastmod=_child_text(url_el, "lastmod"))
        for child in url_el:
            if _local(child) == "news":
                entry.publication_date = _child_text(child, "publication_date")
                entry.title = _child_text(child, "title")
                break
        entries.append(entry)
    return SitemapResult(kind="urlset", entries=entries)


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

_X_LSI_ITEMS = etree.XPath("/descendant::ul[contains(concat(' ', normalize-space(@class), ' '), ' lsi ')]/li")
_X_OLD_ITEMS = etree.XPath(
    "/descendant::li[contains(concat(' ', normalize-space(@class), ' '), ' ptb15 ')]"
    "/div[contains(@class, 'f16') and contains(@class, 'fbo')]/a[@href]"
)
_X_H3_LINKS = etree.XPath("/descendant::h3/a[@href]")
_X_ANCHORS = etree.XPath("/descendant::a[@href]")


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
