"""Text normalisers: whitespace/entities/Unicode, titles, datelines, body paragraphs, credit paragraphs.

Everything here is total (any input → a valid value or None, never an exception) and idempotent, so a
pipeline may apply a normaliser twice without harm. Regexes are compiled once at import: these run on
every paragraph of every page.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from crawler.normalise import credits
from crawler.portals import PORTALS

__all__ = [
    "ArticleText",
    "article_text",
    "body_from_paragraphs",
    "clean_title",
    "fingerprint",
    "normalise_text",
    "split_credit_paragraphs",
    "split_dateline",
    "strip_tags",
]

# Characters with no width that CMS editors and copy-paste leave behind. ZWSP marks a word break, so it
# becomes a space; the joiners, BOM and soft hyphen sit inside words, so they are deleted (turning them
# into spaces would split words in two).
_ZERO_WIDTH_BREAK = re.compile("[\u200b\u180e]")
_ZERO_WIDTH_DELETE = re.compile("[\u00ad\u200c\u200d\u2060\ufeff\u034f]")
# C0/C1 control characters other than whitespace: noise from broken encodings, never text.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_WS = re.compile(r"\s+")
_TAG = re.compile(r"<(?:[a-zA-Z/!?][^<>]*)?>")


def _as_str(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    return None


def _unescape(text: str) -> str:
    # Double-escaped text (`&amp;quot;`) is common in CMS exports; decode to a fixed point so the result
    # is idempotent. Each changing pass makes the string shorter, so the loop ends.
    while "&" in text:
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def normalise_text(value: object) -> str | None:
    """Entities decoded, NFC, every whitespace run (NBSP, zero-width, tabs, newlines) one space, stripped;
    empty → None."""
    # The str case inline: this runs on every paragraph and every short field of every page.
    text = value if type(value) is str else _as_str(value)
    if text is None:
        return None
    if "&" in text:
        text = _unescape(text)
    if text.isascii():
        # Most Indonesian text is plain ASCII: already NFC and free of zero-width characters.
        # Most calls are on short fields (tags, section, caption), where isprintable() beats encoding the text
        # and deleting its control bytes (the same test for ASCII) by half; on a paragraph they cost the same.
        if not text.isprintable():
            text = _CONTROL.sub("", text)
        elif "  " not in text and text[:1] != " " and text[-1:] != " ":
            # Printable ASCII has no whitespace but the space: single inner spaces and no edge space
            # means the text is already collapsed (normalise_text is run on its own output a lot).
            return text or None
    else:
        text = _CONTROL.sub("", text)
        text = _ZERO_WIDTH_DELETE.sub("", text)
        text = _ZERO_WIDTH_BREAK.sub(" ", text)
        text = unicodedata.normalize("NFC", text)
    # str.split() splits on exactly the characters str.isspace() accepts (NBSP, U+2028, …) and is several
    # times faster than a regex substitution on paragraph-sized text.
    text = " ".join(text.split())
    return text or None


def strip_tags(value: object) -> str | None:
    """normalise_text after removing HTML tags (credit lines sometimes arrive with their anchors)."""
    text = _as_str(value)
    if text is None:
        return None
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = normalise_text(text)
    # Entities can decode into new tags (`&lt;b&gt;`); repeat until stable so the result is idempotent.
    while text and "<" in text:
        stripped = normalise_text(_TAG.sub(" ", text))
        if stripped == text:
            break
        text = stripped
    return text


# --- titles -----------------------------------------------------------------------------------------

def _tribun_brand_names() -> list[str]:
    names: set[str] = set()
    for portal in PORTALS:
        names.add(portal.brand)
        names.add(portal.brand.replace(" ", ""))
        for host in (portal.host, *portal.aliases):
            names.add(host.removeprefix("www.").removeprefix("m."))
    names.update({"Tribun Network", "Tribunnews", "TribunNews", "Tribun-Video.com", "TribunnewsWiki.com",
                  "TribunTravel", "Tribun Travel", "TribunStyle.com", "Tribun Style", "Tribun Seleb"})
    return sorted(names, key=len, reverse=True)


_SUFFIX_SEP = r"\s+(?:-{1,2}|[–—|:·•])\s+"
_SUFFIX_SEP_CHARS = "-–—|:·•"  # every separator _SUFFIX_SEP allows
_SPACED_SEPS = tuple(" " + sep for sep in _SUFFIX_SEP_CHARS)
_SUFFIX_BODY = "|".join([
    r"Halaman\s+(?:all|semua|\d{1,3})",
    r"Page\s+(?:all|\d{1,3})",
    r"Hal(?:aman)?\.?\s*\d{1,3}",
    *(re.escape(name) for name in _tribun_brand_names()),
    # Any `Tribun <Place>` / `Tribun<Place>` desk, and any bare domain, is a site name, not headline text.
    r"Tribun\s?[A-Z][\w-]*(?:\s[A-Z][a-z]+)?",
    r"(?:www\.)?[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.(?:com|co\.id|id|net|org|co|tv|news)",
])
_TITLE_SUFFIX = re.compile(rf"(?:{_SUFFIX_SEP})(?:{_SUFFIX_BODY})\s*$", re.I)


@lru_cache(maxsize=256)
def _brand_suffix(brand: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{_SUFFIX_SEP}){re.escape(brand)}\s*$", re.I)


def clean_title(value: object, brand: str | None = None) -> str | None:
    """Headline without site suffixes (` - Bangkapos.com`, ` | Tribunnews.com`, ` – Halaman all`), repeated
    suffixes included. A dash only counts as a separator with spaces on both sides, and a title that is
    nothing but a site name is kept, so real headline text is never cut."""
    title = strip_tags(value)  # what normalise_text gave, so its own normal form: normalise_text is idempotent
    if title is None:
        return None
    # A suffix starts with whitespace then a separator, and the only whitespace normalise_text leaves is the
    # space: without a space before a separator both searches below would fail, at several times the cost (a
    # headline's hyphens, `Alun-alun`, have none).
    if not any(sep in title for sep in _SPACED_SEPS):
        return title
    return _strip_title_suffixes(title, normalise_text(brand) if isinstance(brand, str) else None)


def _strip_title_suffixes(title: str, brand_text: str | None) -> str:
    """``title`` (normalised) without its site suffixes, the brand's own among them, repeated ones included."""
    brand_re = _brand_suffix(brand_text) if brand_text else None
    while True:
        match = _TITLE_SUFFIX.search(title)
        if brand_re is not None and match is None:
            match = brand_re.search(title)
        if match is None or match.start() == 0:
            return title
        shorter = title[: match.start()].rstrip()
        if not shorter:
            return title
        title = shorter


