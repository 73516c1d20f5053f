"""Loopback simulator of Alibaba Cloud Model Studio (DashScope).

One aiohttp server on 127.0.0.1 serves every configured region under its own
path prefix (``/r/<region>``) and speaks both wire protocols:

* OpenAI-compatible: ``/compatible-mode/v1/chat/completions`` and ``/embeddings``
* the Responses API: ``/compatible-mode/v1/responses`` (``tests/sim_responses.py``)
* native DashScope: ``/api/v1/services/aigc/{text,multimodal}-generation/generation``
  and ``/api/v1/services/embeddings/text-embedding/text-embedding``

The server runs its own event loop in a daemon thread, so it can be used from
plain synchronous tests, pytest-qt tests and any asyncio loop of the test thread.

Error framing for native stream requests: a non-2xx response whose body is one
SSE ``event:error`` (``id:1`` / ``event:error`` / ``:HTTP_STATUS/<code>`` /
``data:{"code","message","request_id"}``). dashscope 1.27.8 parses it
(``_handle_aiohttp_failed_response``) into ``status_code``/``code``/``message``/
``request_id`` exactly like the plain-JSON form, which is used for
non-stream requests and for authentication failures. A mid-stream error is a
200 stream followed by an ``event:error`` event; the SDK ignores the
``:HTTP_STATUS`` comment and reports such an error with its default status 400.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import json
import math
import re
import struct
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Self

from aiohttp import web

from tests import sim_search
from tests import sim_responses
from tests import sim_models
from tests import sim_images

DEFAULT_REGIONS: dict[str, str] = {
    "intl": "sk-sim-intl-0000000000000000",
    "cn": "sk-sim-cn-0000000000000000",
}
DEFAULT_MODEL_LIMIT = 1_000_000
IMAGE_TOKENS = 256
CACHE_MIN_TOKENS = 256
EMBEDDING_BATCH_LIMIT = 10
DEFAULT_EMBEDDING_DIMENSIONS = 1024
ACCEPTED_MODEL_PREFIXES = ("qwen", "qwq", "qvq", "text-embedding")
HISTORY_PER_MODEL = 64

COMPAT_PREFIX = "/compatible-mode/v1"
NATIVE_PREFIX = "/api/v1"
TEXT_GENERATION = "/services/aigc/text-generation/generation"
MULTIMODAL_GENERATION = "/services/aigc/multimodal-generation/generation"
NATIVE_EMBEDDING = "/services/embeddings/text-embedding/text-embedding"

SSE_HEADERS = {"Content-Type": "text/event-stream;charset=UTF-8", "Cache-Control": "no-cache"}
CJK_CHAR = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
TOKEN_RE = re.compile(rf"{CJK_CHAR}|[^\s\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
CJK_RE = re.compile(CJK_CHAR)
SOFT_SWITCH_RE = re.compile(r"/(no_think|think)\b")

Protocol = Literal["openai", "dashscope"]


@dataclass
class Reply:
    content: str = ""
    reasoning: str | None = None
    chunk_chars: int = 4
    delay: float = 0.0
    drop_after: int | None = None
    status: int | None = None
    code: str | None = None
    message: str | None = None
    retry_after: float | None = None
    error_chunk_after: int | None = None
    malformed: str | None = None
    tool_calls: list[dict] | None = None
    finish_reason: str = "stop"
    search: sim_search.SearchScript | None = None


@dataclass
class RecordedRequest:
    region: str
    protocol: str
    kind: str
    path: str
    headers: dict[str, str]
    body: dict
    api_key: str | None
    received_at: float


@dataclass(frozen=True)
class ErrorSpec:
    status: int
    compat_code: str
    native_message: str
    compat_message: str


# native code -> HTTP status, compatible-mode code, native message, compatible-mode message
ERRORS: dict[str, ErrorSpec] = {
    "InvalidApiKey": ErrorSpec(
        401,
        "invalid_api_key",
        "Invalid API-key provided.",
        "Incorrect API key provided. For details, see: {help}#apikey-error",
    ),
    "InvalidParameter": ErrorSpec(
        400,
        "invalid_parameter_error",
        "Range of max_tokens should be [1, 8192]",
        "<400> InternalError.Algo.InvalidParameter: Range of max_tokens should be [1, 8192]",
    ),
    "Arrearage": ErrorSpec(
        400,
        "Arrearage",
        "Access denied, please make sure your account is in good standing.",
        "Access denied, please make sure your account is in good standing.",
    ),
    "DataInspectionFailed": ErrorSpec(
        400,
        "data_inspection_failed",
        "Input or output data may contain inappropriate content.",
        "Input text data may contain inappropriate content.",
    ),
    "AccessDenied": ErrorSpec(403, "AccessDenied", "Access denied.", "Access denied."),
    "Model.AccessDenied": ErrorSpec(
        403,
        "Model.AccessDenied",
        "Access to model denied. Please make sure you are eligible for using the model.",
        "Access to model denied. Please make sure you are eligible for using the model.",
    ),
    "ModelNotFound": ErrorSpec(
        404,
        "model_not_found",
        "Model not exist.",
        "The model `{model}` does not exist or you do not have access to it.",
    ),
    "Throttling": ErrorSpec(
        429, "Throttling", "Requests throttling triggered.", "Requests throttling triggered."
    ),
    "Throttling.RateQuota": ErrorSpec(
        429,
        "limit_requests",
        "Requests rate limit exceeded, please try again later.",
        "You exceeded your current requests list.",
    ),
    "Throttling.BurstRate": ErrorSpec(
        429,
        "limit_burst_rate",
        "Request rate increased too quickly, please try again later.",
        "Request rate increased too quickly, please try again later.",
    ),
    "Throttling.AllocationQuota": ErrorSpec(
        429,
        "insufficient_quota",
        "Allocated quota exceeded, please increase your quota limit.",
        "You exceeded your current quota, please check your plan and billing details.",
    ),
    "InternalError": ErrorSpec(
        500,
        "internal_error",
        "An internal error has occured, please try again later or contact service support.",
        "An internal error has occured, please try again later or contact service support.",
    ),
    "RequestTimeOut": ErrorSpec(
        500,
        "RequestTimeOut",
        "Request timed out, please try again later.",
        "Request timed out, please try again later.",
    ),
    "ModelServingError": ErrorSpec(
        503,
        "ModelServingError",
        "Too many requests. Your requests are being throttled due to system capacity limits. "
        "Please try again later.",
        "Too many requests. Your requests are being throttled due to system capacity limits. "
        "Please try again later.",
    ),
    "ModelUnavailable": ErrorSpec(
        503,
        "ModelUnavailable",
        "Model is unavailable, please try again later.",
        "Model is unavailable, please try again later.",
    ),
}
DEFAULT_CODE_FOR_STATUS = {
    400: "InvalidParameter",
    401: "InvalidApiKey",
    403: "AccessDenied",
    404: "ModelNotFound",
    429: "Throttling.RateQuota",
    500: "InternalError",
    503: "ModelServingError",
}
COMPAT_TO_NATIVE = {spec.compat_code: code for code, spec in ERRORS.items()}
HELP_URL = {
    "cn": "https://help.aliyun.com/zh/model-studio/error-code",
    "default": "https://www.alibabacloud.com/help/en/model-studio/error-code",
}
MIDSTREAM_ERROR = ("DataInspectionFailed", "Output data may contain inappropriate content.")


class SimulatedError(Exception):
    """An API error, rendered in whichever protocol the request used."""

    def __init__(
        self,
        code: str,
        message: str | None = None,
        *,
        status: int | None = None,
        compat_message: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        native_code = COMPAT_TO_NATIVE.get(code, code)
        spec = ERRORS.get(native_code)
        self.native_code = native_code
        self.compat_code = spec.compat_code if spec else code
        self.status = status or (spec.status if spec else 400)
        self.native_message = message or (spec.native_message if spec else code)
        self.compat_message = compat_message or message or (spec.compat_message if spec else code)
        self.retry_after = retry_after
        super().__init__(self.native_message)


def invalid_parameter(message: str) -> SimulatedError:
    return SimulatedError(
        "InvalidParameter",
        message,
        compat_message=f"<400> InternalError.Algo.InvalidParameter: {message}",
    )


def error_from_reply(reply: Reply, model: str) -> SimulatedError:
    status = reply.status or 400
    code = reply.code or DEFAULT_CODE_FOR_STATUS.get(status, "InternalError")
    err = SimulatedError(code, reply.message, status=status, retry_after=reply.retry_after)
    err.compat_message = err.compat_message.replace("{model}", model)
    return err


# ----------------------------------------------------------------------------- text helpers


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def tokenize(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def count_tokens(text: str) -> int:
    return len(tokenize(text))


def is_image_part(part: dict) -> bool:
    return "image" in part or part.get("type") == "image_url"


def image_ref(part: dict) -> str:
    if "image" in part:
        return str(part["image"])
    url = part.get("image_url")
    return str(url.get("url", "")) if isinstance(url, dict) else str(url)


def content_parts(content: Any) -> list[dict]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"text": content}]
    if isinstance(content, list):
        return [part if isinstance(part, dict) else {"text": str(part)} for part in content]
    return [{"text": str(content)}]


def message_text(message: dict) -> str:
    texts = [str(part.get("text", "")) for part in content_parts(message.get("content"))]
    return " ".join(text for text in texts if text)


def message_units(messages: list[dict], model: str = "", high_resolution: bool = False) -> list[tuple[str, str]]:
    """The prompt as (role, token) units: what usage counts and what the cache compares.

    A decodable image is billed by its size (``sim_images``); any other image reference as IMAGE_TOKENS.
    """
    units: list[tuple[str, str]] = []
    for message in messages:
        role = str(message.get("role", ""))
        for part in content_parts(message.get("content")):
            if is_image_part(part):
                digest = hashlib.sha1(image_ref(part).encode()).hexdigest()
                billed = sim_images.billed_tokens(image_ref(part), model, high_resolution)
                units.extend([(role, f"<image:{digest}>")] * (IMAGE_TOKENS if billed is None else billed))
            else:
                units.extend((role, token) for token in tokenize(str(part.get("text", ""))))
        for call in message.get("tool_calls") or []:
            function = call.get("function") or {}
            text = f"{function.get('name', '')} {function.get('arguments', '')}"
            units.extend((role, token) for token in tokenize(text))
    return units


def common_prefix(a: tuple, b: tuple) -> int:
    n = 0
    for left, right in zip(a, b):
        if left != right:
            break
        n += 1
    return n


def last_user_text(messages: list[dict]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return message_text(message)
    return ""


def soft_switch(messages: list[dict]) -> str | None:
    found: str | None = None
    for message in messages:
        if message.get("role") == "user":
            for match in SOFT_SWITCH_RE.finditer(message_text(message)):
                found = match.group(1)
    return found


def split_chunks(text: str, size: int) -> list[str]:
    size = max(1, size)
    return [text[i : i + size] for i in range(0, len(text), size)]


def truncate_words(text: str, limit: int) -> str:
    words = text.split()
    return text if len(words) <= limit else " ".join(words[:limit])


# ----------------------------------------------------------------------------- embeddings


def embedding_features(text: str) -> list[str]:
    lowered = text.lower()
    features = [word for word in WORD_RE.findall(lowered) if not CJK_RE.search(word)]
    for run in re.findall(rf"{CJK_CHAR}+", lowered):
        features.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return features


def embed_text(text: str, dimensions: int) -> list[float]:
    vector = [0.0] * dimensions
    for feature in embedding_features(text):
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        slot = int.from_bytes(digest[:4], "little") % dimensions
        vector[slot] += 1.0 if digest[4] & 1 else -1.0
    norm = math.sqrt(sum(value * value for value in vector))
    return [value / norm for value in vector] if norm else vector


def encode_base64_floats(vector: list[float]) -> str:
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()


# ----------------------------------------------------------------------------- reply planning


@dataclass
class Piece:
    kind: Literal["reasoning", "content", "tool"]
    text: str
    index: int = 0
    call_id: str | None = None
    name: str | None = None


def tool_pieces(tool_calls: list[dict], chunk_chars: int) -> list[Piece]:
    """Headers first as each call starts, then argument pieces round-robin by index."""
    streams = [split_chunks(str(call.get("arguments", "")), chunk_chars) for call in tool_calls]
    pieces: list[Piece] = []
    for step in range(1 + max((len(s) for s in streams), default=0)):
        for index, call in enumerate(tool_calls):
            if step == 0:
                call_id = call.get("id") or f"call_{uuid.uuid4().hex[:22]}"
                pieces.append(Piece("tool", "", index, call_id, str(call.get("name", ""))))
            elif step - 1 < len(streams[index]):
                pieces.append(Piece("tool", streams[index][step - 1], index))
    return pieces


@dataclass
class ChatPlan:
    protocol: Protocol
    model: str
    stream: bool
    thinking: bool
    reasoning: str
    content: str
    reply: Reply
    prompt_tokens: int
    cached_tokens: int
    include_usage: bool = False
    cache_details: dict = field(default_factory=dict)
    incremental: bool = True
    multimodal: bool = False
    text_format: bool = False
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    search: sim_search.SearchPlan | None = None

    @property
    def finish_reason(self) -> str:
        return "tool_calls" if self.reply.tool_calls else self.reply.finish_reason

    def pieces(self) -> list[Piece]:
        size = self.reply.chunk_chars
        result = [Piece("reasoning", c) for c in split_chunks(self.reasoning, size)] if self.thinking else []
        result += [Piece("content", c) for c in split_chunks(self.content, size)]
        if self.reply.tool_calls:
            result += tool_pieces(self.reply.tool_calls, size)
        return result

    def tool_calls_full(self) -> list[dict]:
        calls = []
        for piece in self.pieces():
            if piece.kind == "tool" and piece.call_id:
                calls.append(
                    {
                        "index": piece.index,
                        "id": piece.call_id,
                        "type": "function",
                        "function": {"name": piece.name, "arguments": ""},
                    }
                )
            elif piece.kind == "tool":
                calls[piece.index]["function"]["arguments"] += piece.text
        return calls


class Meter:
    """Cumulative output-token counts while a reply is being emitted."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {"reasoning": "", "content": "", "tool": ""}
        self.calls = 0

    def add(self, piece: Piece) -> None:
        self.texts[piece.kind] += piece.text
        if piece.call_id:
            self.calls += 1
            self.texts["tool"] += " "

    @property
    def reasoning(self) -> int:
        return count_tokens(self.texts["reasoning"])

    @property
    def output(self) -> int:
        return sum(count_tokens(text) for text in self.texts.values()) + self.calls


