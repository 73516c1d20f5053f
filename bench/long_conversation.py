"""Long conversation: open one of 2,000 messages (~2 MB, code blocks included) and scroll all of it.

Older messages are paged in while scrolling up; each frame is one scroll step, its layout and its
paint.

    uv run python bench/long_conversation.py [--quick]
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    Figure, Harness, PaintProbe, bench_args, percentile, process_events, qt_app, report, rss_mb,
    seed_conversation,
)

MESSAGES = 2_000
FIRST_PAINT_MS = 300.0
FRAME_MS = 50.0
RSS_MB = 400.0
STEP_PX = 240


def frame(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    process_events()
    return (time.perf_counter() - started) * 1000


async def scenario(data_dir: Path, long_id: int, quick: bool) -> list[Figure]:
    harness = Harness(data_dir, {}, {})
    harness.show()
    await harness.settle()
    window = harness.window
    for _ in range(5):
        process_events()
        await asyncio.sleep(0.02)
    started = time.perf_counter()
    window.open_conversation(long_id)
    probe = PaintProbe(window.view.message_widgets()[-1].text_view.viewport())
    while probe.first_after(started) is None:
        process_events()
        if time.perf_counter() - started > 10:
            raise TimeoutError("the conversation was never painted")
    first_paint = (probe.first_after(started) or started) - started
    probe.remove()
    view = window.view
    bar = view.scroll_bar()
    limit = 150 if quick else 100_000
    up: list[float] = []
    while (bar.value() > 0 or view._first_built > 0) and len(up) < limit:
        up.append(frame(lambda: bar.setValue(max(0, bar.value() - STEP_PX))))
    down: list[float] = []
    while bar.value() < bar.maximum() and len(down) < limit:
        down.append(frame(lambda: bar.setValue(min(bar.maximum(), bar.value() + STEP_PX))))
    frames = up + down
    loaded = len(view.message_widgets())
    memory = rss_mb()
    await harness.close()
    group = f"long conversation, {MESSAGES:,} messages"
    note = f"{len(frames):,} frames of {STEP_PX} px, {loaded:,} messages built"
    return [
        Figure(group, "open → first paint", first_paint * 1000, FIRST_PAINT_MS, "ms"),
        Figure(group, "scroll frame p99", percentile(frames, 0.99), FRAME_MS, "ms", note),
        Figure(group, "scroll frame max", max(frames, default=0.0), FRAME_MS, "ms"),
        Figure(group, "RSS after scrolling", memory, RSS_MB, "MB"),
    ]


def measure(quick: bool) -> list[Figure]:
    from qwen_desktop.core.paths import database_path
    from qwen_desktop.core.storage import Store

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        rng = random.Random(3)
        with Store(database_path(data_dir)) as store:
            long_id = seed_conversation(store, MESSAGES, 1_900, rng, title="Two thousand messages")
            seed_conversation(store, 2, 300, rng, title="A short one")
        qt_app()
        loop = asyncio.get_event_loop()
        with loop:
            return loop.run_until_complete(scenario(data_dir, long_id, quick))


def main(argv: list[str] | None = None) -> int:
    args = bench_args(__doc__.splitlines()[0], argv)
    return report(measure(args.quick), args)


if __name__ == "__main__":
    raise SystemExit(main())