# --- datelines --------------------------------------------------------------------------------------

# An outlet written as a domain (`TRIBUNNEWS.COM`, `Tribun-Timur.com`, `Liputan6.com`, `SURYA.co.id`).
_OUTLET_DOMAIN = r"[A-Za-z][A-Za-z0-9-]{1,40}\.(?:com|co\.id|id|co|net|tv)"
# A dateline place: up to four words of letters, no digits or sentence punctuation.
_PLACE = r"[A-Za-z][A-Za-z'’]*\.?(?:\s+[A-Za-z][A-Za-z'’]*\.?){0,3}"
_DASH = r"(?:-{1,2}|[–—]{1,2}|:)"
_DATELINE = re.compile(
    rf"^\s*(?P<outlet>{_OUTLET_DOMAIN})(?![\w.])\s*(?:,\s*(?P<place>{_PLACE}))?\s*{_DASH}\s*(?P<rest>.*)$",
    re.I | re.S,
)
# Print form `JAKARTA, TRIBUN - …`: the place must be upper case, otherwise an ordinary sentence such as
# `Menurut Tribun - …` could look like one.
_PRINT_DATELINE = re.compile(
    rf"^\s*(?P<place>[A-Z][A-Z.'’]*(?:\s+[A-Z][A-Z.'’]*){{0,3}})\s*,\s*"
    rf"(?:TRIBUN(?:\s?[A-Z]+)?|{_OUTLET_DOMAIN})\s*{_DASH}\s*(?P<rest>.*)$",
    re.S,
)

# A dateline set in bold with no dash after it (`<strong>TRIBUNNEWS.COM, JAKARTA</strong> Presiden …`): the
# markup alone closed it, so the text reads `TRIBUNNEWS.COM, JAKARTA Presiden …`. Only the upper-case
# convention of datelines tells where the place ends: outlet and place in capitals, then a capitalised word
# in ordinary case (or nothing: the dateline was a paragraph of its own). An all-capitals word after the place
# (`JAKARTA PKS menilai …`) leaves the paragraph as it is rather than guess.
_BOLD_DATELINE = re.compile(
    r"^\s*(?P<outlet>[A-Z][A-Z0-9-]{1,40}\.(?:COM|CO\.ID|ID|CO|NET|TV))\s*,\s*"
    r"(?P<place>[A-Z][A-Z'’]*\.?(?:\s+[A-Z][A-Z'’]*\.?){0,3})"
    r"(?:\s+(?P<rest>[\"“‘'(]?[A-Z][a-z].*)|\s*$)",
    re.S,
)


