"""DashScope native protocol through the ``dashscope`` SDK's async API."""

from __future__ import annotations

import asyncio
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
from ..websearch import parse_sources, search_calls, search_fields
from .accumulate import ToolCallAccumulator, cache_fields, tool_fields
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


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(item.get("text", "")) for item in content if isinstance(item, dict))
    return ""


def _usage(raw: dict[str, Any]) -> Usage:
    details = raw.get("output_tokens_details") or {}
    prompt = raw.get("prompt_tokens_details") or {}
    cached = int(prompt.get("cached_tokens") or raw.get("cached_tokens") or 0)
    return Usage(
        input_tokens=int(raw.get("input_tokens") or 0),
        output_tokens=int(raw.get("output_tokens") or 0),
        reasoning_tokens=int(details.get("reasoning_tokens") or 0),
        cached_tokens=cached,
        **cache_fields(raw, prompt, cached),
        search_calls=search_calls(raw),
    )


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
    api = AioMultiModalConversation if (
        request.vision or any(m.images for m in request.messages)
    ) else AioGeneration
    started = False
    request_id: str | None = None
    finish: str | None = None
    usage: Usage | None = None
    tools = ToolCallAccumulator()
    responses: Any = None
    try:
        responses = await api.call(**call_kwargs(request, read_timeout))
        async for response in responses:
            request_id = getattr(response, "request_id", None) or request_id
            if response.status_code != 200:
                raise _response_error(response, hint, started)
            output = response.output or {}
            if response.usage:
                usage = _usage(dict(response.usage))
            found = _sources(output)
            if found is not None:
                yield found
            for choice in output.get("choices") or ():
                message = choice.get("message") or {}
                reasoning = message.get("reasoning_content")
                if reasoning:
                    started = True
                    yield ReasoningDelta(reasoning)
                text = _text(message.get("content"))
                if text:
                    started = True
                    yield ContentDelta(text)
                for i, call in enumerate(message.get("tool_calls") or ()):
                    fn = call.get("function") or {}
                    tools.add(call.get("index", i), call.get("id"), fn.get("name"), fn.get("arguments"))
                reason = choice.get("finish_reason")
                if reason and reason != "null":
                    finish = reason
    except e.QwenError:
        raise
    except (asyncio.TimeoutError, aiohttp.ServerTimeoutError):
        raise e.TimeoutError_(request_id=request_id) from None
    except aiohttp.ClientSSLError:
        raise e.NetworkError(
            "The secure connection failed (TLS certificate problem): check the region's address."
        ) from None
    except aiohttp.ClientConnectorDNSError:
        raise e.NetworkError("The region's host name could not be found: check its address.") from None
    except aiohttp.ClientConnectorError:
        raise e.NetworkError("The connection was refused: check the region's address and port.") from None
    except (aiohttp.ClientPayloadError, aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
        raise e.ConnectionDroppedError(request_id=request_id) from None
    except ssl.SSLError:
        raise e.NetworkError("The secure connection failed: check the region's address.") from None
    except aiohttp.ClientError:
        raise e.NetworkError(request_id=request_id) from None
    finally:
        if responses is not None:
            await responses.aclose()
    if finish is None:
        raise e.ConnectionDroppedError(request_id=request_id)
    if usage is not None:
        yield UsageUpdate(usage)
    if tools:
        yield ToolCallsReady(tools.calls())
    yield Finished(finish, request_id)


def _response_error(response: Any, hint: str | None, started: bool) -> e.QwenError:
    status = int(response.status_code)
    code = getattr(response, "code", None)
    message = getattr(response, "message", None)
    request_id = getattr(response, "request_id", None)
    if started and status == 500 and code == "Unknown":
        return e.ProtocolError(request_id=request_id, server_message=message)
    headers = getattr(response, "headers", None) or {}
    retry = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    return api_error(
        status, code, message, request_id=request_id,
        retry_after=parse_retry_after(retry), hint=hint,
    )
