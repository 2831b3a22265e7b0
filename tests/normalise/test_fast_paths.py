"""The shortcuts in the normalisers (ASCII fast paths, skipping a regex that cannot match) give exactly what the
full computation gives. Each reference below is the plain version of the function, written out."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.normalise import people, text

# Text made of the characters the shortcuts test for, so that both sides of each test are exercised.
PIECES = st.sampled_from([
    " ", "  ", "\u00a0", "\t", "\n", "\x01", "\x1c", "\x85", "\u200b", "&amp;", "&amp;amp;", "&#39;", "(", ")",
    "[", "]", "{", "}", "@", ".", "://", "www.", "WWW.", "_", "-", "a", "Z", "9", "é", "e\u0301", "ß", "İ",
    "Penulis", "(das/fdl)", "[dni]", "(*)", "(AS)", "x@y.z", "@handle", "https://x.id/a", "Kompas.com",
    ":", " : ", "Editor", "editor", "EDITOR", "Pewarta Foto", "Laporan Wartawan", "Artikel ini tayang di", "Oleh",
    "by", "Sumber", "\u017fumber", "\u212aontributor", "Subeditor", "Iwan",
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
