"""Indonesian and ISO date strings → aware datetimes in the portal's zone, and the published/modified rules.

Our own parser rather than dateparser: dateparser's ``id`` locale reads ``24h`` as 24 *days* (``h`` =
*hari*) and is far too slow for thousands of pages. Every pattern is compiled once at import.

Decisions (tests pin each one):

* Day-first numeric dates (``6/5/2025`` is 6 May), as dateparser's ``id`` locale (``date_order: DMY``).
* Single-letter units are the English ticker labels: ``24h`` = 24 hours, ``5m`` = 5 minutes, ``2d`` = 2
  days, ``j`` = *jam*. dateparser's ``id`` data reads ``h`` as *hari*; we deliberately differ.
* A year-less date (``Rabu (5/11)``) takes the latest year that does not put it in the future.
* Results are expressed in the portal's zone: ``20:10 WITA`` on a WIB portal is ``19:10+07:00``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from crawler.normalise.text import strip_tags
from crawler.portals import WIB, WIT, WITA
from crawler.urls import date_from_url

__all__ = ["parse_date", "parse_http_date", "resolve_modified", "resolve_published", "to_iso"]

CLOCK_SKEW = timedelta(minutes=15)
EARLIEST = (1995, 1, 1)  # before the Indonesian web: a date this old is a parsing accident
_MAX_INPUT = 300

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("januari", "january", "jan"),
    2: ("februari", "pebruari", "february", "febr", "feb", "peb"),
    3: ("maret", "march", "mar", "mac"),
    4: ("april", "apr"),
    5: ("mei", "may"),
    6: ("juni", "june", "jun"),
    7: ("juli", "july", "jul"),
    8: ("agustus", "august", "ogos", "agus", "agu", "agt", "ags", "aug"),
    9: ("september", "sept", "sep"),
    10: ("oktober", "october", "okt", "oct"),
    11: ("november", "nopember", "nov", "nop"),
    12: ("desember", "december", "disember", "des", "dec", "dis"),
}
_MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ZONES = {"wib": WIB, "wita": WITA, "wit": WIT}

# Labels in front of a date: `Tayang:`, `Diperbarui:`, `Published:` …
_LABEL = re.compile(
    r"^(?:tayang|diperbarui|dipublikasikan|diterbitkan|terbit|diunggah|diposting|dibuat|published|updated|"
    r"update|posted|modified|waktu|tanggal|tgl|date|publish\s*date|last\s*modified)\s*[:.]?\s*"
)
# A second date introduced by an update label belongs to modified_at, not to this value.
_LATER_LABEL = re.compile(r"\s(?:\|\s*)?(?:diperbarui|updated?|modified)\b\s*:?")
_MODIFIED_LABEL = re.compile(r"(?:diperbarui|updated?|modified)\b\s*:?\s*", re.I)

_ISO = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:(?:t|\s+)(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"(?!\d)\s*(?P<off>z(?![a-z])|[+-]\d{2}(?::?\d{2})?(?!\d))?"
)
_TEXT_DMY = re.compile(
    rf"(?<![\d])(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s*[-/ .]?\s*(?P<mon>{_MONTH_RE})(?![a-z])\.?"
    r"(?:\s*[-/,.]?\s*(?P<y>\d{4})(?!\d))?"
)
_TEXT_MDY = re.compile(
    rf"(?<![a-z])(?P<mon>{_MONTH_RE})(?![a-z])\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)"
)
_NUM_DMY = re.compile(r"(?<![\d.,/-])(?P<d>[0-3]?\d)(?P<sep>[/.-])(?P<m>[01]?\d)(?P=sep)(?P<y>\d{4})(?!\d)")
_NUM_DMY_SHORT = re.compile(r"(?<![\d.,/-])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>\d{2})(?![\d/])")
_NUM_YMD = re.compile(r"(?<![\d.,/-])(?P<y>\d{4})(?P<sep>[/.-])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?!\d)")
# In-text dates without a year are written in parentheses: `Rabu (5/11)`.
_NUM_DM = re.compile(r"\(\s*(?P<d>[0-3]?\d)/(?P<m>[01]?\d)\s*\)")
# Each pattern with characters of which it needs one to match (its literal separators; () for the month names):
# a text of words (`selasa, 3 november 2015 20:15 wib`) is spared the numeric patterns' scans. Pairs, not a dict
# keyed by pattern: hashing a compiled pattern hashes its whole code, microseconds for the month alternations.
_GUARDED_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (_TEXT_DMY, ()), (_TEXT_MDY, ()), (_NUM_DMY, ("/", ".", "-")), (_NUM_YMD, ("/", ".", "-")),
    (_NUM_DMY_SHORT, ("/",)), (_NUM_DM, ("/",)),
)

_TIME = re.compile(
    r"(?<![\d.:/,])(?P<H>[01]?\d|2[0-3])[:.](?P<M>[0-5]\d)(?:[:.](?P<S>[0-5]\d))?(?!\d|[.:]\d)"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?"
    r"(?:\s*(?P<off>[+-]\d{2}:?\d{2})(?!\d))?"
)
_HOUR_ONLY = re.compile(r"\b(?:pukul|pkl|jam)\.?\s*(?P<H>[01]?\d|2[0-3])(?![\d.:])(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?")
_PERIOD = re.compile(r"\b(?P<p>pagi|siang|sore|petang|malam|dini\s+hari|ptg|pg)\b")
_ZONE = re.compile(r"(?<![a-z])(?P<z>wita|wit|wib)(?![a-z])")
_GMT = re.compile(r"(?<![a-z])(?:gmt|utc)(?:\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?(?![a-z\d])")
# What may surround a bare time (`pukul 20.10 WIB, Senin malam`) for it to count as a time-only value.
_TIME_NOISE = re.compile(
    r"\b(?:pukul|pkl|jam|wib|wita|wit|gmt|utc|pagi|siang|sore|petang|malam|dini|hari|senin|selasa|rabu|kamis|"
    r"jumat|jum'at|sabtu|minggu|ahad)\b|[\s,.()|:-]+"
)

_UNITS = {
    "detik": "seconds", "dtk": "seconds", "second": "seconds", "seconds": "seconds", "sec": "seconds",
    "s": "seconds", "d": "days",
    "menit": "minutes", "mnt": "minutes", "minit": "minutes", "minute": "minutes", "minutes": "minutes",
    "min": "minutes", "mins": "minutes", "m": "minutes",
    "jam": "hours", "j": "hours", "hour": "hours", "hours": "hours", "hr": "hours", "hrs": "hours", "h": "hours",
    "hari": "days", "day": "days", "days": "days",
    "minggu": "weeks", "mgg": "weeks", "pekan": "weeks", "week": "weeks", "weeks": "weeks", "w": "weeks",
    "bulan": "months", "bln": "months", "month": "months", "months": "months",
    "tahun": "years", "thn": "years", "year": "years", "years": "years",
}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_COUNT = r"(?:(?P<n>\d{1,4})\s*|(?P<se>se)|(?P<one>satu|a|an|one)\s+)"
_REL_NOW = re.compile(
    r"^(?:baru\s+saja|barusan|sekarang|saat\s+ini|just\s+now|now|beberapa\s+(?:detik|saat)(?:\s+(?:yang\s+)?lalu)?"
    r"|a\s+few\s+seconds\s+ago)(?![a-z])"
)
_REL_DAY = re.compile(
    r"^(?P<w>kemarin\s+lusa|hari\s+ini|kemarin|besok|lusa|today|yesterday|tomorrow)(?![a-z])(?P<rest>.*)$"
)
_DAY_OFFSETS = {"kemarin lusa": -2, "hari ini": 0, "kemarin": -1, "besok": 1, "lusa": 2,
                "today": 0, "yesterday": -1, "tomorrow": 1}
_REL_AGO = re.compile(rf"^{_COUNT}(?P<unit>{_UNIT_RE})(?![a-z])\s*(?:(?:yang|yg)\s+)?(?:lalu|silam|ago)(?![a-z])")
_REL_IN = re.compile(rf"^(?:dalam|dlm|in)\s+{_COUNT}(?P<unit>{_UNIT_RE})(?![a-z])")
# Ticker labels without `lalu`: `24h`, `5m`, `3 jam` is not one (it needs `lalu`).
_REL_COMPACT = re.compile(r"^(?P<n>\d{1,4})\s?(?P<unit>h|hr|hrs|j|m|min|mins|s|sec|d|w)(?![a-z])")
_REL_LAST = re.compile(
    r"^(?P<unit>minggu|mgg|pekan|bulan|bln|tahun|thn)\s+(?P<dir>lalu|kemarin|depan|berikutnya)(?![a-z])"
)


def _valid_tz(tz: object) -> tzinfo:
    return tz if isinstance(tz, tzinfo) else WIB


def _aware(now: object) -> datetime | None:
    if isinstance(now, datetime) and now.tzinfo is not None and now.utcoffset() is not None:
        return now
    return None


_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})?")


@lru_cache(maxsize=64)
def _offset(text: str) -> tzinfo | None:
    # A handful of offsets (`+07:00`, `+08:00`) recur on every page: each is built once.
    if text in ("z", "Z"):
        return UTC
    match = _OFFSET.fullmatch(text)
    if not match:
        return None
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if match.group(1) == "-" else delta)


def _zone_in(text: str) -> tzinfo | None:
    # Each search needs its literal letters (the patterns are case-sensitive, the text lowered): a text without
    # them is spared the scan.
    match = _ZONE.search(text) if "wi" in text else None
    if match:
        return _ZONES[match.group("z")]
    match = _GMT.search(text) if "gmt" in text or "utc" in text else None
    if match:
        if not match.group("sign"):
            return UTC
        return _offset(f"{match.group('sign')}{int(match.group('h')):02d}:{match.group('m') or '00'}")
    return None


def _apply_period(hour: int, ampm: str | None, period: str | None) -> int:
    if ampm == "p" or period in ("sore", "petang", "ptg"):
        return hour + 12 if 1 <= hour < 12 else hour
    if ampm == "a" or period in ("pagi", "pg") or (period and period.startswith("dini")):
        return 0 if hour == 12 else hour
    if period == "siang":
        return hour + 12 if 1 <= hour <= 5 else hour
    if period == "malam":
        return hour + 12 if 6 <= hour < 12 else hour
    return hour


def _find_time(text: str) -> tuple[time, tzinfo | None] | None:
    match = _TIME.search(text)
    if match:
        period = _PERIOD.search(text, match.end())
        hour = _apply_period(int(match["H"]), match["ampm"], period["p"] if period else None)
        off = _offset(match["off"]) if match["off"] else None
        return time(hour, int(match["M"]), int(match["S"] or 0)), off
    match = _HOUR_ONLY.search(text)
    if match:
        period = _PERIOD.search(text, match.end())
        hour = _apply_period(int(match["H"]), match["ampm"], period["p"] if period else None)
        return time(hour, 0), None
    return None


def _year_less(month: int, day: int, now: datetime | None, tz: tzinfo) -> date | None:
    if now is None:
        return None
    today = now.astimezone(tz).date()
    for year in (today.year, today.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today + timedelta(days=1):
            return candidate
    return None


def _find_date(text: str, now: datetime | None, tz: tzinfo) -> tuple[date, int, int] | None:
    """The earliest valid date in ``text``: (date, match start, match end)."""
    best: tuple[date, int, int] | None = None
    for pattern, needs in _GUARDED_PATTERNS:
        for char in needs:  # a loop, not any() over a generator: that would cost as much as the scan it spares
            if char in text:
                break
        else:
            if needs:
                continue
        best = _earliest_match(pattern, text, now, tz, best)
    return best


def _earliest_match(pattern: re.Pattern[str], text: str, now: datetime | None, tz: tzinfo,
                    best: tuple[date, int, int] | None) -> tuple[date, int, int] | None:
    """The first valid date ``pattern`` finds in ``text`` starting before ``best``'s, else ``best``."""
    for match in pattern.finditer(text):
        if best is not None and match.start() >= best[1]:
            break
        groups = match.groupdict()
        month = _MONTHS[groups["mon"]] if groups.get("mon") else int(groups["m"])
        day = int(groups["d"])
        year_text = groups.get("y")
        try:
            if year_text is None:
                found = _year_less(month, day, now, tz)
            else:
                year = int(year_text)
                found = date(year + 2000 if len(year_text) == 2 else year, month, day)
        except ValueError:
            continue
        if found is not None:
            return found, match.start(), match.end()
    return best


