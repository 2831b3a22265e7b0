"""Fetch URLs through the project's whole download stack with a minimal spider; record what came back.

    python -m tests.faults.probe OUT.json URL [URL ...] [--set NAME=VALUE ...]

Runs Scrapy's real engine with the project's settings (download handlers, middlewares, retries,
robots.txt, redirects), but a spider that parses nothing, so the origin handler and the network
guard can be tested without the page parsers. Writes ``{"responses": [...], "failures": [...]}``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.project import get_project_settings
from twisted.python.failure import Failure


class ProbeSpider(Spider):
    name = "probe"

    def __init__(self, targets: list[str], out: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.targets = targets
        self.out = Path(out)
        self.responses: list[dict[str, Any]] = []
        self.failures: list[dict[str, Any]] = []

    async def start(self) -> AsyncIterator[Request]:
        for url in self.targets:
            yield Request(url, callback=self.got, errback=self.failed, meta={"probe": url})

    def got(self, response: Response) -> None:
        self.responses.append({
            # time.monotonic() is CLOCK_MONOTONIC, one clock for every process on the machine, so tests can
            # order these against the fault server's records.
            "at": time.monotonic(), "asked": response.meta["probe"], "url": response.url, "status": response.status,
            "redirect_urls": response.meta.get("redirect_urls", []),
            "retry_times": response.meta.get("retry_times", 0),
            "latency": response.meta.get("download_latency"),
            "body_head": response.body[:60].decode("latin-1"),
        })

    def failed(self, failure: Failure) -> None:
        exc = failure.value
        self.failures.append({
            "at": time.monotonic(), "asked": failure.request.meta.get("probe"), "url": failure.request.url,
            "exception": type(exc).__name__, "message": str(exc),
            "status": exc.response.status if failure.check(HttpError) else None,
            "retry_times": failure.request.meta.get("retry_times", 0),
        })

    def closed(self, reason: str) -> None:
        self.out.write_text(json.dumps({"responses": self.responses, "failures": self.failures,
                                        "reason": reason}, indent=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--set", action="append", default=[])
    args = parser.parse_args()
    settings = get_project_settings()
    # The project's spiders and item pipelines need the parsers; the probe needs neither.
    settings.setdict({"SPIDER_MODULES": [], "ITEM_PIPELINES": {}, "FEEDS": {}}, priority="cmdline")
    for pair in args.set:
        name, _, value = pair.partition("=")
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(ProbeSpider, targets=args.urls, out=args.out)
    process.start()


if __name__ == "__main__":
    main()
