"""is_utf8 answers what ``bytes.decode("utf-8")`` answers, whatever the chunk boundaries cut."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
