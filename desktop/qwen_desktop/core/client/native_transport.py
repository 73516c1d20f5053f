"""DashScope native protocol through the ``dashscope`` SDK's async API."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from dashscope import AioGeneration, AioMultiModalConversation

from .. import errors as e
from ..types import (
    ChatRequest, ContentDelta, Finished, Protocol, ReasoningDelta, SourcesFound, StreamEvent,
    ToolCallsReady, Usage, UsageUpdate, WireMessage,
)
from ..websearch import parse_sources, search_fields
from . import shapes
from .accumulate import ToolCallAccumulator, read_usage, tool_fields
from .errors_map import api_error, parse_retry_after


def wire_message(message: WireMessage, multimodal: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"role": message.role.value}
    if multimodal or message.cache:
        items: list[dict[str, Any]] = [{"image": url} for url in message.images]
        if message.content or not items:
            text: dict[str, Any] = {"text": message.content}
            if message.cache:
                text["cache_control"] = {"type": "ephemeral"}
            items.append(text)
        out["content"] = items
    else:
        out["content"] = message.content
    out.update(tool_fields(message))
    if message.partial:
        out["partial"] = True
    return out


def call_kwargs(request: ChatRequest, read_timeout: float) -> dict[str, Any]:
    multimodal = request.vision or any(m.images for m in request.messages)
    kwargs: dict[str, Any] = {
        "model": request.model,
        "messages": [wire_message(m, multimodal) for m in request.messages],
        "api_key": request.endpoint.api_key,
        "base_address": request.endpoint.native_url,
        "stream": True,
        "incremental_output": True,
        "result_format": "message",
        "request_timeout": max(1, int(round(read_timeout))),
    }
    if request.enable_thinking is not None:
        kwargs["enable_thinking"] = request.enable_thinking
    if request.thinking_budget and request.enable_thinking is not False:
        kwargs["thinking_budget"] = request.thinking_budget
    if request.temperature is not None:
        kwargs["temperature"] = request.temperature
    if request.max_tokens:
        kwargs["max_tokens"] = request.max_tokens
    if request.tools:
        kwargs["tools"] = list(request.tools)
        kwargs["parallel_tool_calls"] = True
    kwargs.update(search_fields(request.search, Protocol.DASHSCOPE))
    kwargs.update(request.extra)
    return kwargs


log = logging.getLogger(__name__)


def _text(content: Any, request_id: str | None = None) -> str:
    """Message content: a string, or (multimodal) a list of parts of which the text ones count."""
    if isinstance(content, list):
        parts = []
        for item in content:
            if "text" in shapes.obj(item, request_id):
                parts.append(shapes.text(item["text"], request_id))
        return "".join(parts)
    return shapes.text(content, request_id)


def _usage(raw: Any) -> Usage | None:
    return read_usage(raw, input_key="input_tokens", output_key="output_tokens",
                      details_key="output_tokens_details", cached_beside=True)


def _sources(output: Any) -> SourcesFound | None:
    """``output.search_info.search_results``, in whichever event it arrives."""
    info = output.get("search_info") if hasattr(output, "get") else None
    if not hasattr(info, "get"):
        return None
    sources = parse_sources(info.get("search_results"))
    return SourcesFound(sources) if sources else None


def _is_sse(response: Any) -> bool:
    headers = getattr(response, "headers", None) or {}
    kind = next((str(v) for k, v in headers.items() if str(k).lower() == "content-type"), "")
    return "text/event-stream" in kind.lower()


class _Reading:
    """What one native stream has said so far."""

    def __init__(self) -> None:
        self.request_id: str | None = None
        self.finish: str | None = None
        self.usage: Usage | None = None
        self.answered = False
        """A first event of the stream arrived (the request reached the model)."""
        self.unreadable: Any = None
        """An event the SDK could not decode, waiting to see whether the stream ends after it."""
        self.tools = ToolCallAccumulator()

    def events(self, response: Any, hint: str | None) -> list[StreamEvent]:
        self.request_id = shapes.optional_text(getattr(response, "request_id", None)) or self.request_id
        if self.unreadable is not None:
            raise e.ProtocolError(request_id=self.request_id,
                                  server_message=shapes.server_text(getattr(self.unreadable, "message", None)))
        status = getattr(response, "status_code", None)
        if status != 200:
            if status == 500 and getattr(response, "code", None) == "Unknown" and _is_sse(response):
                # The SDK reports an SSE line it could not decode this way; a stream that ends
                # right after it was cut, one that goes on is garbage (decided on the next event).
                self.unreadable = response
                return []
            raise _response_error(response, hint, self.answered)
        self.answered = True
        rid = self.request_id
        output = shapes.obj(getattr(response, "output", None), rid)
        raw_usage = getattr(response, "usage", None)
        if raw_usage:
            self.usage = _usage(dict(raw_usage) if isinstance(raw_usage, dict) else raw_usage) or self.usage
        out: list[StreamEvent] = []
        found = _sources(output)
        if found is not None:
            out.append(found)
        for choice in shapes.items(output.get("choices"), rid):
            choice = shapes.obj(choice, rid)
            message = shapes.obj(choice.get("message"), rid)
            reasoning = shapes.text(message.get("reasoning_content"), rid)
            text = _text(message.get("content"), rid)
            calls = shapes.items(message.get("tool_calls"), rid)
            reason = choice.get("finish_reason")
            if reason is not None and not isinstance(reason, str):
                raise e.ProtocolError(request_id=rid)
            if reasoning:
                out.append(ReasoningDelta(reasoning))
            if text:
                out.append(ContentDelta(text))
            for position, call in enumerate(calls):
                call = shapes.obj(call, rid)
                fn = shapes.obj(call.get("function"), rid)
                self.tools.add(shapes.tool_index(call.get("index"), position),
                               shapes.optional_text(call.get("id")), shapes.text(fn.get("name"), rid),
                               shapes.text(fn.get("arguments"), rid))
            if reason and reason != "null":
                self.finish = shapes.reason(reason)
        return out


def _sources(output: Any) -> SourcesFound | None:
    """``output.search_info.search_results``, in whichever event it arrives."""
    info = output.get("search_info") if hasattr(output, "get") else None
    if not hasattr(info, "get"):
        return None
    sources = parse_sources(info.get("search_results"))
    return SourcesFound(sources) if sources else None


async def stream_native(
    request: ChatRequest, hint: str | None, read_timeout: float
) -> AsyncIterator[StreamEvent]:
    """Streams through the SDK; every way its parser can fail ends as a typed error.

    The event carrying the finish reason ends the reply: nothing after it is read.
    """
    api = AioMultiModalConversation if (
        request.vision or any(m.images for m in request.messages)
    ) else AioGeneration
    reading = _Reading()
    responses: Any = None
    try:
        responses = await api.call(**call_kwargs(request, read_timeout))
        async for response in responses:
            for event in reading.events(response, hint):
                yield event
            if reading.finish is not None:
                break
    except Exception as exc:  # noqa: BLE001 - sorted out by _stream_error
        if reading.finish is None:
            raise _stream_error(exc, reading) from None
    finally:
        if responses is not None:
            with contextlib.suppress(Exception):
                await responses.aclose()
    if reading.finish is None:
        raise e.ConnectionDroppedError(request_id=reading.request_id)
    if reading.usage is not None:
        yield UsageUpdate(reading.usage)
    if reading.tools:
        yield ToolCallsReady(reading.tools.calls())
    yield Finished(reading.finish, reading.request_id)


def _stream_error(exc: Exception, reading: _Reading) -> e.QwenError:
    request_id = reading.request_id
    if isinstance(exc, e.QwenError):
        if exc.request_id is None and request_id:
            exc.request_id = request_id
        return exc
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
        return e.TimeoutError_(request_id=request_id)
    if isinstance(exc, aiohttp.ClientSSLError):
        return e.NetworkError(
            "The secure connection failed (TLS certificate problem): check the region's address.")
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return e.NetworkError("The region's host name could not be found: check its address.")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return e.NetworkError("The connection was refused: check the region's address and port.")
    if isinstance(exc, aiohttp.ClientPayloadError) and "decode" in str(exc).lower():
        return e.ProtocolError("The service sent a body that could not be decoded.", request_id=request_id)
    if isinstance(exc, (aiohttp.ClientPayloadError, aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)):
        if not reading.answered:
            return e.NetworkError("The connection closed before the service answered.",
                                  request_id=request_id)
        return e.ConnectionDroppedError(request_id=request_id)
    if isinstance(exc, ssl.SSLError):
        return e.NetworkError("The secure connection failed: check the region's address.")
    if isinstance(exc, aiohttp.ContentTypeError):
        return e.ProtocolError(request_id=request_id)
    if isinstance(exc, aiohttp.ClientError):
        return e.NetworkError(request_id=request_id)
    if isinstance(exc, UnicodeDecodeError):
        return e.ProtocolError("The service sent text that is not valid UTF-8.", request_id=request_id)
    if isinstance(exc, ValueError) and "too" in str(exc).lower():
        return e.ProtocolError("The service sent a line far too long to be part of a reply.",
                               request_id=request_id)
    log.warning("Unreadable native stream: %s", type(exc).__name__, exc_info=exc)
    return e.ProtocolError(request_id=request_id)


def _response_error(response: Any, hint: str | None, started: bool) -> e.QwenError:
    status = getattr(response, "status_code", None)
    status = int(status) if isinstance(status, int) else None
    code = getattr(response, "code", None)
    message = getattr(response, "message", None)
    request_id = getattr(response, "request_id", None)
    if started and status == 500 and code == "Unknown":
        return e.ProtocolError(request_id=shapes.optional_text(request_id),
                               server_message=shapes.server_text(message))
    headers = getattr(response, "headers", None) or {}
    retry = next((v for k, v in headers.items() if str(k).lower() == "retry-after"), None)
    return api_error(
        status, code, message, request_id=request_id,
        retry_after=parse_retry_after(retry), hint=hint,
    )
