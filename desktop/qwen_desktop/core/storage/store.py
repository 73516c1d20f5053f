"""The conversation store: synchronous reads on any thread, writes on one writer thread."""

from __future__ import annotations

import atexit
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from concurrent.futures import Future
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from qwen_desktop.core.storage import database, owners, writes
from qwen_desktop.core.storage import rows as R
from qwen_desktop.core.errors import StorageError
from qwen_desktop.core.storage.errors import StoreClosedError, storage_error
from qwen_desktop.core.storage.owners import WriterLock
from qwen_desktop.core.storage.models import (
    Conversation, ConversationSummary, DeletedConversation, Message, Outline, SearchHit, Thread,
    UsageRecord,
)
from qwen_desktop.core.storage.search import search as run_search
from qwen_desktop.core.storage.tree import Tree, versions_on_path, visible_path
from qwen_desktop.core.storage.writer import Writer
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role, Source

_SUMMARY_BATCH = 500
_SIDEBAR_ORDER = "ORDER BY pinned DESC, updated_at DESC, id DESC"
_IDS = "SELECT id FROM conversations WHERE deleted_at IS NULL"


def _limit(limit: int | None) -> int:
    return -1 if limit is None else max(0, limit)


def _sort_key(conn: sqlite3.Connection, cid: int, *, deleted: bool = True) -> tuple[int, float, int] | None:
    """Where ``cid`` sorts in the sidebar (also once deleted, unless ``deleted`` is False)."""
    row = conn.execute("SELECT pinned, updated_at, id, deleted_at FROM conversations WHERE id = ?", (cid,)).fetchone()
    if row is None or (not deleted and row[3] is not None):
        return None
    return row[0], row[1], row[2]
_ID_BATCH = 500
_MISSING = object()
_NOT_RETRIED = frozenset({"content", "reasoning"})
"""Text is never written again from a retry: streamed text may have been appended since."""


