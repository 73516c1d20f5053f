"""A conversation's assistant on the conversation bar, and the offer shown when its settings drift away."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QPushButton, QSizePolicy, QToolButton, QWidget

from ...core.assistants import Assistant
from .look import assistant_icon, badge

NO_ASSISTANT_COLOUR = "#8a8f98"


class AssistantChip(QToolButton):
    """The assistant a conversation came from (or none); its menu holds what can be done with it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assistantChip")
        self.setAccessibleName("assistantChip")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setIconSize(QSize(16, 16))
        self.setMinimumWidth(32)  # a narrow window clips the name rather than growing wider
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMenu(QMenu(self))
        self.menu().setObjectName("assistantChipMenu")
        self.show_assistant(None)

    def show_assistant(self, assistant: Assistant | None) -> None:
        if assistant is None:
            self.setText(self.tr("No assistant"))
            self.setIcon(badge("·", NO_ASSISTANT_COLOUR, 16))
            self.setToolTip(self.tr("This conversation does not follow an assistant"))
            return
        self.setText(assistant.name if len(assistant.name) <= 28 else assistant.name[:27] + "…")
        self.setIcon(assistant_icon(assistant, 16))
        self.setToolTip(self.tr("Started from the assistant “%1”").replace("%1", assistant.name))


class AssistantOffer(QFrame):
    """Non-modal: "the settings differ from the assistant": update it, detach from it, or leave it."""

    updateRequested = Signal()
    detachRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assistantOffer")
        self.setContentsMargins(12, 4, 12, 4)
        self.label = QLabel(self)
        self.label.setObjectName("assistantOfferText")
        self.label.setWordWrap(True)
        self.update_button = QPushButton(self.tr("Update the assistant"), self)
        self.update_button.setObjectName("assistantUpdateButton")
        self.detach_button = QPushButton(self.tr("Detach"), self)
        self.detach_button.setObjectName("assistantDetachButton")
        self.detach_button.setToolTip(self.tr("Keep these settings; the conversation no longer follows the assistant"))
        self.dismiss_button = QToolButton(self)
        self.dismiss_button.setObjectName("assistantOfferDismiss")
        self.dismiss_button.setText("×")
        self.dismiss_button.setAutoRaise(True)
        self.dismiss_button.setToolTip(self.tr("Not now"))
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 4, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.update_button)
        row.addWidget(self.detach_button)
        row.addWidget(self.dismiss_button)
        self.update_button.clicked.connect(self.updateRequested)
        self.detach_button.clicked.connect(self.detachRequested)
        self.dismiss_button.clicked.connect(self.hide)
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """A tinted rounded box, drawn rather than styled so the buttons keep the theme's look."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.contentsRect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setBrush(QColor(91, 108, 255, 26))
        painter.setPen(QColor(91, 108, 255, 115))
        painter.drawRoundedRect(box, 6, 6)

    def offer(self, assistant: Assistant) -> None:
        self.label.setText(self.tr("These settings differ from the assistant “%1”.").replace("%1", assistant.name))
        self.update_button.setToolTip(
            self.tr("Save this conversation's settings into “%1” for its next conversations")
            .replace("%1", assistant.name))
        self.show()
