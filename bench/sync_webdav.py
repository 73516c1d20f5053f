"""Sync through WebDAV beside sync through a folder, in the same run: the cost of HTTP round trips.

A loopback WebDAV server (wsgidav served by cheroot, basic authentication, the same server the tests
use) and a folder location, each with two data directories. Each location first syncs the same
conversations to an empty second device; then rounds of one new message (added on A, A syncs, B
syncs) alternate between the two locations so that a busy machine slows both alike. The figures
are the first sync through WebDAV as a ratio to the folder's, the one-message round's median and
90th percentile (and its ratio to the folder's, for information: a folder round is a few local
file operations, a WebDAV round about fifteen HTTP round trips), and the HTTP requests one such
round costs (both devices together).

    uv run python bench/sync_webdav.py [--quick]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import Figure, bench_args, bulk_conversations, median, percentile, report  # noqa: E402

CONVERSATIONS = 2_000
MESSAGES = 4_000
ROUNDS = 20
FIRST_RATIO = 4.0
"""The first sync through WebDAV takes at most this many times as long as through a folder."""
ROUND_MS = 1_000.0
ROUND_REQUESTS = 30


def measure(quick: bool) -> list[Figure]:
    import shutil

    from qwen_desktop.core.paths import database_path
    from qwen_desktop.core.storage import Store
    from qwen_desktop.core.sync.crypto import HEADER_PATH, KdfParams, new_header
    from qwen_desktop.core.sync.engine import Syncer
    from qwen_desktop.core.sync.folder import FolderLocation
    from qwen_desktop.core.sync.webdav import WebDavLocation
    from qwen_desktop.core.types import Role
    from tests.webdav_server import PASSWORD, USER, WebDavServer

    conversations = 200 if quick else CONVERSATIONS
    messages = 400 if quick else MESSAGES
    rounds = 5 if quick else ROUNDS
    group = f"sync through WebDAV, {conversations:,} conversations"
    passphrase = "bench passphrase"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        seed = root / "seed.db"
        bulk_conversations(seed, conversations, messages, random.Random(7))
        header, _keys = new_header(passphrase, KdfParams(b"bench salt 16 by", n=2**14))
        (root / "dav" / "qwen").mkdir(parents=True)
        (root / "dav" / "qwen" / HEADER_PATH).write_bytes(header)
        (root / "folder").mkdir()
        (root / "folder" / HEADER_PATH).write_bytes(header)
        with WebDavServer(root / "dav") as server:
            pairs = {}
            for kind in ("folder", "webdav"):
                stores = []
                for device in ("a", "b"):
                    database = database_path(root / kind / device)
                    database.parent.mkdir(parents=True)
                    if device == "a":
                        shutil.copyfile(seed, database)
                    stores.append(Store(database))
                syncers = []
                for device, store in zip(("aaaa", "bbbb"), stores):
                    location = (FolderLocation(root / "folder") if kind == "folder"
                                else WebDavLocation(server.url + "qwen/", USER, PASSWORD))
                    syncers.append(Syncer(root / kind / device[0], location, passphrase, device, store=store))
                pairs[kind] = (stores, syncers)

            first: dict[str, float] = {}
            for kind, (_stores, (a, b)) in pairs.items():
                started = time.perf_counter()
                assert a.sync_once().error is None and b.sync_once().error is None
                first[kind] = time.perf_counter() - started
                assert _stores[1].count_conversations() == conversations
            webdav_requests_first = len(server.faults.requests)

            times: dict[str, list[float]] = {"folder": [], "webdav": []}
            requests: list[int] = []
            for number in range(rounds):
                for kind in (("folder", "webdav") if number % 2 == 0 else ("webdav", "folder")):
                    (a_store, _b_store), (a, b) = pairs[kind]
                    a_store.add_message(a_store.conversation_ids()[0], Role.USER, f"one more, {number}").result()
                    before = len(server.faults.requests)
                    started = time.perf_counter()
                    assert a.sync_once().error is None and b.sync_once().error is None
                    times[kind].append((time.perf_counter() - started) * 1000)
                    if kind == "webdav":
                        requests.append(len(server.faults.requests) - before)
            for stores, syncers in pairs.values():
                for syncer in syncers:
                    syncer.close()
                    close = getattr(syncer.location, "close", None)
                    if close:
                        close()
                for store in stores:
                    store.close()
    ratios = [w / f for w, f in zip(times["webdav"], times["folder"])]
    return [
        Figure(group, "first sync (A pushes, B pulls): WebDAV / folder", first["webdav"] / first["folder"],
               FIRST_RATIO, "×", f"WebDAV {first['webdav']:.1f} s, folder {first['folder']:.1f} s, "
               f"{webdav_requests_first} requests"),
        Figure(group, "one new message: WebDAV / folder, median of paired rounds", median(ratios), None, "×",
               f"{rounds} alternating rounds; a folder round is a few local file operations"),
        Figure(group, "one new message through WebDAV: A pushes, B pulls, median", median(times["webdav"]),
               ROUND_MS, "ms", f"p90 {percentile(times['webdav'], 0.9):.0f} ms; folder median "
               f"{median(times['folder']):.0f} ms"),
        Figure(group, "one new message through WebDAV: HTTP requests, median", median(requests),
               ROUND_REQUESTS, "", f"max {max(requests)}"),
    ]


def main(argv: list[str] | None = None) -> int:
    args = bench_args(__doc__.splitlines()[0], argv)
    return report(measure(args.quick), args)


if __name__ == "__main__":
    raise SystemExit(main())
