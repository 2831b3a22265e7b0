"""URL rules of the Tribun network, in one place: canonical form, what is an article, page URLs.

Every component that compares or stores URLs (requests, items, the state store, dedup) calls
:func:`canonical_url`, so an article reached as ``m.``, ``/amp/``, ``?page=2`` or with tracking
parameters is one article everywhere.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote_to_bytes, urlencode, urlsplit, urlunsplit

from crawler.portals import Portal, portal_for_host

# Query parameters that never change the document: analytics and share tracking, AMP and redirect markers.
# (Article URLs drop their whole query; this list matters for the other pages of the network.)
_DROP_PARAMS = re.compile(
    r"^(utm_\w+|_ga|_gl|_gac|fbclid|gclid|gclsrc|dclid|wbraid|gbraid|msclkid|yclid|twclid|ttclid|li_fat_id|"
    r"mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|ref|ref_src|src|amp|url|_branch_match_id|igshid|wt_mc|cx|s_cid)$",
    re.I,
)
# Characters a path segment keeps literally (RFC 3986 unreserved and sub-delims, ':' and '@').
_PATH_SAFE = "!$&'()*+,;=:@-._~"

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


# A path of only the characters a segment keeps literally: already in its one spelling when it has no ``//``.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/" + re.escape(_PATH_SAFE) + "]*")


def _normalise_path(path: str) -> str:
    """One spelling per path: ``//`` collapsed, percent-escapes only where needed and upper-case
    (``%c3%a9``, ``%C3%A9`` and a raw ``é`` are the same path). Works per segment on bytes, so an
    escaped ``/`` (``%2F``) stays escaped and invalid UTF-8 survives unchanged."""
    if "//" not in path and _PLAIN_PATH.fullmatch(path):
        return path  # nearly every Tribun path: the per-segment quoting below would return it unchanged
    path = re.sub(r"/{2,}", "/", path)
    return "/".join(quote(unquote_to_bytes(segment), safe=_PATH_SAFE) for segment in path.split("/"))


@lru_cache(maxsize=65_536)  # called ~5 times per article (requests, middleware, items, state)
def canonical_url(url: str) -> str:
    """The one form of a URL used for identity: https, desktop host (mobile and legacy domains mapped
    to the portal's current host), no ``/amp/``, no fragment, no trailing slash, normalised
    percent-escapes. Article URLs lose their whole query (``?page=2``, ``?page=all``, tracking): an
    article is identified by its path. Other network pages keep the parameters that select content
    (``?date=…&page=2`` of a listing), sorted, without tracking parameters.

    Non-network URLs are returned with only the fragment dropped and the scheme/host lower-cased,
    so calling this on anything is safe.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    portal = portal_for_host(host)
    path = parts.path or "/"
    if portal is None:
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))
    path = _normalise_path(_strip_amp(path))
    if len(path) > 1:
        path = path.rstrip("/")
    if _is_article_path(path):
        query = ""
    else:
        query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                                 if not _DROP_PARAMS.match(k)))
    return urlunsplit(("https", portal.host, path, query, ""))


def portal_of(url: str) -> Portal | None:
    """The portal a URL belongs to, or None when it is outside the network."""
    return portal_for_host(url_host(url))


def url_host(url: str) -> str | None:
    """``urlsplit(url).hostname``. A URL as the crawl writes them (``https://`` and a host of lower-case letters,
    digits, dots and hyphens up to the first ``/``) is read with two string methods: a host of those characters
    has no user, port, brackets, escapes or anything urlsplit would remove, lower or refuse."""
    if url.startswith("https://"):
        host = url[8:].partition("/")[0]
    elif url.startswith("http://"):
        host = url[7:].partition("/")[0]
    else:
        return urlsplit(url).hostname
    letters = host.replace(".", "").replace("-", "")
    if letters.isascii() and letters.isalnum() and letters.islower():
        return host
    return urlsplit(url).hostname


def in_network(url: str) -> bool:
    return portal_of(url) is not None


def _is_article_path(path: str) -> bool:
    path = _strip_amp(path)
    first = path.strip("/").split("/", 1)[0].lower()
    if first in _NON_ARTICLE_ROOTS:
        return False
    return bool(_DATED.match(path) or _NUMERIC.match(path))


def is_article_url(url: str) -> bool:
    """True for a Tribun article page (dated or numeric-id form, any host variant, AMP too);
    False for tag, topic, author, video, search, section, listing pages and anything off-network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or portal_for_host(parts.hostname) is None:
        return False
    return _is_article_path(parts.path)


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
