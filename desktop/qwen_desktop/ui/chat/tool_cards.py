"""A collapsible card per tool call: what was asked, what came back, and the consent prompt."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qwen_desktop.ui.chat.theme import ChatTheme
from qwen_desktop.ui.common.formatting import number
from qwen_desktop.ui.common.theme import mix

SHOWN_RESULT_CHARS = 4000


def pretty_arguments(arguments: str) -> str:
    try:
        value = json.loads(arguments) if arguments.strip() else {}
    except ValueError:
        return arguments
    return json.dumps(value, indent=2, ensure_ascii=False)


def card_stylesheet(theme: ChatTheme) -> str:
    background = mix(theme.base, theme.thinking_background, 0.7).name()
    border = theme.border.name()
    muted = theme.muted.name()
    code_bg = mix(theme.base, theme.border, 0.25).name()
    return f"""
QFrame#toolCard {{ background: {background}; border: 1px solid {border}; border-radius: 8px; }}
QToolButton#toolCardToggle {{ border: none; color: {theme.text.name()}; font-weight: 600; padding: 2px 0px; }}
QLabel#toolCardStatus {{ color: {muted}; }}
QLabel#toolCardStatus[state="error"] {{ color: {theme.error_text.name()}; }}
QLabel#toolCardCaption {{ color: {muted}; font-size: 11px; font-weight: 600; }}
QLabel#toolCardCode {{ background: {code_bg}; border-radius: 6px; padding: 6px 8px; }}
QLabel#toolCardError {{ color: {theme.error_text.name()}; }}
QFrame#toolConsent {{ background: {theme.error_background.name()}; border: 1px solid {theme.error_border.name()};
    border-radius: 6px; }}
"""


class ToolCard(QFrame):
    decided = Signal(str, str)
    """call id and a ``Decision`` value, when the user answers the consent prompt."""

    def __init__(
        self, call_id: str, name: str, title: str, arguments: str, theme: ChatTheme,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("toolCard")
        self.call_id = call_id
        self.name = name
        self.result = ""
        self.error: str | None = None
        self.state = "running"
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("toolCardToggle")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setText(title if title == name else f"{title}  ·  {name}")
        self.toggle.toggled.connect(self.set_expanded)
        self.status = QLabel(self)
        self.status.setObjectName("toolCardStatus")
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.toggle, 1, Qt.AlignmentFlag.AlignLeft)
        header.addWidget(self.status, 0, Qt.AlignmentFlag.AlignRight)
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 2, 0, 2)
        body.setSpacing(4)
        self.arguments_view = self._code(pretty_arguments(arguments))
        self.result_view = self._code("")
        self.result_caption = self._caption(self.tr("Result"))
        self.error_view = QLabel(self.body)
        self.error_view.setObjectName("toolCardError")
        self.error_view.setWordWrap(True)
        self.error_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.addWidget(self._caption(self.tr("Arguments")))
        body.addWidget(self.arguments_view)
        body.addWidget(self.result_caption)
        body.addWidget(self.result_view)
        body.addWidget(self.error_view)
        self.consent = self._consent_row()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.consent)
        layout.addWidget(self.body)
        self.restyle(theme)
        self.result_caption.hide()
        self.result_view.hide()
        self.error_view.hide()
        self.consent.hide()
        self._set_status(self.tr("Running…"))
        self.set_expanded(False)

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text, self.body)
        label.setObjectName("toolCardCaption")
        return label

    def _code(self, text: str) -> QLabel:
        label = QLabel(text, self.body)
        label.setObjectName("toolCardCode")
        label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _consent_row(self) -> QFrame:
        row = QFrame(self)
        row.setObjectName("toolConsent")
        self.consent_label = QLabel(row)
        self.consent_label.setWordWrap(True)
        self.allow_once = QPushButton(self.tr("Allow once"), row)
        self.allow_always = QPushButton(self.tr("Always for this conversation"), row)
        self.deny = QPushButton(self.tr("Deny"), row)
        for button, decision in ((self.allow_once, "allow_once"), (self.allow_always, "allow_always"),
                                 (self.deny, "deny")):
            button.clicked.connect(lambda _=False, d=decision: self._decide(d))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.allow_once)
        buttons.addWidget(self.allow_always)
        buttons.addStretch(1)
        buttons.addWidget(self.deny)
        layout = QVBoxLayout(row)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.consent_label)
        layout.addLayout(buttons)
        return row

    def restyle(self, theme: ChatTheme) -> None:
        self.setStyleSheet(card_stylesheet(theme))

    def set_expanded(self, expanded: bool) -> None:
        self.toggle.blockSignals(True)
        self.toggle.setChecked(expanded)
        self.toggle.blockSignals(False)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def ask(self, subject: str) -> None:
        self.state = "asking"
        text = self.tr("Allow %1 to run?").replace("%1", self.name)
        if subject:
            text = self.tr("Allow %1 to read %2?").replace("%1", self.name).replace("%2", subject)
        self.consent_label.setText(text)
        self.consent.show()
        self._set_status(self.tr("Waiting for approval"))
        self.set_expanded(True)

    def _decide(self, decision: str) -> None:
        self.consent.hide()
        self._set_status(self.tr("Running…") if decision != "deny" else self.tr("Declined"))
        self.decided.emit(self.call_id, decision)

    def set_arguments(self, arguments: str) -> None:
        """What a call was asked, when it is known only as it ends (the service's own tools)."""
        self.arguments_view.setText(pretty_arguments(arguments))

    def finish(self, result: str, error: str | None, duration_ms: int | None, denied: bool) -> None:
        self.consent.hide()
        self.result, self.error = result, error
        self.state = "error" if error else "declined" if denied else "done"
        seconds = self._duration(duration_ms)
        if error:
            self.error_view.setText(error)
            self.error_view.show()
            self._set_status(self.tr("Failed") + seconds, "error")
        elif denied:
            self._set_status(self.tr("Declined"))
        else:
            shown = result if len(result) <= SHOWN_RESULT_CHARS else result[:SHOWN_RESULT_CHARS] + "…"
            self.result_view.setText(shown)
            self.result_caption.show()
            self.result_view.show()
            self._set_status(self.tr("Done") + seconds)

    def _duration(self, duration_ms: int | None) -> str:
        if duration_ms is None:
            return ""
        if duration_ms < 1000:
            return " · " + self.tr("%1 ms").replace("%1", number(duration_ms))
        return " · " + self.tr("%1 s").replace("%1", number(round(duration_ms / 1000, 1)))

    def _set_status(self, text: str, state: str = "") -> None:
        self.status.setText(text)
        self.status.setProperty("state", state)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
