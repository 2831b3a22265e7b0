"""Fuzzing: hostile pages and text never crash the parsers or the normalisers.

``crawler.parsers.parse_article`` may answer a RawArticle or raise NotAnArticle, nothing else; the
spider counts NotAnArticle as ``tribun/dropped/not_an_article`` (and any other exception, should one
slip through, as ``tribun/dropped/parser_error``). Pages are real ones (the bundled mirror and the
saved pages in ``shared/corpus/real``) mutated at the tree level (nodes deleted, duplicated, nested
thousands deep, key ids moved, JSON-LD broken) and at the byte level.

Runs are deterministic by default (``derandomize``), so CI does not flake on a newly found case. For a
longer, random search: ``FUZZ_EXAMPLES=5000 FUZZ_RANDOM=1 pytest tests/faults/test_fuzz.py``. A crash
found that way is kept below as an ``xfail(strict=True)`` example until its owner fixes it.
"""

from __future__ import annotations

import copy
import inspect
import os
import random
from datetime import UTC, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

from crawler.parsers import parse_article
from crawler.parsers.base import NotAnArticle, RawArticle

ROOT = Path(__file__).resolve().parents[2]
SHARED_PAGES = ROOT.parent / "shared" / "corpus" / "real"

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "80")),
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# Class names and ids the layout parsers key on: moving them onto the wrong nodes is the cheapest
# way to send a parser down a path its author did not expect.
_MARKERS = [("id", "arttitle"), ("id", "article_con"), ("id", "penulis"), ("id", "editor"),
            ("class", "side-article txt-article multi-fontsize"), ("class", "txt-article"), ("class", "paging"),
            ("class", "grey bdr3 pb10 pt10"), ("class", "total-page"), ("class", "tagcloud3"),
            ("class", "amp-article-body"), ("class", "credit"), ("itemprop", "articleBody")]


# Text lxml accepts as node content (no control characters, no lone surrogates); byte-level mutation
# below is where NULs and control characters get in.
_XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=200)


def _seed_pages() -> list[tuple[str, str]]:
    """(url, html) of real article pages: a sample of the mirror plus the shared saved pages."""
    pages: list[tuple[str, str]] = []
    mirror = ROOT / "mirror"
    if mirror.is_dir():
        files = sorted(p for p in mirror.rglob("*") if p.is_file() and p.stat().st_size > 5000
                       and "/20" in p.as_posix() and "index-news" not in p.as_posix())
        for path in random.Random(5).sample(files, min(8, len(files))):
            url = "https://" + path.relative_to(mirror).as_posix()
            pages.append((url.split("?", 1)[0], path.read_text(encoding="utf-8", errors="replace")))
    if SHARED_PAGES.is_dir():
        for path in sorted(SHARED_PAGES.glob("*.html")):
            host, day, slug = path.stem.split("_", 2)
            pages.append((f"https://{host}/{day.replace('-', '/')}/{slug}", path.read_text(encoding="utf-8")))
    return pages


SEEDS = _seed_pages()
pytestmark = pytest.mark.skipif(not SEEDS, reason="no real pages to mutate (mirror/ and shared/corpus/real missing)")


def check_parse(text: str, url: str) -> None:
    """The parser contract: a RawArticle, or NotAnArticle; any other exception fails the test."""
    try:
        result = parse_article(text, url)
    except NotAnArticle:
        return
    assert isinstance(result, RawArticle)
    assert isinstance(result.paragraphs, list) and all(isinstance(p, str) for p in result.paragraphs)
    assert result.page_count >= 1


@st.composite
def mutated_tree(draw: st.DrawFn) -> tuple[str, str]:
    url, page = draw(st.sampled_from(SEEDS))
    root = html.document_fromstring(page)
    for _ in range(draw(st.integers(1, 6))):
        nodes = [el for el in root.iter() if isinstance(el.tag, str) and el.getparent() is not None]
        if not nodes:
            break
        node = nodes[draw(st.integers(0, len(nodes) - 1))]
        parent = node.getparent()
        op = draw(st.sampled_from(["delete", "duplicate", "nest", "text", "marker", "jsonld", "empty"]))
        if op == "delete":
            parent.remove(node)
        elif op == "duplicate":
            for _ in range(draw(st.integers(1, 3))):
                node.addnext(copy.deepcopy(node))
        elif op == "nest":
            # Thousands of levels: libxml2 and recursive tree walks both have depth limits.
            depth = draw(st.sampled_from([10, 300, 3000]))
            outer = inner = etree.Element("div")
            for _ in range(depth - 1):
                inner = etree.SubElement(inner, draw(st.sampled_from(["div", "p", "span", "b"])))
            node.addprevious(outer)
            inner.append(node)
        elif op == "text":
            node.text = draw(_XML_TEXT)
        elif op == "marker":
            name, value = draw(st.sampled_from(_MARKERS))
            node.set(name, value)
        elif op == "jsonld":
            script = etree.SubElement(root.find("head") if root.find("head") is not None else root, "script",
                                      type="application/ld+json")
            script.text = draw(st.sampled_from(['{"@type": "NewsArticle", "headline": ', '[{"@graph": [[[[',
                                                '{"author": {"name": null}, "datePublished": 5}', "null", "[]",
                                                '{"@type":"NewsArticle","image":{"url":[1,{}]},"keywords":7}'])) \
                + draw(_XML_TEXT)
        else:  # empty
            node.clear()
    return url, html.tostring(root, encoding="unicode")


