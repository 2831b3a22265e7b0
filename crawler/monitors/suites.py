"""The monitors spidermon runs when the spider closes (``SPIDERMON_SPIDER_CLOSE_MONITORS``).

Each monitor fails with one line naming what it found and the figure (``authors 0.0% < 90% (0 of 44)``);
:class:`crawler.monitors.report.MonitorReport` gathers those lines into the run's verdict. Thresholds are
the ``TRIBUN_MONITOR_*`` settings.
"""

from __future__ import annotations

import sqlite3
import statistics
from contextlib import closing
from typing import Any

from scrapy.utils.misc import load_object
from spidermon import Monitor, MonitorSuite, monitors

from crawler.feeds import run_id
from crawler.monitors.coverage import ARTICLE_FIELDS, coverage_from_stats
from crawler.monitors.report import MonitorReport
from crawler.state import state_path

# Counters under tribun/errors/ that total other counters (each of their errors is counted under its kind
# as well) or describe the whole run rather than one article.
_AGGREGATE_ERRORS = ("discovery", "incomplete_article", "blocked")
# Drops that are the crawl working as asked, not something going wrong.
_EXPECTED_DROPS = ("outside_window",)
# Article pages no layout could read.
_UNREAD = ("not_an_article", "parser_error")
# Article pages read, counted per layout by the spider (tribun/layout/<name>); "generic" is the fallback that
# reads pages no era layout claims, so a rising share of it is a redesign the crawl still gets through.
LAYOUT_PREFIX = "tribun/layout/"
GENERIC = "generic"
# Evidence that a run without items found only what was already emitted (see crawler.commands.crawl).
_NOTHING_NEW = ("tribun/dedup/skipped_seen", "tribun/dedup/url", "tribun/dedup/fingerprint", "tribun/dedup/near")


def _sum(stats: dict[str, Any], prefix: str, exclude: tuple[str, ...] = ()) -> int:
    return sum(v for k, v in stats.items() if k.startswith(prefix) and k[len(prefix):] not in exclude)


def article_errors(stats: dict[str, Any]) -> int:
    """Final failures of article requests: every ``tribun/errors/<kind>`` except discovery's own."""
    return _sum(stats, "tribun/errors/", _AGGREGATE_ERRORS) - stats.get("tribun/errors/discovery", 0)


def articles_attempted(stats: dict[str, Any]) -> int:
    """Articles the run tried to read: read whole, lost to an error, or dropped by the spider unread."""
    spider_drops = sum(stats.get(f"tribun/dropped/{k}", 0)
                       for k in ("not_an_article", "parser_error", "worker_timeout", "worker_crashed"))
    return stats.get("tribun/articles/fetched", 0) + article_errors(stats) + spider_drops


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


class _TribunMonitor(Monitor):
    findings: list[str]

    @property
    def settings(self) -> Any:
        return self.data.crawler.settings

    @property
    def min_items(self) -> int:
        return self.settings.getint("TRIBUN_MONITOR_MIN_ITEMS")

    def verdict(self, findings: list[str]) -> None:
        self.findings = findings
        if findings:
            self.fail("; ".join(findings))


@monitors.name("Items")
class ItemsMonitor(_TribunMonitor):
    @monitors.name("items written when sources answered")
    def test_items(self) -> None:
        stats = self.data.stats
        prefix = "downloader/response_status_count/"
        answered = sum(v for k, v in stats.items() if k.startswith(prefix) and k[len(prefix):].isdigit()
                       and int(k[len(prefix):]) < 400)
        items = stats.get("item_scraped_count", 0)
        nothing_new = any(stats.get(key) for key in _NOTHING_NEW)
        self.verdict([f"items 0 although {answered} response(s) answered"]
                     if answered and not items and not nothing_new else [])


