"""The client over both protocols, with the real SDKs against the loopback simulator."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from qwen_desktop.core import errors as e
from qwen_desktop.core.client import ChatClient, import_off_the_loop
from qwen_desktop.core.types import (
    ChatRequest, ContentDelta, Endpoint, Finished, Protocol, ReasoningDelta, Role, UsageUpdate,
    WireMessage,
)
from tests.simulator import Reply, Simulator

PROTOCOLS = [Protocol.OPENAI, Protocol.DASHSCOPE]


@pytest.fixture(scope="module")
def sim() -> Any:
    with Simulator() as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def _clean(sim: Simulator) -> None:
    sim.reset()


def endpoint(sim: Simulator, region: str = "intl", key: str | None = None) -> Endpoint:
    return Endpoint(region, sim.base_url(region), key or sim.regions[region])


def request(sim: Simulator, protocol: Protocol, text: str = "Hello", **kw: Any) -> ChatRequest:
    fields: dict[str, Any] = {
        "endpoint": endpoint(sim), "protocol": protocol, "model": "qwen-plus",
        "messages": (WireMessage(Role.USER, text),),
    }
    fields.update(kw)
    return ChatRequest(**fields)


def run(fn: Callable[[ChatClient], Awaitable[Any]], **client_kw: Any) -> Any:
    async def main() -> Any:
        client = ChatClient(**client_kw)
        try:
            return await fn(client)
        finally:
            await client.aclose()

    return asyncio.run(main())


async def collect(client: ChatClient, req: ChatRequest) -> list[Any]:
    return [event async for event in client.stream(req)]


def texts(events: list[Any], kind: type) -> str:
    return "".join(ev.text for ev in events if isinstance(ev, kind))


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_reasoning_and_answer_stream_separately(sim: Simulator, protocol: Protocol) -> None:
    sim.enqueue(Reply(reasoning="Let me think this over carefully", content="The answer is 42."))
    events = run(lambda c: collect(c, request(sim, protocol, enable_thinking=True)))
    assert texts(events, ReasoningDelta) == "Let me think this over carefully"
    assert texts(events, ContentDelta) == "The answer is 42."
    first_content = next(i for i, ev in enumerate(events) if isinstance(ev, ContentDelta))
    last_reasoning = max(i for i, ev in enumerate(events) if isinstance(ev, ReasoningDelta))
    assert last_reasoning < first_content
    usage = [ev.usage for ev in events if isinstance(ev, UsageUpdate)][-1]
    assert usage.output_tokens > 0 and usage.input_tokens > 0
    assert usage.reasoning_tokens > 0
    finished = events[-1]
    assert isinstance(finished, Finished) and finished.reason == "stop"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_thinking_flag_and_budget_reach_the_wire(sim: Simulator, protocol: Protocol) -> None:
    run(lambda c: collect(c, request(sim, protocol, enable_thinking=True, thinking_budget=64)))
    body = sim.requests[-1].body
    params = body if protocol is Protocol.OPENAI else body["parameters"]
    assert params["enable_thinking"] is True
    assert params["thinking_budget"] == 64
    if protocol is Protocol.DASHSCOPE:
        assert params["incremental_output"] is True
        assert params["result_format"] == "message"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_thinking_off_is_sent_explicitly(sim: Simulator, protocol: Protocol) -> None:
    events = run(lambda c: collect(c, request(sim, protocol, enable_thinking=False)))
    body = sim.requests[-1].body
    params = body if protocol is Protocol.OPENAI else body["parameters"]
    assert params["enable_thinking"] is False
    assert "thinking_budget" not in params
    assert texts(events, ReasoningDelta) == ""


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_history_is_sent_without_reasoning(sim: Simulator, protocol: Protocol) -> None:
    history = (
        WireMessage(Role.USER, "first question"),
        WireMessage(Role.ASSISTANT, "first answer"),
        WireMessage(Role.USER, "second question"),
    )
    run(lambda c: collect(c, request(sim, protocol, messages=history, enable_thinking=True)))
    body = sim.requests[-1].body
    messages = body["messages"] if protocol is Protocol.OPENAI else body["input"]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[1]["content"] == "first answer"
    assert all("reasoning_content" not in m for m in messages)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_wrong_region_key_gets_the_region_hint(sim: Simulator, protocol: Protocol) -> None:
    hint = "Keys differ between regions: a key created for China (Beijing) does not work in Singapore."
    req = request(sim, protocol, endpoint=endpoint(sim, "intl", sim.regions["cn"]))

    async def go(client: ChatClient) -> None:
        client.key_hint = lambda ep: hint if ep.region_id == "intl" else None
        await collect(client, req)

    with pytest.raises(e.InvalidKeyError) as caught:
        run(go)
    assert caught.value.hint == hint
    assert hint in str(caught.value)
    assert sim.regions["cn"] not in str(caught.value)
    assert caught.value.request_id


ERROR_CASES = [
    (dict(status=401), e.InvalidKeyError),
    (dict(status=429, code="Throttling.RateQuota"), e.RateLimitedError),
    (dict(status=400, code="Arrearage"), e.QuotaError),
    (dict(status=403, code="AllocationQuota.FreeTierOnly"), e.QuotaError),
    (dict(status=403, code="Model.AccessDenied"), e.AccessDeniedError),
    (dict(status=400, code="DataInspectionFailed"), e.ContentFilteredError),
    (dict(status=400, code="InvalidParameter",
          message="Range of input length should be [1, 98304]"), e.InputTooLongError),
    (dict(status=400, code="InvalidParameter", message="Temperature should be in [0.0, 2.0)"),
     e.BadParameterError),
    (dict(status=404, code="model_not_supported",
          message="Unsupported model qwen-x for OpenAI compatibility mode."),
     e.ModelNotInCompatibleModeError),
    (dict(status=500, code="InternalError"), e.ServerError),
    (dict(status=503, code="ModelServingError"), e.ServerError),
]


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize(("fault", "expected"), ERROR_CASES)
def test_error_classes(sim: Simulator, protocol: Protocol, fault: dict, expected: type) -> None:
    sim.enqueue(Reply(**fault))
    with pytest.raises(expected) as caught:
        run(lambda c: collect(c, request(sim, protocol)), max_attempts=1)
    assert type(caught.value) is expected
    assert caught.value.request_id
    assert caught.value.sentence and "\n" not in caught.value.sentence


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_unknown_model_is_model_not_found(sim: Simulator, protocol: Protocol) -> None:
    with pytest.raises(e.ModelNotFoundError):
        run(lambda c: collect(c, request(sim, protocol, model="no-such-model")))


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_connection_refused_is_a_network_error(protocol: Protocol) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = Endpoint("intl", f"http://127.0.0.1:{port}", "sk-sim-intl-0000000000000000")
    req = ChatRequest(dead, protocol, "qwen-plus", (WireMessage(Role.USER, "hi"),))
    with pytest.raises(e.NetworkError) as caught:
        run(lambda c: collect(c, req), max_attempts=1)
    assert "refused" in str(caught.value) or "reach" in str(caught.value)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_read_timeout(sim: Simulator, protocol: Protocol) -> None:
    sim.enqueue(Reply(content="slow " * 5, delay=3.0))
    with pytest.raises(e.TimeoutError_):
        run(lambda c: collect(c, request(sim, protocol)), read_timeout=1.0, max_attempts=1)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_drop_mid_stream_keeps_partial_text(sim: Simulator, protocol: Protocol) -> None:
    sim.enqueue(Reply(content="abcdefghijklmnopqrstuvwxyz" * 4, chunk_chars=4, drop_after=5))
    seen: list[Any] = []

    async def go(client: ChatClient) -> None:
        async for event in client.stream(request(sim, protocol)):
            seen.append(event)

    with pytest.raises(e.ConnectionDroppedError):
        run(go)
    partial = texts(seen, ContentDelta)
    assert partial and "abcdefghijklmnopqrstuvwxyz".startswith(partial[:20])
    assert len(sim.requests) == 1, "a reply that started must not be sent again"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_429_is_retried_before_the_first_token(sim: Simulator, protocol: Protocol) -> None:
    sim.enqueue(Reply(status=429, code="Throttling.RateQuota", retry_after=0.2),
                Reply(content="after the wait"))
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    events = run(lambda c: collect(c, request(sim, protocol)), sleep=fake_sleep)
    assert texts(events, ContentDelta) == "after the wait"
    assert len(sim.requests) == 2
    assert slept == [pytest.approx(0.2)]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_error_after_the_first_token_is_not_retried(sim: Simulator, protocol: Protocol) -> None:
    sim.enqueue(Reply(content="partial answer that will fail", error_chunk_after=2,
                      code="InternalError", message="An internal error has occured, please "
                      "try again later or contact service support."),
                Reply(content="must never be requested"))
    with pytest.raises(e.ServerError) as caught:
        run(lambda c: collect(c, request(sim, protocol)))
    assert caught.value.retryable
    assert len(sim.requests) == 1


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_non_retryable_errors_are_not_retried(sim: Simulator, protocol: Protocol) -> None:
    sim.enqueue(Reply(status=400, code="DataInspectionFailed"), Reply(content="no"))
    with pytest.raises(e.ContentFilteredError):
        run(lambda c: collect(c, request(sim, protocol)))
    assert len(sim.requests) == 1


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_stop_closes_the_stream_quickly(sim: Simulator, protocol: Protocol) -> None:
    sim.enqueue(Reply(content="word " * 2000, chunk_chars=5, delay=0.01))

    async def go(client: ChatClient) -> float:
        got_text = asyncio.Event()

        async def consume() -> None:
            async for event in client.stream(request(sim, protocol)):
                if isinstance(event, ContentDelta):
                    got_text.set()

        task = asyncio.create_task(consume())
        await asyncio.wait_for(got_text.wait(), 5)
        assert sim.open_streams == 1
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        while sim.open_streams and time.monotonic() - started < 2:
            await asyncio.sleep(0.005)
        return time.monotonic() - started

    elapsed = run(go)
    assert sim.open_streams == 0
    assert elapsed < 0.2


def test_two_regions_stream_at_once(sim: Simulator) -> None:
    sim.enqueue(Reply(content="from singapore", delay=0.01), region="intl")
    sim.enqueue(Reply(content="from beijing", delay=0.01), region="cn")

    async def go(client: ChatClient) -> tuple[list[Any], list[Any]]:
        a = request(sim, Protocol.OPENAI, endpoint=endpoint(sim, "intl"))
        b = request(sim, Protocol.DASHSCOPE, endpoint=endpoint(sim, "cn"))
        return await asyncio.gather(collect(client, a), collect(client, b))

    first, second = run(go)
    assert texts(first, ContentDelta) == "from singapore"
    assert texts(second, ContentDelta) == "from beijing"
    regions = sorted(r.region for r in sim.requests)
    assert regions == ["cn", "intl"]
    for recorded in sim.requests:
        assert recorded.api_key == sim.regions[recorded.region]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_embeddings(sim: Simulator, protocol: Protocol) -> None:
    vectors = run(lambda c: c.embed(endpoint(sim), protocol, "text-embedding-v4",
                                    ["red apples", "green apples", "quantum physics"], 256))
    assert len(vectors) == 3 and all(len(v) == 256 for v in vectors)

    def cos(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b))

    assert cos(vectors[0], vectors[1]) > cos(vectors[0], vectors[2])


def test_a_slow_import_for_the_first_request_runs_on_a_worker_while_the_loop_keeps_turning(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "slow_sdk_under_test.py").write_text(
        "import threading, time\nTHREAD = threading.current_thread()\ntime.sleep(0.3)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "slow_sdk_under_test", raising=False)

    async def import_while_ticking() -> int:
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(tick())
        await import_off_the_loop("slow_sdk_under_test")
        ticker.cancel()
        return ticks

    assert asyncio.run(import_while_ticking()) > 0
    assert sys.modules["slow_sdk_under_test"].THREAD is not threading.main_thread()
