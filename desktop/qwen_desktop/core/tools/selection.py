"""Which tools a conversation has switched on, kept in ``context_params["tools"]``."""

from __future__ import annotations

from ..types import ConversationSettings

KEY = "tools"
MCP_PREFIX = "mcp:"


def enabled(settings: ConversationSettings) -> list[str]:
    raw = settings.context_params.get(KEY)
    return [str(item) for item in raw] if isinstance(raw, list) else []


def with_enabled(settings: ConversationSettings, ids: list[str]) -> ConversationSettings:
    params = dict(settings.context_params)
    if ids:
        params[KEY] = list(dict.fromkeys(ids))
    else:
        params.pop(KEY, None)
    return settings.with_(context_params=params)


def toggled(settings: ConversationSettings, tool_id: str, on: bool) -> ConversationSettings:
    current = [item for item in enabled(settings) if item != tool_id]
    return with_enabled(settings, [*current, tool_id] if on else current)


def mcp_id(server: str) -> str:
    return MCP_PREFIX + server
