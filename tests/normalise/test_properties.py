"""Hypothesis properties: every public normaliser is total (any input → a valid value, never an exception) and
idempotent (normalising a normalised value changes nothing)."""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.normalise.dates import parse_date, parse_http_date, resolve_modified, resolve_published, to_iso
from crawler.normalise.people import Credits, clean_name, parse_credit_line, resolve_people
from crawler.normalise.source import normalise_outlet, parse_source
from crawler.normalise.text import (
    body_from_paragraphs,
    clean_title,
    fingerprint,
    normalise_text,
    split_credit_paragraphs,
    split_dateline,
)
from crawler.portals import WIB, WIT, WITA

# NORMALISE_HYPOTHESIS=deep runs 20x more examples (for a one-off soak, not CI).
settings.register_profile("normalise", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=6000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile("deep" if os.environ.get("NORMALISE_HYPOTHESIS") == "deep" else "normalise")

# Text that looks like what pages contain: credit words, outlets, dates, dashes, entities, odd whitespace.
_VOCAB = st.sampled_from([
    "Penulis", "Editor", "Reporter", "Pewarta", "Kontributor", "Sumber", "Laporan Wartawan", "Laporan Reporter",
    ":", " : ", "|", " / ", "/", ",", " - ", "–", "--", "(das/fdl)", "[dni]", "(*)", "Tribunnews.com",
    "TRIBUNNEWS.COM", "Tribun Medan", "TribunJakarta.com", "BANGKAPOS.COM", "JAKARTA", "Kompas.com",
    "intisari-online", "via", "24h", "3 jam lalu", "kemarin", "Senin", "5 Mei 2025", "6/5/2025", "20.10", "WIB",
    "WITA", "Pukul", "Jum'at", "Agu", "2025-05-05T20:10:00+07:00", "Artikel ini telah tayang di", "dengan judul",
    "https://www.tribunnews.com/nasional/2020/03/27/slug?page=2", "&amp;", "&nbsp;", "&quot;", "\u00a0", "\u200b",
    "\u00ad", "\n", "\t", " ", "iwan", "Arifianto", "CC", "HANANG", "Yuwono", "dan", "Halaman all", "@", ".",
    "e\u0301", "<b>", "</a>", "Rp", "1945", "0", "99", "dalam",
])
page_text = st.lists(st.one_of(_VOCAB, st.text(max_size=6)), max_size=14).map("".join)
any_text = st.one_of(page_text, st.text(max_size=80))
odd = st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.binary(max_size=30),
                st.lists(st.text(max_size=10), max_size=3), st.dictionaries(st.text(max_size=5), st.text(max_size=5),
                                                                          max_size=2))
anything = st.one_of(any_text, odd)
zones = st.sampled_from([WIB, WITA, WIT, UTC, timezone(timedelta(hours=-5))])
nows = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))

ISO_PATTERN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


# --- text -----------------------------------------------------------------------------------------------

@given(anything)
def test_normalise_text_total_and_idempotent(value):
    result = normalise_text(value)
    assert result is None or isinstance(result, str)
    if result is not None:
        assert result == result.strip() and "  " not in result and "\n" not in result and "\u00a0" not in result
        assert unicodedata.is_normalized("NFC", result)
        assert normalise_text(result) == result


@given(anything, st.one_of(st.none(), any_text, odd))
def test_clean_title_total_and_idempotent(value, brand):
    result = clean_title(value, brand)
    assert result is None or (isinstance(result, str) and result)
    if result is not None:
        assert clean_title(result, brand) == result


@given(anything)
def test_split_dateline_total_and_idempotent(value):
    place, rest = split_dateline(value)
    assert place is None or (isinstance(place, str) and place == place.upper() and place)
    assert rest is None or isinstance(rest, str)
    if rest is not None and place is not None:
        assert split_dateline(rest) == (None, rest)


@given(st.one_of(st.lists(st.one_of(any_text, st.none()), max_size=6), anything))
def test_body_from_paragraphs_total_and_idempotent(value):
    body = body_from_paragraphs(value)
    assert isinstance(body, str)
    assert body_from_paragraphs(body) == body
    assert body_from_paragraphs(body.split("\n\n")) == body


@given(st.one_of(st.lists(any_text, max_size=6), anything))
def test_split_credit_paragraphs_total_and_idempotent(value):
    body, credits, sources = split_credit_paragraphs(value)
    assert all(isinstance(p, str) and p for p in body + credits + sources)
    assert split_credit_paragraphs(body) == (body, [], [])


@given(anything)
def test_fingerprint_total_and_stable_under_normalisation(value):
    result = fingerprint(value)
    assert re.fullmatch(r"[0-9a-f]{32}", result)
    if isinstance(value, str):
        assert fingerprint(normalise_text(value) or "") == result
        assert fingerprint(value.replace(" ", "\n\n")) == result


