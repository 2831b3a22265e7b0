"""The close monitors on given final stats, run by spidermon's own runner on a real Scrapy crawler."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import scrapy
from scrapy.utils.test import get_crawler
from spidermon.contrib.scrapy.runners import SpiderMonitorRunner

from crawler import settings as project_settings
from crawler.items import Article
from crawler.monitors.coverage import CoverageCollector
from crawler.monitors.suites import CloseMonitorSuite

# Forty articles read, every field filled: the baseline each case below changes one thing of.
READ = {"finish_reason": "finished", "downloader/response_status_count/200": 60, "item_scraped_count": 40,
        "tribun/articles/fetched": 40,
        **{f"tribun/coverage/bangka/{name}": 40 for name in ("items", *project_settings.TRIBUN_MONITOR_COVERAGE)}}


def project_crawler(**overrides: Any) -> scrapy.crawler.Crawler:
    values = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    return get_crawler(scrapy.Spider, {**values, "TRIBUN_RECORD_RUN": False, **overrides})


def verdict(stats: dict[str, Any], caplog: pytest.LogCaptureFixture, **settings: Any) -> tuple[int, str]:
    crawler = project_crawler(**settings)
    spider = scrapy.Spider.from_crawler(crawler, name="tribun")
    crawler.spider = spider
    crawler.stats.set_stats(dict(stats))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="crawler.monitors.report"):
        SpiderMonitorRunner(spider=spider).run(CloseMonitorSuite(crawler=crawler), stats=crawler.stats.get_stats(),
                                               crawler=crawler, spider=spider, stats_history=[], job=None)
    lines = [r.getMessage() for r in caplog.records if r.name == "crawler.monitors.report"]
    assert len(lines) == 1, lines
    return crawler.stats.get_value("tribun/monitors/failed"), lines[0]


def test_the_baseline_passes(caplog: pytest.LogCaptureFixture):
    # The drift monitor has no history to read: these crawlers do not record their run.
    assert verdict(READ, caplog) == (0, "Monitors passed (6, 1 skipped)")


@pytest.mark.parametrize(("change", "finding"), [
    # 6 article 404s besides discovery's: 6 of 46 attempted (40 read + 6 lost).
    ({"tribun/errors/http_404": 106, "tribun/errors/discovery": 100},
     "Error rate: errors 13.0% > 10.0% (6 of 46 articles attempted)"),
    ({"tribun/dropped/no_body": 5}, "Error rate: dropped 12.5% > 10.0% (5 of 40 articles attempted)"),
    # 3 pages no layout read: 3 of 43 pages (under the drop limit: 3 of 43 attempted).
    ({"tribun/dropped/not_an_article": 3},
     "Layout drift: unread pages 7.0% > 5.0% (3 of 43: not_an_article, parser_error)"),
    # 3 of 41 pages read by the generic layout: pages of a layout no era parser knows.
    ({"tribun/layout/desktop2017": 38, "tribun/layout/generic": 3},
     "Layout drift: pages read by the generic layout 7.3% > 5.0% (3 of 41; desktop2017 38): a redesign no "
     "layout knows"),
    ({"tribun/schema/invalid": 1}, "Schema: invalid items 1 of 40"),
    ({"tribun/coverage/bangka/editors": 31}, "Field coverage: editors 77.5% < 80.0% (31 of 40)"),
    ({"tribun/coverage/bangka/title": 39}, "Field coverage: title 97.5% < 100.0% (39 of 40)"),
    ({"item_scraped_count": 0, **{k: 0 for k in READ if k.startswith("tribun/coverage/")}},
     "Items: items 0 although 60 response(s) answered"),
])
def test_each_monitor_fails_naming_its_figure(change: dict, finding: str, caplog: pytest.LogCaptureFixture):
    failed, line = verdict({**READ, **change}, caplog)
    assert failed == 1, line
    assert line.startswith("Monitors failed (1 of 6): ")
    assert finding in line


@pytest.mark.parametrize("change", [
    {"tribun/errors/http_404": 100, "tribun/errors/discovery": 100},  # sitemaps and listings only
    {"tribun/dropped/outside_window": 30},  # a backfill dropping what it was not asked for
    {"tribun/dedup/fingerprint": 30},  # duplicates are not drops
    {"tribun/layout/desktop2017": 39, "tribun/layout/generic": 1},  # one odd page in 40: 2.5 %
])
def test_what_is_not_a_loss_passes(change: dict, caplog: pytest.LogCaptureFixture):
    assert verdict({**READ, **change}, caplog)[0] == 0


def test_ratios_are_not_judged_below_the_minimum(caplog: pytest.LogCaptureFixture):
    few = {"finish_reason": "finished", "downloader/response_status_count/200": 9, "item_scraped_count": 4,
           "tribun/articles/fetched": 5, "tribun/errors/http_404": 3, "tribun/dropped/not_an_article": 1,
           "tribun/coverage/bangka/items": 4, "tribun/coverage/bangka/url": 4}
    # Coverage (4 items), error rate (9 attempted), layout drift (6 pages) and drift (no history) are skipped.
    assert verdict(few, caplog) == (0, "Monitors passed (6, 4 skipped)")
    assert verdict(few, caplog, TRIBUN_MONITOR_MIN_ITEMS=4)[0] == 3


def test_coverage_counts_null_empty_and_empty_lists_as_missing_and_checks_the_schema(caplog):
    crawler = project_crawler()
    crawler.stats.open_spider()
    collector = CoverageCollector(crawler)
    good = Article(url="https://bangka.tribunnews.com/2025/01/10/banjir", portal="bangka", site_name="Bangka Pos",
                   title="Banjir", body="Air naik.", published_at="2025-01-10T10:00:00+07:00",
                   crawled_at="2025-01-10T04:00:00+00:00", fingerprint="0" * 32, authors=["Adi"], section="")
    bad = Article(url="https://bangka.tribunnews.com/2025/01/11/x", portal="bangka", site_name="Bangka Pos",
                  title="X", body="Y.", published_at="2025-01-11", crawled_at="2025-01-11T04:00:00+00:00",
                  fingerprint="1" * 32, authors=[], lede=None)
    with caplog.at_level(logging.WARNING):
        collector.item_scraped(good)
        collector.item_scraped(bad)
    stats = crawler.stats.get_stats()
    assert "tribun/coverage/bangka/items" not in stats  # counted, added to the stats in batches
    assert stats["tribun/schema/invalid"] == 1
    collector.flush()  # as when the spider closes
    stats = crawler.stats.get_stats()
    assert stats["tribun/coverage/bangka/items"] == 2
    assert stats["tribun/coverage/bangka/authors"] == 1  # [] is missing
    assert "tribun/coverage/bangka/section" not in stats  # "" is missing
    assert "tribun/coverage/bangka/lede" not in stats  # null is missing
    assert stats["tribun/coverage/bangka/premium_teaser"] == 2  # False is a value
    assert stats["tribun/schema/invalid"] == 1  # a day is not a date-time with offset
    [warning] = [r.getMessage() for r in caplog.records if "does not match the schema" in r.getMessage()]
    assert warning.startswith("Item https://bangka.tribunnews.com/2025/01/11/x does not match the schema at "
                              "published_at: ")
