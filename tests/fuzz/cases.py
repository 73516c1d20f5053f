"""Fuzz cases for both protocols: a clean reply, damaged in one of the classes below.

Every case is made from its index and a seed alone, so any failing case can be replayed
(``bench/fuzz_streams.py --only N``). ``sent_content`` is the oracle: the answer text a lenient
reader finds in the bytes actually sent, up to the end of the reply; whatever the app stores
must be a prefix of it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .server import Script
from .streams import (
    Spoken, compat_chunk, compat_frame, compat_frames, dumps, native_frame, native_frames,
    native_payload,
)

KEY = "sk-fuzz7d1c0ffee0123456789abcdef"
"""The key the app sends; several classes make the server echo it back."""
MARK = "¤"
"""Appears in reasoning only: finding it in a stored answer means reasoning leaked into it."""

SSE = ("Content-Type", "text/event-stream;charset=UTF-8")
WORDS = ["alpha", "beta", "gamma", "東京", "天气", "こんにちは", "🙂", "naïve", "x\u2028y", "e\u0301",
         "tab\there", "quote\"d", "back\\slash", "{json}", "data: fake", "[DONE]", "line\nbreak",
         "\r\ncrlf", "مرحبا", "𝔘𝔫𝔦"]


@dataclass
class Case:
    index: int
    protocol: str
    kind: str
    script: Script
    spoken: Spoken
    whole: bool = False
    """The reply must arrive complete and exact (only harmless noise was added)."""

    @property
    def body(self) -> bytes:
        return b"".join(self.script.pieces)


# ------------------------------------------------------------------ clean replies


def spoken(rng: random.Random) -> Spoken:
    deltas: list[tuple[str, str]] = []
    if rng.random() < 0.6:
        deltas += [("reasoning", f"{MARK}{rng.choice(WORDS)} ") for _ in range(rng.randint(1, 4))]
    deltas += [("content", "".join(rng.choice(WORDS) + " " for _ in range(rng.randint(1, 3))))
               for _ in range(rng.randint(1, 8))]
    finish = rng.choice(["stop", "stop", "stop", "length"])
    return Spoken(deltas, finish, f"req-{rng.randrange(1 << 30):08x}")


def frames(protocol: str, reply: Spoken) -> list[bytes]:
    return compat_frames(reply) if protocol == "openai" else native_frames(reply)


def end_index(protocol: str, all_frames: list[bytes]) -> int:
    """How many frames make the reply complete (finish included, usage and [DONE] not)."""
    return len(all_frames) - 2 if protocol == "openai" else len(all_frames)


def sse(pieces: list[bytes], **options: Any) -> Script:
    return Script(pieces=pieces, **options)


def split_randomly(body: bytes, rng: random.Random, most: int = 12) -> list[bytes]:
    """The body in TCP-sized pieces cut anywhere, inside characters and lines included."""
    if len(body) < 2:
        return [body]
    cuts = sorted(rng.sample(range(1, len(body)), min(len(body) - 1, rng.randint(1, most))))
    return [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]


# ------------------------------------------------------------------ the classes


SWEEP_SEED = 7


def sweep_body(protocol: str) -> bytes:
    """The fixed reply whose every byte the truncation class cuts at, in turn."""
    return b"".join(frames(protocol, spoken(random.Random(SWEEP_SEED))))


def truncate(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(random.Random(SWEEP_SEED))
    body = sweep_body(protocol)
    cut = counter % (len(body) + 1)
    end = "reset" if (counter // (len(body) + 1)) % 2 else "close"
    return Case(index, protocol, "truncation", sse(split_randomly(body[:cut], rng), end=end), reply)


def flip(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    body = bytearray(b"".join(frames(protocol, reply)))
    for _ in range(rng.randint(1, 4)):
        body[rng.randrange(len(body))] ^= rng.randint(1, 255)
    return Case(index, protocol, "byte flips", sse(split_randomly(bytes(body), rng)), reply)


BAD_UTF8 = [b"\xff", b"\xfe\xff", b"\xc3", b"\xe6\x9d", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80",
            b"\x80", b"\xf4\x90\x80\x80"]


def utf8(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    body = b"".join(frames(protocol, reply))
    if counter % 2 == 0:
        # valid UTF-8 split inside characters across many small pieces: must arrive exactly
        pieces = [body[i:i + 1] for i in range(len(body))] if counter % 6 == 0 else split_randomly(body, rng, 60)
        return Case(index, protocol, "split UTF-8", sse(pieces), reply, whole=True)
    marker = "content" if protocol == "dashscope" else "content"
    at = body.find(b'"' + marker.encode() + b'":"', rng.randrange(len(body) // 2))
    at = at + len(marker) + 4 if at >= 0 else rng.randrange(len(body))
    bad = body[:at] + rng.choice(BAD_UTF8) + body[at:]
    return Case(index, protocol, "invalid UTF-8", sse(split_randomly(bad, rng)), reply)


def long_line(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    all_frames = frames(protocol, reply)
    size = 10 * 1024 * 1024 if counter % 5 == 0 else rng.choice([70_000, 300_000, 1_500_000])
    at = rng.randrange(1, end_index(protocol, all_frames))
    choice = counter % 3
    if choice == 0:
        line = b"data: " + bytes(rng.choice(b"abcxyz{}[]\"") for _ in range(64)) * (size // 64) + b"\n\n"
    elif choice == 1:
        text = "z" * size
        line = (compat_frame(compat_chunk({"content": text})) if protocol == "openai"
                else native_frame(native_payload("", text, "null", reply.request_id), 99))
    else:
        line = b": " + b"c" * size + b"\n\n"
    pieces = [*all_frames[:at], line, *all_frames[at:]]
    return Case(index, protocol, "long lines", sse(pieces), reply)


def empty_events(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    all_frames = frames(protocol, reply)
    noise = ([b"data:\n\n", b"\n", b": ping\n\n", b"event: ping\n\n", b"data: {}\n\n", b'data: {"choices":[]}\n\n',
              b"id: 7\n\n", b"retry: 10\n\n", b"\r\n"]
             if protocol == "openai" else
             [b"\n", b": ping\n\n", b"id:3\nevent:result\n:HTTP_STATUS/200\n\n", b"id:4\n\n", b"event:result\n\n",
              b'data:{"output":{}}\n\n', b'data:{"output":{"choices":[]}}\n\n',
              b'data:{"output":{"choices":[{"message":{"role":"assistant","content":""},"finish_reason":"null"}]}}\n\n'])
    pieces: list[bytes] = []
    count = rng.randint(1000, 5000)
    per = count // len(all_frames) + 1
    for frame in all_frames:
        pieces.append(b"".join(rng.choice(noise) for _ in range(per)))
        pieces.append(frame)
    return Case(index, protocol, "empty events", sse(pieces), reply, whole=True)


WRONG_VALUES: list[Any] = [0, 1, -1, 3.5, 10**30, True, False, None, "", "text", [], [1, "a"], {}, {"a": 1},
                           [{"text": 5}], {"content": []}, "null", "NaN"]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for position, item in enumerate(value):
            found += _paths(item, (*path, position))
    return found


def _edit(frame: bytes, rng: random.Random, change: Callable[[Any, Any], None]) -> bytes | None:
    head, sep, rest = frame.partition(b"data:")
    data = rest.strip()
    try:
        payload = json.loads(data)
    except ValueError:
        return None
    paths = _paths(payload)
    if not paths:
        return None
    path = rng.choice(paths)
    parent = payload
    for step in path[:-1]:
        parent = parent[step]
    change(parent, path[-1])
    return head + sep + (b" " if frame.startswith(b"data: ") else b"") + dumps(payload) + b"\n\n"


def wrong_types(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    all_frames = frames(protocol, reply)
    for _ in range(rng.randint(1, 2)):
        at = rng.randrange(len(all_frames) - (1 if protocol == "openai" else 0))
        value = rng.choice(WRONG_VALUES)

        def put(parent: Any, key: Any, value: Any = value) -> None:
            parent[key] = value

        edited = _edit(all_frames[at], rng, put)
        if edited is not None:
            all_frames[at] = edited
    return Case(index, protocol, "wrong types", sse(split_randomly(b"".join(all_frames), rng)), reply)


def missing_fields(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    all_frames = frames(protocol, reply)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(all_frames) - (1 if protocol == "openai" else 0))

        def drop(parent: Any, key: Any) -> None:
            del parent[key]

        edited = _edit(all_frames[at], rng, drop)
        if edited is not None:
            all_frames[at] = edited
    return Case(index, protocol, "missing fields", sse(split_randomly(b"".join(all_frames), rng)), reply)


def after_end(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    all_frames = frames(protocol, reply)
    if protocol == "openai" and counter % 3 == 0:
        all_frames = all_frames[:-1]  # no [DONE]: the finish (and usage) must be enough
    late_text = "LATE " + rng.choice(WORDS)
    tails = [
        compat_frame(compat_chunk({"content": late_text})) if protocol == "openai"
        else native_frame(native_payload("", late_text, "null", reply.request_id), 50),
        b"data: {garbage\n\n",
        b"data: \xff\xfe\n\n",
        compat_frame({"error": {"code": "internal_error", "message": f"late error {KEY}"}}) if protocol == "openai"
        else native_frame({"code": "InternalError", "message": f"late error {KEY}"}, 51, "error", 500),
        b"data: " + b"q" * 200_000 + b"\n\n",
        native_frame(native_payload("", late_text, "stop", KEY), 52) if protocol == "dashscope"
        else compat_frame(compat_chunk({"content": late_text}, "stop", KEY)),
    ]
    tail = [rng.choice(tails) for _ in range(rng.randint(1, 4))]
    end = rng.choice(["close", "close", "reset", "hang"])
    script = sse([*all_frames, *tail], end=end, hang_for=8)
    return Case(index, protocol, "events after the end", script, reply, whole=True)


CONTENT_TYPES = ["application/json", "text/plain", "text/html; charset=utf-8", "", "text/event-stream; charset=latin-1",
                 "application/octet-stream", "multipart/mixed; boundary=x", "text/event-stream"]


def lying_headers(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    body = b"".join(frames(protocol, reply))
    kind = counter % 6
    headers = [SSE]
    framing = "eof"
    length = None
    if kind == 0:
        kind_value = rng.choice(CONTENT_TYPES)
        headers = [("Content-Type", kind_value)] if kind_value else []
    elif kind == 1:
        framing, length = "length", rng.randrange(0, len(body))
    elif kind == 2:
        framing, length = "length", len(body) + rng.randint(1, 5000)
    elif kind == 3:
        headers = [SSE, ("Content-Encoding", rng.choice(["gzip", "deflate", "br", "zstd", "x-nonsense"]))]
    elif kind == 4:
        headers = [SSE, ("Transfer-Encoding", "chunked")]  # claimed, never done
    else:
        headers = [SSE, ("x-request-id", rng.choice([KEY, "", "x" * 5000, "\u00e9t\u00e9"])),
                   ("Retry-After", rng.choice(["soon", "-5", "1e400", "nan", KEY]))]
    script = Script(pieces=split_randomly(body, rng), headers=headers, framing=framing, length=length,
                    end="hang" if kind == 2 else "close", hang_for=6)
    return Case(index, protocol, "lying headers", script, reply)


STATUSES = [400, 401, 403, 404, 405, 408, 409, 413, 415, 422, 429, 451, 500, 501, 502, 503, 504, 520, 599,
            418, 200, 201, 204, 206, 301, 302, 304]


def _error_bodies(protocol: str, rng: random.Random, status: int) -> list[tuple[str, bytes]]:
    echo = KEY if rng.random() < 0.5 else "sk-otherkey" + "9" * 20
    proper = (dumps({"error": {"message": f"Incorrect API key provided: {echo}", "type": "invalid_request_error",
                               "param": None, "code": "invalid_api_key"}, "request_id": echo})
              if protocol == "openai" else
              dumps({"code": "InvalidApiKey", "message": f"Invalid API-key provided: {echo}", "request_id": echo}))
    deep = b"[" * 50_000 + b"]" * 50_000
    return [
        ("application/json", proper),
        ("application/json", dumps({"error": {"code": 401, "message": {"key": echo}}, "request_id": [echo]})),
        ("application/json", dumps({"code": ["x"], "message": 12, "request_id": {"id": echo}})),
        ("application/json", dumps([echo, 1, None])),
        ("application/json", dumps(echo)),
        ("application/json", b"null"),
        ("application/json", b""),
        ("application/json", b"{\"code\": \"Throttling\", \"message\": "),
        ("application/json", deep),
        ("application/json", b"\xff\xfe" + echo.encode()),
        ("text/html", f"<html><body><h1>{status}</h1><p>Bearer {echo}</p></body></html>".encode()),
        ("text/plain", f"upstream failed for api_key={echo}".encode()),
        ("text/plain", b"\xc3\x28 broken"),
        ("text/html", b"<html>" + b"x" * 1_000_000 + b"</html>"),
        ("text/event-stream", f'id:1\nevent:error\n:HTTP_STATUS/{status}\ndata:{{"code":"X","message":"{echo}"}}\n\n'.encode()),
        ("text/event-stream", b"data: {\"error\": {\"code\": 7}}\n\n"),
        ("", b""),
    ]


def error_bodies(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    status = STATUSES[counter % len(STATUSES)]
    options = _error_bodies(protocol, rng, status)
    kind, body = options[(counter // len(STATUSES)) % len(options)]
    headers = [("Content-Type", kind)] if kind else []
    if rng.random() < 0.3:
        headers.append(("x-request-id", KEY))
    if rng.random() < 0.3:
        headers.append(("Retry-After", rng.choice(["0", "0.01", "abc", "-1", "999999"])))
    script = Script(status=status, headers=headers, pieces=[body], framing=rng.choice(["length", "eof", "chunked"]))
    return Case(index, protocol, "error bodies", script, reply)


def slow(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    body = b"".join(frames(protocol, reply))
    if counter % 2:
        pieces, delay = [body[i:i + 2] for i in range(0, len(body), 2)], 0.02  # longer than the total deadline
    else:
        cut = rng.randrange(1, len(body))
        pieces, delay = [body[:cut], b": still here\n\n" * 0 + body[cut:]], 1.6  # one pause past the idle deadline
    return Case(index, protocol, "slow servers", Script(pieces=pieces, delay=delay), reply)


def silent(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    all_frames = frames(protocol, reply)
    kind = counter % 3
    if kind == 0:
        script = Script(head=False, end="hang", hang_for=6)
    elif kind == 1:
        script = Script(pieces=[], end="hang", hang_for=6)
    else:
        script = Script(pieces=[*all_frames[:rng.randrange(1, len(all_frames))],
                                *[b": keepalive\n\n"] * 400], delay=0.01, end="hang", hang_for=6)
    return Case(index, protocol, "silent servers", script, reply)


def reset(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    body = b"".join(frames(protocol, reply))
    kind = counter % 3
    if kind == 0:
        script = Script(head=False, end="reset")
    else:
        cut = rng.randrange(0, len(body))
        script = Script(pieces=split_randomly(body[:cut], rng) if cut else [], end="reset")
    return Case(index, protocol, "resets", script, reply)


def key_echo(index: int, protocol: str, rng: random.Random, counter: int) -> Case:
    reply = spoken(rng)
    all_frames = frames(protocol, reply)
    at = rng.randrange(1, end_index(protocol, all_frames))
    kind = counter % 5
    if kind == 0:
        extra = [b"data: {unreadable " + KEY.encode() + b"\n\n"]
    elif kind == 1:
        extra = [compat_frame({"error": {"code": KEY, "message": f"key {KEY} refused"}, "request_id": KEY})
                 if protocol == "openai"
                 else native_frame({"code": KEY, "message": f"key {KEY} refused", "request_id": KEY}, 9, "error", 401)]
    elif kind == 2:
        extra = [compat_frame({"id": KEY, "choices": [{"delta": {"content": ""}, "finish_reason": None}]})
                 if protocol == "openai" else
                 native_frame({"request_id": KEY, "output": {"choices": []}}, 9)]
    elif kind == 3:
        extra = [b"data:" + KEY.encode() + b"\n\n"]
    else:
        extra = []
        all_frames[-1 if protocol == "dashscope" else -3] = (
            native_frame(native_payload("", "", KEY, KEY), 40) if protocol == "dashscope"
            else compat_frame(compat_chunk({}, KEY, KEY)))
    script = Script(pieces=[*all_frames[:at], *extra, *all_frames[at:]],
                    headers=[SSE, ("x-request-id", KEY)] if counter % 2 else [SSE])
    return Case(index, protocol, "keys echoed", script, reply)


Maker = Callable[[int, str, random.Random, int], Case]

CLASSES: list[tuple[str, Maker, float]] = [
    ("truncation", truncate, 0.26),
    ("byte flips", flip, 0.12),
    ("UTF-8", utf8, 0.07),
    ("long lines", long_line, 0.012),
    ("empty events", empty_events, 0.03),
    ("wrong types", wrong_types, 0.12),
    ("missing fields", missing_fields, 0.08),
    ("events after the end", after_end, 0.07),
    ("lying headers", lying_headers, 0.06),
    ("error bodies", error_bodies, 0.11),
    ("slow servers", slow, 0.012),
    ("silent servers", silent, 0.012),
    ("resets", reset, 0.03),
    ("keys echoed", key_echo, 0.034),
]


def plan(runs: int) -> list[tuple[Maker, int]]:
    """Which class each case index belongs to (round-robin by weight), with its count in the class."""
    order: list[tuple[Maker, int]] = []
    counters: dict[tuple[str, int], int] = {}
    credit = {name: 0.0 for name, _, _ in CLASSES}
    for index in range(runs):
        for name, _, weight in CLASSES:
            credit[name] += weight
        name, maker, _ = max(CLASSES, key=lambda c: credit[c[0]])
        credit[name] -= 1.0
        key = (name, index % 2)
        order.append((maker, counters.get(key, 0)))
        counters[key] = counters.get(key, 0) + 1
    return order


def make_case(index: int, maker: Maker, counter: int, seed: int) -> Case:
    protocol = "openai" if index % 2 == 0 else "dashscope"
    rng = random.Random(seed * 1_000_003 + index)
    return maker(index, protocol, rng, counter)


# ------------------------------------------------------------------ the oracle


def _lines(body: bytes, protocol: str) -> list[bytes]:
    if protocol == "openai":
        body = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return [line.rstrip(b"\r") for line in body.split(b"\n")]


def _json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return None


def sent_content(case: Case) -> str:
    """The answer text in what the server sent, read leniently, up to the end of the reply."""
    script = case.script
    if not script.head or script.status != 200:
        return ""
    body = case.body
    out: list[str] = []
    if case.protocol == "dashscope":
        kind = next((v for k, v in script.headers if k.lower() == "content-type"), "")
        if "text/event-stream" not in kind.lower():
            payload = _json(body)
            return _native_text(payload)[0] if isinstance(payload, dict) else ""
    error = False
    for line in _lines(body, case.protocol):
        if case.protocol == "dashscope" and line.startswith(b"event:error"):
            error = True
            continue
        if not line.startswith(b"data:"):
            continue
        data = line[5:].strip()
        if case.protocol == "openai" and data == b"[DONE]":
            break
        if error:
            break
        payload = _json(data)
        if not isinstance(payload, dict):
            continue
        text, finished = _native_text(payload) if case.protocol == "dashscope" else _compat_text(payload)
        out.append(text)
        if finished:
            break
    return "".join(out)


def _compat_text(payload: dict[str, Any]) -> tuple[str, bool]:
    text, finished = "", False
    choices = payload.get("choices")
    for choice in choices if isinstance(choices, list) else []:
        if not isinstance(choice, dict):
            continue
        delta = choice.get("delta")
        if isinstance(delta, dict) and isinstance(delta.get("content"), str):
            text += delta["content"]
        if isinstance(choice.get("finish_reason"), str) and choice["finish_reason"]:
            finished = True
    return text, finished


def _native_text(payload: dict[str, Any]) -> tuple[str, bool]:
    text, finished = "", False
    output = payload.get("output")
    choices = output.get("choices") if isinstance(output, dict) else None
    for choice in choices if isinstance(choices, list) else []:
        if not isinstance(choice, dict):
            continue
        message = choice.get("message")
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            text += content
        elif isinstance(content, list):
            text += "".join(item["text"] for item in content
                            if isinstance(item, dict) and isinstance(item.get("text"), str))
        reason = choice.get("finish_reason")
        if isinstance(reason, str) and reason and reason != "null":
            finished = True
    return text, finished
