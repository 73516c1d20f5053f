"""The sidebar's search field and list view."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QWidget

from qwen_desktop.ui.sidebar.delegates import SidebarColors

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class SearchField(QLineEdit):
    """Esc clears; Down moves into the results; Enter opens the selected result."""

    escapePressed = Signal()
    downPressed = Signal()
    enterPressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.escapePressed.emit()
        elif key == Qt.Key.Key_Down:
            self.downPressed.emit()
        elif key in _ENTER_KEYS:
            self.enterPressed.emit()
        else:
            super().keyPressEvent(event)


class ConversationListView(QListView):
    """Enter activates, F2 renames and Delete deletes the current row; a left click activates."""

    rowActivated = Signal(QModelIndex)
    deletePressed = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.placeholder = ""
        self.clicked.connect(self.rowActivated)

    def set_placeholder(self, text: str) -> None:
        """What an empty list says instead of being blank."""
        self.placeholder = text
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if not self.placeholder or model is None or model.rowCount():
            return
        painter = QPainter(self.viewport())
        painter.setPen(SidebarColors.from_palette(self.palette()).muted)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(self.viewport().rect().adjusted(24, 32, -24, 0), flags, self.placeholder)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.currentIndex()
        key = event.key()
        if current.isValid() and key in _ENTER_KEYS and self.state() != QAbstractItemView.State.EditingState:
            self.rowActivated.emit(current)
        elif current.isValid() and key == Qt.Key.Key_F2:
            self.edit(current)
        elif current.isValid() and key == Qt.Key.Key_Delete:
            self.deletePressed.emit(current)
        else:
            super().keyPressEvent(event)
