"""The sidebar's parts: search field, list view and the undo bar shown after a delete."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHBoxLayout, QLabel, QLineEdit, QListView, QPushButton, QWidget

from qwen_desktop.ui.sidebar_delegates import blend

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
        self.clicked.connect(self.rowActivated)

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


class UndoBar(QFrame):
    """'Conversation deleted.' with an Undo button; hides itself after ``timeout_ms``."""

    undoRequested = Signal(int)
    expired = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, timeout_ms: int = 8000) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self._cid: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.expire)
        self._label = QLabel("Conversation deleted.", self)
        self._button = QPushButton("Undo", self)
        self._button.setObjectName("undoButton")
        self._button.setAccessibleName("undoButton")
        self._button.setCursor(Qt.CursorShape.PointingHandCursor)
        self._button.clicked.connect(self.undo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.setSpacing(8)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._button)
        self.hide()

    @property
    def conversation_id(self) -> int | None:
        return self._cid

    def show_deleted(self, cid: int, message: str = "Conversation deleted.") -> None:
        """Offer undo for ``cid``; an earlier offer still showing expires now."""
        if self._cid is not None and self._cid != cid:
            self.expire()
        self._cid = cid
        self._label.setText(message)
        self._timer.start()
        self.show()

    def undo(self) -> None:
        cid = self._finish()
        if cid is not None:
            self.undoRequested.emit(cid)

    def expire(self) -> None:
        cid = self._finish()
        if cid is not None:
            self.expired.emit(cid)

    def _finish(self) -> int | None:
        self._timer.stop()
        cid, self._cid = self._cid, None
        self.hide()
        return cid

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        background = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(blend(background, text, 0.18))
        painter.setBrush(blend(background, text, 0.07))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
