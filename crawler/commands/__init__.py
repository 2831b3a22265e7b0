"""The project's Scrapy commands: ``crawl`` (run lock, exit status), ``extract``, ``reextract``, ``state``, and the
ad-hoc commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.settings import SETTINGS_PRIORITIES

if TYPE_CHECKING:
    import argparse


class AdHocCommand:
    """Mixed into Scrapy's ``parse``, ``fetch``, ``view``, ``shell``, ``check`` and ``bench``: a look at a page is
    not a production run. It writes no run feed (unless ``-o``/``-O`` asks for one), no stats file, and neither
    reads nor writes the state store nor takes its lock, so it works while a cron crawl runs and an article
    already emitted is still fetched and shown."""

    settings: Any

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)  # type: ignore[misc]
        # cmdline priority: a command's own default_settings rank below the project's settings.py.
        self.settings.set("TRIBUN_RECORD_RUN", False, priority="cmdline")
        if (self.settings.getpriority("FEEDS") or 0) < SETTINGS_PRIORITIES["cmdline"]:
            self.settings.set("FEEDS", {}, priority="cmdline")
