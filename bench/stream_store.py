"""A fast, huge reply through the engine: does the stored copy keep up?

    uv run python bench/stream_store.py            # 3 MB at 500 KB/s, both protocols

The loopback raw server (``tests/fuzz/server.py``) sends a 3 MB answer in 2 KB chunks at
500 KB/s; the real engine streams it into the real store. A sampler reads the stored reply every
50 ms (its own SQLite connection, as another reader would) and compares it with what the engine
had delivered by then. Printed: the largest lag of the stored copy behind the delivered text, the
time from the last chunk to the reply stored complete, and how long closing the store takes.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "desktop")]

from qwen_desktop.core.paths import database_path  # noqa: E402
from qwen_desktop.core.types import ContentDelta, ConversationSettings, Protocol  # noqa: E402
from tests.fuzz.runner import open_services  # noqa: E402
from tests.fuzz.server import RawServer, Script  # noqa: E402
from tests.fuzz.streams import Spoken, frames_for  # noqa: E402

SIZE = 3_000_000
RATE = 500_000
CHUNK = 2_000


def measure(protocol: str) -> dict[str, float]:
    text = ("lorem ipsum dolor sit amet " * (SIZE // 27 + 1))[:SIZE]
    deltas = [("content", text[i:i + CHUNK]) for i in range(0, SIZE, CHUNK)]
    frames = frames_for(protocol, Spoken(deltas))
    with RawServer() as raw, tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        services = open_services(data, raw)
        services.client.idle_timeout = services.client.total_timeout = 120
        services.client.read_timeout = 30
        raw.add(1, Script(pieces=frames, delay=CHUNK / RATE))
        cid = services.store.create_conversation(ConversationSettings(protocol=Protocol(protocol))).result()
        delivered = [0]
        lags: list[int] = []
        stop = threading.Event()

        def sample() -> None:
            conn = sqlite3.connect(database_path(data))
            while not stop.is_set():
                row = conn.execute("SELECT length(content) FROM messages WHERE role = 'assistant'"
                                   " ORDER BY id DESC LIMIT 1").fetchone()
                if row is not None:
                    lags.append(delivered[0] - int(row[0] or 0))
                time.sleep(0.05)
            conn.close()

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()

        async def go() -> float:
            last_chunk = time.monotonic()
            async for event in services.engine.send(cid, "case-1 a long one"):
                if isinstance(event, ContentDelta):
                    delivered[0] += len(event.text)
                    last_chunk = time.monotonic()
            stored_at = time.monotonic()
            await services.client.aclose()
            return stored_at - last_chunk

        started = time.monotonic()
        settle = asyncio.run(go())
        seconds = time.monotonic() - started
        stop.set()
        sampler.join()
        closing = time.monotonic()
        services.store.close()
        close_s = time.monotonic() - closing
        stored = sqlite3.connect(database_path(data)).execute(
            "SELECT length(content) FROM messages WHERE role = 'assistant'").fetchone()[0]
    return {"seconds": seconds, "max_lag_chars": max(lags or [0]), "median_lag_chars": sorted(lags)[len(lags) // 2] if lags else 0,
            "stored_after_last_chunk_s": settle, "close_s": close_s, "stored_chars": stored}


def main() -> int:
    print(f"{SIZE / 1e6:.0f} MB reply at {RATE / 1e3:.0f} KB/s in {CHUNK} B chunks\n")
    print("protocol  | stream s | stored lag max / median (chars) | stored complete after last chunk | store close")
    ok = True
    for protocol in ("openai", "dashscope"):
        f = measure(protocol)
        ok = ok and f["stored_chars"] == SIZE
        print(f"{protocol:9} | {f['seconds']:8.1f} | {f['max_lag_chars']:>10,} / {f['median_lag_chars']:>8,}"
              f"            | {f['stored_after_last_chunk_s'] * 1000:8.0f} ms                      | {f['close_s'] * 1000:6.0f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
