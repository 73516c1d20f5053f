"""Which stored messages go into the next request, and what prepares them in the background."""

from .errors import ContextTooLongError, MessageTooLongError
from .history import (
    DEFAULT_LAST_N, BuiltContext, ContextBuilder, HistoryItem, SimpleContext, build_context, rounds,
    usable_history,
)
from .manager import ContextManager, ContextMeter
from .params import ContextParams
from .policies import ContextInputs, SummaryView, plan_context

__all__ = [
    "DEFAULT_LAST_N",
    "BuiltContext",
    "ContextBuilder",
    "ContextInputs",
    "ContextManager",
    "ContextMeter",
    "ContextParams",
    "ContextTooLongError",
    "HistoryItem",
    "MessageTooLongError",
    "SimpleContext",
    "SummaryView",
    "build_context",
    "plan_context",
    "rounds",
    "usable_history",
]
