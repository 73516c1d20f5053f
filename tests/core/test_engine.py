"""The engine end to end: stored history, both protocols, crash-safe partial replies."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from qwen_desktop.core import errors as e
from qwen_desktop.core.engine import (
    BusyError, ReplyFailed, ReplyFinished, ReplyStarted, TitleChanged, UserMessageAdded,
)
from qwen_desktop.core.services import Services
from qwen_desktop.core.types import (
    ContentDelta, ConversationSettings, ContextPolicy, MessageStatus, Protocol, ReasoningDelta,
    Role, ThinkingMode,
)
from tests.simulator import Reply, Simulator

PROTOCOLS = [Protocol.OPENAI, Protocol.DASHSCOPE]


def new_conversation(services: Services, **changes: Any) -> int:
    settings = ConversationSettings().with_(**changes)
    return services.store.create_conversation(settings).result()


async def drain(agen: Any) -> list[Any]:
    return [event async for event in agen]


def send(services: Services, cid: int, text: str) -> list[Any]:
    async def go() -> list[Any]:
        try:
            return await drain(services.engine.send(cid, text))
        finally:
            await services.client.aclose()

    return asyncio.run(go())


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_second_turn_carries_the_first_answer_and_no_reasoning(
    services: Services, sim: Simulator, protocol: Protocol
) -> None:
    cid = new_conversation(services, protocol=protocol, thinking=ThinkingMode.ON)
    sim.enqueue(Reply(reasoning="pondering deeply", content="Paris is the capital."))
    events = send(services, cid, "What is the capital of France?")
    assert "".join(ev.text for ev in events if isinstance(ev, ReasoningDelta)) == "pondering deeply"
    send(services, cid, "And its population?")
    body = sim.requests[-1].body
    messages = body["messages"] if protocol is Protocol.OPENAI else body["input"]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[1]["content"] == "Paris is the capital."
    assert "pondering" not in str(body)
    stored = services.store.messages(cid)
    assert stored[1].reasoning == "pondering deeply"
    assert stored[1].status is MessageStatus.COMPLETE
    assert stored[1].usage is not None and stored[1].usage.output_tokens > 0


def test_event_order_and_title(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    sim.enqueue(Reply(content="Sure."))
    events = send(services, cid, "Plan a three-day trip to Kyoto in autumn, with temples")
    kinds = [type(ev) for ev in events]
    assert kinds[0] is UserMessageAdded
    assert TitleChanged in kinds and ReplyStarted in kinds
    assert kinds[-1] is ReplyFinished
    title = services.store.conversation(cid).title
    assert title.startswith("Plan a three-day trip to Kyoto")
    send(services, cid, "Something else entirely")
    assert services.store.conversation(cid).title == title


def test_budget_from_settings_reaches_the_wire(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, thinking=ThinkingMode.BUDGET, thinking_budget=128)
    send(services, cid, "think a little")
    body = sim.requests[-1].body
    assert body["enable_thinking"] is True and body["thinking_budget"] == 128


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_drop_mid_stream_keeps_user_message_and_partial_reply(
    services: Services, sim: Simulator, protocol: Protocol
) -> None:
    cid = new_conversation(services, protocol=protocol)
    sim.enqueue(Reply(content="0123456789" * 20, chunk_chars=5, drop_after=6))
    events = send(services, cid, "count for me")
    failed = events[-1]
    assert isinstance(failed, ReplyFailed)
    assert isinstance(failed.error, e.ConnectionDroppedError)
    user, reply = services.store.messages(cid)
    assert user.role is Role.USER and user.content == "count for me"
    assert reply.content and ("0123456789" * 20).startswith(reply.content)
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.error["kind"] == "dropped"


def test_error_before_any_text_is_stored_as_error(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    sim.enqueue(Reply(status=400, code="DataInspectionFailed"))
    events = send(services, cid, "something")
    assert isinstance(events[-1], ReplyFailed)
    user, reply = services.store.messages(cid)
    assert user.content == "something"
    assert reply.status is MessageStatus.ERROR and reply.content == ""
    assert reply.error["kind"] == "content_filtered"
    assert reply.error["request_id"]


def test_stop_keeps_the_partial_reply_marked_interrupted(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    sim.enqueue(Reply(content="slow words " * 500, chunk_chars=6, delay=0.01))

    async def go() -> None:
        seen = asyncio.Event()

        async def consume() -> None:
            async for event in services.engine.send(cid, "talk slowly"):
                if isinstance(event, ContentDelta):
                    seen.set()

        task = asyncio.create_task(consume())
        await asyncio.wait_for(seen.wait(), 5)
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await services.client.aclose()

    asyncio.run(go())
    user, reply = services.store.messages(cid)
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.content and ("slow words " * 500).startswith(reply.content)
    assert reply.meta.get("stopped") is True
    assert not services.engine.is_streaming(cid)


def test_one_reply_per_conversation(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    sim.enqueue(Reply(content="long " * 200, delay=0.01))

    async def go() -> None:
        first = services.engine.send(cid, "first")
        await first.__anext__()
        with pytest.raises(BusyError):
            await services.engine.send(cid, "second").__anext__()
        await drain(first)
        await services.client.aclose()

    asyncio.run(go())
    assert [m.content for m in services.store.messages(cid) if m.role is Role.USER] == ["first"]


def test_missing_key_stores_nothing(services: Services) -> None:
    services.keys.delete("intl")
    cid = new_conversation(services, region_id="intl")
    with pytest.raises(e.MissingKeyError):
        send(services, cid, "hello?")
    assert services.store.messages(cid) == []


def test_regenerate_shows_a_new_version_and_keeps_the_old(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    sim.enqueue(Reply(content="first try"), Reply(content="second try"))
    send(services, cid, "question")
    reply_id = services.store.messages(cid)[1].id

    async def go() -> None:
        await drain(services.engine.regenerate(cid, reply_id))
        await services.client.aclose()

    asyncio.run(go())
    contents = [m.content for m in services.store.messages(cid)]
    assert contents == ["question", "second try"]
    assert [m.content for m in services.store.all_messages(cid)] == ["question", "first try", "second try"]
    body = sim.requests[-1].body
    assert [m["content"] for m in body["messages"]] == ["question"]


def test_edit_and_resend(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    send(services, cid, "original question")
    send(services, cid, "follow up")
    first_user = services.store.messages(cid)[0].id

    async def go() -> None:
        await drain(services.engine.edit_and_resend(cid, first_user, "better question"))
        await services.client.aclose()

    asyncio.run(go())
    messages = services.store.messages(cid)
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT]
    assert messages[0].content == "better question"
    assert "better question" in messages[1].content


def test_last_n_rounds_policy_trims_history(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, context_policy=ContextPolicy.LAST_N,
                           context_params={"n": 2}, system_prompt="Be brief.")
    for i in range(5):
        send(services, cid, f"question {i}")
    body = sim.requests[-1].body
    contents = [m["content"] for m in body["messages"]]
    assert contents[0] == "Be brief."
    assert contents[-1] == "question 4"
    assert [c for c in contents if c.startswith("question")] == [
        "question 2", "question 3", "question 4"]


def test_region_switch_uses_that_regions_url_and_key(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, region_id="intl")
    send(services, cid, "hello singapore")
    conversation = services.store.conversation(cid)
    services.store.update_settings(cid, conversation.settings.with_(region_id="cn")).result()
    send(services, cid, "hello beijing")
    first, second = sim.requests[-2:]
    assert (first.region, first.api_key) == ("intl", sim.regions["intl"])
    assert (second.region, second.api_key) == ("cn", sim.regions["cn"])


def test_request_that_cannot_fit_is_refused_before_anything_is_stored(
    services: Services, sim: Simulator
) -> None:
    from qwen_desktop.core.context import ContextTooLongError

    cid = new_conversation(services, context_params={"max_input": 400, "reply_reserve": 0})
    with pytest.raises(ContextTooLongError) as caught:
        for i in range(20):
            send(services, cid, f"question number {i} " + "with several more words " * 6)
    assert "context policy" in str(caught.value)
    assert 2 <= i < 20
    before = [m.content for m in services.store.messages(cid)]
    assert len(before) == 2 * i
    requests = len(sim.requests)
    with pytest.raises(ContextTooLongError):
        send(services, cid, "one more")
    assert [m.content for m in services.store.messages(cid)] == before
    assert len(sim.requests) == requests


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_explicit_cache_marks_the_stable_prefix(
    services: Services, sim: Simulator, protocol: Protocol
) -> None:
    system = "You are a careful reviewer of contracts. " * 150
    cid = new_conversation(services, protocol=protocol, model="qwen-plus", system_prompt=system,
                           context_params={"explicit_cache": True})
    send(services, cid, "first")
    send(services, cid, "second")
    body = sim.requests[-1].body
    messages = body["messages"] if protocol is Protocol.OPENAI else body["input"]["messages"]
    head = messages[0]
    assert head["role"] == "system"
    block = head["content"][-1]
    assert block["cache_control"] == {"type": "ephemeral"}
    assert block["text"] == system
    assert all(isinstance(m["content"], str) for m in messages[1:])
    cached = services.store.messages(cid)[-1].usage.cached_tokens
    assert cached > 0


def test_no_cache_marker_unless_asked(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, system_prompt="Be brief. " * 400)
    send(services, cid, "hello")
    assert isinstance(sim.requests[-1].body["messages"][0]["content"], str)
