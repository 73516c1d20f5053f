"""The write operations; each runs on the writer thread inside one transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from qwen_desktop.core.storage import recent_index
from qwen_desktop.core.storage.errors import NotFoundError
from qwen_desktop.core.storage.rows import dumps
from qwen_desktop.core.storage.tree import Tree
from qwen_desktop.core.storage.text import segment
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role, Source, Usage

ACTIVE_LEAF = -1
"""``parent`` for a message that continues the path the user sees."""

MESSAGE_FIELDS = frozenset(
    {"content", "reasoning", "status", "usage", "error", "model", "reasoning_ms", "context", "meta"}
)


def _index_message(conn: sqlite3.Connection, mid: int, content: str) -> None:
    body = segment(content) if content else ""
    recent_index.index(conn, mid, body)
    conn.execute("DELETE FROM message_fts WHERE rowid = ?", (mid,))
    if body:
        conn.execute("INSERT INTO message_fts(rowid, body) VALUES (?, ?)", (mid, body))
    recent_index.indexed(conn, mid, body)


def _index_title(conn: sqlite3.Connection, cid: int, title: str) -> None:
    conn.execute("DELETE FROM title_fts WHERE rowid = ?", (cid,))
    if title:
        conn.execute("INSERT INTO title_fts(rowid, body) VALUES (?, ?)", (cid, segment(title)))


def create_conversation(
    conn: sqlite3.Connection, settings: ConversationSettings, title: str, now: float
) -> int:
    cursor = conn.execute(
        "INSERT INTO conversations(title, settings, created_at, updated_at) VALUES (?, ?, ?, ?)",
        (title, dumps(settings.to_json()), now, now),
    )
    cid = int(cursor.lastrowid or 0)
    _index_title(conn, cid, title)
    return cid


def update_settings(conn: sqlite3.Connection, cid: int, settings: ConversationSettings) -> None:
    conn.execute("UPDATE conversations SET settings = ? WHERE id = ?", (dumps(settings.to_json()), cid))


def rename(conn: sqlite3.Connection, cid: int, title: str, locked: bool) -> None:
    """An automatic title (``locked=False``) never replaces a title the user chose."""
    condition = "" if locked else " AND title_locked = 0"
    cursor = conn.execute(
        f"UPDATE conversations SET title = ?, title_locked = ? WHERE id = ?{condition}",
        (title, int(locked), cid),
    )
    if cursor.rowcount:
        _index_title(conn, cid, title)


def set_pinned(conn: sqlite3.Connection, cid: int, pinned: bool) -> None:
    conn.execute("UPDATE conversations SET pinned = ? WHERE id = ?", (int(pinned), cid))


def set_deleted(conn: sqlite3.Connection, cid: int, deleted_at: float | None) -> None:
    conn.execute("UPDATE conversations SET deleted_at = ? WHERE id = ?", (deleted_at, cid))


def _forget_messages(conn: sqlite3.Connection, mids: Iterable[int]) -> None:
    rows = [(mid,) for mid in mids]
    recent_index.forget(conn, (mid for mid, in rows))
    conn.executemany("DELETE FROM message_fts WHERE rowid = ?", rows)
    conn.executemany("DELETE FROM source_fts WHERE rowid = ?", rows)


def sources_text(sources: Iterable[Source]) -> str:
    """What search matches and quotes for a reply's sources."""
    return " · ".join(" ".join(p for p in (s.title, s.site_name, s.url) if p) for s in sources)


def set_sources(conn: sqlite3.Connection, mid: int, sources: Iterable[Source]) -> None:
    """Replace a reply's sources, and their search index."""
    sources = list(sources)
    conn.execute("DELETE FROM message_sources WHERE message_id = ?", (mid,))
    conn.execute("DELETE FROM source_fts WHERE rowid = ?", (mid,))
    conn.executemany(
        "INSERT INTO message_sources(message_id, position, number, title, url, site_name)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        ((mid, i, s.number, s.title, s.url, s.site_name) for i, s in enumerate(sources)),
    )
    if sources:
        conn.execute("INSERT INTO source_fts(rowid, body) VALUES (?, ?)",
                     (mid, segment(sources_text(sources))))


