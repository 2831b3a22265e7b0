"""Reading WARC files back for assertions, with warcio (the reference reader)."""

from __future__ import annotations

import base64
import hashlib
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


@dataclass
class Archived:
    """One WARC record, read whole."""

    file: Path
    type: str
    protocol: str
    uri: str
    date: str
    record_id: str
    headers: dict[str, str]  # WARC headers
    http_status: int | None = None
    http_headers: list[tuple[str, str]] = field(default_factory=list)
    raw: bytes = b""  # the payload as stored (not de-chunked, not decoded)
    content: bytes = b""  # the payload as warcio's content_stream gives it (de-chunked, decoded)

    def http_header(self, name: str) -> str | None:
        return next((v for k, v in self.http_headers if k.lower() == name.lower()), None)


def read_warc(path: Path) -> list[Archived]:
    records = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            headers = dict(record.rec_headers.headers)
            archived = Archived(path, record.rec_type, record.rec_headers.protocol,
                                headers.get("WARC-Target-URI", ""), headers.get("WARC-Date", ""),
                                headers.get("WARC-Record-ID", ""), headers)
            if record.http_headers is not None and record.rec_type in ("response", "request"):
                archived.http_headers = list(record.http_headers.headers)
                if record.rec_type == "response":
                    archived.http_status = int(record.http_headers.get_statuscode())
            archived.raw = record.raw_stream.read()
            if archived.http_status is not None:
                # warcio's own decoding (chunked, gzip) of the stored bytes, read a second time.
                record.raw_stream = BytesIO(archived.raw)
                archived.content = record.content_stream().read()
            records.append(archived)
    return records


def gzip_members(path: Path) -> int:
    """How many gzip members the file is made of (each must be a whole gzip stream)."""
    data = path.read_bytes()
    count = 0
    while data:
        inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        inflater.decompress(data)
        assert inflater.eof, f"{path}: a gzip member is cut short"
        data = inflater.unused_data
        count += 1
    return count


def sha1_digest(data: bytes) -> str:
    """A WARC digest value: ``sha1:`` and the base32 SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")
