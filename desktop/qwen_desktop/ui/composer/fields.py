"""Walking a just-inserted prompt's ``{{variables}}`` with Tab and Shift+Tab.

Each variable is held by two cursors in the document: its start keeps its place when text is
typed there, its end moves with it, so a variable typed over still spans what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QTextCursor, QTextDocument

from ...core.prompts import Field


class FieldWalk:
    """A variable used more than once is typed once: leaving it fills its later namesakes that are
    still untouched, and the walk skips them."""

    def __init__(self, document: QTextDocument, offset: int, fields: Sequence[Field]) -> None:
        self._spans: list[tuple[QTextCursor, QTextCursor]] = []
        self._names = [field.name for field in fields]
        self._originals: list[str] = []
        self._filled: dict[int, str] = {}
        """Namesakes filled by the walk, with what was put there."""
        for field in fields:
            start, end = QTextCursor(document), QTextCursor(document)
            start.setPosition(offset + field.start)
            start.setKeepPositionOnInsert(True)
            end.setPosition(offset + field.end)
            self._spans.append((start, end))
            self._originals.append(self._text(start, end))
        self.index = -1

    def __len__(self) -> int:
        return len(self._spans)

    @staticmethod
    def _text(start: QTextCursor, end: QTextCursor) -> str:
        cursor = QTextCursor(start.document())
        cursor.setPosition(start.position())
        cursor.setPosition(max(start.position(), end.position()), QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText()

    def selection(self, index: int) -> QTextCursor:
        start, end = self._spans[index]
        cursor = QTextCursor(start.document())
        cursor.setPosition(start.position())
        cursor.setPosition(max(start.position(), end.position()), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def step(self, forward: bool) -> QTextCursor | None:
        """The next (or previous) variable selected; None after the last, where the walk ends."""
        if self.index >= 0:
            self._fill_namesakes(self.index)
        found = self.index
        while True:
            found = found + 1 if forward else found - 1
            if found < 0:
                found = self.index if self.index >= 0 else 0
                break
            if found >= len(self._spans):
                return None
            if found not in self._filled:
                break
        self.index = found
        return self.selection(self.index)

    def _fill_namesakes(self, index: int) -> None:
        typed = self._text(*self._spans[index])
        if typed == self._originals[index]:
            return
        for other in range(index + 1, len(self._spans)):
            if self._names[other] != self._names[index]:
                continue
            untouched = self._filled.get(other, self._originals[other])
            if self._text(*self._spans[other]) == untouched:
                self.selection(other).insertText(typed)
                self._filled[other] = typed

    def end(self) -> int:
        """Where the text cursor goes when the walk ends: after the last variable."""
        return self._spans[-1][1].position() if self._spans else 0
