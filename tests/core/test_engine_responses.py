"""Conversations over the Responses API: server-kept history, its fallback, and the service's tools."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core import errors as e
from qwen_desktop.core.engine import CHAIN_LOST_NOTICE, ModelNotice, ReplyFailed, ReplyFinished
from qwen_desktop.core.export import export_json, export_markdown
from qwen_desktop.core.responses import with_server_tool
from qwen_desktop.core.services import Services
from qwen_desktop.core.tools import ToolCallFinished, ToolCallStarted
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Protocol, Role, ThinkingMode
from tests.simulator import Reply, Simulator, tokenize

LONG = "history " * 300


def new_conversation(services: Services, **changes: Any) -> int:
    settings = ConversationSettings().with_(**{"protocol": Protocol.RESPONSES, "model": "qwen3-max", **changes})
    return services.store.create_conversation(settings).result()


def run(services: Services, agen: Any) -> list[Any]:
    async def go() -> list[Any]:
        try:
            return [event async for event in agen]
        finally:
            await services.client.aclose()

    return asyncio.run(go())


def send(services: Services, cid: int, text: str) -> list[Any]:
    return run(services, services.engine.send(cid, text))


def replies(services: Services, cid: int) -> list[Any]:
    return [m for m in services.store.messages(cid) if m.role is Role.ASSISTANT]


def kept_id(message: Any) -> str:
    return str(message.meta["response"]["id"])


def seen(sim: Simulator, *texts: str) -> list[str]:
    """The tokens of these texts, as the simulator's model sees a conversation."""
    return [token for text in texts for token in tokenize(text)]


