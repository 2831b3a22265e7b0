"""The real ``scrapy crawl tribun`` over the bundled mirror, checked against what the mirror holds.

``tests/fixtures/mirror_expected.json`` is written by ``tools/build_mirror.py`` together with the
mirror, so these tests know every article, variant, syndicated copy and non-article URL in it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from crawler.downloaders.mirror import mirror_path
from crawler.items import json_schema
from tests.crawlrun import ROOT, CrawlResult, run_crawl

pytestmark = pytest.mark.e2e

EXPECTED = json.loads((ROOT / "tests" / "fixtures" / "mirror_expected.json").read_text(encoding="utf-8"))
ARTICLES = {a["url"]: a for a in EXPECTED["articles"]}
COPIES = {s["copy"]: s for s in EXPECTED["syndicated"]}


@pytest.fixture(scope="module")
def latest(tmp_path_factory) -> CrawlResult:
    return run_crawl(tmp_path_factory.mktemp("latest"))


def _words(text: str, n: int, last: bool = False) -> str:
    words = text.split()
    return " ".join(words[-n:] if last else words[:n])


def test_crawl_succeeds_and_leaves_only_finished_files(latest: CrawlResult):
    assert latest.returncode == 0, latest.log[-3000:]
    assert len(latest.feeds) == 1
    leftovers = [p.name for p in (latest.output_dir / "tribun").iterdir() if p.name.endswith(".part")]
    assert leftovers == []
    assert latest.stats["finish_reason"] == "finished"


def test_every_article_emitted_once(latest: CrawlResult):
    urls = [item["url"] for item in latest.items]
    assert [u for u, n in Counter(urls).items() if n > 1] == []
    fingerprints = [item["fingerprint"] for item in latest.items]
    assert [f for f, n in Counter(fingerprints).items() if n > 1] == []
    # Each syndicated pair yields exactly one item; which of the two wins depends on arrival order.
    unique = set(ARTICLES)
    for copy in COPIES.values():
        assert (copy["copy"] in urls) != (copy["original"] in urls), copy
        unique.discard(copy["copy"])
        unique.discard(copy["original"])
    expected_count = len(unique) + len(COPIES)
    assert len(urls) == expected_count
    assert set(urls) - set(ARTICLES) == set()


def test_items_are_schema_valid(latest: CrawlResult):
    validator = jsonschema.Draft202012Validator(json_schema())
    for item in latest.items:
        validator.validate(item)


def _pages_a_crawl_can_know(want: dict) -> int | None:
    """``pages`` of a mirror article as the crawl can know it. It asks for ``?page=all`` first. The mirror's
    whole view of a split article keeps its pager with "Semua" marked (tools/build_mirror.py), and a split article
    without a whole view is walked page by page: either way the count is known. A one-page article's whole view
    shows no pagination at all, which a split article's view may do too (seen live): unknown, null. Without a
    ``?page=all`` file the crawl reads page 1, whose missing pager says one page."""
    if want["pages"] > 1:
        return want["pages"]
    whole = mirror_path(ROOT / "mirror", want["url"] + "?page=all")
    return None if whole is not None and whole.is_file() else 1


def test_fields_match_the_mirror(latest: CrawlResult):
    for item in latest.items:
        want = ARTICLES[item["url"]]
        for name in ("portal", "title", "published_at", "authors", "editors", "source", "dateline"):
            assert item[name] == want[name], (item["url"], name)
        assert item["pages"] == _pages_a_crawl_can_know(want), item["url"]
        assert _words(item["body"], 8) == want["first_words"], item["url"]
        assert _words(item["body"], 8, last=True) == want["last_words"], item["url"]
        assert item["body"].count("\n\n") + 1 == want["paragraphs"], item["url"]


def test_each_page_is_counted_under_the_layout_that_read_it(latest: CrawlResult):
    # Each item names the layout that read its page 1, as the mirror built it; no mirror page needs generic.
    for item in latest.items:
        assert item["layout"] == ARTICLES[item["url"]]["layout"], item["url"]
    counted = {k.removeprefix("tribun/layout/"): v for k, v in latest.stats.items() if k.startswith("tribun/layout/")}
    assert "generic" not in counted
    for layout, items in Counter(item["layout"] for item in latest.items).items():
        assert counted.get(layout, 0) >= items, layout  # every page is counted, page 1 of each item among them


def test_multi_page_articles_are_whole(latest: CrawlResult):
    by_url = {item["url"]: item for item in latest.items}
    multi = [a for a in EXPECTED["articles"] if a["pages"] > 1 and a["url"] in by_url]
    assert len(multi) >= 4
    for article in multi:
        body = by_url[article["url"]]["body"]
        assert body.endswith(article["last_words"].split()[-1]) or article["last_words"] in body
        assert "Halaman selanjutnya" not in body


def test_non_articles_and_off_network_never_emitted(latest: CrawlResult):
    urls = {item["url"] for item in latest.items}
    assert not urls & set(EXPECTED["non_articles"])
    assert not urls & set(EXPECTED["off_network"])
    assert not urls & set(EXPECTED["missing"])
    for off in EXPECTED["off_network"]:
        assert off not in latest.log or "Filtered offsite" in latest.log


def test_backfill_window(tmp_path: Path):
    case = EXPECTED["backfill"]
    result = run_crawl(tmp_path, "-a", f"portals={case['portal']}", "-a", f"since={case['since']}",
                       "-a", f"until={case['until']}")
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(item["url"] for item in result.items) == sorted(case["urls"])


def test_given_urls_mode_refuses_off_network(tmp_path: Path):
    result = run_crawl(tmp_path, "-a", "urls=https://www.kompas.com/read/2025/01/01/x")
    assert result.returncode != 0
    assert "not a Tribun network URL" in result.log
    assert result.items == []


def test_workers_change_nothing_in_the_output(latest: CrawlResult, tmp_path: Path):
    """The same crawl with parsing and normalising in the crawl's own thread (TRIBUN_WORKERS=0) and with two
    worker processes emits the same articles, field for field (crawled_at aside)."""
    def by_url(result: CrawlResult) -> dict[str, dict]:
        assert result.returncode == 0, result.log[-3000:]
        return {item["url"]: {k: v for k, v in item.items() if k != "crawled_at"} for item in result.items}

    in_place = run_crawl(tmp_path / "in-place", settings={"TRIBUN_WORKERS": "0"})
    two = run_crawl(tmp_path / "two", settings={"TRIBUN_WORKERS": "2"})
    assert in_place.stats["tribun/workers"] == 0 and two.stats["tribun/workers"] == 2
    # Which of a syndicated pair wins depends on arrival order; everything else is the same.
    expected = by_url(latest)
    for result in (in_place, two):
        got = by_url(result)
        shared = set(got) & set(expected)
        assert len(shared) >= len(expected) - len(COPIES)
        assert {url: got[url] for url in shared} == {url: expected[url] for url in shared}