def _relative(text: str, now: datetime | None, tz: tzinfo) -> datetime | bool | None:
    """A relative value resolved against ``now``; False when ``text`` is not relative at all."""
    if _REL_NOW.match(text):
        return now
    day = _REL_DAY.match(text)
    if day:
        if now is None:
            return None
        local = now.astimezone(tz) + timedelta(days=_DAY_OFFSETS[_SPACES.sub(" ", day["w"])])
        found = _find_time(day["rest"])
        if found is None:
            return local
        clock, off = found
        return datetime.combine(local.date(), clock, tzinfo=off or _zone_in(day["rest"]) or tz)
    sign = -1
    match = _REL_AGO.match(text) or _REL_COMPACT.match(text)
    if match is None:
        match = _REL_IN.match(text)
        sign = 1
    if match is not None:
        groups = match.groupdict()
        count = int(groups["n"]) if groups.get("n") else 1
        unit = _UNITS[match["unit"]]
    else:
        last = _REL_LAST.match(text)
        if last is None:
            return False
        count, unit = 1, _UNITS[last["unit"]]
        sign = 1 if last["dir"] in ("depan", "berikutnya") else -1
    if now is None:
        return None
    if unit in ("months", "years"):
        return now + relativedelta(**{unit: sign * count})
    return now + timedelta(**{unit: sign * count})


