"""Search runs off the Qt thread: a slow query never freezes the window, a newer query stops the
older one, and what a query looks for is bounded."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot
from qwen_desktop.core.storage import SearchCancelled, Store
from qwen_desktop.core.storage.text import MAX_TERMS, _chunks, locate, match_expression
from qwen_desktop.core.types import ConversationSettings, Role
from qwen_desktop.ui.sidebar.panel import Sidebar


class Watched:
    """The real store, with its searches watched: which thread, and which were stopped."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.threads: list[threading.Thread] = []
        self.stopped: list[str] = []
        self.release = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def search(self, query: str, limit: int = 50, **options: Any) -> list[Any]:
        self.threads.append(threading.current_thread())
        cancelled = options.get("cancelled")
        if query == "slow":
            deadline = time.monotonic() + 3
            while not self.release.is_set() and time.monotonic() < deadline:
                if cancelled is not None and cancelled():
                    self.stopped.append(query)
                    raise SearchCancelled()
                time.sleep(0.01)
        return self._store.search(query, limit, **options)


def test_search_runs_off_the_ui_thread_and_a_newer_query_stops_the_older(qtbot: QtBot, tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    try:
        cid = store.create_conversation(ConversationSettings(), "notes").result()
        store.add_message(cid, Role.USER, "slow fast words").result()
        watched = Watched(store)
        sidebar = Sidebar(watched)
        qtbot.addWidget(sidebar)
        sidebar.search_field.setText("slow")
        sidebar.run_search()
        assert watched.threads == [] or watched.threads[0] is not threading.main_thread()
        qtbot.waitUntil(lambda: len(watched.threads) == 1, timeout=3000)
        sidebar.search_field.setText("fast")
        sidebar.run_search()
        qtbot.waitUntil(lambda: sidebar.search_model.query == "fast", timeout=2500)
        assert watched.stopped == ["slow"], "the older query was stopped, not waited for"
        assert all(t is not threading.main_thread() for t in watched.threads)
        assert sidebar.search_model.rowCount() == 1
        qtbot.wait(100)
        assert sidebar.search_model.query == "fast", "a stale result never replaces a newer one"
    finally:
        store.close()


def test_enter_opens_the_first_hit_once_it_arrives(qtbot: QtBot, tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    try:
        cid = store.create_conversation(ConversationSettings(), "recipes").result()
        store.add_message(cid, Role.USER, "sourdough starter").result()
        sidebar = Sidebar(store)
        qtbot.addWidget(sidebar)
        sidebar.search_field.setText("sourdough")
        with qtbot.waitSignal(sidebar.searchHitActivated, timeout=3000) as opened:
            sidebar.search_field.enterPressed.emit()
        assert opened.args[0] == cid
    finally:
        store.close()


def test_what_a_query_looks_for_is_bounded() -> None:
    assert match_expression("word " * 200) == match_expression("word")
    assert len(_chunks(" ".join(f"w{i}" for i in range(100)))) == MAX_TERMS
    assert len(_chunks("x" * 10_000 + " y")) == 1, "only the start of a pasted essay is searched"
    assert locate("a " * 1_000_000 + "needle", "needle") is None, "a snippet is looked for near the start only"
    assert locate("find the needle here", "needle " * 50) == (9, 15)
