"""SIGTERM and SIGINT end the app cleanly: replies stopped with their text stored, the database
closed (its clean-shutdown marker written) and the single-instance socket removed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from qwen_desktop.core.paths import database_path
from qwen_desktop.core.types import MessageStatus, Role
from qwen_desktop.ui.common.single_instance import instance_name
from qwen_desktop.ui.shell.quit_signals import QuitSignals

from tests.simulator import Reply, Simulator
from tests.ui.harness import Harness, answer_text, replies

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_the_app_quits_cleanly_on_a_signal(tmp_path: Path, number: signal.Signals) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "QWEN_DESKTOP_DATA_DIR": str(data), "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring",
           "QWEN_TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}
    app = subprocess.Popen([sys.executable, "-m", "qwen_desktop"], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    socket_file = Path(tempfile.gettempdir()) / instance_name(data)
    try:
        deadline = time.monotonic() + 60
        while not socket_file.exists():
            assert time.monotonic() < deadline and app.poll() is None, "the app did not start"
            time.sleep(0.05)
        time.sleep(0.5)
        app.send_signal(number)
        _, stderr = app.communicate(timeout=30)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
    assert app.returncode == 0, stderr[-2000:]
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert not socket_file.exists(), "the single-instance socket is removed"
    marker = database_path(data).with_name(database_path(data).name + ".clean")
    assert marker.exists(), "the database was closed and marked clean"
    log = (data / "logs" / "qwen-desktop.log").read_text()
    assert f"{number.name} received: quitting" in log


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_signal_mid_reply_keeps_the_partial_text(harness: Harness, sim: Simulator, qtbot: Any) -> None:
    window = harness.open()
    signals = QuitSignals()
    signals.received.connect(lambda _number: window.quit())
    try:
        sim.enqueue(Reply(content="word " * 400, chunk_chars=5, delay=0.02))
        harness.send(window, "talk for a while")
        qtbot.waitUntil(lambda: any(len(answer_text(w)) > 30 for w in replies(window)), timeout=10000)
        with qtbot.waitSignal(window.closed, timeout=5000):
            os.kill(os.getpid(), signal.SIGTERM)
    finally:
        signals.uninstall()
    harness.run_async(window.shutdown())
    reply = [m for m in window.store.messages(window.current_id) if m.role is Role.ASSISTANT][-1]
    assert len(reply.content) > 30 and reply.content.startswith("word word")
    assert reply.status is not MessageStatus.STREAMING
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
