"""Shared fixtures: the real saved pages and the hand-written snippets."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SNIPPETS = Path(__file__).resolve().parent / "snippets"
# The real pages live in the shared corpus; a copy under tests/fixtures/real/ (docs/layouts.md) wins if present.
REAL_DIRS = (REPO / "tests" / "fixtures" / "real", REPO.parent / "shared" / "corpus" / "real")

P2015_FILE = "www.tribunnews.com_2015-06-19_kadishub-dki-taksi-uber.html"
P2015_URL = ("http://www.tribunnews.com/metropolitan/2015/06/19/"
             "kadishub-dki-taksi-uber-tak-punya-izin-operasi-uji-kir-tidak-berargo-dan-bermahkota")
P2020_FILE = "solo.tribunnews.com_2020-10-09_protokol-kesehatan-3m.html"
P2020_URL = ("https://solo.tribunnews.com/2020/10/09/"
             "protokol-kesehatan-3m-adalah-vaksin-terbaik-cegah-covid-19-simak-penjelasan-dokter")
P2022M_FILE = "m.tribunnews.com_homepage_2022-01-28.html"


# The bundled mirror carries the same real pages byte-for-byte (tools/build_mirror.py checks their SHA-256),
# at their real URLs, so these tests run on a clean clone without the shared corpus.
REAL_IN_MIRROR = {
    P2015_FILE: REPO / "mirror" / "www.tribunnews.com" / P2015_URL.split("www.tribunnews.com/", 1)[1],
    P2020_FILE: REPO / "mirror" / "solo.tribunnews.com" / P2020_URL.split("solo.tribunnews.com/", 1)[1],
    P2022M_FILE: REPO / "mirror" / "m.tribunnews.com" / "index.html",
}


def real_page(name: str) -> str:
    for path in (REAL_IN_MIRROR.get(name), *(folder / name for folder in REAL_DIRS)):
        if path is not None and path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.skip(f"real page {name} not available")


def snippet(name: str) -> str:
    return (SNIPPETS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def p2015_html() -> str:
    return real_page(P2015_FILE)


@pytest.fixture(scope="session")
def p2020_html() -> str:
    return real_page(P2020_FILE)


@pytest.fixture(scope="session")
def p2022m_html() -> str:
    return real_page(P2022M_FILE)
