"""Growth: what one streamed chunk costs to show (append, flush, lay out, paint) as the reply grows.

Text is streamed into the real message view up to 2k, 20k and 200k characters; at each length
the next chunks are timed one flush and one paint each. The cost must stay flat. Three streams:
a Markdown answer (paragraphs, lists, headings, code), and thinking and an answer that are each
one paragraph with no line break at all (as some models write, and CJK text often is). Each
reply follows earlier messages of the same kind of text (expanded thinking before thinking) that
fill the window, and the same sample of text is timed at every length. The Markdown answer is
held to the budget from 2k to 200k; a one-paragraph stream is compared from 20k, because at 2k
it is still shorter than the window and a chunk repaints only that much of the screen.

    uv run python bench/growth.py [--quick]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, bench_args, markdown_reply, median, process_events, prose, qt_app, report  # noqa: E402

LENGTHS = (2_000, 20_000, 200_000)
FLAT_RATIO = 1.3
CHUNK_CHARS = 8


HISTORY = 6


def earlier_messages(rng: random.Random, thinking: bool) -> list[Any]:
    """Messages that fill the window with the kind of text the timed stream adds."""
    from qwen_desktop.core.storage import Message
    from qwen_desktop.core.types import MessageStatus, Role

    def message(number: int) -> Message:
        user = number % 2 == 0
        role = Role.USER if user else Role.ASSISTANT
        content = prose_of(rng, 200) if user else "Done." if thinking else prose_of(rng, 1_500)
        reasoning = prose_of(rng, 1_500) if thinking and not user else ""
        return Message(id=number, conversation_id=1, role=role, content=content, reasoning=reasoning,
                       attachments=[], usage=None, status=MessageStatus.COMPLETE, error=None,
                       model=None if user else "qwen-plus", created_at=0.0, updated_at=0.0,
                       reasoning_ms=None, context=None, meta={})

    return [message(n) for n in range(HISTORY)]


def show_history(view: Any, thinking: bool) -> None:
    view.set_messages(earlier_messages(random.Random(9), thinking))
    process_events()
    for widget in view.message_widgets():
        section = getattr(widget, "thinking", None)
        if section is not None and not section.expanded:
            section.toggle.click()
    process_events()


def prose_of(rng: random.Random, chars: int) -> str:
    return prose(rng, chars // 5)[:chars]


STREAMS = ("Markdown answer", "thinking, one paragraph", "answer, one paragraph")


def per_chunk_ms(stream: str, quick: bool) -> dict[int, float]:
    from PySide6.QtWidgets import QMainWindow

    from qwen_desktop.ui.chat.view import MessageView

    window = QMainWindow()
    view = MessageView(window)
    window.setCentralWidget(view)
    window.resize(1180, 780)
    window.show()
    process_events()
    show_history(view, stream.startswith("thinking"))
    samples = 120 if quick else 400
    markdown = stream == STREAMS[0]
    sample = (markdown_reply if markdown else prose_of)(random.Random(7), samples * CHUNK_CHARS)
    filler = (markdown_reply if markdown else prose_of)(random.Random(5), max(LENGTHS))
    append = view.append_reasoning if stream.startswith("thinking") else view.append_content
    message_id = HISTORY + 1
    view.begin_reply(message_id, "qwen-plus")
    fed = 0
    costs: dict[int, float] = {}
    for length in LENGTHS:
        # The same sample at every length, after filler that ends between two blocks.
        end = filler.rfind("\n\n", fed, length) if markdown else length
        bulk = filler[fed:end] + ("\n\n" if markdown else " ")
        fed = end
        append(message_id, bulk)
        view.flush()
        process_events()
        timings = []
        for start in range(0, len(sample), CHUNK_CHARS):
            started = time.perf_counter()
            append(message_id, sample[start:start + CHUNK_CHARS])
            view.flush()
            window.repaint()
            process_events()
            timings.append((time.perf_counter() - started) * 1000)
        append(message_id, "\n\n" if markdown else " ")
        costs[length] = median(timings)
    window.close()
    return costs


def measure(quick: bool) -> list[Figure]:
    qt_app()
    figures = []
    for stream in STREAMS:
        costs = per_chunk_ms(stream, quick)
        group = f"growth, {stream}"
        figures += [Figure(group, f"cost per chunk at {n:,} characters", cost, None, "ms", "median")
                    for n, cost in costs.items()]
        # A one-paragraph stream of 2,000 characters is shorter than the window, and each chunk
        # repaints only that much; from 20,000 on it fills the window like any long reply.
        base = LENGTHS[0] if stream == STREAMS[0] else LENGTHS[1]
        note = "" if base == LENGTHS[0] else "at 2,000 the text is shorter than the window and repaints less"
        figures.append(Figure(group, f"cost per chunk at {LENGTHS[-1]:,} ÷ at {base:,}",
                              costs[LENGTHS[-1]] / costs[base], FLAT_RATIO, "×", note))
    return figures


def main(argv: list[str] | None = None) -> int:
    args = bench_args(__doc__.splitlines()[0], argv)
    return report(measure(args.quick), args)


if __name__ == "__main__":
    raise SystemExit(main())