_SPACES = re.compile(r"\s+")


# The machine-written stamps of JSON-LD, meta tags and the dataLayer (`2020-10-09T13:52:50+07:00`,
# `2020-10-09 13:52:50`), exactly: they are read directly, and what the general reader below would make of them
# is the same datetime (it finds no label, no second date and this one ISO match).
_STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})([+-]\d{2}:\d{2}|Z)?")
# The same stamps in ASCII digits, each digit written as 0: one byte translation and a set lookup tell an ASCII
# string is one, and datetime.fromisoformat reads it in a fraction of the regex, its groups and six int()s. It
# reads an offset past what _offset accepts (`+15:00`, `+07:60`) where the regex path ignores it, so those stay
# with the regex.
_STAMP_SHAPES = frozenset(f"0000-00-00{sep}00:00:00{zone}".encode()
                          for sep in "T " for zone in ("", "Z", "+00:00", "-00:00"))
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")


def _later_label(text: str) -> re.Match[str] | None:
    # Every update label has a `d` (case-sensitive pattern): a text without one (most dates in words) is spared
    # the search.
    return _LATER_LABEL.search(text) if "d" in text else None


def _iso_date(text: str) -> re.Match[str] | None:
    return _ISO.search(text) if "-" in text else None  # an ISO date has its dashes


