"""The four context policies as one pure function of history, settings, token counts and budget.

Every request built here stays within the budget, keeps the system prompt first, ends with
the new user message and carries whole stored rounds in their stored order; reasoning never
enters a ``HistoryItem``, so it never reaches the wire.

A rolling summary goes in as a user/assistant pair right after the system prompt ("Summary of
the earlier conversation: …" / "Understood."), so the system prompt stays byte-identical for
the cache and the roles keep their stored alternation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from ..types import ContextPolicy, ConversationSettings, Role, WireMessage
from .errors import ContextTooLongError, MessageTooLongError
from .history import BuiltContext, HistoryItem, rounds, usable_history
from .params import EXPLICIT_CACHE_MIN_TOKENS, ContextParams

SUMMARY_LEAD = "Summary of the earlier conversation:\n\n"
SUMMARY_ACK = "Understood."


@dataclass(frozen=True)
class SummaryView:
    id: int
    text: str
    first_message_id: int
    last_message_id: int


class Counts(Protocol):
    def item(self, item: HistoryItem) -> int: ...

    def images(self, item: HistoryItem) -> int: ...

    def message(self, message: WireMessage) -> int: ...


@dataclass(frozen=True)
class ContextInputs:
    """``ranked_rounds``: ids of the first message of earlier rounds, most similar first.

    ``fallback`` means summarizing or retrieval failed: the policy degrades to the last N rounds.
    """

    settings: ConversationSettings
    params: ContextParams
    history: Sequence[HistoryItem]
    new_message: WireMessage
    summary: SummaryView | None = None
    ranked_rounds: Sequence[int] = ()
    fallback: bool = False
    notices: Sequence[str] = field(default_factory=tuple)
    new_extra: int = 0
    """Tokens the new message's attachments add (the meter's draft: images waiting, documents)."""
    new_images: int = 0
    """The images' share of ``new_extra``."""


def summary_messages(text: str) -> tuple[WireMessage, WireMessage]:
    return WireMessage(Role.USER, SUMMARY_LEAD + text), WireMessage(Role.ASSISTANT, SUMMARY_ACK)


def fit_tail(sizes: Sequence[int], start: int, room: int) -> int:
    """The earliest index >= ``start`` from which the rounds to the end fit into ``room``."""
    total = 0
    first = len(sizes)
    for index in range(len(sizes) - 1, start - 1, -1):
        if total + sizes[index] > room:
            break
        total += sizes[index]
        first = index
    return first


def plan_context(inputs: ContextInputs, counts: Counts) -> BuiltContext:
    settings, params = inputs.settings, inputs.params
    policy = settings.context_policy
    budget = params.budget
    system = [WireMessage(Role.SYSTEM, settings.system_prompt)] if settings.system_prompt.strip() else []
    system_tokens = sum(counts.message(m) for m in system)
    new_tokens = counts.message(inputs.new_message) + inputs.new_extra
    if system_tokens + new_tokens > budget:
        raise MessageTooLongError()
    groups = rounds(usable_history(inputs.history))
    sizes = [sum(counts.item(item) for item in group) for group in groups]
    room = budget - system_tokens - new_tokens
    notices = list(inputs.notices)
    preamble: list[WireMessage] = []
    summary_id: int | None = None
    retrieved: list[int] = []
    start = 0
    if policy is ContextPolicy.FULL:
        if sum(sizes) > room:
            raise ContextTooLongError()
    elif policy is ContextPolicy.SUMMARY and inputs.summary is not None:
        pair = summary_messages(inputs.summary.text)
        pair_tokens = sum(counts.message(m) for m in pair)
        if pair_tokens <= room:
            preamble, summary_id, room = list(pair), inputs.summary.id, room - pair_tokens
            covered = inputs.summary.last_message_id
            start = next((i for i, g in enumerate(groups) if g[0].message_id > covered), len(groups))
        else:
            notices.append("The summary is too long for the input window and was left out.")
    if policy is ContextPolicy.LAST_N or (inputs.fallback and policy is not ContextPolicy.FULL):
        start = max(start, len(groups) - params.n)
    elif policy is ContextPolicy.RETRIEVAL:
        start = max(0, len(groups) - params.n)
    first = fit_tail(sizes, start, room)
    room -= sum(sizes[first:])
    if policy is ContextPolicy.RETRIEVAL and not inputs.fallback:
        retrieved = _pick(groups, sizes, inputs.ranked_rounds, start, params.top_k, room)
    kept = [groups[i] for i in retrieved] + groups[first:]
    prefix_tokens = system_tokens + sum(counts.message(m) for m in preamble)
    prefix = [*system, *preamble]
    if params.explicit_cache and prefix and prefix_tokens >= EXPLICIT_CACHE_MIN_TOKENS:
        prefix[-1] = replace(prefix[-1], cache=True)
    messages = prefix
    for group in kept:
        messages.extend(item.wire() for item in group)
    messages.append(inputs.new_message)
    retrieved_ids = [item.message_id for i in retrieved for item in groups[i]]
    recent_ids = [item.message_id for group in groups[first:] for item in group]
    tokens = {
        "system": system_tokens,
        "summary": prefix_tokens - system_tokens,
        "retrieved": sum(sizes[i] for i in retrieved),
        "recent": sum(sizes[first:]),
        "new": new_tokens,
        "images": sum(counts.images(item) for group in kept for item in group) + inputs.new_images,
    }
    tokens["total"] = sum(v for k, v in tokens.items() if k != "images")
    notes: dict[str, object] = {
        "policy": policy.value,
        "budget": budget,
        "max_input": params.max_input,
        "tokens": tokens,
        "recent_ids": recent_ids,
        "retrieved_ids": retrieved_ids,
        "summary_id": summary_id,
        "dropped_rounds": first - start,
        "notices": notices,
        "cache": {
            "explicit": params.explicit_cache and prefix_tokens >= EXPLICIT_CACHE_MIN_TOKENS,
            "prefix_messages": len(system) + len(preamble),
            "prefix_tokens": prefix_tokens,
        },
    }
    return BuiltContext(tuple(messages), tuple(retrieved_ids + recent_ids), notes)


def _pick(
    groups: Sequence[Sequence[HistoryItem]], sizes: Sequence[int], ranked: Sequence[int],
    limit: int, top_k: int, room: int,
) -> list[int]:
    index_of = {group[0].message_id: i for i, group in enumerate(groups[:limit])}
    chosen: list[int] = []
    for round_id in ranked:
        if len(chosen) >= top_k:
            break
        index = index_of.get(round_id)
        if index is None or index in chosen or sizes[index] > room:
            continue
        chosen.append(index)
        room -= sizes[index]
    return sorted(chosen)
