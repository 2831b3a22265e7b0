"""The rules for what a user may pass to ``scrapy crawl tribun``: spider arguments and the settings that name
a place (``TRIBUN_MIRROR``, ``TRIBUN_ORIGIN``, ``TRIBUN_STATE_PATH``), and pyarrow for a Parquet feed.

Checked twice with the same functions: by ``scrapy crawl`` before it takes the state lock, so a usage error
creates nothing (no ``output/.state/``, no lock file, no feed) and exits 2 with one line; and by the spider
itself, so a spider built another way (``scrapy parse``, a test, a script) obeys the same rules. No Scrapy
and no parsers are imported here: the command checks before loading anything heavy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from crawler import portals as registry
from crawler import safety, urls

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

# Longest URL accepted in -a urls / urls_file (real article URLs are under 300 characters).
MAX_URL_LENGTH = 2048
# The network's first articles are from the late 1990s; no earlier day can hold one (the normaliser rejects
# pre-1995 dates for the same reason).
FIRST_DAY = date(1995, 1, 1)
# Every ``-a`` name the spider reads; any other is refused rather than set as a spider attribute.
SPIDER_ARGUMENTS: dict[str, str] = {
    "portals": "portal keys, comma-separated (default: all)",
    "since": "first day of a backfill, YYYY-MM-DD",
    "until": "last day of a backfill, YYYY-MM-DD (default: today)",
    "urls": "article URLs, comma-separated",
    "urls_file": "a text file of article URLs, one a line",
    "updates": "1: emit an article again when it changed",
    "fresh": "1: ignore what earlier runs emitted",
}
_DEFAULT_PORTS = {"http": 80, "https": 443}


# How to get what a Parquet feed needs (the optional ``parquet`` extra of pyproject.toml).
PARQUET_INSTALL_HINT = "pip install '.[parquet]'"


def pyarrow_missing() -> bool:
    """True when pyarrow cannot be imported (not installed, or a broken install)."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return True
    return False


class SpiderArgumentError(ValueError):
    """A spider argument or a setting is unusable; the crawl must not start (exit status 2)."""


@dataclass(frozen=True)
class CrawlArguments:
    """The spider arguments, checked and parsed."""

    portals: list[registry.Portal]
    since: date | None = None
    until: date | None = None
    given_urls: list[str] = field(default_factory=list)
    # Given URLs that are on the network but not article pages: skipped with a warning, not an error.
    skipped_urls: list[str] = field(default_factory=list)
    updates: bool = False
    fresh: bool = False


def latest_day() -> date:
    """Today on the network's calendar: the date in its easternmost zone (WIT), the last to have started."""
    return datetime.now(registry.WIT).date()


def _day(value: str, name: str) -> date:
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise SpiderArgumentError(f"-a {name}={value!r}: expected a date as YYYY-MM-DD") from None
    today = latest_day()
    if not FIRST_DAY <= day <= today:
        raise SpiderArgumentError(f"-a {name}={value!r}: must be between {FIRST_DAY} and today ({today})")
    return day


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _network_url(url: str) -> bool:
    if len(url) > MAX_URL_LENGTH or not url.isprintable():
        return False
    scheme = url.split(":", 1)[0].lower()
    if scheme not in _DEFAULT_PORTS or not urls.in_network(url):
        return False
    try:
        port = urlsplit(url).port
    except ValueError:
        return False
    return port in (None, _DEFAULT_PORTS[scheme])


