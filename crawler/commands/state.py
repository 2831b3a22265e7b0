"""``scrapy state``: look at the cross-run state store, and forget what it remembers.

Subcommands::

    scrapy state runs [--limit N]       the recorded runs, newest first
    scrapy state portals                articles remembered per portal
    scrapy state url URL                when and in which run (file) a URL was emitted
    scrapy state forget URL… | --file F the next run fetches and emits these URLs again
    scrapy state vacuum                 give the space of deleted rows back to the file system

``runs``, ``portals`` and ``url`` open the store read-only (SQLite ``mode=ro``) and take no lock, so they
work while a crawl runs. ``forget`` and ``vacuum`` write: they take the crawl's run lock first and, while a
crawl holds it, refuse with exit status 75 as a second crawl would. The store is read with ``sqlite3``
directly and columns or tables a later schema adds (exit status, coverage) are shown only when present, so
the command reads stores of every schema version.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler import safety
from crawler.commands.crawl import ExitCode
from crawler.feeds import RUN_ID_FORMAT
from crawler.portals import portal_for_host
from crawler.state import RunLock, StateError, StateLocked, forget_signature, lock_path, state_path
from crawler.urls import canonical_url, in_network

SUBCOMMANDS = ("runs", "portals", "url", "forget", "vacuum")


class StateCommandError(Exception):
    """Ends the command with one line on stderr and an exit status."""

    def __init__(self, message: str, code: int = ExitCode.FAILED):
        super().__init__(message)
        self.code = int(code)


def _when(epoch: int | None) -> str:
    if epoch is None:
        return "-"
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _started(run_id: str) -> str | None:
    try:
        return datetime.strptime(run_id, RUN_ID_FORMAT).strftime("%Y-%m-%d %H:%M:%SZ")
    except ValueError:  # a run id not made by crawler.feeds.run_id
        return None


def _table(rows: list[tuple[Any, ...]], header: tuple[str, ...]) -> str:
    cells = [tuple(str(c) for c in header), *(tuple("-" if c is None else str(c) for c in row) for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "runs [--limit N] | portals | url URL | forget URL... | forget --file F | vacuum"

    def short_desc(self) -> str:
        return "Look at the state store (runs, portals, a URL), forget URLs, vacuum"

    def long_desc(self) -> str:
        return ("Read-only subcommands (runs, portals, url) work while a crawl runs. forget and vacuum take the "
                "crawl's run lock and exit 75 while a crawl holds it. The store is TRIBUN_STATE_PATH (-s to "
                "choose another).")

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--limit", type=int, default=20, help="runs: how many of the newest runs (0: all)")
        parser.add_argument("--file", help="forget: the URLs to forget, one a line (# comments)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args or args[0] not in SUBCOMMANDS:
            raise UsageError(f"give a subcommand: {', '.join(SUBCOMMANDS)}")
        sub, rest = args[0], args[1:]
        if sub == "url" and len(rest) != 1:
            raise UsageError("state url takes exactly one URL")
        if sub == "forget" and bool(rest) == bool(opts.file):
            raise UsageError("state forget takes URLs or --file F (one of them)")
        if sub in ("runs", "portals", "vacuum") and rest:
            raise UsageError(f"state {sub} takes no arguments")
        assert self.settings is not None
        try:
            self.path = state_path(self.settings)
            if sub == "forget":
                urls = rest or self._read_file(opts.file)
                self.exitcode = self.forget(urls)
            elif sub == "vacuum":
                self.vacuum()
            else:
                with self._open_read_only() as db:
                    if sub == "runs":
                        self.runs(db, opts.limit)
                    elif sub == "portals":
                        self.portals(db)
                    else:
                        self.exitcode = self.url(db, rest[0])
        except StateCommandError as exc:
            print(f"state {sub}: {exc}", file=sys.stderr)
            self.exitcode = exc.code
        except (StateError, sqlite3.DatabaseError) as exc:
            print(f"state {sub}: state store {self.path} is unusable: {exc}", file=sys.stderr)
            self.exitcode = int(ExitCode.STATE)

    # --- opening the store -----------------------------------------------------------------------------

    def _missing(self) -> StateCommandError:
        return StateCommandError(f"no state store at {self.path} (no crawl has recorded a run there; "
                                 "-s TRIBUN_OUTPUT_DIR / TRIBUN_STATE_PATH choose another)")

    def _check(self, db: sqlite3.Connection) -> sqlite3.Connection:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"articles", "runs"} <= tables:
            db.close()
            raise StateCommandError(f"{self.path} is not a tribun-crawler state store", ExitCode.STATE)
        return db

    def _open_read_only(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise self._missing()
        # mode=ro: never writes, never creates, never migrates; a crawl's own writes are isolated by WAL.
        db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        db.execute("PRAGMA busy_timeout = 10000")
        return self._check(db)

    def _open_locked(self) -> tuple[sqlite3.Connection, RunLock]:
        if not self.path.is_file():
            raise self._missing()
        try:
            lock = RunLock.acquire(lock_path(self.path))
        except StateLocked as exc:
            raise StateCommandError(f"not changing the state: {exc}. Try again once the crawl has ended.",
                                    ExitCode.LOCKED) from None
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 10000")
        try:
            return self._check(db), lock
        except BaseException:
            lock.release()
            raise

    def _read_file(self, path: str) -> list[str]:
        try:
            lines = safety.read_text_file(path, what="--file").splitlines()
        except safety.UnsafePathError as exc:
            raise UsageError(str(exc), print_help=False) from None
        return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]

    # --- read-only subcommands -------------------------------------------------------------------------

    def runs(self, db: sqlite3.Connection, limit: int) -> None:
        has_exit = "exit_status" in _columns(db, "runs")
        sql = f"SELECT run_id, committed_at, emitted, duplicates{', exit_status' if has_exit else ''} " \
              "FROM runs ORDER BY run_id DESC"
        rows = db.execute(sql + (" LIMIT ?" if limit > 0 else ""), (limit,) if limit > 0 else ()).fetchall()
        coverage = self._coverage(db, [row[0] for row in rows])
        header = ("run", "started", "committed", "items", "duplicates")
        header += ("exit",) if has_exit else ()
        header += ("coverage",) if coverage is not None else ()
        out = []
        for row in rows:
            run_id, committed, emitted, duplicates = row[:4]
            line: tuple[Any, ...] = (run_id, _started(run_id), _when(committed), emitted, duplicates)
            if has_exit:
                line += (row[4],)
            if coverage is not None:
                line += (coverage.get(run_id),)
            out.append(line)
        if not out:
            print(f"no runs recorded in {self.path}")
            return
        print(_table(out, header))

    @staticmethod
    def _coverage(db: sqlite3.Connection, run_ids: list[str]) -> dict[str, str] | None:
        """Per run, the fields covered in fewer than all items (over every portal): ``authors 62%``; None when
        the store keeps no coverage (schema before version 3)."""
        if not {"run_id", "field", "items", "covered"} <= _columns(db, "coverage"):
            return None
        shown: dict[str, str] = {}
        for run_id in run_ids:
            fields = db.execute("SELECT field, sum(items), sum(covered) FROM coverage WHERE run_id = ? "
                                "GROUP BY field ORDER BY field", (run_id,)).fetchall()
            if not fields:
                continue
            low = [f"{field} {100 * covered // items}%" for field, items, covered in fields
                   if items and covered < items]
            shown[run_id] = ", ".join(low) if low else "all fields 100%"
        return shown

    def portals(self, db: sqlite3.Connection) -> None:
        # Grouped by host in SQL (canonical URLs are https://host/…), so a store of millions of rows is not
        # sent through Python one URL at a time.
        host = "substr(url, 9, instr(substr(url, 9), '/') - 1)"
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for hostname, emitted, duplicates in db.execute(
                f"SELECT {host}, sum(duplicate_of IS NULL), sum(duplicate_of IS NOT NULL) FROM articles "
                f"GROUP BY {host}"):
            portal = portal_for_host(hostname)
            key = portal.key if portal else f"(other: {hostname})"
            counts[key][0] += emitted
            counts[key][1] += duplicates
        if not counts:
            print(f"no articles recorded in {self.path}")
            return
        rows = [(key, emitted, duplicates) for key, (emitted, duplicates) in sorted(counts.items())]
        rows.append(("total", sum(r[1] for r in rows), sum(r[2] for r in rows)))
        print(_table(rows, ("portal", "emitted", "duplicates")))

    def url(self, db: sqlite3.Connection, given: str) -> int:
        if not in_network(given):
            raise StateCommandError(f"{given!r} is not a Tribun network URL", ExitCode.USAGE)
        url = canonical_url(given)
        row = db.execute("SELECT url, duplicate_of, first_seen, last_seen, run_id FROM articles WHERE url = ?",
                         (url,)).fetchone()
        if row is None:
            print(f"{url}: not in the state (never emitted, or forgotten): the next run that finds it emits it")
            return int(ExitCode.FAILED)
        _, duplicate_of, first_seen, last_seen, run_id = row
        feed_dir = Path(self.settings.get("TRIBUN_OUTPUT_DIR") or ".") / "tribun"
        print(f"url:        {url}")
        if duplicate_of is None:
            print("status:     emitted")
        else:
            print(f"status:     not emitted: a duplicate of {duplicate_of}")
        print(f"first seen: {_when(first_seen)}")
        print(f"last seen:  {_when(last_seen)}")
        print(f"run:        {run_id or '- (recorded before runs were named)'}")
        if run_id:
            name = f"{run_id}.jsonl" if duplicate_of is None else f"{run_id}.duplicates.jsonl"
            feed = feed_dir / name
            print(f"file:       {feed}" + ("" if feed.is_file() else " (not there: moved, or -O/-o wrote elsewhere)"))
        return int(ExitCode.OK)

    # --- subcommands that write ------------------------------------------------------------------------

    def forget(self, given: list[str]) -> int:
        bad = [u for u in given if not in_network(u)]
        for url in bad:
            print(f"state forget: {url!r} is not a Tribun network URL; skipped", file=sys.stderr)
        urls = list(dict.fromkeys(canonical_url(u) for u in given if in_network(u)))
        db, lock = self._open_locked()
        try:
            forgotten = dependants = 0
            missing: list[str] = []
            db.execute("BEGIN IMMEDIATE")
            try:
                for url in urls:
                    if db.execute("DELETE FROM articles WHERE url = ?", (url,)).rowcount:
                        forgotten += 1
                        # A duplicate recorded against it shares its fingerprint: left behind, it would make
                        # the next run drop the article as a duplicate of itself.
                        dependants += db.execute("DELETE FROM articles WHERE duplicate_of = ?", (url,)).rowcount
                        # Its signature too: a copy met later would be taken for a duplicate of an article the
                        # state no longer has, and be neither emitted nor recorded.
                        forget_signature(db, url)
                    else:
                        missing.append(url)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        finally:
            db.close()
            lock.release()
        for url in missing:
            print(f"not in the state: {url}")
        print(f"forgot {forgotten} URL(s)" + (f" and {dependants} duplicate(s) recorded against them" if dependants
                                              else "") + f" in {self.path}: the next run emits them again")
        return int(ExitCode.USAGE) if bad else int(ExitCode.OK)

    def vacuum(self) -> None:
        db, lock = self._open_locked()
        try:
            before = self.path.stat().st_size
            db.execute("VACUUM")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            after = self.path.stat().st_size
        finally:
            db.close()
            lock.release()
        print(f"vacuumed {self.path}: {before:,} → {after:,} bytes")
