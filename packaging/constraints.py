"""Every dependency version, pinned: ``constraints.txt`` and the copy uv reads in ``pyproject.toml``.

``uv run python packaging/constraints.py`` rewrites ``constraints.txt`` from uv's resolution
(``uv export``: every transitive package of the app and of the dev group, for every platform,
without index URLs or hashes) and copies the pins into ``[tool.uv] constraint-dependencies``,
which is how ``uv run``/``uv sync``/``uv lock`` read constraints in a project. The build backend
is pinned the same way (``build-constraint-dependencies``).

``--check`` (run by ``.ci/run`` and by ``packaging/build.py`` before it freezes anything) fails
unless the two lists agree and every package installed in the running environment is the pinned
version. To move a pin: change it in ``pyproject.toml`` (a direct dependency) or run this script
with ``--upgrade-package NAME``, then run the tests.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
PYPROJECT = ROOT / "pyproject.toml"
PROJECT = "qwen-desktop"
BEGIN = "constraint-dependencies = ["
HEADER = """\
# Every package version the app, its tests and its build use, on every platform.
# Written by `uv run python packaging/constraints.py` (from `uv export`); uv reads the same
# pins from [tool.uv] constraint-dependencies in pyproject.toml. No index URLs: use any mirror.
"""
# The build backend and what it needs, for `uv build` and for installing the project itself.
BUILD_PINS = ["hatchling==1.33.0", "packaging==26.4", "pathspec==1.1.1", "pluggy==1.7.0",
              "trove-classifiers==2026.9.21.13"]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def exported(upgrade: list[str]) -> list[str]:
    command = ["uv", "export", "--no-hashes", "--no-emit-project", "--all-groups", "--no-header",
               "--no-annotate", "--format", "requirements-txt"]
    for name in upgrade:
        command += ["--upgrade-package", name]
    text = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    pins = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith(("#", "-"))]
    if any("://" in pin for pin in pins):
        raise SystemExit("uv export wrote a URL: constraints.txt must hold versions only")
    return pins


def read_constraints(path: Path = CONSTRAINTS) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def pyproject_pins() -> list[str]:
    uv = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["uv"]
    return list(uv.get("constraint-dependencies", []))


def parse_pin(pin: str) -> tuple[str, str, str]:
    """``name==version ; marker`` as (canonical name, version, marker)."""
    requirement, _, marker = pin.partition(";")
    name, _, version = requirement.partition("==")
    return canonical(name.strip()), version.strip(), marker.strip()


def write_pyproject(pins: list[str]) -> None:
    text = PYPROJECT.read_text(encoding="utf-8")
    body = "".join(f'    "{pin}",\n' for pin in pins)
    block = f"{BEGIN}\n{body}]\n"
    build = "build-constraint-dependencies = [" + ", ".join(f'"{p}"' for p in BUILD_PINS) + "]\n"
    pattern = re.compile(r"^constraint-dependencies = \[\n.*?^\]\n", re.S | re.M)
    build_pattern = re.compile(r"^build-constraint-dependencies = \[.*?\]\n", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
        text = build_pattern.sub(lambda _: build, text)
    else:
        text = text.replace("[tool.uv]\n", f"[tool.uv]\n{build}{block}", 1)
    PYPROJECT.write_text(text, encoding="utf-8")


def problems() -> list[str]:
    """What disagrees between constraints.txt, pyproject.toml and the running environment."""
    found: list[str] = []
    pins = read_constraints()
    if pins != pyproject_pins():
        found.append("pyproject.toml [tool.uv] constraint-dependencies differs from constraints.txt: "
                     "run `uv run python packaging/constraints.py`")
    pinned = {}
    for pin in pins:
        name, version, _ = parse_pin(pin)
        if not version or "://" in pin:
            found.append(f"constraints.txt: {pin!r} is not name==version")
        pinned[name] = version
    for dist in metadata.distributions():
        name = canonical(dist.metadata["Name"] or "")
        if name == PROJECT or not name:
            continue
        if name not in pinned:
            found.append(f"{name} {dist.version} is installed but not pinned in constraints.txt")
        elif pinned[name] != dist.version:
            found.append(f"{name} {dist.version} is installed, constraints.txt pins {pinned[name]}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="verify, write nothing")
    parser.add_argument("--upgrade-package", action="append", default=[], metavar="NAME")
    args = parser.parse_args(argv)
    if args.check:
        found = problems()
        for problem in found:
            print(f"constraints: {problem}", file=sys.stderr)
        if found:
            print("constraints: after changing a dependency in pyproject.toml, run "
                  "`uv run python packaging/constraints.py` and commit constraints.txt", file=sys.stderr)
        else:
            print(f"constraints: {len(read_constraints())} pins, environment matches")
        return 1 if found else 0
    pins = exported(args.upgrade_package)
    CONSTRAINTS.write_text(HEADER + "".join(f"{pin}\n" for pin in pins), encoding="utf-8")
    write_pyproject(pins)
    print(f"{len(pins)} pins written to constraints.txt and pyproject.toml")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
