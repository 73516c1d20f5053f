"""The Model Studio simulator, exercised through the real openai and dashscope SDKs."""

from __future__ import annotations

import asyncio
import json
import math
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import httpx
import openai
import pytest
from dashscope import AioGeneration, AioMultiModalConversation, TextEmbedding
from dashscope.api_entities.aio_session import close_shared_aio_session
from openai import AsyncOpenAI, OpenAI

from tests.simulator import Reply, Simulator, embed_text

T = TypeVar("T")
REPO_ROOT = Path(__file__).resolve().parents[1]
HELLO = [{"role": "user", "content": "hello there"}]


@pytest.fixture(scope="module")
def server() -> Iterator[Simulator]:
    with Simulator(model_limits={"qwen-tiny": 5}) as simulator:
        yield simulator


@pytest.fixture()
def sim(server: Simulator) -> Simulator:
    server.reset()
    return server


def run(make: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        try:
            return await make()
        finally:
            await close_shared_aio_session()

    return asyncio.run(main())


def compat_client(sim: Simulator, region: str = "intl", key: str | None = None) -> AsyncOpenAI:
    return AsyncOpenAI(
        base_url=f"{sim.base_url(region)}/compatible-mode/v1",
        api_key=key or sim.regions[region],
        max_retries=0,
    )


def native(sim: Simulator, region: str = "intl", key: str | None = None) -> dict[str, str]:
    return {"base_address": f"{sim.base_url(region)}/api/v1", "api_key": key or sim.regions[region]}


async def collect_compat(client: AsyncOpenAI, **kwargs: Any) -> list[Any]:
    stream = await client.chat.completions.create(stream=True, **kwargs)
    return [chunk async for chunk in stream]


async def collect_native(call: Callable[..., Awaitable[Any]], **kwargs: Any) -> list[Any]:
    responses = await call(stream=True, **kwargs)
    return [response async for response in responses]


def raw_post(sim: Simulator, path: str, body: dict, headers: dict[str, str] | None = None) -> httpx.Response:
    all_headers = {"Authorization": f"Bearer {sim.regions['intl']}", **(headers or {})}
    return httpx.post(f"{sim.base_url('intl')}{path}", json=body, headers=all_headers, timeout=5)


def sse_events(raw: bytes) -> list[str]:
    text = raw.decode()
    assert text.endswith("\n\n")
    return text[:-2].split("\n\n")


# ----------------------------------------------------------------------------- OpenAI-compatible


def test_compat_stream_with_thinking_reasoning_then_content_then_usage(sim: Simulator) -> None:
    sim.enqueue(Reply(content="Paris is the capital.", reasoning="The user asks about France."))

    async def scenario() -> list[Any]:
        async with compat_client(sim) as client:
            return await collect_compat(
                client,
                model="qwen-plus",
                messages=HELLO,
                stream_options={"include_usage": True},
                extra_body={"enable_thinking": True},
            )

    chunks = run(scenario)
    first, *middle, last, usage_chunk = chunks
    assert first.choices[0].delta.role == "assistant"
    assert first.choices[0].delta.content is None
    assert first.model_extra is not None and len({c.id for c in chunks}) == 1
    reasoning = "".join(getattr(c.choices[0].delta, "reasoning_content", None) or "" for c in middle)
    content = "".join(c.choices[0].delta.content or "" for c in middle)
    assert reasoning == "The user asks about France."
    assert content == "Paris is the capital."
    kinds = ["r" if c.choices[0].delta.content is None else "c" for c in middle]
    assert kinds == sorted(kinds, reverse=True), "all reasoning before any content"
    assert last.choices[0].finish_reason == "stop" and last.choices[0].delta.content == ""
    assert usage_chunk.choices == []
    assert usage_chunk.usage.completion_tokens_details.reasoning_tokens == 5
    assert usage_chunk.usage.prompt_tokens == 2
    assert usage_chunk.usage.total_tokens == 2 + usage_chunk.usage.completion_tokens
    assert sim.requests[0].body["enable_thinking"] is True


def test_compat_raw_framing_matches_documented_shape(sim: Simulator) -> None:
    body = {
        "model": "qwen-plus",
        "messages": HELLO,
        "stream": True,
        "enable_thinking": True,
        "stream_options": {"include_usage": True},
    }
    response = raw_post(sim, "/compatible-mode/v1/chat/completions", body)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.content)
    assert all(event.startswith("data: ") for event in events)
    assert events[-1] == "data: [DONE]"
    assert events[0].startswith(
        'data: {"choices":[{"delta":{"content":null,"role":"assistant","reasoning_content":""},'
        '"index":0,"logprobs":null,"finish_reason":null}],"object":"chat.completion.chunk",'
        '"usage":null,"created":'
    )
    chunks = [json.loads(event[len("data: ") :]) for event in events[:-1]]
    assert {(c["id"], c["created"], c["model"]) for c in chunks} == {
        (chunks[0]["id"], chunks[0]["created"], "qwen-plus")
    }
    assert chunks[0]["id"].startswith("chatcmpl-")
    assert all(c["system_fingerprint"] is None and c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[-2]["choices"][0] == {
        "finish_reason": "stop",
        "delta": {"content": "", "reasoning_content": None},
        "index": 0,
        "logprobs": None,
    }
    assert chunks[-1]["choices"] == []
    assert set(chunks[-1]["usage"]) == {
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "completion_tokens_details",
        "prompt_tokens_details",
    }


def test_compat_non_stream_and_thinking_rules(sim: Simulator) -> None:
    client = OpenAI(
        base_url=f"{sim.base_url('intl')}/compatible-mode/v1", api_key=sim.regions["intl"], max_retries=0
    )
    with client:
        completion = client.chat.completions.create(model="qwen-flash", messages=HELLO)
        assert completion.object == "chat.completion"
        assert completion.choices[0].message.content == "You said: hello there"
        assert completion.choices[0].finish_reason == "stop"
        with pytest.raises(openai.BadRequestError, match="must be set to false for non-streaming"):
            client.chat.completions.create(
                model="qwen-plus", messages=HELLO, extra_body={"enable_thinking": True}
            )
        with pytest.raises(openai.BadRequestError, match="only support stream mode"):
            client.chat.completions.create(model="qwq-plus", messages=HELLO)
        with pytest.raises(openai.NotFoundError) as not_found:
            client.chat.completions.create(model="gpt-4o", messages=HELLO)
    assert not_found.value.code == "model_not_found"
    assert "The model `gpt-4o` does not exist" in not_found.value.message


def test_thinking_only_models_always_reason_and_budget_truncates(sim: Simulator) -> None:
    sim.enqueue(Reply(reasoning="one two three four five six", content="ok"))
    sim.enqueue(Reply(reasoning="alpha beta gamma", content="fine"))

    async def scenario() -> tuple[list[Any], list[Any]]:
        async with compat_client(sim) as client:
            budgeted = await collect_compat(
                client,
                model="qwen-plus",
                messages=HELLO,
                extra_body={"enable_thinking": True, "thinking_budget": 3},
            )
            forced = await collect_compat(client, model="qwq-plus", messages=HELLO)
            return budgeted, forced

    budgeted, forced = run(scenario)

    def reasoning(chunks: list[Any]) -> str:
        return "".join(getattr(c.choices[0].delta, "reasoning_content", None) or "" for c in chunks)

    assert reasoning(budgeted) == "one two three"
    assert reasoning(forced) == "alpha beta gamma"


def test_wrong_key_is_401_on_both_protocols(sim: Simulator) -> None:
    async def scenario() -> Any:
        async with compat_client(sim, key=sim.regions["cn"]) as client:
            with pytest.raises(openai.AuthenticationError) as caught:
                await client.chat.completions.create(model="qwen-plus", messages=HELLO)
            assert caught.value.code == "invalid_api_key"
            assert "Incorrect API key provided." in caught.value.message
        return await AioGeneration.call(
            model="qwen-plus", messages=HELLO, result_format="message", **native(sim, key="sk-wrong")
        )

    response = run(scenario)
    assert response.status_code == 401
    assert response.code == "InvalidApiKey"
    assert response.message == "Invalid API-key provided."
    assert [r.api_key for r in sim.requests] == [sim.regions["cn"], "sk-wrong"]


def test_429_carries_retry_after_on_both_protocols(sim: Simulator) -> None:
    sim.enqueue(Reply(status=429, retry_after=7), Reply(status=429, retry_after=2))

    async def scenario() -> list[Any]:
        async with compat_client(sim) as client:
            with pytest.raises(openai.RateLimitError) as caught:
                await client.chat.completions.create(model="qwen-plus", messages=HELLO, stream=True)
            assert caught.value.response.headers["retry-after"] == "7"
            assert caught.value.code == "limit_requests"
        return await collect_native(
            AioGeneration.call,
            model="qwen-plus",
            messages=HELLO,
            result_format="message",
            incremental_output=True,
            **native(sim),
        )

    (response,) = run(scenario)
    assert response.status_code == 429
    assert response.code == "Throttling.RateQuota"
    assert response.headers["Retry-After"] == "2"
    assert response.request_id


def test_drop_after_makes_openai_iteration_raise_connection_error(sim: Simulator) -> None:
    sim.enqueue(Reply(content="abcdefghijkl", chunk_chars=2, drop_after=3))
    received: list[str] = []

    async def scenario() -> None:
        async with compat_client(sim) as client:
            stream = await client.chat.completions.create(model="qwen-plus", messages=HELLO, stream=True)
            async for chunk in stream:
                received.append(chunk.choices[0].delta.content or "")
                assert chunk.choices[0].finish_reason is None

    with pytest.raises(openai.APIConnectionError):
        run(scenario)
    assert "".join(received) == "abcdef"


def test_drop_after_makes_dashscope_iteration_raise_payload_error(sim: Simulator) -> None:
    sim.enqueue(Reply(content="abcdefghijkl", chunk_chars=2, drop_after=2))

    async def scenario() -> list[Any]:
        return await collect_native(
            AioGeneration.call,
            model="qwen-plus",
            messages=HELLO,
            result_format="message",
            incremental_output=True,
            **native(sim),
        )

    with pytest.raises(aiohttp.ClientPayloadError):
        run(scenario)


def test_mid_stream_error_chunk_on_both_protocols(sim: Simulator) -> None:
    sim.enqueue(Reply(error_chunk_after=2), Reply(error_chunk_after=2))

    async def scenario() -> list[Any]:
        async with compat_client(sim) as client:
            with pytest.raises(openai.APIError, match="Output data may contain inappropriate content"):
                await collect_compat(client, model="qwen-plus", messages=HELLO)
        return await collect_native(
            AioGeneration.call,
            model="qwen-plus",
            messages=HELLO,
            result_format="message",
            incremental_output=True,
            **native(sim),
        )

    responses = run(scenario)
    assert [r.status_code for r in responses] == [200, 200, 400]
    assert responses[-1].code == "DataInspectionFailed"


def test_malformed_streams(sim: Simulator) -> None:
    sim.enqueue(
        Reply(malformed="unknown_fields"),
        Reply(malformed="non_json"),
        Reply(malformed="truncated"),
        Reply(malformed="unknown_fields"),
    )

    async def scenario() -> tuple[list[Any], list[Any], list[Any]]:
        async with compat_client(sim) as client:
            tolerant = await collect_compat(client, model="qwen-plus", messages=HELLO)
            with pytest.raises(json.JSONDecodeError):
                await collect_compat(client, model="qwen-plus", messages=HELLO)
            truncated = await collect_compat(client, model="qwen-plus", messages=HELLO)
        native_chunks = await collect_native(
            AioGeneration.call,
            model="qwen-plus",
            messages=HELLO,
            result_format="message",
            incremental_output=True,
            **native(sim),
        )
        return tolerant, truncated, native_chunks

    tolerant, truncated, native_chunks = run(scenario)
    assert "".join(c.choices[0].delta.content or "" for c in tolerant) == "You said: hello there"
    assert all(c.choices[0].finish_reason is None for c in truncated)
    assert native_chunks[-1].output.choices[0].finish_reason == "stop"
    assert "".join(c.output.choices[0].message.content for c in native_chunks) == "You said: hello there"


def test_compat_tool_calls_stream_as_indexed_deltas(sim: Simulator) -> None:
    calls = [
        {"name": "get_weather", "arguments": '{"location": "Beijing"}'},
        {"name": "get_time", "arguments": '{"tz": "UTC"}'},
    ]
    sim.enqueue(Reply(tool_calls=calls), Reply(content="It is sunny."))

    async def scenario() -> tuple[list[Any], Any]:
        async with compat_client(sim) as client:
            chunks = await collect_compat(client, model="qwen-plus", messages=HELLO)
            assembled: dict[int, dict[str, str]] = {}
            for chunk in chunks:
                for delta in chunk.choices[0].delta.tool_calls or []:
                    entry = assembled.setdefault(delta.index, {"id": "", "name": "", "arguments": ""})
                    entry["id"] += delta.id or ""
                    entry["name"] += delta.function.name or ""
                    entry["arguments"] += delta.function.arguments or ""
            history = [
                *HELLO,
                {
                    "role": "assistant",
                    "content": "",
                    "tool_calls": [
                        {
                            "id": e["id"],
                            "type": "function",
                            "function": {"name": e["name"], "arguments": e["arguments"]},
                        }
                        for e in assembled.values()
                    ],
                },
                *({"role": "tool", "tool_call_id": e["id"], "content": "sunny"} for e in assembled.values()),
            ]
            follow_up = await client.chat.completions.create(model="qwen-plus", messages=history)
            return chunks, (assembled, follow_up)

    chunks, (assembled, follow_up) = run(scenario)
    assert chunks[-1].choices[0].finish_reason == "tool_calls"
    assert [(e["name"], e["arguments"]) for e in assembled.values()] == [
        (c["name"], c["arguments"]) for c in calls
    ]
    assert all(e["id"].startswith("call_") for e in assembled.values())
    assert follow_up.choices[0].message.content == "It is sunny."


# ----------------------------------------------------------------------------- native


def test_native_stream_with_thinking(sim: Simulator) -> None:
    sim.enqueue(Reply(content="Hi there!", reasoning="Greet the user."))

    async def scenario() -> list[Any]:
        return await collect_native(
            AioGeneration.call,
            model="qwen-plus",
            messages=HELLO,
            incremental_output=True,
            result_format="message",
            enable_thinking=True,
            **native(sim),
        )

    responses = run(scenario)
    messages = [r.output.choices[0].message for r in responses]
    finishes = [r.output.choices[0].finish_reason for r in responses]
    assert finishes[:-1] == ["null"] * (len(responses) - 1) and finishes[-1] == "stop"
    assert "".join(m.reasoning_content for m in messages) == "Greet the user."
    assert "".join(m.content for m in messages) == "Hi there!"
    first_content = next(i for i, m in enumerate(messages) if m.content)
    assert all(not m.reasoning_content for m in messages[first_content:])
    assert messages[-1].content == "" and messages[-1].reasoning_content == ""
    assert len({r.request_id for r in responses}) == 1
    outputs = [r.usage.output_tokens for r in responses]
    assert outputs == sorted(outputs)
    assert responses[-1].usage.output_tokens_details["reasoning_tokens"] == 3
    recorded = sim.requests[0]
    assert recorded.protocol == "dashscope" and recorded.kind == "chat"
    assert recorded.headers["X-DashScope-SSE"] == "enable"
    assert recorded.body["parameters"]["enable_thinking"] is True


def test_native_raw_framing_matches_documented_shape(sim: Simulator) -> None:
    body = {
        "model": "qwen-plus",
        "input": {"messages": HELLO},
        "parameters": {"result_format": "message", "incremental_output": True, "enable_thinking": True},
    }
    response = raw_post(
        sim, "/api/v1/services/aigc/text-generation/generation", body, {"X-DashScope-SSE": "enable"}
    )
    assert response.status_code == 200
    assert response.content.startswith(b"id:1\nevent:result\n:HTTP_STATUS/200\ndata:{")
    events = sse_events(response.content)
    payloads = []
    for number, event in enumerate(events, start=1):
        lines = event.split("\n")
        assert lines[:3] == [f"id:{number}", "event:result", ":HTTP_STATUS/200"]
        assert lines[3].startswith("data:{")
        payloads.append(json.loads(lines[3][len("data:") :]))
    assert payloads[0]["output"]["choices"][0] == {
        "message": {"content": "", "reasoning_content": "Thin", "role": "assistant"},
        "finish_reason": "null",
    }
    assert set(payloads[0]["usage"]) == {
        "total_tokens",
        "input_tokens",
        "output_tokens",
        "output_tokens_details",
        "prompt_tokens_details",
    }
    assert payloads[-1]["output"]["choices"][0]["finish_reason"] == "stop"
    assert "[DONE]" not in response.text


def test_native_cumulative_output_and_incremental_rule(sim: Simulator) -> None:
    sim.enqueue(Reply(content="abcdef", chunk_chars=2))

    async def scenario() -> tuple[list[Any], list[Any]]:
        cumulative = await collect_native(
            AioGeneration.call, model="qwen-plus", messages=HELLO, result_format="message", **native(sim)
        )
        rejected = await collect_native(
            AioGeneration.call,
            model="qwen-plus",
            messages=HELLO,
            result_format="message",
            enable_thinking=True,
            **native(sim),
        )
        return cumulative, rejected

    cumulative, rejected = run(scenario)
    assert [r.output.choices[0].message.content for r in cumulative] == ["ab", "abcd", "abcdef", "abcdef"]
    (error,) = rejected
    assert error.status_code == 400 and error.code == "InvalidParameter"
    assert error.message == 'The incremental_output parameter must be "true" when enable_thinking is true'
    assert error.request_id


def test_native_multimodal_content_is_a_list(sim: Simulator) -> None:
    image = "data:image/png;base64,iVBORw0KGgo="
    messages = [{"role": "user", "content": [{"image": image}, {"text": "what is this"}]}]

    async def scenario() -> tuple[list[Any], Any]:
        streamed = await collect_native(
            AioMultiModalConversation.call,
            model="qwen3-vl-plus",
            messages=messages,
            incremental_output=True,
            **native(sim),
        )
        whole = await AioMultiModalConversation.call(model="qwen-vl-max", messages=messages, **native(sim))
        return streamed, whole

    streamed, whole = run(scenario)
    text = "".join(part["text"] for r in streamed for part in r.output.choices[0].message.content)
    assert text == "You said: what is this"
    assert streamed[-1].output.choices[0].finish_reason == "stop"
    assert whole.output.choices[0].message.content == [{"text": "You said: what is this"}]
    assert whole.usage.input_tokens == 256 + 3


def test_native_tool_calls(sim: Simulator) -> None:
    sim.enqueue(Reply(tool_calls=[{"name": "get_weather", "arguments": '{"location": "Hangzhou"}'}]))

    async def scenario() -> list[Any]:
        return await collect_native(
            AioGeneration.call,
            model="qwen-plus",
            messages=HELLO,
            result_format="message",
            incremental_output=True,
            **native(sim),
        )

    responses = run(scenario)
    deltas = [call for r in responses for call in r.output.choices[0].message.tool_calls]
    assert deltas[0]["id"].startswith("call_") and deltas[0]["function"]["name"] == "get_weather"
    assert "".join(d["function"]["arguments"] for d in deltas) == '{"location": "Hangzhou"}'
    assert [r.output.choices[0].finish_reason for r in responses][-2:] == ["null", "tool_calls"]


def test_native_errors(sim: Simulator) -> None:
    async def scenario() -> tuple[Any, Any, Any]:
        unknown = await AioGeneration.call(
            model="llama-3", messages=HELLO, result_format="message", **native(sim)
        )
        too_long = await collect_native(
            AioGeneration.call,
            model="qwen-tiny",
            messages=[{"role": "user", "content": "one two three four five six"}],
            result_format="message",
            incremental_output=True,
            **native(sim),
        )
        stream_only = await AioGeneration.call(
            model="qwq-plus", messages=HELLO, result_format="message", **native(sim)
        )
        return unknown, too_long[0], stream_only

    unknown, too_long, stream_only = run(scenario)
    assert (unknown.status_code, unknown.code, unknown.message) == (
        400,
        "InvalidParameter",
        "Model not exist.",
    )
    assert too_long.status_code == 400 and too_long.message == "Range of input length should be [1, 5]"
    assert "only support stream mode" in stream_only.message


def test_native_stream_error_framing_is_sse(sim: Simulator) -> None:
    sim.enqueue(Reply(status=500))
    body = {"model": "qwen-plus", "input": {"messages": HELLO}, "parameters": {"incremental_output": True}}
    response = raw_post(
        sim, "/api/v1/services/aigc/text-generation/generation", body, {"X-DashScope-SSE": "enable"}
    )
    assert response.status_code == 500
    assert response.text.startswith('id:1\nevent:error\n:HTTP_STATUS/500\ndata:{"code":"InternalError",')


# ----------------------------------------------------------------------------- usage and cache


def test_implicit_cache_reports_shared_prefix(sim: Simulator) -> None:
    system = {"role": "system", "content": " ".join(f"rule{i}" for i in range(300))}

    async def scenario() -> list[Any]:
        usages = []
        async with compat_client(sim) as client:
            for question in ("first question", "second question"):
                chunks = await collect_compat(
                    client,
                    model="qwen-plus",
                    messages=[system, {"role": "user", "content": question}],
                    stream_options={"include_usage": True},
                )
                usages.append(chunks[-1].usage)
        return usages

    first, second = run(scenario)
    assert first.prompt_tokens_details.cached_tokens == 0
    assert second.prompt_tokens_details.cached_tokens == 300
    assert second.prompt_tokens == 302


# ----------------------------------------------------------------------------- embeddings


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


def test_embeddings_on_both_protocols(sim: Simulator) -> None:
    texts = ["the cat sat on the mat", "a cat on a mat", "quantum field theory lecture"]

    async def scenario() -> tuple[Any, Any]:
        async with compat_client(sim) as client:
            default_format = await client.embeddings.create(model="text-embedding-v4", input=texts)
            floats = await client.embeddings.create(
                model="text-embedding-v4", input=texts[0], dimensions=256, encoding_format="float"
            )
        return default_format, floats

    default_format, floats = run(scenario)
    vectors = [item.embedding for item in default_format.data]
    assert len(vectors[0]) == 1024
    assert math.isclose(cosine(vectors[0], vectors[0]), 1.0, rel_tol=1e-5)
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]) + 0.3
    assert len(floats.data[0].embedding) == 256
    assert floats.data[0].embedding == embed_text(texts[0], 256)

    native_response = TextEmbedding.call(
        model="text-embedding-v4", input=["北京天气", "北京天气怎么样"], dimension=64, **native(sim)
    )
    assert native_response.status_code == 200
    first, second = (e["embedding"] for e in native_response.output["embeddings"])
    assert len(first) == 64 and cosine(first, second) > 0.5
    assert [e["text_index"] for e in native_response.output["embeddings"]] == [0, 1]

    too_many = TextEmbedding.call(
        model="text-embedding-v4", input=[f"t{i}" for i in range(11)], **native(sim)
    )
    assert too_many.status_code == 400
    assert "batch size is invalid, it should not be larger than 10" in too_many.message
    assert [(r.protocol, r.kind) for r in sim.requests] == [("openai", "embedding")] * 2 + [
        ("dashscope", "embedding")
    ] * 2


