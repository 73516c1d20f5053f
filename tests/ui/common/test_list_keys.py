"""Up and Down in a filter field move through the list below it, wrapping at either end."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLineEdit, QListWidget
from pytestqt.qtbot import QtBot

from qwen_desktop.ui.common.list_keys import arrow_step


class Filter(QObject):
    def __init__(self, items: QListWidget) -> None:
        super().__init__()
        self.items = items

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        return arrow_step(self.items, event)


def test_arrows_in_the_field_move_the_list_and_other_keys_type(qtbot: QtBot) -> None:
    field, items = QLineEdit(), QListWidget()
    qtbot.addWidget(field)
    qtbot.addWidget(items)
    items.addItems(["one", "two", "three"])
    items.setCurrentRow(0)
    keys = Filter(items)
    field.installEventFilter(keys)
    qtbot.keyClick(field, Qt.Key.Key_Down)
    assert items.currentRow() == 1
    qtbot.keyClick(field, Qt.Key.Key_Up)
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert items.currentRow() == 2, "Up from the first row wraps to the last"
    qtbot.keyClicks(field, "tw")
    assert field.text() == "tw" and items.currentRow() == 2
    items.clear()
    qtbot.keyClick(field, Qt.Key.Key_Down)
    assert items.currentRow() == -1