@monitors.name("Field coverage")
class FieldCoverageMonitor(_TribunMonitor):
    @monitors.name("share of items filling each field")
    def test_field_coverage(self) -> None:
        coverage = coverage_from_stats(self.data.stats)
        items = sum(fields_["url"][0] for fields_ in coverage.values())
        if items < self.min_items:
            self.skipTest(f"{items} item(s), fewer than TRIBUN_MONITOR_MIN_ITEMS={self.min_items}")
        findings = []
        for name, threshold in self.settings.getdict("TRIBUN_MONITOR_COVERAGE").items():
            covered = sum(fields_.get(name, (0, 0))[1] for fields_ in coverage.values())
            if covered / items < float(threshold):
                findings.append(f"{name} {_percent(covered / items)} < {_percent(float(threshold))} "
                                f"({covered} of {items})")
        self.verdict(findings)


@monitors.name("Error rate")
class ErrorRateMonitor(_TribunMonitor):
    @monitors.name("articles lost to errors and drops")
    def test_rates(self) -> None:
        stats = self.data.stats
        attempted = articles_attempted(stats)
        if attempted < self.min_items:
            self.skipTest(f"{attempted} article(s) attempted, fewer than TRIBUN_MONITOR_MIN_ITEMS={self.min_items}")
        figures = {
            "errors": (article_errors(stats), self.settings.getfloat("TRIBUN_MONITOR_MAX_ERROR_RATE")),
            "dropped": (_sum(stats, "tribun/dropped/", _EXPECTED_DROPS),
                        self.settings.getfloat("TRIBUN_MONITOR_MAX_DROP_RATE")),
        }
        self.verdict([f"{what} {_percent(count / attempted)} > {_percent(limit)} ({count} of {attempted} "
                      "articles attempted)" for what, (count, limit) in figures.items() if count / attempted > limit])


def pages_by_layout(stats: dict[str, Any]) -> dict[str, int]:
    """Article pages read in the run, per layout (the ``tribun/layout/<name>`` stats)."""
    return {k[len(LAYOUT_PREFIX):]: v for k, v in stats.items() if k.startswith(LAYOUT_PREFIX)}


@monitors.name("Layout drift")
class LayoutDriftMonitor(_TribunMonitor):
    @monitors.name("article pages no era layout read")
    def test_unread_pages(self) -> None:
        stats = self.data.stats
        unread = sum(stats.get(f"tribun/dropped/{k}", 0) for k in _UNREAD)
        pages = stats.get("tribun/articles/fetched", 0) + unread
        read = pages_by_layout(stats)
        layout_pages = sum(read.values())
        if pages < self.min_items and layout_pages < self.min_items:
            self.skipTest(f"{max(pages, layout_pages)} article page(s), fewer than "
                          f"TRIBUN_MONITOR_MIN_ITEMS={self.min_items}")
        findings = []
        limit = self.settings.getfloat("TRIBUN_MONITOR_MAX_UNREAD_RATE")
        if pages >= self.min_items and unread / pages > limit:
            findings.append(f"unread pages {_percent(unread / pages)} > {_percent(limit)} ({unread} of {pages}: "
                            f"{', '.join(_UNREAD)})")
        generic = read.get(GENERIC, 0)
        limit = self.settings.getfloat("TRIBUN_MONITOR_MAX_GENERIC_RATE")
        if layout_pages >= self.min_items and generic / layout_pages > limit:
            known = ", ".join(f"{name} {count}" for name, count in sorted(read.items()) if name != GENERIC)
            findings.append(f"pages read by the generic layout {_percent(generic / layout_pages)} > "
                            f"{_percent(limit)} ({generic} of {layout_pages}; {known or 'no era layout'}): "
                            "a redesign no layout knows")
        self.verdict(findings)