# What the second character of a print dateline may be: the place's letters and marks, or the comma after it.
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_PRINT_PLACE_NEXT = _UPPER + ".'’,"
_OUTLET_NEXT = _UPPER + "0123456789-"


def _open_dateline(text: str) -> re.Match[str] | None:
    """The first of _DATELINE, _PRINT_DATELINE and _BOLD_DATELINE that matches ``text``."""
    # Each pattern is tried only where the text opens as it needs (the first paragraph's rest, body text, almost
    # never does): an outlet domain has its dot within its first 42 characters, the print and bold forms start
    # with a capital, then one of the characters their classes allow. The patterns take the same leading
    # whitespace lstrip() removes.
    head = text.lstrip()
    first, second = head[:1], head[1:2]
    capital = first != "" and first in _UPPER
    dotted = "." in head[:42]
    match = ((dotted and _DATELINE.match(text))
             or (capital and (second in _PRINT_PLACE_NEXT or second.isspace()) and _PRINT_DATELINE.match(text))
             or (capital and dotted and second in _OUTLET_NEXT and _BOLD_DATELINE.match(text)))
    return match or None


def _dateline_match(text: str) -> tuple[str | None, str] | None:
    match = _open_dateline(text)
    if match is None:
        return None
    place = match.group("place")
    # The place starts and ends with a letter or mark: split() and join() collapse it as _WS.sub(" ", …) does.
    place = " ".join(place.split()).strip(" .").upper() if place else None
    return place or None, (match.group("rest") or "").strip()


def split_dateline(paragraph: object) -> tuple[str | None, str | None]:
    """`TRIBUNNEWS.COM, JAKARTA - Presiden…` → (`JAKARTA`, `Presiden…`). Without a city the outlet prefix is
    still removed (place None); a paragraph without a dateline comes back unchanged."""
    text = _as_str(paragraph)
    if text is None:
        return None, None
    found = _dateline_match(text)
    if found is None:
        return None, text
    place, rest = found
    # A doubled prefix (`TRIBUNNEWS.COM - TRIBUNNEWS.COM, JAKARTA - …`) happens when a desk re-posts; strip
    # all of them so applying this twice changes nothing.
    while rest:
        again = _dateline_match(rest)
        if again is None:
            break
        place = place or again[0]
        rest = again[1]
    return place, rest or None


# --- body -------------------------------------------------------------------------------------------

_PARA_SPLIT = re.compile(r"\n\s*\n")


def _paragraph_list(paragraphs: object) -> list[object]:
    if type(paragraphs) is list:  # what callers pass, without the ABC check below
        return list(paragraphs)
    if paragraphs is None:
        return []
    if isinstance(paragraphs, (str, bytes, bytearray)):
        text = _as_str(paragraphs) or ""
        return list(_PARA_SPLIT.split(text))
    if isinstance(paragraphs, Iterable) and not isinstance(paragraphs, dict):
        try:
            return list(paragraphs)
        except Exception:  # a broken iterable is still "no paragraphs", never a crash
            return []
    return []


def body_from_paragraphs(paragraphs: object) -> str:
    """Paragraphs normalised, empty ones and consecutive exact duplicates dropped, joined by a blank line.
    A string is taken as a body already joined with blank lines."""
    return _body_from_paragraphs(paragraphs, ())


def _body_from_paragraphs(paragraphs: object, normalised: list[str] | tuple[()]) -> str:
    """body_from_paragraphs, where ``normalised`` holds what normalise_text gave: a paragraph that is one of those
    very objects is already its own normal form (normalise_text is idempotent) and is not normalised again."""
    known = {id(text) for text in normalised}  # ``normalised`` keeps them alive, so no other object has their id
    out: list[str] = []
    for item in _paragraph_list(paragraphs):
        text = item if id(item) in known else normalise_text(item)
        if text and (not out or out[-1] != text):
            out.append(text)
    return "\n\n".join(out)


