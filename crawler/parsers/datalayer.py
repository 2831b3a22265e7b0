"""Values written in inline JavaScript: the ``dataLayer`` object literal (single- or double-quoted keys and
values, JS escapes) and the ``keywordBrandSafety`` string some pages carry their full text in.
"""

from __future__ import annotations

import re

_DATALAYER_START = re.compile(r"dataLayer\s*(?:=\s*\[|\.push\s*\()\s*\{")
# Quoted values as "unrolled loops" (`[^'\\]*(?:\\.[^'\\]*)*`: the same strings as `(?:[^'\\]|\\.)*`), which the
# regex engine runs as one character-class loop per stretch instead of one alternation per character.
_DATALAYER_PAIR = re.compile(
    r"""\s*,?\s*(?:(['"])(?P<k>[^'"\n]*)\1|(?P<bk>[A-Za-z_$][\w$-]*))\s*:\s*"""
    r"""(?:'(?P<sv>[^'\\]*(?:\\.[^'\\]*)*)'|"(?P<dv>[^"\\]*(?:\\.[^"\\]*)*)"|(?P<bv>[^,}\n]*))""",
    re.S,
)
# The plain shape nearly every page writes (single-quoted keys and values, no escapes) is read by splitting on
# the quote: str methods in C, where the pair pattern spends a regex step on every character. _MAX_PLAIN_PAIRS
# bounds the split on long scripts; an object with more pairs goes to the scanner.
_MAX_PLAIN_PAIRS = 200
_COLON = frozenset({":"})
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": "", "0": ""}
_BRAND_SAFETY = re.compile(r"""keywordBrandSafety\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""", re.S)


def _js_unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw

    def repl(m: re.Match[str]) -> str:
        esc = m.group(1)
        if len(esc) > 1:
            return chr(int(esc[1:], 16))
        return _JS_SIMPLE.get(esc, esc)

    return _JS_ESCAPE.sub(repl, raw)


def parse_datalayer(script: str) -> dict[str, str]:
    """Key/values of the first ``dataLayer`` object literal in a script (single- or double-quoted JS)."""
    m = _DATALAYER_START.search(script)
    if not m:
        return {}
    found = plain_pairs(script, m.end())
    return found if found is not None else scan_pairs(script, m.end())


def plain_pairs(script: str, pos: int) -> dict[str, str] | None:
    r""":func:`scan_pairs` for an object of plain pairs, ``'key': 'value'`` with no backslash in a value and no
    double quote or newline in a key, closed by ``}``; None for any other object.

    On such an object the scanner's pair pattern takes its first alternatives (quoted key, single-quoted value)
    and can stop only at a quote, so each of its matches is a separator ``\s*,?\s*``, a quoted key, ``\s*:\s*``
    and a quoted value: the pieces between quotes. It stops at the brace, where no key can start. (``\s`` and
    ``str.strip()`` know the same whitespace.)
    """
    pieces = script[pos:].split("'", 4 * _MAX_PLAIN_PAIRS + 1)
    # pieces: separator, key, colon, value, separator, key, … The first separator that is not \s*,?\s* ends the
    # pairs; it must close the object.
    seps = pieces[::4]
    count = 0
    for sep in map(str.strip, seps):
        if sep and sep != ",":
            break
        count += 1
    else:
        return None
    end = seps[count].lstrip()
    if end[:1] == ",":
        end = end[1:].lstrip()
    if end[:1] != "}":
        return None
    last = 4 * count
    keys = pieces[1:last:4]
    values = pieces[3:last:4]
    joined_keys = "".join(keys)
    if ('"' in joined_keys or "\n" in joined_keys or "\\" in "".join(values)
            or not _COLON.issuperset(map(str.strip, pieces[2:last:4]))):
        return None
    out = dict(zip(keys, map(str.strip, values), strict=True))
    if len(out) == count and "" not in out:
        return out
    # A key repeated (the first one counts) or empty (skipped): the scanner's bookkeeping, pair by pair.
    out = {}
    for key, value in zip(keys, values, strict=True):
        if key and key not in out:
            out[key] = value.strip()
    return out


def scan_pairs(script: str, pos: int) -> dict[str, str]:
    """The pairs of a dataLayer object literal whose first pair starts at ``pos``: the general scanner."""
    out: dict[str, str] = {}
    match = _DATALAYER_PAIR.scanner(script, pos).match  # each match() starts where the last one ended
    while True:
        pair = match()
        if pair is None or pair.end() == pos:
            break
        pos = pair.end()
        _, key, bare_key, single, double, bare = pair.groups()
        if key is None:
            key = bare_key
        if key and key not in out:
            if single is not None:
                value = _js_unescape(single)
            elif double is not None:
                value = _js_unescape(double)
            else:
                value = (bare or "").strip()
            out[key] = value.strip()
    return out
