"""Widgets shared by every place that takes an API key: region choice, masked field, status line, test runner."""

from __future__ import annotations

import asyncio
import logging
from enum import Enum
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from qwen_desktop.core.client import ChatClient
from qwen_desktop.core.config import AppConfig
from qwen_desktop.core.keycheck import KeyTestResult, test_key
from qwen_desktop.core.regions import RegionRegistry
from qwen_desktop.ui.common.error_text import translate_text
from qwen_desktop.ui.common.formatting import region_name

__all__ = ["KeyField", "KeyTestResult", "KeyTestRunner", "RegionChoice", "StatusLine", "test_key"]

log = logging.getLogger(__name__)

_SPINNER = "◐◓◑◒"


def named(widget: Any, name: str) -> Any:
    widget.setObjectName(name)
    widget.setAccessibleName(name)
    return widget


def muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(palette)
    return label


def segment_style(position: int, count: int) -> str:
    """Joined buttons that read as one control; the chosen one takes the highlight colour."""
    left = "4px" if position == 0 else "0px"
    right = "4px" if position == count - 1 else "0px"
    return (
        "QPushButton { border: 1px solid palette(mid); background: palette(button); padding: 4px 16px;"
        f" border-top-left-radius: {left}; border-bottom-left-radius: {left};"
        f" border-top-right-radius: {right}; border-bottom-right-radius: {right};"
        f" {'border-left: none;' if position else ''} }}"
        "QPushButton:hover { background: palette(midlight); }"
        "QPushButton:checked { background: palette(highlight); color: palette(highlighted-text);"
        " border-color: palette(highlight); }"
    )



def eye_icon(color: QColor, crossed: bool, size: int = 32) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(color, size / 14))
    outline = QPainterPath()
    outline.moveTo(size * 0.08, size * 0.5)
    outline.quadTo(size * 0.5, size * 0.08, size * 0.92, size * 0.5)
    outline.quadTo(size * 0.5, size * 0.92, size * 0.08, size * 0.5)
    painter.drawPath(outline)
    painter.setBrush(color)
    painter.drawEllipse(QPointF(size / 2, size / 2), size * 0.12, size * 0.12)
    if crossed:
        painter.drawLine(QPointF(size * 0.15, size * 0.85), QPointF(size * 0.85, size * 0.15))
    painter.end()
    return QIcon(pixmap)


class KeyField(QLineEdit):
    """A password field for an API key, with an eye action that shows or hides what was typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setClearButtonEnabled(False)
        self.setMinimumWidth(220)
        self.reveal_action = QAction(self.tr("Show key"), self)
        self.reveal_action.setCheckable(True)
        self.reveal_action.setObjectName("revealKey")
        self.reveal_action.toggled.connect(self._set_revealed)
        self.addAction(self.reveal_action, QLineEdit.ActionPosition.TrailingPosition)
        self._set_revealed(False)

    def _set_revealed(self, revealed: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if revealed else QLineEdit.EchoMode.Password)
        text = self.tr("Hide key") if revealed else self.tr("Show key")
        self.reveal_action.setText(text)
        self.reveal_action.setToolTip(text)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        self.reveal_action.setIcon(eye_icon(muted, crossed=revealed))

    def toggle_reveal(self) -> None:
        self.reveal_action.toggle()


class Tone(Enum):
    NEUTRAL = "neutral"
    BUSY = "busy"
    SUCCESS = "success"
    FAILURE = "failure"
    WARNING = "warning"


_TONE_COLORS = {
    Tone.SUCCESS: ("#1a7f37", "#3fb950"),
    Tone.FAILURE: ("#cf222e", "#f85149"),
    Tone.WARNING: ("#9a6700", "#d29922"),
}


class StatusLine(QLabel):
    """One sentence under a field: busy with a spinner, or a result in green, red or amber."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tone = Tone.NEUTRAL
        self._message = ""
        self._frame = 0
        self._timer = QTimer(self)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self._spin)
        self.setVisible(False)

    def show_busy(self, message: str) -> None:
        self._show(message, Tone.BUSY)
        self._frame = 0
        self._spin()
        self._timer.start()

    def show_success(self, message: str) -> None:
        self._show(message, Tone.SUCCESS)

    def show_failure(self, message: str) -> None:
        self._show(message, Tone.FAILURE)

    def show_warning(self, message: str) -> None:
        self._show(message, Tone.WARNING)

    def show_note(self, message: str) -> None:
        self._show(message, Tone.NEUTRAL)

    def show_result(self, result: KeyTestResult) -> None:
        sentence = translate_text(result.sentence)
        if result.ok:
            self.show_success(sentence)
        elif result.detected_region:
            self.show_warning(sentence)
        else:
            self.show_failure(sentence)

    def clear_message(self) -> None:
        self._timer.stop()
        self.tone = Tone.NEUTRAL
        self._message = ""
        self.clear()
        self.setVisible(False)

    @property
    def message(self) -> str:
        return self._message

    def _show(self, message: str, tone: Tone) -> None:
        self._timer.stop()
        self.tone = tone
        self._message = message
        self.setText(message)
        self.setStyleSheet(self._style(tone))
        self.setVisible(bool(message))

    def _spin(self) -> None:
        self.setText(f"{_SPINNER[self._frame % len(_SPINNER)]}  {self._message}")
        self._frame += 1

    def _style(self, tone: Tone) -> str:
        if tone in _TONE_COLORS:
            dark = self.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.5
            return f"color: {_TONE_COLORS[tone][dark]};"
        return f"color: {self.palette().color(QPalette.ColorRole.PlaceholderText).name()};"