_NON_WORD = re.compile(r"[\W_]+")
_ASCII_NON_WORD = bytes(b for b in range(128) if not chr(b).isalnum())
# ASCII letters lowered by the same translate() that deletes the other bytes, which it does first: what it deletes
# is never a letter, so lowering first or after is the same.
_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
# The non-word characters outside ASCII. An ASCII byte never occurs inside a multi-byte UTF-8 sequence, so the
# ASCII ones can be deleted from the encoded text by translate(); this pattern leaves the regex only the few
# non-ASCII ones (curly quotes, dashes) instead of every space and comma.
_NON_ASCII_NON_WORD = re.compile(r"[^\x00-\x7f\w]+")
# Punctuation that is the only non-ASCII in most bodies. Each is its own NFKC and casefold, composes with nothing
# and is no word character: a text of ASCII and these fingerprints as its ASCII characters alone.
_INERT_PUNCTUATION = "–—“”‘’"


def fingerprint(body: object) -> str:
    """32 hex chars identifying the body's words: case, whitespace and punctuation do not change it."""
    text = _as_str(body) or ""
    if "&" in text:
        text = _unescape(text)
    if text.isascii():
        # ASCII is its own NFKC, casefold is lower(), and the word characters are exactly the letters and
        # digits: deleting the other bytes is the regex substitution below, without the regex.
        data = text.encode("ascii").translate(_ASCII_LOWER, _ASCII_NON_WORD)
        return hashlib.blake2b(data, digest_size=16).hexdigest()
    ascii_only = text.encode("ascii", errors="ignore")
    # Counts of distinct characters do not overlap: equal totals mean every non-ASCII character is one of these.
    if len(text) - len(ascii_only) == sum(map(text.count, _INERT_PUNCTUATION)):
        return hashlib.blake2b(ascii_only.translate(_ASCII_LOWER, _ASCII_NON_WORD), digest_size=16).hexdigest()
    text = _NON_ASCII_NON_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())
    data = text.encode("utf-8", errors="surrogatepass").translate(None, _ASCII_NON_WORD)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# --- credit paragraphs ------------------------------------------------------------------------------

_PERSON_ROLES = (credits.AUTHOR, credits.EDITOR, credits.PHOTO)

_ANY_LABEL = credits.alternation()
_REPORTER_LINE = re.compile(rf"^\s*(?:{credits.alternation(credits.REPORTER_LABELS)})\b", re.I)
# A paragraph that starts with a credit label and its colon (`Penulis/Editor: X`, `| Editor: Y`, `Oleh: Z`).
_ROLE_LINE = re.compile(
    rf"^\s*[|/]?\s*(?:{credits.alternation([*credits.labels_with(*_PERSON_ROLES, credits.IGNORE), 'Oleh'])})\s*:",
    re.I,
)
_SOURCE_LINE = re.compile(
    rf"^\s*[|/]?\s*(?:(?:{credits.alternation(credits.labels_with(credits.SOURCE))})\s*:|{credits.FOOTER_LABEL}\b)",
    re.I,
)
# `24h via intisari-online`: an optional relative-time label, `via`, then a short outlet name.
_VIA_LINE = re.compile(r"^\s*(?:\d+\s?\w{1,6}(?:\s+(?:yang\s+)?lalu)?\s+)?via\s+\S+(?:\s+\S+){0,2}\s*$", re.I)
_PAGE_CREDIT = re.compile(rf"^\s*Halaman\s+\d+\s*/\s*(?:{_ANY_LABEL})\s*:", re.I)
_FOOTER = re.compile(rf"\b{credits.FOOTER_LABEL}\b", re.I)
# Kompas-style credits after a syndication footer: labels of people.
_ROLE_AFTER_FOOTER = re.compile(
    rf"(?<![^\W\d_])(?:{credits.alternation(credits.labels_with(credits.AUTHOR, credits.EDITOR))})\s*:", re.I)
