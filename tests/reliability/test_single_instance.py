"""One window per data folder: a second launch brings the first forward and exits."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from qwen_desktop.ui.common.single_instance import InstanceGuard, instance_name

ROOT = Path(__file__).resolve().parents[2]


def test_a_second_guard_for_the_same_folder_asks_the_first(qtbot: Any, tmp_path: Path) -> None:
    first = InstanceGuard.claim(tmp_path / "data")
    assert first is not None
    asked: list[bool] = []
    first.activated.connect(lambda: asked.append(True))
    try:
        assert InstanceGuard.claim(tmp_path / "data") is None
        qtbot.waitUntil(lambda: asked == [True], timeout=3000)
        other = InstanceGuard.claim(tmp_path / "elsewhere")
        assert other is not None, "another data folder gets its own window"
        other.close()
    finally:
        first.close()
    again = InstanceGuard.claim(tmp_path / "data")
    assert again is not None, "the folder is free once the first window closed"
    again.close()


def test_a_second_launch_exits_and_the_first_window_comes_forward(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "QWEN_DESKTOP_DATA_DIR": str(data), "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring",
           "QWEN_TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}
    command = [sys.executable, "-m", "qwen_desktop"]
    first = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    log = data / "logs" / "qwen-desktop.log"
    try:
        socket_file = Path(tempfile.gettempdir()) / instance_name(data)
        deadline = time.monotonic() + 60
        while not socket_file.exists():
            assert time.monotonic() < deadline and first.poll() is None, "the first window did not start"
            time.sleep(0.05)
        started = time.monotonic()
        second = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0 and time.monotonic() - started < 30
        deadline = time.monotonic() + 10
        while "A second launch asked this window to come forward" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.1)
        assert "Another window already uses" in log.read_text()
        assert first.poll() is None, "the first window keeps running"
    finally:
        first.terminate()
        first.wait(30)