def _parse_text(raw: str, tz: tzinfo, now: datetime | None) -> datetime | None:
    if (raw.isascii() and raw.encode().translate(_DIGITS_AS_ZERO) in _STAMP_SHAPES
            and (len(raw) != 25 or (raw[20:22] <= "14" and raw[23:25] <= "59"))):
        # An impossible stamp (month 13, 30 February, hour 24) raises ValueError here as datetime() does below.
        found = datetime.fromisoformat(raw)
        return found if found.tzinfo is not None else found.replace(tzinfo=tz)
    stamp = _STAMP.fullmatch(raw)
    if stamp is not None:
        y, mo, d, h, mi, sec, off = stamp.groups()
        zone = _offset(off) if off else None
        return datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec), tzinfo=zone or tz)
    text = strip_tags(raw)
    if not text:
        return None
    text = text[:_MAX_INPUT].lower().replace("’", "'").replace("`", "'")
    while True:
        stripped = _LABEL.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    later = _later_label(text)
    if later:
        text = text[: later.start()]
    text = text.strip(" ,|-")
    if not text:
        return None

    iso = _iso_date(text)
    if iso:
        zone = _offset(iso["off"]) if iso["off"] else _zone_in(text[iso.end():])
        clock = time(int(iso["H"] or 0), int(iso["M"] or 0), int(iso["S"] or 0))
        if iso["H"] is None and (later_clock := _find_time(text[iso.end():])) is not None:
            clock, zone = later_clock[0], later_clock[1] or zone
        naive = datetime(int(iso["y"]), int(iso["m"]), int(iso["d"]), clock.hour, clock.minute, clock.second)
        return naive.replace(tzinfo=zone or tz)

    relative = _relative(text, now, tz)
    if relative is not False:
        return relative if isinstance(relative, datetime) else None

    found = _find_date(text, now, tz)
    if found is not None:
        day, start, end = found
        clock_zone = _find_time(text[end:]) or _find_time(text[:start])
        clock, off = clock_zone if clock_zone else (time(0, 0), None)
        return datetime.combine(day, clock, tzinfo=off or _zone_in(text) or tz)

    # A bare time (`pukul 20.10 WIB`) is today in its zone; it needs `now`.
    clock_zone = _find_time(text)
    if clock_zone is None or now is None:
        return None
    if _TIME_NOISE.sub("", _HOUR_ONLY.sub("", _TIME.sub("", text, count=1), count=1)):
        return None  # other words around the time: not a time-only value
    clock, off = clock_zone
    zone = off or _zone_in(text) or tz
    return datetime.combine(now.astimezone(zone).date(), clock, tzinfo=zone)