_URL = re.compile(r"https?://\S+", re.I)
_SUMBER_ANYWHERE = re.compile(rf"\b(?:{credits.alternation(credits.labels_with(credits.SOURCE))})\s*:", re.I)
# A dateline glued behind a reporter line: an upper-case domain outlet, optional city, then a dash.
_GLUED_DATELINE = re.compile(
    rf"\s(?P<dateline>[A-Z][A-Z0-9-]{{1,40}}\.(?:COM|CO\.ID|ID|CO|NET|com|Com|co\.id|id)"
    rf"(?:\s*,\s*{_PLACE})?\s*{_DASH}"
    # or the bold form without a dash (see _BOLD_DATELINE): capitals, then a word in ordinary case
    r"|[A-Z][A-Z0-9-]{1,40}\.(?:COM|CO\.ID|ID|CO|NET|TV)\s*,\s*[A-Z][A-Z'’]*\.?(?:\s+[A-Z][A-Z'’]*\.?){0,3}"
    r"\s+[\"“‘'(]?[A-Z][a-z])",
)
# Newsroom initials at the end of the last paragraph: `(das/fdl)`, `[dni]`, `(DON)`, `(*)`. A lone word in
# parentheses is only a code after sentence punctuation, so `… Amerika Serikat (AS)` keeps its `(AS)`.
_INITIALS = r"[A-Za-z]{2,5}"
_CODE_AFTER_SENTENCE = re.compile(rf"(?:^|(?<=[.!?\"”’')]))\s*(?:\({_INITIALS}\)|\[{_INITIALS}\])\s*$")
_CODE_ANYWHERE = re.compile(
    rf"\s*(?:\({_INITIALS}(?:\s?/\s?{_INITIALS})+\)|\[{_INITIALS}(?:\s?/\s?{_INITIALS})*\]|\(\*{{1,3}}\))\s*$"
)
_REPORTER_MAX_CHARS = 120


def _line_head(text: str) -> str | None:
    """:func:`credits.line_head` of a line after one leading `|` or `/` (as the line patterns read them)."""
    head = text.lstrip()
    if head[:1] in ("|", "/"):
        head = head[1:]
    return credits.line_head(head)


# Each line pattern is tried only on a line whose head may start one of its labels: most paragraphs start none.
_REPORTER_HEADS = credits.label_heads(credits.REPORTER_LABELS)
_ROLE_HEADS = credits.label_heads([*credits.labels_with(*_PERSON_ROLES, credits.IGNORE), "Oleh"])
_SOURCE_HEADS = credits.label_heads([*credits.labels_with(credits.SOURCE), "artikel"])  # FOOTER_LABEL's `artikel`
_PAGE_HEADS = credits.label_heads(["Halaman"])
_VIA_HEADS = credits.label_heads(["via"])


def _is_credit(text: str) -> bool:
    head = _line_head(text)
    if head is None:
        return bool(_ROLE_LINE.match(text) or _PAGE_CREDIT.match(text)
                    or (len(text) <= _REPORTER_MAX_CHARS and _REPORTER_LINE.match(text)))
    return bool((head in _ROLE_HEADS and _ROLE_LINE.match(text))
                or (head in _PAGE_HEADS and _PAGE_CREDIT.match(text))
                or (head in _REPORTER_HEADS and len(text) <= _REPORTER_MAX_CHARS and _REPORTER_LINE.match(text)))


def _is_source(text: str) -> bool:
    head = _line_head(text)
    if head is None:
        return bool(_SOURCE_LINE.match(text) or (len(text) <= 60 and _VIA_LINE.match(text)))
    # A `via` line may open with a relative time (`24h via …`): a digit.
    return bool((head in _SOURCE_HEADS and _SOURCE_LINE.match(text))
                or (len(text) <= 60 and (head in _VIA_HEADS or head[:1].isdigit()) and _VIA_LINE.match(text)))


def _split_footer(text: str) -> tuple[str, str | None]:
    """A syndication footer may carry Kompas-style `Penulis : X Editor : Y` after its URL: (footer, credits)."""
    url = _URL.search(text)
    start = url.end() if url else (text.lower().find("dengan judul") + 1 or 0)
    role = _ROLE_AFTER_FOOTER.search(text, start)
    if role is None:
        return text, None
    return text[: role.start()].strip(), text[role.start():].strip()


def strip_trailing_code(text: str) -> str:
    """Remove newsroom initials codes from the end of a paragraph, repeatedly (`… (das/fdl) [dni]`)."""
    while True:
        stripped = text.rstrip()
        if not stripped.endswith((")", "]")):
            return stripped  # both patterns end in `)` or `]` before trailing whitespace: nothing to strip
        stripped = _CODE_ANYWHERE.sub("", _CODE_AFTER_SENTENCE.sub("", text)).rstrip()
        if stripped == text:
            return text
        text = stripped


def _find_footer(text: str) -> re.Match[str] | None:
    # A footer has `tayang`, in ASCII letters of either case (the only ones re.I matches to them), so lower()
    # keeps it: a paragraph without it is spared the search, ten times the cost.
    return _FOOTER.search(text) if "tayang" in text.lower() else None


