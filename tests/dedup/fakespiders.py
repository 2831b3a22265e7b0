"""A tiny spider for real ``scrapy crawl`` runs of the dedup/state machinery without network or parsers.

``scrapy crawl fake -s SPIDER_MODULES=tests.dedup.fakespiders -a n=5`` emits articles 0…4 straight from
``start()``; ``first=K`` starts at article K; ``hang=1`` then waits forever (to be killed); ``fetch=URL``
requests one URL (answered from ``TRIBUN_MIRROR``) whose callback yields nothing, or raises with ``fail=1``.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
from collections.abc import AsyncIterator
from typing import Any

import scrapy

from crawler.items import Article

_VOCABULARY = [f"kata{i}" for i in range(5000)]


def fake_url(i: int) -> str:
    return f"https://bangka.tribunnews.com/2025/01/10/berita-{i}"


def fake_article(i: int) -> Article:
    rng = random.Random(i)
    body = " ".join(rng.choice(_VOCABULARY) for _ in range(300))  # distinct bodies, ~2 KB a line
    return Article(url=fake_url(i), portal="bangka", site_name="Bangka Pos", title=f"Berita {i}", body=body,
                   published_at="2025-01-10T09:00:00+07:00", crawled_at="2025-01-10T03:00:00+00:00",
                   fingerprint=hashlib.md5(body.encode()).hexdigest())


class FakeSpider(scrapy.Spider):
    name = "fake"
    custom_settings = {
        # No parser or normaliser involved: the items are Articles already.
        "ITEM_PIPELINES": {"crawler.pipelines.validate.ValidatePipeline": 200,
                           "crawler.pipelines.dedup.DedupPipeline": 300},
        "RETRY_ENABLED": False,
        # Its articles carry no authors, editors or sections: the monitors are for real pages (tests/monitors).
        "SPIDERMON_ENABLED": False,
    }

    def __init__(self, n: str = "5", first: str = "0", hang: str = "0", fetch: str | None = None,
                 fail: str = "0", fresh: str = "0", updates: str = "0", **kwargs: Any):
        super().__init__(**kwargs)
        self.n, self.first, self.hang, self.fetch, self.fail = int(n), int(first), hang == "1", fetch, fail == "1"
        self.fresh, self.updates = fresh == "1", updates == "1"

    async def start(self) -> AsyncIterator[Any]:
        for i in range(self.first, self.first + self.n):
            yield fake_article(i)
        if self.fetch:
            yield scrapy.Request(self.fetch, callback=self.parse)
        if self.hang:
            await asyncio.sleep(3600)

    def parse(self, response: scrapy.http.Response) -> None:
        if self.fail:
            raise ValueError("a spider bug")


ORIGINAL_URL = "https://medan.tribunnews.com/2025/01/10/banjir"
COPY_URL = "https://www.tribunnews.com/regional/2025/01/10/banjir-medan"


def syndicated_article(which: str) -> Article:
    """A Tribun Medan story (``original``) or www's copy of it (``copy``): another lede and footer, a credit
    to Tribun Medan, and a publication time an hour *earlier* than the original's, so only the credit tells
    which is the copy."""
    from tests.dedup.conftest import COPY, STORY  # the suite's syndicated texts

    body, url, portal, published = ((COPY, COPY_URL, "tribunnews", "2025-01-10T08:00:00+07:00") if which == "copy"
                                    else (STORY, ORIGINAL_URL, "medan", "2025-01-10T09:00:00+07:00"))
    article = Article(url=url, portal=portal, site_name="Tribun Medan", title="Banjir", body=body,
                      published_at=published, crawled_at="2025-01-10T03:00:00+00:00",
                      fingerprint=hashlib.md5(body.encode()).hexdigest())
    if which == "copy":
        article.source, article.source_url = "Tribun Medan", ORIGINAL_URL
    return article


class SyndicatedSpider(scrapy.Spider):
    """``-a order=copy,original`` emits those articles in that order; ``hang=1`` then waits to be killed."""

    name = "syndicated"
    custom_settings = FakeSpider.custom_settings

    def __init__(self, order: str = "copy,original", hang: str = "0", **kwargs: Any):
        super().__init__(**kwargs)
        self.order, self.hang = [w for w in order.split(",") if w], hang == "1"

    async def start(self) -> AsyncIterator[Any]:
        for which in self.order:
            yield syndicated_article(which)
        if self.hang:
            await asyncio.sleep(3600)
