"""The shortcuts of the field readers give what the plain steps they skip would give.

Each test builds inputs around the case a shortcut skips (an element without attributes, a buffer of blanks, …)
and compares the shortcut with the plain composition of the public steps, or with an XPath/regex oracle of
tests/parsers/oracles.py.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from crawler.parsers import desktop2017, desktop2023, mobile, text
from tests.parsers import oracles
from tests.parsers.test_fast_paths import TREES

# -- is_noise: keys() before get() ---------------------------------------------------------------------------

_TAGS = st.sampled_from(["p", "div", "span", "strong", "a", "figure", "script", "li", "ins", "br"])
_ATTR_NAMES = st.sampled_from(["class", "id", "style", "href", "data-x", "Class", "ID", "title"])
_ATTR_VALUES = st.sampled_from([
    "", " ", "baca", "x baca", "ADS", "ads-top", "ads_x", "paywall-box", "topbanner", "caption y", "div-gpt",
    "google_ads1", "Related-box", "gpt", "content", "txt-article", "a\u00a0ads", "\tshare\n", "x",
])


def _element(tag: str, attrs: list[tuple[str, str]]) -> etree._Element:
    el = etree.Element(tag)
    for name, value in attrs:
        el.set(name, value)
    return el


@settings(max_examples=500)
@given(_TAGS, st.lists(st.tuples(_ATTR_NAMES, _ATTR_VALUES), max_size=4))
def test_is_noise_equals_its_get_based_composition(tag: str, attrs: list[tuple[str, str]]) -> None:
    el = _element(tag, attrs)
    plain = tag in text._NOISE_TAGS or text.noise_marked(el.get("class"), el.get("id"))
    assert text.is_noise(el) is plain


def test_is_noise_of_parsed_markup_and_comments() -> None:
    root = etree.HTML('<div><p>x</p><p class="baca">y</p><p id="ads1">z</p><!-- c --><p CLASS="Share">w</p></div>')
    div = root.find(".//div")
    assert [text.is_noise(el) for el in div] == [False, True, True, True, True]


# -- body_paragraphs: a buffer of blanks holds no paragraph ---------------------------------------------------

_BLANKS = st.sampled_from([" ", "\n", "\t", "\r", "\u00a0", "\u3000", "\x0b", "\x1c", "\u2028", "\u200b",
                           "\ufeff", "\x85", text._BR, "a", "é", "Baca juga: x", "."])


@settings(max_examples=800)
@given(st.lists(st.lists(_BLANKS, max_size=4).map("".join), min_size=1, max_size=5))
def test_flush_into_equals_keep_lines_of_the_buffer(buf: list[str]) -> None:
    joined = "".join(buf)
    fast: list[str] = []
    plain: list[str] = []
    text.flush_into(fast, buf)
    text.keep_lines(plain, joined)
    assert fast == plain
    assert buf == []


# -- random markup: label texts in element text, tails and comments, at any depth ------------------------------

_PIECES = st.sampled_from(["", " ", "\n\t", "\u00a0", "Diperbarui", " Diperbarui: 2 Mei", "x Diperbarui", "Tayang:",
                           "diperbarui", "Diperbaru", "1 Mei 2024", "page=2"])
_NODE_TAGS = st.sampled_from(["div", "span", "strong", "time", "p", "a", "h5", "!comment"])


def _random_trees(pieces: st.SearchStrategy[str], tags: st.SearchStrategy[str], *, max_depth: int,
                  root_children: int, empty: frozenset[str] = frozenset()) -> st.SearchStrategy[etree._Element]:
    """Random subtrees under a div: ``pieces`` as texts, tails and comments (tag "!comment"), ``tags`` as
    elements; the tags in ``empty`` get neither text nor children."""

    def node(draw: st.DrawFn, depth: int) -> etree._Element:
        tag = draw(tags)
        el = etree.Comment(draw(pieces)) if tag == "!comment" else etree.Element(tag)
        if tag != "!comment" and tag not in empty:
            el.text = draw(pieces) or None
            if depth < max_depth:
                for _ in range(draw(st.integers(0, 3))):
                    el.append(node(draw, depth + 1))
        el.tail = draw(pieces) or None
        return el

    @st.composite
    def trees(draw: st.DrawFn) -> etree._Element:
        root = etree.Element("div")
        root.text = draw(pieces) or None
        for _ in range(draw(st.integers(0, root_children))):
            root.append(node(draw, 1))
        return root

    return trees()


_trees = _random_trees(_PIECES, _NODE_TAGS, max_depth=4, root_children=4)


@settings(max_examples=600)
@given(_trees)
def test_diperbarui_elements_match_the_xpath(root: etree._Element) -> None:
    for scope in root.iter("*"):
        assert desktop2023.diperbarui_elements(scope) == oracles._X_DIPERBARUI(scope)


# -- noise_text: two ASCII letters that start no noise word skip the regex -------------------------------------

_NOISE_PIECES = st.sampled_from([
    "Baca", "baca", "BACA", "Simak", "lihat", "Tonton", "saksikan", "Halaman", "halaman", "juga", "pula", " ", ":",
    "berita lainnya", "selanjutnya", "1", "/", "2", "\u017fimak", "Ba", "Si", "\u0130", "K", "\u212a", "\u201c", "-",
    "•", "_", "ß", "ha", "Hal", "BANGKAPOS.COM", "Sejak", "Tayang", "l", "\u00a0", "é",
])


@settings(max_examples=1500)
@given(st.lists(_NOISE_PIECES, min_size=1, max_size=6).map("".join) | st.text(min_size=1, max_size=12))
@example("Halaman 1")
@example("\u017fimak juga")  # the long s matches "s" when the case is ignored
@example("\u201cBaca juga: x")
@example("Sejak pagi")
def test_noise_text_matches_the_regex(value: str) -> None:
    assert text.noise_text(value) is (text._NOISE_TEXT.match(value) is not None)


# -- body_paragraphs leaves blanks that would open the buffer out -------------------------------------------------


@settings(max_examples=800)
@given(st.lists(_BLANKS, min_size=1, max_size=4).map("".join), st.lists(_BLANKS, max_size=8).map("".join))
def test_leading_blanks_keep_no_other_lines(blanks: str, rest: str) -> None:
    if not blanks.isspace():
        return
    with_blanks: list[str] = []
    without: list[str] = []
    text.keep_lines(with_blanks, blanks + rest)
    text.keep_lines(without, rest)
    assert with_blanks == without


_BODY_PIECES = st.sampled_from(["", " ", "\n", "\n\t", "\u00a0", "\u200b", "a", "Baca juga: x", "b c", "\u3000"])
_BODY_TAGS = st.sampled_from(["p", "div", "span", "strong", "br", "li", "ul", "h2", "figure", "a", "!comment"])


_bodies = _random_trees(_BODY_PIECES, _BODY_TAGS, max_depth=3, root_children=6, empty=frozenset({"br"}))


@settings(max_examples=800)
@given(_bodies)
def test_body_paragraphs_equal_the_plain_walk(body: etree._Element) -> None:
    assert text.body_paragraphs(body) == text.body_paragraphs(body, skip_blanks=False)


# -- mobile.tag_links: the walk that replaced the tag-link XPath --------------------------------------------------

_CLASSES = st.sampled_from([None, "", "rd2", "x rd2", "rd23", "RD2", "r d2", "btn"])
_HREFS = st.sampled_from([None, "", "/tag/x", "https://m.tribunnews.com/tag/banjir", "/tags/x", "/TAG/x", "#"])


@settings(max_examples=400)
@given(st.lists(st.tuples(_CLASSES, _HREFS, st.booleans()), max_size=8))
def test_mobile_tag_links_match_the_xpath(links: list[tuple[str | None, str | None, bool]]) -> None:
    root = etree.HTML("<html><body><div id='a'></div><div id='b'><p></p></div></body></html>")
    holders = [root.find(".//div[@id='a']"), root.find(".//p")]
    for cls, href, deep in links:
        a = etree.SubElement(holders[deep], "a")
        if cls is not None:
            a.set("class", cls)
        if href is not None:
            a.set("href", href)
    for scope in (root, holders[0], holders[1]):
        assert mobile.tag_links(scope) == oracles.mobile_tag_links(scope)


@pytest.mark.parametrize("index", range(len(TREES)))
def test_mobile_tag_links_on_mirror_pages(index: int) -> None:
    assert mobile.tag_links(TREES[index]) == oracles.mobile_tag_links(TREES[index])


# -- desktop2017.inside: a scan of the box instead of the ancestors of the element --------------------------------


@settings(max_examples=300)
@given(_trees)
def test_inside_matches_the_ancestor_axis(root: etree._Element) -> None:
    elements = list(root.iter("*"))
    for el in elements:
        for box in elements:
            assert desktop2017.inside(el, box) is oracles.inside(el, box)


# -- tag_text: no second clean() without a "#" to strip -----------------------------------------------------------


@settings(max_examples=800)
@given(st.lists(st.sampled_from(["#", "# ", " ", "\u00a0", "\u200b", "a", "Banjir", "\t", "##", "é", "\u3000"]),
                max_size=8).map("".join) | st.text(max_size=20))
def test_tag_text_equals_clean_of_the_stripped_text(value: str) -> None:
    cleaned = text.clean(value)
    assert text.tag_text(cleaned) == text.clean(cleaned.lstrip("#"))
