"""Search against a hostile history: one 5.6 MB message, and queries repeating a word 50 and 200 times.

The sidebar searches on a worker thread, so what matters is that the Qt thread never stalls while
such a query runs (event-loop lag, measured with a 5 ms timer), and that the results of the last
query arrive in bounded time (the query looks for at most 12 distinct words).

    uv run python bench/search_hostile.py [--quick]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, LagProbe, bench_args, process_events, qt_app, report  # noqa: E402

MESSAGE_MB = 5.6
STALL_MS = 50.0
RESULTS_MS = 2000.0
REPEATS = (50, 200)


def huge_text() -> str:
    words = ("stream", "window", "render", "latency", "budget", "token", "sidebar", "search")
    line = " ".join(words[i % len(words)] for i in range(14)) + "\n"
    return line * int(MESSAGE_MB * 1024 * 1024 / len(line))


async def measure_async(data: Path, quick: bool) -> list[Figure]:
    from qwen_desktop.core.storage import Store
    from qwen_desktop.core.types import ConversationSettings, Role
    from qwen_desktop.ui.sidebar.panel import Sidebar

    store = Store(data / "db.sqlite3")
    cid = store.create_conversation(ConversationSettings(), "huge").result()
    store.add_message(cid, Role.USER, huge_text()).result()
    sidebar = Sidebar(store)
    sidebar.show()
    probe = LagProbe()
    figures = []
    for repeats in REPEATS[:1] if quick else REPEATS:
        query = " ".join(["stream"] * repeats)
        probe.start()
        started = time.perf_counter()
        sidebar.search_field.setText(query)
        sidebar.run_search()
        while sidebar.search_model.query != query:
            process_events()
            await asyncio.sleep(0.001)
            if time.perf_counter() - started > 60:
                raise TimeoutError(query)
        elapsed = (time.perf_counter() - started) * 1000
        probe.stop()
        _, p99, worst = probe.summary()
        group = f"search, {MESSAGE_MB} MB message"
        figures += [
            Figure(group, f"Qt thread stall while '{repeats} × word' runs", worst, STALL_MS, "ms",
                   f"p99 {p99:.1f} ms"),
            Figure(group, f"'{repeats} × word': results shown", elapsed, RESULTS_MS, "ms"),
        ]
        sidebar.search_field.clear()
        process_events()
    sidebar.close()
    store.close()
    return figures


def measure(quick: bool) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        qt_app()
        loop = asyncio.get_event_loop()
        with loop:
            return loop.run_until_complete(measure_async(Path(tmp), quick))


if __name__ == "__main__":
    args = bench_args(__doc__ or "")
    sys.exit(report(measure(args.quick), args))
