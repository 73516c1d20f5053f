"""Model lists and learned model facts, kept in the conversation database.

Reads use the store's per-thread reader connection; writes go through its single writer thread.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TypeVar

from ..storage import Store

T = TypeVar("T")


@dataclass(frozen=True)
class ModelList:
    """What one region listed, when, and why the last fetch failed (if it did)."""

    region_id: str
    models: tuple[str, ...]
    fetched_at: float | None
    error: str | None = None
    error_at: float | None = None


@dataclass(frozen=True)
class StoredFact:
    region_id: str
    model: str
    kind: str
    value: str
    learned_at: float


class ModelTables:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _read(self, job: Callable[[sqlite3.Connection], T]) -> T:
        with self.store._read() as conn:
            return job(conn)

    def model_list(self, region_id: str) -> ModelList | None:
        row = self._read(lambda c: c.execute(
            "SELECT models, fetched_at, error, error_at FROM model_lists WHERE region_id = ?",
            (region_id,),
        ).fetchone())
        if row is None:
            return None
        models = json.loads(row[0] or "[]")
        return ModelList(region_id, tuple(str(m) for m in models), row[1], row[2], row[3])

    def save_list(self, region_id: str, models: list[str], now: float) -> Future[None]:
        def job(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO model_lists(region_id, models, fetched_at, error, error_at)"
                " VALUES (?, ?, ?, NULL, NULL) ON CONFLICT(region_id) DO UPDATE SET"
                " models = excluded.models, fetched_at = excluded.fetched_at, error = NULL, error_at = NULL",
                (region_id, json.dumps(models), now),
            )

        return self.store.run_write(job)

    def save_failure(self, region_id: str, error: str, now: float) -> Future[None]:
        """Keeps the last good list; records why this fetch failed."""

        def job(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO model_lists(region_id, error, error_at) VALUES (?, ?, ?)"
                " ON CONFLICT(region_id) DO UPDATE SET error = excluded.error, error_at = excluded.error_at",
                (region_id, error, now),
            )

        return self.store.run_write(job)

    def facts(self) -> list[StoredFact]:
        rows = self._read(lambda c: c.execute(
            "SELECT region_id, model, kind, value, learned_at FROM model_facts ORDER BY learned_at"
        ).fetchall())
        return [StoredFact(*row) for row in rows]

    def save_fact(self, fact: StoredFact) -> Future[None]:
        def job(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT OR REPLACE INTO model_facts(region_id, model, kind, value, learned_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (fact.region_id, fact.model, fact.kind, fact.value, fact.learned_at),
            )

        return self.store.run_write(job)

    def forget(self, region_id: str, model: str) -> Future[None]:
        return self.store.run_write(lambda conn: conn.execute(
            "DELETE FROM model_facts WHERE region_id = ? AND model = ?", (region_id, model)
        ))
