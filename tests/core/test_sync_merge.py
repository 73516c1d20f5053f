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
