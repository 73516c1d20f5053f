"""Asking the user before a tool touches files or runs a program.

The engine awaits a future; whoever shows the prompt resolves it with ``answer``. Nothing blocks:
the UI keeps running while a prompt waits. A prompt belongs to one conversation, one reply and
one call: the call id alone is the model's choice (often ``call_0``) and repeats across
conversations, so it never identifies a prompt by itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class Decision(StrEnum):
    ALLOW_ONCE = "allow_once"
    ALLOW_ALWAYS = "allow_always"
    DENY = "deny"


@dataclass(frozen=True)
class ConsentRequest:
    conversation_id: int
    message_id: int
    call_id: str
    tool: str
    subject: str
    """What the tool would touch (the real path of a file, links resolved), or empty when the tool
    as a whole is the subject."""
    identity: Hashable = None
    """What the subject was when the prompt was made (a file's device and inode), so the tool can
    refuse to act when it has changed since."""

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.conversation_id, self.tool, self.subject)

    @property
    def prompt(self) -> tuple[int, int, str]:
        """Which prompt this is: conversation, reply and call."""
        return (self.conversation_id, self.message_id, self.call_id)


Decider = Callable[[ConsentRequest], Decision]
PromptKey = tuple[int, int, str]


class ConsentGate:
    def __init__(self, decide: Decider | None = None) -> None:
        self._decide = decide
        self._always: set[tuple[int, str, str]] = set()
        self._pending: dict[PromptKey, asyncio.Future[Decision]] = {}

    def allowed(self, request: ConsentRequest) -> bool:
        return request.key in self._always

    def pending(self) -> list[PromptKey]:
        return list(self._pending)

    def open(self, request: ConsentRequest) -> asyncio.Future[Decision]:
        """A future for the user's answer, already resolved when no prompt is needed.

        A second prompt for the same conversation, reply and call while the first still waits
        (a model repeating a call id within one reply) is denied at once rather than left waiting.
        """
        future: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()
        if self.allowed(request):
            future.set_result(Decision.ALLOW_ALWAYS)
        elif self._decide is not None:
            future.set_result(self._decide(request))
        elif request.prompt in self._pending:
            log.warning("a second consent prompt for the same call was denied")
            future.set_result(Decision.DENY)
        else:
            self._pending[request.prompt] = future
        return future

    async def settle(self, request: ConsentRequest, future: asyncio.Future[Decision]) -> Decision:
        try:
            decision = await future
        finally:
            if self._pending.get(request.prompt) is future:
                del self._pending[request.prompt]
        if decision is Decision.ALLOW_ALWAYS:
            self._always.add(request.key)
        return decision

    def answer(self, which: ConsentRequest | PromptKey | str, decision: Decision) -> bool:
        """Resolve a waiting prompt; False when nothing waits for it (already answered, or unknown).

        ``which`` is the request (or its ``prompt`` key). A bare call id is accepted only while
        exactly one prompt with that id waits: when several do, it answers none of them.
        """
        if isinstance(which, ConsentRequest):
            key: PromptKey | None = which.prompt
        elif isinstance(which, tuple):
            key = which
        else:
            matches = [k for k in self._pending if k[2] == which]
            key = matches[0] if len(matches) == 1 else None
        future = self._pending.get(key) if key is not None else None
        if future is None or future.done():
            return False
        future.set_result(decision)
        return True

    def forget(self, conversation_id: int) -> None:
        self._always = {key for key in self._always if key[0] != conversation_id}
