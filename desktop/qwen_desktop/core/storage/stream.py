"""In-memory buffer of streamed text waiting to be written."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

FLUSH_DELAY = 0.25
"""Seconds a streamed delta may wait in memory before the writer stores it."""
FLUSH_SIZE = 16_384
"""Characters waiting in memory that make a flush due at once (a fast, huge reply stays close)."""


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
        self._size = 0

    def add(self, mid: int, reasoning: str, content: str) -> bool:
        """Buffer a delta; True when the writer must look again: the buffer was empty (start a
        deadline) or it has just grown past ``FLUSH_SIZE`` (store now)."""
        with self._lock:
            pending = self._pending.setdefault(mid, PendingText())
            if reasoning:
                pending.reasoning.append(reasoning)
            if content:
                pending.content.append(content)
            before, self._size = self._size, self._size + len(reasoning) + len(content)
            first = self._since is None
            if first:
                self._since = time.monotonic()
            return first or (before < FLUSH_SIZE <= self._size)

    def take(self) -> dict[int, tuple[str, str]]:
        """Everything pending as ``{mid: (reasoning, content)}``, leaving the buffer empty."""
        with self._lock:
            pending, self._pending, self._since, self._size = self._pending, {}, None, 0
        return {mid: ("".join(p.reasoning), "".join(p.content)) for mid, p in pending.items()}

    def put_back(self, taken: dict[int, tuple[str, str]]) -> None:
        """Return deltas whose write failed, ahead of anything that arrived since."""
        with self._lock:
            for mid, (reasoning, content) in taken.items():
                later = self._pending.get(mid, PendingText())
                self._pending[mid] = PendingText([reasoning, *later.reasoning], [content, *later.content])
            # not counted towards FLUSH_SIZE: a write that keeps failing is retried on the delay,
            # not in a tight loop
            if self._pending and self._since is None:
                self._since = time.monotonic()

    def seconds_until_due(self) -> float | None:
        """None when nothing is pending; 0 when a flush is due now."""
        with self._lock:
            if self._since is None:
                return None
            if self._size >= FLUSH_SIZE:
                return 0.0
            return max(0.0, self._since + self._delay - time.monotonic())
