"""XPath expressions the parsers' Python walks replace, kept as their specification: each walk named in a
docstring after one of these (``_X_TXT_ARTICLE`` → ``txt_article_divs``) must find exactly what it finds, on every
mirror page (tests/parsers/test_fast_paths.py). The parsers themselves never evaluate them."""

from __future__ import annotations

import re

from lxml import etree

_X_STRING = etree.XPath("string()")
_X_BODY_SCRIPT_TEXT = etree.XPath("/html/body/descendant::script[not(@src)]/text()")
_X_TXT_ARTICLE = etree.XPath("/descendant::div[contains(concat(' ', normalize-space(@class), ' '), ' txt-article ')]")
_X_DATE_BLOCK = etree.XPath("descendant::div[contains(concat(' ', normalize-space(@class), ' '), ' bdr3 ')]")
_X_DATE_AFTER_H1 = etree.XPath("following-sibling::div[position() <= 6][contains(@class, 'bdr3')][1]")
_X_TIME_BEFORE = etree.XPath("preceding::time[not(contains(@class, 'timeago'))][1]")
_X_TAYANG = etree.XPath("descendant::strong[starts-with(normalize-space(.), 'Tayang')]")
_X_DIPERBARUI = etree.XPath("descendant::*[starts-with(normalize-space(text()), 'Diperbarui')]")
_X_TIMEAGO_BEFORE = etree.XPath("preceding::span[contains(@class, 'timeago')][1]")
_X_PAGE_LINKS = etree.XPath(
    "descendant::a[contains(@href, 'page=')] | descendant::div[contains(@class, 'paging')]/descendant::a[@href]"
)
_X_TOTAL_PAGE = etree.XPath("descendant::span[contains(@class, 'total-page')]")
_X_BREADCRUMB = etree.XPath("/descendant::ul[contains(@class, 'breadcrumb')]")
_X_HIDDEN_LEDE = etree.XPath("descendant::h4[contains(@class, 'hide')]")

# desktop2017.glightbox_title: group 1 of a match, None without one.
_GLIGHTBOX_TITLE = re.compile(
    r"\s*title\s*:\s*(.*?)\s*;?\s*(?:;\s*(?:description|descPosition|type|effect|width|height|alt)\s*:.*)?$",
    re.I | re.S,
)


def mobile_tag_links(root: etree._Element) -> list[etree._Element]:
    """What mobile.tag_links finds: the mobile tag links, by the XPath it replaced."""
    return root.xpath("/descendant::a[contains(@class, 'rd2')][contains(@href, '/tag/')]")


def inside(el: etree._Element, box: etree._Element) -> bool:
    """What desktop2017.inside answers: ``box`` is on the ``ancestor::`` axis of ``el``."""
    return any(anc is box for anc in el.xpath("ancestor::*"))
