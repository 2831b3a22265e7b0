"""The README's loading recipes (``<!-- recipe: name -->`` blocks of *Reading the output*), run as written on the
output of two real crawls of the bundled mirror.

The first run crawls only the jakarta portal, whose mirror articles credit no source: its files have ``source``
null throughout, the case that breaks a naive ``datasets`` JSON load. The second crawls every portal (jakarta's
articles are skipped as already emitted) and writes a ``duplicates.jsonl`` side file, which the globs must not
read.
"""

from __future__ import annotations

import glob
import json
import re
from collections import Counter
from dataclasses import fields
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from crawler.items import SCHEMA_VERSION, Article
from crawler.parquet import arrow_schema
from tests.crawlrun import read_jsonl, run_crawl
from tools.readme_tables import README

_RECIPE = re.compile(r"<!-- recipe: ([\w-]+) -->\n```python\n(.*?)```", re.S)


def recipes() -> dict[str, str]:
    return dict(_RECIPE.findall(README.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A folder with ``output/`` holding two runs' files, as a user's checkout has."""
    root = tmp_path_factory.mktemp("project")
    first = run_crawl(root / "output", "-a", "portals=jakarta", settings={"TRIBUN_PARQUET": "1"})
    second = run_crawl(root / "output", settings={"TRIBUN_PARQUET": "1"})
    assert first.returncode == 0 and second.returncode == 0, second.log[-3000:]
    return root


@pytest.fixture(scope="module")
def articles(project: Path) -> list[dict]:
    """Every article of both runs, read line by line with the json module from the run files."""
    folder = project / "output" / "tribun"
    runs = sorted(p for p in folder.glob("*.jsonl") if not p.name.endswith(".duplicates.jsonl"))
    assert len(runs) == 2
    first, second = (read_jsonl(p) for p in runs)
    # The arrangement the recipes must survive: a column null throughout one run and filled in the other,
    # and a side file beside the run files.
    assert {a["portal"] for a in first} == {"jakarta"} and all(a["source"] is None for a in first)
    assert any(a["source"] is not None for a in second) and "jakarta" not in {a["portal"] for a in second}
    assert list(folder.glob("*.duplicates.jsonl"))
    return first + second


@pytest.fixture
def run_recipe(project: Path, monkeypatch, tmp_path: Path):
    monkeypatch.chdir(project)
    # datasets writes its cache under HF_HOME and must not ask the Hub for anything.
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")

    def run(name: str) -> dict:
        namespace: dict = {"__name__": f"recipe_{name}"}
        exec(compile(recipes()[name], f"README.md recipe {name}", "exec"), namespace)
        return namespace

    return run


def test_the_readme_has_each_recipe():
    assert set(recipes()) == {"pandas-jsonl", "pandas-parquet", "duckdb", "datasets", "pyarrow"}


def test_the_documented_globs_match_run_files_only(project: Path, articles: list[dict]):
    folder = project / "output" / "tribun"
    for suffix in ("jsonl", "parquet"):
        matched = sorted(Path(p).name for p in glob.glob(str(folder / f"*Z.{suffix}")))
        assert len(matched) == 2 and all(re.fullmatch(rf"\d{{8}}T\d{{6}}\.\d{{6}}Z\.{suffix}", n) for n in matched)


def test_pandas_jsonl(run_recipe, articles):
    df = run_recipe("pandas-jsonl")["df"]
    assert len(df) == len(articles)
    assert sorted(df["url"]) == sorted(a["url"] for a in articles)
    for column in ("published_at", "modified_at", "crawled_at"):
        assert isinstance(df[column].dtype, pd.DatetimeTZDtype), column
    assert set(df["schema_version"]) == {SCHEMA_VERSION} and all(isinstance(f, str) for f in df["fingerprint"])
    by_url = {a["url"]: a for a in articles}
    for url, published in zip(df["url"], df["published_at"], strict=True):
        assert published == pd.Timestamp(by_url[url]["published_at"])  # the same instant, offset applied


def test_pandas_parquet(run_recipe, articles):
    namespace = run_recipe("pandas-parquet")
    df = namespace["df"]
    assert sorted(df["url"]) == sorted(a["url"] for a in articles)
    assert isinstance(df["published_at"].dtype, pd.DatetimeTZDtype) and str(df["published_at"].dt.tz) == "UTC"
    assert set(df["schema_version"]) == {SCHEMA_VERSION}
    by_url = {a["url"]: a for a in articles}
    for url, local in zip(df["url"], namespace["local_published"], strict=True):
        # Back to the very string the page gave: same wall-clock time, same offset.
        assert local.isoformat() == by_url[url]["published_at"]


def test_duckdb_reads_articles_only(run_recipe, articles):
    namespace = run_recipe("duckdb")
    expected = sorted(Counter(a["portal"] for a in articles).items())
    assert namespace["per_portal"] == expected
    assert namespace["per_portal_parquet"] == expected


def test_datasets_over_all_run_files(run_recipe, articles):
    namespace = run_recipe("datasets")
    parquet, from_json = namespace["articles"], namespace["articles_json"]
    assert parquet.num_rows == from_json.num_rows == len(articles)
    assert str(parquet.features["published_at"].dtype).startswith("timestamp[us, tz=UTC]")
    # The explicit Features name every field of the schema, so a new field cannot be forgotten silently.
    assert list(namespace["features"]) == [f.name for f in fields(Article)]
    assert sorted(from_json["url"]) == sorted(a["url"] for a in articles)
    assert sum(s is not None for s in from_json["source"]) == sum(a["source"] is not None for a in articles) > 0


def test_pyarrow_dataset(run_recipe, articles):
    table: pa.Table = run_recipe("pyarrow")["table"]
    assert table.num_rows == len(articles)
    assert table.schema.equals(arrow_schema())
    times = table.column("crawled_at").to_pylist()
    assert all(t.utcoffset() == timedelta(0) for t in times)
    assert json.dumps(sorted(table.column("url").to_pylist())) == json.dumps(sorted(a["url"] for a in articles))