def record_search_refusal(
    conn: sqlite3.Connection, region_id: str, model: str, message: str, now: float
) -> None:
    conn.execute(
        "INSERT INTO search_support(region_id, model, refused_at, message) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(region_id, model) DO UPDATE SET refused_at = excluded.refused_at,"
        " message = excluded.message",
        (region_id, model, now, message),
    )


def forget_search_refusal(conn: sqlite3.Connection, region_id: str, model: str) -> None:
    conn.execute("DELETE FROM search_support WHERE region_id = ? AND model = ?", (region_id, model))


def _purge_conversation(conn: sqlite3.Connection, cid: int) -> None:
    mids = [row[0] for row in conn.execute("SELECT id FROM messages WHERE conversation_id = ?", (cid,))]
    _forget_messages(conn, mids)
    conn.execute("DELETE FROM title_fts WHERE rowid = ?", (cid,))
    conn.execute("DELETE FROM conversations WHERE id = ?", (cid,))


def purge_deleted(conn: sqlite3.Connection, older_than: float | None) -> int:
    """Conversations and single messages deleted before ``older_than`` (all if None) go for good.

    Returns how many conversations went. A purged message's children move up to its parent.
    """
    cutoff = float("inf") if older_than is None else older_than
    cids = [row[0] for row in conn.execute(
        "SELECT id FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at < ?", (cutoff,)
    )]
    for cid in cids:
        _purge_conversation(conn, cid)
    messages = conn.execute(
        "SELECT id, parent_id FROM messages WHERE deleted_at IS NOT NULL AND deleted_at < ? ORDER BY id DESC",
        (cutoff,),
    ).fetchall()
    for mid, parent in messages:
        conn.execute("UPDATE messages SET parent_id = ? WHERE parent_id = ?", (parent, mid))
        _forget_messages(conn, [mid])
        conn.execute("DELETE FROM messages WHERE id = ?", (mid,))
    return len(cids)


def purge_conversation(conn: sqlite3.Connection, cid: int) -> None:
    """Delete forever one conversation that is in the trash."""
    row = conn.execute("SELECT deleted_at FROM conversations WHERE id = ?", (cid,)).fetchone()
    if row is None:
        raise NotFoundError()
    if row[0] is None:
        raise ValueError("Only a conversation in the trash can be deleted forever.")
    _purge_conversation(conn, cid)


def tree(conn: sqlite3.Connection, cid: int) -> Tree:
    return Tree.of(_TreeRow(*row) for row in conn.execute(
        "SELECT id, parent_id, chosen, deleted_at FROM messages WHERE conversation_id = ?", (cid,)
    ))


class _TreeRow:
    __slots__ = ("id", "parent_id", "chosen", "deleted_at")

    def __init__(self, mid: int, parent_id: int | None, chosen: int, deleted_at: float | None) -> None:
        self.id, self.parent_id, self.chosen, self.deleted_at = mid, parent_id, chosen, deleted_at


def _next_chosen(conn: sqlite3.Connection, cid: int) -> int:
    row = conn.execute("SELECT max(chosen) FROM messages WHERE conversation_id = ?", (cid,)).fetchone()
    return int(row[0] or 0) + 1


def _conversation_of(conn: sqlite3.Connection, mid: int) -> int:
    row = conn.execute("SELECT conversation_id FROM messages WHERE id = ?", (mid,)).fetchone()
    if row is None:
        raise NotFoundError()
    return int(row[0])


def select_message(conn: sqlite3.Connection, mid: int) -> None:
    """Make the path the user sees run through ``mid`` (and on below it as last chosen)."""
    cid = _conversation_of(conn, mid)
    chain = tree(conn, cid).ancestors(mid)
    start = _next_chosen(conn, cid)
    conn.executemany(
        "UPDATE messages SET chosen = ? WHERE id = ?",
        ((start + step, node) for step, node in enumerate(chain)),
    )


def set_messages_deleted(conn: sqlite3.Connection, mids: Iterable[int], deleted_at: float | None) -> None:
    conn.executemany("UPDATE messages SET deleted_at = ? WHERE id = ?", ((deleted_at, mid) for mid in mids))


