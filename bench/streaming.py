"""Streaming: a long reply with thinking, as fast as the simulator can send it and at 60 chunks/s.

Measures the Qt event loop's lag while streaming (a 5 ms timer's lateness), the time from the
last chunk's arrival to its text on screen, CPU time per 1,000 chunks, and the app's end-to-end
time against the bare ``openai`` SDK reading the same stream with no UI. The simulator runs in
a process of its own.

    uv run python bench/streaming.py [--quick]
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    THINKING_MODEL, Figure, Harness, LagProbe, PaintProbe, SimulatorProcess, bench_args, qt_app,
    reply_of_tokens, report, wait_until,
)

LAG_P99_MS = 16.0
LAG_MAX_MS = 50.0
LAST_CHUNK_MS = 50.0
E2E_RATIO = 1.5
PACED_RATE = 60


@dataclass
class Case:
    name: str
    chunk_chars: int
    delay: float


@dataclass
class AppRun:
    e2e: float
    chunks: int
    cpu: float
    last_to_screen: float
    lags: tuple[float, float, float]


async def bare_sdk(sim: SimulatorProcess, reply: Any) -> tuple[float, int]:
    """Seconds from the request to the end of the stream, and the chunks read, with no UI."""
    import openai

    from qwen_desktop.core.regions import RegionRegistry

    region = next(iter(sim.base_urls))
    url = RegionRegistry([], overrides=sim.base_urls).get(region).compatible_url
    client = openai.AsyncOpenAI(api_key=sim.keys[region], base_url=url, max_retries=0)
    try:
        async def once() -> tuple[float, int]:
            started = time.perf_counter()
            stream = await client.chat.completions.create(
                model=THINKING_MODEL, messages=[{"role": "user", "content": "Tell me everything."}],
                stream=True, stream_options={"include_usage": True},
                extra_body={"enable_thinking": True},
            )
            chunks = 0
            async for chunk in stream:
                if chunk.choices:
                    delta = chunk.choices[0].delta
                    if delta.content or getattr(delta, "reasoning_content", None):
                        chunks += 1
            return time.perf_counter() - started, chunks

        sim.enqueue(type(reply)(content="Warm-up."))
        await once()
        sim.enqueue(reply)
        return await once()
    finally:
        await client.close()


def thinking_settings(window: Any) -> None:
    from qwen_desktop.core.types import ThinkingMode

    settings = window.current_settings().with_(thinking=ThinkingMode.ON, model=THINKING_MODEL)
    window.bar.set_settings(settings)
    window.draft_settings = settings


async def app_stream(harness: Harness, sim: SimulatorProcess, reply: Any) -> AppRun:
    from qwen_desktop.core.types import ContentDelta, ReasoningDelta

    window = harness.window
    arrivals: list[float] = []
    probes: list[PaintProbe] = []
    dispatch = window._dispatch
    begin = window.view.begin_reply

    def counting_dispatch(cid: int, event: Any, clear: bool) -> None:
        if isinstance(event, (ContentDelta, ReasoningDelta)):
            arrivals.append(time.perf_counter())
        dispatch(cid, event, clear)

    def probing_begin(message_id: int, model: str) -> None:
        begin(message_id, model)
        widget = window.view.widget_for(message_id)
        probes.append(PaintProbe(widget.text_view.viewport()))

    window._dispatch = counting_dispatch
    window.view.begin_reply = probing_begin
    tail = reply.content[-reply.chunk_chars:]
    lag = LagProbe()
    sim.enqueue(reply)
    await asyncio.sleep(0.2)
    lag.start()
    cpu = time.process_time()
    started = time.perf_counter()
    window.composer.set_text("Tell me everything.")
    window.composer.send_button.click()
    await wait_until(lambda: bool(probes) and not window.is_streaming(), timeout=600, step=0.01)
    widget = window.view.widget_for(window.view.message_widgets()[-1].message_id)
    last = arrivals[-1]
    await wait_until(lambda: widget.source.endswith(tail) and probes[-1].first_after(last) is not None,
                     timeout=5, step=0.001)
    shown = probes[-1].first_after(last)
    assert shown is not None
    await asyncio.sleep(0.1)
    lag.stop()
    cpu = time.process_time() - cpu
    for probe in probes:
        probe.remove()
    window._dispatch = dispatch
    window.view.begin_reply = begin
    return AppRun(shown - started, len(arrivals), cpu, shown - last, lag.summary())


async def measure_app(sim: SimulatorProcess, replies: list[tuple[Case, Any]]) -> list[AppRun]:
    from qwen_desktop.core.client import preload_transports

    preload_transports()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        harness = Harness(Path(tmp), sim.base_urls, sim.keys)
        harness.show()
        thinking_settings(harness.window)
        try:
            sim.enqueue(type(replies[0][1])(content="Warm-up."))
            harness.window.composer.set_text("Warm up")
            harness.window.composer.send_button.click()
            await wait_until(lambda: not harness.window.is_streaming() and len(harness.window.view.message_widgets()) >= 2)
            for _case, reply in replies:
                harness.window.new_conversation()
                thinking_settings(harness.window)
                await asyncio.sleep(0.2)
                results.append(await app_stream(harness, sim, reply))
        finally:
            await harness.close()
    return results


def measure(quick: bool) -> list[Figure]:
    from tests.simulator import Reply

    tokens = 4_000 if quick else 20_000
    reasoning, content = reply_of_tokens(random.Random(11), tokens)
    chars = len(reasoning) + len(content)
    paced_chunks = PACED_RATE * (4 if quick else 15)
    cases = [Case("as fast as sent", 6, 0.0),
             Case(f"{PACED_RATE} chunks/s", max(6, chars // paced_chunks), 1 / PACED_RATE)]
    replies = [(c, Reply(reasoning=reasoning, content=content, chunk_chars=c.chunk_chars, delay=c.delay))
               for c in cases]
    figures: list[Figure] = []
    with SimulatorProcess() as sim:
        bare = [asyncio.new_event_loop().run_until_complete(bare_sdk(sim, r)) for _, r in replies]
        qt_app()
        loop = asyncio.get_event_loop()
        with loop:
            runs = loop.run_until_complete(measure_app(sim, replies))
    for (case, _), run, (sdk_s, sdk_chunks) in zip(replies, runs, bare):
        group = f"streaming, {tokens:,} tokens, {case.name}"
        note = f"{run.chunks:,} chunks, {run.e2e:.2f} s"
        p50, p99, worst = run.lags
        figures += [
            Figure(group, "event-loop lag p50", p50, LAG_P99_MS, "ms", note),
            Figure(group, "event-loop lag p99", p99, LAG_P99_MS, "ms"),
            Figure(group, "event-loop lag max", worst, LAG_MAX_MS, "ms"),
            Figure(group, "last chunk → on screen", run.last_to_screen * 1000, LAST_CHUNK_MS, "ms"),
            Figure(group, "CPU time per 1,000 chunks", run.cpu / max(1, run.chunks) * 1000_000,
                   None, "ms", "whole process, every thread"),
            Figure(group, "app end-to-end ÷ bare SDK", run.e2e / sdk_s, E2E_RATIO, "×",
                   f"SDK {sdk_s:.2f} s, {sdk_chunks:,} chunks"),
        ]
    return figures


def main(argv: list[str] | None = None) -> int:
    args = bench_args(__doc__.splitlines()[0], argv)
    return report(measure(args.quick), args)


if __name__ == "__main__":
    raise SystemExit(main())
