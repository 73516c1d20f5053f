"""The newest messages in a second, small full-text index, asked first.

FTS5 (SQLite 3.40, as bundled) answers a prefix query such as ``"rend"*`` by merging the whole
doclist of every term with that prefix before it returns a row: 50–70 ms for a common word in
1,000,000 messages, with LIMIT 50 and even with a rowid bound, where the exact term is read
lazily in 0.2 ms. Search shows the newest hits first, so it asks this index of the newest
``RECENT_MESSAGES`` messages first: every indexed message from the floor up is in it, so when it
has ``limit`` hits those are the newest of all; otherwise the whole index is asked, where a prefix
that is rare among the newest messages is cheap to merge.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

RECENT_MESSAGES = 20_000
TRIM_STEP = 1_000
"""Once the newest message id is this far past RECENT_MESSAGES above the floor, the oldest
TRIM_STEP ids leave the index in one go (a few ms on the writer thread, once per TRIM_STEP
messages)."""

TABLE = "recent_message_fts"
_FLOOR = "recent_floor"
_SETTINGS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2'"

CREATE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(body, {_SETTINGS})",
    "CREATE TABLE search_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
)
"""Schema 13: the first form, which kept its own copy of the text."""

EXTERNAL = (
    f"DROP TABLE {TABLE}",
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(c0, content = 'message_fts_content', content_rowid = 'id', {_SETTINGS})",
)
"""Schema 14: the index only, reading its text from the whole index's own content table (FTS5's
``<name>_content(id, c0)``): a second copy of every recent message doubled the space a long reply
takes while it is indexed (the full-disk test ran out of room). An external-content table must be
told what it removes while the text is still there: ``index`` and ``forget`` run before the whole
index changes."""


def floor(conn: sqlite3.Connection) -> int:
    """The lowest message id the recent index covers."""
    row = conn.execute("SELECT value FROM search_state WHERE key = ?", (_FLOOR,)).fetchone()
    return int(row[0]) if row else 0


def _set_floor(conn: sqlite3.Connection, value: int) -> None:
    conn.execute("INSERT OR REPLACE INTO search_state(key, value) VALUES (?, ?)", (_FLOOR, value))


def index(conn: sqlite3.Connection, mid: int, body: str) -> None:
    """Before the whole index changes: drop ``mid``'s old text (still in the whole index)."""
    if mid >= floor(conn):
        conn.execute(f"DELETE FROM {TABLE} WHERE rowid = ?", (mid,))


def indexed(conn: sqlite3.Connection, mid: int, body: str) -> None:
    """After the whole index has ``body`` (segmented; empty for none) for message ``mid``."""
    lowest = floor(conn)
    if mid < lowest:
        return
    if body:
        conn.execute(f"INSERT INTO {TABLE}(rowid, c0) VALUES (?, ?)", (mid, body))
    if mid - lowest >= RECENT_MESSAGES + TRIM_STEP:
        trim(conn, mid - RECENT_MESSAGES)


def forget(conn: sqlite3.Connection, mids: Iterable[int]) -> None:
    """Before the whole index forgets these messages."""
    conn.executemany(f"DELETE FROM {TABLE} WHERE rowid = ?", [(mid,) for mid in mids])


def trim(conn: sqlite3.Connection, new_floor: int) -> None:
    """Only rows from the old floor up are in the index (a row of the content table below it was
    never added, and removing it would damage the index)."""
    conn.execute(f"DELETE FROM {TABLE} WHERE rowid >= ? AND rowid < ?", (floor(conn), new_floor))
    _set_floor(conn, new_floor)


def rebuild(conn: sqlite3.Connection) -> None:
    """Fill the recent index from the whole one: its newest RECENT_MESSAGES rows."""
    row = conn.execute(
        "SELECT rowid FROM message_fts ORDER BY rowid DESC LIMIT 1 OFFSET ?", (RECENT_MESSAGES - 1,)
    ).fetchone()
    lowest = int(row[0]) if row else 0
    conn.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")
    conn.execute(f"INSERT INTO {TABLE}(rowid, c0) SELECT id, c0 FROM message_fts_content WHERE id >= ?", (lowest,))
    _set_floor(conn, lowest)
