"""Settings tab for MCP servers: add stdio or HTTP servers, connect to list their tools.

Environment values are stored in the system keyring (service ``qwen-desktop-mcp``), never in
the config file; without a usable keyring the page says so and keeps only the names.
"""

from __future__ import annotations

import asyncio
import shlex

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qwen_desktop.core import errors as e
from qwen_desktop.core.services import Services
from qwen_desktop.core.tools import McpSecrets, McpServerSpec, specs_to_config


def parse_env(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs if key.strip()}


class McpPage(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mcpPage")
        self._services = services
        self._secrets = McpSecrets()
        self._tasks: set[asyncio.Future[None]] = set()
        self.servers = QListWidget(self)
        self.servers.setObjectName("mcpServerList")
        self.servers.currentRowChanged.connect(self._show)
        self.name = QLineEdit(self)
        self.name.setObjectName("mcpName")
        self.transport = QComboBox(self)
        self.transport.setObjectName("mcpTransport")
        self.transport.addItem(self.tr("Program (stdio)"), "stdio")
        self.transport.addItem(self.tr("HTTP (streamable)"), "http")
        self.command = QLineEdit(self)
        self.command.setObjectName("mcpCommand")
        self.command.setPlaceholderText(self.tr("e.g. npx -y @modelcontextprotocol/server-filesystem ~/notes"))
        self.url = QLineEdit(self)
        self.url.setObjectName("mcpUrl")
        self.url.setPlaceholderText("http://127.0.0.1:8000/mcp")
        self.env = QPlainTextEdit(self)
        self.env.setPlaceholderText(self.tr("NAME=value, one a line (kept in the system keyring)"))
        self.env.setMaximumHeight(70)
        self.ask_first = QCheckBox(self.tr("Ask before each tool call"), self)
        self.ask_first.setObjectName("mcpAskFirst")
        self.ask_first.setChecked(True)
        self.status = QLabel(self)
        self.status.setObjectName("mcpStatus")
        self.status.setWordWrap(True)
        save = QPushButton(self.tr("Save server"), self)
        save.setObjectName("mcpSave")
        save.clicked.connect(self._save)
        remove = QPushButton(self.tr("Remove"), self)
        remove.setObjectName("mcpRemove")
        remove.clicked.connect(self._remove)
        self.connect_button = QPushButton(self.tr("Connect and list tools"), self)
        self.connect_button.setObjectName("mcpConnect")
        self.connect_button.clicked.connect(self._connect)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Kind"), self.transport)
        form.addRow(self.tr("Command"), self.command)
        form.addRow(self.tr("URL"), self.url)
        form.addRow(self.tr("Environment"), self.env)
        form.addRow("", self.ask_first)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        buttons.addWidget(self.connect_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("MCP servers start when a conversation first uses them "
                                         "and stop when the app quits."), self))
        layout.addWidget(self.servers, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._reload()

    def _specs(self) -> list[McpServerSpec]:
        return self._services.tools.hub.specs()

    def _reload(self, select: str | None = None) -> None:
        self.servers.clear()
        for spec in self._specs():
            tools = ", ".join(str(t.get("name")) for t in spec.tools) or self.tr("tools not listed yet")
            self.servers.addItem(f"{spec.name} — {spec.describe()}\n    {tools}")
        names = [spec.name for spec in self._specs()]
        if select in names:
            self.servers.setCurrentRow(names.index(select))

    def _show(self, row: int) -> None:
        specs = self._specs()
        if not 0 <= row < len(specs):
            return
        spec = specs[row]
        self.name.setText(spec.name)
        self.transport.setCurrentIndex(self.transport.findData(spec.transport))
        self.command.setText(shlex.join([spec.command, *spec.args]) if spec.command else "")
        self.url.setText(spec.url)
        self.env.setPlainText("\n".join(f"{name}=" for name in spec.env_names))
        self.ask_first.setChecked(spec.ask_first)

    def _save(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.status.setText(self.tr("Give the server a name first."))
            return
        try:
            words = shlex.split(self.command.text())
        except ValueError:
            self.status.setText(self.tr("The command has an unclosed quote."))
            return
        env = parse_env(self.env.toPlainText())
        filled = {key: value for key, value in env.items() if value}
        spec = McpServerSpec(
            name=name, transport=self.transport.currentData(), command=words[0] if words else "",
            args=tuple(words[1:]), url=self.url.text().strip(), env_names=tuple(env),
            ask_first=self.ask_first.isChecked(),
        )
        message = self.tr("Saved.")
        if filled:
            try:
                self._secrets.set_env(name, filled)
            except e.KeyringUnavailableError:
                message = self.tr("Saved, but the environment values were not: no system keyring "
                                  "can keep them. Set them in the environment that starts the app.")
        specs = [s for s in self._specs() if s.name != name] + [spec]
        self._apply(specs, select=name)
        self.status.setText(message)

    def _remove(self) -> None:
        row = self.servers.currentRow()
        specs = self._specs()
        if 0 <= row < len(specs):
            self._apply([s for i, s in enumerate(specs) if i != row])

    def _apply(self, specs: list[McpServerSpec], select: str | None = None) -> None:
        specs_to_config(self._services.config.extra, specs)
        self._services.save_config()
        self._run(self._services.tools.hub.set_specs(specs))
        self._reload(select)

    def _connect(self) -> None:
        row = self.servers.currentRow()
        specs = self._specs()
        if not 0 <= row < len(specs):
            self.status.setText(self.tr("Pick a server first."))
            return
        name = specs[row].name
        self.status.setText(self.tr("Connecting to %1…").replace("%1", name))
        self._run(self._list_tools(name))

    async def _list_tools(self, name: str) -> None:
        try:
            spec = await self._services.tools.hub.refresh_tools(name)
        except e.QwenError as error:
            self.status.setText(error.sentence)
            return
        specs_to_config(self._services.config.extra, self._specs())
        self._services.save_config()
        self.status.setText(self.tr("%1 offers %2 tools.").replace("%1", name).replace("%2", str(len(spec.tools))))
        self._reload(name)

    def _run(self, coroutine: object) -> None:
        task = asyncio.ensure_future(coroutine)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
