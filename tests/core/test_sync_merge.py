"""The merge itself: the same state whatever order updates arrive in, however often, and whether
a device's updates come one by one or folded into a snapshot."""

from __future__ import annotations

import json
import random
import sqlite3

from qwen_desktop.core.storage import schema
from qwen_desktop.core.sync import changes as C


def fresh() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    schema.migrate(conn)
    return conn


def random_updates(rng: random.Random) -> list[tuple[C.Update, str]]:
    uids = [f"{n:032x}" for n in range(1, 6)]
    found = []
    for device in ("aaaa", "bbbb", "cccc"):
        stamp = rng.randrange(1 << 40)
        for _ in range(40):
            stamp += rng.randrange(1, 5)
            uid = rng.choice(uids)
            fields = {name: [rng.choice(["x", "y", "z", 1, None]), stamp]
                      for name in rng.sample(["title", "pinned", "deleted_at", "settings"], rng.randint(1, 3))}
            if rng.random() < 0.03:
                fields = {C.PURGED: [True, stamp]}
            found.append((C.Update(C.CONVERSATION, uid, None, fields), device))
    return found


def merged_state(updates: list[tuple[C.Update, str]]) -> list[tuple[str, str, object]]:
    conn = fresh()
    clock = C.Clock(0, lambda: 0.0)
    for update, device in updates:
        C.merge(conn, [update], device, clock)
    rows = conn.execute("SELECT kind, uid, state FROM sync_entities ORDER BY kind, uid").fetchall()
    return [(kind, uid, json.loads(state)) for kind, uid, state in rows]


def test_any_order_any_repetition_and_snapshots_give_the_same_state() -> None:
    for seed in range(12):
        rng = random.Random(seed)
        updates = random_updates(rng)
        expected = merged_state(updates)
        shuffled = updates + rng.sample(updates, len(updates) // 2)
        rng.shuffle(shuffled)
        assert merged_state(shuffled) == expected, seed
        folded = []
        for device in ("aaaa", "bbbb", "cccc"):
            own = [pair for pair in updates if pair[1] == device]
            folded += [(u, device) for u in C.join(own)]
        rng.shuffle(folded)
        assert merged_state(folded) == expected, seed


def test_values_of_the_wrong_kind_are_left_out_and_the_rest_is_written() -> None:
    from qwen_desktop.core.sync.apply import apply

    conn = fresh()
    clock = C.Clock(0, lambda: 0.0)
    conv, good, bad = "c" * 32, "a" * 32, "b" * 32
    fields = {"title": [["Kept", True], 5], "created_at": [1.0, 5], "updated_at": [2.0, 5]}
    message = {"role": ["user", 5], "content": ["fine", 5], "created_at": [1.5, 5], "chosen": [1, 5]}
    updates = [
        C.Update(C.CONVERSATION, conv, None, fields),
        C.Update(C.MESSAGE, good, conv, message),
        C.Update(C.MESSAGE, bad, conv, {**message, "content": ["fine", 5], "updated_at": ["yesterday", 5]}),
    ]
    merged = C.merge(conn, updates, "aaaa", clock)
    conn.execute("BEGIN")
    apply(conn, merged)
    conn.execute("COMMIT")
    assert conn.execute("SELECT title, title_locked FROM conversations").fetchall() == [("Kept", 1)]
    assert conn.execute("SELECT uid, content FROM messages").fetchall() == [(good, "fine")]


def test_kinds_and_fields_a_newer_version_adds_are_left_out_and_the_rest_counts() -> None:
    known = C.Update.from_json({"k": "c", "u": "d" * 32, "f": {"pinned": [True, 7], "colour_tag": ["red", 7]}})
    assert known is not None and known.fields == {"pinned": [True, 7]}
    assert C.Update.from_json({"k": "folder", "u": "e" * 32, "f": {"name": ["Work", 7]}}) is None
    for broken in ({"k": "c", "u": "d" * 32, "f": {"pinned": True}}, {"k": "c", "u": "../x", "f": {}},
                   {"k": "m", "u": "d" * 32, "f": {}}, ["not", "a", "dict"]):
        try:
            C.Update.from_json(broken)
        except ValueError:
            continue
        raise AssertionError(f"accepted {broken!r}")
