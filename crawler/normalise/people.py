"""Authors, editors and photographers from Tribun credit lines.

Visible credit lines are the ground truth for roles. Structured data is only a fallback, because Tribun's
JSON-LD names the *editor* as ``author`` when ``Penulis`` is empty (real TribunSolo page, 2020).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from crawler.normalise import credits
from crawler.normalise.source import known_outlet
from crawler.normalise.text import strip_tags

__all__ = ["Credits", "clean_name", "parse_credit_line", "resolve_people"]


@dataclass
class Credits:
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)


# --- labels -----------------------------------------------------------------------------------------

# Every match starts at the string's start (`Oleh`) or on the first two letters of a label, `Laporan` or
# `Artikel`: the lookahead below rejects the other positions with two character tests instead of trying every
# branch there, which made a scan of a credit line cost many times its length in branch attempts.
_LABEL_STARTS = [label.casefold() for label in (*credits.LABELS, *credits.REPORTER_LABELS, "artikel")]
_LABEL_LETTER_1 = "".join(sorted({label[0] for label in _LABEL_STARTS}))
_LABEL_LETTER_2 = "".join(sorted({label[1] for label in _LABEL_STARTS}))

_LABEL = re.compile(
    rf"(?=^|(?i:[{_LABEL_LETTER_1}][{_LABEL_LETTER_2}]))"
    # `Penulis: X`, `Editor : Y`; a label glued to the previous name (`Iwan ArifiantoEditor : Muslimah`, the
    # Kompas-style block with no separator) must start with a capital so words merely ending in a label
    # (`Subeditor:`) are not split.
    rf"(?:(?P<colon>(?:(?<![^\W\d_])(?i:{credits.alternation()})|(?<=[A-Za-z.])(?:{credits.alternation()}))"
    rf"\s*:)"
    rf"|(?P<laporan>(?<![^\W\d_])(?i:{credits.alternation(credits.REPORTER_LABELS)})\b\s*:?)"
    rf"|(?P<oleh>^\s*(?i:{credits.alternation(credits.BYLINE_LABELS)})\b\s*:?)"
    rf"|(?P<footer>(?<![^\W\d_])(?i:{credits.FOOTER_LABEL})\b))"
)
_SPACES = re.compile(r"\s+")

# Separators between several names in one credit: `A, B`, `A / B`, `A | B`, `A & B`, `A dan B`.
_NAME_SPLIT = re.compile(r"\s*(?:[,;|/&+]|\s(?:dan|and)\s)\s*", re.I)

# --- clean_name -------------------------------------------------------------------------------------

_EMAIL = re.compile(r"\S+@\S+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_HANDLE = re.compile(r"(?<!\w)@\w+")
_BRACKETED = re.compile(r"\([^()]{0,40}\)|\[[^\[\]]{0,40}\]|\{[^{}]{0,40}\}")
_ROLE_PREFIX = re.compile(
    rf"^\s*(?:laporan\s+)?(?:{credits.alternation([*credits.LABELS, *credits.BYLINE_LABELS])})"
    r"\b\s*[:\-–—|]?\s*",
    re.I,
)
# Anything that is not a letter, combining mark, space or one of the name punctuation marks.
_NOT_NAME_CHAR = re.compile(r"[^\w\s.'’\-]|_|\d")
_EDGE_PUNCT = " -–—'’.,"
_DOMAIN_TOKEN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:com|co\.id|id|co|net|tv|org)$", re.I)
_TRIBUN_DESK = re.compile(r"^tribun[\w.-]*$", re.I)
_MAX_NAME_CHARS = 80
_MAX_NAME_WORDS = 8
# Lower-case particles inside Indonesian/Dutch-Indonesian names (`Muhammad bin Salman`, `van der Berg`).
_PARTICLES = frozenset({"bin", "binti", "van", "der", "den", "de", "da", "di", "la", "von", "al"})
# Values that name nobody: placeholders left by CMS templates, generic staff words.
_JUNK = frozenset({
    "admin", "administrator", "developer", "webmaster", "unknown", "anonim", "anonymous", "null", "none",
    "redaksi", "staff", "staf", "user", "guest",
    "n a", "na", "nan", "undefined", "dok", "dokumentasi", "istimewa", "net", "ist", "kolase",
    # A credit label alone (`Editor`, `Penulis`) left where a name should be.
    *(label.casefold() for label in credits.LABELS if label.isalpha()),
})


# Registry outlets whose one-word name is also a personal name (`Surya Paloh`): an outlet only when written
# all in capitals (`SURYA/Ahmad Zaimul`, the photo-credit style) or as a domain.
_NAME_LIKE_OUTLETS = frozenset({"surya", "sonora", "suara", "merdeka", "viva", "tempo", "intisari", "kontan",
                                "rol", "sripo", "serambi", "detik", "kompas"})


@lru_cache(maxsize=8192)
def _is_outlet(text: str) -> bool:
    text = text.strip(_EDGE_PUNCT)
    if not text:
        return False
    words = text.split()
    if len(words) == 1 and text.casefold() in _NAME_LIKE_OUTLETS and not text.isupper():
        return False
    if known_outlet(text) is not None:
        return True
    # Each pattern needs what is tested before it: a domain its dot, a desk its `tribun` (in ASCII letters any
    # case, or a non-ASCII letter IGNORECASE may take for one, such as the dotless `ı`).
    if len(words) == 1 and (("." in text and _DOMAIN_TOKEN.match(text))
                            or (_may_be_tribun(text) and _TRIBUN_DESK.match(text))):
        return True
    # `Tribun <Place>` desks not in the portal list (`Tribun Network`, `Tribun Sulbar`).
    return len(words) == 2 and words[0].casefold() == "tribun"


def _may_be_tribun(text: str) -> bool:
    head = text[:6]
    return not head.isascii() or head.lower() == "tribun"


def _is_desk_affix(words: list[str]) -> bool:
    """A desk in front of or behind a name: several words, a domain, or a Tribun name; a lone ambiguous
    word (`Surya Adi`) is part of the name."""
    text = " ".join(words)
    return _is_outlet(text) and (len(words) > 1 or "." in text or bool(_TRIBUN_DESK.match(text)))


def _strip_outlet_prefix(text: str) -> str:
    """`Tribun Medan Jefri Susetio` → `Jefri Susetio` (a reporter line without a comma after the desk)."""
    words = text.split()
    for n in range(min(4, len(words) - 1), 0, -1):
        if _is_desk_affix(words[:n]):
            return " ".join(words[n:])
    return text


def _strip_outlet_suffix(text: str) -> str:
    words = text.split()
    for n in range(min(4, len(words) - 1), 0, -1):
        if _is_desk_affix(words[-n:]):
            return " ".join(words[:-n])
    return text


def _cases(name: str) -> tuple[bool, bool]:
    """(has an upper-case letter, has a lower-case letter). In ASCII those are the letters lower() and upper()
    change, which two C calls find without a generator over the characters."""
    if name.isascii():
        return name.lower() != name, name.upper() != name
    return _cases_by_character(name)


def _cases_by_character(name: str) -> tuple[bool, bool]:
    return any(ch.isupper() for ch in name), any(ch.islower() for ch in name)


def _fix_case(name: str) -> str:
    has_upper, has_lower = _cases(name)
    words = name.split(" ")
    if has_upper and has_lower:
        # Mixed case is kept as written, except that an all-lower-case word is capitalised
        # (`iwan Arifianto` → `Iwan Arifianto`); particles after the first word stay lower-case.
        return " ".join(
            w.title() if w.islower() and (i == 0 or w not in _PARTICLES) else w for i, w in enumerate(words)
        )
    if has_upper and len(words) == 1 and len(name) <= 3:
        return name  # a short all-caps token is initials (`AR`), not a shouted name
    return " ".join(
        w.lower() if i > 0 and w.lower() in _PARTICLES else w.lower().title() for i, w in enumerate(words)
    )


# Phrases that start another credit (the labels `parse_credit_line` reads without a colon).
_MID_REPORTER_LABEL = re.compile(
    rf"(?<![^\W\d_])(?:{credits.alternation(credits.REPORTER_LABELS)}|{credits.FOOTER_LABEL})\b", re.I)
_INITIAL_AT_END = re.compile(r"(?:^|\s)[^\W\d_]{1,3}\.$")


_EDGE_PUNCT_NO_DOT = _EDGE_PUNCT.replace(".", "")


def _strip_edges(text: str) -> str:
    """Punctuation off both ends, except the dot of a final initial (`Iwan S.`)."""
    while True:
        before = text
        text = text.strip(_EDGE_PUNCT_NO_DOT).lstrip(".")
        if text.endswith(".") and not _INITIAL_AT_END.search(text):
            text = text.rstrip(".")
        if text == before:
            return text


def _clean_once(text: str) -> str | None:
    # " ".join(split()) is _SPACES.sub(" ", …).strip(): both take str.isspace() runs for the separators.
    text = " ".join(_strip_noise(text).split())
    while _may_start_with(text, _ROLE_PREFIX_HEADS):
        stripped = _ROLE_PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    # A reporter-line label inside the text starts another credit: keep what comes before it.
    if _may_hold_mid_label(text):
        text = _MID_REPORTER_LABEL.split(text, maxsplit=1)[0]
    text = text.strip()
    if not text:
        return None
    # One person: the first part that is not an outlet (`Tribun Medan/Jefri Susetyo`, `Jefri, S.H.`).
    parts = [p for p in _split_names(text) if p and p.strip(_EDGE_PUNCT)]
    parts = [p for p in parts if not _is_outlet(p)]
    if not parts:
        return None
    text = _strip_outlet_suffix(_strip_outlet_prefix(parts[0]))
    if _is_outlet(text):
        return None
    if not _letters_and_spaces(text):  # nothing of letters and spaces is a character the pattern replaces
        text = _NOT_NAME_CHAR.sub(" ", text)  # digits go too: `John Doe123` → `John Doe`
    # _strip_edges strips spaces first, so the edge space _SPACES.sub(" ", …) would leave makes no difference.
    text = _strip_edges(" ".join(text.split()))
    if not _has_two_letters(text):
        return None
    if len(text) > _MAX_NAME_CHARS or len(text.split()) > _MAX_NAME_WORDS:
        return None
    if _junk_key(text) in _JUNK:
        return None
    return unicodedata.normalize("NFC", _fix_case(text))


# Shortcuts for the patterns above, each a test of what a match needs, so that a plain name (`Andini Pratiwi`) is
# read without a regex.
_NAME_PUNCT_TO_SPACE = str.maketrans(dict.fromkeys(".'’-", " "))  # re.sub(r"[.'’\-]", " ", …)
# The first two letters of every label _ROLE_PREFIX reads (`laporan` included), lower case.
_ROLE_PREFIX_HEADS = credits.label_heads(("laporan", *credits.LABELS, *credits.BYLINE_LABELS))


def _may_start_with(text: str, heads: frozenset[str]) -> bool:
    """False only where no label of ``heads`` (:func:`credits.label_heads`) can start ``text`` after its leading
    whitespace, in any case."""
    head = credits.line_head(text)
    return head is None or head in heads


def _may_hold_mid_label(text: str) -> bool:
    """False only where _MID_REPORTER_LABEL cannot match: it needs `laporan` or `artikel`, ASCII any case, or one
    of those non-ASCII letters."""
    if not text.isascii():
        return True
    low = text.lower()
    return "laporan" in low or "artikel" in low


def _junk_key(text: str) -> str:
    """The form _JUNK is written in: `.`, `'`, `’` and `-` as spaces, whitespace collapsed, casefolded."""
    if not _letters_and_spaces(text):  # letters have none of those marks to replace
        text = text.translate(_NAME_PUNCT_TO_SPACE)
    return " ".join(text.split()).casefold()


def _has_two_letters(text: str) -> bool:
    # Two letters in front answer it without the generator over every character.
    return (len(text) > 1 and text[:2].isalpha()) or sum(ch.isalpha() for ch in text) >= 2


def _letters_and_spaces(text: str) -> bool:
    return text.replace(" ", "").isalpha()


def _split_names(text: str) -> list[str]:
    """_NAME_SPLIT.split(text). The pattern needs a separator character or `dan`/`and` (letters that take no
    non-ASCII letter under IGNORECASE) between two whitespace characters; a text of letters and single spaces
    has no whitespace but the space."""
    if _letters_and_spaces(text):
        low = text.lower()
        if " dan " not in low and " and " not in low:
            return [text]
    return _NAME_SPLIT.split(text)


def clean_name(value: object) -> str | None:
    """One person's name without role words, desk/outlet names, e-mails, URLs, initials codes or digits;
    all-lower/all-upper names title-cased, mixed case kept. Not a name → None."""
    if isinstance(value, dict):
        value = _dict_name(value)
    text = strip_tags(value)
    if text is None or len(text) > 500:
        return None
    return _clean_name_text(text)


@lru_cache(maxsize=8192)
def _clean_name_text(text: str) -> str | None:
    # The same few names recur on every page of a portal, so results are cached.
    # Each step can expose something another step removes (`ww*w.x` → `www.x`); run to a fixed point.
    for _ in range(6):
        cleaned = _clean_once(text)
        if cleaned is None or cleaned == text:
            return cleaned
        text = cleaned
    return text


def _dict_name(value: dict) -> object:
    name = value.get("name")
    if name:
        return name
    parts = [value.get(k) for k in ("givenName", "additionalName", "familyName")]
    parts = [p for p in parts if isinstance(p, str) and p.strip()]
    return " ".join(parts) if parts else None


# --- parse_credit_line ------------------------------------------------------------------------------

def _add(target: list[str], seen: set[str], name: str | None) -> None:
    if name and name.casefold() not in seen:
        seen.add(name.casefold())
        target.append(name)


def _strip_noise(text: str) -> str:
    """E-mails, URLs, handles and bracketed codes go before splitting: `(das/fdl)` and URLs contain `/`."""
    # Each pattern needs a character the text may not have; testing for it is much cheaper than a scan.
    if "@" in text:
        text = _EMAIL.sub(" ", text)
    if "://" in text or "." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _HANDLE.sub(" ", text)
    if "(" not in text and "[" not in text and "{" not in text:
        return text
    while True:
        stripped = _BRACKETED.sub(" ", text)
        if stripped == text:
            return text
        text = stripped


def _names(content: str) -> list[str]:
    return list(_names_of(content))


@lru_cache(maxsize=8192)
def _names_of(content: str) -> tuple[str, ...]:
    # Cached as _clean_name_text is: a credit's text between two labels is one or two names, and the same staff
    # names recur on every page of a portal.
    out: list[str] = []
    # Stripped first: a leading space would make the name `Dan Brown` look like the separator ` dan `.
    content = _strip_noise(content).strip()
    for part in _split_names(content):
        part = _strip_edges(part)
        if not part or _is_outlet(part):
            continue
        name = clean_name(_strip_outlet_prefix(part))
        if name:
            out.append(name)
    return tuple(out)


_PHOTO_CREDIT = re.compile(r"^\(?\s*(?P<a>[^/()]{2,60}?)\s*/\s*(?P<b>[^/()]{2,60}?)\s*\)?$")
_TRAILING_PHOTO_CREDIT = re.compile(r"\((?P<a>[^/()]{2,60}?)\s*/\s*(?P<b>[^/()]{2,60}?)\)\s*$")


def _photo_credit(text: str) -> str | None:
    """`Tribun Medan/Jefri Susetyo` or `Ucik Suwaibah/Tribun Batam`: the side that is not an outlet."""
    match = _PHOTO_CREDIT.match(text) or _TRAILING_PHOTO_CREDIT.search(text)
    if match is None:
        return None
    a, b = match.group("a"), match.group("b")
    if _is_outlet(a) and not _is_outlet(b):
        return clean_name(b)
    if _is_outlet(b) and not _is_outlet(a):
        return clean_name(a)
    return None


# A dateline glued behind a reporter line (`… Fahdi Fahlevi TRIBUNNEWS.COM, JAKARTA - Ketua …`).
_GLUED_DATELINE = re.compile(r"\s[A-Z][A-Z0-9-]{1,40}\.(?:COM|CO\.ID|ID|CO|NET)\b")


def _cut_glued_dateline(content: str) -> str:
    content = content.lstrip()
    match = _GLUED_DATELINE.search(content, 1)
    return content[: match.start()] if match else content


def _strip_reporter_desk(content: str) -> str:
    """`Tribun Medan Jefri Susetio` after `Laporan Wartawan` → `Jefri Susetio`: a reporter line names its desk
    before the reporter, so a known outlet of the registry there is the desk, even a one-word one that is also
    a personal name (`Laporan Wartawan Surya Ahmad Zaimul`: Surya is the newspaper). With a separator after
    the desk (`Tribun Medan, Jefri`) :func:`_names` already drops it."""
    words = content.split()
    if not words or words[0][-1:] in ",;|/&" or (len(words) > 1 and words[1][:1] in ",;|/&"):
        return content
    for n in range(min(4, len(words) - 1), 0, -1):
        if known_outlet(" ".join(words[:n])) is not None:
            return " ".join(words[n:])
    return content


def parse_credit_line(line: object) -> Credits:
    """Roles from one visible credit text, which may hold several (`Penulis: X | Editor: Y`, `Laporan Wartawan
    Tribun Medan, Jefri Susetio`, `Tribun Medan/Jefri Susetyo`, `Penulis/Editor: X`). Names in order,
    de-duplicated per role; roles from the one label table (:mod:`crawler.normalise.credits`)."""
    authors, editors, photographers = _line_credits(line) if type(line) is str else _text_credits(strip_tags(line))
    return Credits(list(authors), list(editors), list(photographers))


_CreditNames = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # authors, editors, photographers


@lru_cache(maxsize=4096)
def _line_credits(line: str) -> _CreditNames:
    # Cached as _names_of is: a portal's credit lines are a few staff names in a few shapes (`Editor: X`), met
    # again page after page; the result is immutable, parse_credit_line hands out fresh lists.
    return _text_credits(strip_tags(line))


def _text_credits(text: str | None) -> _CreditNames:
    if not text:
        return (), (), ()
    found = Credits()
    seen: dict[str, set[str]] = {credits.AUTHOR: set(), credits.EDITOR: set(), credits.PHOTO: set()}
    targets = {credits.AUTHOR: found.authors, credits.EDITOR: found.editors, credits.PHOTO: found.photographers}
    matches = list(_LABEL.finditer(text))
    if not matches:
        _add(found.photographers, seen[credits.PHOTO], _photo_credit(text))
        return (), (), tuple(found.photographers)
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        content = text[match.end():end]
        if match.group("footer"):
            continue
        if match.group("colon"):
            roles = [r for r in credits.roles_of(match.group("colon").rstrip(": \t")) if r in targets]
        else:
            roles = [credits.AUTHOR]
            content = _cut_glued_dateline(content)
            if match.group("laporan"):
                content = _strip_reporter_desk(content)
        if not roles:
            continue
        for name in _names(content):
            for role in roles:
                _add(targets[role], seen[role], name)
    return tuple(found.authors), tuple(found.editors), tuple(found.photographers)


# --- resolve_people ---------------------------------------------------------------------------------

def _flatten(value: object, depth: int = 0) -> list[object]:
    if value is None or depth > 5:
        return []
    if type(value) is list or type(value) is tuple:
        # What the parsers give (a list of strings), without isinstance(…, Iterable), an ABC check several times
        # the cost: a str item flattens to itself at any depth this recursion reaches.
        out_items: list[object] = []
        try:
            for item in value:
                if type(item) is str and depth < 5:
                    out_items.append(item)
                else:
                    out_items.extend(_flatten(item, depth + 1))
        except Exception:  # as below: what was read before a broken item counts, the rest does not
            return out_items
        return out_items
    if isinstance(value, (str, bytes, bytearray)):
        return [value]
    if isinstance(value, dict):
        return [_dict_name(value)]
    if isinstance(value, Iterable):
        out: list[object] = []
        try:
            for item in value:
                out.extend(_flatten(item, depth + 1))
        except Exception:  # a broken iterable contributes nothing rather than failing the item
            return out
        return out
    return []


def _structured_names(value: object) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for item in _flatten(value):
        for name in _item_names(item) if type(item) is str else _text_names(strip_tags(item)):
            _add(out, seen, name)
    return out


@lru_cache(maxsize=4096)
def _item_names(item: str) -> tuple[str, ...]:
    # A structured author or editor is one staff name, the same on every article of theirs: cached.
    return _text_names(strip_tags(item))


def _text_names(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    if _LABEL.search(text):
        authors, editors, _photographers = _line_credits(text)  # as parse_credit_line(text) reads it
        return authors + editors
    return _names_of(text)


def resolve_people(credit_lines: object, structured_authors: object,
                   structured_editors: object) -> tuple[list[str], list[str]]:
    """(authors, editors). Visible credits decide roles; a structured author is used only when no visible
    author exists and the name is not a known editor (the JSON-LD `author` = editor trap)."""
    authors: list[str] = []
    editors: list[str] = []
    seen_a: set[str] = set()
    seen_e: set[str] = set()
    for line in _flatten(credit_lines):
        line_authors, line_editors, _photographers = (
            _line_credits(line) if type(line) is str else _text_credits(strip_tags(line)))
        for name in line_authors:
            _add(authors, seen_a, name)
        for name in line_editors:
            _add(editors, seen_e, name)
    if editors and authors:
        return authors, editors  # the structured names would change nothing: not read at all
    fallback_editors = _structured_names(structured_editors)
    if not editors:
        for name in fallback_editors:
            _add(editors, seen_e, name)
    if not authors:
        known_editors = seen_e | {n.casefold() for n in fallback_editors}
        for name in _structured_names(structured_authors):
            if name.casefold() not in known_editors:
                _add(authors, seen_a, name)
    return authors, editors
