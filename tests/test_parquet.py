"""The Parquet feed: one Arrow schema from the Article dataclass, the same articles as the JSON lines, the same
finished-file and state rules, and a clear usage error when pyarrow is missing."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from dataclasses import asdict, fields, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crawler.feeds import PartFile
from crawler.items import Article, json_schema
from crawler.parquet import OFFSET_SUFFIX, ParquetItemExporter, arrow_schema
from crawler.safety import UnsafePathError, check_feed_target
from tests.crawlrun import ROOT, CrawlResult, crawl_command, crawl_env, read_jsonl, run_crawl
from tests.exporting import export_bytes
from tests.test_feed_exporter import ARTICLES as RAW_ARTICLES

# The feed exporter test's articles carry a 2025 fetch time, before which some mirror articles are "future"
# (published_at empty: the validate pipeline drops those before any feed); these are the ones a crawl emits.
ARTICLES = [a for a in RAW_ARTICLES if a.published_at]


def _export(items: list, **options) -> pa.Table:
    return pq.read_table(io.BytesIO(export_bytes(ParquetItemExporter, items, **options)))


def _as_json_line(row: dict) -> dict:
    """A Parquet row turned back into the JSON line's values: UTC time + offset → the ISO string as emitted."""
    line = {}
    for name, value in row.items():
        if name.endswith(OFFSET_SUFFIX):
            continue
        if isinstance(value, datetime):
            offset = row.get(name + OFFSET_SUFFIX, "+00:00")
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            delta = timedelta(hours=hours, minutes=minutes) * (-1 if offset[0] == "-" else 1)
            value = value.astimezone(timezone(delta)).isoformat()
        line[name] = value
    return line


# --- the schema ---------------------------------------------------------------------------------------------


def test_arrow_schema_agrees_with_the_json_schema_field_by_field():
    properties = json_schema()["properties"]
    schema = arrow_schema()
    data_columns = [name for name in schema.names if not name.endswith(OFFSET_SUFFIX)]
    assert data_columns == [f.name for f in fields(Article)] == list(properties)
    for name, prop in properties.items():
        column = schema.field(name)
        kinds = prop.get("type", "string")
        kinds = set(kinds) if isinstance(kinds, list) else {kinds}
        assert column.nullable == ("null" in kinds), name
        kinds.discard("null")
        if prop.get("format") == "date-time":
            assert column.type == pa.timestamp("us", tz="UTC"), name
            # Only a time that may carry a local offset keeps it in a column of its own.
            utc_only = prop["pattern"].endswith(r"\+00:00$")
            assert (name + OFFSET_SUFFIX in schema.names) != utc_only, name
            if not utc_only:
                offset = schema.field(name + OFFSET_SUFFIX)
                assert (offset.type, offset.nullable) == (pa.string(), column.nullable)
        elif kinds == {"array"}:
            assert column.type == pa.list_(pa.string()), name
        elif kinds == {"integer"}:
            assert column.type == pa.int64(), name
        elif kinds == {"boolean"}:
            assert column.type == pa.bool_(), name
        else:
            assert kinds == {"string"} and column.type == pa.string(), name
    # The offsets present are exactly those of published_at and modified_at (crawled_at is UTC by definition).
    assert [n for n in schema.names if n.endswith(OFFSET_SUFFIX)] == ["published_at_offset", "modified_at_offset"]


def test_the_schema_does_not_depend_on_the_items():
    empty = _export([])
    all_null = _export([replace(ARTICLES[0], lede=None, source=None, source_url=None, modified_at=None,
                                section=None, image_url=None, image_caption=None, dateline=None)])
    assert empty.schema.equals(arrow_schema()) and all_null.schema.equals(arrow_schema())
    assert empty.num_rows == 0 and all_null.column("source_url").null_count == 1


# --- the exporter -------------------------------------------------------------------------------------------


def test_rows_are_the_articles_with_typed_times():
    table = _export(ARTICLES)
    assert table.num_rows == len(ARTICLES) >= 40
    rows = table.to_pylist()
    assert [_as_json_line(row) for row in rows] == [asdict(a) for a in ARTICLES]
    jakarta = [row for row, a in zip(rows, ARTICLES, strict=True) if a.published_at.endswith("+07:00")]
    assert jakarta, "the mirror has WIB articles"
    for row in jakarta:
        assert row["published_at"].tzinfo is not None and row["published_at"].utcoffset() == timedelta(0)
        assert row["published_at_offset"] == "+07:00"


