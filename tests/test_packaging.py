"""The packaged app: ``--smoke-test`` from source, the About dialog, and the real .deb end to end.

``test_installed_deb_passes_its_smoke_test`` builds the PyInstaller bundle and the .deb, unpacks
the .deb into a temporary root with ``dpkg -x`` and runs the installed launcher's smoke test
against the simulator, with a real Secret Service (gnome-keyring, unlocked, on a private D-Bus
session). It takes minutes, so it runs only with ``QWEN_DESKTOP_PACKAGING_TEST=1``:
``QWEN_DESKTOP_PACKAGING_TEST=1 uv run pytest tests/test_packaging.py`` (see docs/packaging.md).
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


@pytest.mark.slow
@pytest.mark.timeout(1200)
@pytest.mark.skipif(_packaging_skip_reason() is not None, reason=_packaging_skip_reason() or "")
def test_installed_deb_passes_its_smoke_test(tmp_path: Path, sim: Simulator) -> None:
    started = time.monotonic()
    build = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--deb"], cwd=ROOT,
                           capture_output=True, text=True, timeout=1100)
    assert build.returncode == 0, build.stdout + build.stderr[-4000:]
    report = json.loads((ROOT / "build" / "packaging-report.json").read_text(encoding="utf-8"))
    deb = Path(report["paths"]["deb"])
    tarball = Path(report["paths"]["tarball"])
    assert deb.name == f"qwen-desktop_{project_version()}_{deb.name.split('_')[-1]}"

    fields = subprocess.run(["dpkg-deb", "--field", str(deb), "Package", "Version", "Depends"],
                            capture_output=True, text=True, check=True).stdout
    assert f"Version: {project_version()}" in fields
    assert "fonts-noto-cjk | fonts-wqy-microhei" in fields and "libxcb-cursor0" in fields

    root = tmp_path / "root"
    subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
    launcher = root / "usr" / "bin" / "qwen-desktop"
    assert launcher.is_symlink() and not os.readlink(launcher).startswith("/")
    assert launcher.resolve() == (root / "opt" / "qwen-desktop" / "qwen-desktop").resolve()
    desktop_entry = (root / "usr" / "share" / "applications" / "qwen-desktop.desktop").read_text()
    assert "Exec=qwen-desktop" in desktop_entry and "Icon=qwen-desktop" in desktop_entry
    hicolor = root / "usr" / "share" / "icons" / "hicolor"
    for size in ICON_SIZES:
        assert (hicolor / f"{size}x{size}" / "apps" / "qwen-desktop.png").is_file()
    assert (hicolor / "scalable" / "apps" / "qwen-desktop.svg").is_file()
    internal = root / "opt" / "qwen-desktop" / "_internal"
    assert not list(internal.rglob("libqgtk3*")) and not list(internal.rglob("*WebEngine*"))
    with tarfile.open(tarball) as archive:
        assert f"qwen-desktop-{project_version()}/qwen-desktop" in archive.getnames()

    sim.reset()
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "share"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_RUNTIME_DIR": str(home / "run"),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "QWEN_DESKTOP_SMOKE_KEY": sim.regions["intl"],
    }
    (home / "run").mkdir(mode=0o700)
    script = ("printf smoke-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null "
              '&& exec "$0" --smoke-test "$1" --data-dir "$2"')
    smoke = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script, str(launcher), sim.base_url("intl"),
         str(tmp_path / "data")],
        capture_output=True, text=True, env=env, timeout=120,
    )
    elapsed = time.monotonic() - started
    print(smoke.stdout)
    print(f"build {report['seconds']} s, bundle {report['bytes']['bundle'] / 1e6:.0f} MB, "
          f"whole test {elapsed:.0f} s")
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr[-3000:]
    assert "(packaged," in smoke.stdout
    assert "with keyring.backends.SecretService.Keyring" in smoke.stdout
    assert "ok    reply:" in smoke.stdout
    assert any(r.api_key == sim.regions["intl"] for r in sim.requests)
