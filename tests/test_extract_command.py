"""`scrapy extract` (the project command) and the validation pipeline's drop accounting."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.statscollectors import StatsCollector

from crawler.items import Article
from crawler.pipelines.validate import ValidatePipeline
from tests.crawlrun import ROOT

SEED = ("bangka.tribunnews.com/2022/05/18/satu-anggota-diserang-anggota-lain-langsung-bantu-inilah-aliansi-"
        "militer-csto-yang-dipimpin-rusia")


def _extract(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", "extract", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_extract_prints_one_json_line():
    proc = _extract(f"mirror/{SEED}?page=all", "--url", f"https://{SEED}?page=all",
                    "--crawled-at", "2026-11-25T12:00:00+00:00")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 1
    item = json.loads(lines[0])
    assert item["url"] == f"https://{SEED}"
    assert item["authors"] == ["Iwan Satriawan CC"] and item["editors"] == ["Iwan Satriawan"]
    assert item["crawled_at"] == "2026-11-25T12:00:00+00:00"
    assert "\\u" not in lines[0]  # UTF-8, not escapes


def test_extract_reports_a_non_article_and_fails():
    proc = _extract("mirror/m.tribunnews.com/index.html", "--url", "https://m.tribunnews.com/")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "mirror/m.tribunnews.com/index.html" in proc.stderr


def _article(**changes) -> Article:
    fields = {"url": "https://bangka.tribunnews.com/2022/05/18/x", "portal": "bangka", "site_name": "Bangka Pos",
              "title": "Judul", "body": "Isi.", "published_at": "2022-05-18T10:32:15+07:00"}
    return Article(**{**fields, **changes})


class _Crawler:
    def __init__(self):
        self.settings = Settings()
        self.spider = None
        self.stats = StatsCollector(self)


@pytest.mark.parametrize(("change", "reason"), [
    ({"title": ""}, "no_title"), ({"body": ""}, "no_body"), ({"published_at": ""}, "no_published_at"),
])
def test_validate_drops_with_a_counted_reason_naming_the_url(change, reason):
    crawler = _Crawler()
    pipeline = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=re.escape("https://bangka.tribunnews.com/2022/05/18/x")):
        pipeline.process_item(_article(**change))
    assert crawler.stats.get_value(f"tribun/dropped/{reason}") == 1


def test_validate_passes_a_complete_article():
    crawler = _Crawler()
    article = _article()
    assert ValidatePipeline.from_crawler(crawler).process_item(article) is article
    assert crawler.stats.get_stats() == {}


P2020 = ("solo.tribunnews.com/2020/10/09/"
         "protokol-kesehatan-3m-adalah-vaksin-terbaik-cegah-covid-19-simak-penjelasan-dokter")
# A one-page article of the generated 2015 era; its ?page=all view shows no pager, as a one-page article's does.
ONE_PAGE = "www.tribunnews.com/nasional/2015/06/19/kemenhub-siapkan-3000-bus-tambahan-untuk-arus-mudik-lebaran-2015"


def test_extract_on_page_one_of_two_says_two_pages_and_that_the_body_is_one_page():
    """The real P2020 page is page 1 of 2 (its pager links ?page=2): the item says 2 pages, and stderr that the
    body is that one page."""
    proc = _extract(f"mirror/{P2020}", "--url", f"https://{P2020}", "--crawled-at", "2026-11-25T12:00:00+00:00")
    assert proc.returncode == 0, proc.stderr
    item = json.loads(proc.stdout)
    assert item["pages"] == 2
    assert "page 1 of 2: body is this one page only" in proc.stderr


def test_extract_on_a_whole_view_without_a_pager_does_not_guess_the_page_count():
    """A ?page=all view that shows no pagination looks the same for one page and for several: pages is null."""
    proc = _extract(f"mirror/{ONE_PAGE}?page=all", "--url", f"https://{ONE_PAGE}?page=all")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["pages"] is None
    assert proc.stderr == ""
