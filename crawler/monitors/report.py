"""The verdict of the close monitors: one log line, two stats, and ``output/tribun/<run>.monitors.json``.

``tribun/monitors/failed`` (how many monitors failed, 0 when all passed) is what ``scrapy crawl`` turns into
exit status 79 (MONITORS); ``tribun/monitors/report`` is the report's path.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from spidermon import settings as spidermon_settings
from spidermon.core.actions import Action

from crawler.feeds import run_id
from crawler.monitors.coverage import coverage_from_stats

logger = logging.getLogger(__name__)

_FAILED = spidermon_settings.MONITOR.STATUSES.ERROR  # a failed assertion, or a monitor that crashed
_SKIPPED = spidermon_settings.MONITOR.STATUS.SKIPPED


def _what_failed(result: Any) -> str:
    """The monitor's own one-line finding; for a monitor that crashed, the exception's last line."""
    if result.reason:
        return str(result.reason)
    lines = (result.error or "").strip().splitlines()
    return lines[-1] if lines else "failed"


class MonitorReport(Action):
    def run_action(self) -> None:
        crawler = self.data.crawler
        stats = crawler.stats
        monitors = [{"monitor": r.monitor.monitor_name, "check": r.monitor.method_name, "status": r.status,
                     **({"reason": str(r.reason)} if r.reason and r.status == _SKIPPED else {}),
                     **({"failed": _what_failed(r)} if r.status in _FAILED else {})}
                    for r in self.result.monitor_results]
        failed = [m for m in monitors if "failed" in m]
        stats.set_value("tribun/monitors/failed", len(failed))
        if failed:
            logger.error("Monitors failed (%d of %d): %s", len(failed), len(monitors),
                         " | ".join(f"{m['monitor']}: {m['failed']}" for m in failed))
        else:
            logger.info("Monitors passed (%d, %d skipped)", len(monitors),
                        sum(1 for m in monitors if m["status"] == _SKIPPED))
        setting = crawler.settings.get("TRIBUN_MONITORS_FILE")
        if not setting or not crawler.settings.getbool("TRIBUN_RECORD_RUN", True):
            return
        rid = run_id(self.data.spider)
        path = Path(setting % {"output_dir": crawler.settings.get("TRIBUN_OUTPUT_DIR"), "run_id": rid})
        coverage = {portal: {"items": fields_["url"][0], "covered": {name: c for name, (_, c) in fields_.items()}}
                    for portal, fields_ in coverage_from_stats(self.data.stats).items()}
        report = {"run_id": rid, "passed": not failed, "failed": len(failed), "monitors": monitors,
                  "coverage": coverage}
        tmp = path.with_name(f".{path.name}.part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            logger.error("Monitor report %s not written: %s", path, exc)
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        stats.set_value("tribun/monitors/report", str(path))
