"""Benchmark of the Parquet feed exporter's memory: ``python -m bench.parquet [--items 100000]``.

Writes N articles (the bundled mirror's, repeated under distinct URLs) through
:class:`crawler.parquet.ParquetItemExporter` into a file, once per row-group size, each in a fresh process so
its peak RSS is what that export costs. With row groups the peak stays flat as N grows; one row group for
the whole run (``--row-group N``) shows what holding the run in memory would cost. A measurement, not a
test: nothing here asserts a time or a size.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path


def _articles() -> list:
    from crawler.items import FetchedArticle
    from crawler.normalise.article import normalise_article
    from crawler.parsers import NotAnArticle, parse_article

    root = Path(__file__).resolve().parent.parent / "mirror"
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "/20" not in path.as_posix():
            continue
        url = "https://" + path.relative_to(root).as_posix()
        try:
            raw = parse_article(path.read_bytes(), url, encoding="utf-8")
        except NotAnArticle:
            continue
        article = normalise_article(FetchedArticle(url=url.split("?")[0], raw=raw, fetched_at=datetime.now(UTC)))
        if article.published_at:
            found.append(article)
    return found


def _export(items: int, row_group: int, queue: multiprocessing.Queue) -> None:
    from crawler.parquet import ParquetItemExporter

    articles = _articles()
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "bench.parquet"
        started = time.perf_counter()
        with target.open("wb") as out:
            exporter = ParquetItemExporter(out, row_group_items=row_group)
            exporter.start_exporting()
            for i in range(items):
                article = articles[i % len(articles)]
                exporter.export_item(replace(article, url=f"{article.url}-{i}"))
            exporter.finish_exporting()
        elapsed = time.perf_counter() - started
        size = target.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((elapsed, size, base_rss, peak))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--row-group", type=int, action="append",
                        help="row-group sizes to compare (default: 1000 and the whole run)")
    args = parser.parse_args()
    sizes = args.row_group or [1_000, args.items]
    print("| items | row group | seconds | file MB | RSS before MB | peak RSS MB |\n|---|---|---|---|---|---|")
    context = multiprocessing.get_context("spawn")
    for row_group in sizes:
        queue = context.Queue()
        process = context.Process(target=_export, args=(args.items, row_group, queue))
        process.start()
        elapsed, size, base, peak = queue.get()
        process.join()
        print(f"| {args.items:,} | {row_group:,} | {elapsed:.1f} | {size / 1e6:.1f} | {base:.0f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
