"""Export and import dialogs open in a useful folder with a suggested name; the window exports all."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from tests.simulator import Reply, Simulator
from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_export_suggests_the_title_in_documents_then_the_last_folder(
    harness: Harness, sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "Documents").mkdir()
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Documents"))
    window = harness.open()
    sim.enqueue(Reply(content="Sure."))
    harness.send(window, "Plan: trip/Kyoto? autumn")
    harness.wait_idle(window)
    actions = window.data_actions
    actions.export_action.trigger()
    dialog = actions.dialog
    assert isinstance(dialog, QFileDialog)
    assert Path(dialog.directory().absolutePath()) == tmp_path / "Documents"
    [chosen] = dialog.selectedFiles()
    assert Path(chosen).name == "Plan trip Kyoto autumn.md"
    dialog.selectNameFilter(dialog.nameFilters()[1])
    dialog.filterSelected.emit(dialog.nameFilters()[1])
    assert Path(dialog.selectedFiles()[0]).name == "Plan trip Kyoto autumn.json"
    target = tmp_path / "exports"
    target.mkdir()
    dialog.selectFile(str(target / "chat.json"))
    dialog.accept()
    harness.qtbot.waitUntil(lambda: (target / "chat.json").exists())

    actions.export_all_action.trigger()
    again = actions.dialog
    assert again is not dialog and Path(again.directory().absolutePath()) == target
    assert Path(again.selectedFiles()[0]).name.startswith("qwen-desktop-")
    assert "all conversations" in again.windowTitle()
    again.reject()
    assert actions.export_all_action in window.menuBar().findChild(object, "fileMenu").actions()
