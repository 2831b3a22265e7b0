"""``scrapy reextract`` on a WARC file shaped like Common Crawl's CC-NEWS: every host mixed, request and metadata
records, revisits, payloads stored chunked or gzip-encoded as they travelled, and no ``?page=all`` views."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.commands.extract import extract_file
from crawler.warc import parse_warc_date
from tests.faults.crawling import ARTICLES, log_lines, mirror_file
from tests.warc.replay import run_reextract

CHUNKED = "https://bangka.tribunnews.com/2024/05/14/bpbd-bangka-imbau-warga-waspada-banjir-rob-sepekan-ke-depan"
GZIPPED = "https://jakarta.tribunnews.com/2021/03/05/pasar-ikan-modern-muara-baru-kembali-ramai-pembeli-usai-" \
          "pembatasan-dilonggarkan"
# Two pages on the site (the mirror holds page 2); the CC-NEWS file holds page 1 only.
MULTI = "https://solo.tribunnews.com/2020/10/09/protokol-kesehatan-3m-adalah-vaksin-terbaik-cegah-covid-19-simak-" \
        "penjelasan-dokter"
REVISITED = "https://makassar.tribunnews.com/2019/03/12/pete-pete-jurusan-sentral-daya-mogok-ratusan-penumpang-telantar"
DATES = {CHUNKED: "2024-05-14T03:00:01Z", GZIPPED: "2021-03-05T10:20:30Z", MULTI: "2020-10-09T23:59:58Z"}


def _chunked(body: bytes, size: int = 1000) -> bytes:
    out = b""
    for start in range(0, len(body), size):
        piece = body[start:start + size]
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    return out + b"0\r\n\r\n"


def _response(writer: WARCWriter, url: str, date: str, payload: bytes, headers: list[tuple[str, str]]) -> None:
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=BytesIO(payload), length=len(payload),
                                       http_headers=http, warc_headers_dict={"WARC-Date": date})
    request = writer.create_warc_record(url, "request", payload=BytesIO(b""), length=0, http_headers=StatusAndHeaders(
        "/ HTTP/1.1", [("Host", url.split("/")[2])], protocol="GET", is_http_request=True))
    writer.write_request_response_pair(request, record)
    metadata = writer.create_warc_record(url, "metadata", payload=BytesIO(b"fetchTimeMs: 120\r\n"), length=18,
                                         warc_content_type="application/warc-fields")
    writer.write_record(metadata)


@pytest.fixture(scope="module")
def ccnews_warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ccnews") / "CC-NEWS-20240514030000-00001.warc.gz"
    html = [("Content-Type", "text/html; charset=UTF-8"), ("Server", "nginx")]
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True, warc_version="1.0")  # CC-NEWS is WARC/1.0
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "StormCrawler", "isPartOf":
                                                                      "CC-NEWS"}))
        _response(writer, "https://www.example.com/news/2024/05/14/unrelated", "2024-05-14T03:00:00Z",
                  b"<html><body><p>Not Tribun.</p></body></html>", html)
        page = mirror_file(CHUNKED).read_bytes()
        _response(writer, CHUNKED, DATES[CHUNKED], _chunked(page), [*html, ("Transfer-Encoding", "chunked")])
        _response(writer, "https://news.detik.com/berita/d-1/lain", "2024-05-14T03:00:02Z", b"<html></html>", html)
        # Under http://, as Common Crawl often found it; the spider asks for https://.
        page = mirror_file(GZIPPED).read_bytes()
        _response(writer, GZIPPED.replace("https://", "http://"), DATES[GZIPPED], gzip.compress(page),
                  [*html, ("Content-Encoding", "gzip"), ("Content-Length", str(len(gzip.compress(page))))])
        _response(writer, MULTI, DATES[MULTI], mirror_file(MULTI).read_bytes(), html)
        revisit = writer.create_revisit_record(REVISITED, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", REVISITED,
                                               "2019-03-12T01:00:00Z", http_headers=StatusAndHeaders(
                                                   "200 OK", html, protocol="HTTP/1.1"))
        writer.write_record(revisit)
    return path


@pytest.fixture(scope="module")
def reextracted(ccnews_warc: Path, tmp_path_factory: pytest.TempPathFactory):
    result = run_reextract(tmp_path_factory.mktemp("out"), str(ccnews_warc))
    assert result.returncode == 0, result.log[-3000:]
    return result


def test_only_tribun_responses_are_read(reextracted) -> None:
    assert sorted(item["url"] for item in reextracted.items) == sorted(DATES)
    assert "Indexed 1 WARC file(s): 3 Tribun response(s) kept (2 record(s) of other hosts, 1 revisit record(s) " \
           "skipped); 3 article(s) to re-extract" in reextracted.log
    assert REVISITED not in reextracted.log.split("article(s) to re-extract")[1]


@pytest.mark.parametrize("url", [CHUNKED, GZIPPED])
def test_chunked_and_gzip_payloads_give_the_pages_article(reextracted, url: str) -> None:
    item = next(i for i in reextracted.items if i["url"] == url)
    crawled_at = parse_warc_date(DATES[url])
    expected = extract_file(mirror_file(url), url, crawled_at)
    assert item == expected
    assert item["crawled_at"] == DATES[url].replace("Z", "+00:00")
    assert item["body"].count("\n\n") + 1 == ARTICLES[url]["paragraphs"] and item["pages"] == 1


def test_an_article_without_its_later_pages_is_what_the_archive_holds(reextracted) -> None:
    item = next(i for i in reextracted.items if i["url"] == MULTI)
    page_one = extract_file(mirror_file(MULTI), MULTI, parse_warc_date(DATES[MULTI]))
    assert item["body"] == page_one["body"]
    assert item["body"].count("\n\n") + 1 < ARTICLES[MULTI]["paragraphs"]
    assert item["pages"] == ARTICLES[MULTI]["pages"] == 2  # page 1 announces 2
    lines = log_lines(reextracted, "WARNING", MULTI)
    assert len(lines) == 1 and "page 2 is not in the archive" in lines[0]
    assert reextracted.stat("tribun/replay/partial_articles") == 1


def test_only_the_portals_asked_for(ccnews_warc: Path, tmp_path: Path) -> None:
    result = run_reextract(tmp_path, str(ccnews_warc), "-a", "portals=bangka,jakarta")
    assert result.returncode == 0, result.log[-2000:]
    assert sorted(item["url"] for item in result.items) == sorted([CHUNKED, GZIPPED])


def test_a_truncated_file_costs_only_its_records_from_the_damage_on(ccnews_warc: Path, tmp_path: Path) -> None:
    with ccnews_warc.open("rb") as handle:
        iterator = ArchiveIterator(handle)
        members = {(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")): iterator.get_record_offset()
                   for r in iterator}
    cut = tmp_path / "cut.warc.gz"
    # Cut 300 bytes into the gzip member of the page-1-only article's response record.
    cut.write_bytes(ccnews_warc.read_bytes()[:members["response", MULTI] + 300])
    result = run_reextract(tmp_path, str(cut))
    assert result.returncode == 0, result.log[-2000:]
    errors = log_lines(result, "ERROR", str(cut))
    assert len(errors) == 1 and "is damaged after" in errors[0]
    assert sorted(item["url"] for item in result.items) == sorted([CHUNKED, GZIPPED])
