"""A ring drawn around whatever the keyboard moved focus to, never after a click.

Focus that moves while no mouse button is down came from the keyboard (Tab, a shortcut, the
message keys). Editable text fields are left alone: their caret already shows where typing goes.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

MARGIN = 3
FOLLOW_MS = 120


def shows_own_caret(widget: QWidget) -> bool:
    if isinstance(widget, (QLineEdit, QAbstractSpinBox)):
        return True
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    return False


class FocusRing(QWidget):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("focusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.target: QWidget | None = None
        self._follow = QTimer(self)
        self._follow.setInterval(FOLLOW_MS)
        self._follow.timeout.connect(self.place)
        self.hide()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        keyboard = QGuiApplication.mouseButtons() == Qt.MouseButton.NoButton
        if (new is None or not keyboard or new.window() is not self.window() or shows_own_caret(new)
                or new is self.window()):
            self.release()
            return
        self.target = new
        self.place()
        self._follow.start()

    def release(self) -> None:
        self.target = None
        self._follow.stop()
        self.hide()

    def place(self) -> None:
        target = self.target
        if target is None or not target.isVisible() or not target.hasFocus():
            self.release()
            return
        visible = target.visibleRegion().boundingRect()
        if visible.isEmpty():
            self.hide()
            return
        window = self.window()
        top_left = target.mapTo(window, visible.topLeft())
        area = QRect(top_left, visible.size()).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        self.setGeometry(area.intersected(window.rect()))
        self.show()
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
        painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 5, 5)
