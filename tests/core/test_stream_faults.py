"""Hostile streams through the real engine: both SDKs over loopback against the raw server.

Each test names the class of failure it guards against; the fuzzer (``bench/fuzz_streams.py``)
runs thousands of variations of the same classes.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core import errors as e
from qwen_desktop.core.client import ChatClient, preload_transports
from qwen_desktop.core.engine import ReplyFailed, ReplyFinished, ReplyStarted, UserMessageAdded
from qwen_desktop.core.services import Services, build_services
from qwen_desktop.core.storage.errors import StorageError
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Protocol, Role
from tests.fuzz.server import RawServer, Script
from tests.fuzz.streams import (
    Spoken, compat_chunk, compat_frame, compat_frames, frames_for, native_frame, native_frames,
    native_payload,
)

PROTOCOLS = ["openai", "dashscope"]
KEY = "sk-fuzz0123456789abcdef0123456789"
SPOKEN = Spoken([("reasoning", "let me think. "), ("content", "Hello "), ("content", "there, "),
                 ("content", "friend.")])


@pytest.fixture(scope="module")
def raw() -> Iterator[RawServer]:
    preload_transports()
    with RawServer() as server:
        yield server


def make_services(raw: RawServer, data_dir: Path, **client: Any) -> Services:
    options = {"read_timeout": 5.0, "max_attempts": 3, "max_backoff": 0.05, **client}
    built = build_services(data_dir, region_overrides={"intl": raw.base_url("intl")}, env={},
                           client=ChatClient(**options))
    built.keys.set("intl", KEY)
    return built


@pytest.fixture(autouse=True)
def _fresh(raw: RawServer) -> None:
    raw.queue.clear()
    raw.scripts.clear()
    raw.seen.clear()


@pytest.fixture
def services(raw: RawServer, data_dir: Path, memory_keyring: Any) -> Iterator[Services]:
    built = make_services(raw, data_dir)
    yield built
    asyncio.run(built.client.aclose())
    built.store.close()


def conversation(services: Services, protocol: str) -> int:
    settings = ConversationSettings(protocol=Protocol(protocol))
    return services.store.create_conversation(settings).result()


def ask(services: Services, cid: int, text: str = "hello", timeout: float = 20) -> list[Any]:
    async def go() -> list[Any]:
        return [event async for event in services.engine.send(cid, text)]

    async def bounded() -> list[Any]:
        try:
            return await asyncio.wait_for(go(), timeout)
        finally:
            await services.client.aclose()

    return asyncio.run(bounded())


def reply_of(services: Services, cid: int) -> Any:
    return [m for m in services.store.messages(cid) if m.role is Role.ASSISTANT][-1]


_cases = iter(range(10_000, 1_000_000))


def keyed(raw: RawServer, answer: Script) -> str:
    """A question only ``answer`` answers (immune to any stray request taking a queued script)."""
    case = next(_cases)
    raw.add(case, answer)
    return f"case-{case} hello"


def script(frames: list[bytes], **options: Any) -> Script:
    return Script(pieces=list(frames), **options)


# ------------------------------------------------------------- 1. a dead writer


BAD_TEXTS = [5, ["a", "b"], {"text": "x"}, 1.5, True]


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("field", ["content", "reasoning"])
@pytest.mark.parametrize("bad", BAD_TEXTS, ids=[type(b).__name__ for b in BAD_TEXTS])
def test_a_chunk_whose_text_is_not_text_fails_the_reply_not_the_writer(
    services: Services, raw: RawServer, protocol: str, field: str, bad: Any
) -> None:
    good = frames_for(protocol, Spoken([("content", "fine so far ")]))[:1]
    if protocol == "openai":
        key = "content" if field == "content" else "reasoning_content"
        bad_frame = compat_frame(compat_chunk({key: bad}))
    else:
        payload = native_payload("", "", "null", "req-1")
        payload["output"]["choices"][0]["message"]["content" if field == "content" else "reasoning_content"] = bad
        bad_frame = native_frame(payload, 2)
    raw.enqueue(script([*good, bad_frame, *frames_for(protocol, Spoken([("content", "more")]))]))
    cid = conversation(services, protocol)
    events = ask(services, cid)
    assert isinstance(events[-1], ReplyFailed), events[-1]
    assert isinstance(events[-1].error, e.QwenError)
    reply = reply_of(services, cid)
    assert "fine so far ".startswith(reply.content) or reply.content.startswith("fine so far")
    assert "5" not in reply.content and "['a'" not in reply.content
    # the writer still writes: a normal reply afterwards is stored completely
    raw.enqueue(script(frames_for(protocol, SPOKEN)))
    events = ask(services, cid, "again")
    assert isinstance(events[-1], ReplyFinished)
    assert reply_of(services, cid).content == SPOKEN.content


def test_a_delta_the_writer_cannot_store_fails_that_write_only(services: Services) -> None:
    cid = conversation(services, "openai")
    mid = services.store.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result(5)
    with pytest.raises(TypeError):
        services.store.append_stream(mid, content=5)  # type: ignore[arg-type]
    services.store.append_stream(mid, content="still works")
    services.store.flush().result(5)
    assert services.store.message(mid).content == "still works"


def test_a_failing_stream_write_leaves_the_writer_thread_alive(services: Services) -> None:
    cid = conversation(services, "openai")
    mid = services.store.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result(5)
    writer = services.store._writer
    original = writer._write_stream
    calls = {"n": 0}

    def failing(conn: sqlite3.Connection, deltas: dict[int, tuple[str, str]]) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("a bug in the stream write")
        original(conn, deltas)

    writer._write_stream = failing
    services.store.append_stream(mid, content="kept ")
    with pytest.raises(RuntimeError):
        services.store.flush().result(5)
    services.store.append_stream(mid, content="and more")
    services.store.flush().result(5)
    assert writer._thread.is_alive()
    assert services.store.message(mid).content == "kept and more"


def test_the_engine_never_waits_forever_on_the_writer(
    raw: RawServer, data_dir: Path, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qwen_desktop.core import engine

    monkeypatch.setattr(engine, "WRITE_DEADLINE", 1.0)
    built = make_services(raw, data_dir)
    try:
        cid = conversation(built, "openai")
        release = threading.Event()
        stuck = built.store.run_write(lambda conn: release.wait(30))
        started = time.monotonic()
        with pytest.raises(StorageError):
            ask(built, cid, timeout=15)
        assert time.monotonic() - started < 10
        release.set()
        stuck.result(5)
    finally:
        release.set()
        asyncio.run(built.client.aclose())
        built.store.close()


# ------------------------------------------------------------- 2. malformed streams


def native_line(data: bytes) -> bytes:
    return b"id:1\nevent:result\n:HTTP_STATUS/200\ndata:" + data + b"\n\n"


MALFORMED: dict[str, tuple[str, Script]] = {
    "native invalid UTF-8": ("dashscope", script([*native_frames(SPOKEN)[:2], native_line(b'{"output":"\xff\xfe"}')])),
    "native split UTF-8 at the end": ("dashscope", script([*native_frames(SPOKEN)[:2], "data:{\"output\":\"é".encode()[:-1]])),
    "native 10 MB line": ("dashscope", script([*native_frames(SPOKEN)[:2], b"data:" + b"x" * 10_000_000 + b"\n\n"])),
    "native error event without code": ("dashscope", script([*native_frames(SPOKEN)[:2], native_frame({"msg": "x"}, 3, "error", 500)])),
    "native data is a number": ("dashscope", script([*native_frames(SPOKEN)[:2], native_line(b"42")])),
    "native data is a list": ("dashscope", script([*native_frames(SPOKEN)[:2], native_line(b"[1,2]")])),
    "native output is a string": ("dashscope", script([*native_frames(SPOKEN)[:2], native_line(b'{"output":"oops"}')])),
    "native choices hold a number": ("dashscope", script([*native_frames(SPOKEN)[:2], native_line(b'{"output":{"choices":[7]}}')])),
    "native usage is a list": ("dashscope", script([*native_frames(SPOKEN)[:2], native_line(b'{"output":{},"usage":[1]}')])),
    "native finish reason is a number": ("dashscope", script([*native_frames(SPOKEN)[:2], native_line(b'{"output":{"choices":[{"message":{},"finish_reason":3}]}}')])),
    "native 500 JSON body that is not JSON": ("dashscope", Script(status=500, headers=[("Content-Type", "application/json")], pieces=[b"<html>oops"], framing="length")),
    "native 400 JSON body without code": ("dashscope", Script(status=400, headers=[("Content-Type", "application/json")], pieces=[b'{"message":"no code"}'], framing="length")),
    "native 400 JSON body that is a list": ("dashscope", Script(status=400, headers=[("Content-Type", "application/json")], pieces=[b"[1]"], framing="length")),
    "native 502 body invalid UTF-8": ("dashscope", Script(status=502, headers=[("Content-Type", "text/plain")], pieces=[b"\xff\xfe bad"], framing="length")),
    "native 200 JSON content type holding SSE": ("dashscope", script(native_frames(SPOKEN), headers=[("Content-Type", "application/json")])),
    "native 200 plain text": ("dashscope", script([b"hello"], headers=[("Content-Type", "text/plain")])),
    "native gzip that is not gzip": ("dashscope", script(native_frames(SPOKEN), headers=[("Content-Type", "text/event-stream"), ("Content-Encoding", "gzip")])),
    "openai delta is a list": ("openai", script([*compat_frames(SPOKEN)[:3], compat_frame({"choices": [{"delta": [1, 2]}]})])),
    "openai delta is a string": ("openai", script([*compat_frames(SPOKEN)[:3], compat_frame({"choices": [{"delta": "x"}]})])),
    "openai choices is a dict": ("openai", script([*compat_frames(SPOKEN)[:3], compat_frame({"choices": {"a": 1}})])),
    "openai choice is a number": ("openai", script([*compat_frames(SPOKEN)[:3], compat_frame({"choices": [3]})])),
    "openai usage is a string": ("openai", script([*compat_frames(SPOKEN)[:3], compat_frame({"choices": [], "usage": "lots"})])),
    "openai usage tokens are words": ("openai", script([*compat_frames(SPOKEN)[:3], compat_frame({"choices": [], "usage": {"prompt_tokens": "many"}})])),
    "openai tool call is a number": ("openai", script([*compat_frames(SPOKEN)[:3], compat_frame(compat_chunk({"tool_calls": [5]}))])),
    "openai tool index is a word": ("openai", script([*compat_frames(SPOKEN)[:3], compat_frame(compat_chunk({"tool_calls": [{"index": "a", "function": {"name": 3}}]}))])),
    "openai error code is a number": ("openai", script([*compat_frames(SPOKEN)[:3], compat_frame({"error": {"code": 500, "message": ["x"]}})])),
    "openai error is a list": ("openai", script([*compat_frames(SPOKEN)[:3], compat_frame({"error": [1, 2]})])),
    "openai 400 error code is a number": ("openai", Script(status=400, headers=[("Content-Type", "application/json")], pieces=[b'{"error":{"code":400,"message":{"a":1}}}'], framing="length")),
    "openai 500 body invalid UTF-8": ("openai", Script(status=500, headers=[("Content-Type", "application/json")], pieces=[b"\xff\xfe"], framing="length")),
    "openai gzip that is not gzip": ("openai", script(compat_frames(SPOKEN), headers=[("Content-Type", "text/event-stream"), ("Content-Encoding", "gzip")])),
    "openai invalid UTF-8 in a chunk": ("openai", script([*compat_frames(SPOKEN)[:3], b'data: {"choices":[{"delta":{"content":"\xff\xfe"}}]}\n\n'])),
    "openai 10 MB line": ("openai", script([*compat_frames(SPOKEN)[:3], b"data: " + b"y" * 10_000_000 + b"\n\n"])),
    "openai chunked framing broken": ("openai", Script(pieces=[*compat_frames(SPOKEN)[:3], b"zz\r\n"], framing="chunked")),
    "openai length longer than the body": ("openai", Script(pieces=compat_frames(SPOKEN)[:3], framing="length", length=100_000)),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_every_malformed_stream_ends_as_a_typed_error_keeping_what_arrived(
    services: Services, raw: RawServer, name: str
) -> None:
    protocol, bad = MALFORMED[name]
    raw.enqueue(bad, bad, bad)
    cid = conversation(services, protocol)
    events = ask(services, cid)
    assert isinstance(events[0], UserMessageAdded)
    last = events[-1]
    assert isinstance(last, (ReplyFailed, ReplyFinished)), last
    reply = reply_of(services, cid)
    assert SPOKEN.content.startswith(reply.content), reply.content[:80]
    if isinstance(last, ReplyFailed):
        assert last.error.sentence and "Traceback" not in str(last.error)
        assert reply.status in (MessageStatus.ERROR, MessageStatus.INTERRUPTED)


# ------------------------------------------------------------- 3. the end of a stream


def test_nothing_after_done_is_stored(services: Services, raw: RawServer) -> None:
    after = compat_frame(compat_chunk({"content": " AFTER DONE"}))
    raw.enqueue(script([*compat_frames(SPOKEN), after]))
    cid = conversation(services, "openai")
    events = ask(services, cid)
    assert isinstance(events[-1], ReplyFinished)
    assert reply_of(services, cid).content == SPOKEN.content


def test_nothing_after_a_native_finish_is_stored(services: Services, raw: RawServer) -> None:
    after = native_frame(native_payload("", " AFTER FINISH", "null", "r"), 9)
    raw.enqueue(script([*native_frames(SPOKEN), after]))
    cid = conversation(services, "dashscope")
    events = ask(services, cid)
    assert isinstance(events[-1], ReplyFinished)
    assert reply_of(services, cid).content == SPOKEN.content


def after_finish(protocol: str) -> list[bytes]:
    """The frames up to and including the one carrying the finish reason."""
    frames = frames_for(protocol, SPOKEN)
    return frames[:-2] if protocol == "openai" else frames


TAILS = {
    "garbage": lambda protocol: [b"data: {not json\n\n" if protocol == "openai" else native_line(b"{not json")],
    "an error": lambda protocol: [compat_frame({"error": {"code": "internal_error", "message": "late"}})
                                  if protocol == "openai"
                                  else native_frame({"code": "InternalError", "message": "late"}, 9, "error", 500)],
    "invalid UTF-8": lambda protocol: [b"data: \xff\xfe\n\n"],
    "a reset": lambda protocol: [],
}


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("tail", list(TAILS))
def test_a_finish_already_received_is_kept(
    services: Services, raw: RawServer, protocol: str, tail: str
) -> None:
    end = "reset" if tail == "a reset" else "close"
    raw.enqueue(script([*after_finish(protocol), *TAILS[tail](protocol)], end=end))
    cid = conversation(services, protocol)
    events = ask(services, cid)
    assert isinstance(events[-1], ReplyFinished), events[-1]
    reply = reply_of(services, cid)
    assert reply.status is MessageStatus.COMPLETE and reply.content == SPOKEN.content
    assert reply.meta["finish_reason"] == "stop"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_finish_is_kept_when_the_connection_stays_open(
    raw: RawServer, data_dir: Path, memory_keyring: Any, protocol: str
) -> None:
    built = make_services(raw, data_dir, idle_timeout=1.5)
    try:
        prompt = keyed(raw, script(after_finish(protocol), end="hang", hang_for=20))
        cid = conversation(built, protocol)
        started = time.monotonic()
        events = ask(built, cid, prompt, timeout=15)
        assert isinstance(events[-1], ReplyFinished), events[-1]
        assert time.monotonic() - started < 8
        assert reply_of(built, cid).status is MessageStatus.COMPLETE
    finally:
        asyncio.run(built.client.aclose())
        built.store.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_stream_cut_before_any_text_is_dropped_and_not_retried(
    services: Services, raw: RawServer, protocol: str
) -> None:
    cut = frames_for(protocol, SPOKEN)[0][:25] if protocol == "openai" else native_frames(SPOKEN)[0][:60]
    raw.enqueue(*[script([cut]) for _ in range(3)])
    cid = conversation(services, protocol)
    events = ask(services, cid)
    assert isinstance(events[-1], ReplyFailed)
    assert isinstance(events[-1].error, e.ConnectionDroppedError), events[-1].error
    assert len(raw.seen) == 1


# ------------------------------------------------------------- 4. deadlines


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_one_byte_a_while_ends_at_the_total_deadline(
    raw: RawServer, data_dir: Path, memory_keyring: Any, protocol: str
) -> None:
    built = make_services(raw, data_dir, total_timeout=2.0, idle_timeout=30)
    try:
        body = b"".join(frames_for(protocol, Spoken([("content", "drip " * 200)])))
        prompt = keyed(raw, Script(pieces=[body[i:i + 1] for i in range(len(body))], delay=0.01))
        cid = conversation(built, protocol)
        started = time.monotonic()
        events = ask(built, cid, prompt, timeout=15)
        assert time.monotonic() - started < 6
        assert isinstance(events[-1], ReplyFailed)
        assert isinstance(events[-1].error, e.TimeoutError_)
    finally:
        asyncio.run(built.client.aclose())
        built.store.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_keepalives_without_text_end_at_the_idle_deadline(
    raw: RawServer, data_dir: Path, memory_keyring: Any, protocol: str
) -> None:
    built = make_services(raw, data_dir, idle_timeout=1.0)
    try:
        first = frames_for(protocol, SPOKEN)[:2]
        prompt = keyed(raw, Script(pieces=[*first, *[b": keepalive\n\n"] * 400], delay=0.02))
        cid = conversation(built, protocol)
        started = time.monotonic()
        events = ask(built, cid, prompt, timeout=15)
        assert time.monotonic() - started < 6
        assert isinstance(events[-1], ReplyFailed)
        assert isinstance(events[-1].error, e.TimeoutError_)
    finally:
        asyncio.run(built.client.aclose())
        built.store.close()


def test_deadlines_come_from_the_settings(raw: RawServer, data_dir: Path, memory_keyring: Any) -> None:
    from qwen_desktop.core.config import load_config, save_config
    from qwen_desktop.core.paths import config_path

    config = load_config(config_path(data_dir))
    config.idle_timeout_s = 7
    config.total_timeout_s = 90
    save_config(config_path(data_dir), config)
    built = build_services(data_dir, env={})
    try:
        assert built.client.idle_timeout == 7 and built.client.total_timeout == 90
    finally:
        built.store.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_stop_works_against_a_silent_server(services: Services, raw: RawServer, protocol: str) -> None:
    prompt = keyed(raw, Script(pieces=frames_for(protocol, SPOKEN)[:1], end="hang", hang_for=20))
    cid = conversation(services, protocol)

    async def go() -> float:
        streaming = asyncio.Event()

        async def consume() -> None:
            async for event in services.engine.send(cid, prompt):
                if isinstance(event, ReplyStarted):
                    streaming.set()

        task = asyncio.create_task(asyncio.wait_for(consume(), 20))
        await asyncio.wait_for(streaming.wait(), 10)
        await asyncio.sleep(0.5)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await services.client.aclose()
        return time.monotonic() - started

    assert asyncio.run(go()) < 2
    assert reply_of(services, cid).status is MessageStatus.INTERRUPTED


# ------------------------------------------------------------- 5. keys echoed by a server


def echoes(protocol: str) -> dict[str, Script]:
    key = KEY.encode()
    good = frames_for(protocol, SPOKEN)[:2]
    mid_error = (compat_frame({"error": {"code": "internal_error", "message": f"bad key {KEY}"}})
                 if protocol == "openai"
                 else native_frame({"code": "InternalError", "message": f"bad key {KEY}", "request_id": KEY}, 3, "error", 500))
    return {
        "401 body": Script(status=401, headers=[("Content-Type", "application/json")], framing="length",
                           pieces=[b'{"code":"InvalidApiKey","message":"Invalid key ' + key + b'","request_id":"' + key + b'"}'
                                   if protocol == "dashscope" else
                                   b'{"error":{"code":"invalid_api_key","message":"Incorrect key ' + key + b'"},"request_id":"' + key + b'"}']),
        "HTML page": Script(status=502, headers=[("Content-Type", "text/html")], framing="length",
                            pieces=[b"<html><body>Bearer " + key + b" was refused</body></html>"]),
        "mid-stream error": script([*good, mid_error]),
        "unreadable line": script([*good, b"data: {key " + key + b"\n\n" if protocol == "openai" else native_line(b"{key " + key)]),
        "request id header": Script(pieces=good, headers=[("Content-Type", "text/event-stream"), ("x-request-id", KEY),
                                                           ("Retry-After", KEY)]),
        "request id in the body": script([*good, native_line(b'{"request_id":"' + key + b'","output":{"choices":[{"message":{"content":"x"},"finish_reason":"' + key + b'"}]}}')
                                          if protocol == "dashscope" else
                                          compat_frame({"id": KEY, "choices": [{"delta": {}, "finish_reason": KEY}]})]),
    }


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("where", ["401 body", "HTML page", "mid-stream error", "unreadable line",
                                   "request id header", "request id in the body"])
def test_a_key_echoed_by_the_server_is_never_stored_shown_or_logged(
    services: Services, raw: RawServer, protocol: str, where: str, caplog: pytest.LogCaptureFixture
) -> None:
    bad = echoes(protocol)[where]
    raw.enqueue(bad, bad, bad)
    cid = conversation(services, protocol)
    with caplog.at_level(logging.DEBUG):
        events = ask(services, cid)
    shown = " ".join(str(event) for event in events)
    last = events[-1]
    if isinstance(last, ReplyFailed):
        shown += f" {last.error} {last.error.to_json()}"
    assert KEY not in shown
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("qwen_desktop"))
    assert KEY not in ours
    services.store.flush().result(5)
    dump = "\n".join(services.store._reader().iterdump())
    assert KEY not in dump


# ------------------------------------------------------------- 14. the question first


class WatchingContext:
    """Records whether the question was already stored when the engine began building the request."""

    def __init__(self, services: Services, cid: int, inner: Any) -> None:
        self.services, self.cid, self.inner = services, cid, inner
        self.stored_at_build: list[bool] = []

    async def build(self, conversation_id: int, settings: Any, history: Any, new: Any) -> Any:
        contents = [m.content for m in self.services.store.messages(self.cid)]
        self.stored_at_build.append(new.content in contents)
        return await self.inner.build(conversation_id, settings, history, new)

    def round_completed(self, conversation_id: int, settings: Any) -> None:
        self.inner.round_completed(conversation_id, settings)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_the_question_is_stored_before_the_request_is_built(
    services: Services, raw: RawServer, protocol: str
) -> None:
    cid = conversation(services, protocol)
    watching = WatchingContext(services, cid, services.engine.context)
    services.engine.context = watching
    raw.enqueue(script(frames_for(protocol, SPOKEN)))
    events = ask(services, cid, "keep me, please")
    assert watching.stored_at_build == [True]
    assert isinstance(events[-1], ReplyFinished)
    messages = services.store.messages(cid)
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT]
    sent = raw.seen[-1].body.decode()
    assert sent.count("keep me, please") == 1, "the question is sent once, not twice"
