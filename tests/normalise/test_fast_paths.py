"""The shortcuts in the normalisers (ASCII fast paths, skipping a regex that cannot match) give exactly what the
full computation gives. Each reference below is the plain version of the function, written out."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.normalise import credits, dates, people, text
from crawler.portals import WIB

# Text made of the characters the shortcuts test for, so that both sides of each test are exercised.
PIECES = st.sampled_from([
    " ", "  ", "\u00a0", "\t", "\n", "\x01", "\x1c", "\x85", "\u200b", "&amp;", "&amp;amp;", "&#39;", "(", ")",
    "[", "]", "{", "}", "@", ".", "://", "www.", "WWW.", "_", "-", "a", "Z", "9", "é", "e\u0301", "ß", "İ",
    "Penulis", "(das/fdl)", "[dni]", "(*)", "(AS)", "x@y.z", "@handle", "https://x.id/a", "Kompas.com",
    ":", " : ", "Editor", "editor", "EDITOR", "Pewarta Foto", "Laporan Wartawan", "Artikel ini tayang di", "Oleh",
    "by", "Sumber", "\u017fumber", "\u212aontributor", "Subeditor", "Iwan", "–", "—", "“", "”", "‘", "’", "\u0301",
    "…", "\uff21",
])
TEXT = st.lists(PIECES, max_size=14).map("".join) | st.text(max_size=40)


def _fingerprint_reference(body: str) -> str:
    body = text._unescape(body) if "&" in body else body
    folded = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", body).casefold())
    return hashlib.blake2b(folded.encode("utf-8", errors="surrogatepass"), digest_size=16).hexdigest()


def _normalise_text_reference(value: str) -> str | None:
    value = text._unescape(value)
    value = text._CONTROL.sub("", value)
    if not value.isascii():
        value = text._ZERO_WIDTH_DELETE.sub("", value)
        value = text._ZERO_WIDTH_BREAK.sub(" ", value)
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split()) or None


def _strip_trailing_code_reference(value: str) -> str:
    while True:
        stripped = text._CODE_ANYWHERE.sub("", text._CODE_AFTER_SENTENCE.sub("", value)).rstrip()
        if stripped == value:
            return value
        value = stripped


# _LABEL without its leading lookahead: the lookahead only skips start positions no branch can match at.
_LABEL_REFERENCE = re.compile(people._LABEL.pattern[people._LABEL.pattern.index("(?:(?P<colon>"):],
                              people._LABEL.flags)


def _label_matches(pattern: re.Pattern[str], value: str) -> list[tuple[int, int, dict[str, str | None]]]:
    return [(m.start(), m.end(), m.groupdict()) for m in pattern.finditer(value)]


def _strip_noise_reference(value: str) -> str:
    value = people._HANDLE.sub(" ", people._URL.sub(" ", people._EMAIL.sub(" ", value)))
    while True:
        stripped = people._BRACKETED.sub(" ", value)
        if stripped == value:
            return value
        value = stripped


@settings(max_examples=600)
@given(TEXT)
def test_fingerprint(value: str) -> None:
    assert text.fingerprint(value) == _fingerprint_reference(value)


@settings(max_examples=600)
@given(TEXT)
def test_normalise_text(value: str) -> None:
    assert text.normalise_text(value) == _normalise_text_reference(value)


@settings(max_examples=600)
@given(TEXT)
def test_strip_trailing_code(value: str) -> None:
    assert text.strip_trailing_code(value) == _strip_trailing_code_reference(value)


@settings(max_examples=600)
@given(TEXT)
def test_strip_noise(value: str) -> None:
    assert people._strip_noise(value) == _strip_noise_reference(value)


@settings(max_examples=600)
@given(TEXT)
def test_label_lookahead(value: str) -> None:
    assert _label_matches(people._LABEL, value) == _label_matches(_LABEL_REFERENCE, value)


def test_examples() -> None:
    assert text.fingerprint("Harga Cabai, naik!") == _fingerprint_reference("Harga Cabai, naik!")
    assert text.fingerprint("Kafé") == _fingerprint_reference("Kafé")
    assert text.normalise_text("already clean") == "already clean"
    assert text.normalise_text(" a  b ") == "a b"
    assert text.normalise_text(html.escape("a & b")) == "a & b"
    assert text.strip_trailing_code("Selesai. (das/fdl)  ") == "Selesai."
    assert text.strip_trailing_code("Amerika Serikat (AS)") == "Amerika Serikat (AS)"
    assert text.strip_trailing_code("tanpa kode  ") == "tanpa kode"
    assert people._strip_noise("Iwan (ist) iwan@x.id") == _strip_noise_reference("Iwan (ist) iwan@x.id")


# Machine-written stamps, valid or not (month 13, 30 February, hour 24, offsets past ±14:59), with the separators
# and zones JSON-LD, meta tags and the dataLayer use.
STAMPS = st.builds(
    "{:04d}-{:02d}-{:02d}{}{:02d}:{:02d}:{:02d}{}".format,
    st.integers(1990, 2099), st.integers(0, 13), st.integers(0, 32), st.sampled_from(["T", " "]),
    st.integers(0, 25), st.integers(0, 60), st.integers(0, 60),
    st.sampled_from(["", "Z", "+07:00", "+08:00", "-03:30", "+14:59", "+15:00", "+07:60", "+00:00"]),
)


@settings(max_examples=600)
@given(STAMPS)
def test_stamp_read_directly_as_the_general_reader_reads_it(value: str) -> None:
    # A leading space keeps the stamp off the direct path; the general reader strips it.
    assert dates.parse_date(value, WIB) == dates.parse_date(" " + value, WIB)


def test_stamp_examples() -> None:
    wib = timezone(timedelta(hours=7))
    assert dates.parse_date("2020-10-09T13:52:50+07:00", WIB) == datetime(2020, 10, 9, 13, 52, 50, tzinfo=wib)
    # No zone: the portal's; Z: UTC, 06:52:50 UTC being 13:52:50 in Jakarta.
    assert dates.parse_date("2020-10-09 13:52:50", WIB) == datetime(2020, 10, 9, 13, 52, 50, tzinfo=wib)
    assert dates.parse_date("2020-10-09T06:52:50Z", WIB) == datetime(2020, 10, 9, 13, 52, 50, tzinfo=wib)
    assert dates.parse_date("2020-02-30T13:52:50+07:00", WIB) is None


def test_roles_of_is_the_table_whatever_the_spelling() -> None:
    assert credits.roles_of("Penulis / Editor") == credits.roles_of("penulis/editor") != ()
    assert credits.roles_of("Editor") == credits.roles_of("EDITOR") == (credits.EDITOR,)
    assert credits.roles_of("Cuaca") == ()


def _http_date_reference(value: str) -> datetime | None:
    try:
        dt = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


# IMF-fixdate headers, valid or not (31 February, hour 24, second 60, years email.utils reads as two-digit), and
# the same instants in the obsolete forms and with an offset, which take the general path.
HTTP_DATES = st.builds(
    "{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} {}".format,
    st.sampled_from(["Tue", "Sun", "Xyz"]), st.integers(0, 32),
    st.sampled_from(["Jan", "Feb", "Nov", "Dec", "Foo"]), st.sampled_from([1, 69, 99, 1995, 2025, 9999]),
    st.integers(0, 25), st.integers(0, 60), st.integers(0, 61), st.sampled_from(["GMT", "+0700", "UTC", "gmt"]),
) | st.builds("{} {}".format, st.sampled_from(["", " "]), st.sampled_from(
    ["Tuesday, 25-Nov-25 00:00:00 GMT", "Tue Nov 25 00:00:00 2025", "Tue, 25 Nov 2025 00:00:00 GMT  "]))


@settings(max_examples=600)
@given(HTTP_DATES)
def test_http_date_read_directly_as_email_utils_reads_it(value: str) -> None:
    got, want = dates.parse_http_date(value), _http_date_reference(value)
    assert got == want and (got is None or got.tzinfo is UTC)


def test_http_date_examples() -> None:
    assert dates.parse_http_date("Tue, 25 Nov 2025 07:30:00 GMT") == datetime(2025, 11, 25, 7, 30, tzinfo=UTC)
    assert dates.parse_http_date("Tue, 31 Feb 2025 07:30:00 GMT") is None
    # email.utils reads a year below 100 as two-digit: 0001 is 2001.
    assert dates.parse_http_date("Mon, 01 Jan 0001 00:00:00 GMT") == datetime(2001, 1, 1, tzinfo=UTC)


def _clean_title_reference(value: str, brand: str | None) -> str | None:
    # clean_title without its shortcuts: the title normalised once more, the suffix search always run.
    title = text.normalise_text(text.strip_tags(value))
    return None if title is None else text._strip_title_suffixes(title, brand)


TITLE_PIECES = st.sampled_from([
    "Harga Cabai", " ", "  ", "-", " - ", " -- ", " – ", " — ", " | ", " : ", " · ", " • ", "Bangkapos.com",
    "Tribunnews.com", "Halaman all", "Bangka Pos", "Tribun Medan", "x.co.id", "\u00a0-\u00a0", "&amp;", "–",
])


@settings(max_examples=600)
@given(st.lists(TITLE_PIECES, max_size=10).map("".join), st.sampled_from([None, "Bangka Pos", "Tribun Medan"]))
def test_clean_title_without_a_separator_skips_the_search(value: str, brand: str | None) -> None:
    assert text.clean_title(value, brand) == _clean_title_reference(value, brand)


def _resolve_modified_reference(candidates: list[tuple[str, str]], now: datetime) -> datetime | None:
    for _origin, raw in candidates:
        label = dates._MODIFIED_LABEL.search(raw)
        if label and label.start() > 0:
            raw = raw[label.end():]
        dt = dates.parse_date(raw, WIB, now)
        if dt is not None and datetime(1995, 1, 1, tzinfo=WIB) <= dt <= now + timedelta(minutes=15):
            return dt
    return None


# Values with and without an update label, in any case, around dates the reader knows.
MODIFIED_PIECES = st.sampled_from([
    "5 Januari 2016 18:40", " ", "Diperbarui:", "diperbarui", "DIPERBARUI :", "Updated", "update:", "Modified",
    "MODIFIED:", "11 Januari 2016 17:28", "2016-01-11T17:28:00+07:00", "2016-01-11 17:28:00", "WIB", "|", "Dipe",
    "3 jam lalu", "x",
])


@settings(max_examples=600)
@given(st.lists(st.lists(MODIFIED_PIECES, max_size=6).map("".join), max_size=3))
def test_resolve_modified_skips_the_label_search_only_where_it_cannot_match(values: list[str]) -> None:
    now = datetime(2025, 11, 25, tzinfo=UTC)
    candidates = [("visible", value) for value in values]
    assert dates.resolve_modified(candidates, WIB, now) == _resolve_modified_reference(candidates, now)



FOOTER_PIECES = st.sampled_from([
    "Artikel ini telah tayang di", "ARTIKEL INI TAYANG DI", "artikel  ini\ttelah\ntayang di", "TaYaNg", "tayang",
    "Artikel ini", " ", "di", "Kompas.com", "\u0130", "\u0131", "\u212a", "\u017f", "x", "dengan judul",
])


@settings(max_examples=600)
@given(st.lists(FOOTER_PIECES, max_size=8).map("".join) | st.text(max_size=40))
def test_footer_search_skipped_only_where_it_cannot_match(value: str) -> None:
    found, want = text._find_footer(value), text._FOOTER.search(value)
    assert (found and found.span()) == (want and want.span())


PARAGRAPHS = st.lists(TEXT | st.sampled_from([
    "TRIBUNNEWS.COM, JAKARTA - Presiden  berkata.", "Laporan Wartawan Tribun Medan, Jefri Susetio", "Editor: X",
    "Selesai. (das/fdl)", "Artikel ini telah tayang di Kompas.com dengan judul Y", "(*)",
]), max_size=8)


def _body_reference(paragraphs: list[str]) -> str:
    out: list[str] = []
    for item in paragraphs:
        value = text.normalise_text(item)
        if value and (not out or out[-1] != value):
            out.append(value)
    return "\n\n".join(out)


@settings(max_examples=600)
@given(PARAGRAPHS)
def test_body_skips_only_paragraphs_normalise_text_gave(raw: list[str]) -> None:
    normalised = [t for t in map(text.normalise_text, raw) if t]
    paragraphs = [*raw, *normalised, *raw]
    assert text._body_from_paragraphs(paragraphs, normalised) == _body_reference(paragraphs)
    assert text.body_from_paragraphs(paragraphs) == _body_reference(paragraphs)


@settings(max_examples=600)
@given(PARAGRAPHS)
def test_article_text_is_the_public_steps_in_order(raw: list[str]) -> None:
    # The reference normalises every paragraph again where article_text skips the ones the split normalised.
    paragraphs, credit_lines, source_lines = text.split_credit_paragraphs(list(raw))
    place = None
    if paragraphs:
        place, first = text.split_dateline(paragraphs[0])
        paragraphs = [first, *paragraphs[1:]] if first else paragraphs[1:]
    expected = (_body_reference(paragraphs), place, credit_lines, source_lines)
    assert text.article_text(list(raw)) == expected
    assert text.body_from_paragraphs(paragraphs) == expected[0]


def _find_date_reference(value: str, now: datetime, tz: timezone) -> object:
    # _find_date without its guards: every pattern searched.
    best = None
    for pattern, _needs in dates._GUARDED_PATTERNS:
        best = dates._earliest_match(pattern, value, now, tz, best)
    return best


DATE_PIECES = st.sampled_from([
    "3", "11", "05", "2015", "24", "/", ".", "-", ",", " ", "(", ")", "(5/11)", "november", "nov", "rabu", "20:15",
    "wib", "3 november 2015", "2015-11-03", "3/11/15", "x", "3.11.2015", "3-11-2015", "03/11/2015", "2015.11.3",
    "2015/11/3",
])


@settings(max_examples=800)
@given(st.lists(DATE_PIECES, max_size=10).map("".join))
def test_find_date_skips_only_patterns_that_cannot_match(value: str) -> None:
    now = datetime(2025, 11, 25, tzinfo=UTC)
    assert dates._find_date(value, now, WIB) == _find_date_reference(value, now, WIB)


def _flatten_reference(value: object, depth: int = 0) -> list[object]:
    if value is None or depth > 5:
        return []
    if isinstance(value, (str, bytes, bytearray)):
        return [value]
    if isinstance(value, dict):
        return [people._dict_name(value)]
    if isinstance(value, Iterable):
        out: list[object] = []
        for item in value:
            out.extend(_flatten_reference(item, depth + 1))
        return out
    return []


NAMES = st.recursive(
    st.sampled_from(["Budi", "", b"Siti", None, 7, {"name": "Iwan"}, {"givenName": "A", "familyName": "B"}]),
    lambda children: st.lists(children, max_size=3) | st.lists(children, max_size=3).map(tuple),
    max_leaves=12,
)


@settings(max_examples=600)
@given(NAMES)
def test_flatten_of_lists_as_the_general_walk(value: object) -> None:
    assert people._flatten(value) == _flatten_reference(value)


def test_flatten_depth_limit() -> None:
    # The outer list is depth 0: `five` sits at depth 5, the deepest read; `six` at depth 6 is dropped.
    value = [[[[["five"]]]], [[[[["six"]]]]]]
    assert people._flatten(value) == _flatten_reference(value) == ["five"]


def _zone_in_reference(value: str) -> object:
    match = dates._ZONE.search(value)
    if match:
        return dates._ZONES[match.group("z")]
    match = dates._GMT.search(value)
    if match:
        if not match.group("sign"):
            return UTC
        return dates._offset(f"{match.group('sign')}{int(match.group('h')):02d}:{match.group('m') or '00'}")
    return None


# Lowered date texts, as _parse_text hands them over, with the letters and signs each search needs.
LOWER_DATE_PIECES = st.sampled_from([
    "selasa, 3 november 2015 20:15", " ", "wib", "wita", "wit", "wi", "gmt", "gmt+7", "utc", "utc-03:30", "ut",
    "2024-05-14", "2024-05-14t07:15", "-", "diperbarui:", "updated", "update", "modified", "| diperbarui", "d",
    "rabu (5/11)", "pukul 10.00", "x", " update", " updated:", "2024-11-14", "2024-12-25 10:00",
])


@settings(max_examples=800)
@given(st.lists(LOWER_DATE_PIECES, max_size=8).map("".join))
def test_date_searches_skipped_only_where_they_cannot_match(value: str) -> None:
    assert dates._zone_in(value) == _zone_in_reference(value)
    for guarded, pattern in ((dates._later_label, dates._LATER_LABEL), (dates._iso_date, dates._ISO)):
        found, want = guarded(value), pattern.search(value)
        assert (found and found.span()) == (want and want.span())