def read_urls_file(path: str) -> list[str]:
    """URLs from a text file, one a line; blank lines and ``#`` comments skipped.

    The file must be a regular UTF-8 text file of bounded size; a relative path stays inside the
    current directory (checks in :func:`crawler.safety.read_text_file`).
    """
    try:
        lines = safety.read_text_file(path, what="-a urls_file").splitlines()
    except safety.UnsafePathError as exc:
        raise SpiderArgumentError(str(exc)) from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def check_spider_arguments(given: Mapping[str, Any]) -> CrawlArguments:
    """``given`` (the ``-a name=value`` pairs) checked and parsed; raises :class:`SpiderArgumentError`.

    A name the spider does not read is refused, listing the valid ones: a typo (``portal=``) would otherwise
    crawl everything, and Scrapy would set any name, private ones included, as a spider attribute.
    """
    unknown = sorted(set(given) - set(SPIDER_ARGUMENTS))
    if unknown:
        raise SpiderArgumentError(f"unknown spider argument(s): {', '.join(f'-a {n}' for n in unknown)}; "
                                  f"valid: {', '.join(SPIDER_ARGUMENTS)}")
    args = {name: given.get(name) for name in SPIDER_ARGUMENTS}
    try:
        selected = registry.select(args["portals"])
    except ValueError as exc:
        raise SpiderArgumentError(f"-a portals: {exc}") from None
    since = _day(args["since"], "since") if args["since"] else None
    until = _day(args["until"], "until") if args["until"] else None
    if until and not since:
        raise SpiderArgumentError("-a until needs -a since")
    if since and until and until < since:
        raise SpiderArgumentError(f"-a until={until} is before since={since}")
    raw: list[str] = []
    if isinstance(args["urls"], list | tuple):  # given by code (scrapy reextract), not typed: commas allowed
        raw += [str(u) for u in args["urls"] if str(u).strip()]
    elif args["urls"]:
        raw += [u for u in str(args["urls"]).split(",") if u.strip()]
    if args["urls_file"]:
        raw += read_urls_file(str(args["urls_file"]))
    given_urls: list[str] = []
    skipped: list[str] = []
    for value in raw:
        url = value.strip()
        if not _network_url(url):
            # describe_value: a line of a file that is not a URL list is not copied into the log.
            raise SpiderArgumentError(f"refusing {safety.describe_value(url)}: not a Tribun network URL "
                                      "(http(s) on a host listed in crawler/portals.py, default port)")
        if urls.is_article_url(url):
            given_urls.append(urls.canonical_url(url))
        else:
            skipped.append(url)
    return CrawlArguments(selected, since, until, list(dict.fromkeys(given_urls)), skipped,
                          _flag(args["updates"]), _flag(args["fresh"]))


def mirror_portals(mirror: str | Path) -> list[registry.Portal]:
    """The portals a mirror holds (a folder named after one of their hosts), in the registry's order: a crawl
    of a mirror without ``-a portals`` asks only for these, not for 404s from every other portal."""
    root = Path(str(mirror)).expanduser()
    held = {p.key for d in root.iterdir() if d.is_dir() and (p := registry.portal_for_host(d.name))}
    return [p for p in registry.PORTALS if p.key in held]


def check_settings(settings: BaseSettings) -> None:
    """The settings that name a place, checked before anything is created; raises :class:`SpiderArgumentError`.

    ``TRIBUN_MIRROR`` must be a directory, ``TRIBUN_ORIGIN`` a bare ``http(s)://host[:port]``, and a relative
    ``TRIBUN_STATE_PATH`` may not contain ``..`` (it is taken inside ``TRIBUN_OUTPUT_DIR``; an absolute path
    is the way to keep the state elsewhere).
    """
    mirror = settings.get("TRIBUN_MIRROR")
    if mirror and not Path(str(mirror)).expanduser().is_dir():
        raise SpiderArgumentError(f"TRIBUN_MIRROR={str(mirror)!r} is not a directory (a wget --mirror tree)")
    origin = settings.get("TRIBUN_ORIGIN")
    if origin:
        try:
            safety.check_origin(origin)
        except safety.UnsafePathError as exc:
            raise SpiderArgumentError(str(exc)) from None
    parquet = [str(uri) for uri, options in settings.getdict("FEEDS").items()
               if (options or {}).get("format") == "parquet"]
    if (settings.getbool("TRIBUN_PARQUET") or parquet) and pyarrow_missing():
        what = "TRIBUN_PARQUET=1" if settings.getbool("TRIBUN_PARQUET") else f"the Parquet feed {parquet[0]}"
        raise SpiderArgumentError(f"{what} needs pyarrow, which is not installed: {PARQUET_INSTALL_HINT}")
    state = settings.get("TRIBUN_STATE_PATH")
    if state:
        path = Path(os.path.expanduser(str(state)))
        if not path.is_absolute() and ".." in path.parts:
            raise SpiderArgumentError(f"TRIBUN_STATE_PATH={str(state)!r}: a relative path is taken inside "
                                      "TRIBUN_OUTPUT_DIR and may not contain '..'; give an absolute path instead")


def check_command_line(settings: BaseSettings, spidercls: type, spargs: Mapping[str, Any]) -> None:
    """What ``scrapy crawl`` checks before it creates anything: the settings above, and the spider arguments
    when the spider has rules for them (a ``check_arguments`` static method, as the tribun spider has)."""
    check_settings(settings)
    checker = getattr(spidercls, "check_arguments", None)
    if checker is not None:
        checker(spargs)
