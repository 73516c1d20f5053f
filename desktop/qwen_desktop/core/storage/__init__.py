"""Conversation storage: one SQLite file, reads on any thread, writes on one writer thread."""

from qwen_desktop.core.storage.errors import (
    DatabaseBusyError,
    DatabaseCorruptError,
    DatabaseIOError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
    DiskFullError,
    ForeignDatabaseError,
    NotFoundError,
    StoreClosedError,
)
from qwen_desktop.core.storage.models import (
    Conversation, ConversationSummary, DeletedConversation, Message, Outline, SearchHit, Thread,
)
from qwen_desktop.core.storage.schema import CURRENT_VERSION
from qwen_desktop.core.storage.search import SearchCancelled
from qwen_desktop.core.storage.store import Store

__all__ = [
    "CURRENT_VERSION",
    "Conversation",
    "ConversationSummary",
    "DeletedConversation",
    "DatabaseBusyError",
    "DatabaseCorruptError",
    "DatabaseIOError",
    "DatabaseReadOnlyError",
    "DatabaseTooNewError",
    "DiskFullError",
    "ForeignDatabaseError",
    "Message",
    "NotFoundError",
    "Outline",
    "SearchCancelled",
    "SearchHit",
    "Store",
    "StoreClosedError",
    "Thread",
]
