"""The tools one conversation may use: switched-on built-ins plus the tools of its MCP servers."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ..types import ConversationSettings
from .base import Tool
from .builtins import builtin_tools
from .consent import ConsentGate
from .mcp_bridge import McpHub
from .mcp_config import McpServerSpec
from .selection import MCP_PREFIX, enabled

log = logging.getLogger(__name__)

MAX_NAME = 64


class ToolBox:
    def __init__(
        self,
        builtins: Mapping[str, Tool] | None = None,
        hub: McpHub | None = None,
        gate: ConsentGate | None = None,
    ) -> None:
        self.builtins = dict(builtins if builtins is not None else builtin_tools())
        self.hub = hub or McpHub()
        self.gate = gate or ConsentGate()

    async def tools_for(self, settings: ConversationSettings) -> dict[str, Tool]:
        chosen: dict[str, Tool] = {}
        for tool_id in enabled(settings):
            if tool_id in self.builtins:
                chosen[tool_id] = self.builtins[tool_id]
            elif tool_id.startswith(MCP_PREFIX):
                for tool in await self._server_tools(tool_id[len(MCP_PREFIX):]):
                    chosen[tool.name] = tool
        return chosen

    async def _server_tools(self, server: str) -> list[Tool]:
        spec = self.hub.spec(server)
        if spec is None:
            return []
        if not spec.tools:
            try:
                spec = await self.hub.refresh_tools(server)
            except Exception as exc:  # noqa: BLE001 - the chat goes on without this server
                log.warning("MCP server %s offers no tools now: %s", server, exc)
                return []
        return [self._mcp_tool(spec, listed) for listed in spec.tools]

    def _mcp_tool(self, spec: McpServerSpec, listed: dict[str, Any]) -> Tool:
        remote = str(listed.get("name", ""))
        hub = self.hub

        async def run(arguments: dict[str, Any]) -> str:
            return await hub.call(spec.name, remote, arguments)

        schema = listed.get("input_schema") or {"type": "object", "properties": {}}
        return Tool(
            name=f"{spec.slug}__{remote}"[:MAX_NAME],
            description=str(listed.get("description") or remote),
            parameters=dict(schema),
            run=run,
            needs_consent=spec.ask_first,
            title=f"{remote} ({spec.name})",
            source=f"MCP server {spec.name}",
        )

    async def aclose(self) -> None:
        await self.hub.aclose()
