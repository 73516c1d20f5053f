"""Menus, shortcuts, the palette, zoom, message keys, the focus ring, the tray: on the real window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon
from qwen_desktop.core.config import load_config
from qwen_desktop.core.paths import config_path
from qwen_desktop.core.types import ConversationSettings
from qwen_desktop.ui import main_window
from qwen_desktop.ui.main_window import MainWindow

from tests.simulator import Reply, Simulator
from tests.ui.harness import Harness, replies

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def active(harness: Harness, window: MainWindow) -> None:
    window.activateWindow()
    harness.qtbot.waitUntil(window.isActiveWindow)


def chat(harness: Harness, window: MainWindow, sim: Simulator, *texts: str) -> list[int]:
    ids = []
    for text in texts:
        window.new_conversation()
        sim.enqueue(Reply(content=f"Reply to {text}."))
        harness.send(window, text)
        harness.wait_idle(window)
        ids.append(window.current_id)
    return ids


def test_the_menu_bar_holds_every_action_with_its_shortcut(harness: Harness) -> None:
    window = harness.open()
    menus = {m.objectName(): m for m in window.menuBar().findChildren(QMenu)}
    assert {"fileMenu", "editMenu", "viewMenu", "goMenu", "helpMenu"} <= set(menus)
    in_menus = {a.objectName() for m in menus.values() for a in m.actions() if not a.isSeparator()}
    assert {"newAction", "quitAction", "settingsAction", "paletteAction", "shortcutsAction",
            "zoomInAction", "zoomOutAction", "zoomResetAction", "nextConversationAction",
            "previousMessageAction", "nextMessageAction", "usageAction", "aboutAction"} <= in_menus
    assert window.data_actions.export_action in menus["fileMenu"].actions()
    keys = {entry.label: entry.keys for entry in window.commands()}
    assert keys["Quit"] == "Ctrl+Q"
    assert keys["Command palette"] == "Ctrl+Shift+P"
    assert keys["Keyboard shortcuts"] == "Ctrl+/"
    assert keys["Zoom in"].startswith("Ctrl+=")


def test_ctrl_q_closes_the_window(harness: Harness) -> None:
    window = harness.open()
    active(harness, window)
    with harness.qtbot.waitSignal(window.closed, timeout=3000):
        harness.qtbot.keyClick(window, Qt.Key.Key_Q, CTRL)
    assert not window.isVisible()


def test_shortcut_sheet_lists_the_menu_shortcuts_and_list_keys(harness: Harness) -> None:
    window = harness.open()
    active(harness, window)
    harness.qtbot.keyClick(window, Qt.Key.Key_Slash, CTRL)
    sheet = window.shortcut_sheet
    assert sheet is not None and sheet.isVisible()
    rows = sheet.rows()
    assert ("Edit", "Command palette", "Ctrl+Shift+P") in rows
    assert ("Go", "Next recent conversation", "Ctrl+Tab") in rows
    assert any(keys == "F2" for _group, _what, keys in rows)
    sheet.reject()


def test_palette_runs_actions_and_jumps_to_conversations(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    first, _second = chat(harness, window, sim, "apples and pears", "the weather in Oslo")
    active(harness, window)
    harness.qtbot.keyClick(window, Qt.Key.Key_P, CTRL | SHIFT)
    palette = window.palette
    assert palette is not None and palette.isVisible()
    harness.qtbot.keyClicks(palette.field, "apples")
    assert palette.list.count() == 1
    harness.qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert window.current_id == first
    assert window.sidebar.current_conversation() == first

    harness.qtbot.keyClick(window, Qt.Key.Key_P, CTRL | SHIFT)
    palette = window.palette
    harness.qtbot.keyClicks(palette.field, "new conv")
    assert palette.list.currentItem().text().startswith("New conversation")
    harness.qtbot.keyClick(palette.field, Qt.Key.Key_Return)
    assert window.current_id is None


def test_palette_offers_the_recent_conversations_only(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(main_window, "PALETTE_CONVERSATIONS", 30)
    window = harness.open()
    titles = [f"Old topic {i}" for i in range(10)] + [f"Recent topic {i}" for i in range(30)]
    ids = [window.store.create_conversation(ConversationSettings(), title).result() for title in titles]
    active(harness, window)
    harness.qtbot.keyClick(window, Qt.Key.Key_P, CTRL | SHIFT)
    palette = window.palette

    harness.qtbot.keyClicks(palette.field, "recent topic 29")
    assert palette.list.count() == 1
    assert set(dict(palette.conversations())) == set(ids[10:])
    palette.field.clear()
    harness.qtbot.keyClicks(palette.field, "old topic")
    assert palette.list.count() == 0, "older conversations are found by the sidebar's search"
    palette.reject()


def test_ctrl_tab_goes_back_to_the_previous_conversation(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    first, second = chat(harness, window, sim, "one", "two")
    window.open_conversation(first)
    window.open_conversation(second)
    active(harness, window)
    window.composer.edit.setFocus()
    harness.qtbot.keyClick(window.composer.edit, Qt.Key.Key_Tab, CTRL)
    assert window.current_id == first
    harness.qtbot.keyClick(window.composer.edit, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert window.current_id == second


def test_alt_arrows_move_between_messages_with_a_visible_ring(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    sim.enqueue(Reply(content="First answer."))
    harness.send(window, "first question")
    harness.wait_idle(window)
    sim.enqueue(Reply(content="Second answer."))
    harness.send(window, "second question")
    harness.wait_idle(window)
    active(harness, window)
    shown = window.view.message_widgets()
    assert len(shown) == 4
    harness.qtbot.keyClick(window.composer.edit, Qt.Key.Key_Up, ALT)
    assert window.view.focused_message() is shown[-1]
    harness.qtbot.keyClick(window, Qt.Key.Key_Up, ALT)
    assert window.view.focused_message() is shown[-2]
    harness.qtbot.keyClick(window, Qt.Key.Key_Down, ALT)
    assert window.view.focused_message() is shown[-1]
    ring = window.focus_ring
    harness.qtbot.waitUntil(ring.isVisible)
    target = shown[-1].text_view
    assert ring.geometry().contains(target.mapTo(window, target.rect().center()))
    harness.qtbot.mouseClick(window.composer.edit, Qt.MouseButton.LeftButton)
    harness.qtbot.waitUntil(lambda: not ring.isVisible())


def test_zoom_keys_change_the_text_size_and_it_is_remembered(harness: Harness, data_dir) -> None:
    window = harness.open()
    active(harness, window)
    before = QApplication.font().pointSize()
    harness.qtbot.keyClick(window, Qt.Key.Key_Equal, CTRL)
    harness.qtbot.keyClick(window, Qt.Key.Key_Equal, CTRL)
    assert QApplication.font().pointSize() == before + 2
    assert load_config(config_path(data_dir)).font_size == before + 2
    harness.qtbot.keyClick(window, Qt.Key.Key_Minus, CTRL)
    assert QApplication.font().pointSize() == before + 1
    harness.close(window)
    assert QApplication.font().pointSize() == before

    again = harness.open()
    assert QApplication.font().pointSize() == before + 1
    active(harness, again)
    harness.qtbot.keyClick(again, Qt.Key.Key_0, CTRL)
    assert QApplication.font().pointSize() == before
    assert load_config(config_path(data_dir)).font_size is None


TRAY_ON_OFFSCREEN = "systemTrayWindowChanged"
"""The offscreen platform has no tray: told it has one, showing the icon warns once."""


@pytest.mark.qt_log_ignore(TRAY_ON_OFFSCREEN, "This plugin does not support")
def test_keep_in_tray_hides_on_close_and_quit_really_quits(harness: Harness, monkeypatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    services = harness.services()
    services.config.keep_in_tray = True
    window = harness.open(services=services)
    closed = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    assert not window.isVisible() and not closed, "closing hides the window to the tray"
    window.tray.showRequested.emit()
    assert window.isVisible()
    window.quit_action.trigger()
    assert closed and not window.isVisible()


@pytest.mark.qt_log_ignore(TRAY_ON_OFFSCREEN, "This plugin does not support")
def test_reply_in_the_background_notifies_and_the_click_opens_it(harness: Harness, sim: Simulator,
                                                                 monkeypatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", lambda _self: True)
    window = harness.open()
    sim.enqueue(Reply(content="slow " * 40, chunk_chars=5, delay=0.01))
    harness.send(window, "take your time")
    cid = window.current_id
    with harness.qtbot.waitSignal(window.tray.notified, timeout=10000) as signal:
        window.hide()
    harness.wait_idle(window)
    assert signal.args[0] == cid and signal.args[3] == "notification"
    assert signal.args[2] == "The reply is ready."
    window.new_conversation()
    window.tray.icon.messageClicked.emit()
    assert window.isVisible() and window.current_id == cid


def test_a_failed_reply_while_unfocused_alerts_the_taskbar_without_a_tray(harness: Harness,
                                                                          sim: Simulator) -> None:
    window = harness.open()
    sim.enqueue(Reply(status=500, content="boom"))
    window.hide()
    with harness.qtbot.waitSignal(window.tray.notified, timeout=10000) as signal:
        window.send("will fail")
    assert signal.args[3] == "alert", "no tray on this platform: the taskbar entry asks for attention"
    assert signal.args[2] == "The reply failed."


def test_focused_window_gets_no_notification(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    active(harness, window)
    seen = []
    window.tray.notified.connect(lambda *args: seen.append(args))
    sim.enqueue(Reply(content="Quick."))
    harness.send(window, "hello")
    harness.wait_idle(window)
    assert replies(window) and not seen
