"""Ad-hoc Scrapy commands against the bundled mirror while a crawl holds the state lock: they work, print what
they were asked for, and leave the output folder and the state exactly as they were."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawlrun import MIRROR, ROOT, SCRAPY, crawl_env
from tests.dedup.crawls import FAKE, crawl, start, wait_for
from tests.dedup.fakespiders import fake_url
from tests.faults.crawling import mirror_file, pick

pytestmark = pytest.mark.e2e

ARTICLE = pick(1)[0]  # a one-page article of the mirror
LONG = pick(1, pages=2)[0]  # an article published on two pages


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` with its content (the running crawl's lock and hidden feed included)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def busy_output(tmp_path: Path) -> Iterator[Path]:
    """An output folder with an earlier finished run and a crawl in progress holding the state lock."""
    out = tmp_path / "out"
    assert crawl("fake", out, "-a", "n=2", settings=FAKE).returncode == 0
    proc = start("fake", out, "-a", "first=10", "-a", "n=1", "-a", "hang=1", settings=FAKE)
    try:
        wait_for(lambda: any((out / "tribun").glob(".*.part")), proc)
        yield out
        assert proc.poll() is None  # the crawl was never disturbed
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def scrapy(out: Path, *args: str) -> subprocess.CompletedProcess:
    settings = ["-s", f"TRIBUN_OUTPUT_DIR={out}", "-s", f"TRIBUN_MIRROR={MIRROR}"]
    return subprocess.run([*SCRAPY, *args, *settings], cwd=ROOT, env=crawl_env(), capture_output=True, text=True,
                          timeout=300)


def test_adhoc_commands_work_during_a_crawl_and_write_nothing(busy_output: Path):
    out = busy_output
    before = snapshot(out)

    parsed = scrapy(out, "parse", ARTICLE)
    assert parsed.returncode == 0, parsed.stderr[-3000:]
    assert "NotImplementedError" not in parsed.stderr and "StateLocked" not in parsed.stderr
    assert f"'url': '{ARTICLE}'" in parsed.stdout
    assert "'fingerprint': '" in parsed.stdout and "'published_at': '" in parsed.stdout  # normalised, not raw

    fetched = scrapy(out, "fetch", "--nolog", ARTICLE)
    assert fetched.returncode == 0, fetched.stderr[-3000:]
    assert fetched.stdout.rstrip("\n") == mirror_file(ARTICLE).read_text(encoding="utf-8").rstrip("\n")

    shell = scrapy(out, "shell", ARTICLE, "--nolog", "-c", "(response.status, response.url)")
    assert shell.returncode == 0, shell.stderr[-3000:]
    assert shell.stdout.strip() == repr((200, ARTICLE))

    checked = scrapy(out, "check", "tribun")
    assert checked.returncode == 0, checked.stderr[-3000:]

    extracted = scrapy(out, "extract", str(mirror_file(ARTICLE)), "--url", ARTICLE)
    assert extracted.returncode == 0, extracted.stderr[-3000:]
    assert json.loads(extracted.stdout)["url"] == ARTICLE

    assert snapshot(out) == before  # no run feed, stats file, state row or reservation from any of them


def test_parse_follows_a_long_article_to_its_item(tmp_path: Path):
    out = tmp_path / "out"
    parsed = scrapy(out, "parse", "--depth", "3", LONG)
    assert parsed.returncode == 0, parsed.stderr[-3000:]
    assert f"'url': '{LONG}'" in parsed.stdout
    assert "'pages': 2," in parsed.stdout
    assert not out.exists()


def test_an_emitted_article_is_still_shown(tmp_path: Path):
    """The state is not consulted: an article a crawl already emitted is fetched and parsed all the same."""
    out = tmp_path / "out"
    first = crawl("tribun", out, "-a", f"urls={ARTICLE}", settings={"TRIBUN_MIRROR": str(MIRROR)})
    assert first.returncode == 0, first.log[-3000:]
    db = sqlite3.connect(out / ".state" / "tribun.sqlite3")
    assert db.execute("SELECT count(*) FROM articles WHERE url = ?", (ARTICLE,)).fetchone() == (1,)
    db.close()
    parsed = scrapy(out, "parse", ARTICLE)
    assert f"'url': '{ARTICLE}'" in parsed.stdout, parsed.stderr[-3000:]


def test_a_crawl_that_does_not_record_ignores_the_state_and_its_lock(busy_output: Path):
    state = (busy_output / ".state" / "tribun.sqlite3").read_bytes()
    run = crawl("fake", busy_output, "-a", "n=3", settings={**FAKE, "TRIBUN_RECORD_RUN": "0"})
    assert run.returncode == 0, run.log[-3000:]
    # Articles 0 and 1 were emitted by the earlier run: not recording, this run does not skip them either.
    assert [item["url"] for item in run.items] == [fake_url(i) for i in range(3)]
    assert (busy_output / ".state" / "tribun.sqlite3").read_bytes() == state
    assert not [p for p in (busy_output / "tribun").glob("*.stats.json") if run.feeds[-1].stem in p.name]
