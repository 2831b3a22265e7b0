"""``-s TRIBUN_WARC=1``: every response the crawl downloads, archived as WARC/1.1 pairs beside the run's feed."""

from __future__ import annotations

import gzip
import signal
from pathlib import Path
from urllib.parse import urlsplit

from crawler import urls
from crawler.warc import parse_warc_date
from tests.crawlrun import MIRROR, read_jsonl, run_crawl
from tests.faults.crawling import crawl, log_lines, mirror_file, pick, start_crawl
from tests.faults.server import GZIP, Fault, FaultServer
from tests.warc.conftest import ArchivedCrawl
from tests.warc.records import gzip_members, read_warc, sha1_digest

# Pages the mirror crawl must fetch, by what the mirror holds: page 2 of an article without a whole-article
# view, a news sitemap named by robots.txt, a regional RSS feed, robots.txt itself, and a whole-article view.
SOLO_MULTI = "https://solo.tribunnews.com/2020/10/09/protokol-kesehatan-3m-adalah-vaksin-terbaik-cegah-covid-19-" \
             "simak-penjelasan-dokter"
EXPECTED_URIS = {
    f"{SOLO_MULTI}?page=2",
    "https://makassar.tribunnews.com/sitemap-news.xml",
    "https://bangka.tribunnews.com/rss",
    "https://bangka.tribunnews.com/robots.txt",
    "https://bangka.tribunnews.com/2024/05/14/bpbd-bangka-imbau-warga-waspada-banjir-rob-sepekan-ke-depan?page=all",
}


def test_one_finished_file_per_run_named_like_the_feed(archived_crawl: ArchivedCrawl) -> None:
    out = archived_crawl.result.output_dir
    feed = archived_crawl.result.feeds[-1]
    assert [p.name for p in (out / "warc").iterdir()] == [f"{feed.stem}.warc.gz"]  # no .part left beside it
    assert archived_crawl.result.stat("tribun/warc/files") == 1


def test_every_downloaded_response_is_a_response_request_pair(archived_crawl: ArchivedCrawl) -> None:
    records = archived_crawl.records
    assert records[0].type == "warcinfo"
    assert {r.protocol for r in records} == {"WARC/1.1"}
    responses = archived_crawl.responses()
    # Every response the downloader handed back, robots.txt and the mirror's 404 included.
    assert len(responses) == archived_crawl.result.stat("downloader/response_count") > 40
    assert archived_crawl.result.stat("tribun/warc/records") == len(responses)
    pairs = list(zip(records[1::2], records[2::2], strict=True))
    for response, request in pairs:
        assert (response.type, request.type) == ("response", "request")
        assert request.headers["WARC-Concurrent-To"] == response.record_id
        assert request.uri == response.uri and request.date == response.date
        assert request.http_headers and dict(request.http_headers)["Host"] == urlsplit(response.uri).netloc
    assert {r.uri for r in responses} >= EXPECTED_URIS


def test_records_hold_the_real_urls_bodies_digests_and_fetch_times(archived_crawl: ArchivedCrawl) -> None:
    for record in archived_crawl.responses():
        assert record.uri.startswith("https://") and urls.in_network(record.uri), record.uri
        assert record.headers["WARC-Payload-Digest"] == sha1_digest(record.raw)
        assert record.headers["WARC-Block-Digest"].startswith("sha1:")
        fetched = parse_warc_date(record.date)
        assert fetched is not None and archived_crawl.started <= fetched <= archived_crawl.ended
        path = mirror_file(record.uri)
        if path is not None and record.http_status == 200:
            assert record.content == path.read_bytes(), record.uri
        else:
            assert record.http_status in (403, 404)


def test_each_record_is_its_own_gzip_member(archived_crawl: ArchivedCrawl) -> None:
    (path,) = archived_crawl.files
    assert gzip_members(path) == len(archived_crawl.records)


