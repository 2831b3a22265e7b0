"""``scrapy crawl`` for cron: one crawl per state at a time, and an exit status that says how it went.

Replaces Scrapy's built-in ``crawl`` (``COMMANDS_MODULE = "crawler.commands"``). Before anything is
created it takes an exclusive ``flock`` on the lock file beside the state store (``<state>.lock``); when
another crawl holds it, this one logs why and exits with :attr:`ExitCode.LOCKED` without opening a feed
or the store. After the crawl, :func:`crawl_outcome` turns the final stats into an :class:`ExitCode`.

The exit codes are defined here and nowhere else; the README (*Running from cron*) documents them.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Mapping
from enum import IntEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.extensions.feedexport import FeedExporter

from crawler import safety
from crawler.arguments import SpiderArgumentError, check_command_line
from crawler.extensions.blocked import BLOCKED_REASON
from crawler.feeds import run_id
from crawler.nodes import redis_url
from crawler.state import RunLock, StateError, StateLocked, lock_path, state_path
from crawler.state_backend import open_state_store

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ExitCode(IntEnum):
    """Exit status of ``scrapy crawl tribun`` (sysexits.h numbers where one fits)."""

    OK = 0  # finished; items were written, or every article found was already emitted (nothing new)
    FAILED = 1  # spider exception, pipeline error, closed early (signal, error limit), feed, WARC or state not saved
    USAGE = 2  # bad command line or spider argument (Scrapy uses 2 for usage errors too)
    NO_ITEMS = 65  # EX_DATAERR: sources answered, yet not one article came out and none was already known
    UNREACHABLE = 69  # EX_UNAVAILABLE: no request got a usable (< 400) response: network or site down
    BLOCKED = 77  # EX_NOPERM: the site refused most requests with 403 (the CDN's bot filter): not transient
    LOCKED = 75  # EX_TEMPFAIL: another crawl is running on the same state; nothing was touched
    STATE = 78  # EX_CONFIG: the state store is unusable (other schema version, not a state file)
    MONITORS = 79  # the run finished but a monitor failed (field coverage, error rate, drift…): output drifted


# Evidence that a run without items found only what earlier runs (or this one) already emitted.
_NOTHING_NEW = ("tribun/dedup/skipped_seen", "tribun/dedup/url", "tribun/dedup/fingerprint", "tribun/dedup/near")


def _is_spider_argument_error(error: BaseException | None) -> bool:
    try:
        # Imported late: the project's spider module (and its parsers) need not load for other spiders.
        from crawler.spiders.tribun import SpiderArgumentError
    except ImportError:
        return False
    return isinstance(error, SpiderArgumentError)


def crawl_outcome(stats: Mapping[str, Any], startup_error: BaseException | None = None,
                  bootstrap_failed: bool = False) -> tuple[ExitCode, str]:
    """The exit status of a finished ``scrapy crawl`` and a one-line reason, from its final stats."""
    if startup_error is not None or bootstrap_failed:
        if isinstance(startup_error, StateLocked):
            return ExitCode.LOCKED, str(startup_error)
        if isinstance(startup_error, StateError):
            return ExitCode.STATE, str(startup_error)
        if _is_spider_argument_error(startup_error):
            return ExitCode.USAGE, str(startup_error)
        return ExitCode.FAILED, f"the crawl could not start: {startup_error or 'see the log'}"
    reason = stats.get("finish_reason")
    if reason == BLOCKED_REASON or (reason == "finished" and stats.get("tribun/errors/blocked")):
        return ExitCode.BLOCKED, (f"the site refused {stats.get('tribun/responses/refused', 0)} request(s) with "
                                  "HTTP 403: the User-Agent is blocked (see the Blocked line above)")
    if reason != "finished":
        return ExitCode.FAILED, f"the crawl was closed early ({reason})"
    if stats.get("spider_exceptions/count"):
        return ExitCode.FAILED, f"{stats['spider_exceptions/count']} spider exception(s)"
    if stats.get("tribun/errors/item_pipeline"):
        return ExitCode.FAILED, f"{stats['tribun/errors/item_pipeline']} item(s) lost to pipeline errors"
    failed_feeds = sum(v for k, v in stats.items() if k.startswith("feedexport/failed_count/"))
    if failed_feeds:
        return ExitCode.FAILED, f"{failed_feeds} feed(s) could not be stored"
    if stats.get("tribun/warc/failed"):
        return ExitCode.FAILED, "the WARC archive could not be written (TRIBUN_WARC)"
    if stats.get("tribun/state/commit_failed"):
        return ExitCode.FAILED, "the state was not committed; the next run emits this run's articles again"
    items = stats.get("item_scraped_count", 0)
    # After the more specific statuses: a run without items fails the items monitor too, and says more as 65.
    monitors = stats.get("tribun/monitors/failed", 0)
    if monitors and (items or any(stats.get(key) for key in _NOTHING_NEW)):
        return ExitCode.MONITORS, (f"{monitors} monitor(s) failed (see the 'Monitors failed' line and "
                                   f"{stats.get('tribun/monitors/report') or 'the log'})")
    if items:
        return ExitCode.OK, f"{items} item(s) written"
    if any(stats.get(key) for key in _NOTHING_NEW):
        return ExitCode.OK, "nothing new: every article found was already emitted"
    if stats.get("tribun/distributed/round_articles"):
        return ExitCode.OK, (f"nothing for this node: the round's {stats['tribun/distributed/round_articles']} "
                             "article(s) were taken by its other nodes")
    prefix = "downloader/response_status_count/"
    answered = sum(v for k, v in stats.items() if k.startswith(prefix) and int(k[len(prefix):]) < 400)
    if not answered:
        return ExitCode.UNREACHABLE, "no source could be reached (no response below 400)"
    return ExitCode.NO_ITEMS, "sources answered but no article was found or kept (parser or discovery broken?)"


def _keep_error(errors: list[BaseException], task: asyncio.Future) -> None:
    # Retrieving the exception also stops asyncio from printing it as "never retrieved"; run() logs it.
    if not task.cancelled() and task.exception() is not None:
        errors.append(task.exception())


class Command(ScrapyCrawlCommand):
    def long_desc(self) -> str:
        return ("Run a spider of the project. Exits 75 at once when another crawl holds the state lock; "
                "exit statuses are listed in the README, Running from cron.")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name" if args else "")
        assert self.settings is not None and self.crawler_process is not None
        try:
            # Before anything starts: Scrapy opens a feed only at its first item, too late to refuse it.
            safety.check_feeds(self.settings)
        except safety.UnsafePathError as exc:
            raise UsageError(str(exc), print_help=False) from None
        try:
            # Before the lock: a usage error must create nothing (no output/.state/, no lock file).
            check_command_line(self.settings, self.crawler_process.spider_loader.load(args[0]), opts.spargs)
        except KeyError:
            raise UsageError(f"no spider named {args[0]!r} (scrapy list shows them)", print_help=False) from None
        except SpiderArgumentError as exc:
            logger.error("Not starting: %s. Exit status %d.", exc, ExitCode.USAGE)
            self.exitcode = ExitCode.USAGE
            return
        # A run that does not use the state needs no lock. A distributed crawl's node (TRIBUN_REDIS_URL) takes
        # none: its round keeps the nodes one crawl.
        if self.settings.getbool("TRIBUN_RECORD_RUN", True) and not redis_url(self.settings):
            refused = take_run_lock(self.settings)
            if refused is not None:
                self.exitcode = refused
                return

        try:
            crawler = self._create_crawler(args[0])
        except KeyError:
            raise UsageError(f"no spider named {args[0]!r} (scrapy list shows them)", print_help=False) from None
        errors: list[BaseException] = []
        task = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(task, asyncio.Future):  # AsyncCrawlerProcess (the asyncio reactor of our settings)
            task.add_done_callback(partial(_keep_error, errors))
        else:  # CrawlerProcess: a Deferred; the failure is passed on so Scrapy still logs it
            task.addErrback(lambda failure: errors.append(failure.value) or failure)
        self.crawler_process.start()

        error = errors[0] if errors else None
        code, why = crawl_outcome(_final_stats(crawler), error, self.crawler_process.bootstrap_failed)
        if code == ExitCode.FAILED and error is not None:
            logger.error("The crawl could not start", exc_info=error)  # unexpected: the traceback helps
        (logger.info if code == ExitCode.OK else logger.error)("Exit status %d (%s): %s", code, code.name, why)
        stats = _final_stats(crawler)
        if stats:
            # Last, so a terminal or a mail shows where the articles are and whether the monitors passed.
            logger.info("%s", run_summary(stats, _feed_paths(crawler)))
        self.exitcode = int(code)
        _record_exit_status(self.settings, crawler, code)


def take_run_lock(settings: Any) -> ExitCode | None:
    """Takes the state's run lock for the rest of the process; the exit status to stop with when it cannot.

    Held until the process exits (the kernel drops it even on SIGKILL); the state extension finds it already
    held and does not lock again.
    """
    try:
        RunLock.acquire(lock_path(state_path(settings)))
    except StateLocked as exc:
        logger.error("Not starting: %s. Exit status %d.", exc, ExitCode.LOCKED)
        return ExitCode.LOCKED
    except (StateError, OSError) as exc:
        logger.error("Not starting: cannot take the state lock: %s. Exit status %d.", exc, ExitCode.STATE)
        return ExitCode.STATE
    return None


def _record_exit_status(settings: Any, crawler: Crawler, code: ExitCode) -> None:
    """Notes the run's exit status on its row of the state store, once the run's commit is in."""
    stats = _final_stats(crawler)
    if not settings.getbool("TRIBUN_RECORD_RUN", True) or "tribun/state/committed" not in stats:
        return
    try:
        store = open_state_store(settings)
        try:
            store.set_exit_status(run_id(crawler.spider), int(code))
        finally:
            store.close()
    except (StateError, OSError, sqlite3.Error) as exc:
        # The articles are committed; only this column is missing, so the status stands.
        logger.warning("Exit status not recorded in the state store: %s", exc)


def run_summary(stats: Mapping[str, Any], feeds: list[str]) -> str:
    """``Feed: <path>; monitors: <verdict>``: the verdict from the monitors' stats, when they ran."""
    written = [f for f in feeds if Path(f).is_file()]
    where = ", ".join(written) if written else "none written"
    failed = stats.get("tribun/monitors/failed")
    report = stats.get("tribun/monitors/report")
    if failed is None:
        verdict = "not run"
    else:
        verdict = f"{failed} FAILED" if failed else "passed"
        if report:
            verdict += f" (report {report})"
    return f"Feed: {where}; monitors: {verdict}"


def _feed_paths(crawler: Crawler) -> list[str]:
    exporter = crawler.get_extension(FeedExporter) if getattr(crawler, "extensions", None) else None
    return [path for slot in getattr(exporter, "slots", ()) if (path := getattr(slot.storage, "path", None))]


def _final_stats(crawler: Crawler) -> dict[str, Any]:
    try:
        return crawler.stats.get_stats()
    except RuntimeError:  # the crawl failed before Scrapy created its stats (e.g. a bad spider argument)
        return {}
