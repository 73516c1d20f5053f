"""Ctrl+Shift+P: type to find any menu action or conversation, Enter runs or opens it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ..common.list_keys import arrow_step
from .menus import MenuEntry

MAX_ROWS = 200


@dataclass(frozen=True)
class Choice:
    label: str
    detail: str
    action: QAction | None = None
    conversation_id: int | None = None


def matches(query: str, text: str) -> bool:
    """Every word of the query appears in the text, in any order and case."""
    folded = text.casefold()
    return all(word in folded for word in query.casefold().split())


class CommandPalette(QDialog):
    """``conversationChosen`` carries the id to open; actions are triggered directly."""

    conversationChosen = Signal(int)

    def __init__(self, commands: Sequence[MenuEntry], conversations: Callable[[], list[tuple[int, str]]],
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("commandPalette")
        self.setWindowTitle(self.tr("Command palette"))
        self.setModal(True)
        self._commands = list(commands)
        self._conversations = conversations
        self._loaded: list[tuple[int, str]] | None = None
        self.field = QLineEdit(self)
        self.field.setObjectName("paletteField")
        self.field.setAccessibleName("paletteField")
        self.field.setPlaceholderText(self.tr("Type an action or a conversation's title"))
        self.field.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("paletteList")
        self.list.setAccessibleName("paletteList")
        self.list.setUniformItemSizes(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.list)
        self.resize(560, 320)
        self.field.textChanged.connect(self._filter)
        self.field.returnPressed.connect(self._choose_current)
        self.list.itemActivated.connect(self._choose)
        self.field.installEventFilter(self)
        self._filter("")

    def conversations(self) -> list[tuple[int, str]]:
        if self._loaded is None:
            self._loaded = self._conversations()
        return self._loaded

    def choices(self, query: str) -> list[Choice]:
        found = [Choice(entry.label, entry.keys or entry.menu, action=entry.action)
                 for entry in self._commands
                 if entry.action.isEnabled() and matches(query, f"{entry.menu} {entry.label}")]
        if query.strip():
            untitled = self.tr("New conversation")
            found += [Choice(title or untitled, self.tr("Conversation"), conversation_id=cid)
                      for cid, title in self.conversations() if matches(query, title)]
        return found[:MAX_ROWS]

    def _filter(self, query: str) -> None:
        self.list.clear()
        for choice in self.choices(query):
            item = QListWidgetItem(f"{choice.label}    —    {choice.detail}" if choice.detail else choice.label)
            item.setData(Qt.ItemDataRole.UserRole, choice)
            self.list.addItem(item)
        if self.list.count():
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
        choice = item.data(Qt.ItemDataRole.UserRole)
        self.accept()
        if isinstance(choice, Choice) and choice.action is not None:
            choice.action.trigger()
        elif isinstance(choice, Choice) and choice.conversation_id is not None:
            self.conversationChosen.emit(choice.conversation_id)
