"""Network faults in the real window: the sentence shown, what is kept, and the action offered."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from qwen_desktop.core.client import ChatClient, preload_transports
from qwen_desktop.core.config import AppConfig, save_config
from qwen_desktop.core.paths import config_path
from qwen_desktop.core.services import build_services
from qwen_desktop.core.storage import Message
from qwen_desktop.core.types import MessageStatus
from qwen_desktop.ui.main_window import MainWindow
from tests.simulator import Reply, Simulator

from .harness import Harness, answer_text, replies

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PROTOCOLS = ["openai", "dashscope"]
SCRIPT = "first words arrive, then the line goes quiet " * 8


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture(autouse=True, scope="module")
def _sdks_imported() -> None:
    preload_transports()


def use(window: MainWindow, region: str, protocol: str) -> None:
    for name, value in (("regionSelector", region), ("protocolSelector", protocol)):
        combo = window.bar.findChild(QComboBox, name)
        index = combo.findData(value)
        assert index >= 0, (name, value)
        combo.setCurrentIndex(index)
        combo.activated.emit(index)


def with_custom_region(harness: Harness, base_url: str, **client: Any) -> MainWindow:
    services = harness.services(**client)
    services.regions.add_custom("edge", "Edge gateway", base_url)
    services.save_config()
    window = harness.open(services=services)
    services.keys.set("edge", harness.sim.regions["intl"])
    window.apply_preferences()
    return window


def fail_once(harness: Harness, window: MainWindow, prompt: str = "a question") -> tuple[Message, Any]:
    harness.send(window, prompt)
    harness.wait_idle(window, timeout=20000)
    messages = window.store.messages(window.current_id)
    assert messages[0].content == prompt, "the question is stored"
    reply = messages[-1]
    panel = replies(window)[-1].error_panel
    assert panel is not None and panel.isVisibleTo(window)
    return reply, panel


def shown(panel: Any) -> str:
    return panel.sentence.text()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_drop_mid_stream_keeps_the_partial_reply(harness: Harness, sim: Simulator,
                                                  protocol: str) -> None:
    window = harness.open()
    use(window, "intl", protocol)
    sim.enqueue(Reply(content=SCRIPT, chunk_chars=6, drop_after=6))
    reply, panel = fail_once(harness, window)
    assert reply.error["kind"] == "dropped"
    assert shown(panel) == "The connection dropped before the reply finished."
    assert reply.status is MessageStatus.INTERRUPTED and len(reply.content) >= 6
    assert SCRIPT.startswith(reply.content)
    assert answer_text(replies(window)[-1]).strip() == reply.content.strip()
    assert panel.continue_button.isVisibleTo(window) and panel.retry_button.isEnabled()
    assert panel.retry_button.text() == "Retry now"
    assert not panel.check_address_button.isVisibleTo(window)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_connection_refused_offers_to_check_the_address(harness: Harness, protocol: str) -> None:
    window = with_custom_region(harness, f"http://127.0.0.1:{free_port()}")
    use(window, "edge", protocol)
    reply, panel = fail_once(harness, window)
    assert reply.error["kind"] == "network"
    assert shown(panel) == "The connection was refused: check the region's address and port."
    assert reply.status is MessageStatus.ERROR and reply.content == ""
    assert panel.check_address_button.isVisibleTo(window) and panel.retry_button.isEnabled()
    harness.qtbot.mouseClick(panel.check_address_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(object, "settingsDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.tabs.currentWidget() is dialog.keys_page
    dialog.reject()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_dns_failure_names_the_host_problem(harness: Harness, protocol: str) -> None:
    started = time.monotonic()
    socket_error = None
    try:
        socket.getaddrinfo("qwen-gateway.invalid", 80)
    except OSError as error:
        socket_error = error
    assert socket_error is not None and time.monotonic() - started < 2, "'.invalid' fails fast here"
    window = with_custom_region(harness, "http://qwen-gateway.invalid:8080")
    use(window, "edge", protocol)
    reply, panel = fail_once(harness, window)
    assert reply.error["kind"] == "network"
    assert shown(panel) == "The region's host name could not be found: check its address."
    assert panel.check_address_button.isVisibleTo(window)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_tls_error_says_the_secure_connection_failed(harness: Harness, sim: Simulator,
                                                      protocol: str) -> None:
    window = with_custom_region(harness, f"https://127.0.0.1:{sim.port}/r/intl")
    use(window, "edge", protocol)
    reply, panel = fail_once(harness, window)
    assert reply.error["kind"] == "network"
    assert shown(panel).startswith("The secure connection failed")
    assert panel.check_address_button.isVisibleTo(window)
    assert sim.requests == [], "nothing reached the plain-HTTP port as a request"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_read_timeout_after_some_text_keeps_it(harness: Harness, sim: Simulator,
                                               protocol: str) -> None:
    window = harness.open(read_timeout=1.0)
    use(window, "intl", protocol)
    sim.enqueue(Reply(content="a few words then silence", chunk_chars=6, delay=6.0))
    reply, panel = fail_once(harness, window)
    assert reply.updated_at - reply.created_at < 4.5, "the configured read timeout is used"
    assert reply.error["kind"] == "timeout"
    assert shown(panel) == "The service stopped answering (timed out)."
    assert reply.status is MessageStatus.INTERRUPTED and reply.content == "a few "
    assert panel.continue_button.isVisibleTo(window) and panel.retry_button.isEnabled()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_read_timeout_with_no_bytes_at_all(harness: Harness, silent_server: int,
                                           protocol: str) -> None:
    window = with_custom_region(harness, f"http://127.0.0.1:{silent_server}", read_timeout=1.0)
    use(window, "edge", protocol)
    reply, panel = fail_once(harness, window)
    assert reply.updated_at - reply.created_at < 4.5
    assert reply.error["kind"] == "timeout"
    assert shown(panel) == "The service stopped answering (timed out)."
    assert reply.status is MessageStatus.ERROR and panel.retry_button.isEnabled()


def test_read_timeout_comes_from_the_settings_file(data_dir: Path, sim: Simulator) -> None:
    save_config(config_path(data_dir), AppConfig(read_timeout_s=7.5))
    services = build_services(data_dir, env={})
    try:
        assert isinstance(services.client, ChatClient)
        assert services.client.read_timeout == 7.5
    finally:
        services.store.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_429_with_retry_after_counts_down_then_enables_retry(harness: Harness, sim: Simulator,
                                                             protocol: str) -> None:
    window = harness.open()
    use(window, "intl", protocol)
    sim.enqueue(Reply(status=429, retry_after=12), Reply(status=429, retry_after=2),
                Reply(content="served after the wait"))
    reply, panel = fail_once(harness, window)
    assert reply.error["kind"] == "rate_limited" and reply.error["retry_after"] == 12
    assert shown(panel) == "Too many requests right now: the service asked to slow down."
    assert panel.retry_button.text() == "Retry in 12 s" and not panel.retry_button.isEnabled()
    panel._tick()
    assert panel.retry_button.text() == "Retry in 11 s"

    panel.start_countdown(0)
    harness.qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    harness.wait_idle(window)
    panel = replies(window)[-1].error_panel
    assert panel.retry_button.text() == "Retry in 2 s" and not panel.retry_button.isEnabled()
    harness.qtbot.waitUntil(lambda: panel.retry_button.isEnabled(), timeout=4000)
    assert panel.retry_button.text() == "Retry now"
    harness.qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    harness.wait_idle(window)
    assert window.store.messages(window.current_id)[-1].content == "served after the wait"


def test_429_without_retry_after_offers_retry_now(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    sim.enqueue(Reply(status=429))
    reply, panel = fail_once(harness, window)
    assert reply.error["kind"] == "rate_limited" and reply.error["retry_after"] is None
    assert panel.retry_button.text() == "Retry now" and panel.retry_button.isEnabled()
    assert not panel.check_address_button.isVisibleTo(window)


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_offer_retry(harness: Harness, sim: Simulator, status: int) -> None:
    window = harness.open()
    sim.enqueue(Reply(status=status))
    reply, panel = fail_once(harness, window)
    assert reply.error["kind"] == "server" and reply.error["status"] == status
    assert shown(panel) == "The service had an internal error."
    assert panel.retry_button.isEnabled() and not panel.check_address_button.isVisibleTo(window)
    assert reply.status is MessageStatus.ERROR


def test_wrong_path_404_offers_to_check_the_address(harness: Harness, sim: Simulator) -> None:
    window = with_custom_region(harness, f"http://127.0.0.1:{sim.port}/not-model-studio")
    use(window, "edge", "openai")
    reply, panel = fail_once(harness, window)
    assert reply.error["kind"] == "endpoint_not_found"
    assert shown(panel) == "The region's address did not answer like Model Studio: check its base URL."
    assert panel.check_address_button.isVisibleTo(window)


def test_another_regions_key_offers_the_key_settings(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    window.services.keys.set("intl", sim.regions["cn"])
    reply, panel = fail_once(harness, window)
    assert reply.error["kind"] == "invalid_key"
    assert panel.check_address_button.isVisibleTo(window)
    assert panel.check_address_button.text() == "Open key settings"
    harness.qtbot.mouseClick(panel.check_address_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(object, "settingsDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.tabs.currentWidget() is dialog.keys_page
    dialog.reject()
