"""Fixtures of the fault suite: the fault-injecting server and a tiny mirror for tests that need no parser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.server import FaultServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tiny_mirror(tmp_path: Path) -> Path:
    """A three-file mirror in the wget layout: enough for the server and origin-handler tests."""
    root = tmp_path / "mirror"
    host = root / "bangka.tribunnews.com"
    (host / "2022" / "03" / "21").mkdir(parents=True)
    (host / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    page = "<html><head><title>Uji</title></head><body><p>" + "Isi berita. " * 200 + "</p></body></html>"
    (host / "2022" / "03" / "21" / "uji-coba").write_text(page, encoding="utf-8")
    (host / "2022" / "03" / "21" / "uji-coba?page=all").write_text(page.replace("Uji", "Uji semua"),
                                                                   encoding="utf-8")
    (root / "solo.tribunnews.com").mkdir()
    (root / "solo.tribunnews.com" / "index.html").write_text("<html>solo</html>", encoding="utf-8")
    return root


@pytest.fixture
def tiny_server(tiny_mirror: Path) -> Iterator[FaultServer]:
    with FaultServer(tiny_mirror) as server:
        yield server
