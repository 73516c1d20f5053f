"""What the summarizer model is asked, and which rounds it is asked about."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..types import Role, WireMessage
from .history import HistoryItem

INSTRUCTIONS = (
    "You keep the memory of a long conversation between a user and an assistant. Write a compact "
    "summary in the conversation's language that a later reply can rely on: facts, names, numbers, "
    "decisions, preferences, open questions and what the user is working on. Leave out small talk. "
    "Write plain sentences, no preamble, at most {words} words."
)


def older_rounds(groups: Sequence[Sequence[HistoryItem]], keep: float) -> int:
    """How many of the oldest rounds to fold into the summary; the newest ``keep`` part stays."""
    if len(groups) < 2:
        return 0
    return max(1, min(len(groups) - 1, math.floor(len(groups) * (1 - keep))))


def transcript(groups: Sequence[Sequence[HistoryItem]]) -> str:
    lines = []
    for group in groups:
        for item in group:
            speaker = "User" if item.role is Role.USER else "Assistant"
            lines.append(f"{speaker}: {item.content.strip()}")
    return "\n\n".join(lines)


def summary_prompt(
    previous: str | None, groups: Sequence[Sequence[HistoryItem]], max_tokens: int,
) -> tuple[WireMessage, ...]:
    parts = []
    if previous:
        parts.append(f"Summary so far:\n{previous.strip()}")
    parts.append(f"Conversation to add:\n{transcript(groups)}")
    parts.append("Write the updated summary now, folding everything above into one text.")
    words = max(20, int(max_tokens * 0.6))
    return (
        WireMessage(Role.SYSTEM, INSTRUCTIONS.format(words=words)),
        WireMessage(Role.USER, "\n\n".join(parts)),
    )
