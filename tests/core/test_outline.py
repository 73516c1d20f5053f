"""The outline of a conversation (ids, roles, versions without text) agrees with its full thread."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from qwen_desktop.core.storage import Store
from qwen_desktop.core.storage.tree import Tree, versions_on_path, visible_path
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role, Source


class Row:
    def __init__(self, mid: int, parent_id: int | None, chosen: int, deleted_at: float | None) -> None:
        self.id, self.parent_id, self.chosen, self.deleted_at = mid, parent_id, chosen, deleted_at


@st.composite
def forests(draw: st.DrawFn) -> list[tuple[int, int | None, int, float | None]]:
    """Messages whose parents may be earlier ones, later ones, missing ones or none, some deleted."""
    count = draw(st.integers(0, 40))
    rows = []
    for mid in range(1, count + 1):
        parent = draw(st.one_of(st.none(), st.integers(1, count + 3)))
        rows.append((mid, parent, draw(st.integers(0, 4)), draw(st.sampled_from([None, None, None, 1.0]))))
    return rows


@settings(max_examples=150, deadline=None)
@given(forests())
def test_visible_path_matches_the_tree(rows: list[tuple[int, int | None, int, float | None]]) -> None:
    tree = Tree.of(Row(*row) for row in rows)
    path, versions = visible_path(rows)
    assert path == tree.path()
    assert versions == versions_on_path(tree, path)


def test_outline_and_pages_match_the_thread(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        cid = store.create_conversation(ConversationSettings(model="qwen-plus"), "t").result()
        other = store.create_conversation(ConversationSettings(model="qwen-plus"), "o").result()

        def fill(conn: sqlite3.Connection) -> None:
            now = time.time()
            rows = []
            for mid in range(1, 301):
                role = "user" if mid % 3 == 1 else "assistant" if mid % 3 == 2 else "tool"
                parent = None if mid == 1 else mid - 1 if mid % 17 else mid - 2
                rows.append((mid, cid, role, f"text {mid}", "streaming" if mid % 37 == 0 else "complete", now, now, parent, mid % 5,
                             now if mid % 41 == 0 else None))
            rows.append((301, other, "user", "elsewhere", "complete", now, now, None, 0, None))
            conn.executemany("INSERT INTO messages(id, conversation_id, role, content, status, created_at,"
                             " updated_at, parent_id, chosen, deleted_at) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
            conn.execute("INSERT INTO message_sources(message_id, position, number, title, url, site_name)"
                         " VALUES (290, 0, 1, 'A page', 'https://example.com', 'Example')")

        store.run_write(fill).result()
        thread = store.thread(cid)
        outline = store.outline(cid)
        assert outline.ids == [m.id for m in thread.messages] and len(outline.ids) > 50
        assert outline.roles == [m.role for m in thread.messages]
        assert outline.streaming == {m.id for m in thread.messages if m.status is MessageStatus.STREAMING}
        assert outline.streaming
        assert outline.versions == thread.versions and outline.versions
        assert outline.ids_of(Role.TOOL) == [m.id for m in thread.messages if m.role is Role.TOOL]
        asked = outline.ids[::-7] + [301, 99_999]
        found = store.messages_by_id(asked)
        every = {m.id: m for m in store.all_messages(cid) + store.all_messages(other)}
        assert found == [every[mid] for mid in asked if mid in every]
        assert every[290].sources == (Source(1, "A page", "https://example.com", "Example"),)
        assert store.messages_by_id(list(range(1, 302))) == [every[mid] for mid in range(1, 302)]
