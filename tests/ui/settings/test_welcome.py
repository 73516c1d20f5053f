from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot
from qwen_desktop.core.regions import CN_KEY_PAGE, INTL_KEY_PAGE
from qwen_desktop.core.secrets import SERVICE
from qwen_desktop.core.services import Services
from qwen_desktop.ui.settings.key_test import Tone
from qwen_desktop.ui.settings.welcome import WelcomePanel

from tests.keyring_backends import MemoryKeyring
from tests.simulator import Simulator
from tests.ui.settings.test_dialog import WRONG_KEY, services, sim  # noqa: F401 - fixtures


def make_panel(services: Services, qtbot: QtBot, opened: list[QUrl] | None = None) -> WelcomePanel:
    panel = WelcomePanel(services, open_url=(opened if opened is not None else []).append)
    qtbot.addWidget(panel)
    return panel


def test_a_working_key_is_saved_and_completes(
    services: Services, sim: Simulator, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    panel = make_panel(services, qtbot)
    assert panel.region_id() == "intl"
    qtbot.keyClicks(panel.key, sim.regions["intl"])
    with qtbot.waitSignal(panel.completed, timeout=10_000) as done:
        qtbot.mouseClick(panel.test_button, Qt.MouseButton.LeftButton)
        assert panel.status.tone is Tone.BUSY
    assert done.args == ["intl"]
    assert memory_keyring.passwords[(SERVICE, "intl")] == sim.regions["intl"]
    assert panel.status.tone is Tone.SUCCESS
    assert panel.key.text() == ""


def test_a_key_for_the_other_region_is_offered_there(
    services: Services, sim: Simulator, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    panel = make_panel(services, qtbot)
    panel.key.setText(sim.regions["cn"])
    panel.test_and_save()
    qtbot.waitUntil(lambda: panel.status.tone is not Tone.BUSY, timeout=10_000)
    assert panel.status.message.startswith("This key belongs to China (Beijing), not Singapore")
    assert not panel.save_detected.isHidden()
    assert panel.save_detected.text() == "Save it for China (Beijing)"
    assert memory_keyring.passwords == {}
    with qtbot.waitSignal(panel.completed) as done:
        qtbot.mouseClick(panel.save_detected, Qt.MouseButton.LeftButton)
    assert done.args == ["cn"]
    assert memory_keyring.passwords == {(SERVICE, "cn"): sim.regions["cn"]}
    assert panel.region_id() == "cn"


def test_a_rejected_key_is_not_saved(
    services: Services, memory_keyring: MemoryKeyring, qtbot: QtBot
) -> None:
    panel = make_panel(services, qtbot)
    panel.key.setText(WRONG_KEY)
    with qtbot.assertNotEmitted(panel.completed, wait=0):
        panel.test_and_save()
        qtbot.waitUntil(lambda: panel.status.tone is not Tone.BUSY, timeout=10_000)
    assert panel.status.tone is Tone.FAILURE
    assert panel.status.message == "The key was rejected by Singapore."
    assert WRONG_KEY not in panel.status.message
    assert panel.save_detected.isHidden()
    assert memory_keyring.passwords == {}


def test_an_empty_key_asks_for_one(services: Services, sim: Simulator, qtbot: QtBot) -> None:
    panel = make_panel(services, qtbot)
    qtbot.mouseClick(panel.test_button, Qt.MouseButton.LeftButton)
    assert panel.status.tone is Tone.FAILURE
    assert sim.requests == []


def test_the_key_page_opens_only_on_click_and_follows_the_region(services: Services, qtbot: QtBot) -> None:
    opened: list[QUrl] = []
    panel = make_panel(services, qtbot, opened)
    assert INTL_KEY_PAGE in panel.key_link.text()
    assert opened == []
    panel.key_link.linkActivated.emit(INTL_KEY_PAGE)
    assert opened == [QUrl(INTL_KEY_PAGE)]
    qtbot.mouseClick(panel.region.segments["cn"], Qt.MouseButton.LeftButton)
    assert panel.region_id() == "cn"
    assert CN_KEY_PAGE in panel.key_link.text()
    assert panel.key.echoMode() is panel.key.EchoMode.Password


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_test_can_be_cancelled(services: Services, sim: Simulator, memory_keyring: MemoryKeyring,
                                 qtbot: QtBot) -> None:
    from tests.simulator import Reply

    sim.enqueue(Reply(content="slow", delay=5))
    panel = make_panel(services, qtbot)
    panel.show()
    panel.key.setText(sim.regions["intl"])
    panel.test_and_save()
    assert panel.cancel_button.isVisible() and not panel.test_button.isEnabled()
    task = panel.runner.task
    with qtbot.assertNotEmitted(panel.completed, wait=0):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(task.done, timeout=5000)
    assert task.cancelled()
    assert panel.test_button.isEnabled() and not panel.cancel_button.isVisible()
    assert "cancelled" in panel.status.message
    assert memory_keyring.passwords == {}


def test_an_unreachable_built_in_region_blames_the_connection_not_the_address(
    tmp_path, memory_keyring: MemoryKeyring, qtbot: QtBot, qloop
) -> None:
    import socket

    from qwen_desktop.core.client import ChatClient
    from qwen_desktop.core.secrets import KeyStore
    from qwen_desktop.core.services import build_services

    from tests.ui.settings.test_dialog import close_services

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    services = build_services(tmp_path / "data", region_overrides={"intl": f"http://127.0.0.1:{port}"},
                              env={}, keys=KeyStore(env={}), client=ChatClient(max_attempts=1))
    try:
        panel = make_panel(services, qtbot)
        panel.key.setText("sk-" + "a" * 32)
        panel.test_and_save()
        qtbot.waitUntil(lambda: panel.status.tone is not Tone.BUSY, timeout=15_000)
        assert panel.status.tone is Tone.FAILURE
        assert panel.status.message.startswith("Singapore could not be reached: check the internet connection")
        assert "address" not in panel.status.message
    finally:
        close_services(services, qtbot)
