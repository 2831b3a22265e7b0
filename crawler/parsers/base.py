"""What every page parser returns: :class:`RawArticle`, the raw evidence of one article page.

Parsers are pure (HTML + URL in, RawArticle out) and know nothing of Scrapy or of normalisation.
They resolve simple fields by precedence (structured data first, visible markup as fallback) but keep
*all* evidence for people and dates, because deciding who wrote an article or when it was published
needs rules (the JSON-LD author can be the editor; a visible date may lack its zone) that live in
``crawler.normalise``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(slots=True)
class RawArticle:
    url: str                                   # the URL that was fetched (may be m./amp/?page=N)
    layout: str                                # name of the parser that produced this (module name)
    canonical_url: str | None = None           # <link rel=canonical> / og:url / JSON-LD mainEntityOfPage
    title: str | None = None                   # best title, raw (site suffix still on)
    lede: str | None = None                    # description / summary
    paragraphs: list[str] = field(default_factory=list)  # body paragraphs in order, noise removed, raw text
    # People: structured sources first, then the visible credit lines in page order.
    structured_authors: list[str] = field(default_factory=list)   # JSON-LD author names, dataLayer penulis
    structured_editors: list[str] = field(default_factory=list)   # dataLayer editor
    credit_lines: list[str] = field(default_factory=list)         # "Penulis: X | Editor: Y", "Editor: Y", ...
    # Source: visible credit texts ("Sumber: X", "via x", syndication footer) and structured source.
    source_lines: list[str] = field(default_factory=list)
    structured_source: str | None = None                           # dataLayer 'source'
    # Dates: (origin, raw value) in precedence order, e.g. ("jsonld", "2020-10-09T13:52:50+07:00"),
    # ("meta", ...), ("datalayer", "2020-10-09 13:52:50"), ("visible", "Jumat, 9 Oktober 2020 13:52").
    published: list[tuple[str, str]] = field(default_factory=list)
    modified: list[tuple[str, str]] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image_url: str | None = None
    image_caption: str | None = None
    image_credit: str | None = None            # photo credit shown on or under the lead image, raw
    # Pagination as the page shows it.
    page: int = 1                              # which page this is (1 for page 1 and for ?page=all)
    page_count: int = 1                        # how many pages the pagination announces (1: none shown)
    page_urls: list[str] = field(default_factory=list)  # absolute URLs of other pages linked (?page=N)
    is_all_pages: bool = False                 # True when this response is a whole-article (?page=all) view
    # Structured ``isAccessibleForFree``: False on a paywalled (premium) page, None when the page does not say.
    accessible_for_free: bool | None = None
    summary: list[str] = field(default_factory=list)  # "Ringkasan Berita" recap points, raw text, page order


class NotAnArticle(ValueError):
    """Raised by a parser when the page is not an article (listing, homepage, error page)."""


def is_whole(page: RawArticle) -> bool:
    """True when this one response holds the whole article: no pagination, or a whole-article view."""
    return page.page_count <= 1 or page.is_all_pages


def merge_pages(pages: list[RawArticle]) -> RawArticle:
    """Page 1's fields with every page's paragraphs appended once, in order.

    Later pages repeat the page furniture (credits, tags) but their paragraphs are new; a paragraph
    already seen (a repeated caption or promo) is not added twice.
    """
    first = pages[0]
    if len(pages) == 1:
        return first
    seen = set(first.paragraphs)
    paragraphs = list(first.paragraphs)
    for page in pages[1:]:
        for paragraph in page.paragraphs:
            if paragraph not in seen:
                seen.add(paragraph)
                paragraphs.append(paragraph)
    credit_lines = list(dict.fromkeys(line for p in pages for line in p.credit_lines))
    source_lines = list(dict.fromkeys(line for p in pages for line in p.source_lines))
    return replace(first, paragraphs=paragraphs, credit_lines=credit_lines, source_lines=source_lines,
                   page_count=len(pages))
