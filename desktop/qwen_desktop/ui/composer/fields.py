"""Walking a just-inserted prompt's ``{{variables}}`` with Tab and Shift+Tab.

Each variable is held by two cursors in the document: its start keeps its place when text is
typed there, its end moves with it, so a variable typed over still spans what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QTextCursor, QTextDocument

from ...core.prompts import Field


class FieldWalk:
    def __init__(self, document: QTextDocument, offset: int, fields: Sequence[Field]) -> None:
        self._spans: list[tuple[QTextCursor, QTextCursor]] = []
        for field in fields:
            start, end = QTextCursor(document), QTextCursor(document)
            start.setPosition(offset + field.start)
            start.setKeepPositionOnInsert(True)
            end.setPosition(offset + field.end)
            self._spans.append((start, end))
        self.index = -1

    def __len__(self) -> int:
        return len(self._spans)

    def selection(self, index: int) -> QTextCursor:
        start, end = self._spans[index]
        cursor = QTextCursor(start.document())
        cursor.setPosition(start.position())
        cursor.setPosition(max(start.position(), end.position()), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def step(self, forward: bool) -> QTextCursor | None:
        """The next (or previous) variable selected; None after the last, where the walk ends."""
        if forward and self.index + 1 >= len(self._spans):
            return None
        self.index = self.index + 1 if forward else max(0, self.index - 1)
        return self.selection(self.index)

    def end(self) -> int:
        """Where the text cursor goes when the walk ends: after the last variable."""
        return self._spans[-1][1].position() if self._spans else 0
