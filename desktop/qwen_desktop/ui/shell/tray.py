"""The tray icon, and telling the user a reply ended when they are looking elsewhere."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

NOTIFICATION_MS = 8000


class Tray(QObject):
    """``notified`` carries (conversation id, title, text, how: "notification" or "alert")."""

    showRequested = Signal()
    conversationRequested = Signal(int)
    notified = Signal(int, str, str, str)

    def __init__(self, icon: QIcon, quit_action: QAction, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setObjectName("trayIcon")
        self.icon.setToolTip("Qwen Desktop")
        menu = QMenu(window)
        menu.setObjectName("trayMenu")
        self.show_action = menu.addAction(self.tr("Show Qwen Desktop"), self.showRequested)
        menu.addSeparator()
        menu.addAction(quit_action)
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._message_clicked)
        self._clicked_goes_to: int | None = None
        if self.available():
            self.icon.show()

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def reply_ended(self, cid: int, title: str, failed: bool) -> None:
        """A desktop notification when the window is not in front, else nothing to say."""
        if self.window.isVisible() and self.window.isActiveWindow():
            return
        text = self.tr("The reply failed.") if failed else self.tr("The reply is ready.")
        title = title or self.tr("New conversation")
        if self.available() and self.icon.supportsMessages():
            self._clicked_goes_to = cid
            icon = QSystemTrayIcon.MessageIcon.Warning if failed else QSystemTrayIcon.MessageIcon.Information
            self.icon.showMessage(title, text, icon, NOTIFICATION_MS)
            self.notified.emit(cid, title, text, "notification")
            if self.window.isVisible():
                QApplication.alert(self.window)
            return
        QApplication.alert(self.window)
        self.notified.emit(cid, title, text, "alert")

    def _message_clicked(self) -> None:
        cid, self._clicked_goes_to = self._clicked_goes_to, None
        self.showRequested.emit()
        if cid is not None:
            self.conversationRequested.emit(cid)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.showRequested.emit()

    def hide(self) -> None:
        self.icon.hide()
