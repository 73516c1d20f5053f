"""OpenAI-compatible mode through ``openai.AsyncOpenAI``."""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import AsyncIterator
from typing import Any

import openai

from .. import errors as e
from ..types import (
    ChatRequest, ContentDelta, Finished, Protocol, ReasoningDelta, StreamEvent, ToolCallsReady,
    Usage, UsageUpdate, WireMessage,
)
from ..websearch import search_calls, search_fields
from .accumulate import ToolCallAccumulator, cache_fields, tool_fields
from .errors_map import api_error, parse_retry_after


def wire_message(message: WireMessage) -> dict[str, Any]:
    out: dict[str, Any] = {"role": message.role.value}
    if message.images or message.cache:
        parts: list[dict[str, Any]] = [
            {"type": "image_url", "image_url": {"url": url}} for url in message.images
        ]
        if message.content or message.cache:
            text: dict[str, Any] = {"type": "text", "text": message.content}
            if message.cache:
                text["cache_control"] = {"type": "ephemeral"}
            parts.append(text)
        out["content"] = parts
    else:
        out["content"] = message.content
    out.update(tool_fields(message))
    if message.partial:
        out["partial"] = True
    return out


def request_kwargs(request: ChatRequest) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if request.enable_thinking is not None:
        extra["enable_thinking"] = request.enable_thinking
    if request.thinking_budget and request.enable_thinking is not False:
        extra["thinking_budget"] = request.thinking_budget
    extra.update(search_fields(request.search, Protocol.OPENAI))
    extra.update(request.extra)
    kwargs: dict[str, Any] = {
        "model": request.model,
        "messages": [wire_message(m) for m in request.messages],
        "stream": True,
        "stream_options": {"include_usage": True},
        "extra_body": extra,
    }
    if request.temperature is not None:
        kwargs["temperature"] = request.temperature
    if request.max_tokens:
        kwargs["max_tokens"] = request.max_tokens
    if request.tools:
        kwargs["tools"] = list(request.tools)
        kwargs["parallel_tool_calls"] = True
    return kwargs


def _usage(raw: dict[str, Any]) -> Usage:
    completion = raw.get("completion_tokens_details") or {}
    prompt = raw.get("prompt_tokens_details") or {}
    cached = int(prompt.get("cached_tokens") or 0)
    return Usage(
        input_tokens=int(raw.get("prompt_tokens") or 0),
        output_tokens=int(raw.get("completion_tokens") or 0),
        reasoning_tokens=int(completion.get("reasoning_tokens") or 0),
        cached_tokens=cached,
        **cache_fields(raw, prompt, cached),
        search_calls=search_calls(raw),
    )


def _chunks(line: str, request_id: str | None, hint: str | None) -> dict[str, Any] | None:
    """One SSE line as a chunk; None for framing and for the closing ``[DONE]``."""
    if not line.startswith("data:"):
        return None
    data = line[5:].strip()
    if not data or data == "[DONE]":
        return None
    try:
        chunk = json.loads(data)
    except ValueError:
        raise e.ProtocolError(request_id=request_id) from None
    if not isinstance(chunk, dict):
        raise e.ProtocolError(request_id=request_id)
    error = chunk.get("error")
    if error:
        detail = error if isinstance(error, dict) else {"message": str(error)}
        raise api_error(None, detail.get("code"), detail.get("message"),
                        request_id=request_id or chunk.get("request_id"), hint=hint)
    return chunk


async def _sse_lines(pieces: AsyncIterator[bytes]) -> AsyncIterator[str]:
    """Lines split on CR/LF bytes only: JSON strings may hold U+2028 or U+0085, which are not breaks."""
    pending = b""
    async for piece in pieces:
        pending += piece
        *lines, pending = pending.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        for line in lines:
            yield line.decode("utf-8", errors="replace")
    if pending:
        yield pending.decode("utf-8", errors="replace")