def test_listings_archived_and_rotation_at_the_size_setting(tmp_path: Path) -> None:
    max_size = 20_000
    result = run_crawl(tmp_path, "-a", "since=2024-05-14", "-a", "until=2024-05-14", "-a", "portals=bangka",
                       settings={"TRIBUN_WARC": "1", "TRIBUN_WARC_MAX_SIZE": str(max_size)})
    assert result.returncode == 0, result.log[-2000:]
    run = result.feeds[-1].stem
    files = sorted((tmp_path / "warc").iterdir())
    names = [p.name for p in files]
    count = len(files)
    assert count > 2
    assert names == sorted([f"{run}.warc.gz"] + [f"{run}-{n:05d}.warc.gz" for n in range(1, count)])
    for path in files:
        records = read_warc(path)
        assert records[0].type == "warcinfo" and records[0].headers["WARC-Filename"] == path.name
    # A file is closed once it has reached the size: all but the last are at least that big.
    ordered = [tmp_path / "warc" / f"{run}.warc.gz"] + [tmp_path / "warc" / f"{run}-{n:05d}.warc.gz"
                                                       for n in range(1, count)]
    assert all(p.stat().st_size >= max_size for p in ordered[:-1])
    responses = [r for p in files for r in read_warc(p) if r.type == "response"]
    assert len(responses) == result.stat("downloader/response_count")
    assert "https://bangka.tribunnews.com/index-news?date=2024-5-14" in {r.uri for r in responses}


def test_origin_urls_are_rewritten_and_encoded_payloads_kept_as_sent(tmp_path: Path) -> None:
    article = pick(1, portal="bangka")[0]
    with FaultServer(MIRROR) as server:
        server.fault(article + "?page=all", Fault(GZIP))
        result = crawl(server, tmp_path, [article], TRIBUN_WARC="1")
    assert result.returncode == 0, result.log[-2000:]
    (path,) = sorted((tmp_path / "warc").iterdir())
    assert b"127.0.0.1" not in gzip.decompress(path.read_bytes())
    (record,) = [r for r in read_warc(path) if r.type == "response" and r.uri == article + "?page=all"]
    assert record.http_header("Content-Encoding") == "gzip"
    assert gzip.decompress(record.raw) == record.content == mirror_file(article + "?page=all").read_bytes()


def test_an_archive_that_cannot_be_written_fails_the_run_and_keeps_the_state(tmp_path: Path) -> None:
    (tmp_path / "warc").write_text("a file where the archive folder should be", encoding="utf-8")
    result = run_crawl(tmp_path, settings={"TRIBUN_WARC": "1"})
    assert result.returncode == 1
    # One line from the archive itself (then the state's and the exit status's, as for a feed that fails).
    assert len([line for line in log_lines(result, "ERROR", "could not be written") if "[crawler.warc]" in line]) == 1
    assert log_lines(result, "ERROR", "State NOT committed: the WARC archive could not be written")
    assert "Exit status 1 (FAILED): the WARC archive could not be written" in result.log
    assert result.stat("tribun/state/commit_failed") == 1 and "tribun/state/committed" not in result.stats
    assert list(tmp_path.rglob(".*.part")) == []
    # The next run, archiving again, emits every article once more.
    (tmp_path / "warc").unlink()
    again = run_crawl(tmp_path, settings={"TRIBUN_WARC": "1"})
    assert again.returncode == 0
    assert len(read_jsonl(again.feeds[-1])) == len(read_jsonl(result.feeds[-1])) > 40
    assert len(list((tmp_path / "warc").glob("*.warc.gz"))) == 1


def test_a_killed_crawl_leaves_no_visible_archive(tmp_path: Path) -> None:
    urls = pick(4, portal="bangka") + pick(2, portal="solo")
    out = tmp_path / "out"
    with FaultServer(MIRROR) as server:
        gate = server.close_gate_after(5)  # robots.txt and a few articles answered, the next one held
        proc = start_crawl(server, out, urls, tmp_path / "killed.log", TRIBUN_WARC="1", CONCURRENT_REQUESTS="1")
        try:
            assert server.wait_until_held()
            proc.send_signal(signal.SIGKILL)
            assert proc.wait(timeout=60) == -signal.SIGKILL
        finally:
            gate.set()
            if proc.poll() is None:
                proc.kill()
        assert list((out / "warc").glob("*.warc.gz")) == []
        assert [p.name for p in (out / "warc").iterdir()] != []  # the hidden .part it was writing
        assert all(p.name.startswith(".") and p.name.endswith(".part") for p in (out / "warc").iterdir())
        server.reset()
        result = crawl(server, out, urls, TRIBUN_WARC="1")
    assert result.returncode == 0, result.log[-2000:]
    assert len(list((out / "warc").glob("*.warc.gz"))) == 1
