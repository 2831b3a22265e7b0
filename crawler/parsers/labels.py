"""The credit-line labels the parsers look for in visible markup.

One tuple, so that every parser finds the same lines; which role each label means is decided later, by the
normalisers. A line counts as a credit when its own text starts with one of these words.
"""

from __future__ import annotations

CREDIT_LABELS: tuple[str, ...] = ("Sumber", "Penulis", "Editor", "Reporter", "Laporan", "Kontributor")
