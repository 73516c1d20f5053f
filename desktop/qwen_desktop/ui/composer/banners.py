"""Slim bars above the composer that explain a state and offer its way out."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

VISION_DEFAULT = "qwen3-vl-plus"


class EditBanner(QWidget):
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editBanner")
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 4, 14, 0)
        label = QLabel(self.tr("Editing a message: sending replaces it and every reply after it."),
                       self)
        cancel = QToolButton(self)
        cancel.setText(self.tr("Cancel"))
        cancel.setAutoRaise(True)
        cancel.clicked.connect(self.cancelled)
        row.addWidget(label, 1)
        row.addWidget(cancel)
        self.hide()



class VisionBanner(QWidget):
    """Offered when images go to a model that cannot see them: switch model, or drop the images."""

    switchRequested = Signal(str)
    removeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visionBanner")
        self._model = VISION_DEFAULT
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.switch_button = QToolButton(self)
        self.switch_button.setObjectName("switchToVision")
        self.switch_button.clicked.connect(lambda: self.switchRequested.emit(self._model))
        remove = QToolButton(self)
        remove.setObjectName("removeImages")
        remove.setText(self.tr("Remove the images"))
        remove.clicked.connect(self.removeRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 4, 14, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.switch_button)
        row.addWidget(remove)
        self.hide()

    def offer(self, model: str, suggestion: str) -> None:
        self._model = suggestion
        self.label.setText(self.tr("%1 cannot see images.").replace("%1", model))
        self.switch_button.setText(self.tr("Switch to %1 and send").replace("%1", suggestion))
        self.show()