def test_written_in_row_groups_of_the_given_size():
    out = io.BytesIO()
    exporter = ParquetItemExporter(out, row_group_items=10)
    exporter.start_exporting()
    sizes_seen = []
    for item in ARTICLES:
        exporter.export_item(item)
        sizes_seen.append(len(exporter._rows))
    exporter.finish_exporting()
    # Never more than one row group waits in memory.
    assert max(sizes_seen) < 10
    meta = pq.ParquetFile(io.BytesIO(out.getvalue())).metadata
    assert meta.num_row_groups == -(-len(ARTICLES) // 10)
    assert meta.num_rows == len(ARTICLES)


def test_an_item_that_does_not_fit_is_left_out_with_one_line(caplog):
    bad = replace(ARTICLES[1], published_at="2022-03-21T10:25:00")  # no offset: which instant is unknown
    with caplog.at_level(logging.ERROR, logger="crawler.parquet"):
        table = _export([ARTICLES[0], bad, ARTICLES[2]])
    assert table.column("url").to_pylist() == [ARTICLES[0].url, ARTICLES[2].url]
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and bad.url in errors[0] and "published_at" in errors[0]


@pytest.mark.parametrize("change", [{"pages": "2"}, {"tags": "one,two"}, {"is_update": 1}, {"title": 7},
                                    {"pages": 2**70}, {"authors": ["A", None]}], ids=str)
def test_a_value_of_the_wrong_type_costs_only_its_item(change, caplog):
    good = [json.loads(json.dumps(asdict(a))) for a in ARTICLES[:3]]
    bad = {**good[1], **change}
    with caplog.at_level(logging.ERROR, logger="crawler.parquet"):
        table = _export([good[0], bad, good[2]], row_group_items=3)
    assert table.column("url").to_pylist() == [good[0]["url"], good[2]["url"]]
    [error] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert bad["url"] in error and next(iter(change)) in error


def test_dict_items_with_the_article_fields_are_written():
    item = json.loads(json.dumps(asdict(ARTICLES[0])))
    assert _as_json_line(_export([item]).to_pylist()[0]) == asdict(ARTICLES[0])


def test_a_parquet_feed_may_replace_only_a_parquet_file(tmp_path: Path):
    fake = tmp_path / "notes.parquet"
    fake.write_text("my notes\n")
    with pytest.raises(UnsafePathError, match="not an earlier feed output"):
        check_feed_target(fake, tmp_path, explicit=True)
    real = tmp_path / "real.parquet"
    pq.write_table(_export(ARTICLES[:1]), real)
    assert check_feed_target(real, tmp_path, explicit=True) == real


def test_appending_to_a_file_that_is_not_this_schema_fails_the_feed(tmp_path: Path, caplog):
    old = tmp_path / "x.parquet"
    pq.write_table(pa.table({"other": [1, 2]}), old)
    part = PartFile(io.FileIO(tmp_path / ".x.parquet.part", "w"), old)
    part.append_from = old
    with caplog.at_level(logging.ERROR):
        exporter = ParquetItemExporter(part)
        exporter.start_exporting()
        exporter.export_item(ARTICLES[0])
        exporter.finish_exporting()
    assert part.error is not None
    assert "cannot append" in caplog.text


# --- real crawls --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> CrawlResult:
    return run_crawl(tmp_path_factory.mktemp("parquet"), settings={"TRIBUN_PARQUET": "1"})


def test_tribun_parquet_writes_a_parquet_file_beside_the_jsonl(crawled: CrawlResult):
    assert crawled.returncode == 0, crawled.log[-3000:]
    folder = crawled.output_dir / "tribun"
    [jsonl] = crawled.feeds
    parquet = jsonl.with_suffix(".parquet")
    assert sorted(p.name for p in folder.glob("*.parquet")) == [parquet.name]
    assert not list(folder.glob(".*.part"))
    table = pq.read_table(parquet)
    assert table.schema.equals(arrow_schema())
    assert [_as_json_line(row) for row in table.to_pylist()] == read_jsonl(jsonl)
    assert crawled.stat("feedexport/success_count/AtomicFileFeedStorage") == 2
    # The state commits the run's articles once both feeds are finished.
    assert crawled.stat("tribun/state/committed") >= len(crawled.items) > 40


def test_dash_o_parquet_writes_and_appends(tmp_path: Path):
    target = tmp_path / "articles.parquet"
    first = run_crawl(tmp_path / "out", "-o", str(target))
    assert first.returncode == 0, first.log[-3000:]
    count = pq.read_metadata(target).num_rows
    assert count == first.stat("item_scraped_count") > 40
    # -o appends: a second run (ignoring the state, so the same articles again) leaves old + new rows.
    second = run_crawl(tmp_path / "out", "-o", str(target), "-a", "fresh=1")
    assert second.returncode == 0, second.log[-3000:]
    table = pq.read_table(target)
    assert table.num_rows == 2 * count
    assert table.schema.equals(arrow_schema())
    # -O replaces.
    third = run_crawl(tmp_path / "out", "-O", str(target), "-a", "fresh=1")
    assert third.returncode == 0 and pq.read_metadata(target).num_rows == count


_WITHOUT_PYARROW = ("import sys; sys.modules['pyarrow'] = None; from scrapy.cmdline import execute; "
                    "sys.argv = ['scrapy', *sys.argv[1:]]; execute()")


@pytest.mark.parametrize("args, settings, names", [
    ([], {"TRIBUN_PARQUET": "1"}, "TRIBUN_PARQUET=1"),
    (["-o", "{tmp}/x.parquet"], {}, "the Parquet feed {tmp}/x.parquet"),
])
def test_without_pyarrow_a_parquet_feed_is_a_usage_error(tmp_path: Path, args, settings, names):
    out = tmp_path / "out"
    args = [a.format(tmp=tmp_path) for a in args]
    cmd = crawl_command(out, *args, settings=settings, mirror=ROOT / "mirror")
    assert cmd[:3] == [sys.executable, "-m", "scrapy"]
    proc = subprocess.run([sys.executable, "-c", _WITHOUT_PYARROW, *cmd[3:]], cwd=ROOT, env=crawl_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr[-3000:]
    errors = [line for line in proc.stderr.splitlines() if "ERROR" in line]
    assert errors == [errors[0]] and names.format(tmp=tmp_path) in errors[0]
    assert "pip install '.[parquet]'" in errors[0]
    assert not out.exists() and not list(tmp_path.glob("*.parquet"))


def test_the_same_run_without_a_parquet_feed_needs_no_pyarrow(tmp_path: Path):
    cmd = crawl_command(tmp_path, "-a", "portals=bangka", mirror=ROOT / "mirror")
    proc = subprocess.run([sys.executable, "-c", _WITHOUT_PYARROW, *cmd[3:]], cwd=ROOT, env=crawl_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not list((tmp_path / "tribun").glob("*.parquet"))


def test_crawled_at_is_utc(crawled: CrawlResult):
    [jsonl] = crawled.feeds
    column = pq.read_table(jsonl.with_suffix(".parquet"), columns=["crawled_at"]).column("crawled_at")
    assert all(t.tzinfo is not None and t.utcoffset() == timedelta(0) for t in column.to_pylist())


def test_a_parquet_feed_that_cannot_be_finished_keeps_the_state_uncommitted(tmp_path: Path):
    out = tmp_path / "out"
    jsonl = tmp_path / "articles.jsonl"
    # /proc takes no new files, even from root: the Parquet feed's .part cannot be created.
    feeds = {str(jsonl): {"format": "jsonlines"}, "/proc/tribun-nowhere/articles.parquet": {"format": "parquet"}}
    failed = run_crawl(out, "-a", "portals=bangka", settings={"FEEDS": json.dumps(feeds)})
    assert failed.returncode == 1, failed.log[-3000:]
    assert failed.stat("feedexport/failed_count/AtomicFileFeedStorage") == 1
    assert failed.stat("tribun/state/commit_failed") == 1 and "State NOT committed" in failed.log
    first = len(read_jsonl(jsonl))
    assert first > 0
    # Nothing was recorded, so the next run (JSON lines only) writes the same articles again.
    again = run_crawl(out, "-a", "portals=bangka", "-O", str(tmp_path / "again.jsonl"))
    assert again.returncode == 0 and len(read_jsonl(tmp_path / "again.jsonl")) == first
