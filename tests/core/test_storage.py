"""Store: conversations, messages, ordering, deletion, write errors, threads."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from qwen_desktop.core.errors import StorageError
from qwen_desktop.core.storage import CURRENT_VERSION, DiskFullError, NotFoundError, Store, StoreClosedError
from qwen_desktop.core.storage.errors import DatabaseBusyError, storage_error
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role, ThinkingMode, Usage


class TickingClock:
    """Every reading is one second later than the one before."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "qwen-desktop.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store(db_path, clock=TickingClock())
    yield opened
    opened.close()
    assert integrity(db_path) == "ok"


def new_conversation(store: Store, title: str = "", **settings: object) -> int:
    return store.create_conversation(ConversationSettings(**settings), title).result()  # type: ignore[arg-type]


def test_opens_in_wal_mode_with_current_schema(store: Store, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    conn.close()
    assert store.path == db_path


def test_conversation_round_trip(store: Store) -> None:
    settings = ConversationSettings(model="qwen-max", thinking=ThinkingMode.ON, context_params={"n": 4})
    cid = store.create_conversation(settings, "First").result()
    conversation = store.conversation(cid)
    assert conversation is not None
    assert conversation.title == "First"
    assert conversation.settings == settings
    assert not conversation.pinned and not conversation.title_locked
    assert conversation.deleted_at is None
    assert conversation.created_at == conversation.updated_at
    assert store.conversation(cid + 100) is None

    store.update_settings(cid, settings.with_(model="qwen-turbo")).result()
    updated = store.conversation(cid)
    assert updated is not None and updated.settings.model == "qwen-turbo"
    assert store.summaries([cid])[cid].model == "qwen-turbo"


def test_ordering_pinned_first_then_most_recent(store: Store) -> None:
    a, b, c = (new_conversation(store, name) for name in "abc")
    assert store.conversation_ids() == [c, b, a]
    store.add_message(a, Role.USER, "bump").result()
    assert store.conversation_ids() == [a, c, b]
    store.set_pinned(b, True).result()
    assert store.conversation_ids() == [b, a, c]
    assert store.last_conversation_id() == a
    assert store.count_conversations() == 3

    summaries = store.summaries([b, c, 999])
    assert set(summaries) == {b, c}
    assert summaries[b].pinned and summaries[b].title == "b" and summaries[b].model == "qwen-plus"


def test_pages_of_the_order_and_where_a_conversation_stands(store: Store) -> None:
    ids = [new_conversation(store, f"c{i}") for i in range(7)]
    store.set_pinned(ids[2], True).result()
    store.add_message(ids[0], Role.USER, "latest").result()
    store.delete_conversation(ids[4]).result()
    order = store.conversation_ids()
    assert order == [ids[2], ids[0], ids[6], ids[5], ids[3], ids[1]]

    assert store.conversation_ids(3) == order[:3]
    assert store.conversation_ids(2, after=order[1]) == order[2:4]
    assert store.conversation_ids(after=order[3]) == order[4:]
    assert store.conversation_ids(5, after=ids[4]) == [ids[3], ids[1]], "after a deleted one: where it stood"
    assert store.conversation_ids(after=order[-1]) == [] and store.conversation_ids(0) == []
    assert [store.conversation_rank(cid) for cid in order] == list(range(6))
    assert store.conversation_rank(ids[4]) is None and store.conversation_rank(999) is None
    assert store.conversation_rank(order[3], within=4) == 3 and store.conversation_rank(order[4], within=4) is None
    assert store.has_conversations()
    for cid in order:
        store.delete_conversation(cid).result()
    assert not store.has_conversations() and store.conversation_ids(10) == []


def test_messages_round_trip_and_update(store: Store) -> None:
    cid = new_conversation(store)
    user = store.add_message(
        cid, Role.USER, "Hi", attachments=[{"sha256": "ab", "mime": "image/png"}], meta={"k": 1}
    ).result()
    reply = store.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING, model="qwen-max").result()
    store.update_message(
        reply,
        content="Hello!",
        reasoning="think",
        status=MessageStatus.COMPLETE,
        usage=Usage(input_tokens=3, output_tokens=2),
        error={"kind": "none"},
        reasoning_ms=120,
        context={"policy": "full", "ids": [user]},
        meta={"request_id": "r1"},
    ).result()

    first, second = store.messages(cid)
    assert (first.id, first.role, first.content) == (user, Role.USER, "Hi")
    assert first.attachments == [{"sha256": "ab", "mime": "image/png"}]
    assert first.meta == {"k": 1} and first.usage is None and first.context is None
    assert second == store.message(reply)
    assert second.content == "Hello!" and second.reasoning == "think"
    assert second.status is MessageStatus.COMPLETE
    assert second.usage == Usage(input_tokens=3, output_tokens=2)
    assert second.error == {"kind": "none"} and second.reasoning_ms == 120
    assert second.context == {"policy": "full", "ids": [user]} and second.meta == {"request_id": "r1"}
    assert second.model == "qwen-max" and second.updated_at > second.created_at
    assert store.message(reply + 100) is None

    store.update_message(reply, usage=None, error=None).result()
    cleared = store.message(reply)
    assert cleared is not None and cleared.usage is None and cleared.error is None


