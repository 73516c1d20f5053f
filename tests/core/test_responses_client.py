"""The Responses transport with the real openai SDK against the simulator's Responses API."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from qwen_desktop.core import errors as e
from qwen_desktop.core.client import ChatClient
from qwen_desktop.core.types import (
    ChatRequest, ContentDelta, Endpoint, Finished, Protocol, ReasoningDelta, Role, ServerToolUpdate,
    ToolCall, ToolCallsReady, UsageUpdate, WireMessage,
)
from tests.simulator import Reply, Simulator


@pytest.fixture(scope="module")
def sim() -> Any:
    with Simulator() as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def _clean(sim: Simulator) -> None:
    sim.reset()


def request(sim: Simulator, *messages: WireMessage, **kw: Any) -> ChatRequest:
    fields: dict[str, Any] = {
        "endpoint": Endpoint("intl", sim.base_url("intl"), sim.regions["intl"]),
        "protocol": Protocol.RESPONSES, "model": "qwen3-max",
        "messages": messages or (WireMessage(Role.USER, "Hello"),),
    }
    fields.update(kw)
    return ChatRequest(**fields)


def stream(req: ChatRequest) -> list[Any]:
    async def main() -> list[Any]:
        client = ChatClient(max_attempts=1)
        try:
            return [event async for event in client.stream(req)]
        finally:
            await client.aclose()

    return asyncio.run(main())


def text_of(events: list[Any], kind: type) -> str:
    return "".join(ev.text for ev in events if isinstance(ev, kind))


def test_stream_maps_reasoning_text_usage_and_response_id(sim: Simulator) -> None:
    events = stream(request(sim, enable_thinking=True))
    assert text_of(events, ReasoningDelta) == "Thinking about: Hello"
    assert text_of(events, ContentDelta) == "You said: Hello"
    usage = next(ev.usage for ev in events if isinstance(ev, UsageUpdate))
    assert usage.input_tokens == 1 and usage.output_tokens > usage.reasoning_tokens > 0
    finished = events[-1]
    assert isinstance(finished, Finished) and finished.reason == "stop"
    assert finished.response_id is not None and finished.response_id in sim.responses.kept
    sent = sim.requests[-1]
    assert sent.path.endswith("/compatible-mode/v1/responses")
    assert sent.headers.get("x-dashscope-session-cache") == "enable"
    assert sent.body["input"] == [{"role": "user", "content": "Hello"}]
    assert sent.body["stream"] is True and sent.body["enable_thinking"] is True


def test_second_turn_chains_and_reads_history_from_the_session_cache(sim: Simulator) -> None:
    long = "word " * 400
    first = stream(request(sim, WireMessage(Role.USER, long)))[-1]
    events = stream(request(sim, WireMessage(Role.USER, "And now?"), previous_response_id=first.response_id))
    sent = sim.requests[-1].body
    assert sent["previous_response_id"] == first.response_id
    assert sent["input"] == [{"role": "user", "content": "And now?"}]
    usage = next(ev.usage for ev in events if isinstance(ev, UsageUpdate))
    seen = sim.responses.contexts[-1]
    assert usage.input_tokens == len(seen) > 400
    assert usage.cached_tokens == len(seen) - 2


def test_a_forgotten_response_is_a_typed_error(sim: Simulator) -> None:
    first = stream(request(sim))[-1]
    sim.responses.expire(first.response_id)
    with pytest.raises(e.ResponseExpiredError) as caught:
        stream(request(sim, WireMessage(Role.USER, "Again"), previous_response_id=first.response_id))
    assert caught.value.status == 400


def test_a_model_that_refuses_the_api_is_named_so(sim: Simulator) -> None:
    with pytest.raises(e.ResponsesUnsupportedError) as caught:
        stream(request(sim, model="qwen-turbo"))
    assert "Responses API" in (caught.value.server_message or "")
    sim.responses.refusing.add("qwen-plus-special")
    with pytest.raises(e.ResponsesUnsupportedError):
        stream(request(sim, model="qwen-plus-special"))


@pytest.mark.parametrize(("tool", "prompt", "asked", "answer"), [
    ("web_search", "Search the latest Qwen news", "latest Qwen news", "https://example.com/one"),
    ("web_extractor", "Read https://example.net/page please", "https://example.net/page",
     "Page text of https://example.net/page"),
    ("code_interpreter", "Calculate 12 times 34", "print(12 * 34)", "408"),
])
def test_server_tools_come_back_as_started_and_done(
    sim: Simulator, tool: str, prompt: str, asked: str, answer: str
) -> None:
    events = stream(request(sim, WireMessage(Role.USER, prompt), server_tools=(tool,)))
    updates = [ev for ev in events if isinstance(ev, ServerToolUpdate)]
    assert [u.done for u in updates] == [False, True]
    assert {u.tool for u in updates} == {tool}
    assert asked in updates[1].arguments and answer in updates[1].result
    assert sim.requests[-1].body["tools"] == [{"type": tool}]


def test_function_calls_and_their_outputs_chain(sim: Simulator) -> None:
    tool = {"type": "function", "function": {"name": "clock", "description": "Now",
                                             "parameters": {"type": "object", "properties": {}}}}
    sim.enqueue(Reply(tool_calls=[{"id": "call_1", "name": "clock", "arguments": "{}"}]))
    events = stream(request(sim, tools=(tool,), extra={"tool_choice": "auto"}))
    ready = next(ev for ev in events if isinstance(ev, ToolCallsReady))
    assert ready.calls == (ToolCall("call_1", "clock", "{}"),)
    finished = events[-1]
    assert finished.reason == "tool_calls"
    assert sim.requests[-1].body["tools"][0]["name"] == "clock"
    events = stream(request(
        sim, WireMessage(Role.TOOL, "12:00", tool_call_id="call_1"), tools=(tool,),
        previous_response_id=finished.response_id,
    ))
    assert sim.requests[-1].body["input"] == [
        {"type": "function_call_output", "call_id": "call_1", "output": "12:00"}]
    assert text_of(events, ContentDelta) == "You said: the tool results"


def test_full_history_goes_as_items_with_calls_and_outputs(sim: Simulator) -> None:
    call = ToolCall("call_9", "clock", "{}")
    stream(request(
        sim, WireMessage(Role.SYSTEM, "Be brief."), WireMessage(Role.USER, "Time?"),
        WireMessage(Role.ASSISTANT, "", tool_calls=(call,)),
        WireMessage(Role.TOOL, "12:00", tool_call_id="call_9"),
        WireMessage(Role.ASSISTANT, "It is noon."), WireMessage(Role.USER, "Thanks"),
    ))
    items = sim.requests[-1].body["input"]
    assert [i.get("type", i.get("role")) for i in items] == [
        "system", "user", "function_call", "function_call_output", "assistant", "user"]


def test_failure_mid_stream_keeps_what_arrived(sim: Simulator) -> None:
    sim.enqueue(Reply(content="partial answer here", error_chunk_after=2))
    events: list[Any] = []

    async def main() -> None:
        client = ChatClient(max_attempts=1)
        try:
            async for event in client.stream(request(sim)):
                events.append(event)
        finally:
            await client.aclose()

    with pytest.raises(e.ContentFilteredError):
        asyncio.run(main())
    assert text_of(events, ContentDelta) == "partial "


def test_non_stream_body_is_a_full_response(sim: Simulator) -> None:
    import urllib.request

    body = json.dumps({"model": "qwen3-max", "input": "Hi"}).encode()
    req = urllib.request.Request(
        sim.base_url("intl") + "/compatible-mode/v1/responses", data=body,
        headers={"Authorization": f"Bearer {sim.regions['intl']}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req) as answer:  # noqa: S310 - loopback simulator
        data = json.loads(answer.read())
    assert data["status"] == "completed" and data["id"].startswith("resp_")
    assert data["output"][-1]["content"][0]["text"] == "You said: Hi"
    assert data["usage"]["input_tokens_details"] == {"cached_tokens": 0}
