"""Streaming appends: coalescing, the flush deadline, recovery, and a killed process."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role
from tests.core.storage_crash_child import USER_TEXT, chunk

CHILD = Path(__file__).with_name("storage_crash_child.py")


class CountingClock:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> float:
        self.calls += 1
        return 1_000.0 + self.calls


def read_column(path: Path, column: str, mid: int) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute(f"SELECT {column} FROM messages WHERE id = ?", (mid,)).fetchone()[0])
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "stream.sqlite3"


@pytest.fixture
def clock() -> CountingClock:
    return CountingClock()


@pytest.fixture
def store(db_path: Path, clock: CountingClock) -> Iterator[Store]:
    opened = Store(db_path, clock=clock)
    yield opened
    opened.close()
    assert integrity(db_path) == "ok"


def streaming_reply(store: Store) -> int:
    cid = store.create_conversation(ConversationSettings()).result()
    return store.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result()


def test_many_small_appends_coalesce(store: Store, clock: CountingClock) -> None:
    mid = streaming_reply(store)
    before = clock.calls
    pieces = [f"{i}," for i in range(2000)]
    for piece in pieces:
        store.append_stream(mid, content=piece, reasoning="~")
    store.flush().result()
    message = store.message(mid)
    assert message is not None
    assert message.content == "".join(pieces)
    assert message.reasoning == "~" * 2000
    assert clock.calls - before < 50


def test_deadline_flush_without_further_appends(store: Store, db_path: Path) -> None:
    mid = streaming_reply(store)
    store.append_stream(mid, content="only delta")
    time.sleep(0.4)
    assert read_column(db_path, "content", mid) == "only delta"


def test_steady_stream_is_stored_while_it_runs(store: Store, db_path: Path) -> None:
    mid = streaming_reply(store)
    deadline = time.monotonic() + 0.8
    while time.monotonic() < deadline:
        store.append_stream(mid, content="x")
        time.sleep(0.002)
    stored_while_streaming = read_column(db_path, "content", mid)
    assert stored_while_streaming and set(stored_while_streaming) == {"x"}


def test_writes_after_appends_see_them(store: Store) -> None:
    mid = streaming_reply(store)
    store.append_stream(mid, content="partial")
    store.update_message(mid, status=MessageStatus.COMPLETE).result()
    message = store.message(mid)
    assert message is not None and (message.content, message.status) == ("partial", MessageStatus.COMPLETE)


def test_close_stores_pending_deltas(db_path: Path) -> None:
    store = Store(db_path)
    mid = streaming_reply(store)
    store.append_stream(mid, content="last words")
    store.close()
    assert read_column(db_path, "content", mid) == "last words"


def test_recover_interrupted(store: Store) -> None:
    cid = store.create_conversation(ConversationSettings()).result()
    done = store.add_message(cid, Role.ASSISTANT, "fine").result()
    earlier = Store(store.path)
    left = [earlier.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result() for _ in range(2)]
    earlier.close()
    live = store.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result()
    assert store.recover_interrupted().result() == left
    statuses = {m.id: m.status for m in store.messages(cid)}
    assert statuses == {done: MessageStatus.COMPLETE, left[0]: MessageStatus.INTERRUPTED,
                        left[1]: MessageStatus.INTERRUPTED, live: MessageStatus.STREAMING}
    assert store.recover_interrupted().result() == []


def _read_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise AssertionError(f"child exited early: {process.wait()} {process.stderr and process.stderr.read()}")
    return line


def test_killed_while_streaming_keeps_the_partial_reply(db_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, str(CHILD), str(db_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _, cid, mid = _read_line(process).split()
        sent = 0
        while True:
            _, count, elapsed = _read_line(process).split()
            sent = int(count)
            if float(elapsed) > 1.2:
                break
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL

    store = Store(db_path)
    try:
        messages = store.messages(int(cid))
        assert [(m.role, m.content) for m in messages[:1]] == [(Role.USER, USER_TEXT)]
        reply = messages[1]
        assert reply.id == int(mid) and reply.status is MessageStatus.STREAMING
        written = "".join(chunk(i) for i in range(sent + 1))
        assert reply.content and written.startswith(reply.content)
        assert len(reply.content) >= len("".join(chunk(i) for i in range(sent // 3)))
        assert store.recover_interrupted().result() == [reply.id]
        recovered = store.message(reply.id)
        assert recovered is not None and recovered.status is MessageStatus.INTERRUPTED
    finally:
        store.close()
    assert integrity(db_path) == "ok"
