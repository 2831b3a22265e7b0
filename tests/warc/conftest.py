"""Fixtures of the WARC tests: one archived crawl of the bundled mirror, shared by the module that asks for it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.crawlrun import CrawlResult, run_crawl
from tests.warc.records import Archived, read_warc


class ArchivedCrawl:
    def __init__(self, result: CrawlResult, started: datetime, ended: datetime):
        self.result = result
        self.started = started
        self.ended = ended
        self.files = sorted((result.output_dir / "warc").iterdir())
        self.records: list[Archived] = [r for f in self.files for r in read_warc(f)]

    def responses(self) -> list[Archived]:
        return [r for r in self.records if r.type == "response"]


@pytest.fixture(scope="module")
def archived_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArchivedCrawl]:
    """``scrapy crawl tribun -s TRIBUN_MIRROR=mirror -s TRIBUN_WARC=1`` (latest mode, every mirror portal)."""
    out: Path = tmp_path_factory.mktemp("archived")
    started = datetime.now(UTC)
    result = run_crawl(out, settings={"TRIBUN_WARC": "1"})
    assert result.returncode == 0, result.log[-3000:]
    yield ArchivedCrawl(result, started, datetime.now(UTC))
