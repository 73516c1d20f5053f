"""Many conversations: 10,000 conversations and 200,000 messages in the database.

Start-up against an empty data directory and against the full one (fresh processes), scrolling
the sidebar from top to bottom, and search-as-you-type: from the last keystroke to the results
shown, the sidebar's debounce included.

    uv run python bench/many_conversations.py [--quick]
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
    Figure, Harness, bench_args, bulk_conversations, median, paired_cold_starts, percentile, process_events,
    qt_app, report,
)

CONVERSATIONS = 10_000
MESSAGES = 200_000
PENALTY_MS = 100.0
FRAME_MS = 50.0
SEARCH_MS = 100.0
QUERIES = ("render", "stream window", "latency cur", "sidebar pag", "token budget")


async def sidebar(data_dir: Path, quick: bool, conversations: int) -> list[Figure]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    harness = Harness(data_dir, {}, {})
    harness.show()
    await harness.settle()
    window = harness.window
    for _ in range(5):
        process_events()
        await asyncio.sleep(0.02)
    bar = window.sidebar.list_view.verticalScrollBar()
    frames: list[float] = []
    limit = 200 if quick else 100_000
    while bar.value() < bar.maximum() and len(frames) < limit:
        started = time.perf_counter()
        bar.setValue(min(bar.maximum(), bar.value() + 240))
        window.sidebar.list_view.viewport().repaint()
        process_events()
        frames.append((time.perf_counter() - started) * 1000)
    field = window.sidebar.search_field
    model = window.sidebar.search_model
    latencies: list[float] = []
    for query in QUERIES[:3] if quick else QUERIES:
        field.clear()
        process_events()
        for char in query[:-1]:
            QTest.keyClick(field, char)
            await asyncio.sleep(0.06)
        QTest.keyClick(field, query[-1])
        typed = time.perf_counter()
        while not (window.sidebar.is_searching() and model.query == query):
            process_events()
            await asyncio.sleep(0.001)
            if time.perf_counter() - typed > 5:
                raise TimeoutError(query)
        window.sidebar.list_view.viewport().repaint()
        latencies.append((time.perf_counter() - typed) * 1000)
        QTest.keyClick(field, Qt.Key.Key_Escape)
    await harness.close()
    group = f"{conversations:,} conversations"
    return [
        Figure(group, "sidebar scroll frame max", max(frames, default=0.0), FRAME_MS, "ms",
               f"{len(frames):,} frames, p99 {percentile(frames, 0.99):.1f} ms"),
        Figure(group, "search: last keystroke → results shown", max(latencies), SEARCH_MS, "ms",
               f"worst of {len(latencies)} queries typed at 60 ms a key, median {median(latencies):.0f} ms"),
    ]


def measure(quick: bool) -> list[Figure]:
    runs = 2 if quick else 5
    scale = 5 if quick else 1
    conversations, messages = CONVERSATIONS // scale, MESSAGES // scale
    with tempfile.TemporaryDirectory() as tmp:
        empty, full = Path(tmp) / "empty", Path(tmp) / "full"
        empty.mkdir()
        full.mkdir()
        from qwen_desktop.core.paths import database_path

        started = time.perf_counter()
        bulk_conversations(database_path(full), conversations, messages, random.Random(9))
        built = time.perf_counter() - started
        empty_runs, full_runs = paired_cold_starts(empty, full, runs)
        empty_start, full_start = median(empty_runs), median(full_runs)
        paired = median([f - e for e, f in zip(empty_runs, full_runs)])
        qt_app()
        loop = asyncio.get_event_loop()
        with loop:
            figures = loop.run_until_complete(sidebar(full, quick, conversations))
    penalty = Figure(f"{conversations:,} conversations", "start-up penalty vs an empty database",
                     paired * 1000, PENALTY_MS, "ms",
                     f"median of {runs} paired cold starts taken in turns; medians "
                     f"{full_start:.2f} s vs {empty_start:.2f} s; "
                     f"{messages:,} messages built in {built:.0f} s")
    return [penalty, *figures]


def main(argv: list[str] | None = None) -> int:
    args = bench_args(__doc__.splitlines()[0], argv)
    return report(measure(args.quick), args)


if __name__ == "__main__":
    raise SystemExit(main())
