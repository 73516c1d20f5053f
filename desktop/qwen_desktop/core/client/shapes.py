"""Reading the fields of a streamed chunk without trusting their types.

A server (or anything between it and the app) may send a number where text belongs, a list
where an object belongs, or nothing at all. Fields the reply depends on (text, finish reason,
tool calls) raise ``ProtocolError`` when they have the wrong type; usage figures, which only
inform, are dropped instead.
"""

from __future__ import annotations

from typing import Any

from .. import errors as e
from ..redact import redact
from ..types import Usage

MAX_SERVER_TEXT = 2000
"""Characters kept of a server's own error message (an HTML error page can be megabytes)."""


def obj(value: Any, request_id: str | None = None) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise e.ProtocolError(request_id=request_id)
    return value


def items(value: Any, request_id: str | None = None) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise e.ProtocolError(request_id=request_id)
    return value


def text(value: Any, request_id: str | None = None) -> str:
    """Streamed text: a string, or nothing; anything else is a reply this app cannot read."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise e.ProtocolError(request_id=request_id)
    return value


def optional_text(value: Any) -> str | None:
    """An identifier or reason that only labels the reply: kept when it is a short string."""
    if isinstance(value, str) and value and len(value) <= 200:
        return redact(value)
    return None


def reason(value: str) -> str:
    """A finish reason as stored: short, and redacted like any other text from the server."""
    return redact(value[:64])


def server_text(value: Any) -> str | None:
    """What a server said about an error, as text of bounded length (never a structure)."""
    if value is None or value == "":
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    elif not isinstance(value, str):
        value = repr(value)
    return value if len(value) <= MAX_SERVER_TEXT else value[:MAX_SERVER_TEXT] + "…"


def count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("not a count")
    if value != value or value < 0 or value > 1e12:
        raise TypeError("not a count")
    return int(value)


def usage(raw: Any, names: dict[str, str]) -> Usage | None:
    """Usage from ``raw`` using ``names`` for the four figures; None when any of it is malformed."""
    if not isinstance(raw, dict):
        return None
    try:
        details = raw.get(names["details"]) or {}
        prompt = raw.get(names["prompt_details"]) or {}
        if not isinstance(details, dict) or not isinstance(prompt, dict):
            return None
        return Usage(
            input_tokens=count(raw.get(names["input"]) or 0),
            output_tokens=count(raw.get(names["output"]) or 0),
            reasoning_tokens=count(details.get("reasoning_tokens") or 0),
            cached_tokens=count(prompt.get("cached_tokens") or raw.get("cached_tokens") or 0),
        )
    except TypeError:
        return None


def tool_index(value: Any, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1000:
        raise e.ProtocolError()
    return value
