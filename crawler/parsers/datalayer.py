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
    out: dict[str, str] = {}
    pos = m.end()
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