class Store:
    """Conversations and messages in one SQLite file (WAL).

    Reads run on the calling thread with that thread's own connection and never wait for the
    writer. Writes are queued to a single writer thread and return Futures: ``.result()`` from
    synchronous code, ``await asyncio.wrap_future(f)`` from a coroutine.
    """

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self._clock = clock
        self._local = threading.local()
        self._readers: dict[threading.Thread, sqlite3.Connection] = {}
        self._readers_lock = threading.Lock()
        self._closed = False
        self._unsaved: dict[int, dict[str, Any]] = {}
        self._unsaved_lock = threading.Lock()
        self.owner = WriterLock(self.path)
        self._writer = Writer(
            partial(database.open_writer, self.path, clock),
            lambda conn, deltas: writes.append_stream(conn, deltas, clock()),
        )
        try:
            self._writer.start()
        except BaseException:
            self.owner.release()
            raise
        atexit.register(self.close)

    # ---- reads

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        if self._closed:
            raise StoreClosedError()
        try:
            yield self._reader()
        except sqlite3.Error as exc:
            raise storage_error(exc) from exc

    def _reader(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = database.connect_reader(self.path)
            with self._readers_lock:
                self._close_readers_of_finished_threads()
                self._readers[threading.current_thread()] = conn
            self._local.conn = conn
        return conn

    def _close_readers_of_finished_threads(self) -> None:
        for thread in [t for t in self._readers if not t.is_alive()]:
            self._readers.pop(thread).close()

    def conversation_ids(self, limit: int | None = None, *, after: int | None = None) -> list[int]:
        """Conversations not deleted: pinned first, then most recently updated.

        ``limit`` keeps the first ones only; ``after`` starts right after that conversation in
        this order (a page further down). Both walk the sidebar's index from where they start, so
        a page costs the same at any table size.
        """
        with self._read() as conn:
            if after is None:
                rows = conn.execute(f"{_IDS} {_SIDEBAR_ORDER} LIMIT ?", (_limit(limit),)).fetchall()
            else:
                key = _sort_key(conn, after)
                if key is None:
                    return []
                rows = conn.execute(f"{_IDS} AND (pinned, updated_at, id) < (?, ?, ?) {_SIDEBAR_ORDER} LIMIT ?",
                                    (*key, _limit(limit))).fetchall()
        return [row[0] for row in rows]

    def conversation_rank(self, cid: int, *, within: int | None = None) -> int | None:
        """How many conversations come before ``cid`` in :meth:`conversation_ids`; None if it is
        deleted or unknown, or when ``within`` is given and at least that many come before it (the
        count then stops there)."""
        with self._read() as conn:
            key = _sort_key(conn, cid, deleted=False)
            if key is None:
                return None
            row = conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM conversations WHERE deleted_at IS NULL"
                " AND (pinned, updated_at, id) > (?, ?, ?) LIMIT ?)",
                (*key, _limit(within)),
            ).fetchone()
        rank = int(row[0])
        return None if within is not None and rank >= within else rank

    def has_conversations(self) -> bool:
        """Whether any conversation is not deleted; without counting them."""
        with self._read() as conn:
            return conn.execute("SELECT 1 FROM conversations WHERE deleted_at IS NULL LIMIT 1").fetchone() is not None

    def summaries(self, ids: Sequence[int]) -> dict[int, ConversationSummary]:
        found: dict[int, ConversationSummary] = {}
        with self._read() as conn:
            for start in range(0, len(ids), _SUMMARY_BATCH):
                batch = list(ids[start:start + _SUMMARY_BATCH])
                marks = ",".join("?" * len(batch))
                sql = f"SELECT {R.SUMMARY_COLUMNS} FROM conversations WHERE id IN ({marks})"
                for row in conn.execute(sql, batch):
                    found[row[0]] = R.summary(row)
        return found

    def conversation(self, cid: int) -> Conversation | None:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {R.CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (cid,)
            ).fetchone()
        return None if row is None else R.conversation(row)

    def messages(self, cid: int) -> list[Message]:
        """The path the user sees: the chosen version at every fork, deleted messages left out."""
        return self.thread(cid).messages

    def all_messages(self, cid: int) -> list[Message]:
        """Every version of every message, deleted ones too, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {R.MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id", (cid,)
            ).fetchall()
            sources = R.sources(conn.execute(
                f"SELECT {R.SOURCE_COLUMNS} FROM message_sources WHERE message_id IN"
                " (SELECT id FROM messages WHERE conversation_id = ?) ORDER BY message_id, position",
                (cid,),
            ))
        found = [R.message(row) for row in rows]
        return [replace(m, sources=sources[m.id]) if m.id in sources else m for m in found]

    def thread(self, cid: int) -> Thread:
        """The visible path with, for each message that has them, its versions."""
        every = {m.id: m for m in self.all_messages(cid)}
        found = Tree.of(every.values())
        path = found.path()
        return Thread([every[mid] for mid in path], versions_on_path(found, path), found)

    def outline(self, cid: int) -> Outline:
        """The visible path as ids and roles: no text is read, so a conversation of
        50,000 messages outlines in a fraction of the time ``thread`` takes."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, parent_id, chosen, deleted_at IS NOT NULL, role, status = ? FROM messages"
                " WHERE conversation_id = ? ORDER BY id", (MessageStatus.STREAMING.value, cid),
            ).fetchall()
        path, versions = visible_path(rows)
        on_path = rows if len(path) == len(rows) and path == [row[0] for row in rows] else None
        if on_path is None:
            by_id = {row[0]: row for row in rows}
            on_path = [by_id[mid] for mid in path]
        streaming = frozenset(row[0] for row in on_path if row[5])
        return Outline(path, R.roles(row[4] for row in on_path), streaming, versions)

    def messages_by_id(self, ids: Sequence[int]) -> list[Message]:
        """The messages with these ids (sources included), in the order asked; missing ones are left out."""
        found: dict[int, Message] = {}
        with self._read() as conn:
            for start in range(0, len(ids), _ID_BATCH):
                batch = list(ids[start:start + _ID_BATCH])
                marks = ",".join("?" * len(batch))
                rows = conn.execute(f"SELECT {R.MESSAGE_COLUMNS} FROM messages WHERE id IN ({marks})", batch)
                found.update((m.id, m) for m in map(R.message, rows))
                sources = R.sources(conn.execute(
                    f"SELECT {R.SOURCE_COLUMNS} FROM message_sources WHERE message_id IN ({marks})"
                    " ORDER BY message_id, position", batch,
                ))
                for mid, cited in sources.items():
                    if mid in found:
                        found[mid] = replace(found[mid], sources=cited)
        return [found[mid] for mid in ids if mid in found]

    def message(self, mid: int) -> Message | None:
        with self._read() as conn:
            row = conn.execute(f"SELECT {R.MESSAGE_COLUMNS} FROM messages WHERE id = ?", (mid,)).fetchone()
            sources = R.sources(conn.execute(
                f"SELECT {R.SOURCE_COLUMNS} FROM message_sources WHERE message_id = ? ORDER BY position",
                (mid,),
            ))
        if row is None:
            return None
        return replace(R.message(row), sources=sources.get(mid, ()))

    def search_refusals(self) -> dict[tuple[str, str], str]:
        """(region, model) the service refused to search with, and what it said."""
        with self._read() as conn:
            rows = conn.execute("SELECT region_id, model, message FROM search_support").fetchall()
        return {(region, model): message for region, model, message in rows}

    def deleted_conversations(self) -> list[DeletedConversation]:
        """The trash, most recently deleted first."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {R.DELETED_COLUMNS} FROM conversations AS c WHERE c.deleted_at IS NOT NULL"
                " ORDER BY c.deleted_at DESC, c.id DESC"
            ).fetchall()
        return [R.deleted_summary(row) for row in rows]

    def last_conversation_id(self) -> int | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT id FROM conversations WHERE deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 1"
            ).fetchone()
        return None if row is None else int(row[0])

    def search(
        self, query: str, limit: int = 50, *, cancelled: Callable[[], bool] | None = None
    ) -> list[SearchHit]:
        """Titles and message text (not reasoning) of conversations that are not deleted.

        ``cancelled`` is polled while the query runs; once it returns True the search stops with
        ``SearchCancelled``.
        """
        with self._read() as conn:
            return run_search(conn, query, limit, cancelled)

    def count_conversations(self) -> int:
        with self._read() as conn:
            return int(conn.execute("SELECT count(*) FROM conversations WHERE deleted_at IS NULL").fetchone()[0])

    def usage_records(self, since: float | None = None) -> list[UsageRecord]:
        """Replies with usage, oldest first, in conversations not deleted; ``since`` is a time."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {R.USAGE_COLUMNS} FROM messages AS m JOIN conversations AS c"
                " ON c.id = m.conversation_id WHERE m.role = 'assistant' AND m.usage IS NOT NULL"
                " AND c.deleted_at IS NULL AND m.created_at >= ? ORDER BY m.created_at, m.id",
                (since if since is not None else float("-inf"),),
            ).fetchall()
        return [R.usage_record(row) for row in rows]

    def referenced_attachments(self) -> set[str]:
        """Digests of every attachment a stored message (deleted or not, until purged) uses."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT sha256 FROM message_attachments UNION SELECT json_extract(a.value, '$.sha256')"
                " FROM messages, json_each(messages.attachments) AS a WHERE messages.attachments != '[]'"
            ).fetchall()
        return {row[0] for row in rows if row[0]}

    def run_read(self, job: Callable[[sqlite3.Connection], Any]) -> Any:
        """A custom read (the assistant library) on the calling thread's read connection."""
        with self._read() as conn:
            return job(conn)

    # ---- writes

    def _submit(self, job: Callable[[sqlite3.Connection], Any]) -> Future[Any]:
        """Queue a write; message updates not confirmed stored (a full disk) are queued again first."""
        self._retry_unsaved()
        return self._writer.submit(job)

    def _retry_unsaved(self) -> None:
        with self._unsaved_lock:
            unsaved, self._unsaved = self._unsaved, {}
        if unsaved:
            retry = self._writer.submit(partial(_apply_updates, updates=unsaved, now=self._clock()))
            retry.add_done_callback(lambda done: self._keep_unsaved(unsaved, done))

    def _keep_unsaved(self, updates: dict[int, dict[str, Any]], done: Future[Any]) -> None:
        """Updates that could not be stored wait for the next write; newer ones for the same fields win."""
        if done.cancelled() or not isinstance(done.exception(), StorageError):
            return
        with self._unsaved_lock:
            for mid, fields in updates.items():
                self._unsaved[mid] = {**fields, **self._unsaved.get(mid, {})}

    def _confirmed(self, mid: int, fields: dict[str, Any], done: Future[Any]) -> None:
        """A stored update is no longer kept for retrying (unless a newer value replaced it meanwhile)."""
        if done.cancelled() or isinstance(done.exception(), StorageError):
            return
        with self._unsaved_lock:
            kept = self._unsaved.get(mid)
            if kept is None:
                return
            for name, value in fields.items():
                if kept.get(name, _MISSING) is value:
                    del kept[name]
            if not kept:
                del self._unsaved[mid]

    def create_conversation(self, settings: ConversationSettings, title: str = "") -> Future[int]:
        return self._submit(partial(writes.create_conversation, settings=settings, title=title, now=self._clock()))

    def update_settings(self, cid: int, settings: ConversationSettings) -> Future[None]:
        return self._submit(partial(writes.update_settings, cid=cid, settings=settings))

    def rename(self, cid: int, title: str, *, locked: bool = True) -> Future[None]:
        """``locked=False`` is an automatic title: it leaves a user's title alone, silently."""
        return self._submit(partial(writes.rename, cid=cid, title=title, locked=locked))

    def set_pinned(self, cid: int, pinned: bool) -> Future[None]:
        return self._submit(partial(writes.set_pinned, cid=cid, pinned=pinned))

    def delete_conversation(self, cid: int) -> Future[None]:
        """Soft delete: hidden everywhere until restored or purged."""
        return self._submit(partial(writes.set_deleted, cid=cid, deleted_at=self._clock()))

    def restore_conversation(self, cid: int) -> Future[None]:
        return self._submit(partial(writes.set_deleted, cid=cid, deleted_at=None))

    def purge_deleted(self, older_than: float | None = None) -> Future[int]:
        """Remove for good what was deleted before the time ``older_than`` (all if None).

        Conversations in the trash and single deleted messages; returns how many conversations.
        """
        return self._submit(partial(writes.purge_deleted, older_than=older_than))

    def add_message(
        self,
        cid: int,
        role: Role,
        content: str,
        *,
        reasoning: str = "",
        status: MessageStatus = MessageStatus.COMPLETE,
        model: str | None = None,
        attachments: list[dict[str, Any]] | None = None,
        meta: dict[str, Any] | None = None,
        parent: int | None = writes.ACTIVE_LEAF,
    ) -> Future[int]:
        """Adds a message and makes its conversation the most recently updated.

        By default it follows the end of the visible path; ``parent`` (None for the top) makes
        it a new version beside that message's other children, shown from now on.
        """
        writer = self.owner.token if MessageStatus(status) is MessageStatus.STREAMING else None
        job = partial(
            writes.add_message, cid=cid, role=role, content=content, reasoning=reasoning, status=status,
            model=model, attachments=attachments, meta=meta, now=self._clock(), writer=writer,
            parent=parent,
        )
        return self._submit(job)

    def select_message(self, mid: int) -> Future[None]:
        """Show the version ``mid`` (and the branch it is on) from now on."""
        return self._submit(partial(writes.select_message, mid=mid))

    def delete_messages(self, mids: Sequence[int]) -> Future[None]:
        """Hide single messages until restored; purged with the trash."""
        return self._submit(partial(writes.set_messages_deleted, mids=list(mids), deleted_at=self._clock()))

    def restore_messages(self, mids: Sequence[int]) -> Future[None]:
        return self._submit(partial(writes.set_messages_deleted, mids=list(mids), deleted_at=None))

    def fork_conversation(self, mid: int, title: str) -> Future[int]:
        """A new conversation with a copy of the visible path down to ``mid``."""
        return self._submit(partial(writes.fork_conversation, mid=mid, title=title, now=self._clock()))

    def purge_conversation(self, cid: int) -> Future[None]:
        """Delete forever a conversation in the trash."""
        return self._submit(partial(writes.purge_conversation, cid=cid))

    def prune_attachments(self) -> Future[list[str]]:
        """Forget attachment records no message uses any more (the files are the caller's)."""
        return self._submit(writes.prune_attachments)

    def update_message(self, mid: int, **fields: Any) -> Future[None]:
        """Fields: content, reasoning, status, usage, error, model, reasoning_ms, context, meta."""
        writes.check_message_fields(fields)
        self._retry_unsaved()
        fields = dict(fields)
        kept = {name: value for name, value in fields.items() if name not in _NOT_RETRIED}
        if kept:
            with self._unsaved_lock:
                self._unsaved.setdefault(mid, {}).update(kept)
        future = self._writer.submit(partial(writes.update_message, mid=mid, fields=fields, now=self._clock()))
        future.add_done_callback(lambda done: self._confirmed(mid, fields, done))
        return future

    def set_sources(self, mid: int, sources: Iterable[Source]) -> Future[None]:
        """Store (replace) the web sources of a reply; they become searchable."""
        return self._submit(partial(writes.set_sources, mid=mid, sources=tuple(sources)))

    def record_search_refusal(self, region_id: str, model: str, message: str) -> Future[None]:
        job = partial(writes.record_search_refusal, region_id=region_id, model=model,
                      message=message, now=self._clock())
        return self._submit(job)

    def forget_search_refusal(self, region_id: str, model: str) -> Future[None]:
        return self._submit(partial(writes.forget_search_refusal, region_id=region_id, model=model))

    def delete_messages_from(self, cid: int, mid: int) -> Future[None]:
        """Delete message ``mid`` and every later message of the conversation."""
        return self._submit(partial(writes.delete_messages_from, cid=cid, mid=mid))

    def append_stream(self, mid: int, *, reasoning: str = "", content: str = "") -> None:
        """Buffer streamed text; the writer stores it within 250 ms. Never blocks on the disk."""
        if reasoning or content:
            self._writer.append(mid, reasoning, content)

    def flush(self) -> Future[None]:
        """Store buffered stream text now."""
        return self._writer.flush()

    def run_write(self, job: Callable[[sqlite3.Connection], Any]) -> Future[Any]:
        """A custom write (an import) on the writer thread, in one transaction."""
        return self._submit(job)

    def recover_interrupted(self) -> Future[list[int]]:
        """Replies left 'streaming' by a process that is gone become 'interrupted'.

        Replies another open store is still writing (a window beside a CLI ``ask``) are left alone.
        """
        alive = partial(owners.is_alive, self.path)
        return self._submit(partial(writes.recover_interrupted, now=self._clock(), alive=alive))

    def busy_elsewhere(self, cid: int) -> bool:
        """True while another process (or another open store) streams a reply in this conversation."""
        with self._read() as conn:
            writers = {row[0] for row in conn.execute(
                "SELECT writer FROM messages WHERE conversation_id = ? AND status = ?",
                (cid, MessageStatus.STREAMING.value),
            )}
        return any(w != self.owner.token and owners.is_alive(self.path, w) for w in writers)

    def close(self) -> None:
        """Finish every queued write, store buffered stream text, close all connections."""
        if self._closed:
            return
        atexit.unregister(self.close)
        if self._unsaved:
            self._submit(_checkpoint)
        self._writer.close()
        self._closed = True
        self.owner.release()
        with self._readers_lock:
            readers, self._readers = self._readers, {}
        for conn in readers.values():
            conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _apply_updates(conn: sqlite3.Connection, updates: dict[int, dict[str, Any]], now: float) -> None:
    for mid, fields in updates.items():
        if fields:
            writes.update_message(conn, mid, fields, now)


def _checkpoint(conn: sqlite3.Connection) -> None:
    """A job that writes nothing itself: queued so that unsaved updates get one more try."""