async def stream_openai(
    client: openai.AsyncOpenAI, request: ChatRequest, hint: str | None
) -> AsyncIterator[StreamEvent]:
    """Streams through the SDK's raw response: plain JSON per chunk, no model object per chunk."""
    import httpx2

    manager = client.chat.completions.with_streaming_response.create(**request_kwargs(request))
    try:
        response = await manager.__aenter__()
    except openai.APIError as exc:
        raise translate(exc, hint) from None
    request_id = response.headers.get("x-request-id")
    finish: str | None = None
    tools = ToolCallAccumulator()
    try:
        async for line in _sse_lines(response.iter_bytes()):
            chunk = _chunks(line, request_id, hint)
            if chunk is None:
                continue
            request_id = request_id or chunk.get("id")
            if chunk.get("usage"):
                yield UsageUpdate(_usage(chunk["usage"]))
            for choice in chunk.get("choices") or ():
                delta = choice.get("delta") or {}
                if delta.get("reasoning_content"):
                    yield ReasoningDelta(delta["reasoning_content"])
                if delta.get("content"):
                    yield ContentDelta(delta["content"])
                for call in delta.get("tool_calls") or ():
                    fn = call.get("function") or {}
                    tools.add(call.get("index", 0), call.get("id"), fn.get("name"), fn.get("arguments"))
                if choice.get("finish_reason"):
                    finish = choice["finish_reason"]
    except httpx2.TimeoutException:
        raise e.TimeoutError_(request_id=request_id) from None
    except (httpx2.TransportError, httpx2.StreamError):
        raise e.ConnectionDroppedError(request_id=request_id) from None
    except openai.APIError as exc:
        raise translate(exc, hint, started=True, request_id=request_id) from None
    finally:
        await manager.__aexit__(None, None, None)
    if finish is None:
        raise e.ConnectionDroppedError(request_id=request_id)
    if tools:
        yield ToolCallsReady(tools.calls())
    yield Finished(finish, request_id)


def _body_fields(exc: openai.APIError) -> tuple[str | None, str | None, str | None]:
    code, message, request_id = getattr(exc, "code", None), exc.message, None
    response = getattr(exc, "response", None)
    if response is not None:
        try:
            data = json.loads(response.content or b"{}")
        except (ValueError, RuntimeError, AttributeError):
            data = {}
        if isinstance(data, dict):
            error = data.get("error") if isinstance(data.get("error"), dict) else data
            code = code or error.get("code")
            message = error.get("message") or message
            request_id = data.get("request_id") or response.headers.get("x-request-id")
    elif isinstance(exc.body, dict):
        code = code or exc.body.get("code")
        message = exc.body.get("message") or message
    return code, message, request_id


def translate(
    exc: openai.APIError, hint: str | None, *, started: bool = False, request_id: str | None = None
) -> e.QwenError:
    if isinstance(exc, openai.APITimeoutError):
        return e.TimeoutError_(request_id=request_id)
    if isinstance(exc, openai.APIConnectionError):
        if started:
            return e.ConnectionDroppedError(request_id=request_id)
        return _connection_error(exc)
    code, message, body_request_id = _body_fields(exc)
    status = getattr(exc, "status_code", None)
    retry_after = None
    response = getattr(exc, "response", None)
    if response is not None:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
    return api_error(
        status, code, message, request_id=body_request_id or request_id,
        retry_after=retry_after, hint=hint,
    )


def _causes(exc: BaseException, limit: int = 12) -> list[BaseException]:
    """The exception and what it wraps: httpx keeps the socket's own error a few levels down."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < limit and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _connection_error(exc: BaseException) -> e.NetworkError:
    chain = _causes(exc)
    text = " ".join(str(x) for x in chain).lower()
    if any(isinstance(x, ssl.SSLError) for x in chain) or "certificate" in text or "ssl" in text or "tls" in text:
        return e.NetworkError(
            "The secure connection failed (TLS certificate problem): check the region's address."
        )
    if any(isinstance(x, socket.gaierror) for x in chain) or "name or service not known" in text \
            or "nodename" in text or "getaddrinfo" in text:
        return e.NetworkError("The region's host name could not be found: check its address.")
    if any(isinstance(x, ConnectionRefusedError) for x in chain) or "refused" in text:
        return e.NetworkError("The connection was refused: check the region's address and port.")
    return e.NetworkError()
