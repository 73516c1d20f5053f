"""MCP servers through the official SDK: a stdio server started as a subprocess."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core.engine import ReplyFinished
from qwen_desktop.core.services import Services
from qwen_desktop.core.tools import (
    ConsentGate, Decision, McpHub, McpServerSpec, ToolCallFinished, ToolError, mcp_id, with_enabled,
)
from qwen_desktop.core.types import ConversationSettings, Protocol
from tests.simulator import Reply, Simulator

FIXTURE = str(Path(__file__).resolve().parents[1] / "mcp_server_fixture.py")
SPEC = McpServerSpec(name="fixture", command=sys.executable, args=(FIXTURE,), ask_first=False)


def test_list_call_and_crash_against_a_real_stdio_server() -> None:
    async def go() -> None:
        hub = McpHub([SPEC])
        try:
            spec = await hub.refresh_tools("fixture")
            assert {t["name"] for t in spec.tools} == {"add", "shout", "crash"}
            assert spec.tools[0]["input_schema"]["type"] == "object"
            assert await hub.call("fixture", "add", {"a": 2, "b": 40}) == "42"
            with pytest.raises(ToolError, match='"fixture" stopped while running crash'):
                await hub.call("fixture", "crash", {})
            assert await hub.call("fixture", "shout", {"text": "back"}) == "BACK"
        finally:
            await hub.aclose()

    asyncio.run(go())


def test_an_unstartable_server_gives_a_sentence() -> None:
    async def go() -> None:
        hub = McpHub([McpServerSpec(name="ghost", command="/nonexistent/mcp-server")])
        with pytest.raises(ToolError, match='"ghost" could not start'):
            await hub.call("ghost", "anything", {})
        await hub.aclose()

    asyncio.run(go())


@pytest.mark.parametrize("protocol", [Protocol.OPENAI, Protocol.DASHSCOPE])
def test_the_engine_calls_an_mcp_tool_and_survives_its_crash(
    services: Services, sim: Simulator, protocol: Protocol
) -> None:
    services.tools.hub = McpHub([SPEC])
    services.tools.gate = ConsentGate(lambda request: Decision.ALLOW_ONCE)
    settings = with_enabled(ConversationSettings(protocol=protocol), [mcp_id("fixture")])
    cid = services.store.create_conversation(settings).result()
    sim.enqueue(
        Reply(tool_calls=[
            {"id": "m1", "name": "fixture__add", "arguments": json.dumps({"a": 20, "b": 22})},
            {"id": "m2", "name": "fixture__crash", "arguments": "{}"},
        ]),
        Reply(content="20+22 is 42; the other tool broke."),
    )

    async def go() -> list[Any]:
        try:
            return [event async for event in services.engine.send(cid, "Add, then crash")]
        finally:
            await services.tools.aclose()
            await services.client.aclose()

    events = asyncio.run(go())
    first = sim.requests[-2].body
    names = {t["function"]["name"] for t in (first if protocol is Protocol.OPENAI else first["parameters"])["tools"]}
    assert names == {"fixture__add", "fixture__shout", "fixture__crash"}
    finished = [ev for ev in events if isinstance(ev, ToolCallFinished)]
    assert finished[0].result == "42" and finished[0].error is None
    assert finished[1].error is not None and "stopped while running crash" in finished[1].error
    messages = sim.requests[-1].body
    messages = messages["messages"] if protocol is Protocol.OPENAI else messages["input"]["messages"]
    assert [m["content"] for m in messages if m["role"] == "tool"][1].startswith("Error: The MCP server")
    assert isinstance(events[-1], ReplyFinished)
