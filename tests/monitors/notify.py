"""A spidermon action for the notification test: appends each failing monitor's name to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spidermon.core.actions import Action


class RecordFailures(Action):
    def __init__(self, path: str):
        super().__init__()
        self.path = Path(path)

    @classmethod
    def from_crawler_kwargs(cls, crawler: Any) -> dict[str, Any]:
        return {"path": crawler.settings.get("TEST_NOTIFY_FILE")}

    def run_action(self) -> None:
        with self.path.open("a", encoding="utf-8") as fh:
            for result in self.result.monitors_failed_results:
                fh.write(f"{result.monitor.monitor_name}\n")
