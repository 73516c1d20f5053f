"""In-memory buffer of streamed text waiting to be written."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

FLUSH_DELAY = 0.25
"""Seconds a streamed delta may wait in memory before the writer stores it."""


@dataclass
class PendingText:
    reasoning: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)


class StreamBuffer:
    """Deltas per message id; thread-safe, O(1) per append."""

    def __init__(self, delay: float = FLUSH_DELAY) -> None:
        self._delay = delay
        self._lock = threading.Lock()
        self._pending: dict[int, PendingText] = {}
        self._since: float | None = None

    def add(self, mid: int, reasoning: str, content: str) -> bool:
        """Buffer a delta; True when the buffer was empty, so the writer must start a deadline."""
        with self._lock:
            pending = self._pending.setdefault(mid, PendingText())
            if reasoning:
                pending.reasoning.append(reasoning)
            if content:
                pending.content.append(content)
            first = self._since is None
            if first:
                self._since = time.monotonic()
            return first

    def take(self) -> dict[int, tuple[str, str]]:
        """Everything pending as ``{mid: (reasoning, content)}``, leaving the buffer empty."""
        with self._lock:
            pending, self._pending, self._since = self._pending, {}, None
        return {mid: ("".join(p.reasoning), "".join(p.content)) for mid, p in pending.items()}

    def put_back(self, taken: dict[int, tuple[str, str]]) -> None:
        """Return deltas whose write failed, ahead of anything that arrived since."""
        with self._lock:
            for mid, (reasoning, content) in taken.items():
                later = self._pending.get(mid, PendingText())
                self._pending[mid] = PendingText([reasoning, *later.reasoning], [content, *later.content])
            if self._pending and self._since is None:
                self._since = time.monotonic()

    def seconds_until_due(self) -> float | None:
        """None when nothing is pending; 0 when a flush is due now."""
        with self._lock:
            if self._since is None:
                return None
            return max(0.0, self._since + self._delay - time.monotonic())
