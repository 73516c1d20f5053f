"""The window's version switchers, forks, single-message delete, Continue and the trash."""

from __future__ import annotations

import time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from qwen_desktop.core.types import Role
from qwen_desktop.ui.main_window import MainWindow
from qwen_desktop.ui.sidebar.search import HitRoles

from tests.simulator import Reply, Simulator
from tests.ui.harness import Harness, answer_text, replies

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def users(window: MainWindow) -> list[Any]:
    return [w for w in window.view.message_widgets() if hasattr(w, "editRequested")]


def click(harness: Harness, button: Any) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    harness.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_regenerate_twice_then_switch_with_the_reply_switcher(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    sim.enqueue(Reply(content="draft one"), Reply(content="draft two"), Reply(content="draft three"),
                Reply(content="after two"))
    harness.send(window, "write a haiku")
    harness.wait_idle(window, timeout=30000)
    assert not replies(window)[0].switcher.isVisible(), "one version: no switcher"
    for _ in range(2):
        window.view.regenerateRequested.emit(window.store.messages(window.current_id)[-1].id)
        harness.wait_idle(window, timeout=30000)
    reply = replies(window)[-1]
    assert answer_text(reply).strip() == "draft three"
    assert reply.switcher.isVisible() and reply.switcher.label.text() == "3 / 3"
    assert not reply.switcher.next_button.isEnabled()

    click(harness, reply.switcher.previous_button)
    reply = replies(window)[-1]
    assert answer_text(reply).strip() == "draft two"
    assert reply.switcher.label.text() == "2 / 3"
    assert reply.switcher.next_button.isEnabled() and reply.switcher.previous_button.isEnabled()

    harness.send(window, "now another")
    harness.wait_idle(window, timeout=30000)
    sent = [m["content"] for m in sim.requests[-1].body["messages"]]
    assert sent == ["write a haiku", "draft two", "now another"]
    assert [answer_text(w).strip() for w in replies(window)] == ["draft two", "after two"]


def test_edit_branch_switcher_on_the_question_shows_each_continuation(
    harness: Harness, sim: Simulator
) -> None:
    window = harness.open()
    harness.send(window, "first question")
    harness.wait_idle(window, timeout=30000)
    harness.send(window, "follow up")
    harness.wait_idle(window, timeout=30000)
    window.view.editRequested.emit(window.store.messages(window.current_id)[0].id)
    window.composer.set_text("better question")
    harness.qtbot.mouseClick(window.composer.send_button, Qt.MouseButton.LeftButton)
    harness.wait_idle(window, timeout=30000)
    question = users(window)[0]
    assert question.switcher.isVisible() and question.switcher.label.text() == "2 / 2"
    assert len(users(window)) == 1

    click(harness, question.switcher.previous_button)
    assert [w.source for w in users(window)] == ["first question", "follow up"]
    assert [answer_text(w).strip() for w in replies(window)] == [
        "You said: first question", "You said: follow up"]
    assert users(window)[0].switcher.label.text() == "1 / 2"


def test_fork_opens_a_new_conversation_with_the_path(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    for text in ("one", "two"):
        harness.send(window, text)
        harness.wait_idle(window, timeout=30000)
    original = window.current_id
    first_reply = replies(window)[0]
    first_reply.fork_action.trigger()
    assert window.current_id != original
    assert [m.content for m in window.store.messages(window.current_id)] == ["one", "You said: one"]
    assert window.current_id in window.store.conversation_ids()
    assert len(window.store.messages(original)) == 4


def test_delete_a_question_with_its_answer_then_undo(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    for text in ("keep", "remove me"):
        harness.send(window, text)
        harness.wait_idle(window, timeout=30000)
    users(window)[1].delete_action.trigger()
    assert [w.source for w in users(window)] == ["keep"]
    assert len(replies(window)) == 1
    assert window.undo_bar.isVisible()
    window.undo_bar.undo()
    assert [w.source for w in users(window)] == ["keep", "remove me"]
    assert len(window.store.messages(window.current_id)) == 4


def test_continue_button_after_the_output_limit(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    sim.enqueue(Reply(content="The first half,", finish_reason="length"), Reply(content=" then the rest."))
    harness.send(window, "tell me everything")
    harness.wait_idle(window, timeout=30000)
    reply = replies(window)[0]
    assert reply.continue_button.isVisible()
    assert reply.actions.badge.isVisible()
    click(harness, reply.continue_button)
    harness.wait_idle(window, timeout=30000)
    reply = replies(window)[0]
    assert answer_text(reply).strip() == "The first half, then the rest."
    assert not reply.continue_button.isVisible()
    assert sim.requests[-1].body["messages"][-1]["partial"] is True
    assert len(window.store.messages(window.current_id)) == 2


def test_trash_restore_delete_forever_and_empty(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    ids = []
    for text in ("alpha", "beta", "gamma"):
        window.new_conversation()
        harness.send(window, text)
        harness.wait_idle(window, timeout=30000)
        ids.append(window.current_id)
    for cid in ids:
        window.sidebar.deleteRequested.emit(cid)
    sidebar = window.sidebar
    click(harness, sidebar.trash_button)
    trash = sidebar.trash
    assert trash.isVisible() and not sidebar.list_view.isVisible()
    assert sorted(trash.ids()) == sorted(ids)
    assert "alpha" in trash.list.item(trash.ids().index(ids[0])).text()

    trash.list.setCurrentRow(trash.ids().index(ids[0]))
    click(harness, trash.restore_button)
    assert ids[0] not in trash.ids() and ids[0] in window.store.conversation_ids()

    trash.list.setCurrentRow(trash.ids().index(ids[1]))
    click(harness, trash.purge_button)
    harness.qtbot.waitUntil(lambda: ids[1] not in trash.ids())
    assert window.store.conversation(ids[1]) is None

    click(harness, trash.empty_button)
    box = window.findChild(QMessageBox, "emptyTrashConfirm")
    assert box is not None and box.isVisible()
    destructive = next(b for b in box.buttons()
                       if box.buttonRole(b) is QMessageBox.ButtonRole.DestructiveRole)
    click(harness, destructive)
    harness.qtbot.waitUntil(lambda: trash.ids() == [])
    assert trash.empty_label.isVisible()
    assert window.store.conversation(ids[2]) is None

    trash.days.setValue(7)
    assert window.services.config.trash_days == 7
    click(harness, trash.back_button)
    assert sidebar.list_view.isVisible() and not trash.isVisible()


def test_trash_lists_what_was_deleted_before_a_restart(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    harness.send(window, "survives a restart")
    harness.wait_idle(window, timeout=30000)
    cid = window.current_id
    window.sidebar.deleteRequested.emit(cid)
    window.undo_bar.expire()
    harness.close(window)
    again = harness.open()
    again.sidebar.show_trash()
    assert again.sidebar.trash.ids() == [cid]
    click(harness, again.sidebar.trash.restore_button)
    again.sidebar.show_conversations()
    again.open_conversation(cid)
    assert [w.source for w in users(again)] == ["survives a restart"]
    assert again.store.messages(cid)[1].role is Role.ASSISTANT
    assert time.time() > 0


def test_a_search_hit_in_an_older_version_shows_that_version(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    sim.enqueue(Reply(content="the aardvark answer"), Reply(content="the newer answer"))
    harness.send(window, "tell me something")
    harness.wait_idle(window, timeout=30000)
    window.view.regenerateRequested.emit(window.store.messages(window.current_id)[-1].id)
    harness.wait_idle(window, timeout=30000)
    assert answer_text(replies(window)[0]).strip() == "the newer answer"
    window.sidebar.search_field.setText("aardvark")
    harness.qtbot.waitUntil(lambda: window.sidebar.search_model.rowCount() > 0)
    model = window.sidebar.search_model
    hit = next(i for i in range(model.rowCount()) if model.index(i, 0).data(HitRoles.MessageId) is not None)
    window.sidebar.list_view.setCurrentIndex(model.index(hit, 0))
    window.sidebar.list_view.rowActivated.emit(model.index(hit, 0))
    reply = replies(window)[0]
    assert answer_text(reply).strip() == "the aardvark answer"
    assert reply.switcher.label.text() == "1 / 2"


def test_markdown_export_with_every_version_from_the_data_menu(
    harness: Harness, sim: Simulator, tmp_path: Any
) -> None:
    window = harness.open()
    sim.enqueue(Reply(content="first idea"), Reply(content="second idea"))
    harness.send(window, "ideas please")
    harness.wait_idle(window, timeout=30000)
    window.view.regenerateRequested.emit(window.store.messages(window.current_id)[-1].id)
    harness.wait_idle(window, timeout=30000)
    actions = window.data_actions
    actions.export_action.trigger()
    dialog = actions.dialog
    every = dialog.nameFilters()[2]
    dialog.selectNameFilter(every)
    dialog.filterSelected.emit(every)
    target = tmp_path / "ideas.md"
    dialog.selectFile(str(target))
    dialog.accept()
    harness.qtbot.waitUntil(target.exists)
    text = target.read_text()
    assert "second idea" in text and "first idea" in text and "Other version 1 of 1" in text
