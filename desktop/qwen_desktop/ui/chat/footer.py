"""Footer line, action buttons and the inline error panel of a message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from qwen_desktop.core.types import Usage

from ..common.error_text import error_sentence
from ..common.formatting import Cost, CostFunction, as_cost, money, number


def format_cost(cost: Cost | float) -> str:
    return money(as_cost(cost) or Cost(0.0))


def footer_text(model: str | None, usage: Usage | None, cost_function: CostFunction | None,
                search_fee: Cost | None = None) -> str:
    """``search_fee``: what the reply's web searches cost on top of its tokens."""
    parts = [model] if model else []
    if usage is not None:
        parts.append(QCoreApplication.translate("MessageFooter", "%1 in").replace(
            "%1", number(usage.input_tokens)))
        parts.append(QCoreApplication.translate("MessageFooter", "%1 out").replace(
            "%1", number(usage.output_tokens)))
        if usage.reasoning_tokens:
            parts.append(QCoreApplication.translate("MessageFooter", "%1 reasoning").replace(
                "%1", number(usage.reasoning_tokens)))
        if usage.cached_tokens:
            parts.append(QCoreApplication.translate("MessageFooter", "%1 cached").replace(
                "%1", number(usage.cached_tokens)))
        if usage.cache_creation_tokens:
            parts.append(QCoreApplication.translate("MessageFooter", "%1 written to the cache").replace(
                "%1", number(usage.cache_creation_tokens)))
        if usage.search_calls:
            parts.append(QCoreApplication.translate("MessageFooter", "web searches: %1").replace(
                "%1", number(usage.search_calls)))
        if usage.search_tokens:
            parts.append(QCoreApplication.translate("MessageFooter", "~%1 in from search results").replace(
                "%1", number(usage.search_tokens)))
        cost = as_cost(cost_function(model or "", usage)) if cost_function and model else None
        if cost is not None and search_fee is not None and search_fee.currency == cost.currency:
            cost = Cost(cost.amount + search_fee.amount, cost.currency)
        if cost is not None:
            parts.append(format_cost(cost))
            saved = cache_saving(model or "", usage, cost, cost_function)
            if saved is not None:
                parts.append(QCoreApplication.translate("MessageFooter", "cache saved %1").replace(
                    "%1", money(saved).removeprefix("≈ ")))
    return " · ".join(parts)


def cache_saving(model: str, usage: Usage, cost: Cost, cost_function: CostFunction | None) -> Cost | None:
    """What the cached input tokens saved against the full input price, if anything."""
    if not usage.cached_tokens or cost_function is None:
        return None
    uncached = as_cost(cost_function(model, replace(usage, cached_tokens=0, explicit_cached_tokens=0)))
    if uncached is None or uncached.amount <= cost.amount:
        return None
    return Cost(uncached.amount - cost.amount, cost.currency)


def small_label(text: str, parent: QWidget, name: str) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.88)
    label.setFont(font)
    return label


