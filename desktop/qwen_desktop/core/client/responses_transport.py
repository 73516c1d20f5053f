"""Model Studio's Responses API (``POST {base}/compatible-mode/v1/responses``) through ``openai``.

The service can keep the history itself: a request names the ``previous_response_id`` and sends
only the new turn. Its own tools (web search, web extractor, code interpreter) run on the server
and come back as output items, mapped here to ``ServerToolUpdate`` events. What was learned about
the API and where from is in ``docs/responses-api.md``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import openai

from .. import errors as e
from ..types import (
    ChatRequest, ContentDelta, Finished, ReasoningDelta, Role, ServerToolUpdate, StreamEvent,
    ToolCallsReady, Usage, UsageUpdate, WireMessage,
)
from .accumulate import ToolCallAccumulator
from .errors_map import api_error
from .openai_transport import _sse_lines, translate

SESSION_CACHE_HEADER = "x-dashscope-session-cache"
SERVER_TOOLS = ("web_search", "web_extractor", "code_interpreter")
_ITEM_TOOLS = {f"{name}_call": name for name in SERVER_TOOLS}
_REASONING_DELTAS = ("response.reasoning_summary_text.delta", "response.reasoning_text.delta")


def input_items(message: WireMessage) -> list[dict[str, Any]]:
    """One history message as Responses input items (a tool round becomes call and output items)."""
    if message.role is Role.TOOL:
        return [{"type": "function_call_output", "call_id": message.tool_call_id or "",
                 "output": message.content}]
    items: list[dict[str, Any]] = []
    if message.images:
        parts: list[dict[str, Any]] = [{"type": "input_image", "image_url": url} for url in message.images]
        if message.content:
            parts.append({"type": "input_text", "text": message.content})
        items.append({"role": message.role.value, "content": parts})
    elif message.content or not message.tool_calls:
        items.append({"role": message.role.value, "content": message.content})
    items.extend(
        {"type": "function_call", "call_id": call.id, "name": call.name, "arguments": call.arguments}
        for call in message.tool_calls
    )
    return items


def _function_tool(definition: dict[str, Any]) -> dict[str, Any]:
    function = definition.get("function") or {}
    return {
        "type": "function", "name": function.get("name", ""),
        "description": function.get("description", ""),
        "parameters": function.get("parameters") or {"type": "object", "properties": {}},
    }


def request_kwargs(request: ChatRequest) -> dict[str, Any]:
    extra = dict(request.extra)
    tool_choice = extra.pop("tool_choice", None)
    if request.enable_thinking is not None:
        extra["enable_thinking"] = request.enable_thinking
    if request.thinking_budget and request.enable_thinking is not False:
        extra["thinking_budget"] = request.thinking_budget
    kwargs: dict[str, Any] = {
        "model": request.model,
        "input": [item for message in request.messages for item in input_items(message)],
        "stream": True,
        "extra_body": extra,
        "extra_headers": {SESSION_CACHE_HEADER: "enable"},
    }
    if request.previous_response_id:
        kwargs["previous_response_id"] = request.previous_response_id
    tools = [{"type": name} for name in request.server_tools]
    tools += [_function_tool(definition) for definition in request.tools]
    if tools:
        kwargs["tools"] = tools
        if tool_choice:
            kwargs["tool_choice"] = tool_choice
    if request.temperature is not None:
        kwargs["temperature"] = request.temperature
    if request.max_tokens:
        kwargs["max_output_tokens"] = request.max_tokens
    return kwargs


def usage_from(raw: dict[str, Any]) -> Usage:
    inputs = raw.get("input_tokens_details") or {}
    outputs = raw.get("output_tokens_details") or {}
    return Usage(
        input_tokens=int(raw.get("input_tokens") or 0),
        output_tokens=int(raw.get("output_tokens") or 0),
        reasoning_tokens=int(outputs.get("reasoning_tokens") or 0),
        cached_tokens=int(inputs.get("cached_tokens") or 0),
    )


def tool_card(item: dict[str, Any]) -> tuple[str, str]:
    """What a server tool was asked and what it gave back, as text for a tool card."""
    kind = str(item.get("type", ""))
    if kind == "code_interpreter_call":
        logs = [
            str(out.get("logs") or out.get("url") or "") for out in item.get("outputs") or ()
            if isinstance(out, dict)
        ]
        return str(item.get("code") or ""), "\n".join(part for part in logs if part)
    if kind == "web_extractor_call":
        urls = [str(url) for url in item.get("urls") or () if url]
        asked = {"goal": item.get("goal") or "", "urls": urls}
        return json.dumps(asked, ensure_ascii=False), str(item.get("output") or "")
    action = item.get("action") if isinstance(item.get("action"), dict) else {}
    queries = action.get("queries") or ([action["query"]] if action.get("query") else [])
    lines = []
    for source in action.get("sources") or ():
        if isinstance(source, dict) and source.get("url"):
            title = str(source.get("title") or "").strip()
            lines.append(f"{title} — {source['url']}" if title else str(source["url"]))
    return json.dumps({"query": "; ".join(str(q) for q in queries)}, ensure_ascii=False), "\n".join(lines)


def _server_tool(item: dict[str, Any], done: bool) -> ServerToolUpdate:
    arguments, result = tool_card(item) if done else ("", "")
    status = str(item.get("status") or "")
    error = "The service's tool call failed." if done and status in ("failed", "incomplete") else None
    return ServerToolUpdate(
        call_id=str(item.get("id") or ""), tool=_ITEM_TOOLS[str(item.get("type"))],
        arguments=arguments, result=result, done=done, error=error,
    )


def refine(error: e.QwenError, chained: bool) -> e.QwenError:
    """The two answers the Responses API adds: a chained-from response gone, a model refusing it."""
    if not isinstance(error, e.ApiError) or error.status not in (None, 400, 404):
        return error
    code = (error.code or "").lower()
    text = (error.server_message or "").lower()
    fields = dict(request_id=error.request_id, server_message=error.server_message,
                  status=error.status, code=error.code)
    if chained and ("previous_response" in code or "previous_response" in text
                    or ("response" in text and ("not found" in text or "expired" in text))):
        return e.ResponseExpiredError(**fields)  # type: ignore[arg-type]
    refused = code in ("model_not_supported", "unsupported_model") or "not support" in text
    if refused and ("model" in text or "model" in code):
        return e.ResponsesUnsupportedError(**fields)  # type: ignore[arg-type]
    return error


def _event(line: str, request_id: str | None, hint: str | None) -> dict[str, Any] | None:
    if not line.startswith("data:"):
        return None
    data = line[5:].strip()
    if not data or data == "[DONE]":
        return None
    try:
        event = json.loads(data)
    except ValueError:
        raise e.ProtocolError(request_id=request_id) from None
    if not isinstance(event, dict):
        raise e.ProtocolError(request_id=request_id)
    kind = event.get("type")
    failure = None
    if kind == "error":
        failure = event.get("error") if isinstance(event.get("error"), dict) else event
    elif kind == "response.failed":
        failure = (event.get("response") or {}).get("error") or {}
    if failure is not None:
        raise api_error(None, failure.get("code"), failure.get("message"),
                        request_id=request_id, hint=hint)
    return event


async def stream_responses(
    client: openai.AsyncOpenAI, request: ChatRequest, hint: str | None
) -> AsyncIterator[StreamEvent]:
    """Streams through the SDK's raw response: plain JSON per event, no model object per event."""
    import httpx2

    chained = request.previous_response_id is not None
    manager = client.responses.with_streaming_response.create(**request_kwargs(request))
    try:
        response = await manager.__aenter__()
    except openai.APIError as exc:
        raise refine(translate(exc, hint), chained) from None
    request_id = response.headers.get("x-request-id")
    response_id: str | None = None
    finish: str | None = None
    tools = ToolCallAccumulator()
    try:
        async for line in _sse_lines(response.iter_bytes()):
            try:
                event = _event(line, request_id, hint)
            except e.QwenError as error:
                raise refine(error, chained) from None
            if event is None:
                continue
            kind = str(event.get("type") or "")
            if kind in _REASONING_DELTAS and event.get("delta"):
                yield ReasoningDelta(str(event["delta"]))
            elif kind == "response.output_text.delta" and event.get("delta"):
                yield ContentDelta(str(event["delta"]))
            elif kind in ("response.output_item.added", "response.output_item.done"):
                item = event.get("item") or {}
                done = kind.endswith(".done")
                if item.get("type") in _ITEM_TOOLS:
                    yield _server_tool(item, done)
                elif item.get("type") == "function_call" and done:
                    tools.add(int(event.get("output_index") or 0), item.get("call_id") or item.get("id"),
                              item.get("name"), item.get("arguments"))
            elif kind in ("response.created", "response.in_progress"):
                response_id = (event.get("response") or {}).get("id") or response_id
            elif kind in ("response.completed", "response.incomplete"):
                body = event.get("response") or {}
                response_id = body.get("id") or response_id
                if body.get("usage"):
                    yield UsageUpdate(usage_from(body["usage"]))
                reason = (body.get("incomplete_details") or {}).get("reason")
                finish = "length" if kind.endswith("incomplete") and reason != "content_filter" else "stop"
                if reason == "content_filter":
                    finish = "content_filter"
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
        finish = "tool_calls"
    yield Finished(finish, request_id, response_id)