# ----------------------------------------------------------------------------- OpenAI-compatible shapes


class CompatRenderer:
    def __init__(self, plan: ChatPlan) -> None:
        self.plan = plan
        self.id = f"chatcmpl-{uuid.uuid4()}"
        self.created = int(time.time())
        self.extra = plan.reply.malformed == "unknown_fields"

    def _envelope(self, choices: list, usage: dict | None) -> dict:
        chunk = {
            "choices": choices,
            "object": "chat.completion.chunk",
            "usage": usage,
            "created": self.created,
            "system_fingerprint": None,
            "model": self.plan.model,
            "id": self.id,
        }
        if self.extra:
            chunk["x_sim_unknown"] = {"nested": [1, 2]}
        return chunk

    def _choice(self, delta: dict, finish: str | None, opening: bool = False) -> dict:
        if self.extra:
            delta = {**delta, "x_sim_delta": "ignored"}
        if opening:
            choice = {"delta": delta, "index": 0, "logprobs": None, "finish_reason": finish}
        else:
            choice = {"finish_reason": finish, "delta": delta, "index": 0, "logprobs": None}
        if self.extra:
            choice["x_sim_choice"] = True
        return choice

    def first(self) -> dict:
        if self.plan.thinking:
            delta = {"content": None, "role": "assistant", "reasoning_content": ""}
        else:
            delta = {"content": "", "role": "assistant"}
        return self._envelope([self._choice(delta, None, opening=True)], None)

    def piece(self, piece: Piece) -> dict:
        if piece.kind == "reasoning":
            delta: dict = {"content": None, "reasoning_content": piece.text}
        elif piece.kind == "content":
            delta = {"content": piece.text, "reasoning_content": None}
        elif piece.call_id:
            call = {
                "index": piece.index,
                "id": piece.call_id,
                "type": "function",
                "function": {"name": piece.name, "arguments": ""},
            }
            delta = {"content": None, "reasoning_content": None, "tool_calls": [call]}
        else:
            call = {"index": piece.index, "function": {"arguments": piece.text}}
            delta = {"content": None, "reasoning_content": None, "tool_calls": [call]}
        return self._envelope([self._choice(delta, None)], None)

    def last(self) -> dict:
        delta = {"content": "", "reasoning_content": None}
        return self._envelope([self._choice(delta, self.plan.finish_reason)], None)

    def usage(self, meter: Meter) -> dict:
        plan = self.plan
        usage = {
            "prompt_tokens": plan.prompt_tokens,
            "completion_tokens": meter.output,
            "total_tokens": plan.prompt_tokens + meter.output,
            "completion_tokens_details": {"reasoning_tokens": meter.reasoning},
            "prompt_tokens_details": {"cached_tokens": plan.cached_tokens, **plan.cache_details},
        }
        if self.extra:
            usage["x_sim_usage"] = 0
        return usage

    def usage_chunk(self, meter: Meter) -> dict:
        return self._envelope([], self.usage(meter))

    def completion(self) -> dict:
        meter = Meter()
        for piece in self.plan.pieces():
            meter.add(piece)
        message: dict = {"role": "assistant", "content": self.plan.content}
        if self.plan.reply.tool_calls:
            message["tool_calls"] = self.plan.tool_calls_full()
        body = {
            "choices": [
                {"message": message, "finish_reason": self.plan.finish_reason, "index": 0, "logprobs": None}
            ],
            "object": "chat.completion",
            "usage": self.usage(meter),
            "created": self.created,
            "system_fingerprint": None,
            "model": self.plan.model,
            "id": self.id,
        }
        if self.extra:
            body["x_sim_unknown"] = True
            message["x_sim_message"] = True
        return body


