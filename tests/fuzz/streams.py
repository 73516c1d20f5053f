"""Well-formed streams of both protocols as raw SSE bytes, the material the fuzzer damages.

A ``Spoken`` reply is a list of (kind, text) deltas, kind being "reasoning" or "content". The
builders render it exactly as Model Studio frames it (see ``tests/simulator.py``) and return
the frames one by one, so a mutation can aim at a frame, a line or a byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

Delta = tuple[str, str]


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def compat_frame(payload: Any) -> bytes:
    data = payload if isinstance(payload, bytes) else dumps(payload)
    return b"data: " + data + b"\n\n"


def native_frame(payload: Any, index: int, event: str = "result", status: int = 200) -> bytes:
    data = payload if isinstance(payload, bytes) else dumps(payload)
    return b"id:%d\nevent:%s\n:HTTP_STATUS/%d\ndata:" % (index, event.encode(), status) + data + b"\n\n"


USAGE_COMPAT = {"prompt_tokens": 12, "completion_tokens": 34, "total_tokens": 46,
                "completion_tokens_details": {"reasoning_tokens": 5}}
USAGE_NATIVE = {"input_tokens": 12, "output_tokens": 34, "total_tokens": 46,
                "output_tokens_details": {"reasoning_tokens": 5}}


@dataclass
class Spoken:
    deltas: list[Delta] = field(default_factory=list)
    finish: str = "stop"
    request_id: str = "req-fuzz-0001"

    @property
    def content(self) -> str:
        return "".join(text for kind, text in self.deltas if kind == "content")

    @property
    def reasoning(self) -> str:
        return "".join(text for kind, text in self.deltas if kind == "reasoning")


def compat_chunk(delta: dict[str, Any], finish: str | None = None, rid: str = "chatcmpl-fuzz") -> dict[str, Any]:
    return {"id": rid, "object": "chat.completion.chunk", "created": 1_700_000_000,
            "model": "qwen-plus", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def compat_frames(spoken: Spoken, *, usage: bool = True, done: bool = True) -> list[bytes]:
    """Opening role chunk, one chunk per delta, the finish chunk, usage, ``[DONE]``."""
    frames = [compat_frame(compat_chunk({"role": "assistant", "content": ""}))]
    for kind, text in spoken.deltas:
        key = "reasoning_content" if kind == "reasoning" else "content"
        frames.append(compat_frame(compat_chunk({key: text})))
    frames.append(compat_frame(compat_chunk({}, spoken.finish)))
    if usage:
        frames.append(compat_frame({"id": "chatcmpl-fuzz", "choices": [], "usage": USAGE_COMPAT}))
    if done:
        frames.append(b"data: [DONE]\n\n")
    return frames


def native_payload(reasoning: str, content: str, finish: str, request_id: str) -> dict[str, Any]:
    message = {"role": "assistant", "content": content, "reasoning_content": reasoning}
    return {"output": {"choices": [{"message": message, "finish_reason": finish}]},
            "usage": USAGE_NATIVE, "request_id": request_id}


def native_frames(spoken: Spoken) -> list[bytes]:
    """One event per delta (incremental output), then the event carrying the finish reason."""
    frames = []
    for index, (kind, text) in enumerate(spoken.deltas, start=1):
        reasoning, content = (text, "") if kind == "reasoning" else ("", text)
        frames.append(native_frame(native_payload(reasoning, content, "null", spoken.request_id), index))
    frames.append(native_frame(native_payload("", "", spoken.finish, spoken.request_id), len(frames) + 1))
    return frames


def frames_for(protocol: str, spoken: Spoken) -> list[bytes]:
    return compat_frames(spoken) if protocol == "openai" else native_frames(spoken)
