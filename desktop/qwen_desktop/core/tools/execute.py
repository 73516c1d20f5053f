"""Running one round of tool calls: consent, execution, and a stored ``tool`` message per call."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass

from ..storage import Store
from ..types import Role, ToolCall, WireMessage
from .base import Tool, ToolError, parse_arguments
from .consent import ConsentGate, ConsentRequest, Decision

log = logging.getLogger(__name__)

MAX_RESULT_CHARS = 100_000
DECLINED = "The user declined to run this tool call."


@dataclass(frozen=True)
class ToolCallStarted:
    message_id: int
    call: ToolCall
    title: str


@dataclass(frozen=True)
class ToolConsentRequested:
    message_id: int
    call: ToolCall
    request: ConsentRequest


@dataclass(frozen=True)
class ToolCallFinished:
    message_id: int
    call: ToolCall
    result: str
    error: str | None
    duration_ms: int
    denied: bool = False


ToolEvent = ToolCallStarted | ToolConsentRequested | ToolCallFinished


@dataclass
class _Outcome:
    text: str = ""
    error: str | None = None
    denied: bool = False


async def run_calls(
    *,
    tools: Mapping[str, Tool],
    gate: ConsentGate,
    store: Store,
    conversation_id: int,
    message_id: int,
    calls: Sequence[ToolCall],
    results: list[WireMessage],
    clock: Callable[[], float] = time.monotonic,
) -> AsyncIterator[ToolEvent]:
    """Run ``calls`` in order; each result is stored and appended to ``results`` for the next request."""
    for call in calls:
        tool = tools.get(call.name)
        title = tool.title if tool and tool.title else call.name
        yield ToolCallStarted(message_id, call, title)
        started = clock()
        outcome = _Outcome()
        try:
            if tool is None:
                raise ToolError(f"There is no tool named {call.name!r} in this conversation.")
            arguments = parse_arguments(call.arguments)
            request: ConsentRequest | None = None
            if tool.needs_consent:
                subject = tool.subject(arguments)
                request = ConsentRequest(conversation_id, message_id, call.id, tool.name, subject,
                                         tool.identity(subject))
                future = gate.open(request)
                if not future.done():
                    yield ToolConsentRequested(message_id, call, request)
                outcome.denied = await gate.settle(request, future) is Decision.DENY
            outcome.text = DECLINED if outcome.denied else await tool.run_after_consent(arguments, request)
        except ToolError as exc:
            outcome.error = exc.sentence
        except Exception as exc:  # noqa: BLE001 - one failing tool must not end the conversation
            log.exception("tool %s failed", call.name)
            outcome.error = f"The tool failed unexpectedly ({type(exc).__name__})."
        duration_ms = int((clock() - started) * 1000)
        content = _for_model(outcome)
        meta = {
            "tool_call_id": call.id, "name": call.name, "title": title, "duration_ms": duration_ms,
            "error": outcome.error, "denied": outcome.denied,
        }
        await asyncio.wrap_future(store.add_message(conversation_id, Role.TOOL, content, meta=meta))
        results.append(WireMessage(Role.TOOL, content, tool_call_id=call.id))
        yield ToolCallFinished(message_id, call, content, outcome.error, duration_ms, outcome.denied)


def _for_model(outcome: _Outcome) -> str:
    if outcome.error is not None:
        return f"Error: {outcome.error}"
    text = outcome.text
    if len(text) > MAX_RESULT_CHARS:
        return text[:MAX_RESULT_CHARS] + f"\n[cut at {MAX_RESULT_CHARS:,} characters]"
    return text or "(no output)"