def compat_frame(payload: dict | str) -> bytes:
    data = payload if isinstance(payload, str) else dumps(payload)
    return f"data: {data}\n\n".encode()


# ----------------------------------------------------------------------------- native shapes


class NativeRenderer:
    def __init__(self, plan: ChatPlan) -> None:
        self.plan = plan
        self.extra = plan.reply.malformed == "unknown_fields"
        self.event_id = 0
        self.reasoning_so_far = ""
        self.content_so_far = ""
        self.calls: list[dict] = []
        self.payloads = 0

    def _content_value(self, text: str) -> str | list:
        if self.plan.multimodal:
            return [{"text": text}] if text else []
        return text

    def _usage(self, meter: Meter) -> dict:
        plan = self.plan
        usage = {
            "total_tokens": plan.prompt_tokens + meter.output,
            "input_tokens": plan.prompt_tokens,
            "output_tokens": meter.output,
            "output_tokens_details": {"reasoning_tokens": meter.reasoning},
            "prompt_tokens_details": {"cached_tokens": plan.cached_tokens, **plan.cache_details},
        }
        if self.extra:
            usage["x_sim_usage"] = 0
        return usage

    def _message(self, content: str, reasoning: str, tool_calls: list[dict] | None) -> dict:
        message: dict = {"content": self._content_value(content)}
        if self.plan.thinking or tool_calls is not None:
            message["reasoning_content"] = reasoning
        message["role"] = "assistant"
        if tool_calls is not None:
            message["tool_calls"] = tool_calls
        if self.extra:
            message["x_sim_message"] = True
        return message

    def _payload(self, message: dict, finish: str, meter: Meter) -> dict:
        if self.plan.text_format:
            text = message["content"]
            output: dict = {"text": text if isinstance(text, str) else "", "finish_reason": finish}
        else:
            choice = {"message": message, "finish_reason": finish}
            if self.extra:
                choice["x_sim_choice"] = True
            output = {"choices": [choice]}
        payload = {"output": output, "usage": self._usage(meter), "request_id": self.plan.request_id}
        if self.extra:
            payload["x_sim_unknown"] = {"nested": True}
        sim_search.decorate_native(payload, self.plan.search, self.payloads if self.plan.stream else None)
        self.payloads += 1
        return payload

    def _tool_delta(self, piece: Piece) -> list[dict]:
        if piece.call_id:
            call = {
                "index": piece.index,
                "id": piece.call_id,
                "type": "function",
                "function": {"name": piece.name, "arguments": ""},
            }
            self.calls.append(json.loads(dumps(call)))
            return [call]
        self.calls[piece.index]["function"]["arguments"] += piece.text
        return [{"index": piece.index, "id": "", "type": "function", "function": {"arguments": piece.text}}]

    def piece(self, piece: Piece, meter: Meter, finish: str = "null") -> dict:
        incremental = self.plan.incremental
        tool_calls = None
        if piece.kind == "reasoning":
            self.reasoning_so_far += piece.text
            content, reasoning = "", piece.text if incremental else self.reasoning_so_far
        elif piece.kind == "content":
            self.content_so_far += piece.text
            content, reasoning = (piece.text if incremental else self.content_so_far), ""
        else:
            delta = self._tool_delta(piece)
            tool_calls = delta if incremental else json.loads(dumps(self.calls))
            content, reasoning = ("" if incremental else self.content_so_far), ""
        return self._payload(self._message(content, reasoning, tool_calls), finish, meter)

    def last(self, meter: Meter) -> dict:
        content = "" if self.plan.incremental else self.content_so_far
        return self._payload(self._message(content, "", None), self.plan.finish_reason, meter)

    def frame(self, payload: dict | str, event: str = "result", status: int = 200) -> bytes:
        self.event_id += 1
        data = payload if isinstance(payload, str) else dumps(payload)
        return f"id:{self.event_id}\nevent:{event}\n:HTTP_STATUS/{status}\ndata:{data}\n\n".encode()

    def events(self, pieces: list[Piece], meter: Meter) -> Iterator[tuple[Piece | None, dict]]:
        """(piece, payload) per event; a final tool piece carries finish_reason itself."""
        if self.plan.search is not None and self.plan.search.prepend:
            yield None, sim_search.prepended_payload(self.plan.search, self.plan.request_id)
        for position, piece in enumerate(pieces):
            meter.add(piece)
            is_final_tool = piece.kind == "tool" and position == len(pieces) - 1
            finish = self.plan.finish_reason if is_final_tool else "null"
            yield piece, self.piece(piece, meter, finish)
            if is_final_tool:
                return
        yield None, self.last(meter)

    def response(self) -> dict:
        meter = Meter()
        for piece in self.plan.pieces():
            meter.add(piece)
        tool_calls = self.plan.tool_calls_full() if self.plan.reply.tool_calls else None
        message: dict = {"role": "assistant", "content": self._content_value(self.plan.content)}
        if tool_calls:
            message["tool_calls"] = tool_calls
        if self.extra:
            message["x_sim_message"] = True
        return self._payload(message, self.plan.finish_reason, meter)