def fork_conversation(conn: sqlite3.Connection, mid: int, title: str, now: float) -> int:
    """A new conversation holding copies of the visible path down to ``mid``; returns its id."""
    cid = _conversation_of(conn, mid)
    chain = tree(conn, cid).ancestors(mid)
    if mid not in chain:
        raise NotFoundError()
    settings = conn.execute("SELECT settings FROM conversations WHERE id = ?", (cid,)).fetchone()[0]
    cursor = conn.execute(
        "INSERT INTO conversations(title, settings, created_at, updated_at) VALUES (?, ?, ?, ?)",
        (title, settings, now, now),
    )
    new_cid = int(cursor.lastrowid or 0)
    _index_title(conn, new_cid, title)
    copied: dict[int, int] = {}
    parent: int | None = None
    columns = ("role, content, reasoning, attachments, usage, status, error, model, reasoning_ms,"
               " context, meta, created_at, updated_at")
    for old in chain:
        cursor = conn.execute(
            f"INSERT INTO messages(conversation_id, parent_id, chosen, {columns})"
            f" SELECT ?, ?, 0, {columns} FROM messages WHERE id = ?",
            (new_cid, parent, old),
        )
        parent = copied[old] = int(cursor.lastrowid or 0)
        conn.execute(
            "INSERT INTO message_attachments(message_id, position, sha256)"
            " SELECT ?, position, sha256 FROM message_attachments WHERE message_id = ?",
            (parent, old),
        )
        conn.execute(
            "INSERT INTO message_sources(message_id, position, number, title, url, site_name)"
            " SELECT ?, position, number, title, url, site_name FROM message_sources WHERE message_id = ?",
            (parent, old),
        )
        conn.execute("INSERT INTO source_fts(rowid, body) SELECT ?, body FROM source_fts WHERE rowid = ?",
                     (parent, old))
        content, context = conn.execute(
            "SELECT content, context FROM messages WHERE id = ?", (parent,)
        ).fetchone()
        _index_message(conn, parent, content)
        if context:
            _remap_context(conn, parent, context, copied)
    return new_cid


def _remap_context(conn: sqlite3.Connection, mid: int, text: str, copied: dict[int, int]) -> None:
    record = json.loads(text)
    if isinstance(record, dict) and isinstance(record.get("message_ids"), list):
        record["message_ids"] = [copied[i] for i in record["message_ids"] if i in copied]
        conn.execute("UPDATE messages SET context = ? WHERE id = ?", (dumps(record), mid))


def add_message(
    conn: sqlite3.Connection,
    cid: int,
    role: Role,
    content: str,
    *,
    reasoning: str,
    status: MessageStatus,
    model: str | None,
    attachments: list[dict[str, Any]] | None,
    meta: dict[str, Any] | None,
    now: float,
    writer: str | None = None,
    parent: int | None = ACTIVE_LEAF,
) -> int:
    """``writer`` names the open store streaming this reply (see ``owners``). ``parent`` is the
    message this one follows (None: a new top); by default the visible path's end."""
    touched = conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, cid))
    if not touched.rowcount:
        raise NotFoundError()
    if parent == ACTIVE_LEAF:
        path = tree(conn, cid).path()
        parent = path[-1] if path else None
    elif parent is not None and _conversation_of(conn, parent) != cid:
        raise NotFoundError()
    cursor = conn.execute(
        "INSERT INTO messages(conversation_id, role, content, reasoning, attachments, status, model,"
        " meta, created_at, updated_at, writer, parent_id, chosen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (cid, Role(role).value, content, reasoning, dumps(attachments or []),
         MessageStatus(status).value, model, dumps(meta or {}), now, now, writer, parent,
         _next_chosen(conn, cid)),
    )
    mid = int(cursor.lastrowid or 0)
    _index_message(conn, mid, content)
    _link_attachments(conn, mid, attachments or [], now)
    return mid


def _link_attachments(
    conn: sqlite3.Connection, mid: int, attachments: list[dict[str, Any]], now: float
) -> None:
    """Index the message's attachment references, so unused files can be found later."""
    for position, ref in enumerate(attachments):
        sha = ref.get("sha256")
        if not sha:
            continue
        conn.execute(
            "INSERT OR IGNORE INTO attachments(sha256, mime, width, height, bytes, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (sha, str(ref.get("mime") or ""), ref.get("width"), ref.get("height"),
             int(ref.get("bytes") or 0), now),
        )
        conn.execute(
            "INSERT INTO message_attachments(message_id, sha256, position) VALUES (?, ?, ?)",
            (mid, sha, position),
        )


