"""The head read's shortcuts give exactly what the plain code gives.

* ``parse_datalayer`` reads the plain ``'key': 'value'`` object by splitting on quotes instead of with the
  general pair scanner (:func:`crawler.parsers.datalayer.scan_pairs`); both must give the same pairs, in the same order;
* the document module's XPath objects, compiled without the EXSLT regular-expression set-up, find what the default
  compilation finds;
* ``page_for``'s memory of its latest answer gives the page its weak dictionary holds for that selector.
"""

from __future__ import annotations

import sys
import weakref
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from parsel import Selector

from crawler.parsers import datalayer, document
from tests.parsers.conftest import REPO

MIRROR = REPO / "mirror"
_MIRROR_FILES = sorted(p for p in MIRROR.rglob("*") if p.is_file())


def _scanned(script: str) -> list[tuple[str, str]]:
    """The general scanner's reading of ``script``: the plain path the shortcut must equal."""
    m = datalayer._DATALAYER_START.search(script)
    return list(datalayer.scan_pairs(script, m.end()).items()) if m else []


def _parsed(script: str) -> list[tuple[str, str]]:
    return list(datalayer.parse_datalayer(script).items())


def _is_plain(script: str) -> bool:
    m = datalayer._DATALAYER_START.search(script)
    return m is not None and datalayer.plain_pairs(script, m.end()) is not None


# Pieces of the plain shape, and the characters that break it (other quotes, escapes, newlines in keys, bare
# keys and values, braces inside values, whitespace of every kind the regexes' \s knows).
_KEYS = st.sampled_from(["editor", "penulis", "k", "", "a b", "x}", "é"])
_ODD_KEYS = st.sampled_from(['d"q', "n\nl"])
_VALUES = st.sampled_from(["", "v", " spaced ", "a}b", 'say "x"', "multi\nline", "tab\t", "é"])
_ODD_VALUES = st.sampled_from(["\\'", "\\u0041", "\\"])
_ODD_COLONS = st.sampled_from(["::", " : , ", "", ",:", ": :"])
_GAPS = st.sampled_from(["", " ", "\n\t  ", ",", " , ", ",,", "\u00a0", "\u2028", "\x0b"])
_ODD = st.sampled_from(["'", '"', "\\", "}", "{", ":", "k: 1", '"k": "v"', "'k': \"v\"", "'k': v", "$k: 'v'"])


@st.composite
def _datalayer_scripts(draw: st.DrawFn) -> str:
    parts = [draw(st.sampled_from(["dataLayer = [{", "dataLayer.push({", "dataLayer=[ {"]))]
    for _ in range(draw(st.integers(0, 6))):
        parts.append(draw(_GAPS))
        if draw(st.integers(0, 19)) == 0:
            parts.append(draw(_ODD))
        else:
            # One key, colon or value in about twenty is written the way only the scanner reads: about half
            # the scripts take the shortcut.
            key = draw(_ODD_KEYS if draw(st.integers(0, 19)) == 0 else _KEYS)
            value = draw(_ODD_VALUES if draw(st.integers(0, 19)) == 0 else _VALUES)
            colon = draw(_ODD_COLONS) if draw(st.integers(0, 19)) == 0 else ":"
            parts.append(f"'{key}'{draw(_GAPS.filter(lambda g: ',' not in g))}{colon}"
                         f"{draw(_GAPS.filter(lambda g: ',' not in g))}'{value}'")
    parts.append(draw(_GAPS))
    parts.append(draw(st.sampled_from(["}];", "});", "}", "}];", "});", "}", "", "]", " 'tail'", "}, 'after': 'x'}"])))
    return "".join(parts)


@settings(max_examples=600)
@given(_datalayer_scripts())
def test_plain_datalayer_matches_the_scanner(script: str) -> None:
    assert _parsed(script) == _scanned(script)


def test_plain_datalayer_examples() -> None:
    plain = "dataLayer = [{\n  'editor': 'A B',\n  'penulis':'',\n  'title' : ' T ',\n  'editor': 'C',\n }];"
    assert _is_plain(plain)
    assert _parsed(plain) == _scanned(plain) == [("editor", "A B"), ("penulis", ""), ("title", "T")]
    for odd in ("'k': \"v\"", "'k': 'a\\'b'", "k: 'v'", "'k': 1", "\"k\": 'v'"):
        script = plain.replace("'penulis':''", odd)
        assert not _is_plain(script)
        assert _parsed(script) == _scanned(script)


def test_plain_datalayer_split_bound() -> None:
    for count in (datalayer._MAX_PLAIN_PAIRS - 1, datalayer._MAX_PLAIN_PAIRS, datalayer._MAX_PLAIN_PAIRS + 1):
        pairs = ",".join(f"'k{i}': 'v{i}'" for i in range(count))
        for tail in ("}];", "}]; var x = 'a', y = 'b';"):
            script = "dataLayer = [{" + pairs + tail
            assert _is_plain(script) == (count <= datalayer._MAX_PLAIN_PAIRS)
            assert _parsed(script) == _scanned(script)
            assert len(_parsed(script)) == count


