"""Consent belongs to one conversation, one reply and one call: an answer in one conversation never
lets another read its file, nobody is left waiting, and what is read is what the user allowed."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core.services import Services
from qwen_desktop.core.tools import (
    ConsentGate, ConsentRequest, Decision, ToolCallFinished, ToolConsentRequested, builtin_tools,
    with_enabled,
)
from qwen_desktop.core.types import ConversationSettings, Protocol
from tests.simulator import Reply, Simulator

WAIT_S = 15


@pytest.fixture
def tool_services(services: Services) -> Services:
    services.tools.builtins = builtin_tools()
    services.tools.gate = ConsentGate()
    return services


def reading(path: Path, call_id: str | None) -> Reply:
    call: dict[str, Any] = {"name": "read_local_file", "arguments": json.dumps({"path": str(path)})}
    if call_id is not None:
        call["id"] = call_id
    return Reply(tool_calls=[call])


def test_two_prompts_with_the_same_call_id_stay_apart() -> None:
    async def go() -> None:
        gate = ConsentGate()
        a = ConsentRequest(1, 10, "call_0", "read_local_file", "/a")
        b = ConsentRequest(2, 20, "call_0", "read_local_file", "/b")
        fa, fb = gate.open(a), gate.open(b)
        assert not gate.answer("call_0", Decision.ALLOW_ONCE), "a bare call id that is ambiguous answers nobody"
        assert gate.answer(a, Decision.ALLOW_ONCE)
        assert fa.done() and not fb.done()
        assert not gate.answer(a, Decision.DENY), "already answered"
        assert gate.answer(b, Decision.DENY)
        assert await gate.settle(a, fa) is Decision.ALLOW_ONCE
        assert await gate.settle(b, fb) is Decision.DENY
        assert gate.pending() == []

    asyncio.run(go())


@pytest.mark.parametrize("protocol", [Protocol.OPENAI, Protocol.DASHSCOPE])
@pytest.mark.parametrize("call_id", ["call_0", None])
def test_allowing_in_one_conversation_does_not_unblock_another(
    tool_services: Services, sim: Simulator, tmp_path: Path, protocol: Protocol, call_id: str | None
) -> None:
    harmless, secret = tmp_path / "harmless.txt", tmp_path / "secret.txt"
    harmless.write_text("the weather is fine", encoding="utf-8")
    secret.write_text("the launch codes", encoding="utf-8")
    store = tool_services.store
    settings = with_enabled(ConversationSettings(protocol=protocol), ["read_local_file"])
    first = store.create_conversation(settings.with_(region_id="intl")).result()
    second = store.create_conversation(settings.with_(region_id="cn")).result()
    sim.enqueue(reading(harmless, call_id), Reply(content="It says the weather is fine."), region="intl")
    sim.enqueue(reading(secret, call_id), Reply(content="I was not allowed."), region="cn")
    gate = tool_services.tools.gate

    async def converse(cid: int, text: str, asked: asyncio.Queue[ToolConsentRequested]) -> list[Any]:
        events = []
        async for event in tool_services.engine.send(cid, text):
            events.append(event)
            if isinstance(event, ToolConsentRequested):
                await asyncio.sleep(0)
                asked.put_nowait(event)
        return events

    async def go() -> tuple[list[Any], list[Any]]:
        asked_a: asyncio.Queue[ToolConsentRequested] = asyncio.Queue()
        asked_b: asyncio.Queue[ToolConsentRequested] = asyncio.Queue()
        try:
            task_a = asyncio.ensure_future(converse(first, "read harmless", asked_a))
            prompt_a = await asyncio.wait_for(asked_a.get(), WAIT_S)
            task_b = asyncio.ensure_future(converse(second, "read secret", asked_b))
            prompt_b = await asyncio.wait_for(asked_b.get(), WAIT_S)
            assert prompt_a.request.subject == str(harmless.resolve())
            assert prompt_b.request.subject == str(secret.resolve())
            assert gate.answer(prompt_a.request, Decision.ALLOW_ONCE)
            events_a = await asyncio.wait_for(task_a, WAIT_S)
            assert not task_b.done(), "the other conversation still waits for its own answer"
            assert gate.answer(prompt_b.request, Decision.DENY)
            events_b = await asyncio.wait_for(task_b, WAIT_S)
            return events_a, events_b
        finally:
            await tool_services.client.aclose()

    events_a, events_b = asyncio.run(go())
    finished_a = next(e for e in events_a if isinstance(e, ToolCallFinished))
    finished_b = next(e for e in events_b if isinstance(e, ToolCallFinished))
    assert finished_a.result == "the weather is fine" and not finished_a.denied
    assert finished_b.denied and "launch codes" not in json.dumps([r.body for r in sim.requests])
    assert gate.pending() == []


def swap(kind: str, link: Path, target: Path, secret: Path) -> None:
    if kind == "link":
        link.unlink()
        link.symlink_to(secret)
    elif kind == "target-link":
        target.unlink()
        target.symlink_to(secret)
    else:
        os.replace(secret, target)


@pytest.mark.parametrize("kind", ["link", "target-link", "target-replaced"])
def test_a_link_swapped_after_consent_is_not_followed(
    tool_services: Services, sim: Simulator, tmp_path: Path, kind: str
) -> None:
    target, secret = tmp_path / "notes.txt", tmp_path / "secret.txt"
    target.write_text("shopping list", encoding="utf-8")
    secret.write_text("the launch codes", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    store = tool_services.store
    cid = store.create_conversation(
        with_enabled(ConversationSettings(), ["read_local_file"])).result()
    sim.enqueue(reading(link, "call_x"), Reply(content="Done."))
    gate = tool_services.tools.gate

    async def go() -> list[Any]:
        events = []
        try:
            async for event in tool_services.engine.send(cid, "read it"):
                events.append(event)
                if isinstance(event, ToolConsentRequested):
                    assert event.request.subject == str(target.resolve()), "the prompt shows the real file"
                    swap(kind, link, target, secret)
                    gate.answer(event.request, Decision.ALLOW_ONCE)
        finally:
            await tool_services.client.aclose()
        return events

    events = asyncio.run(asyncio.wait_for(go(), WAIT_S))
    finished = next(e for e in events if isinstance(e, ToolCallFinished))
    assert "launch codes" not in finished.result
    if kind == "link":
        assert finished.result == "shopping list", "the file the user allowed is the one read"
    else:
        assert finished.error and "changed" in finished.error
    assert "launch codes" not in json.dumps([r.body for r in sim.requests])
