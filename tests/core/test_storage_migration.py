"""Schema migrations: upgrading real old databases, backups, refusing newer ones."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qwen_desktop.core.storage import CURRENT_VERSION, DatabaseTooNewError, ForeignDatabaseError, Store
from qwen_desktop.core.storage.schema import MIGRATIONS, migrate
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role

SETTINGS = '{"model": "qwen-max", "region_id": "cn-beijing"}'


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def build_old_database(path: Path, version: int) -> None:
    """An old database as that release of the app left it, with a few rows."""
    conn = raw(path)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=version)
    conn.execute(
        "INSERT INTO conversations(id, title, title_locked, settings, pinned, created_at, updated_at)"
        " VALUES (1, 'Old trip notes', 1, ?, 1, 10.0, 20.0), (2, '', 0, '{}', 0, 11.0, 30.0)",
        (SETTINGS,),
    )
    conn.execute(
        "INSERT INTO messages(id, conversation_id, role, content, usage, status, created_at, updated_at)"
        " VALUES (1, 1, 'user', '我们需要把数据保存到本地', NULL, 'complete', 12.0, 12.0),"
        " (2, 1, 'assistant', 'Saved locally with streaming writes', '{\"output_tokens\": 7}',"
        " 'streaming', 13.0, 13.0), (3, 2, 'user', 'second conversation', NULL, 'complete', 30.0, 30.0)"
    )
    conn.close()


def version_of(path: Path) -> int:
    conn = raw(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def check(path: Path) -> str:
    conn = raw(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def test_history_is_numbered_in_order() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, CURRENT_VERSION + 1))
    assert CURRENT_VERSION >= 3


def test_v1_database_is_migrated_with_backup(tmp_path: Path) -> None:
    path = tmp_path / "qwen-desktop.sqlite3"
    build_old_database(path, version=1)

    store = Store(path)
    try:
        assert version_of(path) == CURRENT_VERSION
        assert store.conversation_ids() == [1, 2]
        conversation = store.conversation(1)
        assert conversation is not None
        assert (conversation.title, conversation.title_locked, conversation.pinned) == ("Old trip notes", True, True)
        assert (conversation.settings.model, conversation.settings.region_id) == ("qwen-max", "cn-beijing")
        user, reply = store.messages(1)
        assert user.content == "我们需要把数据保存到本地" and user.meta == {} and user.context is None
        assert reply.usage is not None and reply.usage.output_tokens == 7
        assert [h.message_id for h in store.search("数据")] == [1]
        assert [h.message_id for h in store.search("stre")] == [2]
        assert [h.conversation_id for h in store.search("trip")] == [1]
        assert store.recover_interrupted().result() == [2]
        cid = store.create_conversation(ConversationSettings(), "new").result()
        assert cid == 3
        mid = store.add_message(cid, Role.USER, "after migration", meta={"x": 1}).result()
        store.update_message(mid, context={"policy": "full"}).result()
        message = store.message(mid)
        assert message is not None and message.meta == {"x": 1} and message.context == {"policy": "full"}
        recovered = store.message(2)
        assert recovered is not None and recovered.status is MessageStatus.INTERRUPTED
    finally:
        store.close()
    assert check(path) == "ok"

    backup = tmp_path / "qwen-desktop.sqlite3.v1.bak"
    assert backup.exists()
    assert version_of(backup) == 1 and check(backup) == "ok"
    conn = raw(backup)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 3
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'message_fts'").fetchone() is None
    conn.close()


def test_v2_database_gains_v3_columns_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    build_old_database(path, version=2)
    store = Store(path)
    try:
        assert version_of(path) == CURRENT_VERSION
        assert [m.meta for m in store.messages(2)] == [{}]
    finally:
        store.close()
    conn = raw(path)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"attachments", "message_attachments"} <= tables
    conn.close()
    assert (tmp_path / "db.sqlite3.v2.bak").exists()


def test_existing_backup_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    build_old_database(path, version=1)
    earlier = tmp_path / "db.sqlite3.v1.bak"
    earlier.write_bytes(b"an earlier backup")
    Store(path).close()
    assert earlier.read_bytes() == b"an earlier backup"
    stamped = [p for p in tmp_path.glob("db.sqlite3.v1.*.bak") if p != earlier]
    assert len(stamped) == 1 and version_of(stamped[0]) == 1


def test_new_database_needs_no_backup(tmp_path: Path) -> None:
    Store(tmp_path / "fresh.sqlite3").close()
    assert list(tmp_path.glob("*.bak")) == []


def test_newer_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Store(path).close()
    conn = raw(path)
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION + 4}")
    conn.close()
    with pytest.raises(DatabaseTooNewError, match="newer version of Qwen Desktop"):
        Store(path)
    assert version_of(path) == CURRENT_VERSION + 4
    assert list(tmp_path.glob("*.bak")) == []


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = raw(path)
    conn.execute("CREATE TABLE unrelated (x)")
    conn.close()
    with pytest.raises(ForeignDatabaseError):
        Store(path)


def test_failed_migration_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    build_old_database(path, version=1)
    conn = raw(path)
    conn.execute("CREATE TABLE message_fts (x)")
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'title_fts'").fetchone() is None
    conn.close()


def test_v4_database_becomes_a_tree_keeping_every_row(tmp_path: Path) -> None:
    path = tmp_path / "qwen-desktop.sqlite3"
    build_old_database(path, version=4)
    conn = raw(path)
    conn.execute(
        "INSERT INTO messages(id, conversation_id, role, content, status, created_at, updated_at)"
        " VALUES (4, 1, 'user', 'a later question', 'complete', 14.0, 14.0),"
        " (5, 1, 'assistant', 'a later answer', 'complete', 15.0, 15.0)"
    )
    before = conn.execute("SELECT id, conversation_id, role, content, usage, status FROM messages ORDER BY id").fetchall()
    conn.close()

    with Store(path) as store:
        assert version_of(path) == CURRENT_VERSION
        assert path.with_name(path.name + ".v4.bak").exists()
        assert [m.id for m in store.messages(1)] == [1, 2, 4, 5]
        assert [m.parent_id for m in store.messages(1)] == [None, 1, 2, 4]
        assert [m.id for m in store.messages(2)] == [3]
        assert store.thread(1).versions == {}
        reply = store.add_message(1, Role.ASSISTANT, "another version", parent=4).result()
        assert [m.id for m in store.messages(1)] == [1, 2, 4, reply]
    conn = raw(path)
    after = conn.execute(
        "SELECT id, conversation_id, role, content, usage, status FROM messages WHERE id < 6 ORDER BY id"
    ).fetchall()
    conn.close()
    assert after == before
    assert check(path) == "ok"
