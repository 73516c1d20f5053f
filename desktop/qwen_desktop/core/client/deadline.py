"""The idle and total deadlines of one streamed reply, kept by one lazily re-armed timer.

A fast stream delivers thousands of events a second. Arming a timer around each wait
(``asyncio.timeout``) costs a timer set and cancelled per event, on the Qt event loop a Qt timer
started and killed; here one timer is armed for the earliest moment a deadline could pass and,
when it fires, either ends the wait under way or is armed again for the new earliest moment.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


class StreamDeadline:
    """``await deadline.wait(awaitable)`` raises ``TimeoutError`` when the wait goes past ``idle``
    seconds, or past ``total_end`` (a ``loop.time()`` value). Only time spent waiting counts
    toward ``idle``, not time the caller spends between waits."""

    def __init__(self, idle: float, total_end: float) -> None:
        self._loop = asyncio.get_running_loop()
        self._idle = idle
        self._total_end = total_end
        self._waiting_since: float | None = None
        self._task: asyncio.Task[object] | None = None
        self._fired = False
        self._handle: asyncio.TimerHandle | None = None
        self.expired = False

    def left(self) -> float:
        """Seconds left of the total deadline."""
        return self._total_end - self._loop.time()

    async def wait(self, awaitable: Awaitable[T]) -> T:
        now = self._loop.time()
        if now >= self._total_end:
            self.expired = True
            close = getattr(awaitable, "close", None)
            if close is not None:
                close()
            raise TimeoutError
        self._waiting_since = now
        self._task = asyncio.current_task()
        if self._handle is None:
            self._handle = self._loop.call_at(min(now + self._idle, self._total_end), self._check)
        try:
            return await awaitable
        except asyncio.CancelledError:
            if self._take_fired() == 0:
                raise TimeoutError from None
            raise
        except BaseException:
            self._take_fired()
            raise
        finally:
            self._waiting_since = None

    def _take_fired(self) -> int:
        """Undo this timer's cancellation of the task; the cancellations still pending (0: it was
        only this one), or -1 when the timer did not cancel."""
        if not self._fired or self._task is None:
            return -1
        self._fired = False
        return self._task.uncancel()

    def _check(self) -> None:
        self._handle = None
        now = self._loop.time()
        since = self._waiting_since
        if since is None:
            # A wait that starts from now on ends no earlier than now + idle.
            if now < self._total_end:
                self._handle = self._loop.call_at(min(now + self._idle, self._total_end), self._check)
            return
        due = min(since + self._idle, self._total_end)
        if now < due:
            self._handle = self._loop.call_at(due, self._check)
            return
        self.expired = True
        self._fired = True
        if self._task is not None:
            self._task.cancel()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