# ----------------------------------------------------------------------------- streams and process


def test_cancelled_client_closes_its_stream(sim: Simulator) -> None:
    sim.enqueue(Reply(content="x" * 400, chunk_chars=1, delay=0.02))

    async def scenario() -> int:
        async with compat_client(sim) as client:
            stream = await client.chat.completions.create(model="qwen-plus", messages=HELLO, stream=True)
            received = 0
            async for _ in stream:
                received += 1
                if received == 3:
                    break
            assert sim.open_streams == 1
            await stream.close()
        return received

    assert run(scenario) == 3
    deadline = time.monotonic() + 2
    while sim.open_streams and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sim.open_streams == 0


def test_regions_are_isolated_and_requests_recorded(sim: Simulator) -> None:
    sim.enqueue(Reply(content="from cn"), region="cn")

    async def scenario() -> tuple[Any, Any]:
        async with compat_client(sim, "intl") as intl, compat_client(sim, "cn") as cn:
            intl_reply = await intl.chat.completions.create(model="qwen-plus", messages=HELLO)
            cn_reply = await cn.chat.completions.create(model="qwen-plus", messages=HELLO)
            return intl_reply, cn_reply

    intl_reply, cn_reply = run(scenario)
    assert intl_reply.choices[0].message.content == "You said: hello there"
    assert cn_reply.choices[0].message.content == "from cn"
    recorded = sim.wait_for_requests(2)
    assert [(r.region, r.protocol, r.kind, r.api_key) for r in recorded] == [
        ("intl", "openai", "chat", sim.regions["intl"]),
        ("cn", "openai", "chat", sim.regions["cn"]),
    ]
    assert recorded[0].path == "/r/intl/compatible-mode/v1/chat/completions"
    assert recorded[0].received_at <= recorded[1].received_at


def test_command_line_prints_urls_and_keys() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "tests.simulator", "--port", "0"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline() for _ in range(8)]
        finally:
            process.terminate()
    output = "".join(lines)
    assert "listening on 127.0.0.1:" in output
    assert "sk-sim-intl-0000000000000000" in output and "/r/cn/api/v1" in output
