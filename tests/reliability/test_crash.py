"""Crash safety: damaged databases are moved aside and reported, migrations keep every row,
and an interrupted reply offers Continue and Retry in the real window."""

from __future__ import annotations

import random
from typing import Any
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from qwen_desktop.core.paths import database_path
from qwen_desktop.core.services import build_services
from qwen_desktop.core.storage import CURRENT_VERSION, Store
from qwen_desktop.core.storage.recovery import open_store_safely
from qwen_desktop.core.storage.schema import migrate
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role
from tests.simulator import Reply, Simulator

from .harness import Harness, answer_text, replies

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def filled_store(path: Path, rounds: int = 5) -> list[tuple[str, str]]:
    with Store(path) as store:
        cid = store.create_conversation(ConversationSettings(), "kept").result()
        for i in range(rounds):
            store.add_message(cid, Role.USER, f"question {i}").result()
            store.add_message(cid, Role.ASSISTANT, f"answer {i}").result()
        return [(m.role.value, m.content) for m in store.messages(cid)]


def corrupt_pages(path: Path) -> None:
    """Overwrite everything after the header page: the file still starts like SQLite."""
    data = bytearray(path.read_bytes())
    rng = random.Random(7)
    for offset in range(4096, len(data)):
        data[offset] = rng.randrange(256)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["garbage", "pages", "foreign"])
