"""A slim bar offering to undo a delete, reusable wherever conversations are deleted."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from qwen_desktop.ui.common.theme import mix


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
        self._label = QLabel(self.tr("Conversation deleted."), self)
        self._button = QPushButton(self.tr("Undo"), self)
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

    def show_for(self, cid: int, message: str | None = None) -> None:
        """Offer undo for ``cid``; an earlier offer still showing expires now."""
        if self._cid is not None and self._cid != cid:
            self.expire()
        self._cid = cid
        self._label.setText(message or self.tr("Conversation deleted."))
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
        painter.setPen(mix(background, text, 0.18))
        painter.setBrush(mix(background, text, 0.07))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
