"""Searching on a worker thread: the newest query wins, older ones are stopped where they are."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from qwen_desktop.core.errors import QwenError
from qwen_desktop.core.storage import SearchCancelled, SearchHit

log = logging.getLogger(__name__)


class CancellableSearch(Protocol):
    def search(self, query: str, limit: int = 50, **options: Any) -> list[SearchHit]: ...


class Searcher(QObject):
    """``found`` carries the query and its hits, only for the newest query asked for.

    One worker thread runs the queries in order; a query replaced by a newer one is stopped
    (SQLite's progress handler and the snippet loop both poll for it), so typing never queues up
    slow searches and the Qt thread never waits for one.
    """

    found = Signal(str, list)

    def __init__(self, store: CancellableSearch, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._lock = threading.Lock()
        self._generation = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sidebar-search")

    def request(self, query: str) -> None:
        with self._lock:
            self._generation += 1
            generation = self._generation
        self._pool.submit(self._run, query, generation)

    def cancel(self) -> None:
        with self._lock:
            self._generation += 1

    def _stale(self, generation: int) -> bool:
        return generation != self._generation

    def _run(self, query: str, generation: int) -> None:
        if self._stale(generation):
            return
        try:
            hits = self._store.search(query, cancelled=lambda: self._stale(generation))
        except SearchCancelled:
            return
        except QwenError as error:
            log.warning("search failed: %s", error)
            hits = []
        if not self._stale(generation):
            self.found.emit(query, hits)

    def close(self) -> None:
        self.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)
