"""Asking the user before a tool touches files or runs a program.

The engine awaits a future; whoever shows the prompt resolves it with ``answer``. Nothing blocks:
the UI keeps running while a prompt waits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Decision(StrEnum):
    ALLOW_ONCE = "allow_once"
    ALLOW_ALWAYS = "allow_always"
    DENY = "deny"


@dataclass(frozen=True)
class ConsentRequest:
    conversation_id: int
    call_id: str
    tool: str
    subject: str
    """What the tool would touch (a file path), or empty when the tool as a whole is the subject."""

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.conversation_id, self.tool, self.subject)


Decider = Callable[[ConsentRequest], Decision]


class ConsentGate:
    def __init__(self, decide: Decider | None = None) -> None:
        self._decide = decide
        self._always: set[tuple[int, str, str]] = set()
        self._pending: dict[str, asyncio.Future[Decision]] = {}

    def allowed(self, request: ConsentRequest) -> bool:
        return request.key in self._always

    def pending(self) -> list[str]:
        return list(self._pending)

    def open(self, request: ConsentRequest) -> asyncio.Future[Decision]:
        """A future for the user's answer, already resolved when no prompt is needed."""
        future: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()
        if self.allowed(request):
            future.set_result(Decision.ALLOW_ALWAYS)
        elif self._decide is not None:
            future.set_result(self._decide(request))
        else:
            self._pending[request.call_id] = future
        return future

    async def settle(self, request: ConsentRequest, future: asyncio.Future[Decision]) -> Decision:
        try:
            decision = await future
        finally:
            self._pending.pop(request.call_id, None)
        if decision is Decision.ALLOW_ALWAYS:
            self._always.add(request.key)
        return decision

    def answer(self, call_id: str, decision: Decision) -> bool:
        """Resolve a waiting prompt; False when nothing waits for this call (already answered)."""
        future = self._pending.get(call_id)
        if future is None or future.done():
            return False
        future.set_result(decision)
        return True

    def forget(self, conversation_id: int) -> None:
        self._always = {key for key in self._always if key[0] != conversation_id}
