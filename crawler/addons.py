"""Scrapy add-ons of the project (``ADDONS`` in ``crawler/settings.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.settings import SETTINGS_PRIORITIES

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


class MirrorMode:
    """With ``TRIBUN_MIRROR`` set, no politeness delays: the answers come from local files, nobody's server.

    Add-on priority ranks below the project's ``settings.py``, which sets the live site's delays, so the
    values are replaced here only while they still come from the project (or Scrapy's defaults): a value
    given with ``-s`` or by a spider's ``custom_settings`` wins, as it would over any add-on.
    """

    OFF = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("TRIBUN_MIRROR"):
            return
        for name, value in self.OFF.items():
            if (settings.getpriority(name) or 0) <= SETTINGS_PRIORITIES["project"]:
                settings.set(name, value, priority="project")


class ParquetFeed:
    """With ``TRIBUN_PARQUET`` set, adds the run's Parquet feed beside the configured ones.

    Added at the priority FEEDS already has, so feeds typed with ``-o``/``-O`` stay "explicit" for the
    path checks (crawler/safety.py) and the project's default JSON-lines feed stays too.
    """

    URI = "%(output_dir)s/tribun/%(run_id)s.parquet"

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.getbool("TRIBUN_PARQUET"):
            return
        feeds = settings.getdict("FEEDS")
        if self.URI not in feeds:
            feeds[self.URI] = {"format": "parquet"}
            settings.set("FEEDS", feeds, priority=settings.getpriority("FEEDS") or "project")