@monitors.name("Schema")
class SchemaMonitor(_TribunMonitor):
    @monitors.name("items valid against schema/article.schema.json")
    def test_schema(self) -> None:
        invalid = self.data.stats.get("tribun/schema/invalid", 0)
        items = self.data.stats.get("item_scraped_count", 0)
        self.verdict([f"invalid items {invalid} of {items} (see the 'does not match the schema' lines)"]
                     if invalid > self.settings.getint("TRIBUN_MONITOR_MAX_INVALID") else [])


# Fields whose share says how articles were fetched, not whether a layout is still read: `pages` is null
# whenever a whole-article view hides its pagination (and was filled in every item before schema 1.2).
_NOT_DRIFT_WATCHED = frozenset({"pages"})


@monitors.name("Coverage drift")
class CoverageDriftMonitor(_TribunMonitor):
    @monitors.name("each portal's field coverage against its last runs")
    def test_drift(self) -> None:
        if not self.settings.getbool("TRIBUN_RECORD_RUN", True):
            self.skipTest("TRIBUN_RECORD_RUN is off: no history")
        path = state_path(self.settings)
        if not path.exists():
            self.skipTest(f"no state store at {path}")
        runs = self.settings.getint("TRIBUN_MONITOR_DRIFT_RUNS")
        least = self.settings.getint("TRIBUN_MONITOR_DRIFT_MIN_RUNS")
        margin = self.settings.getfloat("TRIBUN_MONITOR_DRIFT_MARGIN")
        this_run = run_id(self.data.spider)
        findings = []
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            db.execute("PRAGMA busy_timeout = 10000")
            for portal, now in sorted(coverage_from_stats(self.data.stats).items()):
                items = now["url"][0]
                if items < self.min_items:
                    continue
                history = _history(db, portal, this_run, runs, self.min_items)
                if len(history) < least:
                    continue
                for name in ARTICLE_FIELDS:
                    if name in _NOT_DRIFT_WATCHED:
                        continue
                    shares = [h[name] for h in history if name in h]
                    if len(shares) < least:
                        continue
                    median = statistics.median(shares)
                    share = now[name][1] / items
                    if share < median - margin:
                        findings.append(f"{portal} {name} {_percent(share)} < median {_percent(median)} of its "
                                        f"last {len(shares)} runs - {_percent(margin)} ({now[name][1]} of {items})")
        self.verdict(findings)


def _history(db: sqlite3.Connection, portal: str, this_run: str, runs: int, min_items: int
             ) -> list[dict[str, float]]:
    """Field shares of the portal's last ``runs`` runs that had at least ``min_items`` items."""
    try:
        rows = db.execute(
            "SELECT run_id, field, items, covered FROM coverage WHERE portal = ? AND run_id IN ("
            " SELECT run_id FROM coverage WHERE portal = ? AND field = 'url' AND run_id != ? AND items >= ?"
            " ORDER BY run_id DESC LIMIT ?)", (portal, portal, this_run, min_items, runs)).fetchall()
    except sqlite3.OperationalError:  # a store of an older schema version (no coverage yet): no history
        return []
    by_run: dict[str, dict[str, float]] = {}
    for rid, name, items, covered in rows:
        by_run.setdefault(rid, {})[name] = covered / items if items else 0.0
    return list(by_run.values())


class CloseMonitorSuite(MonitorSuite):
    monitors = [ItemsMonitor, FieldCoverageMonitor, ErrorRateMonitor, LayoutDriftMonitor, SchemaMonitor,
                CoverageDriftMonitor]
    monitors_finished_actions = [MonitorReport]

    def __init__(self, *args: Any, crawler: Any = None, **kwargs: Any):
        # Notifications (e-mail, Slack, …) are spidermon actions named in a setting, so they stay off until
        # an operator configures one.
        if crawler is not None:
            kwargs["monitors_failed_actions"] = [
                *(kwargs.get("monitors_failed_actions") or []),
                *(load_object(path) for path in crawler.settings.getlist("TRIBUN_MONITOR_NOTIFY"))]
        super().__init__(*args, crawler=crawler, **kwargs)