def parse_date(value: object, tz: tzinfo, now: datetime | None = None) -> datetime | None:
    """One date value (Indonesian text, ISO, relative) → aware datetime in ``tz``; None when unreadable.
    Naive times take ``tz``; date-only values are 00:00 in ``tz``; relative values need an aware ``now``."""
    return _parse_date(value, _valid_tz(tz), _aware(now))


def _parse_date(value: object, zone: tzinfo, base: datetime | None) -> datetime | None:
    """parse_date with its zone and base already checked (the resolvers check them once for every candidate)."""
    try:
        if type(value) is str:  # the common case first: a str is neither a datetime nor a date
            result = _parse_text(value, zone, base)
        elif isinstance(value, datetime):
            result = value if value.tzinfo is not None and value.utcoffset() is not None else value.replace(tzinfo=zone)
        elif isinstance(value, date):
            result = datetime(value.year, value.month, value.day, tzinfo=zone)
        elif isinstance(value, (str, bytes, bytearray)):
            result = _parse_text(value if isinstance(value, str) else bytes(value).decode("utf-8", "replace"),
                                 zone, base)
        else:
            return None
        return result.astimezone(zone) if result is not None else None
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None  # an impossible date (31/2, year 10000) reads as no date, never as a crashed item


def _pairs(candidates: object) -> list[tuple[str, object]]:
    # A list (what the parsers give) is iterable and neither str nor bytes: the isinstance(…, Iterable) ABC check,
    # several times the cost of the type test, is for other values only.
    if type(candidates) is not list:
        if candidates is None or isinstance(candidates, (str, bytes)):
            return [("", candidates)] if candidates else []
        if not isinstance(candidates, Iterable):
            return []
    out: list[tuple[str, object]] = []
    for item in candidates:
        if isinstance(item, (tuple, list)) and len(item) == 2:
            out.append((str(item[0]), item[1]))
        elif isinstance(item, (str, datetime, date)):
            out.append(("", item))
    return out


@lru_cache(maxsize=64)
def _earliest(tz: tzinfo) -> datetime:
    return datetime(*EARLIEST, tzinfo=tz)


