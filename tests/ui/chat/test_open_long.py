"""Opening a long stored conversation in the real window: a page is read, the rest on demand;
leaving it lets go of what it read."""

from __future__ import annotations

import gc
import json
import sqlite3
import time
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from qwen_desktop.core.storage import Message
from qwen_desktop.core.types import ConversationSettings
from qwen_desktop.ui import main_window
from qwen_desktop.ui.chat.messages import MessageWidget
from qwen_desktop.ui.conversation.header import totals

from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

MESSAGES = 240


def seed(store: Any, count: int, title: str) -> int:
    cid = store.create_conversation(ConversationSettings(model="qwen-plus"), title).result()

    def fill(conn: sqlite3.Connection) -> None:
        now = time.time()
        first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM messages").fetchone()[0]
        rows = []
        for n in range(count):
            mid = first + n
            user = n % 2 == 0
            usage = None if user else json.dumps({"input_tokens": 100 + n, "output_tokens": 7, "cached_tokens": 50})
            rows.append((mid, cid, "user" if user else "assistant", f"message {n} of {title}", "complete",
                         None if user else "qwen-plus", usage, now, now, mid - 1 if n else None))
        conn.executemany("INSERT INTO messages(id, conversation_id, role, content, status, model, usage,"
                         " created_at, updated_at, parent_id) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)

    store.run_write(fill).result()
    return cid


def messages_of(cid: int) -> int:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, Message) and o.conversation_id == cid)


def widgets_alive() -> int:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, MessageWidget))


def test_long_conversation_totals_arrive_in_batches_and_leaving_releases_it(
    harness: Harness, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(main_window, "EAGER_TOTALS", 50)
    window = harness.open()
    store = window.store
    long_id = seed(store, MESSAGES, "long")
    short_id = seed(store, 4, "short")
    expected_usage, expected_cost = totals(store.messages(long_id), window.services.catalog)
    window.open_conversation(long_id)
    assert window.view.message_widgets()[-1].message_id == store.outline(long_id).ids[-1]
    harness.qtbot.waitUntil(lambda: bool(window.header.totals.text()), timeout=20_000)
    window.header.show_totals(expected_usage, expected_cost)
    expected_text = window.header.totals.text()
    window.open_conversation(short_id)
    window.open_conversation(long_id)
    harness.qtbot.waitUntil(lambda: window.header.totals.text() == expected_text, timeout=20_000)
    assert "in ·" in expected_text
    window.open_conversation(short_id)
    controller = window.context_actions.controller if window.context_actions else None
    if controller is not None:
        harness.qtbot.waitUntil(lambda: controller._running is None or controller._running.done(), timeout=20_000)
    harness.qtbot.waitUntil(lambda: not window.view.building)
    assert window.header.totals.text() != expected_text
    assert messages_of(long_id) == 0
    assert widgets_alive() == len(window.view.message_widgets()) == 4
