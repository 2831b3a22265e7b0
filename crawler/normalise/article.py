"""One fetched article's raw page evidence → the :class:`~crawler.items.Article` that is exported.

Pure (no Scrapy; the crawl runs it in a worker process, ``scrapy extract`` and tests call it directly).
Every rule lives in the other modules of ``crawler.normalise``; this only orders them. The order matters
because later steps read earlier results: text first (it moves credit and footer paragraphs out of the
body), then people and source (which read those moved lines), then dates, then the fingerprint of the
final body.
"""

from __future__ import annotations

from datetime import UTC

from crawler.items import Article, FetchedArticle
from crawler.normalise import dates, people, source, text
from crawler.portals import WIB
from crawler.urls import portal_of


def normalise_article(fetched: FetchedArticle) -> Article:
    """Pure: the Article for one fetched article (no Scrapy needed; `scrapy extract` and tests call it)."""
    raw = fetched.raw
    portal = portal_of(fetched.url)
    tz = portal.tz if portal else WIB

    # 1. Text: credits and footers out of the paragraphs, dateline off the first paragraph.
    body, dateline, credit_lines, source_lines = text.article_text(list(raw.paragraphs))

    # 2. People and 3. source, visible credits first.
    authors, editors = people.resolve_people([*raw.credit_lines, *credit_lines],
                                             raw.structured_authors, raw.structured_editors)
    origin, origin_url = source.parse_source([*raw.source_lines, *source_lines], raw.structured_source)

    # 4. Dates: relative times count from the server's clock when it sent one, else from ours.
    now = dates.parse_http_date(fetched.http_date) or fetched.fetched_at
    published_candidates = list(raw.published)
    if fetched.discovered.get("publication_date"):
        published_candidates.append(("sitemap", fetched.discovered["publication_date"]))
    published = dates.resolve_published(published_candidates, fetched.url, tz, now)
    modified = dates.resolve_modified(list(raw.modified), tz, now)

    brand = portal.brand if portal else None
    return Article(
        url=fetched.url,
        portal=portal.key if portal else "",
        site_name=brand or "",
        title=text.clean_title(raw.title, brand) or "",
        lede=text.normalise_text(raw.lede),
        summary=_unique_texts(raw.summary),
        body=body,
        # Only an explicit "not free" counts: a page that does not say is taken as whole.
        premium_teaser=raw.accessible_for_free is False,
        authors=authors,
        editors=editors,
        source=origin,
        source_url=origin_url,
        published_at=dates.to_iso(published) or "",
        modified_at=dates.to_iso(modified),
        section=text.normalise_text(raw.section),
        tags=_unique_texts(raw.tags),
        image_url=raw.image_url or None,
        image_caption=text.normalise_text(raw.image_caption),
        image_credit=text.normalise_text(raw.image_credit),
        dateline=dateline,
        pages=fetched.pages if fetched.pages is not None and fetched.pages >= 1 else None,
        crawled_at=fetched.fetched_at.astimezone(UTC).isoformat(timespec="seconds"),
        fingerprint=text.fingerprint(body),
        is_update=fetched.is_update,
        layout=raw.layout,
    )


def _unique_texts(values: list[str]) -> list[str]:
    """Each value normalised, empty ones dropped, first occurrences kept in order (a plain loop: two nested
    generators fed to dict.fromkeys cost more than the few tags they read)."""
    found: dict[str, None] = {}
    for value in values:
        normal = text.normalise_text(value)
        if normal:
            found[normal] = None  # assigning an existing key again does not move it
    return list(found)