def test_a_damaged_database_is_moved_aside_and_a_fresh_one_started(
    tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "conversations.sqlite3"
    if damage == "garbage":
        path.write_bytes(b"this is not a database at all" * 200)
    elif damage == "pages":
        for _ in range(3):
            filled_store(path, rounds=60)
        corrupt_pages(path)
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes(body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('someone else''s data')")
        conn.commit()
        conn.close()
    original = path.read_bytes()

    store, notice = open_store_safely(path, clock=lambda: 1_700_000_000.0)
    try:
        assert store.conversation_ids() == []
        assert store.create_conversation(ConversationSettings()).result() == 1
    finally:
        store.close()
    moved = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(moved) == 1 and moved[0].read_bytes() == original, "moved, never deleted or changed"
    assert notice is not None and moved[0].name in notice
    assert ("damaged" in notice) if damage != "foreign" else ("not a Qwen Desktop database" in notice)


def test_the_wal_and_shm_files_move_with_the_database(tmp_path: Path) -> None:
    path = tmp_path / "conversations.sqlite3"
    path.write_bytes(b"\x00" * 8192)
    Path(f"{path}-wal").write_bytes(b"wal bytes")
    Path(f"{path}-shm").write_bytes(b"shm bytes")
    store, notice = open_store_safely(path)
    store.close()
    moved = sorted(p.name.rsplit(".corrupt-", 1)[1] for p in tmp_path.iterdir() if ".corrupt-" in p.name)
    assert len(moved) == 3 and notice
    wal = next(p for p in tmp_path.iterdir() if ".corrupt-" in p.name and p.name.endswith("-wal"))
    assert wal.read_bytes() == b"wal bytes"


def test_a_healthy_database_opens_without_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "conversations.sqlite3"
    kept = filled_store(path)
    store, notice = open_store_safely(path)
    try:
        assert notice is None
        assert [(m.role.value, m.content) for m in store.messages(1)] == kept
    finally:
        store.close()


@pytest.mark.parametrize("start", range(1, CURRENT_VERSION))
def test_a_migration_never_loses_a_row(tmp_path: Path, start: int) -> None:
    path = tmp_path / "conversations.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=start)
    rng = random.Random(start)
    conn.execute("BEGIN")
    for cid in range(1, 41):
        conn.execute("INSERT INTO conversations(id, title, settings, created_at, updated_at)"
                     " VALUES (?, ?, '{}', ?, ?)", (cid, f"conversation {cid} 你好", cid, cid))
        for n in range(rng.randrange(1, 12)):
            role = "user" if n % 2 == 0 else "assistant"
            conn.execute("INSERT INTO messages(conversation_id, role, content, reasoning, status,"
                         " created_at, updated_at) VALUES (?, ?, ?, ?, 'complete', ?, ?)",
                         (cid, role, f"message {cid}.{n} " + "x" * rng.randrange(500),
                          "why" * n, cid + n, cid + n))
    if start >= 8:  # from v8 on, messages form a tree: a linear conversation chains each to the one before
        conn.execute("UPDATE messages SET parent_id = (SELECT max(p.id) FROM messages AS p"
                     " WHERE p.conversation_id = messages.conversation_id AND p.id < messages.id)")
    conn.execute("COMMIT")
    before = conn.execute("SELECT id, conversation_id, role, content, reasoning FROM messages"
                          " ORDER BY id").fetchall()
    titles = conn.execute("SELECT id, title FROM conversations ORDER BY id").fetchall()
    conn.close()

    with Store(path) as store:
        after = [(m.id, m.conversation_id, m.role.value, m.content, m.reasoning)
                 for cid, _ in titles for m in store.messages(cid)]
        assert sorted(after) == before
        assert [(c, store.conversation(c).title) for c, _ in titles] == titles
        if start == 1:
            assert len(store.search("message", limit=500)) >= 40, "the v2 migration indexes old rows"
    backup = tmp_path / f"conversations.sqlite3.v{start}.bak"
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("SELECT count(*) FROM messages").fetchone()[0] == len(before)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        copy.close()


def test_build_services_moves_a_corrupt_database_and_the_window_says_so(
    harness: Harness, data_dir: Path
) -> None:
    database_path(data_dir).write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    services = harness.services()
    assert services.notice and "moved to conversations.sqlite3.corrupt-" in services.notice
    window = harness.open(services=services)
    assert window.notice.isVisible()
    assert window.notice.text() == services.notice
    assert any(p.name.startswith("conversations.sqlite3.corrupt-") for p in data_dir.iterdir())


def test_an_interrupted_reply_offers_continue_and_retry_after_a_restart(
    harness: Harness, sim: Simulator, data_dir: Path
) -> None:
    path = database_path(data_dir)
    with Store(path) as store:
        cid = store.create_conversation(ConversationSettings(), "cut short").result()
        store.add_message(cid, Role.USER, "tell me a long story").result()
        store.add_message(cid, Role.ASSISTANT, "Once upon a time", status=MessageStatus.STREAMING,
                          model="qwen-plus").result()
    window = harness.open()
    reply = window.store.messages(cid)[-1]
    assert reply.status is MessageStatus.INTERRUPTED and reply.content == "Once upon a time"
    widget = replies(window)[-1]
    assert answer_text(widget).strip() == "Once upon a time"
    assert widget.actions.badge.isVisibleTo(window)

    widget.continueRequested.emit(reply.id)
    sim.enqueue(Reply(content=" there was a dragon."))
    harness.wait_idle(window)
    messages = window.store.messages(cid)
    assert len(messages) == 2 and messages[1].id == reply.id
    assert messages[1].content == "Once upon a time there was a dragon.", "continued in place"
    assert messages[1].status is MessageStatus.COMPLETE
    assert sim.requests[-1].body["messages"][-1] == {
        "role": "assistant", "content": "Once upon a time", "partial": True}
    assert answer_text(replies(window)[-1]).strip() == "Once upon a time there was a dragon."


def test_an_interrupted_reply_with_an_error_shows_both_buttons_and_retry_works(
    harness: Harness, sim: Simulator
) -> None:
    window = harness.open()
    sim.enqueue(Reply(content="alpha beta gamma delta " * 20, chunk_chars=6, drop_after=5),
                Reply(content="a fresh complete answer"))
    harness.send(window, "a question")
    harness.wait_idle(window)
    widget = replies(window)[-1]
    panel = widget.error_panel
    assert panel is not None and panel.isVisibleTo(window)
    assert panel.continue_button.isVisibleTo(window) and panel.retry_button.isVisibleTo(window)
    partial = window.store.messages(window.current_id)[-1]
    assert partial.status is MessageStatus.INTERRUPTED and partial.content
    harness.qtbot.waitUntil(lambda: panel.retry_button.isVisible())
    harness.qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    harness.wait_idle(window)
    messages = window.store.messages(window.current_id)
    assert [m.content for m in messages] == ["a question", "a fresh complete answer"]
    assert messages[-1].status is MessageStatus.COMPLETE




def test_the_full_check_runs_only_after_an_unclean_shutdown(tmp_path: Path, monkeypatch: Any) -> None:
    from qwen_desktop.core.storage import recovery

    calls: list[Path] = []
    real = recovery.quick_check
    monkeypatch.setattr(recovery, "quick_check", lambda p: calls.append(p) or real(p))
    path = tmp_path / "conversations.sqlite3"
    store, notice = recovery.open_store_safely(path)
    store.create_conversation(ConversationSettings(), "kept").result()
    store.close()
    recovery.mark_clean_shutdown(path)
    assert recovery._clean_marker(path).exists()
    store, notice = recovery.open_store_safely(path)
    assert notice is None and len(calls) == 1, "a clean shutdown is trusted"
    assert not recovery._clean_marker(path).exists(), "the marker is used once"
    store.close()
    store, notice = recovery.open_store_safely(path)
    assert len(calls) == 2, "no marker (as after a crash): the full check runs"
    store.close()
    recovery.mark_clean_shutdown(path)
    corrupt_pages(path)
    store, notice = recovery.open_store_safely(path)
    assert notice is not None and "moved" in notice, "a file changed since is not trusted"
    store.close()
