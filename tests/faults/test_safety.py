"""Paths and addresses users (or whatever schedules the crawl) give the crawler cannot be turned against it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler import safety
from crawler.downloaders.mirror import mirror_path
from crawler.safety import UnsafePathError

URL = "https://bangka.tribunnews.com/2022/03/21/uji-coba"


# --- urls_file -----------------------------------------------------------------------------------


def test_urls_file_reads_a_small_text_file(tmp_path: Path):
    (tmp_path / "urls.txt").write_text(f"# today\n{URL}\n", encoding="utf-8")
    assert safety.read_text_file("urls.txt", base=tmp_path) == f"# today\n{URL}\n"
    # An absolute path anywhere is the user's explicit choice.
    assert URL in safety.read_text_file(str(tmp_path / "urls.txt"), base=Path("/"))


@pytest.mark.parametrize("make, message", [
    (lambda d: os.mkfifo(d / "fifo") or "fifo", "not a regular file"),  # must not block waiting for a writer
    (lambda d: (d / "dir").mkdir() or "dir", "not a regular file"),
    (lambda d: "missing.txt", "no such file"),
    (lambda d: (d / "big.txt").write_bytes(b"x" * 2048) and "big.txt", "more than the 1024 bytes"),
    (lambda d: (d / "bin.txt").write_bytes(b"https://x\x00\x01") and "bin.txt", "binary file"),
    (lambda d: (d / "latin.txt").write_bytes("caf\xe9".encode("latin-1")) and "latin.txt", "not UTF-8"),
])
def test_urls_file_refuses_what_is_not_a_small_text_file(tmp_path: Path, make, message: str):
    name = make(tmp_path)
    with pytest.raises(UnsafePathError, match=message):
        safety.read_text_file(name, base=tmp_path, max_bytes=1024)


def test_urls_file_refuses_devices():
    with pytest.raises(UnsafePathError, match="not a regular file"):
        safety.read_text_file("/dev/zero")


def test_relative_urls_file_cannot_climb_out_of_the_current_directory(tmp_path: Path):
    work = tmp_path / "work"
    work.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("hunter2\n", encoding="utf-8")
    (work / "link.txt").symlink_to(secret)
    for name in ("../secret.txt", "link.txt"):
        with pytest.raises(UnsafePathError, match="must stay inside"):
            safety.read_text_file(name, base=work)
    # A symlink that stays inside is fine.
    (work / "real.txt").write_text(URL, encoding="utf-8")
    (work / "alias.txt").symlink_to(work / "real.txt")
    assert safety.read_text_file("alias.txt", base=work) == URL


def test_refused_lines_are_not_echoed_unless_they_are_urls():
    assert "hunter2" not in safety.describe_value("root:hunter2:0:0")
    assert safety.describe_value("https://evil.example/x") == "'https://evil.example/x'"
    assert len(safety.describe_value("https://x/" + "a" * 5000)) < 200


# --- feed outputs --------------------------------------------------------------------------------


def test_default_feeds_stay_inside_the_output_dir(tmp_path: Path):
    out = tmp_path / "output"
    assert safety.check_feed_target(out / "tribun" / "r.jsonl", out, explicit=False) == (out / "tribun" / "r.jsonl")
    with pytest.raises(UnsafePathError, match="outside TRIBUN_OUTPUT_DIR"):
        safety.check_feed_target(out / ".." / "elsewhere.jsonl", out, explicit=False)
    # The user typed -o/-O: anywhere is fine.
    assert safety.check_feed_target(tmp_path / "elsewhere.jsonl", out, explicit=True)


def test_existing_file_is_replaced_only_if_it_is_an_earlier_feed(tmp_path: Path):
    feed = tmp_path / "old.jsonl"
    feed.write_text(json.dumps({"url": URL}) + "\n", encoding="utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.touch()
    assert safety.check_feed_target(feed, tmp_path, explicit=True) == feed
    assert safety.check_feed_target(empty, tmp_path, explicit=True) == empty
    code = tmp_path / "settings.py"
    code.write_text("BOT_NAME = 'x'\n", encoding="utf-8")
    notes = tmp_path / "notes.jsonl"
    notes.write_text("my notes, not json\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(feed)
    for target in (code, notes, link, tmp_path):
        with pytest.raises(UnsafePathError):
            safety.check_feed_target(target, tmp_path, explicit=True)
    assert code.read_text(encoding="utf-8") == "BOT_NAME = 'x'\n"


def test_part_file_never_follows_a_planted_symlink(tmp_path: Path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    part = tmp_path / ".feed.jsonl.part"
    part.symlink_to(victim)
    with safety.open_part_file(part) as handle:
        handle.write(b"{}\n")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not part.is_symlink() and part.read_bytes() == b"{}\n"
    # Appending (-o) starts from the finished feed.
    done = tmp_path / "feed.jsonl"
    done.write_bytes(b'{"a": 1}\n')
    with safety.open_part_file(part, append_from=done) as handle:
        handle.write(b'{"b": 2}\n')
    assert part.read_bytes() == b'{"a": 1}\n{"b": 2}\n'


def test_paths_relative_to_the_output_dir_stay_inside(tmp_path: Path):
    assert safety.resolve_inside(tmp_path, ".state/x.sqlite3", "TRIBUN_STATE_PATH") == tmp_path / ".state" / "x.sqlite3"
    with pytest.raises(UnsafePathError, match="outside"):
        safety.resolve_inside(tmp_path, "../../etc/x", "TRIBUN_STATE_PATH")
    with pytest.raises(UnsafePathError, match="outside"):
        safety.resolve_inside(tmp_path, "/etc/x", "TRIBUN_STATE_PATH")


def test_feeds_from_the_command_line_are_explicit():
    from scrapy.settings import Settings

    settings = Settings({"FEEDS": {"a.jsonl": {}}}, priority="project")
    assert not safety.feeds_are_explicit(settings)
    settings.set("FEEDS", {"b.jsonl": {}}, priority="cmdline")
    assert safety.feeds_are_explicit(settings)


# --- origin and mirror ---------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080"), ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
    ("https://cache.local", "https://cache.local"), ("http://[::1]:81", "http://[::1]:81"),
])
def test_origin_accepts_a_bare_server_address(value: str, expected: str):
    assert safety.check_origin(value) == expected


@pytest.mark.parametrize("value", ["127.0.0.1:8080", "ftp://host", "http://u:p@host", "http://host/path",
                                   "http://host?x=1", "http://host:99999", ""])
def test_origin_refuses_anything_more(value: str):
    with pytest.raises(UnsafePathError):
        safety.check_origin(value)


def test_mirror_handler_never_reads_outside_the_mirror(tmp_path: Path):
    root = tmp_path / "mirror"
    (root / "bangka.tribunnews.com").mkdir(parents=True)
    (tmp_path / "secret").write_text("s", encoding="utf-8")
    (root / "bangka.tribunnews.com" / "out").symlink_to(tmp_path / "secret")
    host = "https://bangka.tribunnews.com"
    for url in (f"{host}/../../secret", f"{host}/%2e%2e/%2e%2e/secret", f"{host}/..%2f..%2fsecret", f"{host}/out",
                "https://../secret"):
        assert mirror_path(root, url) is None, url
    # An odd host name is just a (missing) directory under the root, never a way out of it.
    odd = mirror_path(root, "https://bangka.tribunnews.com%2f..%2f../secret")
    assert odd is None or odd.is_relative_to(root)
    assert mirror_path(root, f"{host}/2022/a?page=all") == root / "bangka.tribunnews.com" / "2022" / "a?page=all"


def test_mirror_handler_treats_a_nul_byte_as_a_missing_file(tmp_path: Path):
    assert mirror_path(tmp_path, "https://bangka.tribunnews.com/2022/a%00b") is None


def test_feed_settings_are_checked_before_the_crawl_starts(tmp_path: Path):
    from scrapy.settings import Settings

    out = tmp_path / "output"
    default = Settings({"TRIBUN_OUTPUT_DIR": str(out),
                        "FEEDS": {"%(output_dir)s/tribun/%(run_id)s.jsonl": {"format": "jsonlines"}}})
    assert safety.check_feeds(default) == [out / "tribun" / "new-name.jsonl"]
    escaping = Settings({"TRIBUN_OUTPUT_DIR": str(out), "FEEDS": {"%(output_dir)s/../x/%(run_id)s.jsonl": {}}})
    with pytest.raises(UnsafePathError, match="outside TRIBUN_OUTPUT_DIR"):
        safety.check_feeds(escaping)
    code = tmp_path / "settings.py"
    code.write_text("BOT_NAME = 'x'\n", encoding="utf-8")
    typed = Settings({"TRIBUN_OUTPUT_DIR": str(out)})
    typed.set("FEEDS", {str(code): {"format": "jsonlines"}, "s3://bucket/x.jsonl": {}}, priority="cmdline")
    with pytest.raises(UnsafePathError, match="not an earlier feed output"):
        safety.check_feeds(typed)
    typed.set("FEEDS", {str(tmp_path / "new.jsonl"): {}, "stdout:": {}}, priority="cmdline")
    assert safety.check_feeds(typed) == [tmp_path / "new.jsonl"]


# --- the same checks at crawl level (call sites are in files other work items own) ---------------


def _crawl_with_output(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-m", "scrapy", "crawl", "tribun", "-a", "urls=" + MIRROR_ARTICLE,
           "-s", f"TRIBUN_MIRROR={root / 'mirror'}", "-s", f"TRIBUN_OUTPUT_DIR={tmp_path / 'out'}",
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", *args]
    return subprocess.run(cmd, cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True,
                          text=True, timeout=120)


MIRROR_ARTICLE = "https://bangka.tribunnews.com/2024/05/14/pemkot-pangkalpinang-gelar-pasar-murah-di-tujuh-kecamatan"


@pytest.mark.e2e
def test_crawl_refuses_to_overwrite_a_file_that_is_not_a_feed(tmp_path: Path):
    precious = tmp_path / "notes.jsonl"
    precious.write_text("my notes, not a feed\n", encoding="utf-8")
    proc = _crawl_with_output(tmp_path, "-O", str(precious))
    assert precious.read_text(encoding="utf-8") == "my notes, not a feed\n"
    assert proc.returncode != 0 and "not an earlier feed output" in proc.stderr


@pytest.mark.e2e
def test_crawl_does_not_write_through_a_planted_part_symlink(tmp_path: Path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    target = tmp_path / "feed.jsonl"
    (tmp_path / ".feed.jsonl.part").symlink_to(victim)
    proc = _crawl_with_output(tmp_path, "-O", str(target))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not target.is_symlink() and target.read_text(encoding="utf-8").count("\n") == 1
