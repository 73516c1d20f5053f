"""Local changes as field updates, and the deterministic merge of every device's updates.

Every synced record (a conversation ``c``, a message ``m``, an assistant ``a``, a saved prompt
``p``, the roaming settings ``s``) has a stable ``uid`` and a state: for each field, its value and
the clock ``[hlc, device]`` of the update that set it. Merging keeps, per field, the update with
the highest clock (last writer wins; the device id breaks ties; a title the user gave ranks above
an automatic one). That
merge is commutative, associative and idempotent, so every device reaches the same state whatever
order files arrive in, however often it reads one, and a snapshot (the merge of many updates) can
stand for them. ``purged`` (deleted forever) is final: once merged, no later update brings the
record back.

A message's place among its versions is the clock of its ``chosen`` field: choosing a version
gives it a newer clock, and the local ``chosen`` numbers are re-ranked from those clocks after every
merge, so every device shows the same path.

These functions run on the store's writer thread, inside one transaction each; ``apply.py``
writes the merged state into the local tables.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..storage.rows import dumps
from ..types import MessageStatus

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
    def from_json(cls, data: Any) -> Update | None:
        """Raises ValueError for anything that is not an update. A kind of record or a field this
        version does not know (a newer version wrote it) is left out: None, or the update without
        that field, so the rest of the file still counts."""
        if not isinstance(data, dict) or not isinstance(data.get("k"), str):
            raise ValueError("not an update")
        kind, uid, conv, fields_ = data["k"], data.get("u"), data.get("c"), data.get("f")
        if not isinstance(fields_, dict) or (conv is not None and not _is_uid(conv)):
            raise ValueError("not an update")
        if kind not in _FIELDS:
            return None
        if kind in ROW_TABLES:
            known = isinstance(uid, str) and _ROW_ID.fullmatch(uid) is not None
        else:
            known = uid == SETTINGS_UID if kind == SETTINGS else _is_uid(uid)
        if not known:
            raise ValueError("not an update")
        if kind == MESSAGE and conv is None:
            raise ValueError("a message without its conversation")
        allowed = _FIELDS[kind] + (PURGED,)
        kept = {}
        for name, pair in fields_.items():
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError("not an update")
            if not isinstance(pair[1], int) or isinstance(pair[1], bool) or pair[1] < 0:
                raise ValueError("not an update")
            setting = kind == CONVERSATION and name.startswith(SETTING) and 0 < len(name) - len(SETTING) <= 64
            if name in allowed or setting:
                kept[name] = pair
        return cls(kind, uid, conv, kept)


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


def local_context(conn: sqlite3.Connection, context: Any) -> Any:
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
