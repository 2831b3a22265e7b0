"""Shortcuts that spare a regex or a generator (a test of what a match needs, a C string method for a character
loop) give what the plain computation gives. The patterns themselves are the specification: each test runs the
production pattern on the same generated text."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from hypothesis import example, given, settings
from hypothesis import strategies as st

from crawler import urls
from crawler.normalise import people, source, text
from crawler.portals import portal_for_host

# Pieces with the characters and words the shortcuts test for, the non-ASCII letters IGNORECASE takes for ASCII
# ones (Kelvin sign, long s, dotted and dotless i), and whitespace other than the space.
PIECES = st.sampled_from([
    " ", "  ", "\u00a0", "\t", "\n", "\x1c", "\x85", "\u2028", "\u3000", ".", ",", ";", "|", "/", "&", "+", "-",
    "'", "’", "–", "_", "9", "\u0663", "²", "@", "(", ")", "://", "http://", "HTTPS://", "www.", "WWW.", ":", "a",
    "Z", "é", "e\u0301", "ß", "İ", "ı", "\u212a", "\u017f", "ǅ", "Andini", "Pratiwi", "Khamelia Putri", "dan",
    "DAN", "and", "And", " dan ", " AND ", "Wardani", "Tribun", "TRIBUN", "tribun", "Tr\u0131bun", "Tribun Medan",
    "tribunnews.com", "Kompas.com", "kompas", "Laporan", "LAPORAN", "laporan", "Artikel", "art\u0131kel",
    "art\u0130kel", " ini tayang di", "Artikel ini tayang di", "art\u0131kel ini tayang di", "Laporan Reporter",
    "Laporan Wartawan", "Penulis", "PENULIS", "Editor", "editor",
    "Oleh", "oleh", "By", "by", "Written by", "Pewarta Foto", "Reporter", "\u212aontributor", "\u017fumber",
    "Redaktur", "Fotografer", "Video", "Produser", "Sumber", "S.H.", "Muh.", "Iwan S.", "x", "ab",
])
TEXT = st.lists(PIECES, max_size=10).map("".join) | st.text(max_size=30)


@settings(max_examples=1500)
@given(TEXT)
def test_alnum_only_is_the_substitution(value: str) -> None:
    assert source._alnum_only(value) == source._NON_ALNUM.sub("", value)
    folded = value.strip().casefold()
    assert source._alnum_only(folded) == source._NON_ALNUM.sub("", folded)


@settings(max_examples=1000)
@given(TEXT)
def test_has_scheme_is_the_match(value: str) -> None:
    assert source._has_scheme(value) == (source._SCHEME.match(value) is not None)


@settings(max_examples=1000)
@given(TEXT)
def test_dotted_needs_its_dot(value: str) -> None:
    if source._DOTTED.fullmatch(value):
        assert "." in value


OUTLET_WORDS = st.lists(st.sampled_from([
    "Andini", "Pratiwi", "Kompas", "KOMPAS", "kompas", "Bangka", "Pos", "Tribun", "Medan", "Surya", "Antara", "News",
    "Tribunnews", "com", "Serambi", "Indonesia", "Detik", "AFP", "AP", "www", "Wiki", "x", "İ", "\u212a",
]), min_size=1, max_size=4)
OUTLET_TEXTS = st.tuples(st.sampled_from(["", " ", "  "]), OUTLET_WORDS,
                         st.sampled_from([" ", "  ", ".", "-", "\u00a0", "://", ""]),
                         st.sampled_from(["", " ", ".com", "&amp;"])).map(
    lambda parts: parts[0] + parts[2].join(parts[1]) + parts[3])


@settings(max_examples=2000)
@given(OUTLET_TEXTS | TEXT)
@example("Kompas")
@example("Bangka Pos")
@example("a" * 201)
def test_known_outlet_of_plain_words_is_the_general_reading(value: str) -> None:
    assert source.known_outlet(value) == source._known_outlet_of_any(value)


@settings(max_examples=1000)
@given(TEXT)
def test_is_outlet_guards_skip_only_what_cannot_match(value: str) -> None:
    if people._DOMAIN_TOKEN.match(value):
        assert "." in value
    if not people._may_be_tribun(value):
        assert people._TRIBUN_DESK.match(value) is None


@settings(max_examples=1500)
@given(TEXT)
def test_role_prefix_skipped_only_where_it_cannot_match(value: str) -> None:
    if not people._may_start_with(value, people._ROLE_PREFIX_HEADS):
        assert people._ROLE_PREFIX.sub("", value, count=1) == value


@settings(max_examples=1500)
@given(TEXT)
def test_mid_label_skipped_only_where_it_cannot_match(value: str) -> None:
    if not people._may_hold_mid_label(value):
        assert people._MID_REPORTER_LABEL.split(value, maxsplit=1) == [value]


@settings(max_examples=1500)
@given(TEXT)
def test_split_names_is_the_split(value: str) -> None:
    assert people._split_names(value) == people._NAME_SPLIT.split(value)


@settings(max_examples=1000)
@given(TEXT)
def test_letters_and_spaces_have_no_character_to_replace(value: str) -> None:
    if people._letters_and_spaces(value):
        assert people._NOT_NAME_CHAR.sub(" ", value) == value


@settings(max_examples=1000)
@given(TEXT)
def test_whitespace_collapse_without_the_regex(value: str) -> None:
    assert " ".join(value.split()) == people._SPACES.sub(" ", value).strip()
    assert people._strip_edges(" ".join(value.split())) == people._strip_edges(people._SPACES.sub(" ", value))


@settings(max_examples=1000)
@given(TEXT)
def test_junk_key_without_the_regex(value: str) -> None:
    expected = people._SPACES.sub(" ", re.sub(r"[.'’\-]", " ", value)).strip().casefold()
    assert people._junk_key(value) == expected


@settings(max_examples=1000)
@given(TEXT)
def test_has_two_letters_counts_them(value: str) -> None:
    assert people._has_two_letters(value) == (sum(ch.isalpha() for ch in value) >= 2)


@settings(max_examples=1000)
@given(TEXT)
def test_cases_as_the_character_loop(value: str) -> None:
    assert people._cases(value) == people._cases_by_character(value)


def test_examples() -> None:
    assert people.clean_name("Penulis: iwan Arifianto") == "Iwan Arifianto"
    assert people.clean_name("Andini Pratiwi dan Budi") == "Andini Pratiwi"
    assert people.clean_name("Tribun Medan Jefri Susetio") == "Jefri Susetio"
    assert people.clean_name("Laporan Wartawan Tribun Medan, Jefri Susetio") == "Jefri Susetio"
    assert people.clean_name("Muhammad bin Salman") == "Muhammad bin Salman"
    assert source.known_outlet("regional.kompas.com") == "Kompas.com"
    assert source.known_outlet("https://www.bangkapos.com/x") == source.known_outlet("Bangka Pos")
    assert source.known_outlet("Andini Pratiwi") is None


# --- text: the line and dateline patterns -----------------------------------------------------------

LINE_PIECES = st.sampled_from([
    " ", "  ", "\t", "\u00a0", "|", "/", " | ", "Laporan Wartawan", "LAPORAN Reporter", "Penulis", "penulis",
    "Editor", "Oleh", "Video Editor", "Produser", "Halaman 2", "Sumber", "\u017fumber", "\u212aontributor",
    "Artikel ini tayang di", "art\u0131kel ini tayang di", "via", "VIA", "24h", "3 jam lalu", "٣", ":", " : ",
    "x", "Presiden", "Budi", ".", ",", "TRIBUNNEWS.COM", "Tribun-Timur.com", "JAKARTA", "JAKARTA, TRIBUN",
    ", ", " - ", "-", "–", "PKS", "Ketua", "\u2028", "é", "İ", "A", "D", "O'", "Tribunnews123456789012345678901.com",
])
LINE = st.lists(LINE_PIECES, max_size=8).map("".join) | st.text(max_size=30)


@settings(max_examples=2000)
@given(LINE)
def test_line_patterns_skipped_only_where_they_cannot_match(value: str) -> None:
    head = text._line_head(value)
    if head is None:
        return
    for pattern, heads in ((text._REPORTER_LINE, text._REPORTER_HEADS), (text._ROLE_LINE, text._ROLE_HEADS),
                           (text._SOURCE_LINE, text._SOURCE_HEADS), (text._PAGE_CREDIT, text._PAGE_HEADS)):
        if head not in heads:
            assert pattern.match(value) is None, pattern.pattern[:40]
    if head not in text._VIA_HEADS and not head[:1].isdigit():
        assert text._VIA_LINE.match(value) is None


def _match_key(match: re.Match[str] | None) -> object:
    return None if match is None else (match.re.pattern, match.span(), match.groupdict())


# Datelines built part by part: leading space, an outlet or a print place, a place, a dash, the rest.
DATELINE = st.tuples(
    st.sampled_from(["", " ", "\t", "  "]),
    st.sampled_from(["TRIBUNNEWS.COM", "Tribun-Timur.com", "X-1.co.id", "A", "D", "AB", "O'", "J.", "B A",
                     "JAKARTA", "K\u212aB.COM", "Tribunnews123456789012345678901.com",
                     "Tribunnews1234567890123456789012345678901.com", "a.com", "9X.COM", "A-B.COM", "ş"]),
    st.sampled_from(["", ",", ", ", " ,", "  ,"]),
    st.sampled_from(["", "JAKARTA", "TRIBUN", "TRIBUN MEDAN", "Kota Baru", "X.", "A B", "TRIBUNNEWS.COM"]),
    st.sampled_from(["", " - ", "-", " – ", ":", " "]),
    st.sampled_from(["", "Presiden", "PKS menilai", "\"Kami", "x"]),
).map("".join)


@settings(max_examples=3000)
@given(LINE | DATELINE)
@example("A-B.COM, JAKARTA Presiden")
@example("X, TRIBUN - Presiden")
@example("A B, TRIBUN - Presiden")
def test_open_dateline_is_the_first_pattern_that_matches(value: str) -> None:
    expected = text._DATELINE.match(value) or text._PRINT_DATELINE.match(value) or text._BOLD_DATELINE.match(value)
    assert _match_key(text._open_dateline(value)) == _match_key(expected)
    if expected is not None and expected.group("place"):
        place = expected.group("place")
        assert " ".join(place.split()).strip(" .") == text._WS.sub(" ", place).strip(" .")


def test_line_examples() -> None:
    assert text._is_credit("Laporan Wartawan Tribunnews.com, Galuh Widya Wardani")
    assert text._is_credit("| Editor: Budi") and text._is_credit("\u212aontributor: Budi")
    assert text._is_source("\u017fumber: Kompas") and text._is_source("24h via intisari-online")
    assert not text._is_credit("Presiden Joko Widodo") and not text._is_source("Presiden Joko Widodo")
    assert text.split_dateline("TRIBUNNEWS.COM, JAKARTA - Presiden") == ("JAKARTA", "Presiden")
    assert text.split_dateline("JAKARTA, TRIBUN - Presiden") == ("JAKARTA", "Presiden")
    assert text.split_dateline("TRIBUNNEWS.COM, JAKARTA Presiden") == ("JAKARTA", "Presiden")


# --- urls: the host of a URL ------------------------------------------------------------------------

URLS = st.tuples(
    st.sampled_from(["https://"] * 8 + ["http://"] * 4 + [
        "HTTPS://", "Http://", " https://", "\thttps://", "ftp://", "https:", "https:/", "https:\\\\", "",
        "https://https://"]),
    st.sampled_from([""] * 6 + ["user@", "u:p@", "@"]),
    st.sampled_from(["www.tribunnews.com", "WWW.Tribunnews.com", "bangka.tribunnews.com", "[::1]", "[::1", "::1]",
                     "a..b", "-", "", "1.2.3.4", "123", "host.", "xn--abc.id", "é.com", "ｅ.com", "a_b.com",
                     "a b.com", "a%41.com", "a\t.com", "tribunnews.com\n"]),
    st.sampled_from([""] * 6 + [":80", ":", ":x", ":443"]),
    st.sampled_from(["", "/", "/path/2024/01/01/x", "?q=1", "#f", "\\path", "\t/x", " /x", "/%2F", "//x", "/a@b"]),
).map("".join) | st.text(max_size=30)


def _host_or_error(function: object, url: str) -> object:
    try:
        return function(url)  # type: ignore[operator]
    except ValueError as error:
        return type(error)


@settings(max_examples=3000)
@given(URLS)
@example("https://WWW.Tribunnews.com/x")
@example("https://www.tribunnews.com:443/x")
@example("https://user@www.tribunnews.com/x")
@example("https://[::1]/x")
@example("https://www.tribunnews.com\\@evil.com/x")
@example("https:// www.tribunnews.com/x")
@example("https://")
def test_url_host_is_urlsplit_hostname(url: str) -> None:
    assert _host_or_error(urls.url_host, url) == _host_or_error(lambda u: urlsplit(u).hostname, url)
    if not isinstance(_host_or_error(urls.url_host, url), type):
        assert urls.portal_of(url) == portal_for_host(urlsplit(url).hostname)
