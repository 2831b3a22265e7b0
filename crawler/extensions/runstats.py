"""Writes the run's final Scrapy stats as JSON beside its feed: ``output/tribun/<run>.stats.json``.

Cron users and monitors read it instead of scraping logs (items written, drops by reason, errors by
kind, finish reason). Written atomically, like the feeds. ``TRIBUN_STATS_FILE`` overrides the path;
an empty value switches it off.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import resource
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.feeds import run_id

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class RunStats:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.setting = crawler.settings.get("TRIBUN_STATS_FILE", "%(output_dir)s/tribun/%(run_id)s.stats.json")
        if not self.setting or not crawler.settings.getbool("TRIBUN_RECORD_RUN", True):
            raise NotConfigured
        self._closed: tuple[Spider, str] | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        # Written when the engine stops, after the state commit (on feed close), so its counts are in.
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunStats:
        return cls(crawler)

    def path_for(self, spider: Spider) -> Path:
        output_dir = self.crawler.settings.get("TRIBUN_OUTPUT_DIR")
        return Path(self.setting % {"output_dir": output_dir, "run_id": run_id(spider)})

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self._closed = (spider, reason)

    def engine_stopped(self) -> None:
        if self._closed is None:
            return
        spider, reason = self._closed
        stats = {k: _jsonable(v) for k, v in self.crawler.stats.get_stats().items()}
        stats["finish_reason"] = reason
        # CPU of the crawl's own process and of its worker processes (stopped and reaped by now): what a
        # run costs, and which side of the hand-over is the busy one.
        own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        stats["tribun/cpu_s"] = round(own.ru_utime + own.ru_stime, 2)
        stats["tribun/workers/cpu_s"] = round(workers.ru_utime + workers.ru_stime, 2)
        path = self.path_for(spider)
        tmp = path.with_name(f".{path.name}.part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(stats, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            # The same place as the feed: its failure (and the exit status) is already reported for the feed.
            logger.error("Stats file %s not written: %s", path, exc)
            with contextlib.suppress(OSError):
                tmp.unlink()
