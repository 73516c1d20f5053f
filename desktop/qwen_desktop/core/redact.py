"""Keep API keys out of logs, error reports and files."""

from __future__ import annotations

import logging
import re
import traceback

MASK = "sk-***"

_KEY = re.compile(r"(?<![A-Za-z0-9])sk-[A-Za-z0-9_\-]{8,}")
_BEARER = re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?bearer\s+)[^\s\"',;}]+")
_API_KEY_FIELD = re.compile(r"(?i)([\"']?api[_-]?key[\"']?\s*[:=]\s*)([\"'])(?:\\.|(?!\2).)*\2")


_known: set[str] = set()
"""Keys this process has sent: hidden even where a server echoes them in an unusual shape."""


def remember_secret(secret: str) -> None:
    """Hide ``secret`` wherever it appears from now on, whatever its shape (at least 8 characters)."""
    if secret and len(secret) >= 8:
        _known.add(secret)


def redact(text: str) -> str:
    """Replace anything shaped like an API key, bearer token or ``api_key`` value with ``sk-***``."""
    if not text:
        return text
    for secret in tuple(_known):
        if secret in text:
            text = text.replace(secret, MASK)
    text = _KEY.sub(MASK, text)
    text = _BEARER.sub(lambda m: m.group(1) + MASK, text)
    return _API_KEY_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}{m.group(2)}", text)


def contains_secret(text: str) -> bool:
    return redact(text) != text


class RedactingFilter(logging.Filter):
    """Redacts a record in place: its message (with args merged in), exception and stack text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            if not record.exc_text:
                record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