@given(st.lists(st.text(alphabet="abcdefghij XYZ", max_size=15), max_size=5))
def test_fingerprint_ignores_case_and_spacing(words):
    text = " ".join(words)
    assert fingerprint(text.upper()) == fingerprint("\n\n".join(w.lower() for w in words))


# --- people ---------------------------------------------------------------------------------------------

@given(st.one_of(anything, st.fixed_dictionaries({"name": any_text})))
def test_clean_name_total_and_idempotent(value):
    name = clean_name(value)
    assert name is None or (isinstance(name, str) and name and name == name.strip())
    if name is not None:
        assert clean_name(name) == name


@given(anything)
def test_parse_credit_line_total_and_reparseable(value):
    credits = parse_credit_line(value)
    assert isinstance(credits, Credits)
    for name in credits.authors:
        assert parse_credit_line(f"Penulis: {name}") == Credits([name], [], [])
    for name in credits.editors:
        assert parse_credit_line(f"Editor: {name}") == Credits([], [name], [])
    for role in (credits.authors, credits.editors, credits.photographers):
        assert len({n.casefold() for n in role}) == len(role)
        assert all(clean_name(n) == n for n in role)


@given(st.one_of(st.lists(any_text, max_size=4), anything), st.one_of(st.lists(any_text, max_size=3), anything),
       st.one_of(st.lists(any_text, max_size=3), anything))
def test_resolve_people_total_and_idempotent(lines, structured_authors, structured_editors):
    authors, editors = resolve_people(lines, structured_authors, structured_editors)
    assert all(isinstance(n, str) and n for n in authors + editors)
    rendered = [f"Penulis: {', '.join(authors)}" if authors else "", f"Editor: {', '.join(editors)}" if editors else ""]
    assert resolve_people(rendered, [], []) == (authors, editors)


# --- source ---------------------------------------------------------------------------------------------

@given(anything)
def test_normalise_outlet_total_and_idempotent(value):
    outlet = normalise_outlet(value)
    assert outlet is None or (isinstance(outlet, str) and outlet)
    if outlet is not None:
        assert normalise_outlet(outlet) == outlet


@given(st.one_of(st.lists(any_text, max_size=4), anything), st.one_of(st.none(), any_text, odd))
def test_parse_source_total_and_idempotent(lines, structured):
    source, url = parse_source(lines, structured)
    assert source is None or (isinstance(source, str) and source)
    assert url is None or url.startswith(("http://", "https://"))
    if source is not None:
        assert parse_source([f"Sumber: {source}"])[0] == source


# --- dates ----------------------------------------------------------------------------------------------

@given(anything, zones, st.one_of(st.none(), nows))
def test_parse_date_total_and_idempotent(value, tz, now):
    dt = parse_date(value, tz, now)
    assert dt is None or (isinstance(dt, datetime) and dt.utcoffset() == tz.utcoffset(dt))
    if dt is not None:
        text = to_iso(dt)
        if text is not None:
            assert ISO_PATTERN.match(text)
            again = parse_date(text, tz, now)
            assert again == dt.replace(microsecond=0)
            assert to_iso(again) == text


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9998, 1, 1), timezones=zones))
def test_iso_round_trip(dt):
    text = to_iso(dt)
    assert ISO_PATTERN.match(text)
    assert parse_date(text, dt.tzinfo) == dt.replace(microsecond=0)


@given(st.lists(st.tuples(st.sampled_from(["jsonld", "meta", "datalayer", "visible", "relative"]), anything),
                max_size=4), st.one_of(st.none(), any_text), zones, nows)
def test_resolve_dates_total_and_plausible(candidates, url, tz, now):
    for dt in (resolve_published(candidates, url, tz, now), resolve_modified(candidates, tz, now)):
        assert dt is None or datetime(1995, 1, 1, tzinfo=tz) <= dt <= now + timedelta(minutes=15)
        if dt is not None:
            assert resolve_published([("jsonld", to_iso(dt))], None, tz, now) == dt.replace(microsecond=0)


@given(anything)
def test_to_iso_total(value):
    result = to_iso(value)
    assert result is None or ISO_PATTERN.match(result)


@given(st.one_of(anything, st.datetimes(min_value=datetime(1900, 1, 1), timezones=st.just(UTC))
                 .map(lambda d: format_datetime(d, usegmt=True))))
def test_parse_http_date_total_and_round_trip(value):
    dt = parse_http_date(value)
    assert dt is None or dt.utcoffset() == timedelta(0)
    if dt is not None:
        assert parse_http_date(format_datetime(dt, usegmt=True)) == dt
