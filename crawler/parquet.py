"""Typed Parquet output: one Arrow schema derived from :class:`~crawler.items.Article`, and its feed exporter.

The Arrow schema is built from the same per-field JSON Schema metadata as ``schema/article.schema.json``,
so the two cannot disagree:

* ``string`` → ``string`` (nullable when the JSON type allows null), ``const`` → ``string``;
* ``array`` of strings → ``list<string>``;
* ``integer`` → ``int64``, ``boolean`` → ``bool``;
* a ``date-time`` string → ``timestamp[us, tz=UTC]``, plus ``<field>_offset`` (``"+07:00"``), the offset the
  page gave, so local time stays recoverable; a field whose pattern only allows ``+00:00`` (``crawled_at``)
  gets no offset column.

The schema never depends on the items, so every file of every run has the same one and a directory of them
loads as one table, whatever was null throughout one run. pyarrow is the optional ``parquet`` extra: the
JSON-lines crawl needs none of its ~100 MB, and ``scrapy crawl`` refuses a Parquet feed up front when it is
missing (:func:`crawler.arguments.pyarrow_missing`).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter

from crawler.items import SCHEMA_VERSION, Article

if TYPE_CHECKING:
    import pyarrow as pa

logger = logging.getLogger(__name__)

# Items per row group: a row group is what a reader fetches at once, and what the exporter holds in memory
# (the mirror's articles average ~6 KB, so ~6 MB here).
ROW_GROUP_ITEMS = 1_000
OFFSET_SUFFIX = "_offset"
_UTC_ONLY = r"\+00:00$"


def _json_types(schema: dict) -> set[str]:
    kind = schema.get("type", "string" if "const" in schema else None)
    return set(kind) if isinstance(kind, list) else {kind}


def _is_time(schema: dict) -> bool:
    return schema.get("format") == "date-time"


def _has_offset(schema: dict) -> bool:
    return _is_time(schema) and not str(schema.get("pattern", "")).endswith(_UTC_ONLY)


@functools.cache
def column_plan() -> tuple[tuple[str, str, bool], ...]:
    """``(column, kind, nullable)`` for every Parquet column, in order; kind is the Arrow type's short name.

    Derived only from the JSON Schema metadata of :class:`Article`'s fields (see the module docstring).
    """
    plan: list[tuple[str, str, bool]] = []
    for f in fields(Article):
        schema = f.metadata["schema"]
        types = _json_types(schema)
        nullable = "null" in types
        types.discard("null")
        if _is_time(schema):
            plan.append((f.name, "timestamp", nullable))
            if _has_offset(schema):
                plan.append((f.name + OFFSET_SUFFIX, "string", nullable))
        elif types == {"array"}:
            if schema.get("items", {}).get("type") != "string":
                raise TypeError(f"Article.{f.name}: only arrays of strings have an Arrow type here")
            plan.append((f.name, "list<string>", nullable))
        elif types == {"integer"}:
            plan.append((f.name, "int64", nullable))
        elif types == {"boolean"}:
            plan.append((f.name, "bool", nullable))
        elif types == {"string"}:
            plan.append((f.name, "string", nullable))
        else:
            raise TypeError(f"Article.{f.name}: JSON type {sorted(types)} has no Arrow type here")
    return plan


def arrow_schema() -> pa.Schema:
    """The one Arrow schema of every Parquet file the crawler writes."""
    import pyarrow as pa

    types = {"string": pa.string(), "list<string>": pa.list_(pa.string()), "int64": pa.int64(),
             "bool": pa.bool_(), "timestamp": pa.timestamp("us", tz="UTC")}
    return pa.schema([pa.field(name, types[kind], nullable=nullable) for name, kind, nullable in column_plan()],
                     metadata={"tribun.schema_version": SCHEMA_VERSION})


def _time(value: str | None) -> tuple[datetime | None, str | None]:
    """An ISO 8601 time with offset → (aware UTC datetime, ``"+07:00"``)."""
    if value is None:
        return None, None
    parsed = datetime.fromisoformat(value)
    offset = parsed.utcoffset()
    if offset is None:
        raise ValueError(f"{value!r} has no UTC offset")
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return parsed.astimezone(UTC), f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def to_row(item: Any) -> dict[str, Any]:
    """The Parquet row of one item (an :class:`Article` or any item with its fields); raises ValueError."""
    adapter = ItemAdapter(item)
    row: dict[str, Any] = {}
    for name, kind, nullable in column_plan():
        if name.endswith(OFFSET_SUFFIX) and name in row:
            continue  # filled with its time column
        value = adapter.get(name)
        if kind == "timestamp":
            if value in (None, "") and nullable:
                row[name], offset = None, None
            else:
                try:
                    row[name], offset = _time(value)
                except (TypeError, ValueError) as exc:
                    raise ValueError(f"{name}: not an ISO 8601 time with offset ({exc})") from None
            if name + OFFSET_SUFFIX in _OFFSET_COLUMNS:
                row[name + OFFSET_SUFFIX] = offset
            continue
        if value is None:
            if not nullable:
                raise ValueError(f"{name}: missing")
        elif not _fits(value, kind):
            # Checked per item: Arrow would refuse the whole row group at once, losing its other articles.
            raise ValueError(f"{name}: {type(value).__name__} {str(value)[:40]!r} is not {kind}")
        row[name] = value
    return row


def _fits(value: Any, kind: str) -> bool:
    if kind == "list<string>":
        return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    if kind == "int64":
        return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63
    if kind == "bool":
        return isinstance(value, bool)
    return isinstance(value, str)


_OFFSET_COLUMNS = frozenset(name for name, _, _ in column_plan() if name.endswith(OFFSET_SUFFIX))


class ParquetItemExporter(BaseItemExporter):
    """Writes items to a Parquet file in row groups of ``row_group_items`` items.

    Only one row group is ever held in memory; a feed may change its size with the feed option
    ``"item_export_kwargs": {"row_group_items": N}``. An item that does not fit the schema (a time without
    offset, a required field missing) is left out of this file with one ERROR line naming its URL and the
    field (:attr:`skipped` counts them); the other feeds still carry it.
    """

    def __init__(self, file: Any, *, row_group_items: int = ROW_GROUP_ITEMS, **kwargs: Any):
        # Parquet has no text encoding and one fixed set of columns: these options do not apply.
        for ignored in ("encoding", "fields_to_export", "export_empty_fields", "indent"):
            kwargs.pop(ignored, None)
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.row_group_items = max(1, int(row_group_items))
        self.skipped = 0
        self._rows: list[dict[str, Any]] = []
        self._writer: Any = None
        self._schema: pa.Schema | None = None

    def start_exporting(self) -> None:
        import pyarrow.parquet as pq

        self._schema = arrow_schema()
        self._writer = pq.ParquetWriter(self.file, self._schema, compression="zstd")
        previous = getattr(self.file, "append_from", None)
        if previous is not None:
            self._copy_rows(previous)

    def _copy_rows(self, path: Any) -> None:
        """The rows of the finished file this one replaces (``-o`` appends), one row group at a time."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            with pq.ParquetFile(path) as old:
                for index in range(old.num_row_groups):
                    self._writer.write_table(old.read_row_group(index).cast(self._schema))
        except (OSError, ValueError, pa.ArrowException) as exc:
            # Writing only the new rows would silently drop the old ones: the feed is failed instead.
            fail = getattr(self.file, "fail", None)
            if fail is None:
                raise
            fail(exc, f"cannot append to {path} (not a Parquet file of this schema)")

    def export_item(self, item: Any) -> None:
        try:
            row = to_row(item)
        except ValueError as exc:
            self.skipped += 1
            url = ItemAdapter(item).get("url") if ItemAdapter.is_item(item) else None
            logger.error("Parquet feed: item %s left out of the Parquet file: %s", url or repr(item)[:120], exc)
            return
        self._rows.append(row)
        if len(self._rows) >= self.row_group_items:
            self._flush()

    def finish_exporting(self) -> None:
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def _flush(self) -> None:
        if not self._rows or self._writer is None:
            return
        import pyarrow as pa

        self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
        self._rows = []