def test_second_turn_chains_with_only_the_new_input(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    send(services, cid, LONG)
    first = replies(services, cid)[0]
    assert first.context["server_history"] == {"state": "start"}
    send(services, cid, "And then?")
    body = sim.requests[-1].body
    assert body["previous_response_id"] == kept_id(first)
    assert body["input"] == [{"role": "user", "content": "And then?"}]
    assert sim.requests[-1].headers["x-dashscope-session-cache"] == "enable"
    model_saw = [token for _role, token in sim.responses.contexts[-1]]
    assert model_saw == seen(sim, LONG, f"You said: {LONG.strip()}", "And then?")
    second = replies(services, cid)[1]
    notes = second.context
    assert notes["server_history"]["state"] == "chained"
    assert notes["server_history"]["previous_response_id"] == kept_id(first)
    assert notes["tokens"]["total"] == notes["tokens"]["new"] > 0
    assert second.usage.input_tokens == len(model_saw)
    assert second.usage.cached_tokens == len(model_saw) - len(seen(sim, "And then?"))
    assert kept_id(second) != kept_id(first)


def test_fallback_after_expiry_sends_the_history_at_once(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    send(services, cid, "Remember the number 7.")
    sim.responses.expire()
    events = send(services, cid, "Which number?")
    assert isinstance(events[-1], ReplyFinished)
    gone, again = sim.requests[-2].body, sim.requests[-1].body
    assert "previous_response_id" in gone
    assert "previous_response_id" not in again
    assert [i["role"] for i in again["input"]] == ["user", "assistant", "user"]
    stored = services.store.messages(cid)
    assert [m.role for m in stored] == [Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT]
    reply = stored[-1]
    assert reply.status is MessageStatus.COMPLETE and reply.error is None
    assert reply.context["server_history"]["state"] == "expired"
    assert CHAIN_LOST_NOTICE in reply.context["notices"]
    send(services, cid, "Thanks")
    assert sim.requests[-1].body["previous_response_id"] == kept_id(reply)


def test_edit_and_regenerate_after_chaining_continue_from_that_point(
    services: Services, sim: Simulator
) -> None:
    cid = new_conversation(services)
    for text in ("one", "two", "three"):
        send(services, cid, text)
    first, second, third = replies(services, cid)
    assert sim.requests[-1].body["previous_response_id"] == kept_id(second)
    run(services, services.engine.regenerate(cid, third.id))
    assert sim.requests[-1].body["previous_response_id"] == kept_id(second)
    assert sim.requests[-1].body["input"] == [{"role": "user", "content": "three"}]
    user_two = next(m for m in services.store.messages(cid) if m.content == "two")
    run(services, services.engine.edit_and_resend(cid, user_two.id, "TWO"))
    body = sim.requests[-1].body
    assert body["previous_response_id"] == kept_id(first)
    assert body["input"] == [{"role": "user", "content": "TWO"}]
    model_saw = [token for _role, token in sim.responses.contexts[-1]]
    assert model_saw == seen(sim, "one", "You said: one", "TWO")
    user_one = services.store.messages(cid)[0]
    run(services, services.engine.edit_and_resend(cid, user_one.id, "ONE"))
    body = sim.requests[-1].body
    assert "previous_response_id" not in body
    assert body["input"] == [{"role": "user", "content": "ONE"}]


def test_a_changed_system_prompt_sends_the_history_again(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, system_prompt="Be brief.")
    send(services, cid, "Hello")
    conversation = services.store.conversation(cid)
    services.store.update_settings(cid, conversation.settings.with_(system_prompt="Be verbose.")).result()
    send(services, cid, "Again")
    body = sim.requests[-1].body
    assert "previous_response_id" not in body
    assert [i["role"] for i in body["input"]] == ["system", "user", "assistant", "user"]
    assert body["input"][0]["content"] == "Be verbose."


@pytest.mark.parametrize(("tool", "prompt", "asked", "answer"), [
    ("web_search", "Search the latest Qwen news", "latest Qwen news", "https://example.com/one"),
    ("web_extractor", "Summarise https://example.net/page", "https://example.net/page",
     "Page text of https://example.net/page"),
    ("code_interpreter", "Calculate 12 times 34", "print(12 * 34)", "408"),
])
def test_each_service_tool_is_a_tool_card_stored_and_exported(
    services: Services, sim: Simulator, tmp_path: Path, tool: str, prompt: str, asked: str, answer: str
) -> None:
    settings = with_server_tool(ConversationSettings(), tool, True)
    cid = new_conversation(services, context_params=settings.context_params, thinking=ThinkingMode.ON)
    events = send(services, cid, prompt)
    assert sim.requests[-1].body["tools"] == [{"type": tool}]
    started = [ev for ev in events if isinstance(ev, ToolCallStarted)]
    finished = [ev for ev in events if isinstance(ev, ToolCallFinished)]
    assert [ev.call.name for ev in started] == [tool] and len(finished) == 1
    assert asked in finished[0].call.arguments and answer in finished[0].result
    reply = replies(services, cid)[0]
    card = reply.meta["server_tools"][0]
    assert card["name"] == tool and asked in card["arguments"] and answer in card["result"]
    assert reply.content.startswith("You said:")
    export_json(services.store, None, tmp_path / "out.json")
    exported = json.loads((tmp_path / "out.json").read_text())
    assert answer in json.dumps(exported, ensure_ascii=False)
    export_markdown(services.store, None, tmp_path / "out.md")
    text = (tmp_path / "out.md").read_text()
    assert answer in text and asked in text


def test_search_mode_on_a_responses_conversation_is_the_web_search_tool(
    services: Services, sim: Simulator
) -> None:
    from qwen_desktop.core.types import SearchMode

    cid = new_conversation(services, search=SearchMode.AUTO)
    send(services, cid, "Search for news")
    body = sim.requests[-1].body
    assert body["tools"] == [{"type": "web_search"}]
    assert "enable_search" not in body


def test_function_tools_chain_their_outputs(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, context_params={"tools": ["current_time"]})
    sim.enqueue(Reply(tool_calls=[{"id": "call_1", "name": "current_time", "arguments": "{}"}]))
    events = send(services, cid, "What time is it?")
    assert isinstance(events[-1], ReplyFinished)
    first_round = sim.requests[-2].body
    assert first_round["tools"][0]["name"] == "current_time"
    body = sim.requests[-1].body
    calling = replies(services, cid)[0]
    assert body["previous_response_id"] == calling.meta["response"]["id"]
    assert [i["type"] for i in body["input"]] == ["function_call_output"]
    answer = replies(services, cid)[-1]
    send(services, cid, "Thanks")
    assert sim.requests[-1].body["previous_response_id"] == kept_id(answer)


def test_a_model_that_refuses_the_api_fails_with_a_sentence_and_is_remembered(
    services: Services, sim: Simulator
) -> None:
    cid = new_conversation(services, model="qwen-turbo")
    events = send(services, cid, "Hello")
    failed = events[-1]
    assert isinstance(failed, ReplyFailed)
    assert isinstance(failed.error, e.ResponsesUnsupportedError)
    assert "Responses API" in failed.error.sentence
    notices = [ev for ev in events if isinstance(ev, ModelNotice)]
    assert [n.learned for n in notices] == ["no_responses_api"]
    settings = services.store.conversation(cid).settings
    assert services.engine.responses_refused(settings)
    assert not services.engine.responses_refused(settings.with_(region_id="cn"))
    assert [n for n in send(services, cid, "Again") if isinstance(n, ModelNotice)] == []
    stored = services.store.messages(cid)
    assert stored[0].content == "Hello" and stored[1].error["kind"] == "responses_unsupported"


def test_switching_branches_chains_from_the_reply_that_ends_the_shown_branch(
    services: Services, sim: Simulator
) -> None:
    cid = new_conversation(services)
    for text in ("one", "two"):
        send(services, cid, text)
    original = replies(services, cid)[-1]
    user_two = next(m for m in services.store.messages(cid) if m.content == "two")
    run(services, services.engine.edit_and_resend(cid, user_two.id, "TWO"))
    edited = replies(services, cid)[-1]
    assert edited.id != original.id
    send(services, cid, "on the edit")
    assert sim.requests[-1].body["previous_response_id"] == kept_id(edited)
    services.store.select_message(original.id).result()
    assert [m.content for m in services.store.messages(cid)][2] == "two"
    send(services, cid, "back on the first branch")
    body = sim.requests[-1].body
    assert body["previous_response_id"] == kept_id(original)
    assert body["input"] == [{"role": "user", "content": "back on the first branch"}]
    model_saw = [token for _role, token in sim.responses.contexts[-1]]
    assert model_saw == seen(sim, "one", "You said: one", "two", "You said: two", "back on the first branch")


def test_a_reply_continued_in_place_is_not_chained_from(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    send(services, cid, "one")
    sim.enqueue(Reply(content="a long story cut", drop_after=2, chunk_chars=4))
    send(services, cid, "tell a story")
    cut = replies(services, cid)[-1]
    assert cut.status is MessageStatus.INTERRUPTED and "response" not in cut.meta
    sim.enqueue(Reply(content=" short."))
    run(services, services.engine.continue_reply(cid, cut.id))
    continued = services.store.message(cut.id)
    assert continued.status is MessageStatus.COMPLETE and continued.content.endswith(" short.")
    assert "response" not in continued.meta
    send(services, cid, "next")
    body = sim.requests[-1].body
    assert "previous_response_id" not in body
    assert body["input"][-2]["content"] == continued.content
