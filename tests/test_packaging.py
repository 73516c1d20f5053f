"""The packaged app: ``--smoke-test`` from source, the About dialog, pins, and the real .deb end to end.

The tests marked ``slow`` build the PyInstaller bundle, the .deb (and the .rpm when rpmbuild is
there), check the .deb's contents, then install it with ``apt-get install ./….deb`` into a fresh
minimal Debian root (debootstrap) and run the installed app's smoke test there against the
simulator, with a real Secret Service (gnome-keyring, unlocked, on a private D-Bus session).
They take minutes, so they run only with ``QWEN_DESKTOP_PACKAGING_TEST=1``:
``QWEN_DESKTOP_PACKAGING_TEST=1 ./run pytest tests/test_packaging.py`` (see docs/packaging.md).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.packaging_build import PackagingBuild, early_build
from tests.simulator import Simulator

ROOT = Path(__file__).resolve().parents[1]
PACKAGING_ENV = "QWEN_DESKTOP_PACKAGING_TEST"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def project_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"])


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


def smoke_env(tmp_path: Path, sim: Simulator) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DASHSCOPE_API_KEY", "PYTHON_KEYRING_BACKEND", "QWEN_DESKTOP_REGION_URLS"}}
    env.update({
        "QWEN_DESKTOP_SMOKE_KEY": sim.regions["intl"],
        "QT_QPA_PLATFORM": "offscreen",
    })
    return env


def run_from_source(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qwen_desktop", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=90)


def test_smoke_test_from_source_passes_every_check(tmp_path: Path, sim: Simulator) -> None:
    sim.reset()
    env = smoke_env(tmp_path, sim)
    env.update({
        "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring",
        "QWEN_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
        "PYTHONPATH": str(ROOT),
    })
    done = run_from_source(["--smoke-test", sim.base_url("intl"), "--data-dir", str(tmp_path / "d")], env)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for check in ("version", "resources", "modules", "certificates", "tokenizer", "keyring", "window",
                  "reply"):
        assert any(line.startswith(f"ok    {check}:") for line in lines), done.stdout
    assert "tests.keyring_backends.FileKeyring" in done.stdout
    assert lines[-1] == "smoke test passed"
    assert any(r.api_key == sim.regions["intl"] for r in sim.requests)
    stored = json.loads((tmp_path / "keyring.json").read_text())
    assert not stored.get("qwen-desktop"), "the throwaway key was left in the keyring"


def test_smoke_test_names_the_failed_check_and_exits_non_zero(tmp_path: Path, sim: Simulator) -> None:
    env = smoke_env(tmp_path, sim)
    env.update({"PYTHONPATH": str(ROOT), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    done = run_from_source(["--smoke-test", sim.base_url("intl"), "--data-dir", str(tmp_path / "d"),
                            "--smoke-timeout", "60"], env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL  keyring:" in done.stdout
    assert "ok    reply:" in done.stdout
    assert done.stdout.splitlines()[-1] == "smoke test failed: keyring"


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_about_dialog_shows_version_licence_and_third_party_notices(qtbot: Any) -> None:
    from qwen_desktop.ui.common.about import AboutDialog, app_icon, app_version

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.isVisible()
    assert app_version() == project_version()
    assert project_version() in dialog.version.text()
    notices = dialog.licenses.toPlainText()
    assert "PySide6" in notices and "GNU LESSER GENERAL PUBLIC LICENSE" in notices
    assert "linked dynamically" in notices
    assert not app_icon().isNull()
    dialog.close()


def test_icons_cover_every_size_and_platform() -> None:
    from PIL import Image

    icons = ROOT / "resources" / "icons"
    for size in ICON_SIZES:
        with Image.open(icons / f"qwen-desktop-{size}.png") as image:
            assert image.size == (size, size)
            assert image.mode == "RGBA"
    with Image.open(icons / "qwen-desktop.ico") as ico:
        assert {(16, 16), (32, 32), (256, 256)} <= set(ico.info["sizes"])
    with Image.open(icons / "qwen-desktop.icns") as icns:
        assert (512, 512, 2) in icns.info["sizes"]
    assert "<svg" in (icons / "qwen-desktop.svg").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ pins and set-up


def test_constraints_pin_every_installed_package() -> None:
    """constraints.txt, pyproject's copy for uv and this environment agree on every version."""
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import constraints
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    pins = constraints.read_constraints()
    assert len(pins) > 50 and all("==" in pin and "://" not in pin for pin in pins)
    assert "--index-url" not in constraints.CONSTRAINTS.read_text(encoding="utf-8")
    found = constraints.problems()
    assert found == [], ("after changing a dependency, run `uv run python packaging/constraints.py`: "
                         + "; ".join(found))


