"""MCP servers the user added: where they run, and the tools they offered at the last connect.

Environment values often hold tokens, so they live in the system keyring (service
``qwen-desktop-mcp``, one JSON entry per server); the config file keeps only their names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import keyring

from ..secrets import KeyStore

SECRET_SERVICE = "qwen-desktop-mcp"
Transport = Literal["stdio", "http"]
_NAME = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class McpServerSpec:
    name: str
    transport: Transport = "stdio"
    command: str = ""
    args: tuple[str, ...] = ()
    url: str = ""
    env_names: tuple[str, ...] = ()
    ask_first: bool = True
    tools: tuple[dict[str, Any], ...] = field(default=(), compare=False)
    """name, description and input_schema of each tool, as listed at the last connect."""

    @property
    def slug(self) -> str:
        return _NAME.sub("_", self.name).strip("_")[:24] or "server"

    def describe(self) -> str:
        if self.transport == "http":
            return self.url
        return " ".join([self.command, *self.args])

    def with_tools(self, tools: list[dict[str, Any]]) -> McpServerSpec:
        return replace(self, tools=tuple(tools))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "transport": self.transport, "command": self.command,
            "args": list(self.args), "url": self.url, "env_names": list(self.env_names),
            "ask_first": self.ask_first, "tools": list(self.tools),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> McpServerSpec:
        transport: Transport = "http" if data.get("transport") == "http" else "stdio"
        return cls(
            name=str(data.get("name") or "server"),
            transport=transport,
            command=str(data.get("command") or ""),
            args=tuple(str(a) for a in data.get("args") or ()),
            url=str(data.get("url") or ""),
            env_names=tuple(str(n) for n in data.get("env_names") or ()),
            ask_first=bool(data.get("ask_first", True)),
            tools=tuple(t for t in data.get("tools") or () if isinstance(t, dict)),
        )


def specs_from_config(extra: dict[str, Any]) -> list[McpServerSpec]:
    raw = extra.get("mcp_servers")
    if not isinstance(raw, list):
        return []
    return [McpServerSpec.from_json(item) for item in raw if isinstance(item, dict)]


def specs_to_config(extra: dict[str, Any], specs: list[McpServerSpec]) -> None:
    extra["mcp_servers"] = [spec.to_json() for spec in specs]


class McpSecrets(KeyStore):
    """Environment values of MCP servers in the keyring; raises KeyringUnavailableError without one."""

    def __init__(self, service: str = SECRET_SERVICE) -> None:
        super().__init__(service, env={})

    def env(self, server: str) -> dict[str, str]:
        raw = self._call(keyring.get_password, self.service, server)
        try:
            value = json.loads(raw) if raw else {}
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

    def set_env(self, server: str, env: dict[str, str]) -> None:
        if not env:
            self.delete(server)
            return
        self._call(keyring.set_password, self.service, server, json.dumps(env))
