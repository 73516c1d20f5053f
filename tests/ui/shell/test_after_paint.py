"""What the window loads after its first paint: the certificate check at once (its sentence
still reaches the window), the rest only once nobody types and no reply streams."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import truststore
from qwen_desktop import startup
from qwen_desktop.app import _check_certificates, when_idle

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def restore_ssl(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The system store as it was: put back in place when an earlier test had put it there."""
    was_trusting = startup._trusting
    monkeypatch.setattr(startup, "_trusting", False)
    yield
    truststore.extract_from_ssl()
    if was_trusting:
        truststore.inject_into_ssl()


def test_a_broken_cert_file_found_after_the_paint_is_said_in_the_window(
    harness: Any, qtbot: Any, qloop: Any, restore_ssl: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = harness.open()
    broken = tmp_path / "corporate.pem"
    broken.write_bytes(b"not a certificate")
    monkeypatch.setenv("SSL_CERT_FILE", str(broken))
    _check_certificates(window, qloop)  # as the after-paint thread runs it
    qtbot.waitUntil(lambda: window.notice.isVisible() and str(broken) in window.notice.text(), timeout=5000)
    assert "SSL_CERT_FILE" not in os.environ


def test_idle_loading_waits_for_typing_to_stop_and_for_replies_to_end(
    harness: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = harness.open()
    streaming = [False]
    monkeypatch.setattr(window, "replies_streaming", lambda: streaming[0])
    ran: list[int] = []
    when_idle(window, lambda: ran.append(1), idle_ms=600)
    for _ in range(10):  # one key every 100 ms for a second
        qtbot.keyClicks(window.composer.edit, "a")
        qtbot.wait(100)
    assert not ran
    streaming[0] = True
    qtbot.wait(1500)
    assert not ran
    streaming[0] = False
    qtbot.waitUntil(lambda: bool(ran), timeout=5000)
    qtbot.keyClicks(window.composer.edit, "b")
    qtbot.wait(1000)
    assert ran == [1]


def test_the_window_opens_with_the_composer_ready_for_typing(harness: Any, qtbot: Any) -> None:
    from qwen_desktop.ui.main_window import MainWindow

    from qwen_desktop.core.types import ConversationSettings, Role

    services = harness.services()
    for region, key in harness.sim.regions.items():
        services.keys.set(region, key)
    cid = services.store.create_conversation(ConversationSettings(), "Earlier").result()
    services.store.add_message(cid, Role.USER, "an earlier question").result()
    window = MainWindow(services)  # opens the last conversation
    harness.opened.append((window, services))
    # before it is shown: where the keys will go once the window is active
    assert window.focusWidget() is window.composer.edit
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClicks(window.focusWidget(), "hello there")
    assert window.composer.edit.toPlainText() == "hello there"
