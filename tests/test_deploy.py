"""deploy/: the systemd units are valid and say what the README says; the Dockerfile runs the README's commands."""

from __future__ import annotations

import configparser
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from crawler.commands.crawl import ExitCode

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SERVICE = DEPLOY / "tribun-crawl.service"
TIMER = DEPLOY / "tribun-crawl.timer"
DOCKERFILE = DEPLOY / "Dockerfile"


def _unit(path: Path) -> configparser.ConfigParser:
    # strict=False: systemd allows a key to repeat; interpolation off: units use % specifiers.
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return parser


def _deployment_commands() -> set[str]:
    """Every command line of the shell blocks in the README's Deployment section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Deployment\n(.*?)^## ", text, re.S | re.M)
    assert section, "README.md has no Deployment section"
    lines = set()
    for block in re.findall(r"^```sh\n(.*?)^```", section.group(1), re.S | re.M):
        lines |= {line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#")}
    return lines


def _dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) of the Dockerfile, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, args = line.partition(" ")
            out.append((instruction.upper(), args.strip()))
    return out


def _exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list), f"exec form expected (signals reach the crawl as PID 1): {args}"
    return value


def test_service_is_a_oneshot_whose_lock_status_is_success() -> None:
    service = _unit(SERVICE)["Service"]
    assert service["Type"] == "oneshot"
    assert service["SuccessExitStatus"].split() == [str(int(ExitCode.LOCKED))]
    assert service["User"] not in ("", "root", "0")
    assert service["WorkingDirectory"] == "/opt/tribun-crawler"
    assert (ROOT / "scrapy.cfg").is_file(), "the working directory is a project folder: it holds scrapy.cfg"
    # Hardened: no new privileges, the system read-only except the project's output folder.
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"].split() == [service["WorkingDirectory"] + "/output"]
    assert service["CapabilityBoundingSet"] == ""
    assert service["ExecStart"] in _deployment_commands()


def test_timer_starts_the_service() -> None:
    timer = _unit(TIMER)
    assert timer["Timer"].get("Unit", SERVICE.name) == SERVICE.name
    assert TIMER.stem == SERVICE.stem
    assert timer["Timer"]["OnCalendar"]
    assert timer["Install"]["WantedBy"] == "timers.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    # verify insists that ExecStart's program exists; on a machine without the install, a stand-in at a path
    # of the same length replaces it in a copy. Everything else is verified as written.
    program = shlex.split(_unit(SERVICE)["Service"]["ExecStart"])[0]
    stand_in = tmp_path / "bin" / "scrapy"
    stand_in.parent.mkdir()
    stand_in.write_text("#!/bin/sh\n", encoding="utf-8")
    stand_in.chmod(0o755)
    units = tmp_path / "units"
    units.mkdir()
    (units / SERVICE.name).write_text(SERVICE.read_text(encoding="utf-8").replace(program, str(stand_in)),
                                      encoding="utf-8")
    shutil.copy(TIMER, units / TIMER.name)
    proc = subprocess.run(["systemd-analyze", "verify", "--man=no", str(units / SERVICE.name),
                           str(units / TIMER.name)], capture_output=True, text=True)
    # Unknown keys and bad values are only warnings (status 0): any output is a finding.
    assert proc.returncode == 0 and not (proc.stdout + proc.stderr).strip(), proc.stdout + proc.stderr


def test_dockerfile_runs_the_readme_commands_as_a_non_root_user() -> None:
    steps = _dockerfile()
    readme = _deployment_commands()
    runs = [args for instruction, args in steps if instruction == "RUN"]
    assert runs, "the Dockerfile installs nothing"
    assert [run for run in runs if run not in readme] == []

    users = [args for instruction, args in steps if instruction == "USER"]
    assert users and users[-1] not in ("root", "0")
    # The user switch comes after every RUN (they install as root) and before the command.
    order = [instruction for instruction, _ in steps]
    assert order.index("USER") > max(i for i, name in enumerate(order) if name == "RUN")

    entrypoint = _exec_form(next(args for instruction, args in steps if instruction == "ENTRYPOINT"))
    cmd = _exec_form(next(args for instruction, args in steps if instruction == "CMD"))
    assert shlex.join(entrypoint + cmd) in readme
    # The same command as the systemd service.
    assert shlex.join(entrypoint + cmd) == _unit(SERVICE)["Service"]["ExecStart"]

    workdir = next(args for instruction, args in steps if instruction == "WORKDIR")
    volumes = [_exec_form(args) if args.startswith("[") else args.split() for instruction, args in steps
               if instruction == "VOLUME"]
    assert [f"{workdir}/output"] in volumes, "the output folder is a volume"


def test_readme_names_the_statuses_to_alert_on() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Deployment\n(.*?)^## ", text, re.S | re.M).group(1)
    alert = re.search(r"\*\*What a monitor should alert on\*\*(.*?)\n\n", section, re.S).group(1)
    failures = {code for code in ExitCode if code not in (ExitCode.OK, ExitCode.LOCKED)}
    for code in failures:
        assert f"{int(code)} ({code.name})" in alert, code
    assert f"{int(ExitCode.LOCKED)} ({ExitCode.LOCKED.name}" in alert
