"""Small guards on the real download stack: network hosts only on their default port, and the mirror's size
limits the same as the HTTP handler's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults import server as fs
from tests.faults.probing import run_probe, stats
from tests.faults.server import Fault, FaultServer

pytestmark = pytest.mark.e2e

BASE = "https://bangka.tribunnews.com/2022/03/21/uji-coba"
ELSEWHERE = "/2022/03/21/di-port-lain"


@pytest.mark.parametrize("location", [f"https://bangka.tribunnews.com:8443{ELSEWHERE}",
                                      f"http://bangka.tribunnews.com:443{ELSEWHERE}",
                                      f"https://bangka.tribunnews.com:99999{ELSEWHERE}"])
def test_a_redirect_to_another_port_is_refused_before_robots_txt(tiny_server: FaultServer, tmp_path: Path,
                                                                 location: str):
    tiny_server.fault(BASE, Fault(fs.REDIRECT, status=301, location=location))
    probe = run_probe(tiny_server, tmp_path, BASE)
    assert probe.returncode == 0, probe.log[-3000:]
    assert probe.failure(BASE)["exception"] == "OffNetworkRequest"
    # Neither the page nor a robots.txt for that port was asked for: the one robots.txt is the default port's.
    assert tiny_server.requests_for("https://bangka.tribunnews.com" + ELSEWHERE) == []
    assert len(tiny_server.requests_for("https://bangka.tribunnews.com/robots.txt")) == 1
    assert stats(tmp_path)["tribun/network/refused"] == 1
    refused = [line for line in probe.log.splitlines() if "Refused a request outside the Tribun network" in line]
    assert len(refused) == 1 and location.split("/")[2] in refused[0]


def test_a_request_for_another_port_is_refused(tiny_server: FaultServer, tmp_path: Path):
    on_port = "https://bangka.tribunnews.com:8443/2022/03/21/uji-coba"
    default_port = "https://bangka.tribunnews.com:443/2022/03/21/uji-coba?page=all"
    probe = run_probe(tiny_server, tmp_path, on_port, default_port)
    assert probe.failure(on_port)["exception"] == "OffNetworkRequest"
    assert probe.response(default_port)["status"] == 200  # the default port, spelled out, is the same server
    assert stats(tmp_path)["tribun/network/refused"] == 1


def test_the_mirror_enforces_download_maxsize_and_warnsize(tiny_mirror: Path, tmp_path: Path):
    folder = tiny_mirror / "bangka.tribunnews.com" / "2022" / "03" / "21"
    (folder / "besar").write_bytes(b"<html><body>" + b"x" * 20_000 + b"</body></html>")  # 20,026 bytes
    (folder / "sedang").write_bytes(b"<html><body>" + b"x" * 6_000 + b"</body></html>")  # 6,026 bytes
    big, medium = BASE.replace("uji-coba", "besar"), BASE.replace("uji-coba", "sedang")
    probe = run_probe(None, tmp_path, big, medium, BASE, TRIBUN_MIRROR=str(tiny_mirror),
                      DOWNLOAD_MAXSIZE="10000", DOWNLOAD_WARNSIZE="5000")
    assert probe.returncode == 0, probe.log[-3000:]
    failure = probe.failure(big)
    assert failure["exception"] == "DownloadCancelledError"  # what the HTTP handler raises: kind too_large
    assert "20026 bytes which is larger than download max size (10000)" in failure["message"]
    assert probe.response(medium)["status"] == 200
    warned = [line for line in probe.log.splitlines() if "larger than download warn size (5000)" in line]
    assert len(warned) == 1 and "sedang" in warned[0]
    assert probe.response(BASE)["status"] == 200  # 2,4xx bytes: under both limits