class KeyTestRunner(QObject):
    """Runs one key test at a time on the asyncio loop and keeps its task so it can be cancelled."""

    resultReady = Signal(object)

    def __init__(self, client: ChatClient, regions: RegionRegistry, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._regions = regions
        self.task: asyncio.Future[KeyTestResult] | None = None

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def start(self, region_id: str, key: str) -> None:
        self.cancel()
        self.task = asyncio.ensure_future(test_key(self._client, self._regions, region_id, key))
        self.task.add_done_callback(self._finished)

    def cancel(self) -> None:
        task, self.task = self.task, None
        if task is not None and not task.done():
            task.remove_done_callback(self._finished)
            task.cancel()

    def _finished(self, task: asyncio.Future[KeyTestResult]) -> None:
        if task is not self.task or task.cancelled() or not shiboken6.isValid(self):
            return
        error = task.exception()
        if error is not None:
            log.error("Key test failed", exc_info=error)
            result = KeyTestResult(False, self.tr("The key could not be tested (%1).").replace(
                "%1", type(error).__name__))
        else:
            result = task.result()
        self.resultReady.emit(result)


class RegionChoice(QWidget):
    """A one-click segmented choice of the two main regions, with the other regions in a list beside it.

    With ``others_only`` the list holds only the regions that have no segment and shows a placeholder
    while a segment is chosen; otherwise it lists every region and follows the segments.
    """

    changed = Signal(str)
    DEFAULT_SEGMENTS = (("intl", "Singapore", "defaultRegionSingapore"), ("cn", "Beijing", "defaultRegionBeijing"))

    def __init__(
        self,
        regions: RegionRegistry,
        segments: tuple[tuple[str, str, str], ...] = DEFAULT_SEGMENTS,
        list_name: str = "defaultRegion",
        others_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._regions = regions
        self._others_only = others_only
        self._current = AppConfig().default_region
        self.group = QButtonGroup(self)
        self.segments: dict[str, QPushButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        for position, (region_id, text, name) in enumerate(segments):
            button = named(QPushButton(QCoreApplication.translate("Regions", text)), name)
            button.setStyleSheet(segment_style(position, len(segments)))
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setMinimumWidth(104)
            self.group.addButton(button)
            self.segments[region_id] = button
            row.addWidget(button)
        row.addSpacing(12)
        self.all = named(QComboBox(), list_name)
        self.all.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        if others_only:
            self.all.setPlaceholderText(self.tr("Other region…"))
        row.addWidget(self.all)
        row.addStretch(1)
        self.reload()
        self.group.buttonClicked.connect(self._segment_clicked)
        self.all.activated.connect(lambda _i: self._select(self.all.currentData()))

    def reload(self) -> None:
        self.all.clear()
        for region in self._regions.all():
            if not (self._others_only and region.id in self.segments):
                self.all.addItem(region_name(region), region.id)
        self.set_region(self._current)

    def region_id(self) -> str:
        return self._current

    def set_region(self, region_id: str) -> None:
        if region_id not in self._regions:
            region_id = AppConfig().default_region
        self._current = region_id
        self.all.setCurrentIndex(self.all.findData(region_id))
        self.group.setExclusive(False)
        for segment_id, button in self.segments.items():
            button.setChecked(segment_id == region_id)
        self.group.setExclusive(True)

    def _segment_clicked(self, button: QAbstractButton) -> None:
        for region_id, segment in self.segments.items():
            if segment is button:
                self._select(region_id)

    def _select(self, region_id: str) -> None:
        self.set_region(region_id)
        self.changed.emit(region_id)
