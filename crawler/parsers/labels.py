"""The credit-line labels the parsers look for in visible markup.

The words a credit line starts with, taken from the one credit vocabulary (:mod:`crawler.normalise.credits`),
so that the parsers find every line the normalisers can read; which role each label means is decided later,
by the normalisers. A line counts as a credit when its own text starts with one of these words.
"""

from __future__ import annotations

from crawler.normalise.credits import LINE_STARTS

CREDIT_LABELS: tuple[str, ...] = LINE_STARTS
