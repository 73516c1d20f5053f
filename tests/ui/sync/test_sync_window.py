"""Sync in the real window (offscreen): set up from Settings › Sync, the status line, another data
folder's changes reaching the sidebar and the open conversation, a wrong passphrase, leaving."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from qwen_desktop.core.paths import config_path
from qwen_desktop.core.sync.settings import KEYRING_SERVICE, PASSPHRASE_NAME
from qwen_desktop.core.types import Role
from qwen_desktop.ui.main_window import MainWindow
from tests.core.sync_devices import PASSPHRASE, Clock, Device, quick_location
from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    return quick_location(tmp_path / "shared")


@pytest.fixture
def other(tmp_path: Path, shared: Path) -> Iterator[Device]:
    """Another computer's data folder syncing through the same folder."""
    device = Device(tmp_path / "elsewhere", "0ther", shared, Clock(start=1_000_000.0))
    yield device
    device.close()


def titles(window: MainWindow) -> list[str]:
    model = window.sidebar.model
    return [model.index(row, 0).data(Qt.ItemDataRole.DisplayRole) for row in range(model.rowCount())]


def set_up_folder(harness: Harness, window: MainWindow, folder: Path, passphrase: str = PASSPHRASE) -> Any:
    window.open_sync_settings()
    page = window._dialog.sync_page  # type: ignore[union-attr]
    assert window._dialog.tabs.currentWidget() is page  # type: ignore[union-attr]
    page.folder_choice.setChecked(True)
    page.folder.setText(str(folder))
    page.passphrase.setText(passphrase)
    page.repeat.setText(passphrase)
    harness.qtbot.mouseClick(page.set_up_button, Qt.MouseButton.LeftButton)
    return page


def wait_synced(harness: Harness, window: MainWindow) -> None:
    harness.qtbot.waitUntil(lambda: window.sync.state.last_synced_at is not None and not window.sync.state.running,
                            timeout=15000)


def test_set_up_from_settings_then_the_status_line_shows_the_last_sync(harness: Harness, shared: Path,
                                                                       data_dir: Path) -> None:
    window = harness.open()
    window.store.create_conversation(window.current_settings(), "Kept on this computer").result()
    assert not window.sync_status.isVisible()
    page = set_up_folder(harness, window, shared)
    wait_synced(harness, window)
    assert page.message.text() == ""
    assert page.stack.currentIndex() == 1 and str(shared) in page.where.text()
    assert window.sync_status.isVisible() and window.sync_status.text().startswith("Synced at ")
    assert (shared / "qwen-sync.json").exists() and list((shared / "changes").iterdir())
    saved = config_path(data_dir).read_text(encoding="utf-8")
    assert json.loads(saved)["sync"]["kind"] == "folder" and PASSPHRASE not in saved
    assert keyring.get_password(KEYRING_SERVICE, PASSPHRASE_NAME) == PASSPHRASE
    assert page.passphrase.text() == "" and page.repeat.text() == ""


def test_another_computers_changes_reach_the_sidebar_and_the_open_conversation(
        harness: Harness, shared: Path, other: Device) -> None:
    window = harness.open()
    set_up_folder(harness, window, shared)
    wait_synced(harness, window)
    other.new("Planned on the laptop", "Which train to Suzhou?", "The G7001 at 08:00.")
    other.sync()
    window.sync.sync_now()
    harness.qtbot.waitUntil(lambda: "Planned on the laptop" in titles(window), timeout=15000)
    cid = next(c.id for c in window.store.run_read(lambda conn: [window.store.conversation(r[0]) for r in
                                                                  conn.execute("SELECT id FROM conversations")])
               if c.title == "Planned on the laptop")
    window.open_conversation(cid)
    assert len(window.view.message_widgets()) == 2
    other.syncer.sync_once()
    other.store.add_message(other.cid("Planned on the laptop"), Role.USER, "And back on Sunday?").result()
    other.sync()
    window.sync.sync_now()
    harness.qtbot.waitUntil(lambda: len(window.view.message_widgets()) == 3, timeout=15000)
    other.store.delete_conversation(other.cid("Planned on the laptop")).result()
    other.sync()
    window.sync.sync_now()
    harness.qtbot.waitUntil(lambda: "Planned on the laptop" not in titles(window), timeout=15000)
    assert window.current_id != cid and window.view.message_widgets() == []
    assert window.store.conversation(cid).deleted_at is not None


