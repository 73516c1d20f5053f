"""The sidebar highlights the conversation shown, after pins, deletes, imports and restarts, and opens
with the Pinned section in view."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QListView
from qwen_desktop.core.types import ConversationSettings

from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def seed(harness: Harness, count: int, pinned: int) -> list[int]:
    services = harness.services()
    ids = []
    for n in range(count):
        cid = services.store.create_conversation(ConversationSettings(), f"Conversation {n}").result(timeout=5)
        ids.append(cid)
    for cid in ids[:pinned]:
        services.store.set_pinned(cid, True).result(timeout=5)
    services.close_store()
    return ids


def highlighted(window) -> int | None:
    index = window.findChild(QListView, "conversationList").currentIndex()
    from qwen_desktop.ui.sidebar.model import Roles

    return index.data(Roles.Id) if index.isValid() else None


def test_pin_and_delete_keep_the_shown_conversation_highlighted(harness: Harness) -> None:
    ids = seed(harness, 6, 0)
    window = harness.open()
    window.open_conversation(ids[2])
    assert highlighted(window) == ids[2]
    window.sidebar.toggle_pin(ids[4])
    harness.qtbot.waitUntil(lambda: window.store.conversation(ids[4]).pinned)
    harness.qtbot.waitUntil(lambda: highlighted(window) == ids[2])
    window.delete_conversation(ids[5])
    assert highlighted(window) == ids[2]
    window.delete_conversation(ids[2])
    assert window.current_id is None and highlighted(window) is None


def test_after_a_restart_the_pinned_section_is_in_view(harness: Harness) -> None:
    ids = seed(harness, 60, 3)
    window = harness.open()
    window.resize(1000, 600)
    window.open_conversation(ids[-1])
    harness.close(window)
    again = harness.open()
    again.resize(1000, 600)
    harness.qtbot.wait(100)
    assert again.current_id == ids[-1]
    view = again.findChild(QListView, "conversationList")
    assert highlighted(again) == ids[-1]
    assert view.verticalScrollBar().value() == 0, "the Pinned section above it stays in view"
