"""Assemble tool calls that arrive as indexed pieces."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..types import ToolCall


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
