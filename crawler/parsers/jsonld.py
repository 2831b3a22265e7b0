"""JSON-LD: the objects of ``<script type="application/ld+json">`` blocks, repaired when a common fault breaks
them, and the values parsers read from them (names, images, keywords, booleans). Never raises on bad input.
"""

from __future__ import annotations

import html as _html
import json
import re
from typing import Any

from crawler.parsers.text import clean

_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_REPEATED_COMMA = re.compile(r",(?:\s*,)+")
_BAD_JSON_ESCAPE = re.compile(r"\\(?=['])")

_ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "socialmediaposting",
})




def _strip_script_wrappers(text: str) -> str:
    text = text.strip()
    for prefix in ("<!--", "//<![CDATA[", "<![CDATA["):
        if text.startswith(prefix):
            text = text[len(prefix):]
    for suffix in ("-->", "//]]>", "]]>"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.strip()


_JSON = json.JSONDecoder(strict=False)  # strict=False accepts raw newlines/tabs inside strings


def _decode_json_values(text: str) -> list[Any]:
    """Every JSON value in ``text`` (several may be concatenated); raises ValueError when none parses."""
    decoder = _JSON
    values: list[Any] = []
    pos, end = 0, len(text)
    while pos < end:
        while pos < end and text[pos] in " \t\r\n,;":
            pos += 1
        if pos >= end:
            break
        value, pos = decoder.raw_decode(text, pos)
        values.append(value)
    if not values:
        raise ValueError("empty JSON-LD block")
    return values


def parse_jsonld_block(text: str | None) -> list[dict[str, Any]]:
    """The objects of one JSON-LD script: a single object, a list or an ``@graph`` flattened to a list.

    Malformed blocks are repaired when the fault is a common one (trailing commas, raw newlines, ``\\'``,
    HTML-escaped quotes); a block that still does not parse gives ``[]``. Never raises.
    """
    if not text or not text.strip():
        return []
    text = _strip_script_wrappers(text)
    try:
        return _flatten_jsonld(_decode_json_values(text))
    except (ValueError, RecursionError):
        pass
    # Repairs are built only for a block that failed as it is: most blocks are valid JSON.
    repaired = _BAD_JSON_ESCAPE.sub("", _TRAILING_COMMA.sub(r"\1", _REPEATED_COMMA.sub(",", text)))
    attempts = [repaired]
    if "&quot;" in text or "&#" in text:
        attempts.append(_html.unescape(repaired))
    for attempt in attempts:
        try:
            values = _decode_json_values(attempt)
        except (ValueError, RecursionError):
            continue
        return _flatten_jsonld(values)
    return []


def _flatten_jsonld(values: list[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = list(reversed(values))
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(reversed(graph))
                rest = {k: v for k, v in item.items() if k != "@graph"}
                if "@type" in rest:
                    out.append(rest)
            else:
                out.append(item)
    return out


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.lower()}
    if isinstance(t, list):
        return {x.lower() for x in t if isinstance(x, str)}
    return set()


def _jsonld_str(value: Any) -> str:
    if isinstance(value, str):
        return clean(_html.unescape(value) if "&" in value else value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def jsonld_names(value: Any) -> list[str]:
    """Names from a JSON-LD person/organisation value: string, object with ``name``, or a list of those."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = _jsonld_str(item.get("name")) if isinstance(item, dict) else _jsonld_str(item)
        if name:
            names.append(name)
    return names


def jsonld_image(value: Any) -> str | None:
    if isinstance(value, list):
        for item in value:
            found = jsonld_image(item)
            if found:
                return found
        return None
    if isinstance(value, dict):
        return jsonld_image(value.get("url") or value.get("contentUrl") or value.get("@id"))
    return _jsonld_str(value) or None


def jsonld_free(value: Any) -> bool | None:
    """``isAccessibleForFree`` as a boolean: JSON true/false or the strings some CMSs write ("False")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower())
    return None


def jsonld_keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [clean(x) for x in _html.unescape(value).split(",") if clean(x)]
    if isinstance(value, list):
        return [k for x in value for k in jsonld_keywords(x)]
    return []