def test_update_message_rejects_unknown_fields(store: Store) -> None:
    with pytest.raises(TypeError, match="colour"):
        store.update_message(1, colour="red")


def test_add_message_to_missing_conversation_fails_through_future(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.add_message(12345, Role.USER, "lost").result()


def test_rename_locked_versus_automatic(store: Store) -> None:
    cid = new_conversation(store)
    store.rename(cid, "Auto title", locked=False).result()
    conversation = store.conversation(cid)
    assert conversation is not None and (conversation.title, conversation.title_locked) == ("Auto title", False)

    store.rename(cid, "Mine").result()
    store.rename(cid, "Another auto title", locked=False).result()
    conversation = store.conversation(cid)
    assert conversation is not None and (conversation.title, conversation.title_locked) == ("Mine", True)
    assert [hit.conversation_id for hit in store.search("mine")] == [cid]
    assert store.search("another") == []


def test_soft_delete_restore_and_purge(store: Store) -> None:
    keep, gone, later = (new_conversation(store, name) for name in ("keep", "gone", "later"))
    store.add_message(gone, Role.USER, "text in a deleted conversation").result()
    store.delete_conversation(gone).result()
    assert store.conversation_ids() == [later, keep]
    assert store.count_conversations() == 2
    deleted = store.conversation(gone)
    assert deleted is not None and deleted.deleted_at is not None

    store.restore_conversation(gone).result()
    assert store.conversation_ids() == [gone, later, keep]

    store.delete_conversation(gone).result()
    store.delete_conversation(later).result()
    deleted_later = store.conversation(later)
    assert deleted_later is not None and deleted_later.deleted_at is not None
    assert store.purge_deleted(older_than=deleted_later.deleted_at).result() == 1
    assert store.conversation(gone) is None and store.messages(gone) == []
    assert store.conversation(later) is not None
    assert store.purge_deleted().result() == 1
    assert store.conversation_ids() == [keep]


def test_purge_removes_index_rows(store: Store, db_path: Path) -> None:
    cid = new_conversation(store, "Purged title")
    store.add_message(cid, Role.USER, "purged words").result()
    store.delete_conversation(cid).result()
    store.purge_deleted().result()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM message_fts").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM title_fts").fetchone()[0] == 0
    conn.close()


