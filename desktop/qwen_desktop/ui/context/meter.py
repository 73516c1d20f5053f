"""The composer's live context meter: how full the next request is, and what fills it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from ...core import errors as e
from ...core.context import ContextManager, ContextMeter
from ...core.types import ContextPolicy, ConversationSettings
from ..common.formatting import number

log = logging.getLogger(__name__)

CONTEXT = "ContextMeter"
DEBOUNCE_MS = 150
AMBER = 0.7
RED = 0.9
SECTIONS = (
    ("system", QT_TRANSLATE_NOOP("ContextMeter", "System prompt")),
    ("summary", QT_TRANSLATE_NOOP("ContextMeter", "Summary")),
    ("retrieved", QT_TRANSLATE_NOOP("ContextMeter", "Retrieved rounds")),
    ("recent", QT_TRANSLATE_NOOP("ContextMeter", "Recent rounds")),
    ("new", QT_TRANSLATE_NOOP("ContextMeter", "New message")),
    ("images", QT_TRANSLATE_NOOP("ContextMeter", "of which images")),
)
LEVEL_COLORS = {"ok": "#3b82f6", "amber": "#f59e0b", "red": "#ef4444"}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def level(fraction: float, over: bool = False) -> str:
    if over or fraction > RED:
        return "red"
    return "amber" if fraction > AMBER else "ok"


def breakdown(sections: dict[str, int]) -> list[tuple[str, int]]:
    return [(tr(label), sections.get(key, 0)) for key, label in SECTIONS
            if sections.get(key, 0) or key in ("system", "recent", "new")]


class MeterBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fraction = 0.0
        self.color = QColor(LEVEL_COLORS["ok"])
        self.setFixedHeight(6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(160, 6)

    def set_value(self, fraction: float, color: str) -> None:
        self.fraction = max(0.0, min(1.0, fraction))
        self.color = QColor(color)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        track = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        track.setAlphaF(0.12)
        radius = self.height() / 2
        painter.setBrush(track)
        painter.drawRoundedRect(QRectF(self.rect()), radius, radius)
        if self.fraction > 0:
            width = max(self.height(), self.width() * self.fraction)
            painter.setBrush(self.color)
            painter.drawRoundedRect(QRectF(0, 0, width, self.height()), radius, radius)
        painter.end()


class ContextMeterWidget(QWidget):
    """Bar, percentage and a breakdown; when the request would not fit, a warning with a way out."""

    inspectRequested = Signal()
    switchRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contextMeter")
        self.meter: ContextMeter | None = None
        self.bar = MeterBar(self)
        self.bar.setObjectName("contextMeterBar")
        self.label = QLabel(self)
        self.label.setObjectName("contextMeterLabel")
        self.details_button = QToolButton(self)
        self.details_button.setObjectName("contextDetailsButton")
        self.details_button.setText(self.tr("Details"))
        self.details_button.setCheckable(True)
        self.details_button.setAutoRaise(True)
        self.details_button.setToolTip(self.tr("Show what fills the next request"))
        self.inspect_button = QToolButton(self)
        self.inspect_button.setObjectName("whatWillBeSent")
        self.inspect_button.setText(self.tr("What will be sent"))
        self.inspect_button.setAutoRaise(True)
        self.inspect_button.clicked.connect(self.inspectRequested)
        self.details = QLabel(self)
        self.details.setObjectName("contextBreakdown")
        self.details.setWordWrap(True)
        self.details.hide()
        self.details_button.toggled.connect(self.details.setVisible)
        self.warning = QWidget(self)
        self.warning.setObjectName("contextWarning")
        self.warning_text = QLabel(self.warning)
        self.warning_text.setObjectName("contextWarningText")
        self.warning_text.setWordWrap(True)
        self.switch_last_n = QToolButton(self.warning)
        self.switch_last_n.setObjectName("switchToLastN")
        self.switch_summary = QToolButton(self.warning)
        self.switch_summary.setObjectName("switchToSummary")
        self.switch_summary.setText(self.tr("Use a rolling summary"))
        self.switch_last_n.clicked.connect(lambda: self.switchRequested.emit(ContextPolicy.LAST_N.value))
        self.switch_summary.clicked.connect(lambda: self.switchRequested.emit(ContextPolicy.SUMMARY.value))
        warning_row = QHBoxLayout(self.warning)
        warning_row.setContentsMargins(0, 0, 0, 0)
        warning_row.addWidget(self.warning_text, 1)
        warning_row.addWidget(self.switch_last_n)
        warning_row.addWidget(self.switch_summary)
        self.warning.hide()
        self.set_last_n(10)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.bar, 1)
        row.addWidget(self.label)
        row.addWidget(self.details_button)
        row.addWidget(self.inspect_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.warning)
        layout.addLayout(row)
        layout.addWidget(self.details)
        self._show_level("ok")

    def set_last_n(self, n: int) -> None:
        self.switch_last_n.setText(self.tr("Switch to last %1 rounds").replace("%1", str(n)))

    def level(self) -> str:
        return self._level

    def show_meter(self, meter: ContextMeter) -> None:
        self.meter = meter
        fraction = meter.fraction
        self._show_level(level(fraction, meter.over))
        self.bar.set_value(fraction, LEVEL_COLORS[self._level])
        percent = f"{fraction * 100:.0f}%" if fraction >= 0.01 or not meter.total else "<1%"
        self.label.setText(self.tr("%1 · %2 of %3 tokens").replace("%1", percent)
                           .replace("%2", number(meter.total)).replace("%3", number(meter.max_input)))
        lines = [f"{name}: {number(tokens)}" for name, tokens in breakdown(meter.sections)]
        tip = "\n".join([self.tr("Next request (estimate)"), *lines,
                         self.tr("Budget: %1 tokens (room kept for the reply)").replace("%1", number(meter.budget))])
        if meter.server_held:
            self.label.setText(self.tr("%1 tokens: only the new message; the service keeps %2 earlier messages")
                               .replace("%1", number(meter.total)).replace("%2", number(meter.server_held)))
            tip = self.tr("Responses API: the service holds this conversation's history, so the next "
                          "request carries only your new message. After the reply, the inspector shows "
                          "what the service counted as input.")
        self.bar.setToolTip(tip)
        self.label.setToolTip(tip)
        self.details.setText("   ".join(f"{name} {number(tokens)}" for name, tokens in breakdown(meter.sections))
                             + ("\n" + "\n".join(meter.notices) if meter.notices else ""))
        if meter.over:
            self.show_refused(QCoreApplication.translate(
                "ContextMeter", "This conversation no longer fits the model's input window: "
                                 "switch the context policy to send it."))
        else:
            self.warning.hide()

    def show_refused(self, sentence: str) -> None:
        self.warning_text.setText(sentence)
        self.warning.show()

    def _show_level(self, name: str) -> None:
        self._level = name
        self.label.setStyleSheet(f"color: {LEVEL_COLORS[name]};" if name != "ok" else "")
        self.warning_text.setStyleSheet(f"color: {LEVEL_COLORS['red']};")


class MeterController:
    """Recomputes the meter 150 ms after the last keystroke, on a worker thread.

    ``ContextManager.meter`` takes 10–20 ms on a conversation of a thousand rounds, and seconds
    the first time the tokenizer loads: too long for the thread that handles typing.
    """

    def __init__(self, manager: ContextManager, widget: ContextMeterWidget,
                 source: Callable[[], tuple[int | None, ConversationSettings, str, list[dict[str, Any]]]]) -> None:
        self.manager = manager
        self.widget = widget
        self.source = source
        self.timer = QTimer(widget)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._start)
        self._running: asyncio.Future[ContextMeter] | None = None
        self._again = False
        self.computed = 0

    def schedule(self) -> None:
        self.timer.start()

    def _start(self) -> None:
        if self._running is not None and not self._running.done():
            self._again = True
            return
        cid, settings, draft, attachments = self.source()
        self.widget.set_last_n(int(settings.context_params.get("n", 10)))
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = asyncio.get_event_loop()
        future = loop.run_in_executor(None, self.manager.meter, cid or 0, settings, draft, attachments)
        self._running = asyncio.ensure_future(future)
        self._running.add_done_callback(self._done)

    def _done(self, future: asyncio.Future[ContextMeter]) -> None:
        if future.cancelled() or not shiboken6.isValid(self.widget):
            return  # the window closed while the worker thread was still counting
        error = future.exception()
        if isinstance(error, e.QwenError):
            log.info("context meter unavailable: %s", error.sentence)
        elif error is not None:
            log.error("context meter failed", exc_info=error)
        else:
            self.computed += 1
            self.widget.show_meter(future.result())
        if self._again:
            self._again = False
            self._start()


class RetrievalProgress(QWidget):
    """Shown while an existing conversation's history is embedded for retrieval."""

    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retrievalProgress")
        self.label = QLabel(self.tr("Preparing earlier messages for retrieval…"), self)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("retrievalProgressBar")
        self.bar.setMaximumWidth(220)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.cancel = QToolButton(self)
        self.cancel.setObjectName("cancelRetrieval")
        self.cancel.setText(self.tr("Cancel"))
        self.cancel.setAutoRaise(True)
        self.cancel.clicked.connect(self.cancelled)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 4, 14, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.bar)
        row.addWidget(self.cancel)
        self.hide()

    def start(self) -> None:
        self.bar.setRange(0, 0)
        self.label.setText(self.tr("Preparing earlier messages for retrieval…"))
        self.show()

    def progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)
        self.label.setText(self.tr("Indexing earlier rounds for retrieval: %1 of %2")
                           .replace("%1", number(done)).replace("%2", number(total)))
