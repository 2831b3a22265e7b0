"""``scrapy reextract WARC…``: the current parsers and normalisers over archived responses, offline.

The WARC files (paths or globs) are indexed once (:class:`crawler.warc.WarcIndex`); then the real ``tribun``
spider runs through the real Scrapy engine, given the archived article URLs (its ``urls`` mode), with every
request answered from the archive (``TRIBUN_REPLAY``, :mod:`crawler.downloaders.replay`). Multi-page
assembly, the worker processes, normalisation, in-run dedup, the feeds and the exit status are the crawl's
own, so the items are what a crawl of those responses writes, ``crawled_at`` taken from ``WARC-Date``.

Output goes to ``output/reextract/<run>.jsonl`` (``-o``/``-O`` replace it), with the run's stats, monitors and
duplicates files beside it. The cross-run state is not touched: dedup runs against a throw-away state of
this run alone. ``--state`` records the run in the crawl's state instead (taking its lock, as a crawl does).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.commands import BaseRunSpiderCommand
from scrapy.downloadermiddlewares.defaultheaders import DefaultHeadersMiddleware
from scrapy.downloadermiddlewares.downloadtimeout import DownloadTimeoutMiddleware
from scrapy.downloadermiddlewares.httpauth import HttpAuthMiddleware
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.httpproxy import HttpProxyMiddleware
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from crawler import portals as registry
from crawler import safety, urls
from crawler.commands.crawl import (
    ExitCode,
    _feed_paths,
    _final_stats,
    _keep_error,
    _record_exit_status,
    crawl_outcome,
    run_summary,
    take_run_lock,
)
from crawler.warc import WarcIndex, expand_paths

if TYPE_CHECKING:
    import argparse

logger = logging.getLogger(__name__)

FEED = "%(output_dir)s/reextract/%(run_id)s.jsonl"
# Replaying local files: no politeness (nobody's server), no robots.txt (the crawl that archived the pages obeyed
# it), no retries (an archived 503 answers the same every time), and enough concurrency to keep the workers busy.
# Set unless -s gives them.
DEFAULTS: dict[str, Any] = {
    "FEEDS": {FEED: {"format": "jsonlines", "encoding": "utf-8"}},
    "TRIBUN_STATS_FILE": "%(output_dir)s/reextract/%(run_id)s.stats.json",
    "TRIBUN_MONITORS_FILE": "%(output_dir)s/reextract/%(run_id)s.monitors.json",
    "ROBOTSTXT_OBEY": False,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "RETRY_ENABLED": False,
    "CONCURRENT_REQUESTS": 64,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 64,
    "TRIBUN_WARC": False,
    "TRIBUN_MIRROR": None,
    "TRIBUN_ORIGIN": None,
}

# Downloader middlewares that only shape what travels over the network (credentials, timeouts, default headers,
# Accept-Encoding and decompression, proxies): a replayed request never travels, and the replay handler hands
# every body over decoded. Each costs the crawl's thread a call per request. Off unless DOWNLOADER_MIDDLEWARES
# names them. (RefererMiddleware stays: the redirect middlewares warn without it.)
NETWORK_ONLY = (HttpAuthMiddleware, DownloadTimeoutMiddleware, DefaultHeadersMiddleware, HttpCompressionMiddleware,
                HttpProxyMiddleware)


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] WARC [WARC …]"

    def short_desc(self) -> str:
        return "Re-extract articles from WARC files (ours or Common Crawl's) with the current parsers, offline"

    def long_desc(self) -> str:
        return ("Runs the tribun spider over archived responses: WARC files or globs (quote them), such as "
                "output/warc/*.warc.gz or CC-NEWS files. Writes output/reextract/<run>.jsonl unless -o/-O say "
                "otherwise; exit statuses as for crawl (README, Running from cron).")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--state", action="store_true",
                            help="record the run in the crawl's state store (default: the state is not touched)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        for name, value in DEFAULTS.items():
            if (self.settings.getpriority(name) or 0) < SETTINGS_PRIORITIES["cmdline"]:
                self.settings.set(name, value, priority="cmdline")
        for component in NETWORK_ONLY:
            self.settings.setdefault_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", component, None)
        unknown = sorted(set(opts.spargs) - {"portals"})
        if unknown:
            raise UsageError(f"reextract takes only -a portals=… (the archive decides the articles), not "
                             f"{', '.join(f'-a {n}' for n in unknown)}", print_help=False)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None and self.crawler_process is not None
        if not args:
            raise UsageError("give at least one WARC file or glob")
        paths, unmatched = expand_paths(args)
        if unmatched:
            raise UsageError(f"no WARC file at {', '.join(repr(p) for p in unmatched)}", print_help=False)
        try:
            selected = registry.select(opts.spargs.get("portals"))
            safety.check_feeds(self.settings)
        except (ValueError, safety.UnsafePathError) as exc:
            raise UsageError(str(exc), print_help=False) from None

        index = WarcIndex.build(paths)
        counts = index.counts
        seeds = [u for u in index.article_urls() if urls.portal_of(u) in selected]
        logger.info("Indexed %d WARC file(s): %d Tribun response(s) kept (%d record(s) of other hosts, %d revisit "
                    "record(s) skipped); %d article(s) to re-extract", counts["files"], len(index.records),
                    counts["other_hosts"], counts["revisit"], len(seeds))
        if not seeds:
            code = ExitCode.NO_ITEMS
            logger.error("Exit status %d (%s): the archive holds no Tribun article page", code, code.name)
            self.exitcode = int(code)
            return

        self.settings.set("TRIBUN_REPLAY", [str(p) for p in paths], priority="cmdline")
        scratch = None
        if opts.state:
            refused = take_run_lock(self.settings)
            if refused is not None:
                self.exitcode = refused
                return
        else:
            # In-run dedup needs a state to stage its rows in; this one lives and dies with the run.
            scratch = Path(tempfile.mkdtemp(prefix="tribun-reextract-"))
            self.settings.set("TRIBUN_STATE_PATH", str(scratch / "state.sqlite3"), priority="cmdline")
        try:
            self._reextract(index, seeds, opts)
        finally:
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)

    def _reextract(self, index: WarcIndex, seeds: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None and self.crawler_process is not None
        crawler = self._create_crawler("tribun")
        crawler.tribun_replay_index = index  # the replay handler's, instead of a second pass over the files
        errors: list[BaseException] = []
        # Every archived article is read again, whatever earlier runs emitted.
        task = self.crawler_process.crawl(crawler, **{**opts.spargs, "urls": seeds, "fresh": "1"})
        if isinstance(task, asyncio.Future):
            task.add_done_callback(partial(_keep_error, errors))
        else:
            task.addErrback(lambda failure: errors.append(failure.value) or failure)
        self.crawler_process.start()
        error = errors[0] if errors else None
        code, why = crawl_outcome(_final_stats(crawler), error, self.crawler_process.bootstrap_failed)
        if code == ExitCode.FAILED and error is not None:
            logger.error("The re-extraction could not start", exc_info=error)
        (logger.info if code == ExitCode.OK else logger.error)("Exit status %d (%s): %s", code, code.name, why)
        stats = _final_stats(crawler)
        if stats:
            logger.info("%s", run_summary(stats, _feed_paths(crawler)))
        self.exitcode = int(code)
        if opts.state:
            _record_exit_status(self.settings, crawler, code)
