"""Server-kept history for the Responses protocol, and its built-in tools per conversation.

A reply made over the Responses API keeps the service's response id in its ``meta`` together with
a digest of the history it closes (every message up to and including the reply, and the system
prompt). The next request chains from that response only when the history it would send still
digests the same: an edit, a regenerated reply, another branch or a new system prompt all change
the digest, and the request then carries the history the context policy builds instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .types import ConversationSettings, MessageStatus, Protocol, Role, stored_tool_calls

if TYPE_CHECKING:
    from .storage import Message

SERVER_TOOLS = ("web_search", "web_extractor", "code_interpreter")
KEY = "server_tools"
META = "response"
CHAIN_LOST_NOTICE = (
    "The service no longer kept the earlier turns (their response expired or was deleted), "
    "so this request carried the history again, as the context policy built it."
)


def server_tools(settings: ConversationSettings) -> tuple[str, ...]:
    """The service's own tools switched on for this conversation (Responses protocol only)."""
    raw = settings.context_params.get(KEY)
    chosen = [str(t) for t in raw] if isinstance(raw, list) else []
    return tuple(t for t in SERVER_TOOLS if t in chosen)


def with_server_tool(settings: ConversationSettings, tool: str, on: bool) -> ConversationSettings:
    if tool not in SERVER_TOOLS:
        raise ValueError(f"unknown service tool {tool!r}")
    chosen = [t for t in server_tools(settings) if t != tool] + ([tool] if on else [])
    params = dict(settings.context_params)
    if chosen:
        params[KEY] = [t for t in SERVER_TOOLS if t in chosen]
    else:
        params.pop(KEY, None)
    return settings.with_(context_params=params)


def history_digest(messages: Sequence[Message], system_prompt: str) -> str:
    """What the service holds after a reply, as one hash: ids, roles, text and tool calls."""
    hasher = hashlib.sha256(system_prompt.strip().encode())
    for message in messages:
        calls = [(c.id, c.name, c.arguments) for c in stored_tool_calls(message.meta)]
        record = [message.id, message.role.value, message.content, message.meta.get("tool_call_id"), calls]
        hasher.update(json.dumps(record, ensure_ascii=False).encode())
    return hasher.hexdigest()


@dataclass(frozen=True)
class Chain:
    """Where the next request continues on the service's side."""

    response_id: str
    held_ids: tuple[int, ...]


def chain_for(settings: ConversationSettings, history: Sequence[Message]) -> Chain | None:
    """The response to chain from, when the stored history about to be sent is exactly what it holds."""
    if settings.protocol is not Protocol.RESPONSES or not history:
        return None
    last = history[-1]
    if last.role is not Role.ASSISTANT or last.status is not MessageStatus.COMPLETE:
        return None
    kept = last.meta.get(META)
    if not isinstance(kept, dict) or not kept.get("id"):
        return None
    if kept.get("digest") != history_digest(history, settings.system_prompt):
        return None
    return Chain(str(kept["id"]), tuple(message.id for message in history))


def kept_record(response_id: str, history: Sequence[Message], system_prompt: str) -> dict[str, str]:
    return {"id": response_id, "digest": history_digest(history, system_prompt)}


def markdown_server_tools(meta: Mapping[str, Any] | None) -> list[str]:
    """The service's tool calls of a reply, for a Markdown export: what was asked, what came back."""
    lines: list[str] = []
    for call in (meta or {}).get("server_tools") or ():
        if not isinstance(call, dict):
            continue
        lines += [f"> **{call.get('title') or call.get('name')}**", ">"]
        for label, key in (("Asked", "arguments"), ("Result", "result")):
            text = str(call.get(key) or "").strip()
            if text:
                lines += [f"> {label}:", ">", *(f">     {line}" for line in text.splitlines()), ">"]
        if call.get("error"):
            lines += [f"> Error: {call['error']}", ">"]
        lines[-1:] = [""]
    return lines


def next_chain(store: Any, settings: ConversationSettings, conversation_id: int) -> Chain | None:
    """Whether the next request in this conversation would continue on the service's side."""
    if settings.protocol is not Protocol.RESPONSES or not conversation_id:
        return None
    messages = [m for m in store.messages(conversation_id) if m.status is not MessageStatus.STREAMING]
    return chain_for(settings, messages)
