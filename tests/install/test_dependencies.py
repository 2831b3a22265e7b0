"""pyproject.toml declares, with a lower and an upper bound, every package the code imports; constraints.txt
pins each of them to a version inside those bounds."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
OWN = {"crawler", "tests", "bench", "tools"}
# Extras constraints.txt pins (make lock installs these); the others (parquet, notify) are subsets or optional.
LOCKED_EXTRAS = ("test", "bench")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _requirements() -> list[Requirement]:
    project = _pyproject()["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        reqs += [Requirement(r) for r in extra]
    return reqs


def _imported_modules() -> dict[str, str]:
    """Top-level module name → one file importing it, over the code and its tests."""
    found: dict[str, str] = {}
    for folder in ("crawler", "tools", "bench", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def test_every_imported_package_is_declared() -> None:
    declared = {canonicalize_name(r.name) for r in _requirements()}
    dists = packages_distributions()
    missing = []
    for module, where in sorted(_imported_modules().items()):
        if module in OWN or module in sys.stdlib_module_names or module == "__future__":
            continue
        # A module whose distribution is not installed here (an extra left out) is taken to share its name.
        names = {canonicalize_name(d) for d in dists.get(module, [module])}
        if not names & declared:
            missing.append(f"{module} (imported in {where}; distribution {sorted(names)})")
    assert not missing, "imported but not declared in pyproject.toml: " + ", ".join(missing)


def test_every_requirement_is_bounded() -> None:
    loose = []
    for req in _requirements():
        operators = {spec.operator for spec in req.specifier}
        if not (operators & {">=", ">", "==", "~="} and operators & {"<", "<=", "==", "~="}):
            loose.append(str(req))
    assert not loose, "requirements without a lower and an upper bound: " + ", ".join(loose)


def test_constraints_pin_every_locked_requirement_within_its_bounds() -> None:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, pinned = line.partition("==")
            assert pinned, f"constraints.txt: {line!r} is not an exact pin"
            pins[canonicalize_name(name)] = pinned
    project = _pyproject()["project"]
    locked = [Requirement(r) for r in project["dependencies"]]
    for extra in LOCKED_EXTRAS:
        locked += [Requirement(r) for r in project["optional-dependencies"][extra]]
    wrong = []
    for req in locked:
        pinned = pins.get(canonicalize_name(req.name))
        if pinned is None or not req.specifier.contains(pinned, prereleases=True):
            wrong.append(f"{req} (constraints.txt: {pinned})")
    assert not wrong, "make lock is due: " + ", ".join(wrong)


def test_build_metadata_uses_spdx_licence() -> None:
    data = _pyproject()
    assert data["project"]["license"] == "MIT"
    for name in data["project"]["license-files"]:
        assert (ROOT / name).is_file(), name
    # setuptools reads the SPDX expression (PEP 639) from 77 on; older ones fail or warn on it.
    (setuptools,) = [Requirement(r) for r in data["build-system"]["requires"] if r.startswith("setuptools")]
    assert not setuptools.specifier.contains("76.9") and setuptools.specifier.contains("77.0")