def test_delete_messages_from(store: Store) -> None:
    cid, other = new_conversation(store), new_conversation(store)
    ids = [store.add_message(cid, Role.USER, f"m{i}").result() for i in range(5)]
    foreign = store.add_message(other, Role.USER, "other conversation").result()
    store.delete_messages_from(cid, ids[2]).result()
    assert [m.id for m in store.messages(cid)] == ids[:2]
    assert [m.id for m in store.messages(other)] == [foreign]
    assert store.search("m3") == []
    new = store.add_message(cid, Role.USER, "again").result()
    assert new > ids[-1] and new > foreign


def test_queued_writes_survive_close(db_path: Path) -> None:
    store = Store(db_path)
    cid = store.create_conversation(ConversationSettings()).result()
    futures = [store.add_message(cid, Role.USER, f"message {i}") for i in range(300)]
    store.close()
    assert all(f.done() for f in futures)
    reopened = Store(db_path)
    assert len(reopened.messages(cid)) == 300
    reopened.close()
    assert integrity(db_path) == "ok"


def test_use_after_close_is_reported(db_path: Path) -> None:
    store = Store(db_path)
    store.close()
    store.close()
    with pytest.raises(StoreClosedError):
        store.create_conversation(ConversationSettings()).result()
    with pytest.raises(StoreClosedError):
        store.conversation_ids()
    with pytest.raises(StoreClosedError):
        store.append_stream(1, content="late")


def test_sqlite_error_goes_to_future_and_writer_keeps_working(store: Store, db_path: Path) -> None:
    saboteur = sqlite3.connect(db_path, isolation_level=None)
    saboteur.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON conversations BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    failed = store.create_conversation(ConversationSettings(), "x")
    with pytest.raises(StorageError, match="refused"):
        failed.result()
    saboteur.execute("DROP TRIGGER refuse")
    saboteur.close()
    cid = new_conversation(store, "works")
    assert store.conversation_ids() == [cid]


def test_disk_full_is_a_plain_sentence(store: Store) -> None:
    cid = new_conversation(store)
    store._writer.submit(lambda conn: conn.execute("PRAGMA max_page_count = 1")).result()
    failed = store.add_message(cid, Role.USER, "x" * 200_000)
    with pytest.raises(DiskFullError, match="The disk is full"):
        failed.result()
    store._writer.submit(lambda conn: conn.execute("PRAGMA max_page_count = 1073741823")).result()
    assert store.add_message(cid, Role.USER, "fits").result() > 0
    assert [m.content for m in store.messages(cid)] == ["fits"]


def test_busy_database_maps_to_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as raised:
        other.execute("BEGIN IMMEDIATE")
    error = storage_error(raised.value)
    assert isinstance(error, DatabaseBusyError)
    assert "locked by another program" in str(error)
    holder.close()
    other.close()


def test_reads_on_other_threads_use_their_own_connection(store: Store) -> None:
    cid = new_conversation(store, "threaded")
    assert store.conversation_ids() == [cid]
    seen: list[list[int]] = []
    for _ in range(3):
        worker = threading.Thread(target=lambda: seen.append(store.conversation_ids()))
        worker.start()
        worker.join()
    assert seen == [[cid]] * 3
    assert threading.current_thread() in store._readers
    assert len(store._readers) == 2


def test_futures_can_be_awaited(store: Store) -> None:
    async def create() -> int:
        cid = await asyncio.wrap_future(store.create_conversation(ConversationSettings(), "async"))
        await asyncio.wrap_future(store.add_message(cid, Role.USER, "hello"))
        return cid

    cid = asyncio.run(create())
    assert [m.content for m in store.messages(cid)] == ["hello"]


def test_timestamps_come_from_the_clock(db_path: Path) -> None:
    store = Store(db_path, clock=lambda: 42.0)
    cid = store.create_conversation(ConversationSettings()).result()
    mid = store.add_message(cid, Role.USER, "t").result()
    conversation, message = store.conversation(cid), store.message(mid)
    assert conversation is not None and message is not None
    assert conversation.created_at == conversation.updated_at == message.created_at == 42.0
    store.close()
