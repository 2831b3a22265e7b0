"""The README's tables are generated from the code; they must not drift."""

from tools.readme_tables import README, render


def test_readme_tables_are_current():
    text = README.read_text(encoding="utf-8")
    assert render(text) == text, "run: python -m tools.readme_tables"


def test_readme_gives_the_two_commands_ci_uses():
    text = README.read_text(encoding="utf-8")
    assert "make crawl" in text and "make test" in text
    assert "make test" in (README.parent / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_portal_counts_match_the_registry():
    import re

    from crawler.portals import PORTALS, portal_for_host

    mirror = README.parent / "mirror"
    in_mirror = {portal_for_host(d.name).key for d in mirror.iterdir() if d.is_dir() and portal_for_host(d.name)}
    stated = []
    for line in README.read_text(encoding="utf-8").splitlines():
        for number in re.findall(r"\b(\d+) (?:regional )?portals\b", line):
            # The bundled mirror holds a few portals; every other count is of the whole registry.
            stated.append((int(number), len(in_mirror) if "mirror" in line else len(PORTALS), line.strip()))
    assert stated, "the README no longer states how many portals there are"
    assert [(n, line) for n, want, line in stated if n != want] == []