def test_a_wrong_passphrase_shows_its_sentence_and_sets_nothing_up(harness: Harness, shared: Path,
                                                                   other: Device, data_dir: Path) -> None:
    other.new("Theirs", "secret words")
    other.sync()
    window = harness.open()
    page = set_up_folder(harness, window, shared, passphrase="a different passphrase")
    harness.qtbot.waitUntil(lambda: page.message.text().startswith("The sync passphrase is not"), timeout=15000)
    assert page.message.text() == "The sync passphrase is not the one this sync location was set up with."
    assert page.stack.currentIndex() == 0 and not window.sync_status.isVisible()
    assert not window.sync.state.configured
    saved = config_path(data_dir)
    assert not saved.exists() or "sync" not in json.loads(saved.read_text(encoding="utf-8"))
    assert keyring.get_password(KEYRING_SERVICE, PASSPHRASE_NAME) is None
    assert "Theirs" not in titles(window)


def test_leaving_sync_keeps_every_conversation(harness: Harness, shared: Path, other: Device,
                                               data_dir: Path) -> None:
    other.new("From the laptop", "hello")
    other.sync()
    window = harness.open()
    window.store.create_conversation(window.current_settings(), "Made here").result()
    page = set_up_folder(harness, window, shared)
    wait_synced(harness, window)
    harness.qtbot.waitUntil(lambda: "From the laptop" in titles(window), timeout=15000)
    harness.qtbot.mouseClick(page.leave_button, Qt.MouseButton.LeftButton)
    box = page._box
    assert isinstance(box, QMessageBox) and box.isVisible()
    harness.qtbot.mouseClick(box.findChild(type(page.leave_button), "leaveSyncConfirm"), Qt.MouseButton.LeftButton)
    harness.qtbot.waitUntil(lambda: not window.sync.state.configured, timeout=15000)
    assert page.stack.currentIndex() == 0 and not window.sync_status.isVisible()
    assert {"From the laptop", "Made here"} <= set(titles(window))
    assert json.loads(config_path(data_dir).read_text(encoding="utf-8"))["sync"]["kind"] is None
    assert keyring.get_password(KEYRING_SERVICE, PASSPHRASE_NAME) is None
    assert (shared / "qwen-sync.json").exists(), "the synced copy stays for the other computers"


def test_a_window_pulls_at_start_and_pushes_local_changes_once_they_settle(harness: Harness, shared: Path,
                                                                           other: Device) -> None:
    first = harness.open()
    set_up_folder(harness, first, shared)
    wait_synced(harness, first)
    harness.close(first)
    other.new("Written while this window was closed", "hi")
    other.sync()
    window = harness.open()
    harness.qtbot.waitUntil(lambda: "Written while this window was closed" in titles(window), timeout=15000)
    window.sync._timer.setInterval(50)  # the few seconds a batch of changes settles, shortened
    harness.qtbot.waitUntil(lambda: window.sync.state.last_synced_at is not None and not window.sync.state.running, timeout=15000)
    before = window.sync._last_round
    window.store.create_conversation(window.current_settings(), "Made in the window").result()
    harness.qtbot.waitUntil(lambda: window.sync._last_round > before and not window.sync.state.running
                            and window.sync.state.pending == 0, timeout=15000)
    other.sync()
    assert "Made in the window" in [c.title for c in other.every_conversation()]
    harness.qtbot.mouseClick(window.sync_status, Qt.MouseButton.LeftButton)
    assert window._dialog is not None and window._dialog.tabs.currentWidget() is window._dialog.sync_page