def test_a_missing_system_library_is_a_sentence_naming_its_package() -> None:
    from qwen_desktop import system_libraries as sl

    absent = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
    message = sl.problem({"DISPLAY": ":0"}, load=lambda soname: soname not in absent)
    assert message is not None
    assert "libxcb-icccm.so.4" in message and "libxcb-keysyms.so.1" in message
    assert message.endswith("sudo apt-get install libxcb-icccm4 libxcb-keysyms1")
    # The X11 libraries are not needed offscreen or under Wayland; Wayland's own are.
    assert sl.problem({"QT_QPA_PLATFORM": "offscreen"}, load=lambda s: s not in absent) is None
    wayland = sl.problem({"WAYLAND_DISPLAY": "wayland-0"}, load=lambda s: "wayland-cursor" not in s)
    assert wayland is not None and "libwayland-cursor0" in wayland
    assert sl.problem({"DISPLAY": ":0"}, load=lambda s: True) is None


def test_fcitx_users_are_served_through_the_ibus_protocol() -> None:
    from qwen_desktop.input_method import choose

    bundled = ["libcomposeplatforminputcontextplugin.so", "libibusplatforminputcontextplugin.so"]
    for env in ({"QT_IM_MODULE": "fcitx"}, {"QT_IM_MODULE": "fcitx5"}, {"QT_IM_MODULES": "fcitx;ibus"},
                {"XMODIFIERS": "@im=fcitx"}):
        assert choose(env, bundled) == "ibus" and env["QT_IM_MODULE"] == "ibus", env
        assert "QT_IM_MODULES" not in env
    for env in ({"QT_IM_MODULE": "ibus"}, {}, {"XMODIFIERS": "@im=ibus"}):
        before = dict(env)
        assert choose(env, bundled) is None and env == before
    with_fcitx = [*bundled, "libfcitx5platforminputcontextplugin.so"]
    assert choose({"QT_IM_MODULE": "fcitx"}, with_fcitx) is None


def test_run_script_prints_the_apt_line_when_it_cannot_install(tmp_path: Path) -> None:
    """Not root and no sudo: ./run names the packages in one apt line and stops (no uv, no app)."""
    if shutil.which("dpkg") is None or shutil.which("apt-get") is None:
        pytest.skip("./run installs system packages on Debian and Ubuntu only")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # A machine where ldconfig knows no library at all: everything Qt needs is missing.
    (bin_dir / "ldconfig").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")
    (bin_dir / "sudo").write_text("#!/bin/sh\nexit 1\n")  # sudo without a password refuses
    for tool in ("ldconfig", "id", "sudo"):
        (bin_dir / tool).chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    done = subprocess.run([str(ROOT / "run"), "qwen-desktop"], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=180)
    assert done.returncode == 1, done.stderr
    line = next(line for line in done.stderr.splitlines() if "apt-get install" in line)
    assert line.strip().startswith("sudo apt-get install --no-install-recommends ")
    for package in ("libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "libxcb-shape0",
                    "libxcb-xkb1", "libwayland-cursor0", "libegl1"):
        assert package in line.split() or f"{package}t64" in line.split(), line


