"""The README's tables are generated from the code; they must not drift."""

from tools.readme_tables import README, render


def test_readme_tables_are_current():
    text = README.read_text(encoding="utf-8")
    assert render(text) == text, "run: python -m tools.readme_tables"


def test_readme_gives_the_two_commands_ci_uses():
    text = README.read_text(encoding="utf-8")
    assert "make crawl" in text and "make test" in text
    assert "make test" in (README.parent / ".ci" / "run").read_text(encoding="utf-8")
