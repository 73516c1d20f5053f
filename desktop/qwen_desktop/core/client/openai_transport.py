"""OpenAI-compatible mode through ``openai.AsyncOpenAI``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
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
from ..websearch import search_fields
from . import shapes
from .accumulate import ToolCallAccumulator, read_usage, tool_fields
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


MAX_LINE = 8 * 1024 * 1024
"""Bytes one SSE line may hold; a chunk is a few hundred bytes, so more is not a reply."""

FINISH_GRACE = 1.0
"""Seconds to wait, once the finish reason is in, for the usage chunk and ``[DONE]``."""

log = logging.getLogger(__name__)


def _usage(raw: Any) -> Usage | None:
    return read_usage(raw, input_key="prompt_tokens", output_key="completion_tokens",
                      details_key="completion_tokens_details")


class _Done(Exception):
    """``data: [DONE]``: the stream is over, whatever follows it."""


def _chunks(line: str, request_id: str | None, hint: str | None) -> dict[str, Any] | None:
    """One SSE line as a chunk; None for framing and comments; ``_Done`` at ``[DONE]``."""
    if not line.startswith("data:"):
        return None
    data = line[5:].strip()
    if data == "[DONE]":
        raise _Done
    if not data:
        return None
    try:
        chunk = json.loads(data)
    except ValueError:
        raise e.ProtocolError(request_id=request_id, server_message=shapes.server_text(data)) from None
    if not isinstance(chunk, dict):
        raise e.ProtocolError(request_id=request_id)
    error = chunk.get("error")
    if error:
        detail = error if isinstance(error, dict) else {"message": error}
        raise api_error(None, detail.get("code"), detail.get("message"),
                        request_id=request_id or shapes.optional_text(chunk.get("request_id")),
                        hint=hint)
    return chunk


async def _sse_batches(pieces: AsyncIterator[bytes]) -> AsyncIterator[list[bytes]]:
    """The non-empty lines each piece of the body completes, split on CR/LF bytes only: JSON
    strings may hold U+2028 or U+0085, which are not breaks. One list per piece, not one step per
    line: a fast stream sends thousands of lines a second. Each line is decoded by ``_decoded``
    where it is read, so that what comes before a bad line is kept.

    A line longer than ``MAX_LINE`` is a reply this app cannot read.
    """
    pending = bytearray()
    async for piece in pieces:
        if b"\r" in piece:
            piece = piece.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        pending += piece
        if b"\n" in piece:
            *lines, rest = bytes(pending).split(b"\n")
            pending = bytearray(rest)
            yield [line for line in lines if line]
        if len(pending) > MAX_LINE:
            raise e.ProtocolError("The service sent a line far too long to be part of a reply.")
    if pending:
        raise _Cut(bytes(pending))


async def _sse_lines(pieces: AsyncIterator[bytes]) -> AsyncIterator[str]:
    """The non-empty lines of the body one by one (see ``_sse_batches``)."""
    async for batch in _sse_batches(pieces):
        for line in batch:
            yield _decoded(line)


class _Cut(Exception):
    """The body ended inside a line: what is left of it, to read if it happens to be whole."""

    def __init__(self, rest: bytes) -> None:
        super().__init__("cut")
        self.rest = rest


def _decoded(line: bytes) -> str:
    if len(line) > MAX_LINE:
        raise e.ProtocolError("The service sent a line far too long to be part of a reply.")
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        raise e.ProtocolError("The service sent text that is not valid UTF-8.") from None


class _Reading:
    """What one compatible-mode stream has said so far."""

    def __init__(self, request_id: str | None) -> None:
        self.request_id = request_id
        self.finish: str | None = None
        self.tools = ToolCallAccumulator()

    def events(self, chunk: dict[str, Any]) -> list[StreamEvent]:
        rid = self.request_id
        self.request_id = rid or shapes.optional_text(chunk.get("id"))
        out: list[StreamEvent] = []
        if chunk.get("usage"):
            usage = _usage(chunk["usage"])
            if usage is not None:
                out.append(UsageUpdate(usage))
        for choice in shapes.items(chunk.get("choices"), rid):
            choice = shapes.obj(choice, rid)
            delta = shapes.obj(choice.get("delta"), rid)
            reasoning = shapes.text(delta.get("reasoning_content"), rid)
            content = shapes.text(delta.get("content"), rid)
            calls = shapes.items(delta.get("tool_calls"), rid)
            reason = choice.get("finish_reason")
            if reason is not None and not isinstance(reason, str):
                raise e.ProtocolError(request_id=rid)
            if self.finish is not None:
                continue  # nothing after the finish belongs to the reply
            if reasoning:
                out.append(ReasoningDelta(reasoning))
            if content:
                out.append(ContentDelta(content))
            for position, call in enumerate(calls):
                call = shapes.obj(call, rid)
                fn = shapes.obj(call.get("function"), rid)
                self.tools.add(shapes.tool_index(call.get("index"), position),
                               shapes.optional_text(call.get("id")), shapes.text(fn.get("name"), rid),
                               shapes.text(fn.get("arguments"), rid))
            if reason:
                self.finish = shapes.reason(reason)
        return out


async def stream_openai(
    client: openai.AsyncOpenAI, request: ChatRequest, hint: str | None,
    finish_grace: float = FINISH_GRACE,
) -> AsyncIterator[StreamEvent]:
    """Streams through the SDK's raw response: plain JSON per chunk, no model object per chunk.

    Once the finish reason is in, the reply is complete: anything that goes wrong afterwards
    (garbage, an error event, a reset, a connection left open) ends the stream without losing it,
    and nothing after ``[DONE]`` or the finish is part of the reply.
    """
    manager = client.chat.completions.with_streaming_response.create(**request_kwargs(request))
    try:
        response = await manager.__aenter__()
    except openai.APIError as exc:
        raise translate(exc, hint) from None
    except Exception as exc:  # noqa: BLE001 - whatever the SDK raised reading a hostile answer
        log.warning("Unreadable answer to a request: %s", type(exc).__name__)
        raise e.ProtocolError() from None
    reading = _Reading(shapes.optional_text(response.headers.get("x-request-id")))
    lines = _sse_batches(response.iter_bytes())
    try:
        while True:
            try:
                if reading.finish is None:
                    batch = await anext(lines)
                else:
                    async with asyncio.timeout(finish_grace):
                        batch = await anext(lines)
            except StopAsyncIteration:
                break
            except _Cut as cut:
                events = _last_line(cut.rest, reading, hint)
                for event in events:
                    yield event
                break
            except Exception as exc:  # noqa: BLE001 - sorted out below
                if reading.finish is not None:
                    break  # the reply was complete before this went wrong
                raise _stream_error(exc, hint, reading.request_id) from None
            events, ended, failure = _read_lines(batch, reading, hint)
            for event in events:
                yield event
            if ended:
                break
            if failure is not None:
                if reading.finish is not None:
                    break  # the reply was complete before this went wrong
                raise _stream_error(failure, hint, reading.request_id) from None
    finally:
        # The response is closed first: the SDK's own generators under ``lines`` then end
        # quietly whenever they are collected.
        with contextlib.suppress(Exception):
            await manager.__aexit__(None, None, None)
    if reading.finish is None:
        raise e.ConnectionDroppedError(request_id=reading.request_id)
    if reading.tools:
        yield ToolCallsReady(reading.tools.calls())
    yield Finished(reading.finish, reading.request_id)


def _read_lines(lines: list[bytes], reading: _Reading, hint: str | None
                ) -> tuple[list[StreamEvent], bool, Exception | None]:
    """The events of ``lines`` in order, up to ``[DONE]`` (then True) or the first line that
    cannot be read (then its error); what came before either is kept."""
    events: list[StreamEvent] = []
    for line in lines:
        try:
            chunk = _chunks(_decoded(line), reading.request_id, hint)
            if chunk is not None:
                events += reading.events(chunk)
        except _Done:
            return events, True, None
        except Exception as exc:  # noqa: BLE001 - sorted out by the caller
            return events, False, exc
    return events, False, None


def _last_line(rest: bytes, reading: _Reading, hint: str | None) -> list[StreamEvent]:
    """A line the body ended in without its line break: a whole chunk counts, a cut one does not."""
    try:
        chunk = _chunks(_decoded(rest), reading.request_id, hint)
        return reading.events(chunk) if chunk is not None else []
    except _Done:
        return []
    except e.ProtocolError:
        if reading.finish is not None:
            return []
        raise e.ConnectionDroppedError(request_id=reading.request_id) from None


def _stream_error(exc: Exception, hint: str | None, request_id: str | None) -> e.QwenError:
    import httpx2

    if isinstance(exc, e.QwenError):
        if exc.request_id is None and request_id:
            exc.request_id = request_id
        return exc
    if isinstance(exc, (httpx2.TimeoutException, TimeoutError)):
        return e.TimeoutError_(request_id=request_id)
    if isinstance(exc, httpx2.DecodingError):
        return e.ProtocolError("The service sent a body that could not be decoded.", request_id=request_id)
    if isinstance(exc, (httpx2.TransportError, httpx2.StreamError)):
        return e.ConnectionDroppedError(request_id=request_id)
    if isinstance(exc, openai.APIError):
        return translate(exc, hint, started=True, request_id=request_id)
    log.warning("Unreadable stream: %s", type(exc).__name__)
    return e.ProtocolError(request_id=request_id)


def _body_fields(exc: openai.APIError) -> tuple[str | None, str | None, str | None]:
    code, message, request_id = getattr(exc, "code", None), exc.message, None
    response = getattr(exc, "response", None)
    if response is not None:
        request_id = response.headers.get("x-request-id")
        try:
            data = json.loads(response.content or b"{}")
        except (ValueError, RuntimeError, AttributeError, UnicodeError):
            data = {}
        if isinstance(data, dict):
            error = data.get("error") if isinstance(data.get("error"), dict) else data
            code = code or error.get("code")
            message = error.get("message") or message
            request_id = data.get("request_id") or request_id
    elif isinstance(exc.body, dict):
        code = code or exc.body.get("code")
        message = exc.body.get("message") or message
    return code, message, shapes.optional_text(request_id)


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
