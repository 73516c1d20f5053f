"""The line in the chat above which messages reach the model only as a rolling summary."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.context.tables import SummaryRecord


def _rule(parent: QWidget) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    line.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    line.setStyleSheet("color: palette(mid);")
    return line


class SummaryDivider(QFrame):
    editSaved = Signal(int, str)
    regenerateRequested = Signal()

    def __init__(self, record: SummaryRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryDivider")
        self.record = record
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("summaryToggle")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setText(self.tr("Earlier messages summarized"))
        self.toggle.setToolTip(self.tr("Messages above this line reach the model only as this summary"))
        self.body = QFrame(self)
        self.body.setObjectName("summaryBody")
        self.text = QLabel(self.body)
        self.text.setObjectName("summaryText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel(self.body)
        self.meta.setObjectName("summaryMeta")
        self.meta.setEnabled(False)
        self.editor = QPlainTextEdit(self.body)
        self.editor.setObjectName("summaryEditor")
        self.editor.setMinimumHeight(110)
        self.editor.hide()
        self.edit_button = QToolButton(self.body)
        self.edit_button.setObjectName("editSummary")
        self.edit_button.setText(self.tr("Edit"))
        self.edit_button.setAutoRaise(True)
        self.regenerate_button = QToolButton(self.body)
        self.regenerate_button.setObjectName("regenerateSummary")
        self.regenerate_button.setText(self.tr("Regenerate"))
        self.regenerate_button.setAutoRaise(True)
        self.save_button = QPushButton(self.tr("Save"), self.body)
        self.save_button.setObjectName("saveSummary")
        self.cancel_button = QPushButton(self.tr("Cancel"), self.body)
        self.cancel_button.setObjectName("cancelSummaryEdit")
        self.save_button.hide()
        self.cancel_button.hide()

        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(_rule(self), 1)
        head.addWidget(self.toggle)
        head.addWidget(_rule(self), 1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.meta, 1)
        for button in (self.edit_button, self.regenerate_button, self.cancel_button, self.save_button):
            buttons.addWidget(button)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(14, 8, 14, 8)
        body.setSpacing(6)
        body.addWidget(self.text)
        body.addWidget(self.editor)
        body.addLayout(buttons)
        self.body.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.body)

        self.toggle.toggled.connect(self.set_expanded)
        self.edit_button.clicked.connect(self.begin_edit)
        self.cancel_button.clicked.connect(self.end_edit)
        self.save_button.clicked.connect(self._save)
        self.regenerate_button.clicked.connect(self._regenerate)
        self.set_record(record)

    def set_record(self, record: SummaryRecord) -> None:
        self.record = record
        self.text.setText(record.text)
        meta = self.tr("Summarized by %1").replace("%1", record.model)
        if record.edited:
            meta = self.tr("Edited by you")
        self.meta.setText(meta)
        self.regenerate_button.setEnabled(True)

    def set_expanded(self, expanded: bool) -> None:
        if self.toggle.isChecked() != expanded:
            self.toggle.setChecked(expanded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    def begin_edit(self) -> None:
        self.set_expanded(True)
        self.editor.setPlainText(self.record.text)
        self._editing(True)
        self.editor.setFocus()

    def end_edit(self) -> None:
        self._editing(False)

    def _editing(self, on: bool) -> None:
        self.editor.setVisible(on)
        self.text.setVisible(not on)
        self.save_button.setVisible(on)
        self.cancel_button.setVisible(on)
        self.edit_button.setVisible(not on)
        self.regenerate_button.setVisible(not on)

    def _save(self) -> None:
        text = self.editor.toPlainText().strip()
        if text:
            self.editSaved.emit(self.record.id, text)
        self.end_edit()

    def _regenerate(self) -> None:
        self.regenerate_button.setEnabled(False)
        self.meta.setText(self.tr("Summarizing again…"))
        self.regenerateRequested.emit()
