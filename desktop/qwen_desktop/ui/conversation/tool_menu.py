"""The "Tools" button of the conversation bar: which tools this conversation may use."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from qwen_desktop.core.tools import CALCULATOR, CLOCK, READ_FILE, mcp_id

BUILTIN_LABELS = (
    (CLOCK, QT_TRANSLATE_NOOP("ToolsButton", "Date and time")),
    (CALCULATOR, QT_TRANSLATE_NOOP("ToolsButton", "Calculator")),
    (READ_FILE, QT_TRANSLATE_NOOP("ToolsButton", "Read a local file (asks first)")),
)


class ToolsButton(QToolButton):
    toolToggled = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolsButton")
        self.setAccessibleName("toolsButton")
        self.setToolTip(self.tr("Tools the model may call in this conversation"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._menu = QMenu(self)
        self.setMenu(self._menu)
        self._servers: list[str] = []
        self._enabled: list[str] = []
        self._rebuild()

    def set_servers(self, names: list[str]) -> None:
        self._servers = list(names)
        self._rebuild()

    def set_enabled(self, ids: list[str]) -> None:
        self._enabled = list(ids)
        for action in self._menu.actions():
            if action.isCheckable():
                action.blockSignals(True)
                action.setChecked(action.data() in self._enabled)
                action.blockSignals(False)
        self._label()

    def _label(self) -> None:
        count = len(self._enabled)
        self.setText(self.tr("Tools") + (f" ({count})" if count else ""))

    def _rebuild(self) -> None:
        self._menu.clear()
        for tool_id, label in BUILTIN_LABELS:
            self._add(tool_id, QCoreApplication.translate("ToolsButton", label))
        if self._servers:
            self._menu.addSection(self.tr("MCP servers"))
        for name in self._servers:
            self._add(mcp_id(name), name)
        self._label()

    def _add(self, tool_id: str, label: str) -> None:
        action = self._menu.addAction(label)
        action.setCheckable(True)
        action.setChecked(tool_id in self._enabled)
        action.setData(tool_id)
        action.toggled.connect(lambda on, t=tool_id: self.toolToggled.emit(t, on))
