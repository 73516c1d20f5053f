"""The Responses API of the simulator: ``POST /compatible-mode/v1/responses``.

What it implements, after Model Studio's and OpenAI's Responses references (see
``docs/responses-api.md``):

* ``input`` as a string or a list of items (messages, ``function_call``, ``function_call_output``),
  ``previous_response_id`` chaining on responses it keeps, ``store: false``, ``enable_thinking``;
* streaming as named SSE events (``event: <type>`` + ``data: {"type": <type>, ...}``):
  ``response.created``, ``response.in_progress``, ``response.output_item.added/.done``,
  ``response.reasoning_summary_part.added/.done``, ``response.reasoning_summary_text.delta/.done``,
  ``response.content_part.added/.done``, ``response.output_text.delta/.done``,
  ``response.function_call_arguments.delta/.done``, the built-in tools' own events
  (``response.web_search_call.in_progress/searching/completed``,
  ``response.code_interpreter_call.in_progress/interpreting/completed``,
  ``response.code_interpreter_call_code.delta/.done``), then ``response.completed`` with
  ``usage.input_tokens_details.cached_tokens``; a failure mid-stream is ``response.failed``;
* built-in tools ``web_search`` (item ``web_search_call`` with ``action.query`` and
  ``action.sources``), ``web_extractor`` (``web_extractor_call`` with ``goal``, ``urls``,
  ``output``) and ``code_interpreter`` (``code_interpreter_call`` with ``code`` and ``outputs``
  logs); each runs when switched on and the prompt asks for it (a search, a URL, a calculation);
* the session cache (``x-dashscope-session-cache: enable``): a chained turn reads the kept history
  from the cache, reported as ``cached_tokens``;
* expiry: kept responses live ``ttl`` seconds, and ``expire()`` forgets them at once; a chain from a
  forgotten one is answered 400 ``previous_response_not_found``;
* models that refuse the API (``refusing``): 400 ``model_not_supported``.

Requests are recorded by the simulator like any other (``protocol="openai"``, ``kind="responses"``);
``contexts`` keeps, per request, the whole conversation the model was given.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests import simulator as sim

if TYPE_CHECKING:
    from tests.simulator import Reply, Simulator

PATH = "/compatible-mode/v1/responses"
DEFAULT_TTL = 7 * 24 * 3600.0
REFUSING_PREFIXES = ("qwen-turbo", "qwen-long", "qwen2", "qwq", "qvq", "qwen-mt")
SERVER_TOOLS = ("web_search", "web_extractor", "code_interpreter")
URL_RE = re.compile(r"https?://[^\s)>\]]+")
SEARCH_WORDS = ("search", "latest", "news", "look up")
CODE_WORDS = ("calculate", "compute", "python", "plot")

Unit = tuple[str, str]


@dataclass
class Kept:
    id: str
    region: str
    model: str
    context: list[Unit]
    calls: set[str]
    created: float


@dataclass
class Plan:
    model: str
    thinking: bool
    reasoning: str
    content: str
    server_calls: list[dict]
    function_calls: list[dict]
    input_tokens: int
    cached_tokens: int
    reply: Reply
    response_id: str = field(default_factory=lambda: f"resp_{uuid.uuid4().hex}")
    created: int = field(default_factory=lambda: int(time.time()))


class ResponsesService:
    def __init__(self, simulator: Simulator) -> None:
        self.sim = simulator
        self.kept: dict[str, Kept] = {}
        self.contexts: list[list[Unit]] = []
        self.refusing: set[str] = set()
        """Models that refuse the API besides the built-in refusing families."""
        self.ttl = DEFAULT_TTL
        self.clock: Callable[[], float] = time.time
        self._lock = threading.Lock()

    # -- scripting

    def expire(self, response_id: str | None = None) -> None:
        """Forget one kept response, or all of them (as the service does when they expire)."""
        with self._lock:
            if response_id is None:
                self.kept.clear()
            else:
                self.kept.pop(response_id, None)

    def refuses(self, model: str) -> bool:
        return model in self.refusing or model.startswith(REFUSING_PREFIXES)

    def reset(self) -> None:
        with self._lock:
            self.kept.clear()
            self.contexts.clear()

    # -- one request

    async def handle(self, request: web.Request, region: str, body: dict) -> web.StreamResponse:
        plan = self._plan(request, region, body)
        if body.get("stream") is not True:
            return web.json_response(self._response(plan, "completed"), dumps=sim.dumps,
                                     headers={"x-request-id": str(uuid.uuid4())})
        response = web.StreamResponse(status=200, headers={**sim.SSE_HEADERS, "x-request-id": str(uuid.uuid4())})
        await response.prepare(request)
        writer = sim.StreamWriter(request, response, plan.reply.delay)
        try:
            await _write_stream(writer, plan, self._response)
        except (sim.StreamClosed, ConnectionError):
            pass
        return response

    def _plan(self, request: web.Request, region: str, body: dict) -> Plan:
        model = str(body.get("model", ""))
        sim.check_model(model, "openai")
        if self.refuses(model):
            raise sim.SimulatedError(
                "model_not_supported", f"The model `{model}` is not supported by the Responses API.",
                status=400,
            )
        previous = self._previous(region, body.get("previous_response_id"))
        known_calls = set(previous.calls) if previous else set()
        new_units, prompt = _input_units(body.get("input"), known_calls)
        tools = _tools(body.get("tools"))
        context = (previous.context if previous else []) + new_units
        self.contexts.append(list(context))
        reply = self.sim._next_reply(region)
        if reply.status is not None and reply.error_chunk_after is None:
            raise sim.error_from_reply(reply, model)
        thinking = sim.is_thinking_only(model) or body.get("enable_thinking") is True
        server_calls = _server_calls(tools["server"], prompt)
        function_calls = [
            {"call_id": c.get("id") or f"call_{uuid.uuid4().hex[:20]}", "name": str(c.get("name", "")),
             "arguments": str(c.get("arguments", ""))}
            for c in (reply.tool_calls or []) if tools["functions"]
        ]
        content = reply.content or ("" if function_calls else f"You said: {prompt}")
        if server_calls and not reply.content:
            content += " (with " + ", ".join(c["type"].removesuffix("_call") for c in server_calls) + ")"
        session = request.headers.get("x-dashscope-session-cache", "").lower() == "enable"
        if session:
            cached = len(previous.context) if previous else 0
            cached = cached if cached >= sim.CACHE_MIN_TOKENS else 0
        else:
            cached = self.sim._cached_tokens(region, model, context)
        plan = Plan(
            model=model, thinking=thinking,
            reasoning=(reply.reasoning if reply.reasoning is not None else f"Thinking about: {prompt}")
            if thinking else "",
            content=content, server_calls=server_calls, function_calls=function_calls,
            input_tokens=len(context), cached_tokens=cached, reply=reply,
        )
        if body.get("store", True) is not False:
            said = [("assistant", t) for t in sim.tokenize(plan.content)]
            said += [("assistant", t) for c in function_calls
                     for t in sim.tokenize(f"{c['name']} {c['arguments']}")]
            with self._lock:
                self.kept[plan.response_id] = Kept(
                    plan.response_id, region, model, context + said,
                    {c["call_id"] for c in function_calls}, self.clock(),
                )
        return plan

    def _previous(self, region: str, response_id: Any) -> Kept | None:
        if response_id is None:
            return None
        with self._lock:
            kept = self.kept.get(str(response_id))
            if kept is not None and self.clock() - kept.created > self.ttl:
                del self.kept[kept.id]
                kept = None
        if kept is None or kept.region != region:
            raise sim.SimulatedError(
                "previous_response_not_found",
                f"Previous response with id '{response_id}' not found.", status=400,
            )
        return kept

    def _response(self, plan: Plan, status: str, output: list[dict] | None = None,
                  output_tokens: int = 0, reasoning_tokens: int = 0) -> dict:
        body: dict[str, Any] = {
            "id": plan.response_id, "object": "response", "created_at": plan.created,
            "status": status, "model": plan.model, "output": output or [], "error": None,
            "incomplete_details": None, "parallel_tool_calls": True, "tool_choice": "auto",
            "tools": [], "usage": None,
        }
        if status == "completed":
            if output is None:
                body["output"] = [item for item, _events in _items(plan)]
                output_tokens, reasoning_tokens = _output_tokens(plan)
            body["usage"] = {
                "input_tokens": plan.input_tokens,
                "input_tokens_details": {"cached_tokens": plan.cached_tokens},
                "output_tokens": output_tokens,
                "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
                "total_tokens": plan.input_tokens + output_tokens,
            }
            if plan.server_calls:
                body["usage"]["x_tools"] = {
                    c["type"].removesuffix("_call"): {"count": 1} for c in plan.server_calls
                }
        return body


# ----------------------------------------------------------------------------- request reading


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [str(p.get("text", "")) for p in content if isinstance(p, dict) and "text" in p]
        return " ".join(part for part in parts if part)
    raise sim.invalid_parameter("Input should be a valid string or list - 'input.content'")


def _input_units(raw: Any, known_calls: set[str]) -> tuple[list[Unit], str]:
    """The new input as (role, token) units, and the last user text (the prompt)."""
    if isinstance(raw, str):
        items: list[Any] = [{"role": "user", "content": raw}]
    elif isinstance(raw, list) and raw:
        items = raw
    else:
        raise sim.invalid_parameter("Field required - 'input'")
    units: list[Unit] = []
    prompt = ""
    calls = set(known_calls)
    answered = False
    for item in items:
        if not isinstance(item, dict):
            raise sim.invalid_parameter("Input should be a valid dictionary - 'input'")
        kind = item.get("type", "message")
        if kind == "message":
            role = str(item.get("role", ""))
            if role not in ("user", "assistant", "system", "developer"):
                raise sim.invalid_parameter(f"Invalid role '{role}' - 'input.role'")
            text = _text(item.get("content"))
            units += [(role, t) for t in sim.tokenize(text)]
            if role == "user":
                prompt = text
        elif kind == "function_call":
            calls.add(str(item.get("call_id")))
            units += [("assistant", t) for t in sim.tokenize(f"{item.get('name')} {item.get('arguments')}")]
        elif kind == "function_call_output":
            if str(item.get("call_id")) not in calls:
                raise sim.invalid_parameter(
                    f"No tool call found for function call output with call_id {item.get('call_id')}."
                )
            answered = True
            units += [("tool", t) for t in sim.tokenize(str(item.get("output", "")))]
        else:
            raise sim.invalid_parameter(f"Invalid input item type '{kind}'")
    if not prompt and not answered:
        raise sim.invalid_parameter("The input messages do not contain elements with the role of user.")
    return units, prompt or "the tool results"


def _tools(raw: Any) -> dict[str, list]:
    server: list[str] = []
    functions: list[dict] = []
    for tool in raw or []:
        kind = tool.get("type") if isinstance(tool, dict) else None
        if kind == "function":
            if not tool.get("name"):
                raise sim.invalid_parameter("Missing required parameter: 'tools[].name'.")
            functions.append(tool)
        elif kind in SERVER_TOOLS:
            server.append(kind)
        else:
            raise sim.invalid_parameter(f"Tool type '{kind}' is not supported.")
    return {"server": server, "functions": functions}


def _server_calls(enabled: list[str], prompt: str) -> list[dict]:
    """The built-in tools this prompt makes the model use, as completed output items."""
    lowered = prompt.lower()
    urls = URL_RE.findall(prompt)
    calls: list[dict] = []
    if "web_search" in enabled and any(word in lowered for word in SEARCH_WORDS):
        query = prompt.strip()[:80]
        calls.append({
            "type": "web_search_call", "id": f"ws_{uuid.uuid4().hex[:16]}", "status": "completed",
            "action": {"type": "search", "query": query, "sources": [
                {"type": "url", "url": "https://example.com/one", "title": "Result one"},
                {"type": "url", "url": "https://example.org/two", "title": "Result two"},
            ]},
        })
    if "web_extractor" in enabled and urls:
        calls.append({
            "type": "web_extractor_call", "id": f"we_{uuid.uuid4().hex[:16]}", "status": "completed",
            "goal": f"Read {urls[0]}", "urls": urls,
            "output": f"Page text of {urls[0]}: a heading and two paragraphs.",
        })
    if "code_interpreter" in enabled and any(word in lowered for word in CODE_WORDS):
        digits = [int(d) for d in re.findall(r"\d+", prompt)[:2]] or [6, 7]
        code = f"print({' * '.join(str(d) for d in digits)})"
        value = 1
        for digit in digits:
            value *= digit
        calls.append({
            "type": "code_interpreter_call", "id": f"ci_{uuid.uuid4().hex[:16]}", "status": "completed",
            "code": code, "container_id": "cntr_sim",
            "outputs": [{"type": "logs", "logs": f"{value}\n"}],
        })
    return calls


# ----------------------------------------------------------------------------- the event stream


def _output_tokens(plan: Plan) -> tuple[int, int]:
    reasoning = sim.count_tokens(plan.reasoning)
    calls = sum(sim.count_tokens(f"{c['name']} {c['arguments']}") + 1 for c in plan.function_calls)
    return reasoning + sim.count_tokens(plan.content) + calls, reasoning


def _items(plan: Plan) -> list[tuple[dict, list[dict]]]:
    """Each output item as it ends, with the events that stream it (between added and done)."""
    size = plan.reply.chunk_chars
    items: list[tuple[dict, list[dict]]] = []
    if plan.thinking:
        rid = f"rs_{uuid.uuid4().hex[:16]}"
        deltas = [{"type": "response.reasoning_summary_text.delta", "item_id": rid, "summary_index": 0,
                   "delta": piece} for piece in sim.split_chunks(plan.reasoning, size)]
        events = [{"type": "response.reasoning_summary_part.added", "item_id": rid, "summary_index": 0,
                   "part": {"type": "summary_text", "text": ""}}, *deltas,
                  {"type": "response.reasoning_summary_text.done", "item_id": rid, "summary_index": 0,
                   "text": plan.reasoning},
                  {"type": "response.reasoning_summary_part.done", "item_id": rid, "summary_index": 0,
                   "part": {"type": "summary_text", "text": plan.reasoning}}]
        items.append(({"type": "reasoning", "id": rid, "summary": [
            {"type": "summary_text", "text": plan.reasoning}]}, events))
    for call in plan.server_calls:
        items.append((call, _server_events(call, size)))
    for call in plan.function_calls:
        fid = f"fc_{uuid.uuid4().hex[:16]}"
        item = {"type": "function_call", "id": fid, "status": "completed", **call}
        events = [{"type": "response.function_call_arguments.delta", "item_id": fid, "delta": piece}
                  for piece in sim.split_chunks(call["arguments"], size)]
        events.append({"type": "response.function_call_arguments.done", "item_id": fid,
                       "arguments": call["arguments"]})
        items.append((item, events))
    if plan.content:
        mid = f"msg_{uuid.uuid4().hex[:16]}"
        part = {"type": "output_text", "text": plan.content, "annotations": []}
        deltas = [{"type": "response.output_text.delta", "item_id": mid, "content_index": 0, "delta": piece}
                  for piece in sim.split_chunks(plan.content, size)]
        events = [{"type": "response.content_part.added", "item_id": mid, "content_index": 0,
                   "part": {**part, "text": ""}}, *deltas,
                  {"type": "response.output_text.done", "item_id": mid, "content_index": 0,
                   "text": plan.content},
                  {"type": "response.content_part.done", "item_id": mid, "content_index": 0, "part": part}]
        items.append(({"type": "message", "id": mid, "role": "assistant", "status": "completed",
                       "content": [part]}, events))
    return items


def _server_events(call: dict, size: int) -> list[dict]:
    kind = call["type"]
    cid = call["id"]
    if kind == "web_search_call":
        names = ("in_progress", "searching", "completed")
        return [{"type": f"response.web_search_call.{name}", "item_id": cid} for name in names]
    if kind == "code_interpreter_call":
        deltas = [{"type": "response.code_interpreter_call_code.delta", "item_id": cid, "delta": piece}
                  for piece in sim.split_chunks(call["code"], size)]
        return [{"type": "response.code_interpreter_call.in_progress", "item_id": cid}, *deltas,
                {"type": "response.code_interpreter_call_code.done", "item_id": cid, "code": call["code"]},
                {"type": "response.code_interpreter_call.interpreting", "item_id": cid},
                {"type": "response.code_interpreter_call.completed", "item_id": cid}]
    return []


def _started(item: dict) -> dict:
    """An output item as ``response.output_item.added`` shows it: in progress, nothing in it yet."""
    if item["type"] == "message":
        return {**item, "status": "in_progress", "content": []}
    if item["type"] == "reasoning":
        return {**item, "summary": []}
    if item["type"] == "function_call":
        return {**item, "status": "in_progress", "arguments": ""}
    started = {"type": item["type"], "id": item["id"], "status": "in_progress"}
    if item["type"] == "code_interpreter_call":
        started.update(code="", container_id=item.get("container_id"), outputs=None)
    return started


def _frame(event: dict) -> bytes:
    return f"event: {event['type']}\ndata: {sim.dumps(event)}\n\n".encode()


async def _write_stream(writer: Any, plan: Plan, render: Callable[..., dict]) -> None:
    reply = plan.reply
    sequence = 0

    async def send(event: dict) -> None:
        nonlocal sequence
        event["sequence_number"] = sequence
        sequence += 1
        await writer.write(_frame(event))

    await send({"type": "response.created", "response": render(plan, "in_progress")})
    await send({"type": "response.in_progress", "response": render(plan, "in_progress")})
    emitted = 0
    output: list[dict] = []
    for index, (item, events) in enumerate(_items(plan)):
        await send({"type": "response.output_item.added", "output_index": index, "item": _started(item)})
        for event in events:
            if "delta" in event and await sim.before_piece(writer, reply, emitted):
                err = sim.stream_error(reply)
                failed = render(plan, "failed", output)
                failed["error"] = {"code": err.compat_code, "message": err.compat_message}
                await send({"type": "response.failed", "response": failed})
                return
            await send({**event, "output_index": index})
            if "delta" in event:
                emitted += 1
                await writer.pause()
        output.append(item)
        await send({"type": "response.output_item.done", "output_index": index, "item": item})
    tokens, reasoning = _output_tokens(plan)
    await send({"type": "response.completed", "response": render(plan, "completed", output, tokens, reasoning)})
    await asyncio.sleep(0)
