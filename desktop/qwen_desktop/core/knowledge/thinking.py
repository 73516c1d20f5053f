"""Thinking rules every path follows (window, command line): what a send will really ask for.

The service reads ``/think`` and ``/no_think`` in the prompt only while thinking is on (the latest
one wins); with thinking off it ignores them. Thinking-only models think whatever is chosen, budgets
are capped per model, and QwQ and QVQ advise against a system prompt (Deep-thinking page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..catalog import ModelInfo, thinking_request
from ..types import ConversationSettings, ThinkingMode

_SOFT_SWITCH_RE = re.compile(r"(?<![\w/])/(no_think|think)\b")


def soft_switch(text: str) -> str | None:
    """The last ``/think`` or ``/no_think`` in the text ("think", "no_think"), or None."""
    found = _SOFT_SWITCH_RE.findall(text)
    return found[-1] if found else None


@dataclass(frozen=True)
class ThinkingPlan:
    """What one send asks for, and what the user should hear about it before sending."""

    thinks: bool
    enable_thinking: bool | None
    budget: int | None
    notices: tuple[str, ...]
    forced_on: bool = False
    """A thinking-only model with thinking chosen off: it thinks anyway."""
    budget_lowered_from: int | None = None
    system_advised: bool = False
    switch: str | None = None
    """The soft switch typed in the message ("think" or "no_think"), if any."""
    switch_ignored: bool = False


def plan_thinking(info: ModelInfo, settings: ConversationSettings, text: str = "") -> ThinkingPlan:
    enable, budget = thinking_request(info, settings.thinking, settings.thinking_budget)
    notices: list[str] = []
    chosen_on = settings.thinking is not ThinkingMode.OFF
    if info.thinking == "always" and not chosen_on:
        notices.append(f"{info.name} always thinks: it will think for this reply even though thinking is off.")
    wanted = settings.thinking_budget or 0
    if settings.thinking is ThinkingMode.BUDGET and budget is not None and wanted > budget:
        notices.append(f"{info.name} accepts a thinking budget of at most {budget:,} tokens: "
                       f"{wanted:,} was lowered to {budget:,}.")
    if info.no_system_prompt and settings.system_prompt.strip():
        notices.append(f"{info.name} works best without a system prompt: the vendor advises leaving it empty.")
    switch = soft_switch(text)
    thinks = enable is True or (enable is None and info.thinking_default)
    if switch == "think" and not thinks:
        notices.append("/think has no effect while thinking is off: the service ignores it. "
                       "Turn thinking on to use it.")
    elif switch == "no_think" and thinks:
        if info.thinking == "always":
            notices.append(f"/no_think has no effect on {info.name}: it always thinks.")
        else:
            thinks = False
    return ThinkingPlan(
        thinks, enable, budget, tuple(notices),
        forced_on=info.thinking == "always" and not chosen_on,
        budget_lowered_from=wanted if settings.thinking is ThinkingMode.BUDGET and budget is not None
        and wanted > budget else None,
        system_advised=info.no_system_prompt and bool(settings.system_prompt.strip()),
        switch=switch,
        switch_ignored=(switch == "think" and not thinks)
        or (switch == "no_think" and info.thinking == "always"),
    )


def thinking_state(plan: ThinkingPlan) -> str:
    """The effective state in a few words, for the composer before sending."""
    return "Thinking: on" if plan.thinks else "Thinking: off"
