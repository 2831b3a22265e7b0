"""normalise_article's own steps (each rule it orders is tested with its module)."""

from __future__ import annotations

from crawler.normalise.article import _unique_texts


def test_tags_normalised_deduplicated_in_first_order() -> None:
    # ` Banjir ` and `Banjir` are one tag once normalised; the empty and blank ones are no tag; `&amp;` decodes.
    values = ["Cuaca", " Banjir ", "BMKG", "Banjir", "", "   ", "Cuaca", "A &amp; B", "Zona", "A & B"]
    assert _unique_texts(values) == ["Cuaca", "Banjir", "BMKG", "A & B", "Zona"]
    assert _unique_texts([]) == []
