"""Local changes as field updates, and the deterministic merge of every device's updates.

Every synced record (a conversation ``c`` or a message ``m``) has a stable ``uid`` and a state:
for each field, its value and the clock ``[hlc, device]`` of the update that set it. Merging keeps,
per field, the update with the highest clock (last writer wins; the device id breaks ties). That
merge is commutative, associative and idempotent, so every device reaches the same state whatever
order files arrive in, however often it reads one, and a snapshot (the merge of many updates) can
stand for them. ``purged`` (deleted forever) is final: once merged, no later update brings the
record back.

A message's place among its versions is the clock of its ``chosen`` field: choosing a version
gives it a newer clock, and the local ``chosen`` numbers are re-ranked from those clocks after every
merge, so every device shows the same path.

These functions run on the store's writer thread, inside one transaction each.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..storage import writes
from ..storage.rows import dumps
from ..types import MessageStatus, Role, Source

CONVERSATION, MESSAGE, ASSISTANT, PROMPT, SETTINGS = "c", "m", "a", "p", "s"
SETTINGS_UID = "settings"
PURGED = "purged"
CHOSEN = "chosen"
CONVERSATION_FIELDS = ("title", "pinned", "created_at", "updated_at", "deleted_at")
SETTING = "settings."
"""Each conversation setting is a field of its own (``settings.model``, ``settings.thinking`` …), so
a model chosen on one computer and thinking turned on on another both stay."""
"""``title`` is ``[text, named by the user]``: a title the user gave beats an automatic one made
at the same time elsewhere, whatever their clocks."""
MESSAGE_FIELDS = (
    "role", "content", "reasoning", "attachments", "usage", "status", "error", "model", "reasoning_ms",
    "context", "meta", "sources", "created_at", "updated_at", "parent", "deleted_at", CHOSEN,
)
ROW_TABLES = {
    ASSISTANT: ("assistants", ("name", "icon", "colour", "settings", "starter", "is_default", "position",
                               "created_at", "updated_at")),
    PROMPT: ("prompts", ("name", "body", "starter", "position", "created_at", "updated_at")),
}
"""Records kept whole in one row with a text id that is the same on every device (starters are
named ``starter-<key>`` everywhere)."""
ROW_DEFAULTS = {"icon": "", "colour": "", "settings": "{}", "body": "", "is_default": 0, "position": 0}
ROAMING_SETTINGS = (
    "default_region", "default_protocol", "default_model", "default_thinking", "default_thinking_budget",
    "default_context_policy", "default_context_params", "default_search", "send_with", "custom_regions",
    "read_timeout_s", "trash_days", "idle_timeout_s", "total_timeout_s",
)
"""Settings that follow the user; appearance (theme, language, font size, tray) stays per computer."""
_ROW_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
_FIELDS = {
    CONVERSATION: CONVERSATION_FIELDS, MESSAGE: MESSAGE_FIELDS, SETTINGS: ROAMING_SETTINGS,
    **{kind: columns for kind, (_table, columns) in ROW_TABLES.items()},
}
State = dict[str, list[Any]]
"""field -> [value, hlc, device]"""


@dataclass
class Update:
    """Fields of one record with their clocks, as written in change files and snapshots."""

    kind: str
    uid: str
    conv: str | None
    fields: dict[str, list[Any]]
    """field -> [value, hlc]"""

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"k": self.kind, "u": self.uid, "f": self.fields}
        if self.conv:
            record["c"] = self.conv
        return record

    @classmethod
    def from_json(cls, data: Any) -> Update:
        """Raises ValueError for anything that is not an update."""
        if not isinstance(data, dict) or data.get("k") not in _FIELDS:
            raise ValueError("not an update")
        kind, uid, conv, fields_ = data["k"], data.get("u"), data.get("c"), data.get("f")
        if kind in ROW_TABLES:
            known = isinstance(uid, str) and _ROW_ID.fullmatch(uid) is not None
        else:
            known = uid == SETTINGS_UID if kind == SETTINGS else _is_uid(uid)
        if not known or (conv is not None and not _is_uid(conv)) or not isinstance(fields_, dict):
            raise ValueError("not an update")
        if kind == MESSAGE and conv is None:
            raise ValueError("a message without its conversation")
        allowed = _FIELDS[kind] + (PURGED,)
        for name, pair in fields_.items():
            setting = kind == CONVERSATION and name.startswith(SETTING) and 0 < len(name) - len(SETTING) <= 64
            if (name not in allowed and not setting) or not isinstance(pair, list) or len(pair) != 2:
                raise ValueError("not an update")
            if not isinstance(pair[1], int) or isinstance(pair[1], bool) or pair[1] < 0:
                raise ValueError("not an update")
        return cls(data["k"], uid, conv, fields_)


def _is_uid(value: Any) -> bool:
    return isinstance(value, str) and 8 <= len(value) <= 64 and value.isalnum() and value.isascii()


class Clock:
    """A hybrid logical clock: milliseconds since the epoch shifted left 16 bits, plus a counter.

    It never goes back, moves past every clock it has seen, and stays close to wall time, so the
    last writer is usually the one that wrote last (Kulkarni et al., "Logical Physical Clocks",
    2014).
    """

    def __init__(self, last: int, wall: Callable[[], float]) -> None:
        self.last = last
        self._wall = wall

    def tick(self) -> int:
        self.last = max(int(self._wall() * 1000) << 16, self.last + 1)
        return self.last

    def see(self, stamp: int) -> None:
        self.last = max(self.last, stamp)


# ---- reading and writing the sync tables


def meta(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM sync_meta WHERE key = ?", (key,)).fetchone()
    return default if row is None else str(row[0])


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_meta(key, value) VALUES (?, ?)", (key, value))


def load_state(conn: sqlite3.Connection, kind: str, uid: str) -> State | None:
    row = conn.execute("SELECT state FROM sync_entities WHERE kind = ? AND uid = ?", (kind, uid)).fetchone()
    return None if row is None else json.loads(row[0])


def save_state(conn: sqlite3.Connection, kind: str, uid: str, conv: str | None, state: State) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO sync_entities(kind, uid, conv, state) VALUES (?, ?, ?, ?)",
        (kind, uid, conv, dumps(state)),
    )


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


# ---- local rows as fields


def _conversation_fields(row: tuple[Any, ...]) -> dict[str, Any]:
    title, locked, pinned, settings, created, updated, deleted = row
    flat = {f"{SETTING}{key}": value for key, value in (_loads(settings) or {}).items()}
    return {"title": [title, bool(locked)], "pinned": bool(pinned), **flat,
            "created_at": created, "updated_at": updated, "deleted_at": deleted}


_CONVERSATION_SELECT = "title, title_locked, pinned, settings, created_at, updated_at, deleted_at"
_MESSAGE_SELECT = (
    "m.id, m.uid, c.uid, m.role, m.content, m.reasoning, m.attachments, m.usage, m.status, m.error, m.model,"
    " m.reasoning_ms, m.context, m.meta, m.created_at, m.updated_at, p.uid, m.deleted_at, m.chosen"
)


def _sources(conn: sqlite3.Connection, mid: int) -> list[dict[str, Any]]:
    return [{"number": n, "title": t, "url": u, "site_name": s} for n, t, u, s in conn.execute(
        "SELECT number, title, url, site_name FROM message_sources WHERE message_id = ? ORDER BY position",
        (mid,),
    )]


def _uids_of(conn: sqlite3.Connection, mids: Iterable[Any]) -> list[str]:
    found = []
    for mid in mids:
        row = conn.execute("SELECT uid FROM messages WHERE id = ?", (mid,)).fetchone() if isinstance(
            mid, int) and not isinstance(mid, bool) else None
        if row is not None and row[0]:
            found.append(row[0])
    return found


def _ids_of(conn: sqlite3.Connection, uids: Iterable[Any]) -> list[int]:
    found = []
    for uid in uids:
        row = conn.execute("SELECT id FROM messages WHERE uid = ?", (uid,)).fetchone() if isinstance(
            uid, str) else None
        if row is not None:
            found.append(int(row[0]))
    return found


def _portable_context(conn: sqlite3.Connection, context: Any) -> Any:
    """The context record names messages by local id; in sync they are named by uid."""
    if isinstance(context, dict) and isinstance(context.get("message_ids"), list):
        return {**context, "message_ids": _uids_of(conn, context["message_ids"])}
    return context


def _local_context(conn: sqlite3.Connection, context: Any) -> Any:
    if isinstance(context, dict) and isinstance(context.get("message_ids"), list):
        return {**context, "message_ids": _ids_of(conn, context["message_ids"])}
    return context


def _message_fields(conn: sqlite3.Connection, row: tuple[Any, ...]) -> dict[str, Any]:
    (mid, _uid, _conv, role, content, reasoning, attachments, usage, status, error, model, reasoning_ms,
     context, meta_, created, updated, parent, deleted, chosen) = row
    return {
        "role": role, "content": content, "reasoning": reasoning, "attachments": _loads(attachments) or [],
        "usage": _loads(usage), "status": status, "error": _loads(error), "model": model,
        "reasoning_ms": reasoning_ms, "context": _portable_context(conn, _loads(context)),
        "meta": _loads(meta_) or {}, "sources": _sources(conn, mid), "created_at": created,
        "updated_at": updated, "parent": parent, "deleted_at": deleted, CHOSEN: chosen,
    }


# ---- capture: local changes become updates


def capture(conn: sqlite3.Connection, clock: Clock) -> list[Update]:
    """Turn every record marked changed into updates of the fields that differ from the merged
    state, merge them into it, and queue them in the outbox. Streaming replies wait until done."""
    dirty = conn.execute("SELECT kind, uid FROM sync_dirty").fetchall()
    if not dirty:
        return []
    updates: list[Update] = []
    done: list[tuple[str, str]] = []
    for kind, uid in dirty:
        if kind != CONVERSATION:
            continue
        done.append((kind, uid))
        row = conn.execute(f"SELECT {_CONVERSATION_SELECT} FROM conversations WHERE uid = ?", (uid,)).fetchone()
        current = {PURGED: True} if row is None else _conversation_fields(row)
        update = _record_change(conn, clock, CONVERSATION, uid, None, current)
        if update:
            updates.append(update)
    for kind, uid in dirty:
        if kind not in ROW_TABLES:
            continue
        done.append((kind, uid))
        table, columns = ROW_TABLES[kind]
        row = conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = ?", (uid,)).fetchone()
        update = _record_change(conn, clock, kind, uid, None, {PURGED: True} if row is None else dict(zip(columns, row)))
        if update:
            updates.append(update)
    message_uids = [uid for kind, uid in dirty if kind == MESSAGE]
    rows = []
    for uid in message_uids:
        row = conn.execute(
            f"SELECT {_MESSAGE_SELECT} FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id"
            " LEFT JOIN messages AS p ON p.id = m.parent_id WHERE m.uid = ?", (uid,)
        ).fetchone()
        if row is None:
            done.append((MESSAGE, uid))
            state = load_state(conn, MESSAGE, uid)
            if state is not None:
                conv = conn.execute("SELECT conv FROM sync_entities WHERE kind = ? AND uid = ?",
                                    (MESSAGE, uid)).fetchone()[0]
                update = _record_change(conn, clock, MESSAGE, uid, conv, {PURGED: True})
                if update:
                    updates.append(update)
        elif row[8] != MessageStatus.STREAMING.value:
            rows.append(row)
            done.append((MESSAGE, uid))
    # Oldest choice first, so that the clocks of ``chosen`` keep the order of the local numbers.
    for row in sorted(rows, key=lambda r: (r[18], r[0])):
        update = _record_change(conn, clock, MESSAGE, row[1], row[2], _message_fields(conn, row))
        if update:
            updates.append(update)
    conn.executemany("DELETE FROM sync_dirty WHERE kind = ? AND uid = ?", done)
    queue(conn, updates)
    return updates


def queue(conn: sqlite3.Connection, updates: Iterable[Update]) -> None:
    conn.executemany("INSERT INTO sync_outbox(body) VALUES (?)", ((dumps(u.to_json()),) for u in updates))


def republish(conn: sqlite3.Connection) -> None:
    """Queue the whole merged state, each field with its own clock, for a location that lacks it."""
    rows = conn.execute("SELECT kind, uid, conv, state FROM sync_entities ORDER BY kind = 'm', kind, uid")
    for kind, uid, conv, text in rows.fetchall():
        state = json.loads(text)
        queue(conn, [Update(kind, uid, conv, {name: [pair[0], pair[1]] for name, pair in state.items()})])


def capture_settings(conn: sqlite3.Connection, clock: Clock, current: dict[str, Any],
                     defaults: dict[str, Any]) -> None:
    """The roaming settings as they are in config.json now. A setting never changed here and
    still at its default is not news: a newly set up computer must not reset the others."""
    state = load_state(conn, SETTINGS, SETTINGS_UID) or {}
    news = {name: value for name, value in current.items()
            if name in ROAMING_SETTINGS and (name in state or value != defaults.get(name))}
    update = _record_change(conn, clock, SETTINGS, SETTINGS_UID, None, news)
    if update:
        queue(conn, [update])


def roaming_settings(conn: sqlite3.Connection) -> dict[str, Any]:
    state = load_state(conn, SETTINGS, SETTINGS_UID) or {}
    return {name: pair[0] for name, pair in state.items() if name in ROAMING_SETTINGS}


def _record_change(
    conn: sqlite3.Connection, clock: Clock, kind: str, uid: str, conv: str | None, current: dict[str, Any]
) -> Update | None:
    state = load_state(conn, kind, uid) or {}
    if PURGED in state and state[PURGED][0]:
        return None
    if kind == CONVERSATION and PURGED not in current:
        # A setting the conversation no longer has (an assistant detached) is set to None.
        current = {**{name: None for name in state if name.startswith(SETTING)}, **current}
    changed = {name: value for name, value in current.items() if name not in state or state[name][0] != value}
    if not changed:
        return None
    device = meta(conn, "device")
    fields_: dict[str, list[Any]] = {}
    stamp = clock.tick()
    for name, value in changed.items():
        state[name] = [value, stamp, device]
        fields_[name] = [value, stamp]
    save_state(conn, kind, uid, conv, _forgotten(state))
    return Update(kind, uid, conv, fields_)


def _forgotten(state: State) -> State:
    """A record deleted forever keeps only that fact: its text is not kept for sync either."""
    purged = state.get(PURGED)
    return {PURGED: purged} if purged and purged[0] else state


# ---- merge: updates from other devices


@dataclass
class Merged:
    conversations: set[str] = field(default_factory=set)
    messages: set[str] = field(default_factory=set)
    rows: set[tuple[str, str]] = field(default_factory=set)
    settings: bool = False

    def add(self, kind: str, uid: str) -> None:
        if kind == CONVERSATION:
            self.conversations.add(uid)
        elif kind == MESSAGE:
            self.messages.add(uid)
        elif kind == SETTINGS:
            self.settings = True
        else:
            self.rows.add((kind, uid))


def rank(name: str, value: Any, stamp: int, device: str) -> tuple[bool, int, str]:
    """The order in which updates of one field win: the clock, except that a title the user gave
    comes before any automatic one."""
    named = name == "title" and isinstance(value, list) and len(value) == 2 and value[1] is True
    return named, stamp, device


def merge(conn: sqlite3.Connection, updates: Iterable[Update], device: str, clock: Clock) -> Merged:
    """Fold another device's updates into the merged state; returns the records that changed."""
    merged = Merged()
    for update in updates:
        state = load_state(conn, update.kind, update.uid) or {}
        changed = False
        for name, (value, stamp) in update.fields.items():
            clock.see(stamp)
            old = state.get(name)
            if old is None or rank(name, value, stamp, device) > rank(name, *old):
                state[name] = [value, stamp, device]
                changed = True
        if changed:
            save_state(conn, update.kind, update.uid, update.conv, _forgotten(state))
            merged.add(update.kind, update.uid)
    return merged


