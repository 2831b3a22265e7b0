"""Spider arguments and place-naming settings: a bad one is exit status 2, one log line, and nothing created."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from crawler.arguments import FIRST_DAY, SPIDER_ARGUMENTS, SpiderArgumentError, check_spider_arguments, latest_day
from tests.crawlrun import ROOT, crawl_command, crawl_env

TOMORROW = (latest_day() + timedelta(days=1)).isoformat()
ARTICLE = "https://bangka.tribunnews.com/2024/05/14/pemkot-pangkalpinang-gelar-pasar-murah-di-tujuh-kecamatan"


def _crawl(out: Path, *args: str, **settings: str) -> subprocess.CompletedProcess:
    cmd = crawl_command(out, *args, settings=settings, mirror=ROOT / "mirror")
    return subprocess.run(cmd, cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, settings, message", [
    (["-a", "portal=bangka"], {}, "unknown spider argument(s): -a portal; valid: " + ", ".join(SPIDER_ARGUMENTS)),
    (["-a", "_tribun_run_id=../../../x"], {}, "unknown spider argument(s): -a _tribun_run_id;"),
    (["-a", "name=other"], {}, "unknown spider argument(s): -a name;"),
    (["-a", "portals=bangk"], {}, "-a portals: unknown portal(s): bangk;"),
    (["-a", "since=0001-01-01"], {}, "-a since='0001-01-01': must be between 1995-01-01 and today"),
    (["-a", "since=1994-12-31"], {}, "-a since='1994-12-31': must be between 1995-01-01 and today"),
    (["-a", "since=2099-01-01"], {}, "-a since='2099-01-01': must be between 1995-01-01 and today"),
    (["-a", "since=2024-01-01", "-a", f"until={TOMORROW}"], {}, f"-a until='{TOMORROW}': must be between"),
    (["-a", "since=yesterday"], {}, "-a since='yesterday': expected a date as YYYY-MM-DD"),
    (["-a", "urls=https://bangka.tribunnews.com:8443/2024/05/14/x"], {}, "not a Tribun network URL"),
    ([], {"TRIBUN_MIRROR": "/nonexistent"}, "TRIBUN_MIRROR='/nonexistent' is not a directory"),
    ([], {"TRIBUN_ORIGIN": "garbage"}, "TRIBUN_ORIGIN='garbage': expected http://HOST[:PORT]"),
    ([], {"TRIBUN_ORIGIN": "http://127.0.0.1:9/path"}, "TRIBUN_ORIGIN='http://127.0.0.1:9/path': give only"),
    ([], {"TRIBUN_STATE_PATH": "../../x.sqlite3"}, "TRIBUN_STATE_PATH='../../x.sqlite3': a relative path"),
    ([], {"TRIBUN_STATE_PATH": ".state/../../x.sqlite3"}, "may not contain '..'"),
], ids=lambda v: str(v)[:40])
def test_a_usage_error_exits_2_with_one_line_and_creates_nothing(tmp_path: Path, args: list[str],
                                                                   settings: dict[str, str], message: str):
    out = tmp_path / "out"
    proc = _crawl(out, *args, **settings)
    log = proc.stderr + proc.stdout
    assert proc.returncode == 2, log[-3000:]
    errors = [line for line in log.splitlines() if "ERROR" in line or "CRITICAL" in line]
    assert len(errors) == 1, errors
    assert message in errors[0] and errors[0].endswith("Exit status 2."), errors[0]
    assert "Traceback" not in log
    assert not out.exists()  # no output/, no .state/, no lock file, no feed
    assert not (tmp_path / "x.sqlite3").exists() and not (tmp_path.parent / "x.sqlite3").exists()


def test_a_valid_crawl_still_starts_with_the_same_checks(tmp_path: Path):
    # The rules above must not refuse what is allowed: the oldest day, an absolute state path elsewhere.
    state = tmp_path / "elsewhere" / "state.sqlite3"
    proc = _crawl(tmp_path / "out", "-a", f"urls={ARTICLE}", "-a", "portals=bangka",
                  TRIBUN_STATE_PATH=str(state))
    assert proc.returncode == 0, (proc.stderr + proc.stdout)[-3000:]
    assert state.exists()
    assert check_spider_arguments({"since": FIRST_DAY.isoformat(), "until": latest_day().isoformat()}).since \
        == date(1995, 1, 1)


def test_no_argument_becomes_a_spider_attribute():
    from crawler.spiders import tribun as spider_module

    with pytest.raises(SpiderArgumentError, match="-a _tribun_run_id"):
        spider_module.TribunSpider(_tribun_run_id="../../x")
    with pytest.raises(SpiderArgumentError, match="-a start_urls"):
        spider_module.TribunSpider(start_urls="https://evil.example/")
    spider = spider_module.TribunSpider(portals="bangka", fresh="1")
    assert [p.key for p in spider.portals] == ["bangka"] and spider.fresh is True
    assert not hasattr(spider, "_tribun_run_id")


def test_the_spider_checks_the_settings_too(tmp_path: Path):
    # A spider made by another command (scrapy parse, a script) goes through the same rules.
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

    from crawler.spiders import tribun as spider_module

    crawler = Crawler(spider_module.TribunSpider, Settings({"TRIBUN_MIRROR": str(tmp_path / "none")}))
    with pytest.raises(SpiderArgumentError, match="TRIBUN_MIRROR"):
        spider_module.TribunSpider.from_crawler(crawler)