def prune_attachments(conn: sqlite3.Connection) -> list[str]:
    """Forget attachment rows no message links to any more; returns their digests."""
    rows = conn.execute(
        "DELETE FROM attachments WHERE sha256 NOT IN (SELECT sha256 FROM message_attachments)"
        " RETURNING sha256"
    ).fetchall()
    return [row[0] for row in rows]


def _column_value(name: str, value: Any) -> Any:
    if name == "status":
        return MessageStatus(value).value
    if name == "usage":
        return dumps(value.to_json()) if isinstance(value, Usage) else dumps(value)
    if name == "meta":
        return dumps(value or {})
    if name in ("error", "context"):
        return dumps(value)
    return value


def check_message_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - MESSAGE_FIELDS
    if unknown:
        raise TypeError(f"update_message() got unknown fields: {', '.join(sorted(unknown))}")


def update_message(conn: sqlite3.Connection, mid: int, fields: Mapping[str, Any], now: float) -> None:
    if not fields:
        return
    names = sorted(fields)
    assignments = ", ".join(f"{name} = ?" for name in names)
    values = [_column_value(name, fields[name]) for name in names]
    cursor = conn.execute(f"UPDATE messages SET {assignments}, updated_at = ? WHERE id = ?", (*values, now, mid))
    if cursor.rowcount and "content" in fields:
        _index_message(conn, mid, fields["content"] or "")
    elif cursor.rowcount and "status" in fields:
        _reindex(conn, mid)


def _reindex(conn: sqlite3.Connection, mid: int) -> None:
    row = conn.execute("SELECT content FROM messages WHERE id = ?", (mid,)).fetchone()
    if row is not None:
        _index_message(conn, mid, row[0] or "")


def delete_messages_from(conn: sqlite3.Connection, cid: int, mid: int) -> None:
    mids = [row[0] for row in conn.execute(
        "SELECT id FROM messages WHERE conversation_id = ? AND id >= ?", (cid, mid)
    )]
    _forget_messages(conn, mids)
    conn.execute("DELETE FROM messages WHERE conversation_id = ? AND id >= ?", (cid, mid))


def append_stream(conn: sqlite3.Connection, deltas: dict[int, tuple[str, str]], now: float) -> None:
    """Streamed text is appended only; the search index is updated once, when the reply's status
    changes (re-indexing the whole text on every chunk wrote the reply over and over)."""
    for mid, (reasoning, content) in deltas.items():
        conn.execute(
            "UPDATE messages SET reasoning = reasoning || ?, content = content || ?, updated_at = ?"
            " WHERE id = ?",
            (reasoning, content, now, mid),
        )


def recover_interrupted(
    conn: sqlite3.Connection, now: float, alive: Callable[[str | None], bool] = lambda _: False
) -> list[int]:
    """Streaming replies whose writer is gone become interrupted; a live writer's are left alone."""
    rows = conn.execute(
        "SELECT id, writer FROM messages WHERE status = ?", (MessageStatus.STREAMING.value,)
    ).fetchall()
    verdicts: dict[str | None, bool] = {}
    orphans = []
    for mid, writer in rows:
        if writer not in verdicts:
            verdicts[writer] = alive(writer)
        if not verdicts[writer]:
            orphans.append(mid)
    conn.executemany(
        "UPDATE messages SET status = ?, updated_at = ? WHERE id = ?",
        ((MessageStatus.INTERRUPTED.value, now, mid) for mid in orphans),
    )
    for mid in orphans:
        _reindex(conn, mid)
    return sorted(orphans)


def was_imported(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("SELECT 1 FROM imported WHERE key = ?", (key,)).fetchone() is not None


def mark_imported(conn: sqlite3.Connection, key: str, cid: int) -> None:
    conn.execute("INSERT OR REPLACE INTO imported(key, conversation_id) VALUES (?, ?)", (key, cid))