# ----------------------------------------------------------------------------- the simulator


class StreamClosed(Exception):
    """The client went away while a stream was being written."""


class Simulator:
    def __init__(
        self,
        regions: dict[str, str] | None = None,
        model_limits: dict[str, int] | None = None,
    ) -> None:
        self.regions = dict(regions or DEFAULT_REGIONS)
        self.model_limits = dict(model_limits or {})
        self.listed_models: dict[str, list[str]] = {}
        self.listing_unavailable: set[str] = set()
        self.list_requests: list[str] = []
        """Regions whose model list was asked for (kept apart from ``requests``, which are POSTs)."""
        self._explicit_seen: set[str] = set()
        self.requests: list[RecordedRequest] = []
        self.port = 0
        self._lock = threading.Condition()
        self._queues: dict[str | None, deque[Reply]] = {}
        self._history: dict[tuple[str, str], deque[tuple]] = {}
        self._open_streams = 0
        self.stream_ends: list[float] = []
        """``time.time()`` when each streamed reply's last byte was written (benchmarks)."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.search_refusing: set[str] = set()
        """Models that answer ``enable_search`` with the service's refusal (besides sim_search's)."""
        self.responses = sim_responses.ResponsesService(self)

    # -- lifecycle

    def start(self, port: int = 0) -> Self:
        ready = threading.Event()
        failure: list[BaseException] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._serve, args=(port, ready, failure), name="model-studio-simulator", daemon=True
        )
        self._thread.start()
        ready.wait(10)
        if failure:
            raise failure[0]
        return self

    def _serve(self, port: int, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._start_site(port))
        except BaseException as exc:  # noqa: BLE001 - reported to start()
            failure.append(exc)
            ready.set()
            return
        ready.set()
        loop.run_forever()
        loop.close()

    async def _start_site(self, port: int) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/r/{region}/{path:.*}", self._dispatch)
        app.router.add_get("/r/{region}/{path:.*}", self._dispatch_get)
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if self._runner is not None and loop.is_running():
            future = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), loop)
            with contextlib.suppress(Exception):
                future.result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        self._loop = self._thread = self._runner = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- scripting and inspection

    def base_url(self, region_id: str) -> str:
        return f"http://127.0.0.1:{self.port}/r/{region_id}"

    def enqueue(self, *replies: Reply, region: str | None = None) -> None:
        """Script chat replies; a region's own queue is used before the shared one (region=None).

        Embedding requests never consume scripted replies.
        """
        with self._lock:
            self._queues.setdefault(region, deque()).extend(replies)

    def wait_for_requests(self, n: int, timeout: float = 5) -> list[RecordedRequest]:
        with self._lock:
            if not self._lock.wait_for(lambda: len(self.requests) >= n, timeout):
                raise TimeoutError(f"expected {n} requests, got {len(self.requests)}")
            return list(self.requests)

    def reset(self) -> None:
        with self._lock:
            self._queues.clear()
            self.requests.clear()
            self._history.clear()
            self.listed_models.clear()
            self.listing_unavailable.clear()
            self.list_requests.clear()
            self._explicit_seen.clear()
        self.responses.reset()

    @property
    def open_streams(self) -> int:
        with self._lock:
            return self._open_streams

    def _next_reply(self, region: str) -> Reply:
        with self._lock:
            for key in (region, None):
                queue = self._queues.get(key)
                if queue:
                    return queue.popleft()
        return Reply()

    def _record(self, request: web.Request, region: str, protocol: str, kind: str, body: dict) -> None:
        record = RecordedRequest(
            region=region,
            protocol=protocol,
            kind=kind,
            path=request.path,
            headers=dict(request.headers),
            body=body,
            api_key=bearer_token(request),
            received_at=time.time(),
        )
        with self._lock:
            self.requests.append(record)
            self._lock.notify_all()

    def _explicit_cache(self, messages: list[dict], units: list[tuple[str, str]]) -> tuple[int, dict]:
        """Explicit cache (``cache_control`` markers): the first request creates, later ones hit."""
        marked = sim_models.explicit_prefix(messages, message_units)
        if marked < sim_models.EXPLICIT_CACHE_MIN:
            return 0, {}
        key = hashlib.sha1(repr(units[:marked]).encode()).hexdigest()
        with self._lock:
            seen = key in self._explicit_seen
            self._explicit_seen.add(key)
        if seen:
            return marked, {"cache_type": "ephemeral"}
        return 0, {"cache_creation_input_tokens": marked, "cache_type": "ephemeral"}

    def _cached_tokens(self, region: str, model: str, units: list[tuple[str, str]]) -> int:
        key = (region, model)
        current = tuple(units)
        with self._lock:
            history = self._history.setdefault(key, deque(maxlen=HISTORY_PER_MODEL))
            best = max((common_prefix(current, earlier) for earlier in history), default=0)
            history.append(current)
        return best if best >= CACHE_MIN_TOKENS else 0

    # -- routing

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        region = request.match_info["region"]
        path = "/" + request.match_info["path"]
        route = ROUTES.get(path)
        if route is None:
            return web.json_response(
                {"code": "NotFound", "message": "url error, please check url!"}, status=404
            )
        protocol, kind = route
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        self._record(request, region, protocol, kind, body if isinstance(body, dict) else {})
        stream_wanted = wants_stream(protocol, request, body)
        try:
            self._check_auth(region, request)
            if not isinstance(body, dict):
                raise invalid_parameter("Request body is not valid JSON.")
            if kind == "embedding":
                return self._embedding(protocol, region, body)
            if kind == "responses":
                return await self.responses.handle(request, region, body)
            return await self._chat(request, protocol, region, path, body)
        except SimulatedError as err:
            return self._error_response(err, protocol, region, stream_wanted and kind == "chat")

    async def _dispatch_get(self, request: web.Request) -> web.StreamResponse:
        """``GET …/compatible-mode/v1/models``: the region's model ids (see ``sim_models``)."""
        region = request.match_info["region"]
        path = "/" + request.match_info["path"]
        with self._lock:
            self.list_requests.append(region)
        if path != f"{COMPAT_PREFIX}/models" or region in self.listing_unavailable:
            return web.json_response(
                {"code": "NotFound", "message": "url error, please check url!"}, status=404
            )
        try:
            self._check_auth(region, request)
        except SimulatedError as err:
            return self._error_response(err, "openai", region, False)
        ids = self.listed_models.get(region) or list(sim_models.LISTED)
        return web.json_response(sim_models.model_list(ids), dumps=dumps)

    def _check_auth(self, region: str, request: web.Request) -> None:
        expected = self.regions.get(region)
        if expected is None or bearer_token(request) != expected:
            raise SimulatedError("InvalidApiKey")

    def _error_response(
        self, err: SimulatedError, protocol: str, region: str, native_stream: bool
    ) -> web.Response:
        request_id = str(uuid.uuid4())
        headers = {"x-request-id": request_id}
        if err.retry_after is not None:
            headers["Retry-After"] = format_seconds(err.retry_after)
        if protocol == "openai":
            help_url = HELP_URL.get(region, HELP_URL["default"])
            body = {
                "error": {
                    "message": err.compat_message.replace("{help}", help_url),
                    "type": "invalid_request_error" if err.status < 500 else "internal_error",
                    "param": None,
                    "code": err.compat_code,
                },
                "request_id": request_id,
            }
            return web.json_response(body, status=err.status, headers=headers, dumps=dumps)
        payload = {"code": err.native_code, "message": err.native_message, "request_id": request_id}
        if native_stream and err.native_code != "InvalidApiKey":
            text = f"id:1\nevent:error\n:HTTP_STATUS/{err.status}\ndata:{dumps(payload)}\n\n"
            return web.Response(text=text, status=err.status, headers={**headers, **SSE_HEADERS})
        return web.json_response(payload, status=err.status, headers=headers, dumps=dumps)

    # -- chat

    def _plan(self, protocol: Protocol, region: str, path: str, body: dict, stream: bool) -> ChatPlan:
        model = str(body.get("model", ""))
        if protocol == "openai":
            messages, params = body.get("messages"), body
        else:
            messages = (body.get("input") or {}).get("messages")
            params = body.get("parameters") or {}
        check_model(model, protocol)
        if path.endswith(TEXT_GENERATION) and is_vision_model(model):
            raise invalid_parameter("url error, please check url!")
        messages = validate_messages(messages)
        native_path = None
        if protocol == "dashscope":
            native_path = "multimodal" if path.endswith(MULTIMODAL_GENERATION) else "text"
        refusal = sim_models.check(model, native_path, params, messages, len(message_units(messages)))
        if refusal is not None:
            raise invalid_parameter(refusal[1])
        thinking = thinking_enabled(model, params, messages, stream)
        check_partial(messages, thinking)
        incremental = params.get("incremental_output") is True
        if protocol == "dashscope" and stream and thinking and not incremental:
            raise invalid_parameter(
                'The incremental_output parameter must be "true" when enable_thinking is true'
            )
        units = message_units(messages, model, params.get("vl_high_resolution_images") is True)
        limit = self.model_limits.get(model, DEFAULT_MODEL_LIMIT)
        if len(units) > limit:
            raise invalid_parameter(f"Range of input length should be [1, {limit}]")
        reply = self._next_reply(region)
        cached, cache_details = self._explicit_cache(messages, units)
        if cache_details.get("cache_type") != "ephemeral":
            cached = self._cached_tokens(region, model, units)
        if reply.status is not None and reply.error_chunk_after is None:
            raise error_from_reply(reply, model)
        prompt = last_user_text(messages)
        search = sim_search.plan_search(protocol, region, model, params, reply.search, prompt, self.search_refusing)
        reasoning = reply.reasoning if reply.reasoning is not None else f"Thinking about: {prompt}"
        budget = params.get("thinking_budget")
        if isinstance(budget, int) and budget > 0:
            reasoning = truncate_words(reasoning, budget)
        multimodal = path.endswith(MULTIMODAL_GENERATION)
        return ChatPlan(
            protocol=protocol,
            model=model,
            stream=stream,
            thinking=thinking,
            reasoning=reasoning if thinking else "",
            content=reply.content or ("" if reply.tool_calls else sim_search.cite(f"You said: {prompt}", search)),
            reply=reply,
            prompt_tokens=len(units) + (search.tokens if search else 0),
            cached_tokens=cached,
            cache_details=cache_details,
            include_usage=bool((params.get("stream_options") or {}).get("include_usage")),
            incremental=incremental if protocol == "dashscope" else True,
            multimodal=multimodal,
            text_format=(
                protocol == "dashscope"
                and not multimodal
                and not thinking
                and params.get("result_format", "text") != "message"
            ),
            search=search,
        )

    async def _chat(
        self, request: web.Request, protocol: Protocol, region: str, path: str, body: dict
    ) -> web.StreamResponse:
        stream = wants_stream(protocol, request, body)
        plan = self._plan(protocol, region, path, body, stream)
        if not stream:
            return self._non_stream(plan)
        response = web.StreamResponse(status=200, headers={**SSE_HEADERS, "x-request-id": plan.request_id})
        with self._lock:
            self._open_streams += 1
        try:
            await response.prepare(request)
            writer = StreamWriter(request, response, plan.reply.delay)
            if protocol == "openai":
                await write_compat_stream(writer, plan)
            else:
                await write_native_stream(writer, plan)
        except (StreamClosed, ConnectionError):
            pass
        finally:
            with self._lock:
                self._open_streams -= 1
                self.stream_ends.append(time.time())
        return response

    def _non_stream(self, plan: ChatPlan) -> web.Response:
        headers = {"x-request-id": plan.request_id}
        if plan.reply.malformed == "non_json":
            return web.Response(
                text="upstream: <html>bad gateway</html>", headers=headers, content_type="application/json"
            )
        if plan.protocol == "openai":
            return web.json_response(CompatRenderer(plan).completion(), headers=headers, dumps=dumps)
        return web.json_response(NativeRenderer(plan).response(), headers=headers, dumps=dumps)

    # -- embeddings

    def _embedding(self, protocol: str, region: str, body: dict) -> web.Response:
        model = str(body.get("model", ""))
        check_model(model, protocol)
        if protocol == "openai":
            raw = body.get("input")
            dimensions = body.get("dimensions") or DEFAULT_EMBEDDING_DIMENSIONS
        else:
            raw = (body.get("input") or {}).get("texts")
            dimensions = (body.get("parameters") or {}).get("dimension") or DEFAULT_EMBEDDING_DIMENSIONS
        texts = [raw] if isinstance(raw, str) else list(raw or [])
        if not texts or not all(isinstance(text, str) for text in texts):
            raise invalid_parameter("Value error, contents is neither str nor list of str.")
        if len(texts) > EMBEDDING_BATCH_LIMIT:
            raise invalid_parameter(
                f"Value error, batch size is invalid, it should not be larger than {EMBEDDING_BATCH_LIMIT}."
            )
        vectors = [embed_text(text, int(dimensions)) for text in texts]
        tokens = sum(count_tokens(text) for text in texts)
        request_id = str(uuid.uuid4())
        if protocol == "openai":
            as_base64 = body.get("encoding_format") == "base64"
            data = [
                {"embedding": encode_base64_floats(v) if as_base64 else v, "index": i, "object": "embedding"}
                for i, v in enumerate(vectors)
            ]
            payload = {
                "data": data,
                "model": model,
                "object": "list",
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
                "id": request_id,
            }
        else:
            embeddings = [{"text_index": i, "embedding": v} for i, v in enumerate(vectors)]
            payload = {
                "output": {"embeddings": embeddings},
                "usage": {"total_tokens": tokens},
                "request_id": request_id,
            }
        return web.json_response(payload, headers={"x-request-id": request_id}, dumps=dumps)