def test_datalayer_on_mirror_pages_takes_the_plain_path() -> None:
    plain = 0
    for path in _MIRROR_FILES:
        tree = etree.HTML(path.read_bytes(), etree.HTMLParser(encoding="utf-8"))
        if tree is None:
            continue
        for script in tree.xpath("//script/text()"):
            if "dataLayer" in script:
                assert _parsed(script) == _scanned(script)
                plain += _is_plain(script)
    assert plain > 50  # the generated pages' dataLayer takes the shortcut


def test_mirror_has_pages() -> None:
    assert any(isinstance(p, Path) for p in _MIRROR_FILES)


def _module_xpaths() -> list[tuple[str, etree.XPath]]:
    found = []
    for name in sorted(sys.modules):
        if name == "crawler.parsers" or name.startswith("crawler.parsers."):
            for attr, value in vars(sys.modules[name]).items():
                for one in value.values() if isinstance(value, dict) else (value,):
                    if isinstance(one, etree.XPath):
                        found.append((f"{name}.{attr}", one))
    return found


def test_parser_xpaths_match_their_regexp_twins() -> None:
    # The parsers' XPath objects skip lxml's EXSLT regular-expression set-up: none may use re:, and each must find
    # what the default (regexp=True) compilation of the same expression finds, from the root and from the
    # elements the relative ones start at.
    import crawler.parsers.listings  # noqa: F401  (not imported by the article parsers)

    xpaths = [(name, xpath, etree.XPath(xpath.path)) for name, xpath in _module_xpaths() if "$" not in xpath.path]
    assert len(xpaths) > 25 and not [name for name, xpath, _ in xpaths if "re:" in xpath.path]
    checked = 0
    for path in _MIRROR_FILES:
        root = etree.HTML(path.read_bytes(), etree.HTMLParser(encoding="utf-8"))
        if root is None:
            continue
        contexts = [root, *[el for el in root.iter("h1", "div", "time", "amp-img", "img")][:15]]
        for name, xpath, twin in xpaths:
            for context in contexts:
                assert xpath(context) == twin(context), (name, path)
        assert document._X_ID(root, i="arttitle") == etree.XPath(document._X_ID.path)(root, i="arttitle")
        checked += 1
    assert checked > 50


@settings(max_examples=200)
@given(st.lists(st.tuples(st.sampled_from(["ask", "drop"]), st.integers(0, 2)), max_size=30))
def test_page_for_latest_matches_the_dictionary(steps: list[tuple[str, int]]) -> None:
    # page_for remembers its latest answer besides the weak dictionary: every answer must be the dictionary's
    # page of that very selector, never the page of a selector that died (whose id a new one may reuse).
    html = "<html><head><title>t</title></head><body><p>x</p></body></html>"
    sels: list[Selector | None] = [None, None, None]
    pages: list[Any] = [None, None, None]
    for action, i in steps:
        if action == "drop":
            gone = weakref.ref(sels[i]) if sels[i] is not None else None
            sels[i] = pages[i] = None
            # Selectors and pages hold no reference cycles: the last reference dropped frees them at once (no
            # gc.collect(), which costs a tenth of a second a step), so a new selector may take the dead one's id.
            assert gone is None or gone() is None
            continue
        sel = sels[i]
        if sel is None:
            sel = sels[i] = Selector(root=etree.HTML(html), type="html")
        page = document.page_for(sel)
        assert page is document._PAGES[sel]
        assert page.root is sel.root
        if pages[i] is not None:
            assert page is pages[i]
        pages[i] = page
        assert all(page is not other for j, other in enumerate(pages) if j != i)
        sel = page = None  # only the lists hold them, so that a drop frees them


def test_datalayer_scripts_merge_first_value_wins() -> None:
    # The first dataLayer script fills the empty dict at once; later ones only add keys not seen yet.
    first = "<script>dataLayer = [{'a': '1', 'b': '2'}];</script>"
    second = "<script>dataLayer.push({'b': 'x', 'c': '3', 'a': 'y'});</script>"
    ld = '<script type="application/ld+json">{"@type": "NewsArticle"}</script>'
    for head, body in ((first + second + ld, ""), (ld, first + second), ("", first + second + ld)):
        html = f"<html><head><title>t</title>{head}</head><body><p>x</p>{body}</body></html>"
        page = document.Page(Selector(root=etree.HTML(html), type="html"))
        assert list(page.datalayer.items()) == [("a", "1"), ("b", "2"), ("c", "3")]
