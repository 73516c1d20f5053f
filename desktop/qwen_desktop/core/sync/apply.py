"""Writing the merged state into the local tables, through the store's writer.

Records are written as they are merged, with their stable ``uid``; messages wait until their
conversation and their parent are written (parents before children, so the tree's rule that a
parent has the smaller row id holds); the local ``chosen`` numbers of a conversation are re-ranked
from the clocks of the choices. What is written from the merged state is not a local change, so
its marks are cleared. Values this version cannot show (written by a newer one) are left out.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from ..storage import writes
from ..storage.rows import dumps
from ..types import MessageStatus, Role, Source
from .changes import (
    ASSISTANT, CHOSEN, CONVERSATION, MESSAGE, PURGED, ROW_DEFAULTS, ROW_TABLES, SETTING, Merged, State,
    load_state, local_context, save_state,
)


def _value(state: State, name: str, default: Any = None) -> Any:
    pair = state.get(name)
    return default if pair is None else pair[0]


def _purged(state: State) -> bool:
    return bool(_value(state, PURGED, False))


def apply(conn: sqlite3.Connection, merged: Merged) -> set[tuple[str, str]]:
    """Write merged records into the local tables; returns the attachments (digest, type) they use."""
    conversations: set[str] = set(merged.conversations)
    for uid in merged.messages:
        row = conn.execute("SELECT conv FROM sync_entities WHERE kind = ? AND uid = ?", (MESSAGE, uid)).fetchone()
        if row is not None and row[0]:
            conversations.add(row[0])
    for kind, uid in sorted(merged.rows):
        state = load_state(conn, kind, uid)
        if state is not None:
            _apply_row(conn, kind, uid, state)
    if any(kind == ASSISTANT for kind, _uid in merged.rows):
        _one_default_assistant(conn)
    wanted: set[tuple[str, str]] = set()
    for uid in sorted(conversations):
        state = load_state(conn, CONVERSATION, uid)
        if state is None:
            continue
        cid = _apply_conversation(conn, uid, state)
        if cid is not None:
            wanted |= _apply_messages(conn, cid, uid, merged.messages)
    return wanted


def _apply_conversation(conn: sqlite3.Connection, uid: str, state: State) -> int | None:
    row = conn.execute("SELECT id FROM conversations WHERE uid = ?", (uid,)).fetchone()
    if _purged(state):
        if row is not None:
            writes._purge_conversation(conn, int(row[0]))
            conn.execute("DELETE FROM sync_dirty WHERE kind = ? AND uid IN"
                         " (SELECT uid FROM sync_entities WHERE kind = ? AND conv = ?)", (MESSAGE, MESSAGE, uid))
        # Its messages can never be shown again anywhere: their text is dropped here too.
        conn.execute("UPDATE sync_entities SET state = ? WHERE kind = ? AND conv = ?",
                     (dumps({PURGED: state[PURGED]}), MESSAGE, uid))
        _clean(conn, CONVERSATION, [uid])
        return None
    if "created_at" not in state or not _sane_conversation(state):
        return None  # only some fields are known yet (the rest is in a file still to come), or a
        # newer version wrote values this one cannot show: the local row is left as it is
    values = (
        _title(state)[0], int(_title(state)[1]), dumps(_settings(state)),
        int(bool(_value(state, "pinned"))), _value(state, "created_at"),
        _value(state, "updated_at", _value(state, "created_at")), _value(state, "deleted_at"),
    )
    if row is None:
        cursor = conn.execute(
            "INSERT INTO conversations(title, title_locked, settings, pinned, created_at, updated_at, deleted_at,"
            " uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*values, uid),
        )
        cid = int(cursor.lastrowid or 0)
    else:
        cid = int(row[0])
        conn.execute(
            "UPDATE conversations SET title = ?, title_locked = ?, settings = ?, pinned = ?, created_at = ?,"
            " updated_at = ?, deleted_at = ? WHERE id = ?", (*values, cid),
        )
    writes._index_title(conn, cid, values[0])
    _clean(conn, CONVERSATION, [uid])
    return cid


_ROLES = frozenset(role.value for role in Role)
_STATUSES = frozenset(status.value for status in MessageStatus)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _title(state: State) -> tuple[Any, bool]:
    value = _value(state, "title", ["", False])
    if isinstance(value, list) and len(value) == 2:
        return value[0], bool(value[1])
    return None, False


def _settings(state: State) -> dict[str, Any]:
    return {name[len(SETTING):]: pair[0] for name, pair in sorted(state.items())
            if name.startswith(SETTING) and pair[0] is not None}


def _kinds(state: State, expected: dict[str, tuple[type, ...]]) -> bool:
    """Every field present has one of the types the local tables hold for it."""
    for name, kinds in expected.items():
        value = _value(state, name)
        if value is not None and (not isinstance(value, kinds) or isinstance(value, bool) and bool not in kinds):
            return False
    return True


_CONVERSATION_KINDS: dict[str, tuple[type, ...]] = {
    "created_at": (int, float), "updated_at": (int, float), "deleted_at": (int, float), "pinned": (bool,),
}
_MESSAGE_KINDS: dict[str, tuple[type, ...]] = {
    "content": (str,), "reasoning": (str,), "attachments": (list,), "usage": (dict,), "error": (dict,),
    "model": (str,), "reasoning_ms": (int,), "context": (dict,), "meta": (dict,), "sources": (list,),
    "created_at": (int, float), "updated_at": (int, float), "deleted_at": (int, float), "parent": (str,),
}


def _sane_conversation(state: State) -> bool:
    return isinstance(_title(state)[0], str) and _number(_value(state, "created_at")) and _kinds(
        state, _CONVERSATION_KINDS)


def _sane_message(state: State) -> bool:
    return (_value(state, "role") in _ROLES and _value(state, "status", "complete") in _STATUSES
            and _number(_value(state, "created_at", 0)) and _kinds(state, _MESSAGE_KINDS))


def _message_states(conn: sqlite3.Connection, conv: str) -> Iterator[tuple[str, State]]:
    for uid, text in conn.execute(
        "SELECT uid, state FROM sync_entities WHERE kind = ? AND conv = ?", (MESSAGE, conv)
    ).fetchall():
        yield uid, json.loads(text)


def _apply_messages(conn: sqlite3.Connection, cid: int, conv: str, changed: set[str]) -> set[tuple[str, str]]:
    """Every merged message of the conversation, parents before children; then the versions are
    ranked by the clocks of their choices."""
    states = dict(_message_states(conn, conv))
    local = {uid: (mid, status) for mid, uid, status in conn.execute(
        "SELECT id, uid, status FROM messages WHERE conversation_id = ?", (cid,))}
    wanted: set[tuple[str, str]] = set()
    written: list[str] = []
    pending = {uid: state for uid, state in states.items()
               if not _purged(state) and "role" in state and (uid in changed or uid not in local)}
    for uid, state in states.items():
        if _purged(state) and uid in local:
            mid = local.pop(uid)[0]
            conn.execute("UPDATE messages SET parent_id = (SELECT parent_id FROM messages WHERE id = ?)"
                         " WHERE parent_id = ?", (mid, mid))
            writes._forget_messages(conn, [mid])
            conn.execute("DELETE FROM messages WHERE id = ?", (mid,))
            written.append(uid)
    progress = True
    while pending and progress:
        progress = False
        for uid in sorted(pending, key=lambda u: (_value(pending[u], "created_at") or 0, u)):
            state = pending[uid]
            if not _sane_message(state):
                del pending[uid]
                continue
            parent_uid = _value(state, "parent")
            parent_id = None
            if parent_uid is not None and not _purged(states.get(parent_uid, {})):
                if parent_uid not in local:
                    continue  # its parent has not arrived (or is still waiting itself)
                parent_id = local[parent_uid][0]
            del pending[uid]
            progress = True
            if uid in local and local[uid][1] == MessageStatus.STREAMING.value:
                continue
            local[uid] = (_write_message(conn, cid, uid, state, parent_id, local.get(uid)), "")
            wanted |= {(ref["sha256"], str(ref.get("mime") or "")) for ref in _value(state, "attachments") or []
                       if isinstance(ref, dict) and isinstance(ref.get("sha256"), str)}
            written.append(uid)
    _rank_versions(conn, cid, conv, states)
    _clean(conn, MESSAGE, written)
    return wanted


def _write_message(
    conn: sqlite3.Connection, cid: int, uid: str, state: State, parent_id: int | None,
    existing: tuple[int, str] | None,
) -> int:
    attachments = _value(state, "attachments") or []
    values = (
        _value(state, "role"), _value(state, "content", ""), _value(state, "reasoning", ""), dumps(attachments),
        dumps(_value(state, "usage")), _value(state, "status", MessageStatus.COMPLETE.value),
        dumps(_value(state, "error")), _value(state, "model"), _value(state, "reasoning_ms"),
        dumps(local_context(conn, _value(state, "context"))), dumps(_value(state, "meta") or {}),
        _value(state, "created_at", 0.0), _value(state, "updated_at", _value(state, "created_at", 0.0)),
        parent_id, _value(state, "deleted_at"),
    )
    columns = ("role, content, reasoning, attachments, usage, status, error, model, reasoning_ms, context,"
               " meta, created_at, updated_at, parent_id, deleted_at")
    if existing is None:
        cursor = conn.execute(
            f"INSERT INTO messages(conversation_id, uid, chosen, {columns})"
            f" VALUES (?, ?, 0, {', '.join('?' * len(values))})", (cid, uid, *values),
        )
        mid = int(cursor.lastrowid or 0)
    else:
        mid = existing[0]
        assignments = ", ".join(f"{name.strip()} = ?" for name in columns.split(","))
        conn.execute(f"UPDATE messages SET {assignments} WHERE id = ?", (*values, mid))
        conn.execute("DELETE FROM message_attachments WHERE message_id = ?", (mid,))
    writes._index_message(conn, mid, values[1] or "")
    writes._link_attachments(conn, mid, [a for a in attachments if isinstance(a, dict)], values[11])
    sources = [Source.from_json(s) for s in _value(state, "sources") or [] if isinstance(s, dict)]
    if sources or existing is not None:
        writes.set_sources(conn, mid, sources)
    return mid


def _rank_versions(conn: sqlite3.Connection, cid: int, conv: str, states: dict[str, State]) -> None:
    """Local ``chosen`` numbers from the clocks of the choices; the merged state keeps the rank."""
    rows = conn.execute("SELECT id, uid, chosen, status FROM messages WHERE conversation_id = ?", (cid,)).fetchall()
    synced = sorted(
        ((tuple(states[uid][CHOSEN][1:]), uid, mid) for mid, uid, _c, _s in rows
         if uid in states and CHOSEN in states[uid]),
    )
    others = sorted((chosen, mid) for mid, uid, chosen, _s in rows if uid not in states or CHOSEN not in states[uid])
    streaming = {mid for mid, _u, _c, status in rows if status == MessageStatus.STREAMING.value}
    rank = 0
    settled = []
    for _stamp, uid, mid in synced:
        rank += 1
        conn.execute("UPDATE messages SET chosen = ? WHERE id = ? AND chosen != ?", (rank, mid, rank))
        state = states[uid]
        if state[CHOSEN][0] != rank:
            state[CHOSEN][0] = rank
            save_state(conn, MESSAGE, uid, conv, state)
        if mid not in streaming:
            settled.append(uid)
    for _chosen, mid in others:
        rank += 1
        conn.execute("UPDATE messages SET chosen = ? WHERE id = ? AND chosen != ?", (rank, mid, rank))
    _clean(conn, MESSAGE, settled)


def _clean(conn: sqlite3.Connection, kind: str, uids: Iterable[str]) -> None:
    """What was just written from the merged state is not a local change."""
    conn.executemany("DELETE FROM sync_dirty WHERE kind = ? AND uid = ?", ((kind, uid) for uid in uids))


def _apply_row(conn: sqlite3.Connection, kind: str, uid: str, state: State) -> None:
    table, columns = ROW_TABLES[kind]
    if _purged(state):
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (uid,))
        _clean(conn, kind, [uid])
        return
    if "name" not in state or "created_at" not in state:
        return
    values = {name: _value(state, name, ROW_DEFAULTS.get(name)) for name in columns}
    values["updated_at"] = values["updated_at"] or values["created_at"]
    renamed = False
    clash = conn.execute(f"SELECT id FROM {table} WHERE name = ? COLLATE NOCASE AND id != ?",
                         (values["name"], uid)).fetchone()
    if clash is not None:
        # Two devices made records of the same name: the one with the smaller id keeps it, on
        # every device; the other gets a free name, which syncs as an ordinary rename.
        if uid < clash[0]:
            conn.execute(f"UPDATE {table} SET name = ? WHERE id = ?", (_free_name(conn, table, values["name"]), clash[0]))
        else:
            values["name"] = _free_name(conn, table, values["name"])
            renamed = True
    marks = ", ".join("?" * (len(columns) + 1))
    assignments = ", ".join(f"{name} = excluded.{name}" for name in columns)
    conn.execute(
        f"INSERT INTO {table}(id, {', '.join(columns)}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {assignments}",
        (uid, *values.values()),
    )
    if not renamed:
        _clean(conn, kind, [uid])


def _free_name(conn: sqlite3.Connection, table: str, name: str) -> str:
    number = 2
    while conn.execute(f"SELECT 1 FROM {table} WHERE name = ? COLLATE NOCASE", (f"{name} ({number})",)).fetchone():
        number += 1
    return f"{name} ({number})"


def _one_default_assistant(conn: sqlite3.Connection) -> None:
    """Two devices may each have made a different assistant the default: the later choice wins."""
    defaults = [row[0] for row in conn.execute("SELECT id FROM assistants WHERE is_default = 1")]
    if len(defaults) < 2:
        return

    def chosen_at(aid: str) -> tuple[int, str, str]:
        state = load_state(conn, ASSISTANT, aid) or {}
        pair = state.get("is_default") or [1, 0, ""]
        return pair[1], pair[2], aid

    keep = max(defaults, key=chosen_at)
    conn.execute("UPDATE assistants SET is_default = 0 WHERE is_default = 1 AND id != ?", (keep,))
