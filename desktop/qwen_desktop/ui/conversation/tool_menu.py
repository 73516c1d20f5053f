"""The "Tools" button of the conversation bar: which tools this conversation may use."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from qwen_desktop.core.tools import CALCULATOR, CLOCK, READ_FILE, mcp_id

SERVICE = "service:"
SERVICE_LABELS = (
    ("web_search", QT_TRANSLATE_NOOP("ToolsButton", "Web search")),
    ("web_extractor", QT_TRANSLATE_NOOP("ToolsButton", "Web extractor (reads the pages it finds)")),
    ("code_interpreter", QT_TRANSLATE_NOOP("ToolsButton", "Code interpreter")),
)

BUILTIN_LABELS = (
    (CLOCK, QT_TRANSLATE_NOOP("ToolsButton", "Date and time")),
    (CALCULATOR, QT_TRANSLATE_NOOP("ToolsButton", "Calculator")),
    (READ_FILE, QT_TRANSLATE_NOOP("ToolsButton", "Read a local file (asks first)")),
)


class ToolsButton(QToolButton):
    toolToggled = Signal(str, bool)
    serviceToolToggled = Signal(str, bool)
    """One of the service's own tools (Responses protocol) switched on or off."""

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
        self._service: list[str] | None = None
        self._rebuild()

    def set_servers(self, names: list[str]) -> None:
        self._servers = list(names)
        self._rebuild()

    def set_service_tools(self, enabled: list[str] | None) -> None:
        """The service's own tools on, or None when the protocol has none (they are hidden then)."""
        shown = enabled is not None
        if shown != (self._service is not None):
            self._service = list(enabled) if enabled is not None else None
            self._rebuild()
        self._service = list(enabled) if enabled is not None else None
        self.set_enabled(self._enabled)

    def set_enabled(self, ids: list[str]) -> None:
        self._enabled = list(ids)
        chosen = set(self._enabled) | {SERVICE + t for t in self._service or ()}
        for action in self._menu.actions():
            if action.isCheckable():
                action.blockSignals(True)
                action.setChecked(action.data() in chosen)
                action.blockSignals(False)
        self._label()

    def _label(self) -> None:
        count = len(self._enabled) + len(self._service or ())
        self.setText(self.tr("Tools") + (f" ({count})" if count else ""))

    def _rebuild(self) -> None:
        self._menu.clear()
        for tool_id, label in BUILTIN_LABELS:
            self._add(tool_id, QCoreApplication.translate("ToolsButton", label))
        if self._servers:
            self._menu.addSection(self.tr("MCP servers"))
        for name in self._servers:
            self._add(mcp_id(name), name)
        if self._service is not None:
            self._menu.addSection(self.tr("Run by the service (Responses API)"))
            for tool, label in SERVICE_LABELS:
                action = self._add(SERVICE + tool, QCoreApplication.translate("ToolsButton", label))
                action.toggled.disconnect()
                action.toggled.connect(lambda on, t=tool: self.serviceToolToggled.emit(t, on))
        self._label()

    def _add(self, tool_id: str, label: str) -> QAction:
        action = self._menu.addAction(label)
        action.setCheckable(True)
        action.setChecked(tool_id in self._enabled)
        action.setData(tool_id)
        action.toggled.connect(lambda on, t=tool_id: self.toolToggled.emit(t, on))
        return action
