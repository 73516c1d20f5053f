"""The engine learns from the service's answers: once, durably, with at most one retry per request.

Every test runs the real openai or dashscope SDK against the simulator's newer model behaviours
(``tests/sim_models.py``), then restarts the services on the same data folder and checks that the
next request is right the first time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core.engine import ModelNotice, ReplyFailed, ReplyFinished
from qwen_desktop.core.images import VisionRequiredError
from qwen_desktop.core.services import Services, build_services
from qwen_desktop.core.types import ContextPolicy, ConversationSettings, Protocol, ThinkingMode
from tests.core.test_engine_images import attach, image_urls
from tests.sim_models import BUDGET_CAP, INPUT_RANGE, THINKING_ONLY, URL_ERROR
from tests.simulator import Simulator

PROTOCOLS = [Protocol.OPENAI, Protocol.DASHSCOPE]


def restart(services: Services, sim: Simulator, data_dir: Path) -> Services:
    asyncio.run(services.client.aclose())
    services.close_store()
    again = build_services(data_dir, region_overrides={r: sim.base_url(r) for r in sim.regions}, env={})
    for region, key in sim.regions.items():
        again.keys.set(region, key)
    return again


@pytest.fixture
def live(services: Services, sim: Simulator, data_dir: Path) -> Iterator[dict[str, Services]]:
    """Holds the current services so a test can restart them; closes whatever is current at the end."""
    box = {"s": services}
    yield box
    if box["s"] is not services:
        asyncio.run(box["s"].client.aclose())
        box["s"].store.close()


def conversation(services: Services, **changes: Any) -> int:
    return services.store.create_conversation(ConversationSettings().with_(**changes)).result()


def send(services: Services, cid: int, text: str, refs: list[dict[str, Any]] | None = None) -> list[Any]:
    async def go() -> list[Any]:
        try:
            return [event async for event in services.engine.send(cid, text, refs or ())]
        finally:
            await services.client.aclose()

    return asyncio.run(go())


def chat_requests(sim: Simulator) -> list[Any]:
    return [r for r in sim.requests if r.kind == "chat"]


def params(record: Any) -> dict[str, Any]:
    return record.body if record.protocol == "openai" else record.body.get("parameters", {})


def notices(events: list[Any]) -> list[ModelNotice]:
    return [e for e in events if isinstance(e, ModelNotice)]


def finished(events: list[Any]) -> ReplyFinished:
    done = [e for e in events if isinstance(e, ReplyFinished)]
    assert done, [e for e in events if isinstance(e, ReplyFailed)]
    return done[-1]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_thinking_only_model_is_learned_once(
    live: dict[str, Services], sim: Simulator, data_dir: Path, protocol: Protocol
) -> None:
    services = live["s"]
    cid = conversation(services, model="qwen3.9-max", protocol=protocol, thinking=ThinkingMode.OFF)
    events = send(services, cid, "first question")
    first, second = chat_requests(sim)
    assert params(first)["enable_thinking"] is False and params(second)["enable_thinking"] is True
    learned = [n for n in notices(events) if n.learned]
    assert [n.learned for n in learned] == ["thinking_only"]
    assert learned[0].sentence == (
        "qwen3.9-max always thinks: the service does not let thinking be turned off for it.")
    reply = finished(events).message
    assert reply.reasoning and reply.content == "You said: first question"
    assert [m.content for m in services.store.messages(cid)] == ["first question", reply.content]
    assert services.catalog.get("qwen3.9-max", "intl").thinking == "always"

    live["s"] = services = restart(services, sim, data_dir)
    sim.requests.clear()
    events = send(services, cid, "second question")
    [only] = chat_requests(sim)
    assert params(only)["enable_thinking"] is True
    assert not [n for n in notices(events) if n.learned]
    assert [n.sentence for n in notices(events)] == [
        "qwen3.9-max always thinks: it will think for this reply even though thinking is off."]
    finished(events)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_budget_cap_is_learned_and_clamped(
    live: dict[str, Services], sim: Simulator, data_dir: Path, protocol: Protocol
) -> None:
    services = live["s"]
    cid = conversation(services, model="qwen3.9-max", protocol=protocol,
                       thinking=ThinkingMode.BUDGET, thinking_budget=999_999)
    events = send(services, cid, "think hard")
    first, second = chat_requests(sim)
    assert params(first)["thinking_budget"] == 38_912
    assert params(second)["thinking_budget"] == 32_768
    assert [n.learned for n in notices(events) if n.learned] == ["budget_cap"]
    finished(events)
    live["s"] = services = restart(services, sim, data_dir)
    sim.requests.clear()
    events = send(services, cid, "again")
    [only] = chat_requests(sim)
    assert params(only)["thinking_budget"] == 32_768
    assert "at most 32,768 tokens" in notices(events)[0].sentence
    finished(events)


def test_unified_model_moves_to_the_multimodal_path(
    live: dict[str, Services], sim: Simulator, data_dir: Path
) -> None:
    services = live["s"]
    cid = conversation(services, model="qwen3-unified-plus", protocol=Protocol.DASHSCOPE)
    events = send(services, cid, "hello")
    first, second = chat_requests(sim)
    assert first.path.endswith("/text-generation/generation")
    assert second.path.endswith("/multimodal-generation/generation")
    [notice] = [n for n in notices(events) if n.learned]
    assert notice.learned == "native_path" and "multimodal path" in notice.sentence
    assert finished(events).message.content == "You said: hello"
    live["s"] = services = restart(services, sim, data_dir)
    sim.requests.clear()
    finished(send(services, cid, "again"))
    [only] = chat_requests(sim)
    assert only.path.endswith("/multimodal-generation/generation")


def test_input_range_rebuilds_under_the_context_policy(
    live: dict[str, Services], sim: Simulator, data_dir: Path
) -> None:
    services = live["s"]
    model = "qwen3.9-flash-2026-11-20"
    cid = conversation(services, model=model, context_policy=ContextPolicy.LAST_N,
                       context_params={"n": 10})
    finished(send(services, cid, "alpha " * 25))
    sim.requests.clear()
    events = send(services, cid, "beta " * 10)
    first, second = chat_requests(sim)
    assert len(first.body["messages"]) == 3 and len(second.body["messages"]) == 1
    assert [n.learned for n in notices(events) if n.learned] == ["max_input"]
    assert finished(events).message.content.startswith("You said: beta")
    assert services.catalog.get(model, "intl").max_input == 60
    live["s"] = services = restart(services, sim, data_dir)
    sim.requests.clear()
    finished(send(services, cid, "gamma " * 10))
    [only] = chat_requests(sim)
    contents = [m["content"] for m in only.body["messages"]]
    assert contents[-1].startswith("gamma") and not any(c.startswith("alpha") for c in contents)


def test_input_range_under_full_history_fails_with_a_sentence(
    live: dict[str, Services], sim: Simulator
) -> None:
    services = live["s"]
    cid = conversation(services, model="qwen3.9-flash-2026-11-20")
    finished(send(services, cid, "alpha " * 25))
    sim.requests.clear()
    events = send(services, cid, "beta " * 10)
    assert len(chat_requests(sim)) == 1
    [failed] = [e for e in events if isinstance(e, ReplyFailed)]
    assert "no longer fits" in str(failed.error)
    assert services.store.messages(cid)[-2].content == "beta " * 10


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_reasoning_arriving_unasked_is_learned(
    live: dict[str, Services], sim: Simulator, data_dir: Path, protocol: Protocol
) -> None:
    services = live["s"]
    cid = conversation(services, model="qwen3-coder-plus", protocol=protocol)
    events = send(services, cid, "hi")
    [only] = chat_requests(sim)
    assert "enable_thinking" not in params(only)
    assert [n.learned for n in notices(events) if n.learned] == ["thinks_by_default"]
    assert finished(events).message.reasoning
    live["s"] = services = restart(services, sim, data_dir)
    sim.requests.clear()
    events = send(services, cid, "hi again")
    [only] = chat_requests(sim)
    assert params(only)["enable_thinking"] is False
    assert not finished(events).message.reasoning
    assert not notices(events)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_image_refused_keeps_the_images_and_offers_a_vision_model(
    live: dict[str, Services], sim: Simulator, data_dir: Path, protocol: Protocol
) -> None:
    services = live["s"]
    cid = conversation(services, model="qwen-legacy-turbo", protocol=protocol)
    ref = attach(services)
    events = send(services, cid, "what is this?", [ref])
    assert len(chat_requests(sim)) == 1
    assert image_urls((chat_requests(sim)[0].body.get("messages") or chat_requests(sim)[0].body["input"]["messages"])[-1])
    [failed] = [e for e in events if isinstance(e, ReplyFailed)]
    assert isinstance(failed.error, VisionRequiredError) and failed.error.suggestion == "qwen3-vl-plus"
    user = services.store.messages(cid)[0]
    assert user.content == "what is this?" and user.attachments[0]["sha256"] == ref["sha256"]
    assert "cannot see images" in [n for n in notices(events) if n.learned][0].sentence
    live["s"] = services = restart(services, sim, data_dir)
    sim.requests.clear()
    with pytest.raises(VisionRequiredError):
        send(services, cid, "and this?", [attach(services)])
    assert not chat_requests(sim)


def test_at_most_one_retry_never_a_loop(live: dict[str, Services], sim: Simulator) -> None:
    """A model that keeps refusing after one lesson gets one retry, then a plain failure."""
    services = live["s"]
    cid = conversation(services, model="qwen3.9-max", thinking=ThinkingMode.OFF)
    from tests.simulator import Reply

    sim.enqueue(Reply(status=400, code="InvalidParameter", message=THINKING_ONLY), region="intl")
    events = send(services, cid, "question")
    assert len(chat_requests(sim)) == 2
    [failed] = [e for e in events if isinstance(e, ReplyFailed)]
    assert failed.error.server_message == THINKING_ONLY
    assert services.store.messages(cid)[0].content == "question"


def test_simulator_messages_are_the_services(sim: Simulator) -> None:
    assert URL_ERROR.startswith("url error, please check url\uff01")
    assert BUDGET_CAP.format(cap=5).endswith("not greater than 5")
    assert INPUT_RANGE.format(limit=7) == "Range of input length should be [1, 7]"