def test_an_unreachable_location_is_retried_after_a_pause_not_on_every_change(harness: Harness, shared: Path) -> None:
    window = harness.open()
    set_up_folder(harness, window, shared)
    wait_synced(harness, window)
    window.sync._timer.setInterval(20)
    window.sync.retry_after_failure_s = 3600
    shared.rename(shared.with_name("gone"))
    window.sync.sync_now()
    harness.qtbot.waitUntil(lambda: window.sync.state.error is not None and not window.sync.state.running, timeout=15000)
    assert window.sync_status.text().startswith("Sync failed: The sync folder ")
    failed_at = window.sync._last_round
    window.sync.start()  # the window's delayed first start, after sync was set up meanwhile: nothing more
    window.store.create_conversation(window.current_settings(), "Written offline").result()
    harness.qtbot.waitUntil(lambda: window.sync.state.pending > 0, timeout=15000)
    harness.qtbot.wait(300)
    assert window.sync._last_round == failed_at, "no round while the location is known to be out of reach"
    shared.with_name("gone").rename(shared)
    window.sync.retry_after_failure_s = 0
    harness.qtbot.waitUntil(lambda: window.sync.state.error is None and window.sync.state.pending == 0
                            and not window.sync.state.running, timeout=15000)
    assert window.sync_status.text().startswith("Synced at ")


def test_set_up_a_webdav_server_from_settings(harness: Harness, tmp_path: Path, data_dir: Path) -> None:
    from qwen_desktop.core.sync.settings import WEBDAV_PASSWORD_NAME
    from tests.webdav_server import PASSWORD, USER, WebDavServer

    quick_location(tmp_path / "dav" / "qwen")
    with WebDavServer(tmp_path / "dav") as server:
        window = harness.open()
        window.store.create_conversation(window.current_settings(), "Sent to the server").result()
        window.open_sync_settings()
        page = window._dialog.sync_page  # type: ignore[union-attr]
        page.webdav_choice.setChecked(True)
        assert page.url.isVisibleTo(page) and not page.folder.isVisibleTo(page)
        page.url.setText(f"http://{USER}:{PASSWORD}@127.0.0.1:9/dav/")
        page.username.setText(USER)
        page.password.setText("wrong-password-1")
        page.passphrase.setText(PASSPHRASE)
        page.repeat.setText(PASSPHRASE)
        harness.qtbot.mouseClick(page.set_up_button, Qt.MouseButton.LeftButton)
        harness.qtbot.waitUntil(lambda: "must not contain a user name or password" in page.message.text(),
                                timeout=15000)
        assert PASSWORD not in page.message.text()
        page.url.setText(server.url + "qwen")
        harness.qtbot.mouseClick(page.set_up_button, Qt.MouseButton.LeftButton)
        harness.qtbot.waitUntil(lambda: page.message.text().startswith("The WebDAV server did not accept"), timeout=15000)
        page.password.setText(PASSWORD)
        harness.qtbot.mouseClick(page.set_up_button, Qt.MouseButton.LeftButton)
        wait_synced(harness, window)
        assert window.sync.state.error is None and window.sync.state.pending == 0
        saved = config_path(data_dir).read_text(encoding="utf-8")
        assert json.loads(saved)["sync"]["url"] == server.url + "qwen/" and PASSWORD not in saved
        assert keyring.get_password(KEYRING_SERVICE, WEBDAV_PASSWORD_NAME) == PASSWORD
        assert (tmp_path / "dav" / "qwen" / "qwen-sync.json").exists()
        import truststore

        context = window.sync._syncer.location._client._transport._pool._ssl_context  # type: ignore[union-attr]
        assert isinstance(context, truststore.SSLContext), "servers are checked against the system's store"
        harness.run_async(window.sync.shutdown())


