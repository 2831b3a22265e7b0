"""Where the Scrapy project a crawl runs in lives, for defaults that belong to it (the output folder).

The package may be installed anywhere (a checkout, an editable install, or ``pip install .`` into
site-packages), so these defaults follow the project folder, never the package's own location.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.utils.conf import closest_scrapy_cfg


def project_dir(cwd: str | Path = ".") -> Path:
    """The folder of the nearest ``scrapy.cfg`` at or above ``cwd``, as Scrapy finds the project
    (``closest_scrapy_cfg``); ``cwd`` itself, resolved, when there is none (settings loaded through
    ``SCRAPY_SETTINGS_MODULE`` outside any project)."""
    cfg = closest_scrapy_cfg(cwd)
    return Path(cfg).parent if cfg else Path(cwd).resolve()


def default_output_dir(cwd: str | Path = ".") -> Path:
    """``output/`` of the project the crawl runs in (see :func:`project_dir`)."""
    return project_dir(cwd) / "output"