def test_desktop_entry_metainfo_and_man_page() -> None:
    linux = ROOT / "packaging" / "linux"
    for tool, command in (("desktop-file-validate", [str(linux / "qwen-desktop.desktop")]),
                          ("appstreamcli", ["validate", "--no-net", "--pedantic",
                                            str(linux / "io.github.qwendesktop.QwenDesktop.metainfo.xml")])):
        if shutil.which(tool) is None:
            continue
        done = subprocess.run([tool, *command], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        assert not [line for line in (done.stdout + done.stderr).splitlines()
                    if line.startswith(("E:", "W:", "I:")) or "error" in line or "warning" in line], done.stdout
    metainfo = (linux / "io.github.qwendesktop.QwenDesktop.metainfo.xml").read_text(encoding="utf-8")
    assert f'<release version="{project_version()}"' in metainfo
    assert "<screenshot" in metainfo and "<content_rating" in metainfo
    assert f"qwen-desktop ({project_version()})" in (linux / "changelog").read_text(encoding="utf-8")

    import argparse

    from qwen_desktop import cli

    page = (linux / "qwen-desktop.1").read_text(encoding="utf-8").replace("\\-", "-")
    assert f'"Qwen Desktop {project_version()}"' in page

    def walk(parser: argparse.ArgumentParser, prefix: str) -> Iterator[tuple[str, str]]:
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help") and action.help != argparse.SUPPRESS:
                    yield prefix, option
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield prefix, name
                    yield from walk(sub, f"{prefix} {name}".strip())

    for where, word in walk(cli.parser(), ""):
        assert word in page, f"packaging/linux/qwen-desktop.1 does not mention {where} {word}: add it"
    for option in ("--data-dir", "--theme", "--smoke-test", "--smoke-timeout"):
        assert option in page


# ------------------------------------------------------------------------------------ the .deb


def _packaging_skip_reason() -> str | None:
    if os.environ.get(PACKAGING_ENV) != "1":
        return f"builds the whole app (minutes): set {PACKAGING_ENV}=1 to run it"
    if not sys.platform.startswith("linux"):
        return "the .deb is built on Linux"
    for tool in ("dpkg-deb", "dbus-run-session", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            return f"needs {tool} (apt-get install dpkg dbus gnome-keyring)"
    return None


def _debian_root_skip_reason() -> str | None:
    if (reason := _packaging_skip_reason()) is not None:
        return reason
    if os.geteuid() != 0:
        return "installing into a Debian root needs root (chroot, mount)"
    if shutil.which("debootstrap") is None and not DEBIAN_ROOT_TARBALL.is_file():
        return "needs debootstrap (apt-get install debootstrap)"
    return None


packaging_test = pytest.mark.skipif(_packaging_skip_reason() is not None, reason=_packaging_skip_reason() or "")
DEBIAN_SUITE = "bookworm"
DEBIAN_MIRROR = os.environ.get("QWEN_DESKTOP_DEBIAN_MIRROR", "http://deb.debian.org/debian")
DEBIAN_CACHE = Path(os.environ.get("QWEN_DESKTOP_DEBIAN_CACHE", "/var/cache/qwen-desktop-tests"))
DEBIAN_ROOT_TARBALL = DEBIAN_CACHE / f"debian-{DEBIAN_SUITE}-minbase.tar"
# Libraries the bundle must take from the system (the .deb's Depends), never carry itself.
SYSTEM_LIBRARY_PREFIXES = ("libglib-2.0", "libgio-2.0", "libgobject-2.0", "libfontconfig", "libdbus-1",
                           "libstdc++", "libgcc_s", "libsystemd", "libX11", "libxcb-cursor", "libxkbcommon",
                           "libssl", "libcrypto", "libz.so")


@pytest.fixture(scope="module")
def built(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The bundle, the .deb, the .tar.gz and (with rpmbuild) the .rpm, built once for the module:
    usually already under way since the start of the session (see tests/conftest.py)."""
    build = early_build(request.config) or PackagingBuild()
    try:
        return build.wait()
    finally:
        build.stop()


@pytest.mark.slow
@pytest.mark.timeout(1800)
@packaging_test
def test_deb_contents(built: dict[str, Any], tmp_path: Path) -> None:
    deb = Path(built["paths"]["deb"])
    tarball = Path(built["paths"]["tarball"])
    assert deb.name == f"qwen-desktop_{project_version()}_{deb.name.split('_')[-1]}"
    fields = subprocess.run(["dpkg-deb", "--field", str(deb), "Version", "Maintainer", "Depends"],
                            capture_output=True, text=True, check=True).stdout
    assert f"Version: {project_version()}" in fields
    maintainer = fields.split("Maintainer: ", 1)[1].splitlines()[0]
    assert "@" in maintainer and "localhost" not in maintainer
    depends = fields.split("Depends: ", 1)[1]
    for package in ("fonts-noto-cjk | fonts-wqy-microhei", "libglib2.0-0", "libxcb-cursor0", "libxcb-icccm4",
                    "libxcb-keysyms1", "libxkbcommon-x11-0", "libxcb-shape0", "libxcb-xkb1", "libwayland-cursor0",
                    "libfontconfig1", "libdbus-1-3", "libstdc++6", "libsystemd0", "libssl3"):
        assert package in depends, package

    root = tmp_path / "root"
    subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
    launcher = root / "usr" / "bin" / "qwen-desktop"
    assert launcher.is_symlink() and os.readlink(launcher) == "/opt/qwen-desktop/qwen-desktop"
    share = root / "usr" / "share"
    desktop_entry = (share / "applications" / "qwen-desktop.desktop").read_text()
    assert "Exec=qwen-desktop" in desktop_entry and "Icon=qwen-desktop" in desktop_entry
    assert (share / "metainfo" / "io.github.qwendesktop.QwenDesktop.metainfo.xml").is_file()
    assert (share / "man" / "man1" / "qwen-desktop.1.gz").is_file()
    doc = share / "doc" / "qwen-desktop"
    assert (doc / "changelog.gz").is_file()
    copyright_text = (doc / "copyright").read_text()
    assert copyright_text.startswith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")
    assert copyright_text.count("\nCopyright: ") >= 3 and "\nLicense: Apache-2.0\n" in copyright_text
    for size in ICON_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "qwen-desktop.png").is_file()
    control = subprocess.run(["dpkg-deb", "--ctrl-tarfile", str(deb)], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=__import__("io").BytesIO(control)) as archive:
        assert "./md5sums" in archive.getnames()

    internal = root / "opt" / "qwen-desktop" / "_internal"
    names = [path.name for path in internal.iterdir()]
    carried = [name for name in names if name.startswith(SYSTEM_LIBRARY_PREFIXES)]
    assert carried == [], f"the bundle carries system libraries: {carried}"
    assert (internal / "libpython3.11.so.1.0").exists() or any(n.startswith("libpython") for n in names)
    translations = sorted(p.name for p in (internal / "PySide6" / "Qt" / "translations").glob("*.qm"))
    assert translations == ["qtbase_ja.qm", "qtbase_zh_CN.qm"]
    assert not list(internal.rglob("libqgtk3*")) and not list(internal.rglob("*WebEngine*"))
    executable_libraries = [p for p in internal.rglob("*.so*") if p.is_file() and os.stat(p).st_mode & 0o111]
    assert executable_libraries == []
    with tarfile.open(tarball) as archive:
        assert f"qwen-desktop-{project_version()}/qwen-desktop" in archive.getnames()
    if "rpm" in built["paths"]:
        rpm = Path(built["paths"]["rpm"])
        requires = subprocess.run(["rpm", "-qp", "--requires", str(rpm)], capture_output=True, text=True,
                                  check=True).stdout
        assert "libxcb-cursor.so.0()(64bit)" in requires and "libglib-2.0.so.0()(64bit)" in requires
        listing = subprocess.run(["rpm", "-qpl", str(rpm)], capture_output=True, text=True, check=True).stdout
        assert "/opt/qwen-desktop/qwen-desktop" in listing and "/usr/share/metainfo/" in listing
        provides = subprocess.run(["rpm", "-qp", "--provides", str(rpm)], capture_output=True, text=True,
                                  check=True).stdout
        assert "libQt6" not in provides, "the .rpm offers its bundled Qt to other packages"


def minimal_debian_root_tarball() -> Path:
    """A debootstrap --variant=minbase root, made once and kept as a tar under DEBIAN_CACHE."""
    if DEBIAN_ROOT_TARBALL.is_file():
        return DEBIAN_ROOT_TARBALL
    DEBIAN_CACHE.mkdir(parents=True, exist_ok=True)
    work = DEBIAN_CACHE / f"debootstrap-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        subprocess.run(["debootstrap", "--variant=minbase", DEBIAN_SUITE, str(work), DEBIAN_MIRROR],
                       check=True, capture_output=True, timeout=1200)
        partial = DEBIAN_ROOT_TARBALL.with_suffix(".partial")
        subprocess.run(["tar", "-C", str(work), "--numeric-owner", "-cf", str(partial), "."], check=True)
        partial.rename(DEBIAN_ROOT_TARBALL)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return DEBIAN_ROOT_TARBALL


@pytest.fixture
def debian_root(tmp_path: Path) -> Iterator[Path]:
    """A fresh minimal Debian root unpacked from the cached debootstrap, with /proc and the network."""
    tarball = minimal_debian_root_tarball()
    root = tmp_path / "debian"
    root.mkdir()
    subprocess.run(["tar", "-C", str(root), "--numeric-owner", "-xpf", str(tarball)], check=True)
    (root / "etc" / "resolv.conf").unlink(missing_ok=True)
    (root / "etc" / "resolv.conf").write_bytes(Path("/etc/resolv.conf").read_bytes())
    archives = DEBIAN_CACHE / "apt-archives"
    archives.mkdir(parents=True, exist_ok=True)
    for package in archives.glob("*.deb"):  # packages downloaded by earlier runs
        target = root / "var" / "cache" / "apt" / "archives" / package.name
        if not target.exists():
            os.link(package, target)
    subprocess.run(["mount", "-t", "proc", "proc", str(root / "proc")], check=True)
    try:
        yield root
    finally:
        subprocess.run(["umount", "--lazy", str(root / "proc")], check=False)
        for package in (root / "var" / "cache" / "apt" / "archives").glob("*.deb"):
            if not package.name.startswith("qwen-desktop") and not (archives / package.name).exists():
                shutil.copy2(package, archives / package.name)


def in_root(root: Path, script: str, env: dict[str, str] | None = None,
            timeout: float = 900) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "HOME": "/root",
            "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(["chroot", str(root), "sh", "-c", script], capture_output=True, text=True,
                          env={**base, **(env or {})}, timeout=timeout)


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.skipif(_debian_root_skip_reason() is not None, reason=_debian_root_skip_reason() or "")
def test_deb_installs_with_apt_into_a_fresh_debian_root_and_passes_its_smoke_test(
    built: dict[str, Any], debian_root: Path, sim: Simulator
) -> None:
    started = time.monotonic()
    deb = Path(built["paths"]["deb"])
    shutil.copy2(deb, debian_root / "tmp" / deb.name)
    assert in_root(debian_root, "dpkg -s qwen-desktop").returncode != 0
    install = in_root(debian_root, f"apt-get update -q && cd /tmp && apt-get install -y -q ./{deb.name}")
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    installed_at = time.monotonic()
    status = in_root(debian_root, "dpkg -s qwen-desktop && dpkg --verify qwen-desktop && readlink /usr/bin/qwen-desktop")
    assert status.returncode == 0, status.stdout + status.stderr
    assert "Status: install ok installed" in status.stdout
    assert status.stdout.rstrip().endswith("/opt/qwen-desktop/qwen-desktop")

    sim.reset()
    (debian_root / "tmp" / "home" / "run").mkdir(parents=True, mode=0o700)
    env = {"HOME": "/tmp/home", "XDG_RUNTIME_DIR": "/tmp/home/run", "QT_QPA_PLATFORM": "offscreen",
           "QWEN_DESKTOP_SMOKE_KEY": sim.regions["intl"]}
    smoke = in_root(debian_root, (
        "printf smoke-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null "
        f"&& exec qwen-desktop --smoke-test {sim.base_url('intl')} --data-dir /tmp/data"
    ).join(["dbus-run-session -- sh -c '", "'"]), env=env, timeout=180)
    print(smoke.stdout)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr[-3000:]
    assert "(packaged," in smoke.stdout
    assert "with keyring.backends.SecretService.Keyring" in smoke.stdout
    assert "ok    reply:" in smoke.stdout
    assert any(r.api_key == sim.regions["intl"] for r in sim.requests)

    # Take one X11 library away: the installed app names it and its package, no Qt abort.
    removed = in_root(debian_root, "dpkg --remove --force-depends libxcb-icccm4")
    assert removed.returncode == 0, removed.stderr
    broken = in_root(debian_root, "qwen-desktop", env={**env, "QT_QPA_PLATFORM": "xcb", "DISPLAY": ":9"},
                     timeout=60)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "libxcb-icccm.so.4" in broken.stderr and "apt-get install libxcb-icccm4" in broken.stderr
    assert "Traceback" not in broken.stderr and "qt.qpa" not in broken.stderr
    print(f"apt-get install {installed_at - started:.0f} s, whole test {time.monotonic() - started:.0f} s")
