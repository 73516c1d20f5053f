"""Growth: what one streamed chunk costs to show (append, flush, lay out, paint) as the reply grows.

Text is streamed into the real message view up to 2k, 20k and 200k characters; at each length
the next chunks are timed one flush and one paint each. The cost must stay flat. Three streams:
a Markdown answer (paragraphs, lists, headings, code), and thinking and an answer that are each
one paragraph with no line break at all (as some models write, and CJK text often is).

    uv run python bench/growth.py [--quick]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, bench_args, markdown_reply, median, process_events, prose, qt_app, report  # noqa: E402

LENGTHS = (2_000, 20_000, 200_000)
FLAT_RATIO = 1.3
CHUNK_CHARS = 8


STREAMS = ("Markdown answer", "thinking, one paragraph", "answer, one paragraph")


def per_chunk_ms(stream: str, quick: bool) -> dict[int, float]:
    from PySide6.QtWidgets import QMainWindow

    from qwen_desktop.ui.chat_view import MessageView

    window = QMainWindow()
    view = MessageView(window)
    window.setCentralWidget(view)
    window.resize(1180, 780)
    window.show()
    process_events()
    rng = random.Random(5)
    size = max(LENGTHS) + 20_000
    text = markdown_reply(rng, size) if stream == STREAMS[0] else prose(rng, size // 5)
    chunks = [text[i:i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)]
    append = view.append_reasoning if stream.startswith("thinking") else view.append_content
    samples = 120 if quick else 400
    view.begin_reply(1, "qwen-plus")
    fed = 0
    costs: dict[int, float] = {}
    for length in LENGTHS:
        bulk = "".join(chunks[fed:length // CHUNK_CHARS])
        fed = length // CHUNK_CHARS
        append(1, bulk)
        view.flush()
        process_events()
        timings = []
        for chunk in chunks[fed:fed + samples]:
            started = time.perf_counter()
            append(1, chunk)
            view.flush()
            window.repaint()
            process_events()
            timings.append((time.perf_counter() - started) * 1000)
        fed += samples
        costs[length] = median(timings)
    window.close()
    return costs


def measure(quick: bool) -> list[Figure]:
    qt_app()
    figures = []
    for stream in STREAMS:
        costs = per_chunk_ms(stream, quick)
        group = f"growth, {stream}"
        base = costs[LENGTHS[0]]
        figures += [Figure(group, f"cost per chunk at {n:,} characters", cost, None, "ms", "median")
                    for n, cost in costs.items()]
        figures.append(Figure(group, f"cost per chunk at {LENGTHS[-1]:,} ÷ at {LENGTHS[0]:,}",
                              costs[LENGTHS[-1]] / base, FLAT_RATIO, "×"))
    return figures


def main(argv: list[str] | None = None) -> int:
    args = bench_args(__doc__.splitlines()[0], argv)
    return report(measure(args.quick), args)


if __name__ == "__main__":
    raise SystemExit(main())
