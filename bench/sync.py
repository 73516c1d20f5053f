"""Sync cost: 10,000 conversations synced to a second device the first time, then one new message.

Two data directories and one folder location on the same disk, the real store, real scrypt and
AES-GCM. Bytes are what the location received (the sending device) and what the receiving device
read. The first sync is also given as a ratio to the size of the sending device's database, and
the one-message round as the median and 90th percentile of repeated rounds (each: a message
added on A, A syncs, B syncs).

    uv run python bench/sync.py [--quick]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, bench_args, bulk_conversations, median, percentile, report  # noqa: E402

CONVERSATIONS = 10_000
MESSAGES = 20_000
ROUNDS = 20
FIRST_PUSH_S = 60.0
FIRST_PULL_S = 90.0
FIRST_BYTES_RATIO = 1.0
"""The location holds at most as many bytes as the database it came from (text compresses)."""
ROUND_MS = 500.0
ROUND_BYTES = 8 * 1024


def measure(quick: bool) -> list[Figure]:
    from qwen_desktop.core.paths import database_path
    from qwen_desktop.core.storage import Store
    from qwen_desktop.core.sync.engine import Syncer
    from qwen_desktop.core.sync.folder import FolderLocation
    from qwen_desktop.core.types import Role

    conversations = 500 if quick else CONVERSATIONS
    messages = 1_000 if quick else MESSAGES
    rounds = 5 if quick else ROUNDS
    scale = conversations / CONVERSATIONS
    group = f"sync, {conversations:,} conversations"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        place = root / "shared"
        place.mkdir()
        database = database_path(root / "a")
        database.parent.mkdir()
        bulk_conversations(database, conversations, messages, random.Random(7))
        database_bytes = database.stat().st_size
        a_store, b_store = Store(database), Store(database_path(root / "b"))
        a = Syncer(root / "a", FolderLocation(place), "bench passphrase", "aaaa", store=a_store)
        b = Syncer(root / "b", FolderLocation(place), "bench passphrase", "bbbb", store=b_store)
        a.check()
        b.check()
        started = time.perf_counter()
        pushed = a.sync_once()
        first_push = time.perf_counter() - started
        started = time.perf_counter()
        pulled = b.sync_once()
        first_pull = time.perf_counter() - started
        assert pushed.error is None and pulled.error is None, (pushed.error, pulled.error)
        assert b_store.count_conversations() == conversations
        first_written, first_read = a.bytes_written, b.bytes_read

        cid = a_store.conversation_ids()[0]
        times: list[float] = []
        written: list[int] = []
        read: list[int] = []
        for number in range(rounds):
            a_store.add_message(cid, Role.USER, f"one more question, number {number}").result()
            before_w, before_r = a.bytes_written, b.bytes_read
            started = time.perf_counter()
            a.sync_once()
            b.sync_once()
            times.append((time.perf_counter() - started) * 1000)
            written.append(a.bytes_written - before_w)
            read.append(b.bytes_read - before_r)
        assert len(b_store.all_messages(b_store.conversation_ids()[0])) >= rounds
        a.close()
        b.close()
        a_store.close()
        b_store.close()
    return [
        Figure(group, "first sync: push from A", first_push, FIRST_PUSH_S * scale, "s",
               f"{pushed.pushed:,} updates, {first_written / 1e6:.1f} MB written"),
        Figure(group, "first sync: pull into an empty B", first_pull, FIRST_PULL_S * scale, "s",
               f"{first_read / 1e6:.1f} MB read"),
        Figure(group, "first sync: bytes in the location / A's database", first_written / database_bytes,
               FIRST_BYTES_RATIO, "×", f"database {database_bytes / 1e6:.1f} MB"),
        Figure(group, "one new message: A pushes, B pulls, median", median(times), ROUND_MS, "ms",
               f"p90 {percentile(times, 0.9):.0f} ms over {rounds} rounds"),
        Figure(group, "one new message: bytes written, median", median(written), ROUND_BYTES, "B",
               f"read by B {median(read):.0f} B"),
    ]


def main(argv: list[str] | None = None) -> int:
    args = bench_args(__doc__.splitlines()[0], argv)
    return report(measure(args.quick), args)


if __name__ == "__main__":
    raise SystemExit(main())
