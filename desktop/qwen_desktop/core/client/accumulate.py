"""Pieces both chat protocols read the same way: tool calls assembled from indexed pieces (and written
back into history), and usage blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..types import ToolCall, Usage, WireMessage
from ..websearch import search_calls
from . import shapes


@dataclass
class _Partial:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


class ToolCallAccumulator:
    def __init__(self) -> None:
        self._calls: dict[int, _Partial] = {}

    def add(self, index: int, call_id: str | None, name: str | None, arguments: str | None) -> None:
        part = self._calls.setdefault(index, _Partial())
        if call_id:
            part.id = call_id
        if name:
            part.name = name
        if arguments:
            part.arguments.append(arguments)

    def __bool__(self) -> bool:
        return bool(self._calls)

    def calls(self) -> tuple[ToolCall, ...]:
        return tuple(
            ToolCall(id=p.id or f"call_{i}", name=p.name, arguments="".join(p.arguments))
            for i, p in sorted(self._calls.items())
        )


def tool_fields(message: WireMessage) -> dict[str, Any]:
    """The tool-call parts of a history message; both protocols use the same shapes."""
    fields: dict[str, Any] = {}
    if message.tool_calls:
        fields["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls
        ]
    if message.tool_call_id:
        fields["tool_call_id"] = message.tool_call_id
    return fields


def cache_fields(usage: dict[str, Any], prompt: dict[str, Any], cached: int) -> dict[str, int]:
    """Explicit-cache figures of a usage block, the same on both protocols.

    ``cache_creation_input_tokens`` may sit in ``prompt_tokens_details`` or beside it; hits count
    as explicit when ``cache_type`` is ``ephemeral`` (Model Studio context-cache page).
    """
    creation = prompt.get("cache_creation_input_tokens", usage.get("cache_creation_input_tokens"))
    cache_type = prompt.get("cache_type", usage.get("cache_type"))
    return {
        "cache_creation_tokens": int(creation or 0),
        "explicit_cached_tokens": cached if cache_type == "ephemeral" else 0,
    }


def read_usage(raw: Any, *, input_key: str, output_key: str, details_key: str,
               cached_beside: bool = False) -> Usage | None:
    """A usage block under either protocol's names; None when it is not shaped like usage (it only
    informs). ``cached_beside``: the native protocol may also put ``cached_tokens`` at the top."""
    if not isinstance(raw, dict):
        return None
    try:
        details = raw.get(details_key) or {}
        prompt = raw.get("prompt_tokens_details") or {}
        cached_raw = prompt.get("cached_tokens") or (raw.get("cached_tokens") if cached_beside else 0)
        cached = shapes.count(cached_raw or 0)
        return Usage(
            input_tokens=shapes.count(raw.get(input_key) or 0),
            output_tokens=shapes.count(raw.get(output_key) or 0),
            reasoning_tokens=shapes.count(details.get("reasoning_tokens") or 0),
            cached_tokens=cached,
            **cache_fields(raw, prompt, cached),
            search_calls=search_calls(raw),
        )
    except (TypeError, ValueError, AttributeError, OverflowError):
        return None
