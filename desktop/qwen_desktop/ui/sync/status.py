"""The sync status line at the foot of the sidebar: when sync last ran, what waits, what went wrong."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from qwen_desktop.ui.sync.service import SyncState
from qwen_desktop.ui.sync.text import sync_text


def when(stamp: float) -> str:
    """The time alone for today, the date and time otherwise, in the interface's locale."""
    moment = QDateTime.fromSecsSinceEpoch(int(stamp))
    locale = QLocale()
    if time.localtime(stamp)[:3] == time.localtime()[:3]:
        return locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
    return locale.toString(moment, QLocale.FormatType.ShortFormat)


def status_text(state: SyncState) -> str:
    if not state.configured:
        return ""
    if state.running:
        return QCoreApplication.translate("SyncStatus", "Syncing…")
    if state.error:
        return QCoreApplication.translate("SyncStatus", "Sync failed: %1").replace("%1", sync_text(state.error))
    parts = []
    if state.paused:
        parts.append(QCoreApplication.translate("SyncStatus", "Sync paused"))
    elif state.last_synced_at:
        parts.append(QCoreApplication.translate("SyncStatus", "Synced at %1").replace("%1", when(state.last_synced_at)))
    else:
        parts.append(QCoreApplication.translate("SyncStatus", "Not synced yet"))
    if state.pending:
        parts.append(QCoreApplication.translate("SyncStatus", "%1 changes waiting").replace("%1", str(state.pending)))
    if state.problems:
        parts.append(QCoreApplication.translate("SyncStatus", "%1 files could not be read").replace(
            "%1", str(len(state.problems))))
    return " · ".join(parts)


class SyncStatusLine(QLabel):
    """Wraps rather than cuts an error short; a click opens the Sync settings. Hidden until sync is set up."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAccessibleName("syncStatus")
        self.setWordWrap(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hide()

    def show_state(self, state: SyncState) -> None:
        text = status_text(state)
        self.setText(text)
        details = [sync_text(problem) for problem in state.problems] if not state.running else []
        self.setToolTip("\n".join([*details, QCoreApplication.translate("SyncStatus", "Sync settings")]))
        failed = bool(state.error or state.problems) and not state.running
        self.setProperty("failed", failed)
        self.setStyleSheet("QLabel#syncStatus { padding: 2px 4px; %s }" % (
            "color: #c0392b;" if failed else "color: palette(placeholder-text);"))
        self.setVisible(state.configured)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)
