"""Assistants in the real window: made from a conversation, started from, kept across a restart, exported
and imported through the library, and the update/detach offer — against the simulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot
from qwen_desktop.core.generation import GenerationParams
from qwen_desktop.ui.assistants.files import documents_folder
from qwen_desktop.ui.assistants.library import AssistantLibraryDialog
from qwen_desktop.ui.main_window import MainWindow

from tests.simulator import Reply, Simulator
from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

STARTERS = 9


def chat_body(sim: Simulator) -> dict[str, Any]:
    return [r.body for r in sim.requests if isinstance(r.body, dict) and "messages" in r.body][-1]


def wait_starters(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: len(window.assistant_actions.assistants.all()) >= STARTERS, timeout=5000)


def names(window: MainWindow) -> list[str]:
    return [a.name for a in window.assistant_actions.assistants.all()]


def save(qtbot: QtBot, library: AssistantLibraryDialog, name: str) -> str:
    qtbot.mouseClick(library.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: library.current() is not None and library.current().id != ""
                    and library.current().name == name and not library.save_button.isEnabled(), timeout=5000)
    return library.current().id


def test_an_assistant_made_from_a_conversation_starts_the_next_one_with_its_settings(
        harness: Harness, sim: Simulator, qtbot: QtBot) -> None:
    window = harness.open()
    wait_starters(qtbot, window)
    assert "Translator" in names(window)
    settings = window.current_settings().with_(
        system_prompt="Answer in one short sentence.", model="qwen-max", temperature=0.4,
        generation=GenerationParams(top_p=0.7, seed=7, stop=("END",)))
    window._apply_settings(settings)

    window.assistant_actions.save_action.trigger()
    library = window.assistant_actions.library
    assert library is not None and library.isVisible()
    assert library.editor.prompt.toPlainText() == "Answer in one short sentence."
    library.editor.name.setText("Terse")
    library.editor.name.textEdited.emit("Terse")
    aid = save(qtbot, library, "Terse")
    stored = window.assistant_actions.assistants.get(aid)
    assert stored is not None and stored.model == "qwen-max" and stored.settings["temperature"] == 0.4

    qtbot.mouseClick(library.start_button, Qt.MouseButton.LeftButton)
    assert not library.isVisible()
    assert window.current_id is None and window.assistant_actions.chip.text() == "Terse"
    sim.enqueue(Reply(content="Fine."))
    harness.send(window, "How are you?")
    harness.wait_idle(window)
    body = chat_body(sim)
    assert body["messages"][0] == {"role": "system", "content": "Answer in one short sentence."}
    assert body["model"] == "qwen-max" and body["temperature"] == 0.4
    assert body["top_p"] == 0.7 and body["seed"] == 7 and body["stop"] == ["END"]
    assert window.store.conversation(window.current_id).settings.assistant_id == aid


def test_the_picker_is_keyboard_first_and_ctrl_n_uses_the_default(
        harness: Harness, sim: Simulator, qtbot: QtBot) -> None:
    window = harness.open()
    wait_starters(qtbot, window)
    qtbot.waitUntil(lambda: window.draft_settings.assistant_id == "starter-general", timeout=5000)
    assert window.assistant_actions.chip.text() == "General assistant", "a new user finds the starters"
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    picker = window.assistant_actions.picker
    assert picker is not None and picker.isVisible()
    qtbot.keyClicks(picker.field, "transl")
    assert len(picker.rows()) == 2 and picker.rows()[0].startswith("Translator")
    qtbot.keyClick(picker.field, Qt.Key.Key_Return)
    translator = window.assistant_actions.assistants.library.find("Translator")
    assert window.draft_settings.assistant_id == translator.id
    assert window.draft_settings.temperature == 0.3
    assert window.draft_settings.system_prompt == translator.system_prompt

    window.assistant_actions.assistants.library.set_default(translator.id).result(timeout=5)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.draft_settings.assistant_id == translator.id
    window.open_palette()
    qtbot.keyClicks(window.palette.field, "with code rev")
    assert window.palette.list.currentItem().text().startswith("New conversation with Code reviewer")
    qtbot.keyClick(window.palette.field, Qt.Key.Key_Return)
    assert window.draft_settings.model == "qwen3-coder-plus"
    assert window.assistant_actions.chip.text() == "Code reviewer"

    window.assistant_actions.open_picker()
    first = window.assistant_actions.picker
    window.assistant_actions.open_picker()  # as a change to the library does while it is open
    qtbot.wait(20)  # the first picker is deleted; the window keeps the second
    assert window.assistant_actions.picker is not None and window.assistant_actions.picker is not first


def test_assistants_survive_a_restart_and_round_trip_through_export_and_import(
        harness: Harness, qtbot: QtBot, tmp_path: Path) -> None:
    window = harness.open()
    wait_starters(qtbot, window)
    library = window.assistant_actions.open_library()
    qtbot.mouseClick(library.new_button, Qt.MouseButton.LeftButton)
    library.editor.name.setText("Haiku poet")
    library.editor.prompt.setPlainText("Reply only in haiku.")
    library.editor.icon.setText("🌸")
    calculator = next(a for a in library.editor.bar.tools.menu().actions() if a.data() == "calculator")
    calculator.trigger()
    library.editor.findChild(QToolButton, "assistantColoure84393").click()
    aid = save(qtbot, library, "Haiku poet")
    qtbot.mouseClick(library.default_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.assistant_actions.assistants.default().id == aid, timeout=5000)
    harness.close(window)

    window = harness.open()
    poet = window.assistant_actions.assistants.default()
    assert poet is not None and poet.name == "Haiku poet" and poet.icon == "🌸" and poet.colour == "#e84393"
    assert window.draft_settings.system_prompt == "Reply only in haiku."
    assert "calculator" in str(poet.settings["context_params"]), "the tool switch is kept"
    assert len(names(window)) == STARTERS + 1

    library = window.assistant_actions.open_library(poet.id)
    qtbot.mouseClick(library.export_button, Qt.MouseButton.LeftButton)
    dialog = library.file_dialog
    assert dialog is not None and Path(dialog.directory().absolutePath()) == documents_folder()
    target = tmp_path / "mine.json"
    dialog.selectFile(str(target))
    dialog.accept()
    qtbot.waitUntil(lambda: "Exported 10 assistants" in library.message.text(), timeout=5000)

    library.search.setText("haiku")
    assert library.list.count() == 1
    qtbot.mouseClick(library.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(library.undo_button.isVisible, timeout=5000)
    assert "Haiku poet" not in names(window) and "Deleted" in library.message.text()
    qtbot.mouseClick(library.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "is back" in library.message.text(), timeout=5000)
    assert window.assistant_actions.assistants.default().name == "Haiku poet"
    library.assistants.library.delete(poet.id).result(timeout=5)

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "qwen-desktop-assistants", "version": 1, "assistants": [{"name": ""}]}')
    library.import_from(broken)
    qtbot.waitUntil(lambda: "cannot be imported" in library.message.text(), timeout=5000)
    assert "Haiku poet" not in names(window)

    qtbot.mouseClick(library.import_button, Qt.MouseButton.LeftButton)
    library.file_dialog.selectFile(str(target))
    library.file_dialog.accept()
    qtbot.waitUntil(lambda: "Imported 1 assistants" in library.message.text(), timeout=5000)
    back = window.assistant_actions.assistants.library.find("Haiku poet")
    assert back.system_prompt == "Reply only in haiku." and back.colour == "#e84393"
    assert len(names(window)) == STARTERS + 1


def test_changing_what_the_assistant_sets_offers_update_or_detach(
        harness: Harness, sim: Simulator, qtbot: QtBot) -> None:
    window = harness.open()
    wait_starters(qtbot, window)
    actions = window.assistant_actions
    translator = actions.assistants.library.find("Translator")
    actions.new_conversation_with(translator.id)
    sim.enqueue(Reply(content="Bonjour."))
    harness.send(window, "Hello")
    harness.wait_idle(window)
    assert not actions.offer.isVisible()

    window._apply_settings(window.bar.settings().with_(model="qwen-max"))
    assert not actions.offer.isVisible(), "the translator does not set the model"
    window._apply_settings(window.bar.settings().with_(temperature=0.9))
    assert actions.offer.isVisible() and "Translator" in actions.offer.label.text()
    qtbot.mouseClick(actions.offer.update_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: actions.assistants.get(translator.id).settings.get("temperature") == 0.9,
                    timeout=5000)
    qtbot.waitUntil(lambda: not actions.offer.isVisible(), timeout=5000)
    assert actions.assistants.get(translator.id).settings.get("model") == "qwen-max"

    window._apply_settings(window.bar.settings().with_(temperature=0.1))
    assert actions.offer.isVisible()
    qtbot.mouseClick(actions.offer.detach_button, Qt.MouseButton.LeftButton)
    assert not actions.offer.isVisible()
    qtbot.waitUntil(lambda: window.store.conversation(window.current_id).settings.assistant_id is None,
                    timeout=5000)
    assert window.store.conversation(window.current_id).settings.temperature == 0.1
    assert actions.chip.text() == "No assistant"
    assert actions.assistants.get(translator.id).settings.get("temperature") == 0.9


def test_a_refused_assistant_is_a_sentence_and_the_form_keeps_its_text(harness: Harness, qtbot: QtBot) -> None:
    window = harness.open()
    wait_starters(qtbot, window)
    library = window.assistant_actions.open_library()
    qtbot.mouseClick(library.new_button, Qt.MouseButton.LeftButton)
    library.editor.name.setText("translator")
    library.editor.prompt.setPlainText("Mine.")
    qtbot.mouseClick(library.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "already an assistant called 'translator'" in library.message.text(), timeout=5000)
    assert library.editor.prompt.toPlainText() == "Mine." and names(window).count("Translator") == 1
    library.editor.name.setText(" ")
    qtbot.mouseClick(library.save_button, Qt.MouseButton.LeftButton)
    assert library.message.text() == "An assistant needs a name."
    assert not window.notice.isVisible(), "the library says it; the window does not repeat it"


def test_closing_the_library_keeps_an_unsaved_edit(harness: Harness, qtbot: QtBot) -> None:
    window = harness.open()
    wait_starters(qtbot, window)
    translator = window.assistant_actions.assistants.library.find("Translator")
    library = window.assistant_actions.open_library(translator.id)
    assert library.current().id == translator.id
    library.editor.prompt.setPlainText("Translate into French.")
    library.close()  # the window's close button; Esc does the same (QDialog.reject)
    assert not library.isVisible()
    qtbot.waitUntil(lambda: window.assistant_actions.assistants.get(translator.id).system_prompt
                    == "Translate into French.", timeout=5000)
    library = window.assistant_actions.open_library(translator.id)
    assert library.editor.prompt.toPlainText() == "Translate into French."
    qtbot.keyClick(library.list, Qt.Key.Key_Return)
    assert not library.isVisible() and window.draft_settings.system_prompt == "Translate into French."


def test_duplicate_makes_a_renamable_copy(harness: Harness, qtbot: QtBot) -> None:
    window = harness.open()
    wait_starters(qtbot, window)
    translator = window.assistant_actions.assistants.library.find("Translator")
    region = window.bar.settings().region_id
    window.services.model_lists.tables.save_list(region, ["qwen-listed-only"], 1.8e9).result(timeout=5)
    library = window.assistant_actions.open_library(translator.id)
    model_box = library.editor.bar.model
    assert "qwen-listed-only" in [model_box.itemText(i) for i in range(model_box.count())], \
        "the editor offers the models the region serves, as the conversation bar does"
    qtbot.mouseClick(library.duplicate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: library.current() is not None and library.current().name == "Translator (2)",
                    timeout=5000)
    assert library.editor.prompt.toPlainText() == translator.system_prompt
    assert library.list.currentItem().text() == "Translator (2)"
    library.editor.name.setText("Translator to French")
    library.editor.name.textEdited.emit("Translator to French")
    copy_id = save(qtbot, library, "Translator to French")
    assert copy_id != translator.id and "Translator" in names(window)
    copy = window.assistant_actions.assistants.get(copy_id)
    assert copy.settings == translator.settings and copy.starter is None and not copy.is_default


def test_assistants_changed_by_a_sync_show_at_once(harness: Harness, qtbot: QtBot) -> None:
    window = harness.open()
    wait_starters(qtbot, window)
    actions = window.assistant_actions
    translator = actions.assistants.library.find("Translator")
    actions.new_conversation_with(translator.id)
    library = actions.open_library(translator.id)
    actions.assistants.library.update(translator.with_(name="Traductor")).result(timeout=5)
    assert actions.chip.text() == "Translator"
    window._after_pull()
    assert actions.chip.text() == "Traductor"
    assert library.editor.name.text() == "Traductor"
    assert any(a.text() == "New conversation with Traductor" for a in actions.palette_actions())
