"""The prompt library in the real window: made in the manager, kept across a restart, inserted with
``/`` and filled in with Tab, sent to the simulator; export and import through the manager."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from qwen_desktop.ui.main_window import MainWindow
from qwen_desktop.ui.prompts.manager import PromptManager

from tests.simulator import Simulator
from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def manager_of(window: MainWindow, qtbot: Any) -> PromptManager:
    entry = next(e for e in window.commands() if e.action is window.prompts_action)
    assert (entry.menu, entry.label) == ("Edit", "Prompt library"), "in the menu bar, so in the palette too"
    entry.action.trigger()
    manager = window._prompt_manager
    assert manager is not None
    qtbot.waitUntil(lambda: len(manager.prompts()) >= 9, timeout=5000)
    return manager


def test_a_saved_prompt_survives_a_restart_and_slash_tab_fill_it_in(
        harness: Harness, qtbot: Any, sim: Simulator) -> None:
    window = harness.open()
    manager = manager_of(window, qtbot)
    assert {"Translate", "Summarise", "Explain code"} <= {p.name for p in manager.prompts()}
    qtbot.mouseClick(manager.new_button, Qt.MouseButton.LeftButton)
    manager.name.setText("Bug report")
    manager.text.setPlainText("Steps to break {{app}}: {{steps}}. Expected {{result}}.")
    assert manager.variables.text() == "Variables: app, steps, result"
    qtbot.mouseClick(manager.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: manager.message.text() == "Saved.", timeout=5000)
    manager.new_prompt()
    manager.name.setText("bug REPORT")
    manager.text.setPlainText("again")
    qtbot.mouseClick(manager.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "already a prompt called" in manager.message.text(), timeout=5000)
    harness.close(window)

    window = harness.open()
    qtbot.waitExposed(window)
    edit = window.composer.edit
    window.composer_action.trigger()
    qtbot.keyClicks(edit, "/bug rep")
    menu = edit.prompt_menu()
    assert menu is not None and menu.names() == ["Bug report"], "kept across the restart"
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.textCursor().selectedText() == "{{app}}"
    qtbot.keyClicks(edit, "the sidebar")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(edit, "drag a pinned row")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.textCursor().selectedText() == "{{result}}"
    qtbot.keyClicks(edit, "it moves")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    harness.wait_idle(window)
    sent = sim.requests[-1].body["messages"][-1]["content"]
    assert sent == "Steps to break the sidebar: drag a pinned row. Expected it moves."
    assert window.composer.text() == "" and edit.walk is None


def test_export_then_import_round_trips_and_a_bad_file_is_told(
        harness: Harness, qtbot: Any, tmp_path: Path) -> None:
    window = harness.open()
    manager = manager_of(window, qtbot)
    names = [p.name for p in manager.prompts()]
    exported = tmp_path / "mine.json"
    manager.export_path(str(exported))
    assert manager.message.text() == f"Exported {len(names)} prompts to mine.json."
    first = manager.prompts()[0]
    manager.list.setCurrentRow(0)
    qtbot.mouseClick(manager.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(manager.prompts()) == len(names) - 1, timeout=5000)
    manager.import_path(str(exported))
    qtbot.waitUntil(lambda: manager.message.text().startswith("Imported"), timeout=5000)
    assert manager.message.text() == f"Imported 1 new and replaced {len(names) - 1} prompts."
    assert sorted(p.name for p in manager.prompts()) == sorted(names) and first.name in names
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"format": "qwen-desktop-prompts", "version": 1, "prompts": {}}))
    manager.import_path(str(broken))
    assert manager.message.text() == "broken.json holds no list of prompts."
    assert len(manager.prompts()) == len(names)


def test_enter_in_the_name_field_saves_the_prompt(harness: Harness, qtbot: Any) -> None:
    window = harness.open()
    manager = manager_of(window, qtbot)
    manager.new_prompt()
    manager.text.setPlainText("Shorten {{text}} to {{words}} words.")
    manager.name.setFocus()
    qtbot.keyClicks(manager.name, "Shorten")
    qtbot.keyClick(manager.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: manager.message.text() == "Saved.", timeout=5000)
    assert "Shorten" in [p.name for p in manager.prompts()] and manager.name.text() == "Shorten"
