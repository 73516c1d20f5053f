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

CREATE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2')",
    "CREATE TABLE search_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
)


def floor(conn: sqlite3.Connection) -> int:
    """The lowest message id the recent index covers."""
    row = conn.execute("SELECT value FROM search_state WHERE key = ?", (_FLOOR,)).fetchone()
    return int(row[0]) if row else 0


def _set_floor(conn: sqlite3.Connection, value: int) -> None:
    conn.execute("INSERT OR REPLACE INTO search_state(key, value) VALUES (?, ?)", (_FLOOR, value))


def index(conn: sqlite3.Connection, mid: int, body: str) -> None:
    """Keep message ``mid``'s indexed text (``body``, already segmented; empty for none) in step."""
    lowest = floor(conn)
    if mid < lowest:
        return
    conn.execute(f"DELETE FROM {TABLE} WHERE rowid = ?", (mid,))
    if body:
        conn.execute(f"INSERT INTO {TABLE}(rowid, body) VALUES (?, ?)", (mid, body))
    if mid - lowest >= RECENT_MESSAGES + TRIM_STEP:
        trim(conn, mid - RECENT_MESSAGES)


def forget(conn: sqlite3.Connection, mids: Iterable[int]) -> None:
    conn.executemany(f"DELETE FROM {TABLE} WHERE rowid = ?", [(mid,) for mid in mids])


def trim(conn: sqlite3.Connection, new_floor: int) -> None:
    conn.execute(f"DELETE FROM {TABLE} WHERE rowid < ?", (new_floor,))
    _set_floor(conn, new_floor)


def rebuild(conn: sqlite3.Connection) -> None:
    """Fill the recent index from the whole one: its newest RECENT_MESSAGES rows."""
    row = conn.execute(
        "SELECT rowid FROM message_fts ORDER BY rowid DESC LIMIT 1 OFFSET ?", (RECENT_MESSAGES - 1,)
    ).fetchone()
    lowest = int(row[0]) if row else 0
    conn.execute(f"DELETE FROM {TABLE}")
    conn.execute(f"INSERT INTO {TABLE}(rowid, body) SELECT rowid, body FROM message_fts WHERE rowid >= ?", (lowest,))
    _set_floor(conn, lowest)
