"""The collapsible "Thinking" section shown above a reply."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QToolButton, QVBoxLayout, QWidget

from qwen_desktop.ui.chat.text import MessageTextView
from qwen_desktop.ui.common.formatting import number

TICK_MS = 100
LIVE_LINES = 8
"""Live reasoning shows its last lines in a box this tall: the section stays short enough that
its header (to collapse it) stays on screen while the view follows the stream."""


def thinking_title(streaming: bool, seconds: float | None, tokens: int | None) -> str:
    if streaming:
        return QCoreApplication.translate("ThinkingSection", "Thinking… %1 s").replace(
            "%1", number(round(seconds or 0, 1)))
    if seconds is not None:
        title = QCoreApplication.translate("ThinkingSection", "Thought for %1 s").replace(
            "%1", number(round(seconds, 1)))
    else:
        title = QCoreApplication.translate("ThinkingSection", "Thought process")
    if tokens:
        title += " · " + QCoreApplication.translate("ThinkingSection", "%1 tokens").replace(
            "%1", number(tokens))
    return title


class ThinkingSection(QFrame):
    """Header toggle plus the reasoning text; ``toggledByUser`` fires only for clicks."""

    toggledByUser = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thinkingSection")
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("thinkingToggle")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.clicked.connect(self._on_clicked)
        self.body = MessageTextView(self)
        self.body.setObjectName("thinkingText")
        font = self.body.font()
        font.setPointSizeF(font.pointSizeF() * 0.92)
        self.body.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.body)
        self.user_toggled = False
        self._started: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._refresh_title)
        self.set_expanded(False)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self.toggle.setChecked(expanded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    def start(self) -> None:
        self.user_toggled = False
        self._started = time.monotonic()
        self.body.show_plain("")
        self.body.set_height_cap(self.body.fontMetrics().lineSpacing() * LIVE_LINES + 8)
        self._timer.start()
        self._refresh_title()

    def append(self, text: str) -> None:
        if self._started is None:
            self.start()
        self.body.append_plain(text)

    def stop(self) -> float | None:
        """Stop the live clock; return the measured duration in seconds."""
        self._timer.stop()
        self.body.set_height_cap(None)
        if self._started is None:
            return None
        elapsed = time.monotonic() - self._started
        self._started = None
        return elapsed

    def finish(self, text: str, seconds: float | None, tokens: int | None) -> None:
        self._timer.stop()
        self.body.set_height_cap(None)
        self._started = None
        if text != self.body.toPlainText():
            self.body.show_plain(text)
        self.toggle.setText(thinking_title(False, seconds, tokens))

    @property
    def live(self) -> bool:
        return self._started is not None

    def elapsed(self) -> float:
        return 0.0 if self._started is None else time.monotonic() - self._started

    def _refresh_title(self) -> None:
        self.toggle.setText(thinking_title(True, self.elapsed(), None))

    def _on_clicked(self, checked: bool) -> None:
        self.user_toggled = True
        self.set_expanded(checked)
        self.toggledByUser.emit(checked)
