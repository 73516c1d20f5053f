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
QT_RUNTIME_DEPENDS = [
    "libglib2.0-0t64 | libglib2.0-0", "libgl1", "libegl1", "libfontconfig1", "libfreetype6",
    "libxkbcommon0", "libxkbcommon-x11-0", "libdbus-1-3", "libx11-6", "libx11-xcb1", "libxcb1",
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-shm0", "libxcb-sync1", "libxcb-xfixes0",
    "libxcb-xkb1", "libwayland-client0", "libwayland-cursor0", "libwayland-egl1", "zlib1g",
]
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
    """Debian's own convention: ``DEBFULLNAME`` and ``DEBEMAIL`` name whoever builds the package."""
    name = os.environ.get("DEBFULLNAME", "Qwen Desktop maintainers")
    email = os.environ.get("DEBEMAIL", "qwen-desktop@localhost")
    return f"{name} <{email}>"


def homepage_lines() -> list[str]:
    homepage = os.environ.get("QWEN_DESKTOP_HOMEPAGE", "")
    return [f"Homepage: {homepage}"] if homepage else []


def control_file(arch: str, installed_kib: int) -> str:
    depends = ", ".join([f"libc6 (>= {glibc_floor()})", *QT_RUNTIME_DEPENDS, CJK_FONT])
    return "\n".join([
        f"Package: {PACKAGE}",
        f"Version: {version()}",
        f"Architecture: {arch}",
        f"Maintainer: {maintainer()}",
        f"Installed-Size: {installed_kib}",
        f"Depends: {depends}",
        "Recommends: gnome-keyring | keepassxc",
        "Section: net",
        "Priority: optional",
        *homepage_lines(),
        "Description: desktop chat client for Alibaba Cloud Model Studio (Qwen)",
        " A native Qt client for the Qwen models on Alibaba Cloud Model Studio",
        " (DashScope): per-region API keys in the system keyring, streamed replies",
        " with the models' reasoning shown apart, context policies for long",
        " conversations, and both the OpenAI-compatible and the native protocol.",
        "",
    ])


def copyright_file() -> str:
    return "\n".join([
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
        f"Upstream-Name: {APP_NAME}",
        *(line.replace("Homepage", "Source") for line in homepage_lines()),
        "",
        "Files: *",
        "License: Apache-2.0",
        " On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.",
        "",
        "Files: opt/qwen-desktop/_internal/*",
        "License: various",
        " The bundled Python runtime and libraries, including Qt under the LGPL-3.0,",
        " are listed with their licences in",
        " /opt/qwen-desktop/_internal/resources/third_party_licenses.txt.",
        "",
    ])


def normalise_modes(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        executable = path.is_dir() or mode & stat.S_IXUSR
        path.chmod(0o755 if executable else 0o644)


def stage_deb(stage: Path) -> None:
    if stage.exists():
        shutil.rmtree(stage)
    opt = stage / "opt" / PACKAGE
    shutil.copytree(BUNDLE, opt, symlinks=True)
    bin_dir = stage / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / PACKAGE).symlink_to(Path("..", "..", "opt", PACKAGE, "qwen-desktop"))
    applications = stage / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copy2(HERE / "linux" / "qwen-desktop.desktop", applications / "qwen-desktop.desktop")
    hicolor = stage / "usr" / "share" / "icons" / "hicolor"
    for size in PNG_SIZES:
        target = hicolor / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy2(ICONS / f"qwen-desktop-{size}.png", target / "qwen-desktop.png")
    scalable = hicolor / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(ICONS / "qwen-desktop.svg", scalable / "qwen-desktop.svg")
    doc = stage / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(copyright_file(), encoding="utf-8")
    normalise_modes(stage)


def build_deb(compression: str, level: int) -> Path:
    if shutil.which("dpkg-deb") is None:
        raise SystemExit("--deb needs dpkg-deb (Debian or Ubuntu)")
    arch = debian_architecture()
    stage = BUILD / "deb" / f"{PACKAGE}_{version()}_{arch}"
    stage_deb(stage)
    installed_kib = (tree_size(stage) + 1023) // 1024
    debian = stage / "DEBIAN"
    debian.mkdir(mode=0o755)
    (debian / "control").write_text(control_file(arch, installed_kib), encoding="utf-8")
    (debian / "control").chmod(0o644)
    target = DIST / f"{PACKAGE}_{version()}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", f"-Z{compression}", f"-z{level}", "--build",
                    str(stage), str(target)], check=True, stdout=subprocess.DEVNULL)
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
        timed("bundle", lambda: run_pyinstaller(args.clean))
    if not BUNDLE.is_dir():
        raise SystemExit(f"no bundle at {BUNDLE}: build it first")
    outputs["bundle"] = BUNDLE
    if sys.platform == "darwin" and (DIST / f"{APP_NAME}.app").is_dir():
        outputs["app"] = DIST / f"{APP_NAME}.app"
    if args.deb or args.tarball:
        if not sys.platform.startswith("linux"):
            raise SystemExit("--deb and --tarball build Linux packages")
        if args.deb:
            outputs["deb"] = timed("deb", lambda: build_deb(args.deb_compression, args.deb_level))  # type: ignore[assignment]
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