@st.composite
def mutated_bytes(draw: st.DrawFn) -> tuple[str, str]:
    url, page = draw(st.sampled_from(SEEDS))
    data = bytearray(page.encode("utf-8"))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "truncate", "overwrite"]))
        if op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 5000))]
        elif op == "truncate":
            del data[at:]
        else:
            chunk = draw(st.binary(min_size=1, max_size=64))
            data[at:at + len(chunk)] = chunk
    # Scrapy hands the parser decoded text; bytes that are not UTF-8 arrive as U+FFFD.
    return url, data.decode("utf-8", errors="replace")


@FUZZ
@given(mutated_tree())
def test_parser_survives_mutated_trees(case: tuple[str, str]):
    check_parse(case[1], case[0])


@FUZZ
@given(mutated_bytes())
def test_parser_survives_mutated_bytes(case: tuple[str, str]):
    check_parse(case[1], case[0])


@FUZZ
@given(st.text(max_size=3000), st.sampled_from([u for u, _ in SEEDS] or ["https://x"]))
def test_parser_survives_arbitrary_text(text: str, url: str):
    check_parse(text, url)


@pytest.mark.parametrize("wrap", ["<div>", "<table><tr><td>", "<b><i>"])
def test_parser_survives_extreme_nesting(wrap: str):
    url, page = SEEDS[0]
    depth = 20_000
    close = "".join(f"</{t.strip('<>')}>" for t in reversed(wrap.replace("><", ">|<").split("|")))
    check_parse(page.replace("<body", wrap * depth + "<body", 1) + close * depth, url)


# --- normalisers ---------------------------------------------------------------------------------

from crawler.normalise import dates, people, source, text  # noqa: E402 (the normaliser half of this file)

_TZ = timezone(datetime(2026, 1, 1, tzinfo=UTC).utcoffset())
_NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
_lines = st.lists(st.text(max_size=200), max_size=8)


@FUZZ
@given(st.text(max_size=400), _lines, st.sampled_from(["Bangka Pos", "Tribunnews.com", None]))
def test_text_normalisers_accept_any_text(value: str, lines: list[str], brand: str | None):
    text.normalise_text(value)
    text.clean_title(value, brand)
    text.split_dateline(value)
    text.fingerprint(value)
    text.split_credit_paragraphs(list(lines))
    text.body_from_paragraphs(list(lines))


@FUZZ
@given(_lines, _lines, _lines, st.one_of(st.none(), st.text(max_size=100)))
def test_people_and_source_accept_any_text(credits: list[str], authors: list[str], editors: list[str],
                                           structured: str | None):
    people.resolve_people(credits, authors, editors)
    source.parse_source(credits, structured)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["jsonld", "meta", "datalayer", "visible", "sitemap"]),
                          st.text(max_size=80)), max_size=5),
       st.one_of(st.none(), st.text(max_size=60)))
def test_dates_accept_any_text(candidates: list[tuple[str, str]], http_date: str | None):
    url = "https://bangka.tribunnews.com/2022/03/21/uji-coba"
    dates.parse_http_date(http_date)
    for _, value in candidates:
        dates.parse_date(value, _TZ, _NOW)
    dates.resolve_published(list(candidates), url, _TZ, _NOW)
    dates.resolve_modified(list(candidates), _TZ, _NOW)


@FUZZ
@given(st.data())
def test_every_public_single_text_normaliser_accepts_any_text(data: st.DataObject):
    """Public functions of crawler.normalise.* that take one str argument, found by signature."""
    import crawler.normalise as package

    modules = [m for m in (dates, people, source, text) if m is not None]
    modules += [getattr(package, name) for name in dir(package) if inspect.ismodule(getattr(package, name))]
    targets = []
    for module in dict.fromkeys(modules):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = [p for p in inspect.signature(fn).parameters.values() if p.default is p.empty]
            # Annotations are strings here (postponed evaluation); "object" means "anything, text included".
            if len(params) == 1 and str(params[0].annotation).replace(" ", "") in {"str", "str|None", "object"}:
                targets.append(fn)
    assert len(targets) >= 5, targets  # the discovery itself must not silently find nothing
    fn = data.draw(st.sampled_from(targets))
    fn(data.draw(st.text(max_size=300)))


@settings(FUZZ, max_examples=max(FUZZ.max_examples // 3, 10))  # each example parses a whole page, then normalises
@given(mutated_tree())
def test_normalising_a_mutated_page_never_raises(case: tuple[str, str]):
    """What the item pipeline does with whatever a hostile page parsed into."""
    from crawler.items import FetchedArticle
    from crawler.normalise.article import normalise_article

    url, page = case
    try:
        raw = parse_article(page, url)
    except NotAnArticle:
        return
    normalise_article(FetchedArticle(url=url, raw=raw, fetched_at=_NOW, http_date="Wed, 25 Nov 2026 12:00:00 GMT",
                                     pages=raw.page_count, discovered={"publication_date": raw.title}))
