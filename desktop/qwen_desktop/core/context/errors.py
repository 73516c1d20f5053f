"""Why a request could not be built."""

from __future__ import annotations

from ..errors import QwenError


class ContextTooLongError(QwenError):
    kind = "context_too_long"
    sentence = (
        "This conversation no longer fits the model's input window: switch the context policy to "
        "last N rounds, rolling summary or retrieval."
    )


class MessageTooLongError(ContextTooLongError):
    kind = "message_too_long"
    sentence = "This message alone does not fit the model's input window: shorten it or attach less."
