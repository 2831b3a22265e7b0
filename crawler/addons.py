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
