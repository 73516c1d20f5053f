"""Every generation parameter on the wire of both chat protocols: present when set, absent at the
model's default; out-of-range values refused with a sentence before anything is sent."""

from __future__ import annotations

from typing import Any

import pytest

from qwen_desktop.core.errors import ConfigError
from qwen_desktop.core.generation import GenerationParams, check, wire_fields
from qwen_desktop.core.services import Services
from qwen_desktop.core.types import ConversationSettings, Protocol, ThinkingMode
from tests.core.test_engine_images import run, send
from tests.simulator import Reply, Simulator

FULL = GenerationParams(top_p=0.8, top_k=40, max_tokens=300, seed=1234, presence_penalty=0.5,
                        repetition_penalty=1.1, stop=("END", "###"), json_mode=True)
NAMES = ("top_p", "top_k", "max_tokens", "seed", "presence_penalty", "repetition_penalty", "stop",
         "response_format")


def sent_parameters(sim: Simulator, protocol: Protocol) -> dict[str, Any]:
    body = sim.requests[-1].body
    return body if protocol is Protocol.OPENAI else body.get("parameters", {})


def conversation(services: Services, protocol: Protocol, params: GenerationParams, **more: Any) -> int:
    settings = ConversationSettings(model="qwen-plus", protocol=protocol, generation=params).with_(**more)
    return services.store.create_conversation(settings).result()


@pytest.mark.parametrize("protocol", [Protocol.OPENAI, Protocol.DASHSCOPE])
def test_every_parameter_is_sent_when_set(services: Services, sim: Simulator, protocol: Protocol) -> None:
    sim.enqueue(Reply(content='{"ok": true}'))
    cid = conversation(services, protocol, FULL, temperature=0.3)
    send(services, cid, "Answer in JSON.")
    sent = sent_parameters(sim, protocol)
    assert sent["top_p"] == 0.8 and sent["top_k"] == 40 and sent["max_tokens"] == 300
    assert sent["seed"] == 1234 and sent["presence_penalty"] == 0.5 and sent["repetition_penalty"] == 1.1
    assert sent["stop"] == ["END", "###"] and sent["response_format"] == {"type": "json_object"}
    assert sent["temperature"] == 0.3


@pytest.mark.parametrize("protocol", [Protocol.OPENAI, Protocol.DASHSCOPE])
def test_model_default_sends_nothing(services: Services, sim: Simulator, protocol: Protocol) -> None:
    sim.enqueue(Reply(content="ok"))
    cid = conversation(services, protocol, GenerationParams())
    send(services, cid, "Hi")
    sent = sent_parameters(sim, protocol)
    assert not any(name in sent for name in NAMES), sent
    assert "temperature" not in sent


@pytest.mark.parametrize("protocol", [Protocol.OPENAI, Protocol.DASHSCOPE])
def test_one_parameter_alone(services: Services, sim: Simulator, protocol: Protocol) -> None:
    sim.enqueue(Reply(content="ok"))
    cid = conversation(services, protocol, GenerationParams(seed=7))
    send(services, cid, "Hi")
    sent = sent_parameters(sim, protocol)
    assert sent["seed"] == 7 and not any(name in sent for name in NAMES if name != "seed")


@pytest.mark.parametrize(("params", "temperature", "words"), [
    (GenerationParams(), 2.0, "Temperature must be from 0 up to"),
    (GenerationParams(), -0.1, "Temperature"),
    (GenerationParams(top_p=0.0), None, "Top P must be above 0"),
    (GenerationParams(top_p=1.5), None, "Top P"),
    (GenerationParams(top_k=0), None, "Top K"),
    (GenerationParams(max_tokens=0), None, "reply length limit"),
    (GenerationParams(max_tokens=10**9), None, "reply length limit"),
    (GenerationParams(seed=-1), None, "seed"),
    (GenerationParams(seed=2**31), None, "seed"),
    (GenerationParams(presence_penalty=2.5), None, "presence penalty"),
    (GenerationParams(repetition_penalty=0.0), None, "repetition penalty"),
    (GenerationParams(stop=tuple(str(i) for i in range(17))), None, "stop sequences"),
])
def test_out_of_range_values_are_refused_before_sending(
    services: Services, sim: Simulator, params: GenerationParams, temperature: float | None, words: str,
) -> None:
    before = len(sim.requests)
    cid = conversation(services, Protocol.OPENAI, params, temperature=temperature)
    with pytest.raises(ConfigError, match=words):
        run(services, services.engine.send(cid, "Hi"))
    assert len(sim.requests) == before


def test_json_mode_with_thinking_is_refused(services: Services, sim: Simulator) -> None:
    before = len(sim.requests)
    cid = conversation(services, Protocol.OPENAI, GenerationParams(json_mode=True), thinking=ThinkingMode.ON)
    with pytest.raises(ConfigError, match="JSON mode works only with thinking off"):
        run(services, services.engine.send(cid, "Hi"))
    assert len(sim.requests) == before


def test_settings_round_trip_and_reading_is_lenient() -> None:
    settings = ConversationSettings(generation=FULL)
    assert ConversationSettings.from_json(settings.to_json()) == settings
    assert ConversationSettings().to_json()["generation"] == {}
    odd = GenerationParams.from_json({"top_p": "high", "seed": 1.5, "stop": ["", 3, "END"], "json_mode": "yes"})
    assert odd == GenerationParams(stop=("END",))


def test_responses_names() -> None:
    fields = wire_fields(GenerationParams(max_tokens=50, json_mode=True), "responses")
    assert fields == {"max_output_tokens": 50, "text": {"format": {"type": "json_object"}}}
    check(GenerationParams(max_tokens=50), max_output=100)
    with pytest.raises(ConfigError):
        check(GenerationParams(max_tokens=500), max_output=100)
