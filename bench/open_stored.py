"""Opening stored conversations: one of 50,000 messages, one whose reply is 1 MB of Markdown, and
the memory left after leaving the long one.

Each figure is timed in the real main window, offscreen. A "turn" is one pass of the Qt event
loop (what a user feels as a frame); the call that opens the conversation counts as a turn.
The full thread read (``Store.thread``, what opening read before) is timed beside the outline
read in the same run, as a ratio.

    uv run python bench/open_stored.py [--quick]
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    Figure, Harness, bench_args, markdown_reply, median, process_events, prose, qt_app, report,
    rss_mb, seed_conversation,
)

LONG = 50_000
HUGE_CHARS = 1_000_000
OPEN_MS = 300.0
TURN_MS = 50.0
OBJECTS_RATIO = 1.15
RSS_GROWTH_MB = 100.0
OUTLINE_RATIO = 0.3


def seed_long(store: Any, count: int, rng: random.Random) -> int:
    """``count`` alternating questions and answers linked as a thread, written straight through SQL."""
    from qwen_desktop.core.types import ConversationSettings

    cid = store.create_conversation(ConversationSettings(model="qwen-plus"), "Fifty thousand messages").result()
    usage = json.dumps({"input_tokens": 1200, "output_tokens": 90})

    def fill(conn: Any) -> None:
        now = time.time()
        first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM messages").fetchone()[0]
        rows = []
        for n in range(count):
            mid, user = first + n, n % 2 == 0
            rows.append((mid, cid, "user" if user else "assistant",
                         prose(rng, rng.randint(8, 30) if user else rng.randint(20, 60)), "complete",
                         None if user else "qwen-plus", None if user else usage, now, now,
                         mid - 1 if n else None))
        conn.executemany("INSERT INTO messages(id, conversation_id, role, content, status, model, usage,"
                         " created_at, updated_at, parent_id) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)

    store.run_write(fill).result()
    return cid


def turns_until(done: Any, limit_s: float = 60.0) -> list[float]:
    out: list[float] = []
    started = time.perf_counter()
    while not done():
        if time.perf_counter() - started > limit_s:
            raise TimeoutError("never settled")
        turn = time.perf_counter()
        process_events()
        out.append((time.perf_counter() - turn) * 1000)
    return out


class NewestPaint:
    """When the newest message of a conversation is first painted (it may be built turns after
    the open call, once its outline has been read on a worker thread)."""

    def __init__(self, message_id: int) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QApplication

        from qwen_desktop.ui.chat.messages import MessageWidget

        outer = self
        self.painted: float | None = None

        class Filter(QObject):
            def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
                if outer.painted is None and event.type() == QEvent.Type.Paint:
                    widget = watched
                    for _ in range(5):
                        if widget is None or isinstance(widget, MessageWidget):
                            break
                        widget = widget.parent()
                    if isinstance(widget, MessageWidget) and widget.message_id == message_id:
                        outer.painted = time.perf_counter()
                return False

        self._filter = Filter()
        self._app = QApplication.instance()
        self._app.installEventFilter(self._filter)

    def remove(self) -> None:
        self._app.removeEventFilter(self._filter)


def open_and_paint(window: Any, cid: int) -> tuple[float, list[float]]:
    """(ms from the open call to the first paint of the newest message, turns until then)."""
    probe = NewestPaint(window.store.outline(cid).ids[-1])
    started = time.perf_counter()
    window.open_conversation(cid)
    opened = (time.perf_counter() - started) * 1000
    turns = [opened] + turns_until(lambda: probe.painted is not None, 20)
    probe.remove()
    return ((probe.painted or started) - started) * 1000, turns


def idle(window: Any) -> bool:
    from qwen_desktop.ui.chat.messages import AssistantMessageWidget

    view = window.view
    steps = any(isinstance(w, AssistantMessageWidget) and getattr(w.text_view, "has_steps", False)
                for w in view.message_widgets())
    controller = window.context_actions.controller if window.context_actions else None
    metering = controller is not None and controller._running is not None and not controller._running.done()
    totals = getattr(window, "_totals_job", None) is not None
    return not (view.building or steps or totals or metering
                or controller is not None and controller.timer.isActive())


async def settle(window: Any) -> list[float]:
    turns = turns_until(lambda: idle(window))
    for _ in range(5):
        process_events()
        await asyncio.sleep(0.02)
    return turns


def objects() -> int:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    return len(gc.get_objects())


async def scenario(data_dir: Path, ids: dict[str, int], quick: bool) -> list[Figure]:
    harness = Harness(data_dir, {}, {})
    harness.show()
    await harness.settle()
    window = harness.window
    store = window.store
    open_and_paint(window, ids["small"])  # the same probe as below, so its wrappers are counted in the base
    await settle(window)
    base_objects, base_rss = objects(), rss_mb()

    thread_s, outline_s = [], []
    for _ in range(1 if quick else 3):
        started = time.perf_counter()
        store.thread(ids["long"])
        thread_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        if hasattr(store, "outline"):  # absent before it was added: the figure is then left out
            store.outline(ids["long"])
        outline_s.append(time.perf_counter() - started)
    gc.collect()

    long_paint, long_turns = open_and_paint(window, ids["long"])
    long_after = await settle(window)
    window.open_conversation(ids["small"])
    await settle(window)
    left_objects, left_rss = objects(), rss_mb()
    for _ in range(0 if quick else 2):
        window.open_conversation(ids["long"])
        await settle(window)
        window.open_conversation(ids["small"])
        await settle(window)
    again_objects, again_rss = objects(), rss_mb()

    huge_paint, huge_turns = open_and_paint(window, ids["huge"])
    huge_turns += await settle(window)
    huge_rss = rss_mb()
    await harness.close()

    group = f"opening stored conversations ({LONG:,} messages; a {HUGE_CHARS // 1000:,} kB reply)"
    rounds = "1 open and leave" if quick else "3 opens and leaves"
    return [
        Figure(group, f"{LONG:,} messages: open → first paint", long_paint, OPEN_MS, "ms"),
        Figure(group, f"{LONG:,} messages: longest turn until painted, open call included", max(long_turns),
               None, "ms", f"open call {long_turns[0]:.0f} ms; goal {TURN_MS:.0f} ms, not met: see docs"),
        Figure(group, f"{LONG:,} messages: longest turn after the paint", max(long_after, default=0.0), None, "ms",
               f"{len(long_after)} turns until built, totals added up and metered"),
        Figure(group, "outline read / full thread read", median(outline_s) / median(thread_s), OUTLINE_RATIO, "×",
               f"same run: {median(outline_s) * 1000:.0f} ms vs {median(thread_s) * 1000:.0f} ms"),
        Figure(group, "objects after leaving / before opening", again_objects / base_objects, OBJECTS_RATIO, "×",
               f"{base_objects:,} → {left_objects:,} after 1 → {again_objects:,} after {rounds}"),
        Figure(group, "RSS growth after leaving", again_rss - base_rss, RSS_GROWTH_MB, "MB",
               f"{base_rss:.0f} → {left_rss:.0f} after 1 → {again_rss:.0f} MB after {rounds}"),
        Figure(group, "1 MB reply: open → first paint", huge_paint, OPEN_MS, "ms"),
        Figure(group, "1 MB reply: longest turn, open call included", max(huge_turns), TURN_MS, "ms",
               f"open call {huge_turns[0]:.0f} ms; {len(huge_turns)} turns; RSS {huge_rss - again_rss:+.0f} MB"),
    ]


def measure(quick: bool) -> list[Figure]:
    from qwen_desktop.core.paths import database_path
    from qwen_desktop.core.storage import Store
    from qwen_desktop.core.types import ConversationSettings, Role

    from common import add_messages

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        rng = random.Random(5)
        with Store(database_path(data_dir)) as store:
            ids = {"long": seed_long(store, LONG, rng)}
            ids["huge"] = store.create_conversation(ConversationSettings(model="qwen-plus"), "A megabyte").result()
            add_messages(store, ids["huge"], [(Role.USER, "Write it all out.", None),
                                              (Role.ASSISTANT, markdown_reply(rng, HUGE_CHARS), "qwen-plus")])
            ids["small"] = seed_conversation(store, 4, 400, rng, title="A short one")
        qt_app()
        loop = asyncio.get_event_loop()
        with loop:
            return loop.run_until_complete(scenario(data_dir, ids, quick))


def main(argv: list[str] | None = None) -> int:
    args = bench_args(__doc__.splitlines()[0], argv)
    return report(measure(args.quick), args)


if __name__ == "__main__":
    raise SystemExit(main())