def _now_or_utc(now: object) -> datetime:
    return _aware(now) or datetime.now(UTC)


def resolve_published(candidates: list[tuple[str, str]], url: str | None, tz: tzinfo,
                      now: datetime) -> datetime | None:
    """First candidate (in the parser's precedence order) that parses and is plausible, else the URL's
    ``/yyyy/mm/dd/`` at 00:00; a future (beyond the clock skew) or pre-1995 value counts as unparseable."""
    zone, base = _valid_tz(tz), _now_or_utc(now)
    earliest, latest = _earliest(zone), base + CLOCK_SKEW  # what is plausible, computed once for every candidate
    try:
        for _origin, raw in _pairs(candidates):
            dt = _parse_date(raw, zone, base)
            if dt is not None and earliest <= dt <= latest:
                return dt
        day = date_from_url(url) if isinstance(url, str) and url else None
    except Exception:  # urls.date_from_url on a malformed URL: fall through to "no date"
        return None
    if day is not None:
        dt = datetime(day.year, day.month, day.day, tzinfo=zone)
        if earliest <= dt <= latest:
            return dt
    return None


def resolve_modified(candidates: list[tuple[str, str]], tz: tzinfo, now: datetime) -> datetime | None:
    """Like :func:`resolve_published` without the URL fallback. A raw value holding both dates
    (`5 Januari 2016 18:40 Diperbarui: 11 Januari 2016 17:28`) is read after its update label."""
    zone, base = _valid_tz(tz), _now_or_utc(now)
    earliest, latest = _earliest(zone), base + CLOCK_SKEW
    for _origin, raw in _pairs(candidates):
        # Every update label has a `d` (and no character but `d`/`D` matches one under re.I): a value without
        # one, such as every machine-written stamp, is spared the search.
        if isinstance(raw, str) and ("d" in raw or "D" in raw):
            label = _MODIFIED_LABEL.search(raw)
            if label and label.start() > 0:
                raw = raw[label.end():]
        dt = _parse_date(raw, zone, base)
        if dt is not None and earliest <= dt <= latest:
            return dt
    return None


def to_iso(dt: datetime | None) -> str | None:
    """`2022-03-04T10:25:00+07:00`: seconds always, no microseconds, UTC as `+00:00`. Naive → None (a
    time without a zone is not an instant)."""
    if not isinstance(dt, datetime):
        return None
    offset = dt.utcoffset()
    if offset is None:
        return None
    if offset.seconds % 60 or offset.microseconds:
        dt = dt.astimezone(UTC)  # historic LMT-style offsets with seconds do not fit ±hh:mm
    return dt.isoformat(timespec="seconds")  # which leaves the microseconds out


# IMF-fixdate (`Tue, 25 Nov 2025 00:00:00 GMT`), the form RFC 7231 obliges servers to send: read directly, in a
# fifth of email.utils' time; the obsolete forms go through email.utils below.
_IMF_FIXDATE = re.compile(
    r"\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d\d) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]\d{3}) "
    r"(\d\d):(\d\d):(\d\d) GMT\s*"
)
_HTTP_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


def parse_http_date(value: object) -> datetime | None:
    """An HTTP ``Date`` header (RFC 7231: IMF-fixdate, RFC 850 or asctime; str or bytes) → aware UTC."""
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("latin-1")
    if not isinstance(value, str):
        return None
    return _http_date(value)


@lru_cache(maxsize=64)
def _http_date(value: str) -> datetime | None:
    # Cached: the responses of one second of a crawl carry the same Date header, and a datetime is immutable.
    if not value.strip() or len(value) > 100:
        return None
    fixdate = _IMF_FIXDATE.fullmatch(value)
    if fixdate is not None:
        day, month, year, hour, minute, second = fixdate.groups()
        try:
            return datetime(int(year), _HTTP_MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=UTC)
        except ValueError:  # 31 Feb, hour 24: no date, as email.utils says too
            return None
    try:
        dt = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
