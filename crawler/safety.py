"""Checks on everything a user (or a scheduler passing user input) can point the crawler at.

The crawl runs unattended from cron, sometimes with arguments that come from elsewhere (a wrapper
script, a job queue). So anything that names a file or a server is checked before it is used:

* ``-a urls_file=PATH``: a regular, readable UTF-8 text file of bounded size. A relative path must
  stay inside the current directory (``../`` and symlinks leading out are refused); an absolute path
  is the user's explicit choice. Devices, FIFOs, sockets and directories are refused before any read,
  so ``urls_file=/dev/zero`` cannot hang or exhaust memory.
* feed paths: a feed from the project settings must land inside ``TRIBUN_OUTPUT_DIR``; a path the user
  typed with ``-o``/``-O`` (or ``-s FEEDS=``) may go anywhere. Either way an existing file is only
  replaced when it looks like an earlier feed output, so ``-O crawler/settings.py`` or ``-O ~/.bashrc``
  fails instead of destroying the file. The hidden ``.part`` file is created without following symlinks.
* paths configured relative to the output directory (``TRIBUN_STATE_PATH``) cannot climb out of it: a
  relative one with ``..`` is refused before the crawl starts (:func:`crawler.arguments.check_settings`).
* ``TRIBUN_ORIGIN``: a bare ``http(s)://host[:port]``, nothing else.

Nothing here reads page content: page content is never used as a path or executed anywhere in the
crawler (the mirror handler maps URLs to files but refuses any that leave the mirror root).

Functions raise :class:`UnsafePathError` (a ValueError) with a message meant for the person who ran
the crawl. They never echo file content: a refused line of an arbitrary file would otherwise leak it
into logs.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

# A list of article URLs is a few MB at most (100,000 URLs of ~120 bytes is 12 MB).
URLS_FILE_MAX_BYTES = 16 * 1024 * 1024
# Extensions a feed output may have; an existing file with any other name is never replaced.
FEED_SUFFIXES = frozenset({".jsonl", ".jl", ".jsonlines", ".ndjson", ".json", ".csv", ".xml", ".parquet"})
# How much of an existing file is read to recognise it as an earlier feed output.
_SNIFF_BYTES = 1024 * 1024


class UnsafePathError(ValueError):
    """A path or address given to the crawler is refused; the message says why and what is allowed."""


# --- input files ---------------------------------------------------------------------------------


def _confined(path: Path, base: Path, what: str) -> Path:
    """``path`` resolved; a relative one must stay inside ``base`` even after following symlinks."""
    if path.is_absolute():
        return path.resolve()
    base = base.resolve()
    resolved = (base / path).resolve()
    if not resolved.is_relative_to(base):
        raise UnsafePathError(f"{what}={str(path)!r}: a relative path must stay inside {base} "
                              "(it climbs out with '..' or a symlink); give an absolute path instead")
    return resolved


def read_text_file(path: str, *, what: str = "-a urls_file", base: Path | None = None,
                   max_bytes: int = URLS_FILE_MAX_BYTES) -> str:
    """The text of a small UTF-8 file the user named, after the checks in the module docstring."""
    if not path or "\x00" in path:
        raise UnsafePathError(f"{what}: empty or invalid path")
    resolved = _confined(Path(path).expanduser(), base or Path.cwd(), what)
    # O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOCTTY: a tty must not become ours.
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(resolved, flags)
    except FileNotFoundError:
        raise UnsafePathError(f"{what}={path!r}: no such file") from None
    except PermissionError:
        raise UnsafePathError(f"{what}={path!r}: not readable (permission denied)") from None
    except OSError as exc:
        raise UnsafePathError(f"{what}={path!r}: cannot open ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        # Checked on the open descriptor, so a file swapped after the path checks is still caught.
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePathError(f"{what}={path!r}: not a regular file (directory, device, FIFO or socket)")
        if info.st_size > max_bytes:
            raise UnsafePathError(f"{what}={path!r}: {info.st_size} bytes, more than the {max_bytes} bytes allowed")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since fstat
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise UnsafePathError(f"{what}={path!r}: more than the {max_bytes} bytes allowed")
    if b"\x00" in data:
        raise UnsafePathError(f"{what}={path!r}: a binary file, expected text with one URL a line")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnsafePathError(f"{what}={path!r}: not UTF-8 text") from None


def describe_value(value: str, limit: int = 120) -> str:
    """A value quoted for an error message: shortened, and only if it looks like a URL.

    A non-URL line may come from a file that was never meant to be a URL list (a key, a password
    file); it is described by its length instead of being copied into the log.
    """
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")):
        return f"a line that is not a URL ({len(value)} characters)"
    shown = value if len(value) <= limit else value[:limit] + "…"
    return repr(shown)


# --- output files --------------------------------------------------------------------------------


def feeds_are_explicit(settings: BaseSettings) -> bool:
    """True when FEEDS came from the command line (``-o``, ``-O`` or ``-s FEEDS=``), not from settings.py."""
    from scrapy.settings import SETTINGS_PRIORITIES

    return (settings.getpriority("FEEDS") or 0) >= SETTINGS_PRIORITIES["cmdline"]


def resolve_inside(base: Path | str, value: str | Path, what: str) -> Path:
    """``value`` (relative to ``base``, or absolute) resolved, refused unless it stays inside ``base``."""
    base = Path(base).expanduser().resolve()
    candidate = (base / Path(value).expanduser()).resolve()
    if not candidate.is_relative_to(base):
        raise UnsafePathError(f"{what}={str(value)!r} resolves to {candidate}, outside {base}")
    return candidate


def looks_like_feed_output(path: Path) -> bool:
    """True when ``path`` is a regular file that an earlier feed export could have written.

    Recognised by name (a feed format's extension) and by content: empty, or starting as that format
    does. A JSON-lines file must start with a JSON object line; a JSON feed with ``[``; XML with ``<``.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(info.st_mode) or path.suffix.lower() not in FEED_SUFFIXES:
        return False
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if not head.strip():
        return True
    if path.suffix.lower() == ".parquet":
        return head.startswith(b"PAR1")  # binary: the format's magic bytes, nothing else can be checked cheaply
    if b"\x00" in head:
        return False
    suffix = path.suffix.lower()
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if suffix in {".jsonl", ".jl", ".jsonlines", ".ndjson"}:
        first, newline, _ = text.partition("\n")
        if not newline and len(head) == _SNIFF_BYTES:
            return False  # one huge line: not something we wrote
        try:
            return isinstance(json.loads(first), dict)
        except ValueError:
            return False
    if suffix == ".json":
        return text.startswith("[")
    if suffix == ".xml":
        return text.startswith("<")
    return True  # .csv: any text


def check_feed_target(target: Path | str, output_dir: Path | str, *, explicit: bool) -> Path:
    """The absolute feed path, after checking where it lands and what it would replace.

    ``explicit``: the user typed the path (:func:`feeds_are_explicit`); otherwise it must stay inside
    ``output_dir``. An existing target must be an earlier feed output (:func:`looks_like_feed_output`).
    """
    path = Path(target).expanduser()
    resolved = path.resolve()
    if not explicit:
        out = Path(output_dir).expanduser().resolve()
        if not resolved.is_relative_to(out):
            raise UnsafePathError(f"feed {str(target)!r} resolves to {resolved}, outside TRIBUN_OUTPUT_DIR={out}; "
                                  "use -o/-O to write elsewhere")
    if path.is_symlink():
        raise UnsafePathError(f"feed {str(target)!r} is a symlink; refusing to replace it")
    if resolved.exists() and not looks_like_feed_output(resolved):
        raise UnsafePathError(f"feed {str(target)!r}: {resolved} exists and is not an earlier feed output "
                              f"(a {'/'.join(sorted(FEED_SUFFIXES))} file this crawler wrote); refusing to replace it")
    return resolved


def check_feeds(settings: BaseSettings) -> list[Path]:
    """Check every local feed of ``FEEDS`` before the crawl starts; the checked paths.

    Scrapy opens a feed only when its first item arrives, after the crawl has started: a refusal
    there would leave a running crawl with nowhere to write. Called at start-up, a bad path ends the
    crawl before anything is fetched. ``%(name)s`` parameters other than ``output_dir`` stand for a new
    file name (run ids are unique), so only where such a feed lands is checked.
    """
    output_dir = settings.get("TRIBUN_OUTPUT_DIR") or "."
    explicit = feeds_are_explicit(settings)
    checked: list[Path] = []
    for uri in settings.getdict("FEEDS"):
        uri = str(uri)
        scheme = urlsplit(uri).scheme
        if scheme not in ("", "file"):
            continue  # s3://, ftp://, stdout: …: not a local path
        path = uri.removeprefix("file://") if scheme == "file" else uri
        path = path.replace("%(output_dir)s", str(output_dir))
        if "%(" in path:
            path = re.sub(r"%\([^)]*\)[sd]", "new-name", path)
            candidate = Path(path).expanduser()
            if not explicit and not candidate.resolve().is_relative_to(Path(output_dir).expanduser().resolve()):
                raise UnsafePathError(f"feed {uri!r} resolves outside TRIBUN_OUTPUT_DIR={output_dir}; "
                                      "use -o/-O to write elsewhere")
            checked.append(candidate.resolve())
        else:
            checked.append(check_feed_target(path, output_dir, explicit=explicit))
    return checked


def open_part_file(part: Path, *, append_from: Path | None = None) -> IO[bytes]:
    """Create the hidden ``.part`` file of a feed, never through a symlink, and open it for writing.

    A ``.part`` left by a killed run is ours and is removed first; a symlink planted at that name is
    removed, not followed (following it would truncate whatever it points at). With ``append_from``
    (``-o`` onto an existing feed) the old content is copied in first.
    """
    try:
        if stat.S_ISDIR(part.lstat().st_mode):
            raise UnsafePathError(f"{part} is a directory; refusing to use it as a feed's temporary file")
        part.unlink()
    except FileNotFoundError:
        pass
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    handle = os.fdopen(os.open(part, flags, 0o644), "wb")
    if append_from is not None and append_from.is_file():
        with append_from.open("rb") as source:
            while chunk := source.read(1024 * 1024):
                handle.write(chunk)
    return handle


# --- network -------------------------------------------------------------------------------------


def check_origin(value: str) -> str:
    """``TRIBUN_ORIGIN`` normalised to ``scheme://host[:port]``; anything more is refused.

    Userinfo, a path, a query or a fragment would silently change every request, so they are errors.
    """
    parts = urlsplit(str(value).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafePathError(f"TRIBUN_ORIGIN={value!r}: expected http://HOST[:PORT] or https://HOST[:PORT]")
    if parts.username or parts.password or parts.path not in ("", "/") or parts.query or parts.fragment:
        raise UnsafePathError(f"TRIBUN_ORIGIN={value!r}: give only scheme, host and port (no user, path or query)")
    try:
        port = parts.port
    except ValueError:
        raise UnsafePathError(f"TRIBUN_ORIGIN={value!r}: invalid port") from None
    host = parts.hostname
    netloc = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{netloc}" + (f":{port}" if port else "")
