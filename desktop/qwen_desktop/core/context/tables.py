"""Summaries and round vectors, kept in the conversation database beside the messages.

Reads use the store's per-thread reader connection; writes go through its single writer
thread, like every other change to the file.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from ..storage import Store

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")


class SummaryStatus(StrEnum):
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class SummaryRecord:
    id: int
    conversation_id: int
    first_message_id: int
    last_message_id: int
    text: str
    model: str
    created_at: float
    edited: bool
    status: SummaryStatus


@dataclass(frozen=True)
class RoundVectors:
    """Unit-length float32 rows, one per embedded round, keyed by the round's first message id."""

    round_ids: np.ndarray
    last_ids: np.ndarray
    matrix: np.ndarray

    @classmethod
    def empty(cls, dim: int = 0) -> RoundVectors:
        import numpy as np

        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, np.zeros((0, dim), dtype=np.float32))


_SUMMARY_COLUMNS = (
    "id, conversation_id, first_message_id, last_message_id, text, model, created_at, edited, status"
)


def _summary(row: tuple[Any, ...]) -> SummaryRecord:
    sid, cid, first, last, text, model, created, edited, status = row
    return SummaryRecord(sid, cid, first, last, text, model, created, bool(edited), SummaryStatus(status))


async def done(future: Future[T]) -> T:
    return await asyncio.wrap_future(future)


class ContextTables:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _read(self, job: Callable[[sqlite3.Connection], T]) -> T:
        with self.store._read() as conn:
            return job(conn)

    def _write(self, job: Callable[[sqlite3.Connection], T]) -> Future[T]:
        return self.store._writer.submit(job)

    # ---- summaries

    def summaries(self, cid: int) -> list[SummaryRecord]:
        rows = self._read(lambda c: c.execute(
            f"SELECT {_SUMMARY_COLUMNS} FROM context_summaries WHERE conversation_id = ? ORDER BY id",
            (cid,),
        ).fetchall())
        return [_summary(row) for row in rows]

    def latest_summary(self, cid: int) -> SummaryRecord | None:
        row = self._read(lambda c: c.execute(
            f"SELECT {_SUMMARY_COLUMNS} FROM context_summaries"
            " WHERE conversation_id = ? AND status = 'ready' ORDER BY id DESC LIMIT 1",
            (cid,),
        ).fetchone())
        return None if row is None else _summary(row)

    def summary(self, sid: int) -> SummaryRecord | None:
        row = self._read(lambda c: c.execute(
            f"SELECT {_SUMMARY_COLUMNS} FROM context_summaries WHERE id = ?", (sid,)
        ).fetchone())
        return None if row is None else _summary(row)

    def add_summary(
        self, cid: int, first: int, last: int, text: str, model: str, now: float,
        status: SummaryStatus = SummaryStatus.READY,
    ) -> Future[int]:
        def job(conn: sqlite3.Connection) -> int:
            cursor = conn.execute(
                "INSERT INTO context_summaries(conversation_id, first_message_id, last_message_id,"
                " text, model, created_at, edited, status) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                (cid, first, last, text, model, now, status.value),
            )
            return int(cursor.lastrowid or 0)

        return self._write(job)

    def edit_summary(self, sid: int, text: str) -> Future[None]:
        def job(conn: sqlite3.Connection) -> None:
            conn.execute("UPDATE context_summaries SET text = ?, edited = 1 WHERE id = ?", (text, sid))

        return self._write(job)

    # ---- vectors

    def embedded_rounds(self, cid: int, model: str, dim: int) -> dict[int, int]:
        """Round id -> last message id covered, for the rounds embedded with ``model`` at ``dim``."""
        rows = self._read(lambda c: c.execute(
            "SELECT round_id, last_message_id FROM context_vectors"
            " WHERE conversation_id = ? AND model = ? AND dim = ?",
            (cid, model, dim),
        ).fetchall())
        return {int(r): int(last) for r, last in rows}

    def vectors(self, cid: int, model: str, dim: int) -> RoundVectors:
        rows = self._read(lambda c: c.execute(
            "SELECT round_id, last_message_id, vector FROM context_vectors"
            " WHERE conversation_id = ? AND model = ? AND dim = ? ORDER BY round_id",
            (cid, model, dim),
        ).fetchall())
        if not rows:
            return RoundVectors.empty(dim)
        import numpy as np

        ids = np.fromiter((r for r, _, _ in rows), dtype=np.int64, count=len(rows))
        last = np.fromiter((x for _, x, _ in rows), dtype=np.int64, count=len(rows))
        matrix = np.frombuffer(b"".join(blob for _, _, blob in rows), dtype=np.float32)
        return RoundVectors(ids, last, matrix.reshape(len(rows), dim))

    def put_vectors(
        self, cid: int, model: str, rows: Sequence[tuple[int, int, np.ndarray]],
    ) -> Future[None]:
        """``rows``: (round id, last message id, unit vector)."""
        payload = [
            (rid, last, cid, int(v.shape[0]), v.astype("float32").tobytes(), model)
            for rid, last, v in rows
        ]

        def job(conn: sqlite3.Connection) -> None:
            conn.executemany(
                "INSERT OR REPLACE INTO context_vectors(round_id, last_message_id, conversation_id,"
                " dim, vector, model) VALUES (?, ?, ?, ?, ?, ?)",
                payload,
            )

        return self._write(job)
