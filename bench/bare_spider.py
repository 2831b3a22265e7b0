"""The bare Scrapy spider of the crawl benchmark: downloads the given URLs and does nothing with them.

``python -m bench.bare_spider --urls FILE --origin http://127.0.0.1:PORT --stats OUT.json [-s NAME=VALUE …]``

Plain Scrapy (default settings plus the ``-s`` overrides; the project's settings, middlewares, pipelines,
extensions and feeds are *not* loaded): each ``https://host/path?query`` of FILE is fetched as
``http://ORIGIN/path?query`` with ``Host: host``, in the download slot of ``host`` (``download_slot`` meta), so
its per-host concurrency is the same as the project's spider, whose requests carry the real URLs. The
callback does nothing and yields nothing. At the end the crawl's final stats go to ``OUT.json``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls_file: str, origin: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.urls = [u.strip() for u in Path(urls_file).read_text(encoding="utf-8").splitlines() if u.strip()]
        parts = urlsplit(origin)
        self.origin = (parts.scheme, parts.netloc)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            parts = urlsplit(url)
            host = parts.hostname or ""
            yield scrapy.Request(urlunsplit((*self.origin, parts.path or "/", parts.query, "")),
                                 headers={"Host": host}, meta={"download_slot": host}, callback=self.parse)

    def parse(self, response: Response) -> None:
        return None


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", required=True)
    parser.add_argument("--origin", required=True)
    parser.add_argument("--stats", required=True, type=Path)
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.settings)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls_file=args.urls, origin=args.origin)
    process.start()
    stats = {k: _jsonable(v) for k, v in crawler.stats.get_stats().items()}
    args.stats.write_text(json.dumps(stats, indent=1, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
