"""The context policies as pure functions: examples, then properties over random histories."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from qwen_desktop.core.catalog import default_catalog
from qwen_desktop.core.context import (
    BuiltContext, ContextInputs, ContextParams, ContextTooLongError, HistoryItem,
    MessageTooLongError, SummaryView, plan_context, rounds, usable_history,
)
from qwen_desktop.core.context.policies import SUMMARY_ACK, SUMMARY_LEAD
from qwen_desktop.core.types import ContextPolicy, ConversationSettings, Role, WireMessage


class WordCounts:
    """Deterministic stand-in for the tokenizer: one token per word plus four per message."""

    def item(self, item: HistoryItem) -> int:
        return len(item.content.split()) + 4

    def images(self, item: HistoryItem) -> int:
        return 0

    def message(self, message: WireMessage) -> int:
        return len(message.content.split()) + 4


COUNTS = WordCounts()


def history_of(*pairs: tuple[str, str]) -> list[HistoryItem]:
    items: list[HistoryItem] = []
    for question, answer in pairs:
        items.append(HistoryItem(len(items) + 1, Role.USER, question))
        items.append(HistoryItem(len(items) + 1, Role.ASSISTANT, answer))
    return items


def plan(
    policy: ContextPolicy, history: Sequence[HistoryItem], new: str = "next question",
    *, system: str = "", summary: SummaryView | None = None, ranked: Sequence[int] = (),
    fallback: bool = False, **params: object,
) -> BuiltContext:
    settings = ConversationSettings(
        model="qwen-plus", context_policy=policy, system_prompt=system,
        context_params={"reply_reserve": 0, **params},
    )
    info = default_catalog().get(settings.model)
    inputs = ContextInputs(
        settings, ContextParams.from_settings(settings, info), history,
        WireMessage(Role.USER, new), summary=summary, ranked_rounds=ranked, fallback=fallback,
    )
    return plan_context(inputs, COUNTS)


TEN = history_of(*[(f"question {i}", f"answer {i}") for i in range(10)])


def test_full_history_sends_everything_in_order() -> None:
    built = plan(ContextPolicy.FULL, TEN, system="be brief")
    assert [m.role for m in built.messages][:3] == [Role.SYSTEM, Role.USER, Role.ASSISTANT]
    assert built.included_ids == tuple(range(1, 21))
    assert built.notes["tokens"]["total"] == sum(COUNTS.message(m) for m in built.messages)


def test_full_history_that_does_not_fit_is_refused() -> None:
    with pytest.raises(ContextTooLongError) as caught:
        plan(ContextPolicy.FULL, TEN, max_input=100)
    assert str(caught.value).startswith("This conversation no longer fits the model's input window")
    assert not isinstance(caught.value, MessageTooLongError)


def test_a_new_message_larger_than_the_window_is_refused_under_every_policy() -> None:
    for policy in ContextPolicy:
        with pytest.raises(MessageTooLongError):
            plan(policy, TEN, "word " * 200, max_input=100)


def test_last_n_keeps_n_rounds_and_drops_more_to_fit() -> None:
    built = plan(ContextPolicy.LAST_N, TEN, n=3)
    assert built.notes["recent_ids"] == list(range(15, 21))
    tight = plan(ContextPolicy.LAST_N, TEN, n=3, max_input=20)
    assert tight.notes["recent_ids"] == list(range(19, 21)) and tight.notes["dropped_rounds"] == 2


def test_summary_goes_in_as_a_pair_after_the_system_prompt() -> None:
    summary = SummaryView(7, "the user likes tea", 1, 10)
    built = plan(ContextPolicy.SUMMARY, TEN, system="sys", summary=summary)
    roles = [m.role for m in built.messages]
    assert roles[:4] == [Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER]
    assert built.messages[1].content == SUMMARY_LEAD + "the user likes tea"
    assert built.messages[2].content == SUMMARY_ACK
    assert built.notes["summary_id"] == 7 and built.notes["recent_ids"][0] == 11
    assert built.notes["cache"]["prefix_messages"] == 3


def test_summary_failure_falls_back_to_last_n() -> None:
    built = plan(ContextPolicy.SUMMARY, TEN, fallback=True, n=2)
    assert built.notes["recent_ids"] == [17, 18, 19, 20]


def test_retrieval_adds_top_k_earlier_rounds_in_original_order() -> None:
    built = plan(ContextPolicy.RETRIEVAL, TEN, n=2, top_k=2, ranked=[9, 1, 5, 17])
    assert built.notes["retrieved_ids"] == [1, 2, 9, 10]
    assert built.notes["recent_ids"] == [17, 18, 19, 20]
    assert built.included_ids == (1, 2, 9, 10, 17, 18, 19, 20)


# ---- properties

words = st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "茶", "x"]), max_size=30).map(" ".join)


@st.composite
def histories(draw: st.DrawFn) -> list[HistoryItem]:
    items: list[HistoryItem] = []
    for _ in range(draw(st.integers(0, 25))):
        items.append(HistoryItem(len(items) + 1, Role.USER, draw(words) or "hi"))
        if draw(st.booleans()) or draw(st.booleans()):
            items.append(HistoryItem(len(items) + 1, Role.ASSISTANT, draw(words)))
    return items


@given(
    history=histories(),
    policy=st.sampled_from(list(ContextPolicy)),
    system=st.sampled_from(["", "You are terse.", "word " * 20]),
    new=words,
    max_input=st.integers(10, 600),
    n=st.integers(0, 12),
    top_k=st.integers(0, 6),
    fallback=st.booleans(),
    summary_cut=st.integers(0, 30),
    data=st.data(),
)
@hsettings(max_examples=400, deadline=None)
def test_every_built_request_is_valid(
    history: list[HistoryItem], policy: ContextPolicy, system: str, new: str, max_input: int,
    n: int, top_k: int, fallback: bool, summary_cut: int, data: st.DataObject,
) -> None:
    ids = [item.message_id for item in history]
    summary = None
    if ids and summary_cut and policy is ContextPolicy.SUMMARY:
        summary = SummaryView(1, "summary " * (summary_cut % 7), 1, ids[min(summary_cut, len(ids)) - 1])
    ranked = data.draw(st.permutations(ids)) if ids else []
    try:
        built = plan(policy, history, new or "?", system=system, summary=summary, ranked=ranked,
                     fallback=fallback, max_input=max_input, n=n, top_k=top_k)
    except MessageTooLongError:
        fixed = COUNTS.message(WireMessage(Role.USER, new or "?"))
        if system.strip():
            fixed += COUNTS.message(WireMessage(Role.SYSTEM, system))
        assert fixed > max_input
        return
    except ContextTooLongError:
        assert policy is ContextPolicy.FULL
        return
    messages = built.messages
    assert sum(COUNTS.message(m) for m in messages) <= max_input
    assert built.notes["tokens"]["total"] == sum(COUNTS.message(m) for m in messages)
    assert messages[-1] == WireMessage(Role.USER, new or "?")
    body = list(messages[:-1])
    if system.strip():
        assert body.pop(0) == WireMessage(Role.SYSTEM, system)
    assert all(m.role is not Role.SYSTEM for m in body)
    if built.notes["summary_id"] is not None:
        lead, ack = body.pop(0), body.pop(0)
        assert lead.role is Role.USER and lead.content.startswith(SUMMARY_LEAD)
        assert ack == WireMessage(Role.ASSISTANT, SUMMARY_ACK)
    by_id = {item.message_id: item for item in history}
    included = [by_id[i] for i in built.included_ids]
    assert [WireMessage(i.role, i.content) for i in included] == body
    assert list(built.included_ids) == sorted(built.included_ids)
    usable = usable_history(history)
    whole = {tuple(i.message_id for i in group) for group in rounds(usable)}
    kept_groups = rounds(included)
    assert all(tuple(i.message_id for i in group) in whole for group in kept_groups)
    if policy is ContextPolicy.FULL:
        assert list(built.included_ids) == [i.message_id for i in usable]
    if policy is ContextPolicy.RETRIEVAL:
        assert len(rounds([by_id[i] for i in built.notes["retrieved_ids"]])) <= top_k
