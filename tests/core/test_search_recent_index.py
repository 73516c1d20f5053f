"""Search asks a small index of the newest messages first; its answers equal the whole index's."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from qwen_desktop.core.storage import Store, recent_index
from qwen_desktop.core.storage.schema import migrate
from qwen_desktop.core.storage.text import segment
from qwen_desktop.core.types import ConversationSettings, Role

WORDS = ("alpha", "beta", "gamma", "delta", "render", "rendering", "latency")


@pytest.fixture
def small_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recent_index, "RECENT_MESSAGES", 40)
    monkeypatch.setattr(recent_index, "TRIM_STEP", 10)


@pytest.fixture
def store(tmp_path: Path, small_window: None) -> Iterator[Store]:
    opened = Store(tmp_path / "search.sqlite3")
    yield opened
    opened.close()


def fill(store: Store, messages: int, rng: random.Random) -> list[int]:
    cids = [store.create_conversation(ConversationSettings(), f"c{i}").result() for i in range(5)]
    mids = []
    for i in range(messages):
        words = [rng.choice(WORDS[:4]) for _ in range(6)]
        if i % 25 == 3:
            words.append("zebra" if i < 40 else "render")
        mids.append(store.add_message(cids[i % 5], Role.USER, " ".join(words)).result())
    return mids


def whole_index_hits(store: Store, query: str, limit: int = 50) -> list[int]:
    """Message ids the whole index finds, newest first (what search returned before)."""
    from qwen_desktop.core.storage.text import match_expression

    conn = sqlite3.connect(store.path)
    try:
        rows = conn.execute(
            "SELECT f.rowid FROM message_fts AS f JOIN messages AS m ON m.id = f.rowid"
            " JOIN conversations AS c ON c.id = m.conversation_id WHERE message_fts MATCH ?"
            " AND c.deleted_at IS NULL AND m.deleted_at IS NULL ORDER BY f.rowid DESC LIMIT ?",
            (match_expression(query), limit),
        ).fetchall()
    finally:
        conn.close()
    return [row[0] for row in rows]


def found(store: Store, query: str, limit: int = 50) -> list[int]:
    return sorted((h.message_id for h in store.search(query, limit) if h.message_id is not None), reverse=True)


def recent_rows(store: Store) -> tuple[int, list[int], list[int]]:
    """The floor, the messages the recent index finds for any word, and those it should hold."""
    conn = sqlite3.connect(store.path)
    try:
        lowest = recent_index.floor(conn)
        words = " OR ".join(f'"{w}"' for w in (*WORDS, "zebra", "pipeline", "ago", "shared"))
        held = [r[0] for r in conn.execute(
            f"SELECT rowid FROM {recent_index.TABLE} WHERE {recent_index.TABLE} MATCH ? ORDER BY rowid", (words,))]
        expected = [r[0] for r in conn.execute("SELECT rowid FROM message_fts WHERE rowid >= ? ORDER BY rowid",
                                               (lowest,))]
        assert conn.execute(f"INSERT INTO {recent_index.TABLE}({recent_index.TABLE}, rank) VALUES ('integrity-check', 0)") is not None
    finally:
        conn.close()
    return lowest, held, expected


def test_answers_equal_the_whole_index_for_common_and_rare_words(store: Store) -> None:
    mids = fill(store, 200, random.Random(3))
    lowest, held, expected = recent_rows(store)

    assert lowest > mids[0] and held == expected, "the newest messages only, every one of them"
    assert 40 <= len(held) <= 50
    for query in ("alpha", "alp", "alpha beta", "zebra", "zeb", "render", "rend", "delta gam", "nothing"):
        for limit in (5, 50):
            assert found(store, query, limit) == whole_index_hits(store, query, limit), (query, limit)
    assert found(store, "zebra") and all(mid < lowest for mid in found(store, "zebra"))


def test_edits_and_deletes_keep_it_in_step(store: Store) -> None:
    mids = fill(store, 120, random.Random(5))
    newest, old = mids[-1], mids[2]
    store.update_message(newest, content="render pipeline").result()
    store.update_message(old, content="render from long ago").result()
    store.delete_messages([mids[-2]]).result()
    store.purge_deleted().result()

    _, held, expected = recent_rows(store)
    assert held == expected
    assert found(store, "render pip") == [newest]
    assert found(store, "render", 3) == whole_index_hits(store, "render", 3)
    assert old in found(store, "long ago")


def test_a_common_word_is_answered_by_the_recent_index_alone(store: Store) -> None:
    fill(store, 120, random.Random(7))
    conn = store._reader()
    asked: list[str] = []
    conn.set_trace_callback(asked.append)
    try:
        hits = store.search("alp", 20)
    finally:
        conn.set_trace_callback(None)

    assert len(hits) == 20
    assert any(recent_index.TABLE in sql for sql in asked)
    assert not any("FROM message_fts" in sql for sql in asked), "the whole index was not needed"


def test_the_migration_fills_it_from_the_existing_index(tmp_path: Path, small_window: None) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=12)
    conn.execute("INSERT INTO conversations(id, title, created_at, updated_at) VALUES (1, 't', 0, 0)")
    for mid in range(1, 101):
        text = f"word{mid} shared"
        conn.execute("INSERT INTO messages(id, conversation_id, role, content, created_at, updated_at)"
                     " VALUES (?, 1, 'user', ?, 0, 0)", (mid, text))
        conn.execute("INSERT INTO message_fts(rowid, body) VALUES (?, ?)", (mid, segment(text)))
    migrate(conn)
    conn.close()

    with Store(path) as store:
        lowest, held, expected = recent_rows(store)
        assert lowest == 61 and held == expected == list(range(61, 101))
        assert found(store, "shared", 10) == list(range(100, 90, -1))
        assert found(store, "word5") == whole_index_hits(store, "word5") == [59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 5]
