"""Which stored messages go into the next request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from ..types import ContextPolicy, ConversationSettings, MessageStatus, Role, ToolCall, WireMessage

DEFAULT_LAST_N = 10


@dataclass(frozen=True)
class HistoryItem:
    """A stored message reduced to what the context policies need."""

    message_id: int
    role: Role
    content: str
    status: MessageStatus = MessageStatus.COMPLETE
    images: tuple[str, ...] = ()
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    image_sizes: tuple[tuple[int, int], ...] = ()
    """Images counted by their stored pixel size instead of carried (the meter's history reads no file)."""
    extra_tokens: int = 0
    """Tokens of text counted from a stored estimate instead of carried: earlier documents sent whole."""

    def wire(self) -> WireMessage:
        return WireMessage(self.role, self.content, self.images, self.tool_calls, self.tool_call_id)


@dataclass(frozen=True)
class BuiltContext:
    messages: tuple[WireMessage, ...]
    included_ids: tuple[int, ...]
    notes: dict[str, object] = field(default_factory=dict)


def usable_history(items: Sequence[HistoryItem]) -> list[HistoryItem]:
    """Drop empty replies; reasoning is never part of a HistoryItem to begin with.

    A reply's tool calls stay only when every call has its result, and a result only with its
    call, so trimming or an interrupted round never leaves half of a call on the wire.
    """
    answered = {item.tool_call_id for item in items if item.role is Role.TOOL}
    kept_calls: set[str] = set()
    usable: list[HistoryItem] = []
    for item in items:
        if item.role is Role.TOOL:
            if item.tool_call_id in kept_calls:
                usable.append(item)
            continue
        if item.role is Role.ASSISTANT and item.tool_calls:
            if all(call.id in answered for call in item.tool_calls):
                kept_calls.update(call.id for call in item.tool_calls)
                usable.append(item)
                continue
            item = replace(item, tool_calls=())
        if item.role in (Role.USER, Role.ASSISTANT) and (item.content.strip() or item.images or item.image_sizes):
            usable.append(item)
    return usable


def rounds(items: Sequence[HistoryItem]) -> list[list[HistoryItem]]:
    """Group into rounds, each starting at a user message."""
    groups: list[list[HistoryItem]] = []
    for item in items:
        if item.role is Role.USER or not groups:
            groups.append([item])
        else:
            groups[-1].append(item)
    return groups


def build_context(
    settings: ConversationSettings,
    history: Sequence[HistoryItem],
    new_message: WireMessage,
) -> BuiltContext:
    usable = usable_history(history)
    if settings.context_policy is ContextPolicy.LAST_N:
        n = int(settings.context_params.get("n", DEFAULT_LAST_N))
        kept = [item for group in rounds(usable)[-n:] if n > 0 for item in group]
    else:
        kept = usable
    messages: list[WireMessage] = []
    if settings.system_prompt.strip():
        messages.append(WireMessage(Role.SYSTEM, settings.system_prompt))
    messages.extend(item.wire() for item in kept)
    messages.append(new_message)
    return BuiltContext(tuple(messages), tuple(item.message_id for item in kept))


class ContextBuilder(Protocol):
    """What the engine asks before each request and tells after each completed round."""

    async def build(
        self, conversation_id: int, settings: ConversationSettings,
        history: Sequence[HistoryItem], new_message: WireMessage,
    ) -> BuiltContext: ...

    def round_completed(self, conversation_id: int, settings: ConversationSettings) -> None: ...


class SimpleContext:
    """Full history or the last N rounds, with nothing to prepare in the background."""

    async def build(
        self, conversation_id: int, settings: ConversationSettings,
        history: Sequence[HistoryItem], new_message: WireMessage,
    ) -> BuiltContext:
        return build_context(settings, history, new_message)

    def round_completed(self, conversation_id: int, settings: ConversationSettings) -> None:
        return None
