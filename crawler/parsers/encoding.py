"""Whether a body is valid UTF-8, without decoding it.

``bytes.decode("utf-8")`` answers that too, but builds the whole text to do it: on a page holding a few
non-ASCII characters (a ``»`` or ``©`` in its furniture) that is a two- or four-byte-per-character copy of the
page, made and freed again, costing more than ten times the check below on a 250 KB page.
"""

from __future__ import annotations

import codecs

_decode = codecs.utf_8_decode
# A chunk longer than any UTF-8 sequence (4 bytes), so a chunk that ends inside one still consumes something.
_CHUNK = 4096


def is_utf8(data: bytes, chunk: int = _CHUNK) -> bool:
    """``data.decode("utf-8")`` would succeed: the same answer for every input.

    UTF-8 sequences never hold an ASCII byte, so the body is read in chunks and only the chunks holding a
    non-ASCII byte are decoded (and dropped at once); a sequence cut by a chunk's end is read again with the next
    chunk, and the last chunk is decoded as final, so a body ending inside a sequence is not valid.
    """
    if chunk < 4:
        raise ValueError("chunk must be at least 4 bytes, the longest UTF-8 sequence")
    if data.isascii():
        return True
    end_of_data = len(data)
    pos = 0
    try:
        while pos < end_of_data:
            end = pos + chunk
            piece = data[pos:end]
            if piece.isascii():
                pos = end
            else:
                pos += _decode(piece, "strict", end >= end_of_data)[1]
    except UnicodeDecodeError:
        return False
    return True
