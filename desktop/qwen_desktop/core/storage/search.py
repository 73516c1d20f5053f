"""Full-text search over conversation titles, message text and the web sources of replies."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qwen_desktop.core.storage import recent_index
from qwen_desktop.core.storage.models import SearchHit
from qwen_desktop.core.storage.text import locate, match_expression, snippet

_MESSAGES = """
    SELECT f.rowid, m.conversation_id, c.title, c.updated_at, m.content
    FROM {index} AS f
    JOIN messages AS m ON m.id = f.rowid
    JOIN conversations AS c ON c.id = m.conversation_id
    WHERE {index} MATCH ? AND c.deleted_at IS NULL AND m.deleted_at IS NULL
    ORDER BY f.rowid DESC
    LIMIT ?
"""
_SOURCES = """
    SELECT f.rowid, m.conversation_id, c.title, c.updated_at,
        (SELECT group_concat(s.title || ' ' || s.site_name || ' ' || s.url, ' · ')
         FROM message_sources AS s WHERE s.message_id = f.rowid)
    FROM source_fts AS f
    JOIN messages AS m ON m.id = f.rowid
    JOIN conversations AS c ON c.id = m.conversation_id
    WHERE source_fts MATCH ? AND c.deleted_at IS NULL AND m.deleted_at IS NULL
    ORDER BY f.rowid DESC
    LIMIT ?
"""
_TITLES = """
    SELECT c.id, c.title, c.updated_at
    FROM title_fts AS t
    JOIN conversations AS c ON c.id = t.rowid
    WHERE title_fts MATCH ? AND c.deleted_at IS NULL
    ORDER BY t.rowid DESC
    LIMIT ?
"""


@dataclass(frozen=True)
class _Ranked:
    updated_at: float
    hit: SearchHit

    def key(self) -> tuple[float, int, int, int]:
        message = self.hit.message_id
        return (-self.updated_at, -self.hit.conversation_id, message is not None, message or 0)


def _hit(query: str, cid: int, mid: int | None, title: str, text: str) -> SearchHit:
    text_snippet, start, end = snippet(text, locate(text, query))
    return SearchHit(cid, mid, title, text_snippet, start, end)


def _newest_messages(conn: sqlite3.Connection, expression: str, limit: int) -> list[tuple[Any, ...]]:
    """The newest ``limit`` matching messages: from the recent index when it has that many."""
    found = conn.execute(_MESSAGES.format(index=recent_index.TABLE), (expression, limit)).fetchall()
    if len(found) >= limit:
        return found
    return conn.execute(_MESSAGES.format(index="message_fts"), (expression, limit)).fetchall()


class SearchCancelled(Exception):
    """A newer query replaced this one while it ran."""


def search(
    conn: sqlite3.Connection, query: str, limit: int, cancelled: Callable[[], bool] | None = None
) -> list[SearchHit]:
    """Hits in the most recently active conversations first: the title, then messages in order.

    Messages are taken newest first from the index (``limit`` of them), which keeps common
    words fast on large histories; the page is then ordered by conversation.
    """
    expression = match_expression(query)
    if expression is None or limit <= 0:
        return []
    stop = cancelled or (lambda: False)
    if cancelled is not None:
        conn.set_progress_handler(lambda: int(stop()), 2000)
    try:
        titles = conn.execute(_TITLES, (expression, limit)).fetchall()
        messages = _newest_messages(conn, expression, limit)
        sourced = conn.execute(_SOURCES, (expression, limit)).fetchall()
    except sqlite3.OperationalError as exc:
        if stop():
            raise SearchCancelled() from None
        if "fts5" in str(exc):
            return []
        raise
    finally:
        if cancelled is not None:
            conn.set_progress_handler(None, 0)
    ranked = [_Ranked(updated, _hit(query, cid, None, title, title)) for cid, title, updated in titles]
    for mid, cid, title, updated, content in messages:
        if stop():
            raise SearchCancelled()
        ranked.append(_Ranked(updated, _hit(query, cid, mid, title, content)))
    matched = {mid for mid, *_ in messages}
    ranked += [
        _Ranked(updated, _hit(query, cid, mid, title, text or ""))
        for mid, cid, title, updated, text in sourced if mid not in matched
    ]
    ranked.sort(key=_Ranked.key)
    return [r.hit for r in ranked[:limit]]
