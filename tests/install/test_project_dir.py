"""The default output folder follows the Scrapy project a crawl runs in, not where the package is installed."""

from __future__ import annotations

from pathlib import Path

from crawler.project import default_output_dir, project_dir

ROOT = Path(__file__).resolve().parents[2]


def test_checkout_keeps_its_output_folder() -> None:
    # scrapy.cfg sits beside crawler/ in a checkout: the default stays the checkout's output/.
    assert default_output_dir(ROOT) == ROOT / "output"
    assert default_output_dir(ROOT / "crawler" / "spiders") == ROOT / "output"


def test_nearest_scrapy_cfg_wins(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    inner = outer / "jobs" / "inner"
    (inner / "logs").mkdir(parents=True)
    (outer / "scrapy.cfg").write_text("[settings]\ndefault = crawler.settings\n", encoding="utf-8")
    (inner / "scrapy.cfg").write_text("[settings]\ndefault = crawler.settings\n", encoding="utf-8")
    assert project_dir(inner / "logs") == inner.resolve()
    assert default_output_dir(outer / "jobs") == outer.resolve() / "output"


def test_without_a_project_the_current_folder(tmp_path: Path) -> None:
    # No scrapy.cfg at or above tmp_path (pytest's base temp is outside any project).
    assert project_dir(tmp_path) == tmp_path.resolve()
