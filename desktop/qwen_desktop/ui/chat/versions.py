"""The ‹ 2 / 3 › switcher between versions of a reply or branches of an edited question."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from qwen_desktop.core.storage.tree import Versions
from qwen_desktop.ui.chat.footer import action_button, small_label


class VersionSwitcher(QWidget):
    """Hidden while there is one version; ``selected`` names the version to show."""

    selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("versionSwitcher")
        self.versions: Versions | None = None
        self.previous_button: QToolButton = action_button("‹", self.tr("Previous version"), self)
        self.previous_button.setObjectName("previousVersion")
        self.next_button: QToolButton = action_button("›", self.tr("Next version"), self)
        self.next_button.setObjectName("nextVersion")
        self.label: QLabel = small_label("", self, "versionLabel")
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.label)
        layout.addWidget(self.next_button)
        self.hide()

    def set_versions(self, versions: Versions | None) -> None:
        self.versions = versions
        if versions is None or versions.count < 2:
            self.hide()
            return
        self.label.setText(self.tr("%1 / %2").replace("%1", str(versions.index)).replace("%2", str(versions.count)))
        self.setToolTip(self.tr("Version %1 of %2").replace("%1", str(versions.index)).replace(
            "%2", str(versions.count)))
        self.previous_button.setEnabled(versions.neighbour(-1) is not None)
        self.next_button.setEnabled(versions.neighbour(1) is not None)
        self.show()

    def _step(self, step: int) -> None:
        target = self.versions.neighbour(step) if self.versions is not None else None
        if target is not None:
            self.selected.emit(target)
