"""The credit-line vocabulary: every label a Tribun page writes before a name or an outlet, and its roles.

:data:`LABELS` is the one table of labels → roles. People normalisation (``people``), body cleaning
(``text``) and the source normaliser (``source``) read their patterns from here, so a label added to the
table is recognised everywhere at once: as a credit line moved out of the body, as the role of the names
after it, and as a word that is never part of a name or an outlet.

A label is written as on the page. Inside a label a space stands for any whitespace, and ``/``, ``&`` and
`` dan `` may have spaces around them or not (`Penulis/Editor`, `Penulis / Editor`). A compound label gives
the names after it every role it lists (`Penulis/Editor: Budi` → author and editor Budi).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "AUTHOR",
    "BYLINE_LABELS",
    "EDITOR",
    "FOOTER_LABEL",
    "IGNORE",
    "LABELS",
    "LINE_STARTS",
    "PHOTO",
    "REPORTER_LABELS",
    "SOURCE",
    "alternation",
    "label_key",
    "roles_of",
]

AUTHOR, EDITOR, PHOTO, SOURCE, IGNORE = "author", "editor", "photo", "source", "ignore"

# Labels followed by a colon (`Penulis: X`), and the roles of the names after them. `ignore`: people who
# are neither authors nor editors of the text (video, production).
LABELS: dict[str, tuple[str, ...]] = {
    "Penulis": (AUTHOR,),
    "Penulis Naskah": (AUTHOR,),
    "Reporter": (AUTHOR,),
    "Pewarta": (AUTHOR,),
    "Kontributor": (AUTHOR,),
    "Wartawan": (AUTHOR,),
    "Jurnalis": (AUTHOR,),
    "Koresponden": (AUTHOR,),
    "Editor": (EDITOR,),
    "Editor Bahasa": (EDITOR,),
    "Penyunting": (EDITOR,),
    "Redaktur": (EDITOR,),
    "Pewarta Foto": (PHOTO,),
    "Editor Foto": (PHOTO,),
    "Fotografer": (PHOTO,),
    "Foto": (PHOTO,),
    "Video Editor": (IGNORE,),
    "Editor Video": (IGNORE,),
    "Produser": (IGNORE,),
    "Sumber": (SOURCE,),
    # One person credited in two roles.
    "Penulis/Editor": (AUTHOR, EDITOR),
    "Penulis & Editor": (AUTHOR, EDITOR),
    "Penulis dan Editor": (AUTHOR, EDITOR),
    "Editor/Penulis": (AUTHOR, EDITOR),
    "Reporter/Editor": (AUTHOR, EDITOR),
    "Reporter & Editor": (AUTHOR, EDITOR),
    "Pewarta/Editor": (AUTHOR, EDITOR),
    "Penulis/Fotografer": (AUTHOR, PHOTO),
}

# Reporter lines (`Laporan Wartawan Tribun Medan, Jefri Susetio`): a desk or outlet, then the author; no colon.
REPORTER_LABELS: tuple[str, ...] = ("Laporan Wartawan", "Laporan Reporter", "Laporan Koresponden",
                                    "Laporan Kontributor", "Laporan Jurnalis")
# Bylines that open a credit with the author's name, colon optional (`Oleh: X`, `By X`).
BYLINE_LABELS: tuple[str, ...] = ("Oleh", "By", "Written by")
# The syndication footer (`Artikel ini telah tayang di <outlet> dengan judul …`): names the source outlet.
FOOTER_LABEL = r"artikel\s+ini\s+(?:telah\s+)?tayang\s+di"

# What a visible credit line starts with, for finding credit elements in markup.
LINE_STARTS: tuple[str, ...] = (*dict.fromkeys(label.split()[0].split("/")[0] for label in LABELS),
                                *dict.fromkeys(label.split()[0] for label in REPORTER_LABELS))

_SPACES = re.compile(r"\s+")
_SEPARATOR = re.compile(r"\s*(/|&)\s*|\s+(dan)\s+|\s+", re.I)


def _label_regex(label: str) -> str:
    parts: list[str] = []
    pos = 0
    for match in _SEPARATOR.finditer(label):
        parts.append(re.escape(label[pos:match.start()]))
        if match.group(1):
            parts.append(rf"\s*{re.escape(match.group(1))}\s*")
        elif match.group(2):
            parts.append(r"\s+dan\s+")
        else:
            parts.append(r"\s+")
        pos = match.end()
    parts.append(re.escape(label[pos:]))
    return "".join(parts)


def alternation(labels: object = None) -> str:
    """A regex alternation of ``labels`` (default: every label of :data:`LABELS`), longest first so that
    `Pewarta Foto` wins over `Pewarta` and `Penulis/Editor` over `Penulis`; case as written (wrap it in
    ``(?i:…)`` to ignore case)."""
    chosen = list(LABELS) if labels is None else list(labels)  # type: ignore[call-overload]
    return "|".join(_label_regex(label) for label in sorted(chosen, key=len, reverse=True))


def label_key(text: str) -> str:
    """The lookup form of a label as found on a page: lower case, no spaces around `/` and `&`, single spaces."""
    text = _SPACES.sub(" ", text.strip().casefold())
    return re.sub(r"\s*([/&])\s*", r"\1", text)


_ROLES_BY_KEY: dict[str, tuple[str, ...]] = {label_key(label): roles for label, roles in LABELS.items()}


@lru_cache(maxsize=1024)
def roles_of(label: str) -> tuple[str, ...]:
    """The roles of a label as found on a page (any case and spacing); () for a word not in the table."""
    return _ROLES_BY_KEY.get(label_key(label), ())


def labels_with(*roles: str) -> list[str]:
    """The labels of :data:`LABELS` that give any of ``roles``."""
    return [label for label, label_roles in LABELS.items() if set(label_roles) & set(roles)]


def label_heads(labels: Iterable[str]) -> frozenset[str]:
    """The first two letters of each of ``labels``, casefolded: what a line must open with for one to start it."""
    return frozenset(label[:2].casefold() for label in labels)


def line_head(text: str) -> str | None:
    """The first two characters of ``text`` after its leading whitespace, lower case, to look up in
    :func:`label_heads`; None when they are not ASCII, which a case-ignoring pattern may take for ASCII letters
    (the Kelvin sign for `k`, the long `ſ` for `s`, the dotless `ı` for `i`): such a text may open with any label."""
    head = text.lstrip()[:2]
    return head.lower() if head.isascii() else None
