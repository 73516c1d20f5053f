"""Plain, immutable records the store hands out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role, Source, Usage

if TYPE_CHECKING:
    from qwen_desktop.core.storage.tree import Tree, Versions


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    settings: ConversationSettings
    pinned: bool
    created_at: float
    updated_at: float
    deleted_at: float | None
    title_locked: bool
    """The user named it, so automatic titles must leave it alone."""


@dataclass(frozen=True)
class ConversationSummary:
    """What one sidebar row shows."""

    id: int
    title: str
    model: str
    updated_at: float
    pinned: bool


@dataclass(frozen=True)
class DeletedConversation:
    """One row of the trash."""

    id: int
    title: str
    model: str
    updated_at: float
    deleted_at: float
    message_count: int


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: Role
    content: str
    reasoning: str
    attachments: list[dict[str, Any]]
    usage: Usage | None
    status: MessageStatus
    error: dict[str, Any] | None
    model: str | None
    created_at: float
    updated_at: float
    reasoning_ms: int | None
    context: dict[str, Any] | None
    meta: dict[str, Any]
    sources: tuple[Source, ...] = ()
    """Web pages the service's search used for this reply (native protocol only)."""
    parent_id: int | None = None
    """The message this one follows; messages with the same parent are versions of each other."""
    chosen: int = 0
    """Among versions, the highest is shown (then the newest)."""
    deleted_at: float | None = None


@dataclass(frozen=True)
class SearchHit:
    """One search result; ``snippet[match_start:match_end]`` is the matched text.

    ``message_id`` is None when the conversation's title matched.
    """

    conversation_id: int
    message_id: int | None
    title: str
    snippet: str
    match_start: int
    match_end: int


@dataclass(frozen=True)
class UsageRecord:
    """One finished reply's token usage, with where it was spent."""

    message_id: int
    created_at: float
    conversation_id: int
    conversation_title: str
    model: str
    region_id: str
    usage: Usage
    search_strategy: str | None = None


@dataclass(frozen=True)
class Thread:
    """A conversation as the user sees it: the chosen path, and versions where there are any."""

    messages: list[Message]
    versions: dict[int, Versions]
    tree: Tree


@dataclass(frozen=True)
class Outline:
    """A conversation's visible path without its text: ids and roles in path order, the ids of
    replies still streaming, and versions where there are any. Cheap at any length; the text is
    read page by page."""

    ids: list[int]
    roles: list[Role]
    streaming: frozenset[int]
    versions: dict[int, Versions]

    def ids_of(self, role: Role) -> list[int]:
        return [mid for mid, r in zip(self.ids, self.roles) if r is role]