def join(updates: Iterable[tuple[Update, str]]) -> list[Update]:
    """The merge of one device's updates, as few updates: what a snapshot holds."""
    states: dict[tuple[str, str], tuple[str | None, dict[str, list[Any]]]] = {}
    for update, _device in updates:
        conv, fields_ = states.setdefault((update.kind, update.uid), (update.conv, {}))
        for name, (value, stamp) in update.fields.items():
            if name not in fields_ or rank(name, value, stamp, "") > rank(name, *fields_[name], ""):
                fields_[name] = [value, stamp]
    return [Update(kind, uid, conv, _forgotten(fields_))  # type: ignore[arg-type]
            for (kind, uid), (conv, fields_) in states.items()]


# ---- applying the merged state to the local tables


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


def _sane_conversation(state: State) -> bool:
    return (isinstance(_title(state)[0], str)
            and _number(_value(state, "created_at")))


def _sane_message(state: State) -> bool:
    return (_value(state, "role") in _ROLES and _value(state, "status", "complete") in _STATUSES
            and isinstance(_value(state, "content", ""), str) and isinstance(_value(state, "reasoning", ""), str)
            and isinstance(_value(state, "attachments", []), list) and _number(_value(state, "created_at", 0)))


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
        dumps(_local_context(conn, _value(state, "context"))), dumps(_value(state, "meta") or {}),
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
