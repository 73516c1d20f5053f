"""Ctrl+Tab: the conversations opened most recently, newest first, as an editor's tabs switch."""

from __future__ import annotations

import time
from collections.abc import Callable

CYCLE_PAUSE_S = 1.5
"""Presses closer together than this walk further down the list instead of swapping back."""

MAX_REMEMBERED = 30


class RecentConversations:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._order: list[int] = []
        self._clock = clock
        self._cycle: list[int] | None = None
        self._position = 0
        self._last_press = -CYCLE_PAUSE_S
        self._landed: int | None = None

    @property
    def order(self) -> list[int]:
        if self._landed is not None and not self._cycling():
            self._commit(self._landed)
        return list(self._order)

    def opened(self, cid: int) -> None:
        """A conversation was shown; while cycling, the order waits until the cycle ends."""
        if self._cycling():
            self._landed = cid
        else:
            self._commit(cid)

    def forget(self, cid: int) -> None:
        self._order = [c for c in self._order if c != cid]
        if self._cycle is not None:
            self._cycle = [c for c in self._cycle if c != cid]
        if self._landed == cid:
            self._landed = None

    def step(self, current: int | None, forward: bool = True) -> int | None:
        """The conversation Ctrl+Tab (or Ctrl+Shift+Tab) goes to from ``current``."""
        if not self._cycling() or self._cycle is None:
            self._cycle = self.order
            self._position = self._cycle.index(current) if current in self._cycle else -1
        self._last_press = self._clock()
        others = [c for c in self._cycle if c != current]
        if not others:
            return None
        self._position = (self._position + (1 if forward else -1)) % len(self._cycle)
        if self._cycle[self._position] == current:
            self._position = (self._position + (1 if forward else -1)) % len(self._cycle)
        return self._cycle[self._position]

    def _cycling(self) -> bool:
        return self._clock() - self._last_press < CYCLE_PAUSE_S

    def _commit(self, cid: int) -> None:
        self._landed = None
        self._order = [cid, *(c for c in self._order if c != cid)][:MAX_REMEMBERED]
