"""The generation parameters of a conversation: each one either set or left to the model's default."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ...core.generation import SEED_MAX, GenerationParams


class _Optional(QWidget):
    """A number with a "Model default" box: checked, the parameter is not sent at all."""

    edited = Signal()

    def __init__(self, box: QSpinBox | QDoubleSpinBox, name: str, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = box
        box.setObjectName(name)
        box.setAccessibleName(name)
        box.setToolTip(tip)
        box.setKeyboardTracking(False)
        self.default = QCheckBox(self.tr("Model default"), self)
        self.default.setObjectName(name + "Default")
        self.default.setChecked(True)
        box.setEnabled(False)
        box.valueChanged.connect(self.edited)
        self.default.toggled.connect(self._toggled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(box)
        row.addWidget(self.default)
        row.addStretch(1)

    def _toggled(self, checked: bool) -> None:
        self.box.setEnabled(not checked)
        self.edited.emit()

    def value(self) -> float | int | None:
        if self.default.isChecked():
            return None
        value = self.box.value()
        return round(value, 3) if isinstance(self.box, QDoubleSpinBox) else int(value)

    def set_value(self, value: float | int | None) -> None:
        self.blockSignals(True)
        self.default.setChecked(value is None)
        self.box.setEnabled(value is not None)
        if value is not None:
            self.box.setValue(value)
        self.blockSignals(False)


def _double(low: float, high: float, step: float, start: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(2)
    box.setValue(start)
    return box


def _integer(low: int, high: int, step: int, start: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setValue(start)
    return box


class GenerationEditor(QWidget):
    """Top P, Top K, reply length, seed, penalties, stop sequences and JSON mode."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("generationParameters")
        self.top_p = _Optional(_double(0.01, 1.0, 0.05, 0.8), "topP",
                               self.tr("Sample only from the likeliest tokens whose chances add up to this"))
        self.top_k = _Optional(_integer(1, 1000, 5, 50), "topK",
                               self.tr("Sample only from this many likeliest tokens"))
        self.max_tokens = _Optional(_integer(1, 1_000_000, 256, 2048), "maxTokens",
                                    self.tr("The reply stops after this many tokens"))
        self.seed = _Optional(_integer(0, SEED_MAX, 1, 42), "seed",
                              self.tr("The same seed and question give the same reply more often"))
        self.presence_penalty = _Optional(_double(-2.0, 2.0, 0.1, 0.0), "presencePenalty",
                                          self.tr("Above 0 steers away from what was already said"))
        self.repetition_penalty = _Optional(_double(0.01, 2.0, 0.05, 1.05), "repetitionPenalty",
                                            self.tr("Above 1 makes repeating the same words less likely"))
        self.stop = QPlainTextEdit(self)
        self.stop.setObjectName("stopSequences")
        self.stop.setAccessibleName("stopSequences")
        self.stop.setToolTip(self.tr("The reply ends where it would write one of these (one per line)"))
        self.stop.setPlaceholderText(self.tr("One per line"))
        self.stop.setTabChangesFocus(True)
        self.stop.setFixedHeight(52)
        self.json_mode = QCheckBox(self.tr("JSON mode: the reply is a JSON object"), self)
        self.json_mode.setObjectName("jsonMode")
        self.reset = QPushButton(self.tr("Reset to model defaults"), self)
        self.reset.setObjectName("resetParameters")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Top P"), self.top_p)
        form.addRow(self.tr("Top K"), self.top_k)
        form.addRow(self.tr("Reply length limit"), self.max_tokens)
        form.addRow(self.tr("Seed"), self.seed)
        form.addRow(self.tr("Presence penalty"), self.presence_penalty)
        form.addRow(self.tr("Repetition penalty"), self.repetition_penalty)
        form.addRow(self.tr("Stop sequences"), self.stop)
        form.addRow(self.json_mode)
        form.addRow(self.reset)
        self._numbers = {"top_p": self.top_p, "top_k": self.top_k, "max_tokens": self.max_tokens,
                         "seed": self.seed, "presence_penalty": self.presence_penalty,
                         "repetition_penalty": self.repetition_penalty}
        for control in self._numbers.values():
            control.edited.connect(self.edited)
        self.json_mode.toggled.connect(self.edited)
        self.reset.clicked.connect(self._reset)

    def params(self) -> GenerationParams:
        stops = tuple(line for line in self.stop.toPlainText().split("\n") if line)
        return GenerationParams(**{name: control.value() for name, control in self._numbers.items()},
                                stop=stops, json_mode=self.json_mode.isChecked() and self.json_mode.isEnabled())

    def set_params(self, params: GenerationParams, *, thinking: bool, max_output: int | None) -> None:
        for name, control in self._numbers.items():
            control.set_value(getattr(params, name))
        if max_output:
            self.max_tokens.box.setMaximum(max_output)
        text = "\n".join(params.stop)
        if self.stop.toPlainText() != text:
            self.stop.setPlainText(text)
        self.json_mode.blockSignals(True)
        self.json_mode.setChecked(params.json_mode and not thinking)
        self.json_mode.setEnabled(not thinking)
        self.json_mode.setToolTip(
            self.tr("Only with thinking off, as the service requires; ask for JSON in the message too")
            if thinking else self.tr("The reply is a JSON object; ask for JSON in the message too"))
        self.json_mode.blockSignals(False)

    def _reset(self) -> None:
        for control in self._numbers.values():
            control.set_value(None)
        self.stop.clear()
        self.json_mode.setChecked(False)
        self.edited.emit()