def test_settings_changed_on_another_computer_reach_the_running_window(harness: Harness, shared: Path,
                                                                       other: Device) -> None:
    from qwen_desktop.core.config import load_config, save_config

    window = harness.open()
    set_up_folder(harness, window, shared)
    wait_synced(harness, window)
    elsewhere = config_path(other.data_dir)
    changed = load_config(elsewhere)
    changed.trash_days = 7
    changed.send_with = "ctrl_enter"
    save_config(elsewhere, changed)
    other.sync()
    before = window.sync._last_round
    window.sync.sync_now()
    harness.qtbot.waitUntil(lambda: window.sync._last_round > before and not window.sync.state.running, timeout=15000)
    assert window.services.config.trash_days == 7 and window.services.config.send_with == "ctrl_enter"
    window.services.save_config()  # what the Settings dialog does: the synced values stay
    before = window.sync._last_round
    window.sync.sync_now()
    harness.qtbot.waitUntil(lambda: window.sync._last_round > before and not window.sync.state.running, timeout=15000)
    other.sync()
    assert load_config(elsewhere).trash_days == 7
    assert load_config(config_path(window.services.data_dir)).trash_days == 7


def test_pause_stops_rounds_until_resumed(harness: Harness, shared: Path, data_dir: Path) -> None:
    window = harness.open()
    page = set_up_folder(harness, window, shared)
    wait_synced(harness, window)
    window.sync._timer.setInterval(20)
    harness.qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    assert window.sync.state.paused and page.pause_button.text() == "Resume"
    assert not page.sync_now_button.isEnabled()
    assert window.sync_status.text().startswith("Sync paused")
    assert json.loads(config_path(data_dir).read_text(encoding="utf-8"))["sync"]["paused"] is True
    paused_at = window.sync._last_round
    window.store.create_conversation(window.current_settings(), "While paused").result()
    harness.qtbot.waitUntil(lambda: window.sync.state.pending > 0, timeout=15000)
    assert window.sync_status.text().startswith("Sync paused · ") and "changes waiting" in window.sync_status.text()
    harness.qtbot.wait(200)
    assert window.sync._last_round == paused_at
    harness.qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    harness.qtbot.waitUntil(lambda: window.sync._last_round > paused_at and not window.sync.state.running
                            and window.sync.state.pending == 0, timeout=15000)
    assert page.pause_button.text() == "Pause" and window.sync_status.text().startswith("Synced at ")


def test_closing_the_window_does_not_wait_for_a_server_that_stopped_answering(harness: Harness, tmp_path: Path
                                                                              ) -> None:
    import time

    from tests.webdav_server import PASSWORD, USER, WebDavServer

    quick_location(tmp_path / "dav" / "qwen")
    with WebDavServer(tmp_path / "dav") as server:
        window = harness.open()
        window.open_sync_settings()
        page = window._dialog.sync_page  # type: ignore[union-attr]
        page.webdav_choice.setChecked(True)
        page.url.setText(server.url + "qwen/")
        page.username.setText(USER)
        page.password.setText(PASSWORD)
        page.passphrase.setText(PASSPHRASE)
        page.repeat.setText(PASSPHRASE)
        harness.qtbot.mouseClick(page.set_up_button, Qt.MouseButton.LeftButton)
        wait_synced(harness, window)
        server.faults.fail(503, delay=2.5)
        window.store.create_conversation(window.current_settings(), "Sent while the server hangs").result()
        window.sync.sync_now()
        harness.qtbot.waitUntil(lambda: window.sync.state.running and not server.faults.queue, timeout=15000)
        started = time.monotonic()
        harness.run_async(window.sync.shutdown(wait_s=0.5), timeout=10)
        assert time.monotonic() - started < 2.0
        assert window.sync._round is not None and window.sync._round.done()
        assert window.store.conversation(window.store.last_conversation_id()) is not None


def test_a_damaged_file_in_the_location_is_named_in_the_status_line(harness: Harness, shared: Path,
                                                                    other: Device) -> None:
    other.new("Good one", "fine")
    other.sync()
    other.new("Damaged one", "lost in transit")
    other.sync()
    damaged = sorted((shared / "changes").iterdir())[-1]
    damaged.write_bytes(damaged.read_bytes()[:-7])
    window = harness.open()
    set_up_folder(harness, window, shared)
    wait_synced(harness, window)
    harness.qtbot.waitUntil(lambda: "Good one" in titles(window), timeout=15000)
    assert "Damaged one" not in titles(window)
    assert window.sync_status.text().endswith("1 files could not be read")
    assert damaged.name in window.sync_status.toolTip() and "tried again" in window.sync_status.toolTip()
