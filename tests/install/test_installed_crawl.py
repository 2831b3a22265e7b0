"""``pip install .`` (not editable): the crawl, started in a project folder that holds only ``scrapy.cfg``,
writes under that folder's output/, never beside the installed package."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.crawlrun import FAST, MIRROR, ROOT, read_jsonl

# The first setuptools that reads the SPDX `license` of pyproject.toml. An older one in this interpreter
# (it only matters to the build) means building in an isolated environment, which the package index supplies.
_SETUPTOOLS_SPDX = (77,)


def _build_isolation_args() -> list[str]:
    try:
        current = tuple(int(part) for part in version("setuptools").split(".")[:1])
    except Exception:
        return []
    return ["--no-build-isolation"] if current >= _SETUPTOOLS_SPDX else []


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, installed (without dependencies: this interpreter has them) into a
    folder of its own, as site-packages would hold it."""
    base = tmp_path_factory.mktemp("install")
    dist, site = base / "dist", base / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", *_build_isolation_args(), "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True, text=True, cwd=base)
    wheels = list(dist.glob("tribun_crawler-*.whl"))
    assert len(wheels) == 1, wheels
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheels[0])],
                   check=True, capture_output=True, text=True, cwd=base)
    return site


def _env(site: Path) -> dict[str, str]:
    # Only the installed copy is importable: neither the checkout nor its editable install.
    return {**os.environ, "PYTHONPATH": str(site)}


@pytest.mark.e2e
def test_installed_package_writes_under_the_project(installed: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "scrapy.cfg").write_text((ROOT / "scrapy.cfg").read_text(encoding="utf-8"), encoding="utf-8")
    # Started from a subfolder, as cron's `cd` into logs/ might: Scrapy and the default both go up to scrapy.cfg.
    workdir = project / "logs"
    workdir.mkdir()

    where = subprocess.run([sys.executable, "-c", "import crawler.settings as s; print(s.__file__)"],
                           cwd=workdir, env=_env(installed), capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(installed)

    cmd = [sys.executable, "-m", "scrapy", "crawl", "tribun", "-s", f"TRIBUN_MIRROR={MIRROR}"]
    for key, value in FAST.items():
        cmd += ["-s", f"{key}={value}"]
    proc = subprocess.run(cmd, cwd=workdir, env=_env(installed), capture_output=True, text=True, timeout=300)
    log = proc.stderr + proc.stdout
    assert proc.returncode == 0, log[-3000:]

    feeds = [p for p in (project / "output" / "tribun").glob("*.jsonl") if not p.name.endswith(".duplicates.jsonl")]
    assert len(feeds) == 1, log[-3000:]
    assert read_jsonl(feeds[0]), "the mirror's articles are in the project's feed"
    assert (project / "output" / ".state" / "tribun.sqlite3").is_file()
    # Nothing beside the installed package, nor in the folder the crawl was started from.
    assert not (installed / "output").exists()
    assert not (installed.parent / "output").exists()
    assert not (workdir / "output").exists()