def action_button(text: str, tooltip: str, parent: QWidget) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tooltip)
    button.setAccessibleName(tooltip)
    button.setAutoRaise(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    font = button.font()
    font.setPointSizeF(font.pointSizeF() * 0.88)
    button.setFont(font)
    return button


class ActionBar(QWidget):
    """Optional info text on the left, buttons on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = small_label("", self, "messageFooter")
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.badge = small_label(self.tr("interrupted"), self, "interruptedBadge")
        self.badge.hide()
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._layout.addWidget(self.info)
        self._layout.addWidget(self.badge)
        self._layout.addStretch(1)

    def add_button(self, text: str, tooltip: str, slot: Callable[[], Any]) -> QToolButton:
        button = action_button(text, tooltip, self)
        button.clicked.connect(slot)
        self._layout.addWidget(button)
        return button

    def add_leading(self, widget: QWidget) -> None:
        """A widget before the info text, on the left."""
        self._layout.insertWidget(0, widget)

    def add_widget(self, widget: QWidget) -> None:
        """A widget after the buttons added so far, on the right."""
        self._layout.addWidget(widget)

    @staticmethod
    def flash(button: QToolButton, text: str, ms: int = 1500) -> None:
        original = button.text()
        button.setText(text)
        QTimer.singleShot(ms, button, lambda: button.setText(original))


ADDRESS_ERROR_KINDS = frozenset({"network", "endpoint_not_found"})
"""Errors a wrong region address explains: offer to open the settings."""

KEY_ERROR_KINDS = frozenset({"invalid_key", "missing_key", "key_shape"})
"""Errors about the key (a rejected key, another region's key): offer the key settings too."""


def retry_label(seconds_left: int) -> str:
    if seconds_left > 0:
        return QCoreApplication.translate("ErrorPanel", "Retry in %1 s").replace("%1", str(seconds_left))
    return QCoreApplication.translate("ErrorPanel", "Retry now")


class ErrorPanel(QFrame):
    """One plain sentence, the server's own words smaller beside it, request id, and the actions:
    Retry now (counting down first when the service named a wait), Continue, Check the address."""

    retryClicked = Signal()
    continueClicked = Signal()
    checkAddressClicked = Signal()
    leaveResponsesClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorPanel")
        self.sentence = QLabel(self)
        self.sentence.setObjectName("errorSentence")
        self.sentence.setWordWrap(True)
        self.sentence.setTextFormat(Qt.TextFormat.PlainText)
        self.server_message = small_label("", self, "errorServerMessage")
        self.server_message.setWordWrap(True)
        self.server_message.setTextFormat(Qt.TextFormat.PlainText)
        self.server_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.request_id = small_label("", self, "errorRequestId")
        self.request_id.setTextFormat(Qt.TextFormat.PlainText)
        self.request_id.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(retry_label(0), self)
        self.retry_button.setObjectName("retryButton")
        self.retry_button.clicked.connect(self.retryClicked)
        self.check_address_button = QPushButton(self.tr("Check the region's address"), self)
        self.check_address_button.setObjectName("checkAddressButton")
        self.check_address_button.clicked.connect(self.checkAddressClicked)
        self.leave_responses_button = QPushButton(self.tr("Switch to OpenAI-compatible and retry"), self)
        self.leave_responses_button.setObjectName("leaveResponsesButton")
        self.leave_responses_button.clicked.connect(self.leaveResponsesClicked)
        self.seconds_left = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.continue_button = QPushButton(self.tr("Continue"), self)
        self.continue_button.setObjectName("continueButton")
        self.continue_button.clicked.connect(self.continueClicked)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.request_id)
        buttons.addStretch(1)
        buttons.addWidget(self.check_address_button)
        buttons.addWidget(self.leave_responses_button)
        buttons.addWidget(self.continue_button)
        buttons.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self.sentence)
        layout.addWidget(self.server_message)
        layout.addLayout(buttons)

    def show_error(self, error: dict[str, Any], can_continue: bool, elapsed: float = 0.0) -> None:
        """``elapsed``: seconds since the error happened, so a wait already over is not repeated."""
        self.sentence.setText(error_sentence(error))
        server = error.get("server_message")
        self.server_message.setText(str(server) if server else "")
        self.server_message.setVisible(bool(server))
        request_id = error.get("request_id")
        self.request_id.setText(self.tr("Request ID: %1").replace("%1", str(request_id)) if request_id else "")
        self.continue_button.setVisible(can_continue)
        kind = error.get("kind")
        self.check_address_button.setText(self.tr("Open key settings") if kind in KEY_ERROR_KINDS
                                          else self.tr("Check the region's address"))
        self.check_address_button.setVisible(kind in ADDRESS_ERROR_KINDS or kind in KEY_ERROR_KINDS)
        self.leave_responses_button.setVisible(kind == "responses_unsupported")
        wait = error.get("retry_after") if error.get("kind") == "rate_limited" else None
        self.start_countdown(float(wait) - max(0.0, elapsed) if isinstance(wait, (int, float)) else 0)
        self.show()

    def start_countdown(self, seconds: float) -> None:
        self.seconds_left = max(0, int(seconds + 0.999))
        self._show_countdown()
        if self.seconds_left > 0:
            self._countdown.start()
        else:
            self._countdown.stop()

    def _tick(self) -> None:
        self.seconds_left = max(0, self.seconds_left - 1)
        self._show_countdown()
        if self.seconds_left == 0:
            self._countdown.stop()

    def _show_countdown(self) -> None:
        self.retry_button.setText(retry_label(self.seconds_left))
        self.retry_button.setEnabled(self.seconds_left == 0)
