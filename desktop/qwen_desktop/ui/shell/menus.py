"""The menu bar is the one list of the window's actions: the shortcut sheet and the palette read it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget


@dataclass(frozen=True)
class MenuEntry:
    menu: str
    action: QAction

    @property
    def label(self) -> str:
        return plain_label(self.action.text())

    @property
    def keys(self) -> str:
        return shortcut_text(self.action.shortcuts())


def plain_label(text: str) -> str:
    """A menu text without its mnemonic marks (``&``) or trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("…")


def shortcut_text(keys: Sequence[QKeySequence]) -> str:
    """Backtab sequences are how Qt receives Shift+Tab: bound for that reason, never shown."""
    shown = [key.toString(QKeySequence.SequenceFormat.NativeText) for key in keys if not key.isEmpty()]
    return ", ".join(text for text in shown if "Backtab" not in text)


def build_menu_bar(bar: QMenuBar, sections: Sequence[tuple[str, str, Sequence[QAction | None]]]) -> None:
    """``sections`` holds (object name, title, actions); ``None`` is a separator."""
    for name, title, actions in sections:
        menu = bar.addMenu(title)
        menu.setObjectName(name)
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)


def entries(bar: QMenuBar) -> Iterator[MenuEntry]:
    for top in bar.actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            if not action.isSeparator() and action.isVisible():
                yield MenuEntry(plain_label(top.text()), action)


def action(parent: QWidget, name: str, text: str, keys: Sequence[str] = ()) -> QAction:
    made = QAction(text, parent)
    made.setObjectName(name)
    made.setShortcuts([QKeySequence(k) for k in keys])
    return made
