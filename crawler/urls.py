"""URL rules of the Tribun network, in one place: canonical form, what is an article, page URLs.

Every component that compares or stores URLs (requests, items, the state store, dedup) calls
:func:`canonical_url`, so an article reached as ``m.``, ``/amp/``, ``?page=2`` or with tracking
parameters is one article everywhere.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.portals import Portal, portal_for_host

# Query parameters that never change the document: analytics and share tracking, and our own paging.
_DROP_PARAMS = re.compile(
    r"^(utm_\w+|_ga|_gl|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|ref|ref_src|src|"
    r"amp|page|url|_branch_match_id|igshid|wt_mc|cx|s_cid)$",
    re.I,
)

# /<section>[/<sub>]/<yyyy>/<mm>/<dd>/<slug> (www) or /<yyyy>/<mm>/<dd>/<slug> (regional portals).
_DATED = re.compile(r"^/(?:[a-z0-9-]+/){0,2}(?P<y>(?:19|20)\d\d)/(?P<m>\d\d)/(?P<d>\d\d)/(?P<slug>[^/]+)/?$", re.I)
# 2025+ numeric-id form: /<section>/<id>/<slug>.
_NUMERIC = re.compile(r"^/[a-z0-9-]+/(?P<id>\d{5,})/(?P<slug>[^/]+)/?$", re.I)
# First path segments that are never articles even when the rest looks dated.
_NON_ARTICLE_ROOTS = frozenset(
    {"tag", "topic", "penulis", "editor", "video", "videos", "search", "index-news", "rss", "foto",
     "photo", "galeri", "gallery", "tv", "podcast-video", "sitemap", "amp-video"}
)


def _strip_amp(path: str) -> str:
    if path == "/amp" or path.startswith("/amp/"):
        return path[4:] or "/"
    return path


def canonical_url(url: str) -> str:
    """The one form of a URL used for identity: https, desktop host, no ``/amp/``, no paging or
    tracking parameters, no fragment, no trailing slash on article paths.

    Non-network URLs are returned with only the fragment dropped and the scheme/host lower-cased,
    so calling this on anything is safe.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    portal = portal_for_host(host)
    path = parts.path or "/"
    if portal is None:
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))
    path = re.sub(r"/{2,}", "/", _strip_amp(path))
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _DROP_PARAMS.match(k)])
    return urlunsplit(("https", portal.host, path, query, ""))


def portal_of(url: str) -> Portal | None:
    """The portal a URL belongs to, or None when it is outside the network."""
    return portal_for_host(urlsplit(url).hostname)


def in_network(url: str) -> bool:
    return portal_of(url) is not None


def is_article_url(url: str) -> bool:
    """True for a Tribun article page (dated or numeric-id form, any host variant, AMP too);
    False for tag, topic, author, video, search, section, listing pages and anything off-network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or portal_for_host(parts.hostname) is None:
        return False
    path = _strip_amp(parts.path)
    first = path.strip("/").split("/", 1)[0].lower()
    if first in _NON_ARTICLE_ROOTS:
        return False
    return bool(_DATED.match(path) or _NUMERIC.match(path))


def date_from_url(url: str) -> date | None:
    """The ``/yyyy/mm/dd/`` date in an article URL, or None."""
    m = _DATED.match(_strip_amp(urlsplit(url).path))
    if not m:
        return None
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


def page_url(url: str, page: int | str) -> str:
    """The URL of page ``page`` (a number or ``"all"``) of the article at ``url``; page 1 is the bare URL."""
    base = canonical_url(url)
    if page in (1, "1"):
        return base
    sep = "&" if urlsplit(base).query else "?"
    return f"{base}{sep}page={page}"
