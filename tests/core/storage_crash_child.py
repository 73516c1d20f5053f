"""Streams a reply into a Store until killed; used by the crash test.

Usage: python storage_crash_child.py DB_PATH. Prints ``ready CID MID`` once, then
``sent COUNT SECONDS`` after each appended chunk.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role

USER_TEXT = "Tell me a long story, please."


def chunk(index: int) -> str:
    return f"part{index} "


def main(path: Path) -> None:
    store = Store(path)
    cid = store.create_conversation(ConversationSettings(), "Crash").result()
    store.add_message(cid, Role.USER, USER_TEXT).result()
    mid = store.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result()
    print(f"ready {cid} {mid}", flush=True)
    start = time.monotonic()
    count = 0
    while True:
        store.append_stream(mid, content=chunk(count), reasoning="." if count % 5 == 0 else "")
        count += 1
        print(f"sent {count} {time.monotonic() - start:.3f}", flush=True)
        time.sleep(0.005)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
