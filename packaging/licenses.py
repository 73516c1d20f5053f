"""Write resources/third_party_licenses.txt from the installed metadata of the runtime dependencies.

Walks the requirements of ``qwen-desktop`` (with extras and environment markers) through
``importlib.metadata``, so development tools never appear. Run with
``uv run python packaging/licenses.py``; ``--check`` exits 1 when the committed file is stale.
"""

from __future__ import annotations

import argparse
import sys
import sysconfig
from collections import deque
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "resources" / "third_party_licenses.txt"
TEXTS = Path(__file__).resolve().parent / "license-texts"
APP = "qwen-desktop"
QT_DISTRIBUTIONS = {"pyside6-essentials", "shiboken6"}
LICENSE_FILE_PREFIXES = ("license", "licence", "copying", "notice", "authors")
RULE = "=" * 78

QT_NOTICE = """\
Qt for Python (PySide6 and shiboken6) and the Qt libraries it ships
-------------------------------------------------------------------
Qwen Desktop uses Qt through PySide6 under the GNU Lesser General Public License
version 3 (LGPL-3.0-only); its full text and that of the GNU General Public
License version 3, which it incorporates, are at the end of this file.

Qt and PySide6 are linked dynamically: the Qt libraries (libQt6*.so, Qt6*.dll,
Qt*.framework) and the PySide6/shiboken6 modules are separate files inside the
application folder, unmodified from the PySide6 {version} wheels published on
PyPI. You may replace them with other builds of the same Qt and PySide6 versions,
for example ones you compiled yourself, by overwriting those files. The source
code of Qt is available from https://download.qt.io/official_releases/qt/ and
that of PySide6 from https://code.qt.io/cgit/pyside/pyside-setup.git/ ; the
corresponding source for this release can also be requested from the
maintainers of Qwen Desktop for at least three years.
Copyright (C) The Qt Company Ltd. and other contributors.
"""


@dataclass(frozen=True)
class Entry:
    name: str
    version: str
    license: str
    homepage: str
    texts: tuple[tuple[str, str], ...]


def runtime_distributions(root: str = APP) -> list[metadata.Distribution]:
    """The distributions ``root`` needs at run time on this platform, ``root`` excluded."""
    seen: dict[str, metadata.Distribution] = {}
    visited: set[tuple[str, frozenset[str]]] = set()
    queue: deque[tuple[str, frozenset[str]]] = deque([(canonicalize_name(root), frozenset())])
    base_env = {k: str(v) for k, v in default_environment().items()}
    while queue:
        name, extras = queue.popleft()
        if (name, extras) in visited:
            continue
        visited.add((name, extras))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[name] = dist
        for raw in dist.requires or []:
            requirement = Requirement(raw)
            marker = requirement.marker
            if marker is not None and not any(
                marker.evaluate({**base_env, "extra": extra}) for extra in (extras or {""})
            ):
                continue
            queue.append((canonicalize_name(requirement.name), frozenset(requirement.extras)))
    seen.pop(canonicalize_name(root), None)
    return sorted(seen.values(), key=lambda d: canonicalize_name(d.metadata["Name"]))


def license_of(dist: metadata.Distribution) -> str:
    meta: Any = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression.strip()
    declared = (meta.get("License") or "").strip()
    if declared and "\n" not in declared and len(declared) < 120:
        return declared
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    if classifiers:
        return "; ".join(classifiers)
    return "see the licence text below" if declared else "not declared"


def homepage_of(dist: metadata.Distribution) -> str:
    meta: Any = dist.metadata
    if meta.get("Home-page"):
        return str(meta["Home-page"])
    for url in meta.get_all("Project-URL") or []:
        label, _, address = url.partition(",")
        if label.strip().lower() in {"homepage", "home", "source", "source code", "repository"}:
            return address.strip()
    return ""


def license_texts(dist: metadata.Distribution) -> tuple[tuple[str, str], ...]:
    texts: list[tuple[str, str]] = []
    for file in dist.files or []:
        parts = [p.lower() for p in file.parts]
        in_dist_info = parts[0].endswith(".dist-info")
        name = parts[-1]
        named_like_licence = name.startswith(LICENSE_FILE_PREFIXES)
        if not in_dist_info or not (named_like_licence or "licenses" in parts[1:-1]):
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if text and text.strip():
            texts.append(("/".join(file.parts[1:]), text.strip()))
    return tuple(sorted(texts))


def entries() -> list[Entry]:
    return [
        Entry(
            name=str(dist.metadata["Name"]),
            version=dist.version,
            license=license_of(dist),
            homepage=homepage_of(dist),
            texts=license_texts(dist),
        )
        for dist in runtime_distributions()
    ]


def python_entry() -> Entry:
    version = ".".join(str(part) for part in sys.version_info[:3])
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    texts: tuple[tuple[str, str], ...] = ()
    for candidate in (stdlib / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt"):
        if candidate.is_file():
            texts = ((candidate.name, candidate.read_text(encoding="utf-8").strip()),)
            break
    return Entry("CPython", version, "PSF-2.0", "https://www.python.org/", texts)


def render(items: list[Entry]) -> str:
    qt_version = next((e.version for e in items if canonicalize_name(e.name) in QT_DISTRIBUTIONS), "")
    lines = [
        "Qwen Desktop: third-party software",
        RULE,
        "",
        "Qwen Desktop is licensed under the Apache License, Version 2.0 (see LICENSE).",
        "Its packaged builds include the software below, each under its own licence",
        "(every runtime dependency declared in the package metadata; the builds leave",
        "out a few that the application never imports, such as typer and rich).",
        "Generated by packaging/licenses.py from the installed package metadata.",
        "",
        QT_NOTICE.format(version=qt_version),
        "Summary",
        "-------",
    ]
    width = max(len(f"{e.name} {e.version}") for e in items)
    lines += [f"{f'{e.name} {e.version}':<{width}}  {e.license}" for e in items]
    for entry in items:
        lines += ["", RULE, f"{entry.name} {entry.version}", f"Licence: {entry.license}"]
        if entry.homepage:
            lines.append(f"Home page: {entry.homepage}")
        for filename, text in entry.texts:
            lines += ["", f"--- {filename} ---", "", text]
    for title, filename in (("GNU Lesser General Public License, version 3", "LGPL-3.0.txt"),
                            ("GNU General Public License, version 3", "GPL-3.0.txt")):
        lines += ["", RULE, title, "", (TEXTS / filename).read_text(encoding="utf-8").strip()]
    return "\n".join(lines).rstrip() + "\n"


def generate() -> str:
    return render([*entries(), python_entry()])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the committed file is stale")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != text:
            print(f"{args.output} is out of date: run packaging/licenses.py", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
