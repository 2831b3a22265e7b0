"""Run :mod:`tests.faults.probe` (a parse-nothing spider on the project's real download stack)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.faults.server import FaultServer

ROOT = Path(__file__).resolve().parents[2]

# Fast settings: no politeness delays against a local server, one retry-less attempt unless a test asks.
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "0", "RETRY_TIMES": "2", "DOWNLOAD_TIMEOUT": "2",
        "TRIBUN_RETRY_BACKOFF": "0.1", "LOG_LEVEL": "DEBUG"}


@dataclass
class Probe:
    returncode: int
    log: str
    responses: list[dict[str, Any]]
    failures: list[dict[str, Any]]

    def response(self, asked: str) -> dict[str, Any]:
        [found] = [r for r in self.responses if r["asked"] == asked]
        return found

    def failure(self, asked: str) -> dict[str, Any]:
        [found] = [f for f in self.failures if f["asked"] == asked]
        return found


def run_probe(server: FaultServer | None, tmp: Path, *urls: str, origin: str | None = None,
              **settings: str) -> Probe:
    out = tmp / "probe.json"
    merged = {**FAST, "TRIBUN_OUTPUT_DIR": str(tmp / "out"), "TRIBUN_STATS_FILE": str(tmp / "stats.json"),
              **settings}
    merged["TRIBUN_ORIGIN"] = origin or (server.origin if server else "")
    cmd = [sys.executable, "-m", "tests.faults.probe", str(out), *urls]
    for name, value in merged.items():
        cmd += ["--set", f"{name}={value}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {"responses": [], "failures": []}
    return Probe(proc.returncode, proc.stderr + proc.stdout, data["responses"], data["failures"])


def stats(tmp: Path) -> dict[str, Any]:
    path = tmp / "stats.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
