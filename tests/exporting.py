"""Runs a Scrapy item exporter over items in memory, as the feed exporter drives it."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any


def export_bytes(exporter_class: type, items: Iterable[Any], **options: Any) -> bytes:
    """What ``exporter_class`` writes for ``items``: start, one export per item, finish."""
    out = io.BytesIO()
    exporter = exporter_class(out, encoding="utf-8", **options)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return out.getvalue()