ROUTES: dict[str, tuple[Protocol, str]] = {
    f"{COMPAT_PREFIX}/chat/completions": ("openai", "chat"),
    f"{COMPAT_PREFIX}/embeddings": ("openai", "embedding"),
    f"{COMPAT_PREFIX}/responses": ("openai", "responses"),
    f"{NATIVE_PREFIX}{TEXT_GENERATION}": ("dashscope", "chat"),
    f"{NATIVE_PREFIX}{MULTIMODAL_GENERATION}": ("dashscope", "chat"),
    f"{NATIVE_PREFIX}{NATIVE_EMBEDDING}": ("dashscope", "embedding"),
}


# ----------------------------------------------------------------------------- request semantics


def bearer_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    return header[len("Bearer ") :].strip() if header.startswith("Bearer ") else None


def wants_stream(protocol: str, request: web.Request, body: Any) -> bool:
    if protocol == "openai":
        return isinstance(body, dict) and body.get("stream") is True
    sse_header = request.headers.get("X-DashScope-SSE", "").lower() == "enable"
    return sse_header or "text/event-stream" in request.headers.get("Accept", "")


def format_seconds(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else str(seconds)


def check_model(model: str, protocol: str) -> None:
    if model.startswith(ACCEPTED_MODEL_PREFIXES):
        return
    if protocol == "openai":
        raise SimulatedError(
            "ModelNotFound",
            compat_message=f"The model `{model}` does not exist or you do not have access to it.",
        )
    raise SimulatedError("InvalidParameter", "Model not exist.", status=400)


def is_vision_model(model: str) -> bool:
    return model.startswith("qvq") or "-vl" in model


def is_thinking_only(model: str) -> bool:
    return model.startswith(("qwq", "qvq")) or "-thinking" in model


def validate_messages(messages: Any) -> list[dict]:
    if not isinstance(messages, list) or not messages:
        raise invalid_parameter("[] is too short - 'messages'")
    if not all(isinstance(m, dict) for m in messages):
        raise invalid_parameter("Input should be a valid dictionary - 'messages'")
    if not any(m.get("role") == "user" for m in messages):
        raise invalid_parameter("The input messages do not contain elements with the role of user.")
    return messages


# ----------------------------------------------------------------------------- partial mode
# A final assistant message with "partial": true is a prefix the reply continues. The service
# accepts it on both protocols but not while thinking; only the last message may be partial.


def check_partial(messages: list[dict], thinking: bool) -> None:
    flagged = [i for i, m in enumerate(messages) if m.get("partial") is True]
    if not flagged:
        return
    if flagged != [len(messages) - 1] or messages[-1].get("role") != "assistant":
        raise invalid_parameter("Only the last message may be partial, and it must be an assistant message.")
    if thinking:
        raise invalid_parameter("Partial mode is not supported when enable_thinking is true.")


def thinking_enabled(model: str, params: dict, messages: list[dict], stream: bool) -> bool:
    profiled = sim_models.thinks(model, params)
    if profiled is not None:
        if profiled and not stream:
            raise invalid_parameter("parameter.enable_thinking must be set to false for non-streaming calls")
        always = sim_models.profile(model).thinking == "always"  # type: ignore[union-attr]
        return profiled and (always or soft_switch(messages) != "no_think")
    if is_thinking_only(model):
        if not stream:
            raise invalid_parameter(
                "This model only support stream mode, please enable the stream parameter to access the model."
            )
        return True
    if params.get("enable_thinking") is not True:
        return False
    if not stream:
        raise invalid_parameter("parameter.enable_thinking must be set to false for non-streaming calls")
    return soft_switch(messages) != "no_think"


# ----------------------------------------------------------------------------- stream writing


class StreamWriter:
    def __init__(self, request: web.Request, response: web.StreamResponse, delay: float) -> None:
        self.request = request
        self.response = response
        self.delay = delay

    def _closing(self) -> bool:
        transport = self.request.transport
        return transport is None or transport.is_closing()

    async def write(self, frame: bytes) -> None:
        if self._closing():
            raise StreamClosed
        await self.response.write(frame)

    async def pause(self) -> None:
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        if self._closing():
            raise StreamClosed

    def abort(self) -> None:
        transport = self.request.transport
        if transport is not None:
            transport.abort()
        raise StreamClosed

    async def truncate(self, frame: bytes) -> None:
        await self.write(frame[: max(1, len(frame) // 2)])
        await self.response.write_eof()
        raise StreamClosed


def stream_error(reply: Reply) -> SimulatedError:
    code, message = MIDSTREAM_ERROR
    return SimulatedError(reply.code or code, reply.message or message, status=reply.status or 400)


async def before_piece(writer: StreamWriter, reply: Reply, emitted: int) -> bool:
    """Apply a scripted fault due after `emitted` pieces; True means the stream is over."""
    if reply.drop_after is not None and emitted >= reply.drop_after:
        writer.abort()
    return reply.error_chunk_after is not None and emitted >= reply.error_chunk_after


async def write_compat_stream(writer: StreamWriter, plan: ChatPlan) -> None:
    renderer = CompatRenderer(plan)
    reply = plan.reply
    meter = Meter()
    await writer.write(compat_frame(renderer.first()))
    pieces = plan.pieces()
    for emitted, piece in enumerate(pieces):
        if await before_piece(writer, reply, emitted):
            err = stream_error(reply)
            await writer.write(
                compat_frame({"error": {"code": err.native_code, "message": err.native_message}})
            )
            return
        if reply.malformed == "non_json" and emitted == 1:
            await writer.write(compat_frame("{this is not json"))
        meter.add(piece)
        frame = compat_frame(renderer.piece(piece))
        if reply.malformed == "truncated" and emitted == min(1, len(pieces) - 1):
            await writer.truncate(frame)
        await writer.write(frame)
        await writer.pause()
    if await before_piece(writer, reply, len(pieces)):
        err = stream_error(reply)
        await writer.write(compat_frame({"error": {"code": err.native_code, "message": err.native_message}}))
        return
    await writer.write(compat_frame(renderer.last()))
    if plan.include_usage:
        await writer.write(compat_frame(renderer.usage_chunk(meter)))
    await writer.write(compat_frame("[DONE]"))


async def write_native_stream(writer: StreamWriter, plan: ChatPlan) -> None:
    renderer = NativeRenderer(plan)
    reply = plan.reply
    emitted = 0
    for piece, payload in renderer.events(plan.pieces(), Meter()):
        if await before_piece(writer, reply, emitted):
            err = stream_error(reply)
            data = {"code": err.native_code, "message": err.native_message, "request_id": plan.request_id}
            await writer.write(renderer.frame(data, event="error", status=err.status))
            return
        if reply.malformed == "non_json" and emitted == 1:
            await writer.write(renderer.frame("{this is not json"))
        frame = renderer.frame(payload)
        if reply.malformed == "truncated" and emitted == 1:
            await writer.truncate(frame)
        await writer.write(frame)
        if piece is not None:
            emitted += 1
            await writer.pause()


# ----------------------------------------------------------------------------- manual use


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a local Model Studio simulator.")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    simulator = Simulator().start(port=args.port)
    print(f"Model Studio simulator listening on 127.0.0.1:{simulator.port}")
    for region, key in simulator.regions.items():
        base = simulator.base_url(region)
        print(f"[{region}] api key:     {key}")
        print(f"[{region}] compatible:  {base}{COMPAT_PREFIX}")
        print(f"[{region}] native:      {base}{NATIVE_PREFIX}")
        print(f"[{region}] responses:   {base}{COMPAT_PREFIX}/responses")
    print("Press Ctrl+C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()


if __name__ == "__main__":
    main()
