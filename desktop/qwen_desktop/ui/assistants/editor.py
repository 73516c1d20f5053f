"""One assistant's form: name, icon and colour, system prompt, and the conversation settings it sets."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.assistants import MAX_NAME, Assistant
from ...core.types import ConversationSettings
from ..conversation.bar import ConversationSettingsBar
from .look import COLOURS, FALLBACK, badge


class AssistantEditor(QWidget):
    """``edited`` fires on every change the user makes; ``assistant()`` reads the form back.

    The conversation settings are edited with the conversation bar itself (model, region,
    protocol, thinking, context, web search, tools, and under More the temperature and the
    generation parameters); what is left as in Settings' defaults is not stored, so it follows them.
    """

    edited = Signal()

    def __init__(self, regions: object, catalog: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assistantEditor")
        self._base = ConversationSettings()
        self._original = Assistant(name="")
        self._loading = False
        self.name = QLineEdit(self)
        self.name.setObjectName("assistantName")
        self.name.setAccessibleName("assistantName")
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText(self.tr("For example: Translator"))
        self.icon = QLineEdit(self)
        self.icon.setObjectName("assistantIcon")
        self.icon.setAccessibleName("assistantIcon")
        self.icon.setMaxLength(8)
        self.icon.setMaximumWidth(64)
        self.icon.setToolTip(self.tr("An emoji or one or two letters; empty shows the name's first letter"))
        self.colours = QButtonGroup(self)
        self.colours.setExclusive(True)
        colour_row = self._colour_row = QHBoxLayout()
        colour_row.setSpacing(2)
        colour_row.addWidget(self.icon)
        colour_row.addSpacing(8)
        for colour in ("", *COLOURS):
            self._add_swatch(colour)
        colour_row.addStretch(1)
        self.prompt = QPlainTextEdit(self)
        self.prompt.setObjectName("assistantPrompt")
        self.prompt.setAccessibleName("assistantPrompt")
        self.prompt.setTabChangesFocus(True)
        self.prompt.setPlaceholderText(self.tr("What the assistant is told before every conversation, for "
                                               "example: you translate between English and Chinese."))
        self.prompt.setMinimumHeight(120)
        self.bar = ConversationSettingsBar(regions, catalog, self)  # type: ignore[arg-type]
        self.bar.setObjectName("assistantSettingsBar")
        self.bar.more.setToolTip(self.tr("Temperature and generation parameters"))
        hint = QLabel(self.tr("Settings left as in Settings' defaults are not stored: they follow the defaults."),
                      self)
        hint.setObjectName("assistantSettingsHint")
        hint.setWordWrap(True)
        hint.setEnabled(False)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Icon and colour"), colour_row)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addWidget(QLabel(self.tr("System prompt"), self))
        column.addWidget(self.prompt, 1)
        column.addWidget(QLabel(self.tr("Model and settings"), self))
        column.addWidget(self.bar)
        column.addWidget(hint)

        self.name.textEdited.connect(self._edited)
        self.icon.textEdited.connect(self._edited)
        self.colours.buttonToggled.connect(lambda _b, on: self._edited() if on else None)
        self.prompt.textChanged.connect(self._prompt_edited)
        self.bar.settingsChanged.connect(self._bar_edited)

    def set_assistant(self, assistant: Assistant, base: ConversationSettings) -> None:
        self._loading = True
        try:
            self._original, self._base = assistant, base
            self.name.setText(assistant.name)
            self.icon.setText(assistant.icon)
            self._select_colour(assistant.colour)
            self.prompt.setPlainText(assistant.system_prompt)
            self.bar.set_settings(assistant.apply(base))
        finally:
            self._loading = False

    def assistant(self) -> Assistant:
        """The form as an assistant (same id, default mark and starter key as the one loaded)."""
        settings = self.bar.settings().with_(system_prompt=self.prompt.toPlainText().strip())
        checked = self.colours.checkedButton()
        colour = str(checked.property("colour")) if checked is not None else ""
        original = self._original
        return Assistant.from_settings(self.name.text().strip(), settings, self._base).with_(
            id=original.id, icon=self.icon.text().strip(), colour=colour, is_default=original.is_default,
            starter=original.starter)

    def _add_swatch(self, colour: str) -> QToolButton:
        swatch = QToolButton(self)
        swatch.setObjectName(f"assistantColour{colour.lstrip('#') or 'None'}")
        swatch.setCheckable(True)
        swatch.setAutoRaise(True)
        swatch.setIcon(badge("" if colour else "–", colour or FALLBACK, 20))
        swatch.setIconSize(QSize(20, 20))
        swatch.setToolTip(colour or self.tr("No colour"))
        swatch.setProperty("colour", colour)
        self.colours.addButton(swatch)
        self._colour_row.insertWidget(len(self.colours.buttons()) + 1, swatch)
        return swatch

    def _select_colour(self, colour: str) -> None:
        """A colour not among the swatches (an imported assistant's) gets a swatch of its own."""
        for button in self.colours.buttons():
            if str(button.property("colour")).lower() == colour.lower():
                button.setChecked(True)
                return
        self._add_swatch(colour).setChecked(True)

    def _edited(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _prompt_edited(self) -> None:
        if self._loading:
            return
        text = self.prompt.toPlainText()
        if self.bar.settings().system_prompt != text:
            self.bar.set_settings(self.bar.settings().with_(system_prompt=text))
        self.edited.emit()

    def _bar_edited(self, settings: ConversationSettings) -> None:
        if settings.system_prompt != self.prompt.toPlainText():
            self.prompt.setPlainText(settings.system_prompt)
        self._edited()
