"""Function calling through the engine against the simulator, on both protocols."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest

from qwen_desktop.core.engine import ReplyFailed, ReplyFinished, ReplyStarted, ToolLoopLimitError
from qwen_desktop.core.services import Services
from qwen_desktop.core.tools import (
    DECLINED, ConsentGate, Decision, ToolCallFinished, ToolCallStarted, ToolConsentRequested,
    builtin_tools, with_enabled,
)
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Protocol, Role, ThinkingMode
from tests.simulator import Reply, Simulator

PROTOCOLS = [Protocol.OPENAI, Protocol.DASHSCOPE]
FIXED_ZONE = "Asia/Shanghai"


def conversation(services: Services, tools: list[str], **changes: Any) -> int:
    settings = with_enabled(ConversationSettings().with_(**changes), tools)
    return services.store.create_conversation(settings).result()


def wire(body: dict[str, Any], protocol: Protocol) -> list[dict[str, Any]]:
    return body["messages"] if protocol is Protocol.OPENAI else body["input"]["messages"]


def params(body: dict[str, Any], protocol: Protocol) -> dict[str, Any]:
    return body if protocol is Protocol.OPENAI else body.get("parameters", {})


def run(services: Services, cid: int, text: str, answer: Callable[[Any], Decision] | None = None) -> list[Any]:
    async def go() -> list[Any]:
        events = []
        try:
            async for event in services.engine.send(cid, text):
                events.append(event)
                if isinstance(event, ToolConsentRequested) and answer is not None:
                    services.tools.gate.answer(event.call.id, answer(event))
        finally:
            await services.client.aclose()
        return events

    return asyncio.run(go())


@pytest.fixture
def tool_services(services: Services) -> Services:
    services.tools.builtins = builtin_tools(zone_name=FIXED_ZONE)
    services.tools.gate = ConsentGate()
    return services


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_parallel_calls_run_and_both_results_go_back(
    tool_services: Services, sim: Simulator, protocol: Protocol
) -> None:
    cid = conversation(tool_services, ["current_time", "calculator"], protocol=protocol,
                       thinking=ThinkingMode.ON)
    sim.enqueue(
        Reply(reasoning="I need the time and a sum.", tool_calls=[
            {"id": "call_a", "name": "current_time", "arguments": "{}"},
            {"id": "call_b", "name": "calculator", "arguments": json.dumps({"expression": "17*23"})},
        ]),
        Reply(content="It is late, and 17*23 is 391."),
    )
    events = run(tool_services, cid, "What time is it, and what is 17*23?")
    first, follow_up = sim.requests[-2].body, sim.requests[-1].body
    assert {t["function"]["name"] for t in params(first, protocol)["tools"]} == {"current_time", "calculator"}
    assert params(first, protocol)["tool_choice"] == "auto"
    assert params(first, protocol)["parallel_tool_calls"] is True
    messages = wire(follow_up, protocol)
    assert [m["role"] for m in messages] == ["user", "assistant", "tool", "tool"]
    assert [c["id"] for c in messages[1]["tool_calls"]] == ["call_a", "call_b"]
    assert messages[1]["tool_calls"][1]["function"] == {
        "name": "calculator", "arguments": '{"expression": "17*23"}'
    }
    assert "I need the time" not in json.dumps(follow_up)
    results = {m["tool_call_id"]: m["content"] for m in messages[2:]}
    assert results["call_b"] == "391"
    assert FIXED_ZONE in results["call_a"] and "UTC+08:00" in results["call_a"]
    finished = [ev for ev in events if isinstance(ev, ToolCallFinished)]
    assert [ev.call.name for ev in finished] == ["current_time", "calculator"]
    assert all(ev.error is None for ev in finished)
    assert sum(isinstance(ev, ReplyStarted) for ev in events) == 2
    assert isinstance(events[-1], ReplyFinished) and "391" in events[-1].message.content
    stored = tool_services.store.messages(cid)
    assert [m.role for m in stored] == [Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.ASSISTANT]
    assert stored[1].reasoning == "I need the time and a sum."
    assert [c["id"] for c in stored[1].meta["tool_calls"]] == ["call_a", "call_b"]
    assert stored[3].meta["tool_call_id"] == "call_b" and stored[3].content == "391"

    sim.enqueue(Reply(content="You are welcome."))
    run(tool_services, cid, "Thanks")
    later = wire(sim.requests[-1].body, protocol)
    assert [m["role"] for m in later] == ["user", "assistant", "tool", "tool", "assistant", "user"]
    assert later[2]["tool_call_id"] == "call_a"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_declined_call_is_reported_to_the_model(
    tool_services: Services, sim: Simulator, protocol: Protocol, tmp_path: Any
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not share", encoding="utf-8")
    cid = conversation(tool_services, ["read_local_file"], protocol=protocol)
    sim.enqueue(
        Reply(tool_calls=[{"id": "call_f", "name": "read_local_file",
                           "arguments": json.dumps({"path": str(secret)})}]),
        Reply(content="Understood, I will not read it."),
    )
    asked: list[ToolConsentRequested] = []

    def deny(event: ToolConsentRequested) -> Decision:
        asked.append(event)
        return Decision.DENY

    events = run(tool_services, cid, "Read my secret file", deny)
    assert asked and asked[0].request.subject == str(secret.resolve())
    messages = wire(sim.requests[-1].body, protocol)
    assert messages[-1] == {"role": "tool", "tool_call_id": "call_f", "content": DECLINED} or (
        messages[-1]["content"] == DECLINED
    )
    assert "do not share" not in json.dumps(sim.requests[-1].body)
    finished = next(ev for ev in events if isinstance(ev, ToolCallFinished))
    assert finished.denied


def test_allow_always_covers_the_same_file_only(tool_services: Services, sim: Simulator, tmp_path: Any) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("buy milk", encoding="utf-8")
    cid = conversation(tool_services, ["read_local_file"])
    call = {"name": "read_local_file", "arguments": json.dumps({"path": str(notes)})}
    sim.enqueue(Reply(tool_calls=[call]), Reply(content="Milk."))
    asked = run(tool_services, cid, "What is on my list?", lambda ev: Decision.ALLOW_ALWAYS)
    assert sum(isinstance(ev, ToolConsentRequested) for ev in asked) == 1
    assert "buy milk" in json.dumps(sim.requests[-1].body)
    sim.enqueue(Reply(tool_calls=[call]), Reply(content="Still milk."))
    again = run(tool_services, cid, "And now?", lambda ev: Decision.DENY)
    assert not any(isinstance(ev, ToolConsentRequested) for ev in again)


def test_the_loop_limit_stops_a_model_that_never_answers(tool_services: Services, sim: Simulator) -> None:
    tool_services.engine.max_tool_rounds = 3
    cid = conversation(tool_services, ["calculator"])
    forever = Reply(tool_calls=[{"name": "calculator", "arguments": '{"expression": "1+1"}'}])
    sim.enqueue(*[forever] * 4)
    before = len(sim.requests)
    events = run(tool_services, cid, "Add forever")
    assert len(sim.requests) - before == 4
    assert sum(isinstance(ev, ToolCallStarted) for ev in events) == 3
    failed = events[-1]
    assert isinstance(failed, ReplyFailed) and isinstance(failed.error, ToolLoopLimitError)
    assert failed.message.error["sentence"].startswith("Stopped after 3 rounds of tool calls")
    assert failed.message.status is MessageStatus.ERROR
    sim.enqueue(Reply(content="Fine."))
    run(tool_services, cid, "Stop it")
    roles = [m["role"] for m in sim.requests[-1].body["messages"]]
    assert roles.count("tool") == 3 and roles[-1] == "user"


def test_unknown_tool_and_bad_arguments_become_error_results(tool_services: Services, sim: Simulator) -> None:
    cid = conversation(tool_services, ["calculator"])
    sim.enqueue(
        Reply(tool_calls=[
            {"id": "c1", "name": "launch_rockets", "arguments": "{}"},
            {"id": "c2", "name": "calculator", "arguments": '{"expression": "__import__(\'os\')"}'},
        ]),
        Reply(content="Sorry."),
    )
    events = run(tool_services, cid, "Do things")
    errors = [ev.error for ev in events if isinstance(ev, ToolCallFinished)]
    assert "no tool named 'launch_rockets'" in errors[0]
    assert "Only numbers" in errors[1]
    contents = [m["content"] for m in sim.requests[-1].body["messages"] if m["role"] == "tool"]
    assert all(text.startswith("Error: ") for text in contents)
    assert isinstance(events[-1], ReplyFinished)


def test_regenerating_the_answer_replaces_the_whole_tool_chain(tool_services: Services, sim: Simulator) -> None:
    cid = conversation(tool_services, ["calculator"])
    sim.enqueue(Reply(tool_calls=[{"name": "calculator", "arguments": '{"expression": "2+2"}'}]),
                Reply(content="4"))
    run(tool_services, cid, "2+2?")
    final = tool_services.store.messages(cid)[-1]
    sim.enqueue(Reply(content="Four."))

    async def go() -> None:
        try:
            async for _ in tool_services.engine.regenerate(cid, final.id):
                pass
        finally:
            await tool_services.client.aclose()

    asyncio.run(go())
    stored = tool_services.store.messages(cid)
    assert [m.role for m in stored] == [Role.USER, Role.ASSISTANT]
    assert stored[-1].content == "Four."
