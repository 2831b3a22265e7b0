"""Which of two copies of one story is the original: the rule the dedup pipeline applies, within a run and
across runs.

Tribun portals republish each other: a regional story appears later on www.tribunnews.com (or another
portal) with its own title and lede and a credit such as ``Artikel ini telah tayang di Tribun-Medan.com``.
The normaliser reads that credit into ``source`` / ``source_url`` (``crawler.normalise.source``); here it
becomes the portal the article *credits as its origin*. Of two duplicates,

1. one whose ``source_url`` is the other's URL is the copy;
2. else one crediting the other's portal as its origin is the copy (when only one of them does);
3. else one crediting any other portal of the network is the copy (when only one of them does);
4. else the one published later is the copy (both credited, or neither);
5. else, published at the same second, the greater URL is the copy: an arbitrary but fixed choice, so the
   outcome never depends on which page arrived first;
6. a publication time is unknown only for rows an older crawler version stored: then the article met first
   (the stored one) stays the original.

A credit naming an outlet outside the network (Kompas.com, Antara) says nothing about which *network*
copy is the original, so it counts as no credit.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.items import Article
from crawler.normalise.source import OUTLETS, fold_outlet, known_outlet
from crawler.portals import PORTALS, portal_for_host
from crawler.state import to_epoch

# Brand as the source registry spells it (overrides included) → portal key. Every portal's host is in the
# registry, so its brand is found through the host.
_PORTAL_BY_BRAND: dict[str, str] = {OUTLETS[fold_outlet(p.host)]: p.key for p in PORTALS}


@dataclass(frozen=True, slots=True)
class Provenance:
    """What the rule needs to know of one article (kept in the state for the articles of the window)."""

    url: str
    published_at: int | None = None  # Unix seconds
    origin: str | None = None  # key of the other network portal its credit names, or None
    origin_url: str | None = None  # the credited URL when it is on another network portal

    @property
    def portal(self) -> str | None:
        found = portal_for_host(urlsplit(self.url).hostname)
        return found.key if found is not None else None

    @property
    def credited(self) -> bool:
        return self.origin is not None


def _portal_of_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        found = portal_for_host(urlsplit(url).hostname)
    except ValueError:
        return None
    return found.key if found is not None else None


def credited_origin(portal: str | None, source: str | None, source_url: str | None) -> tuple[str | None, str | None]:
    """(origin portal key, origin URL) of an article of ``portal`` crediting ``source`` / ``source_url``; both
    None when the credit names no *other* portal of the network."""
    by_url = _portal_of_url(source_url)
    if by_url is not None and by_url != portal:
        return by_url, source_url
    brand = known_outlet(source) if source else None
    by_name = _PORTAL_BY_BRAND.get(brand) if brand else None
    if by_name is not None and by_name != portal:
        return by_name, None
    return None, None


def provenance(article: Article) -> Provenance:
    origin, origin_url = credited_origin(article.portal or _portal_of_url(article.url), article.source,
                                         article.source_url)
    return Provenance(article.url, to_epoch(article.published_at), origin, origin_url)


def original_of(a: Provenance, b: Provenance) -> Provenance:
    """The original of two duplicates, ``a`` met after ``b`` (see the module docstring); the other is the
    copy."""
    if a.origin_url == b.url and b.origin_url != a.url:
        return b
    if b.origin_url == a.url and a.origin_url != b.url:
        return a
    a_names_b, b_names_a = a.origin is not None and a.origin == b.portal, b.origin is not None and b.origin == a.portal
    if a_names_b != b_names_a:
        return b if a_names_b else a
    if a.credited != b.credited:
        return b if a.credited else a
    if a.published_at is None or b.published_at is None:
        return b
    if a.published_at != b.published_at:
        return a if a.published_at < b.published_at else b
    return a if a.url <= b.url else b
