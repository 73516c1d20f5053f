"""The real main window against the simulator over loopback: what a user does, end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QListView, QPushButton
from qwen_desktop.core.types import MessageStatus, Role
from qwen_desktop.ui.main_window import MainWindow

from tests.simulator import Reply, Simulator
from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    if index < 0:
        index = combo.findText(str(data))
    assert index >= 0, f"{data!r} not in {combo.objectName()}"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def assistant_widgets(window: MainWindow) -> list[Any]:
    return [w for w in window.view.message_widgets() if hasattr(w, "thinking")]


def answer_text(widget: Any) -> str:
    return widget.text_view.toPlainText()


def reasoning_text(widget: Any) -> str:
    return widget.thinking.body.toPlainText() if widget.thinking is not None else ""


def test_widgets_are_named_for_outside_harnesses(harness: Harness) -> None:
    window = harness.open()
    for name in ("conversationList", "newConversationButton", "searchField", "messageView",
                 "composer", "sendButton", "stopButton", "regionSelector", "protocolSelector",
                 "modelSelector", "thinkingSelector", "thinkingBudget", "contextPolicySelector"):
        widget = window.findChild(object, name)
        assert widget is not None, name
        assert widget.accessibleName() == name


def test_send_streams_reasoning_then_answer(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    choose(window.bar.findChild(QComboBox, "thinkingSelector"), "on")
    sim.enqueue(Reply(reasoning="step one then step two then step three", chunk_chars=3,
                      delay=0.03, content="The result is 7."))
    harness.send(window, "What is 3 + 4?")
    harness.qtbot.waitUntil(lambda: any(reasoning_text(w) for w in assistant_widgets(window)))
    reply = assistant_widgets(window)[-1]
    assert answer_text(reply) == "", "reasoning arrives before the answer"
    assert window.composer.stop_button.isVisible()
    assert window.composer.text() == "", "the composer clears once the message is stored"
    harness.wait_idle(window)
    assert answer_text(reply).strip() == "The result is 7."
    assert reasoning_text(reply) == "step one then step two then step three"
    assert not reply.thinking.expanded, "thinking collapses when the answer starts"
    assert window.composer.send_button.isVisible()
    body = sim.requests[-1].body
    assert body["enable_thinking"] is True
    cid = window.current_id
    assert cid is not None
    assert window.store.conversation(cid).title.startswith("What is 3 + 4?")
    assert "What is 3 + 4?" in window.windowTitle()


def test_stop_mid_stream_keeps_the_partial_reply(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    sim.enqueue(Reply(content="tick " * 400, chunk_chars=5, delay=0.02))
    harness.send(window, "count slowly")
    harness.qtbot.waitUntil(
        lambda: any(len(answer_text(w)) > 20 for w in assistant_widgets(window)))
    harness.qtbot.mouseClick(window.composer.stop_button, Qt.MouseButton.LeftButton)
    harness.wait_idle(window)
    harness.qtbot.waitUntil(lambda: sim.open_streams == 0, timeout=2000)
    messages = window.store.messages(window.current_id)
    reply = messages[-1]
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.content and ("tick " * 400).startswith(reply.content)
    shown = answer_text(assistant_widgets(window)[-1])
    assert shown.strip() and reply.content.strip().startswith(shown.strip()[:20])


def test_escape_stops_the_reply(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    sim.enqueue(Reply(content="tock " * 400, chunk_chars=5, delay=0.02))
    harness.send(window, "go")
    harness.qtbot.waitUntil(lambda: any(answer_text(w) for w in assistant_widgets(window)))
    harness.qtbot.keyClick(window.composer.edit, Qt.Key.Key_Escape)
    harness.wait_idle(window)
    assert window.store.messages(window.current_id)[-1].status is MessageStatus.INTERRUPTED


def test_switching_region_sends_to_that_region_with_its_key(harness: Harness, sim: Simulator
                                                            ) -> None:
    window = harness.open()
    harness.send(window, "hello from singapore")
    harness.wait_idle(window)
    choose(window.bar.findChild(QComboBox, "regionSelector"), "cn")
    choose(window.bar.findChild(QComboBox, "protocolSelector"), "dashscope")
    harness.send(window, "hello from beijing")
    harness.wait_idle(window)
    first, second = sim.requests[-2:]
    assert (first.region, first.protocol, first.api_key) == ("intl", "openai", sim.regions["intl"])
    assert (second.region, second.protocol, second.api_key) == (
        "cn", "dashscope", sim.regions["cn"])
    assert [m["content"] for m in second.body["input"]["messages"]][-1] == "hello from beijing"


def test_regenerate_replaces_the_reply(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    sim.enqueue(Reply(content="first draft"), Reply(content="second draft"))
    harness.send(window, "write a haiku")
    harness.wait_idle(window)
    reply_id = window.store.messages(window.current_id)[-1].id
    window.view.regenerateRequested.emit(reply_id)
    harness.wait_idle(window)
    messages = window.store.messages(window.current_id)
    assert [m.content for m in messages] == ["write a haiku", "second draft"]
    assert [answer_text(w).strip() for w in assistant_widgets(window)] == ["second draft"]


def test_edit_and_resend(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    harness.send(window, "what is the capitol of France")
    harness.wait_idle(window)
    user_id = window.store.messages(window.current_id)[0].id
    window.view.editRequested.emit(user_id)
    assert window.composer.text() == "what is the capitol of France"
    window.composer.set_text("what is the capital of France")
    harness.qtbot.mouseClick(window.composer.send_button, Qt.MouseButton.LeftButton)
    harness.wait_idle(window)
    messages = window.store.messages(window.current_id)
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT]
    assert messages[0].content == "what is the capital of France"
    assert sim.requests[-1].body["messages"][-1]["content"] == "what is the capital of France"


def test_delete_and_undo(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    harness.send(window, "keep me around")
    harness.wait_idle(window)
    cid = window.current_id
    window.sidebar.deleteRequested.emit(cid)
    assert window.store.conversation_ids() == []
    assert window.current_id is None
    assert window.undo_bar.isVisible()
    window.undo_bar.undo()
    assert window.store.conversation_ids() == [cid]
    assert window.current_id == cid
    assert window.store.messages(cid)[0].content == "keep me around"


def test_search_finds_a_word_from_a_reply(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    sim.enqueue(Reply(content="Photosynthesis turns sunlight into sugar."))
    harness.send(window, "explain plants")
    harness.wait_idle(window)
    cid = window.current_id
    window.new_conversation()
    search = window.findChild(QLineEdit, "searchField")
    search.setText("sunlight")
    lst = window.findChild(QListView, "conversationList")
    harness.qtbot.waitUntil(lambda: window.sidebar.is_searching() and lst.model().rowCount() >= 1)
    rect = lst.visualRect(lst.model().index(0, 0))
    harness.qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_id == cid
    assert assistant_widgets(window)[-1].contains("sunlight")


def test_new_conversation_shortcut_and_no_key_state(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    harness.send(window, "first")
    harness.wait_idle(window)
    harness.qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.current_id is None
    window.services.keys.delete("intl")
    window.apply_preferences()
    assert not window.composer.send_button.isEnabled()
    assert "No API key" in window.composer.reason.text()
    window.services.keys.set("intl", sim.regions["intl"])
    window.apply_preferences()
    assert window.composer.send_button.isEnabled()


def test_first_run_shows_the_welcome_panel(harness: Harness) -> None:
    window = harness.open(with_keys=False)
    assert window.stack.currentWidget() is window.welcome
    assert not window.composer.isVisible()


def test_restart_restores_everything(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    sim.enqueue(Reply(reasoning="thinking hard", content="Answer one."))
    choose(window.bar.findChild(QComboBox, "thinkingSelector"), "on")
    harness.send(window, "question one")
    harness.wait_idle(window)
    choose(window.bar.findChild(QComboBox, "regionSelector"), "cn")
    cid = window.current_id
    harness.qtbot.waitUntil(
        lambda: window.store.conversation(cid).settings.region_id == "cn")
    window.resize(720, 540)
    harness.close(window)

    again = harness.open()
    assert again.current_id == cid
    assert again.store.conversation(cid).settings.region_id == "cn"
    assert again.bar.findChild(QComboBox, "regionSelector").currentData() == "cn"
    replies = assistant_widgets(again)
    assert answer_text(replies[-1]).strip() == "Answer one."
    assert reasoning_text(replies[-1]) == "thinking hard"
    assert (again.size().width(), again.size().height()) == (720, 540)
    lst = again.findChild(QListView, "conversationList")
    assert lst.model().rowCount() == 1


def test_send_button_is_the_default_action(harness: Harness) -> None:
    window = harness.open()
    button = window.findChild(QPushButton, "sendButton")
    assert button.isVisible() and button.isEnabled()


def test_shortcuts_focus_search_and_open_settings(harness: Harness) -> None:
    window = harness.open()
    window.activateWindow()
    harness.qtbot.waitUntil(window.isActiveWindow)
    harness.qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.findChild(QLineEdit, "searchField").hasFocus()
    harness.qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(object, "settingsDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_no_key_anywhere_after_a_full_run(harness: Harness, sim: Simulator, data_dir: Path,
                                          caplog: Any) -> None:
    import logging

    from PySide6.QtWidgets import QPushButton as Button
    from qwen_desktop.core.logs import setup_logging

    log_file = setup_logging(data_dir, logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    try:
        window = harness.open(with_keys=False)
        window.open_settings()
        dialog = window.findChild(object, "settingsDialog")
        for region in ("intl", "cn"):
            field = dialog.findChild(QLineEdit, f"keyField_{region}")
            field.setText(sim.regions[region])
            dialog.findChild(Button, f"saveKey_{region}").click()
            assert field.text() == "" and field.echoMode() is QLineEdit.EchoMode.Password
        dialog.accept()
        window.new_conversation()
        harness.send(window, "over the compatible protocol")
        harness.wait_idle(window)
        choose(window.bar.findChild(QComboBox, "regionSelector"), "cn")
        choose(window.bar.findChild(QComboBox, "protocolSelector"), "dashscope")
        sim.enqueue(Reply(reasoning="hmm", content="native answer"))
        harness.send(window, "over the native protocol")
        harness.wait_idle(window)
        sim.enqueue(Reply(status=401))
        harness.send(window, "this one fails")
        harness.wait_idle(window)
        assert window.store.messages(window.current_id)[-1].error["kind"] == "invalid_key"
        harness.close(window)
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "baseFilename", None) == str(log_file):
                root.removeHandler(handler)
                handler.close()
    assert log_file.stat().st_size > 0
    keys = [key.encode() for key in sim.regions.values()]
    for path in data_dir.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            assert not any(key in blob for key in keys), f"a key leaked into {path}"
    captured = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(key.decode() in captured for key in keys)


def test_starts_and_explains_when_there_is_no_keyring(harness: Harness) -> None:
    import keyring
    import keyring.backends.fail

    keyring.set_keyring(keyring.backends.fail.Keyring())
    window = harness.open(with_keys=False)
    assert window.stack.currentWidget() is window.welcome
    assert window.notice.isVisible()
    assert "keyring" in window.notice.text()


@pytest.mark.parametrize(("model", "shown"), [
    ("qwen-plus", "thinking on, budget 2,048"),
    ("qwen-max", "thinking off"),
    ("qwq-plus", "thinking on"),
])
def test_the_status_line_says_what_the_model_will_do(harness: Harness, model: str, shown: str) -> None:
    from qwen_desktop.core.types import ThinkingMode

    window = harness.open()
    window._apply_settings(window.current_settings().with_(
        model=model, thinking=ThinkingMode.BUDGET, thinking_budget=2048))
    status = window.composer.status.text()
    assert status.startswith(f"{model} · Singapore · ")
    assert status.split(" · ")[2] == shown
    window._apply_settings(window.current_settings().with_(region_id="cn"))
    assert window.composer.status.text().split(" · ")[1] == "China (Beijing)"


def test_the_welcome_panel_offers_a_custom_region(harness: Harness, sim: Simulator) -> None:
    window = harness.open(with_keys=False)
    assert window.stack.currentWidget() is window.welcome
    harness.qtbot.mouseClick(window.welcome.custom_region, Qt.MouseButton.LeftButton)
    dialog = window.findChild(object, "settingsDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.tabs.currentWidget() is dialog.keys_page and dialog.keys_page.form.isVisible()
    form = dialog.keys_page.form
    form.id_field.setText("gateway")
    form.url_field.setText(sim.base_url("intl"))
    form.submit_button.click()
    assert window.welcome.region_id() == "gateway"
    dialog.reject()
