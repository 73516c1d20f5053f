"""What the assistants need from the window that holds them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

from ...core.types import ConversationSettings


@dataclass(frozen=True)
class AssistantHost:
    """What the assistants need from the window, passed in by the window."""

    parent: QWidget
    store: Any
    catalog: Any
    regions: Any
    defaults: Callable[[], ConversationSettings]
    """The settings a new conversation starts from before any assistant (Settings' defaults)."""
    language: Callable[[], str]
    current_id: Callable[[], int | None]
    """The open conversation's id; None while a new one is not yet sent."""
    current_settings: Callable[[], ConversationSettings]
    change_settings: Callable[[ConversationSettings], None]
    """Applies settings to the open conversation as if the user had chosen them."""
    start_conversation: Callable[[ConversationSettings], None]
    """Shows a new, empty conversation with these settings."""
    show_notice: Callable[[str], None]
    tool_servers: Callable[[], list[str]] = list
    """The MCP servers whose tools an assistant may switch on (as in the conversation bar)."""
    listed_models: Callable[[str], Any] = lambda _region: None
    """The models a region was last seen to serve (``ModelList``), for the editor's model list."""
