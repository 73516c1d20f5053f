"""Ctrl+Shift+N: type to filter the assistants, Enter starts a new conversation with the one chosen."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...core.assistants import Assistant
from ..common.list_keys import arrow_step
from .look import assistant_icon, matches

MANAGE = "\0manage"
"""The row that opens the library instead of a conversation."""


class AssistantPicker(QDialog):
    """``chosen`` carries the assistant's id; ``manageRequested`` asks for the library."""

    chosen = Signal(str)
    manageRequested = Signal()

    def __init__(self, assistants: Sequence[Assistant], default_model: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("assistantPicker")
        self.setWindowTitle(self.tr("New conversation with…"))
        self._assistants = list(assistants)
        self._default_model = default_model
        self.field = QLineEdit(self)
        self.field.setObjectName("assistantPickerField")
        self.field.setAccessibleName("assistantPickerField")
        self.field.setPlaceholderText(self.tr("Type to find an assistant, Enter to start"))
        self.field.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("assistantPickerList")
        self.list.setAccessibleName("assistantPickerList")
        self.list.setUniformItemSizes(True)
        self.empty = QLabel(self.tr("No assistant matches."), self)
        self.empty.setObjectName("assistantPickerEmpty")
        self.empty.setEnabled(False)
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        self.resize(520, 360)
        self.field.textChanged.connect(self._filter)
        self.field.returnPressed.connect(self._choose_current)
        self.list.itemActivated.connect(self._choose)
        self.field.installEventFilter(self)
        self._filter("")

    def rows(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _filter(self, query: str) -> None:
        self.list.clear()
        for assistant in self._assistants:
            if not matches(query, f"{assistant.name} {assistant.system_prompt}"):
                continue
            model = assistant.model or self.tr("%1 (default model)").replace("%1", self._default_model)
            label = f"{assistant.name}    —    {model}"
            if assistant.is_default:
                label += "  · " + self.tr("default")
            item = QListWidgetItem(assistant_icon(assistant), label)
            item.setData(Qt.ItemDataRole.UserRole, assistant.id)
            item.setToolTip(assistant.system_prompt[:400])
            self.list.addItem(item)
        self.empty.setVisible(self.list.count() == 0)
        manage = QListWidgetItem(self.tr("Manage assistants…"))
        manage.setData(Qt.ItemDataRole.UserRole, MANAGE)
        self.list.addItem(manage)
        self.list.setCurrentRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.field and arrow_step(self.list, event):
            return True
        return super().eventFilter(watched, event)

    def _choose_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._choose(item)

    def _choose(self, item: QListWidgetItem) -> None:
        aid = item.data(Qt.ItemDataRole.UserRole)
        self.accept()
        if aid == MANAGE:
            self.manageRequested.emit()
        elif isinstance(aid, str):
            self.chosen.emit(aid)
