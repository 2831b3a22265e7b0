"""Accuracy of the ``generic`` fallback layout: every known-layout page read twice, once as the crawler reads
it (its own layout) and once with every layout but ``generic`` switched off; per field, the share of pages
where the generic reading gives the same output value.

Pages: the article pages of the bundled mirror and the real pages (as :mod:`bench.extraction` loads them, each
distinct file once). The reference is the known layout's output, whose fields the page fixtures assert; a
field the known layout leaves empty and generic leaves empty counts as agreeing. ``body`` is also given as the
mean word-level similarity (difflib ratio over words), because one extra or missing paragraph fails equality.

``python -m bench.generic_layout``; ``make bench`` runs it as the part ``generic``.
"""

from __future__ import annotations

import argparse
import difflib
from typing import Any

from bench import fmt, table
from bench.extraction import CRAWLED_AT, HTTP_DATE, Page, load_pages

FIELDS = ("title", "lede", "body", "authors", "editors", "source", "published_at", "modified_at", "section",
          "tags", "image_url", "image_caption", "dateline", "pages")


def _article(page: Page, layouts: Any) -> Any:
    from crawler import urls
    from crawler.items import FetchedArticle
    from crawler.normalise.article import normalise_article
    from crawler.parsers import parse_article

    raw = parse_article(page.data, page.url, layouts=layouts)
    fetched = FetchedArticle(url=urls.canonical_url(page.url), raw=raw, fetched_at=CRAWLED_AT, http_date=HTTP_DATE,
                             pages=max(raw.page_count, 1) if raw.is_all_pages else 1)
    return raw.layout, normalise_article(fetched)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def measure() -> tuple[dict[str, dict[str, int]], dict[str, float], dict[str, int], list[str]]:
    """(agreeing pages per layout and field, mean body similarity per layout, pages per layout, refused pages)."""
    from crawler.parsers import generic
    from crawler.parsers.base import NotAnArticle

    agree: dict[str, dict[str, int]] = {}
    similarity: dict[str, float] = {}
    counts: dict[str, int] = {}
    refused: list[str] = []
    for page in load_pages():
        try:
            layout, known = _article(page, None)
        except NotAnArticle:
            continue  # not an article for the crawler either (the mobile homepage)
        if layout == generic.NAME:
            continue
        counts[layout] = counts.get(layout, 0) + 1
        try:
            _, fallback = _article(page, (generic,))
        except NotAnArticle:
            refused.append(page.name)
            continue
        fields = agree.setdefault(layout, dict.fromkeys(FIELDS, 0))
        for name in FIELDS:
            fields[name] += getattr(known, name) == getattr(fallback, name)
        similarity[layout] = similarity.get(layout, 0.0) + _similarity(known.body, fallback.body)
    return agree, similarity, counts, refused


def run() -> tuple[str, dict[str, Any]]:
    agree, similarity, counts, refused = measure()
    layouts = sorted(counts)
    total = sum(counts.values())
    header = ["field", *(f"{name} ({counts[name]})" for name in layouts), f"all ({total})"]
    rows = []
    figures: dict[str, Any] = {"pages": counts, "refused": refused, "fields": {}}
    for name in FIELDS:
        per = [agree.get(layout, {}).get(name, 0) / counts[layout] for layout in layouts]
        share = sum(agree.get(layout, {}).get(name, 0) for layout in layouts) / total if total else float("nan")
        figures["fields"][name] = share
        rows.append([name, *(fmt(p * 100, 0, " %") for p in per), fmt(share * 100, 0, " %")])
    sims = [similarity.get(layout, 0.0) / counts[layout] for layout in layouts]
    all_sim = sum(similarity.values()) / total if total else float("nan")
    figures["body_similarity"] = all_sim
    rows.append(["body, word similarity", *(fmt(s * 100, 0, " %") for s in sims), fmt(all_sim * 100, 0, " %")])
    lines = [
        "## Generic layout accuracy",
        "",
        "Every known-layout page of the mirror and the real pages read with only the `generic` layout on; the "
        "share of pages whose output field equals the known layout's (columns: the layout that reads the page "
        "normally, with its page count).",
        "",
        table(header, rows),
    ]
    if refused:
        lines += ["", f"Refused by generic (not an article to it): {', '.join(refused)}."]
    return "\n".join(lines), figures


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    print(run()[0])


if __name__ == "__main__":
    main()
