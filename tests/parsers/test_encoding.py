"""is_utf8 answers what ``bytes.decode("utf-8")`` answers, whatever the chunk boundaries cut; utf8_selector, which
asks libxml2's parse instead, refuses exactly the bodies that decode refuses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.parsers import NotAnArticle, utf8_selector
from crawler.parsers.encoding import is_utf8

# Whole sequences of every length, their pieces, and what Python refuses: overlong forms, surrogates, code points
# past U+10FFFF, bytes that never occur in UTF-8.
PIECES = st.sampled_from([
    b"a", b" ", b"<p>", b"\xc3\xa9", b"\xe2\x80\xa6", b"\xf0\x9f\x98\x80", b"\xc3", b"\xa9", b"\xe2\x80", b"\xf0\x9f",
    b"\xed\xa0\x80", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xff", b"\xfe",
])
BODIES = st.lists(PIECES, max_size=40).map(b"".join)


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=800)
@given(BODIES, st.sampled_from([4, 5, 6, 7, 9, 4096]))
def test_same_answer_as_decode(data: bytes, chunk: int) -> None:
    assert is_utf8(data, chunk) is _decodes(data)


@pytest.mark.parametrize(("tail", "valid"), [(b"\xe2\x80\xa6", True), (b"\xe2\x80", False), (b"\xe2\x80A", False)])
def test_a_sequence_across_the_default_chunk_boundary(tail: bytes, valid: bool) -> None:
    # The sequence starts two bytes before the 4096-byte boundary: the first chunk ends inside it.
    data = b"x" * 4094 + tail + b"y" * 100
    assert is_utf8(data) is valid is _decodes(data)


def test_a_body_ending_inside_a_sequence_is_not_utf8() -> None:
    assert not is_utf8(b"x" * 5000 + b"\xf0\x9f\x98")
    assert is_utf8(b"x" * 5000 + b"\xf0\x9f\x98\x80")


def test_chunks_shorter_than_a_sequence_are_refused() -> None:
    with pytest.raises(ValueError):
        is_utf8(b"\xc3\xa9", 3)


# Where a bad byte may sit in a page: libxml2 reads text, attributes, scripts, styles and comments differently.
CONTEXTS = st.sampled_from([
    b"<html><body><p>%s</p></body></html>", b"<html><head><script>var a='%s';</script></head><body>x</body></html>",
    b"<html><head><style>a{content:'%s'}</style></head><body>x</body></html>",
    b"<html><body><!-- %s --><p>x</p></body></html>", b"<html><body><p title='%s'>x</p></body></html>",
    b"<html><head><title>%s</title></head><body>x</body></html>", b"<html><body>x</body></html>%s", b"%s<p>x</p>",
])


@settings(max_examples=800)
@given(CONTEXTS, BODIES)
def test_utf8_selector_refuses_exactly_what_decode_refuses(context: bytes, body: bytes) -> None:
    data = context.replace(b"%s", body)
    try:
        sel = utf8_selector(data)
    except NotAnArticle:
        assert _decodes(data)  # only a valid document is refused as unparseable
        return
    assert (sel is not None) is _decodes(data)
    if sel is not None:
        assert sel.root.tag == "html"


def test_utf8_selector_does_not_trust_a_full_error_log() -> None:
    # lxml keeps only the first hundred entries of a parse's error log: a bad byte after two hundred other errors
    # is missing from it, and the body is checked on its own.
    noisy = b"<html><body>" + b"<p>x</p>" + b"</p  y>" * 200
    assert utf8_selector(noisy + b"</body></html>") is not None
    assert utf8_selector(noisy + b"<p>caf\xe9</p></body></html>") is None


def test_utf8_selector_parses_like_parse_article_on_bytes() -> None:
    data = "<html><head><title>Kafé</title></head><body><p>“Kafé” – crème</p></body></html>".encode()
    sel = utf8_selector(data)
    assert sel is not None
    assert sel.xpath("string(//p)").get() == "“Kafé” – crème"
    with pytest.raises(NotAnArticle):
        utf8_selector(b"  \n")