def _pop_tail_credits(paras: list[str], credits: list[str], sources: list[str]) -> bool:
    """Move credit, source and syndication paragraphs off the end of ``paras``; True when any moved."""
    moved = False
    while paras:
        last = paras[-1]
        footer = _find_footer(last)
        if footer is not None:
            footer_text, footer_credits = _split_footer(last[footer.start():])
            sources.insert(0, footer_text)
            if footer_credits:
                credits.insert(0, footer_credits)
            before = last[: footer.start()].strip()
            if before:
                paras[-1] = before
            else:
                paras.pop()
            moved = True
            continue
        is_credit, is_source = _is_credit(last), _is_source(last)
        if not (is_credit or is_source):
            break
        # A rendered block such as `Halaman 12 / Editor: X / Sumber: Y` is both; each parser reads its part.
        if is_credit:
            credits.insert(0, last)
        if is_source or _SUMBER_ANYWHERE.search(last):
            sources.insert(0, last)
        paras.pop()
        moved = True
    return moved


def split_credit_paragraphs(paragraphs: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(body_paragraphs, credit_lines, source_lines): reporter lines moved out of the head (also when glued
    in front of the dateline), credit/source/syndication paragraphs moved out of the tail, trailing
    initials codes stripped from the last body paragraph."""
    paras, credit_lines, source_lines, _normalised = _split_credit_paragraphs(paragraphs)
    return paras, credit_lines, source_lines


def _split_credit_paragraphs(paragraphs: object) -> tuple[list[str], list[str], list[str], list[str]]:
    """split_credit_paragraphs, and every paragraph as normalise_text gave it, for _body_from_paragraphs."""
    normalised = [t for t in (normalise_text(p) for p in _paragraph_list(paragraphs)) if t]
    paras = list(normalised)
    head_credits: list[str] = []
    while paras:
        first = paras[0]
        head = _line_head(first)
        if (head is None or head in _REPORTER_HEADS) and _REPORTER_LINE.match(first):
            glued = _GLUED_DATELINE.search(first)
            if glued is not None:
                head_credits.append(first[: glued.start()].strip())
                paras[0] = first[glued.start("dateline"):].strip()
                break
            if len(first) > _REPORTER_MAX_CHARS:
                break  # a long paragraph is body text that merely starts like a reporter line
            head_credits.append(first)
            paras.pop(0)
        elif (head is None or head in _ROLE_HEADS) and len(first) <= _REPORTER_MAX_CHARS and _ROLE_LINE.match(first):
            head_credits.append(first)
            paras.pop(0)
        else:
            break

    tail_credits: list[str] = []
    tail_sources: list[str] = []
    # Stripping a code can empty the last paragraph and expose another credit paragraph, so both steps
    # repeat until the tail is stable (which also makes the function idempotent).
    changed = True
    while changed:
        changed = _pop_tail_credits(paras, tail_credits, tail_sources)
        while paras:
            stripped = strip_trailing_code(paras[-1])
            if stripped == paras[-1]:
                break
            changed = True
            if stripped:
                paras[-1] = stripped
                break
            paras.pop()  # the paragraph was nothing but a code such as `(*)`

    return paras, head_credits + tail_credits, tail_sources, normalised


class ArticleText(NamedTuple):
    """An article's paragraphs read as the export needs them (:func:`article_text`)."""

    body: str                  # the body paragraphs, normalised and joined by blank lines
    dateline: str | None       # the place of the first paragraph's dateline (`JAKARTA`), when it has one
    credit_lines: list[str]    # reporter, author and editor paragraphs moved out of the body
    source_lines: list[str]    # source and syndication paragraphs moved out of the body


def article_text(paragraphs: object) -> ArticleText:
    """:func:`split_credit_paragraphs`, then :func:`split_dateline` on the first body paragraph, then
    :func:`body_from_paragraphs` on what is left, with every paragraph normalised once: the body does not
    normalise again the paragraphs the split already normalised and left unchanged."""
    paras, credit_lines, source_lines, normalised = _split_credit_paragraphs(paragraphs)
    dateline = None
    if paras:
        dateline, first = split_dateline(paras[0])
        paras = [first, *paras[1:]] if first else paras[1:]
    return ArticleText(_body_from_paragraphs(paras, normalised), dateline, credit_lines, source_lines)
