"""A large database from outside: the real app under Xvfb on 100,000 conversations and on one.

Each turn starts the real app (``python -m qwen_desktop``) on two data folders, one after the
other under the same X server, the order swapped every turn: one holding only the conversation
the app opens at start-up, and one holding it among 100,000 conversations (1,000,000 messages).
For each start: process start → window painted (seen by the X server, see outside/xserver.py),
whole-process CPU at that moment and 2 s later, and the longest event-loop stall in those 2 s
(the app's 5 ms lag probe): how long input typed as the window appears could wait. The cost of
the database is the median of the per-turn differences, so a busy machine slows both alike.

    uv run python bench/outside_scale.py [--quick] [--turns N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, median, report, scale_databases  # noqa: E402
from outside import (  # noqa: E402
    DataFolder, Watcher, load_average, read_probe, start_app, wait_for_probe, x_session, xvfb_missing,
)

CONVERSATIONS = 100_000
MESSAGES = 1_000_000
PENALTY_MS = 50.0
STALL_MS = 50.0
AFTER_PAINT_S = 2.0


@dataclass
class Start:
    paint_s: float
    cpu_paint_s: float
    cpu_after_s: float
    stall_ms: float


def start(watcher: Watcher, display: str, data: DataFolder, urls: dict[str, str], root: Path, name: str) -> Start:
    probe = root / f"lag-{name}.txt"
    process = start_app(display, data, region_urls=urls, lag_probe=probe, log=root / f"app-{name}.log")
    try:
        seen = watcher.wait_painted(process.pid, alive=process.popen)
        cpu_paint = process.cpu_s() or 0.0
        painted = seen.painted or time.time()
        watcher.pump(max(0.0, painted + AFTER_PAINT_S - time.time()))
        cpu_after = process.cpu_s() or 0.0
        wait_for_probe(probe, painted + AFTER_PAINT_S)
        ticks = read_probe(probe, since=painted, until=painted + AFTER_PAINT_S)
    except Exception as error:
        raise RuntimeError(f"{error}\n{process.output()[-3000:]}") from error
    finally:
        process.close()
        watcher.forget()
    return Start(painted - process.started, cpu_paint, cpu_after, max((t.lag_ms for t in ticks), default=0.0))


def run_turns(turns: int, conversations: int, messages: int) -> tuple[list[tuple[Start, Start]], float, float]:
    from tests.simulator import Simulator

    with tempfile.TemporaryDirectory() as tmp, Simulator() as simulator, x_session() as (server, watcher):
        root = Path(tmp)
        urls = {region: simulator.base_url(region) for region in simulator.regions}
        small, large = DataFolder.create(root, "small"), DataFolder.create(root, "large")
        built = scale_databases(small.path, large.path, conversations, messages)
        for data in (small, large):
            data.set_key("intl", simulator.regions["intl"])
        loads = [load_average()]
        start(watcher, server.display, small, urls, root, "warm-small")  # bytecode, file cache
        start(watcher, server.display, large, urls, root, "warm-large")
        pairs = []
        for index in range(turns):
            order = (small, large) if index % 2 == 0 else (large, small)
            got = {id(data): start(watcher, server.display, data, urls, root, f"{index}-{n}")
                   for n, data in enumerate(order)}
            pairs.append((got[id(small)], got[id(large)]))
            loads.append(load_average())
        return pairs, built, max(loads)


def figures(pairs: list[tuple[Start, Start]], conversations: int, messages: int, built: float,
            load: float) -> list[Figure]:
    group = f"outside: {conversations:,} conversations"
    n = len(pairs)
    paint = [(large.paint_s - small.paint_s) * 1000 for small, large in pairs]
    cpu_paint = [(large.cpu_paint_s - small.cpu_paint_s) * 1000 for small, large in pairs]
    cpu_after = [large.cpu_after_s / max(0.01, small.cpu_after_s) for small, large in pairs]
    return [
        Figure(group, "start-up penalty: window painted, large − small database", median(paint), PENALTY_MS, "ms",
               f"median of {n} turns in alternating order; painted at {median([l.paint_s for _, l in pairs]):.2f} s vs "
               f"{median([s.paint_s for s, _ in pairs]):.2f} s; {messages:,} messages, built in {built:.0f} s; "
               f"load up to {load:.1f}"),
        Figure(group, "whole-process CPU to first paint, large − small", median(cpu_paint), PENALTY_MS, "ms",
               f"median of {n} paired differences"),
        Figure(group, f"whole-process CPU to {AFTER_PAINT_S:.0f} s after paint, large ÷ small", median(cpu_after), None, "×",
               f"{median([l.cpu_after_s for _, l in pairs]):.2f} s vs {median([s.cpu_after_s for s, _ in pairs]):.2f} s"),
        Figure(group, f"longest event-loop stall in the {AFTER_PAINT_S:.0f} s after paint, large database",
               max(l.stall_ms for _, l in pairs), STALL_MS, "ms",
               f"worst of {n}; small database {max(s.stall_ms for s, _ in pairs):.0f} ms (5 ms timer in the app)"),
    ]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--turns", type=int)
    parser.add_argument("--conversations", type=int)
    args = parser.parse_args(argv)
    missing = xvfb_missing()
    if missing:
        print(f"skipped: {missing}", file=sys.stderr)
        return report([], args)
    conversations = args.conversations or (2_000 if args.quick else CONVERSATIONS)
    messages = conversations * (MESSAGES // CONVERSATIONS)
    pairs, built, load = run_turns(args.turns or (2 if args.quick else 7), conversations, messages)
    for small, large in pairs:
        print(f"small {small.paint_s:.3f} s cpu {small.cpu_paint_s:.2f}/{small.cpu_after_s:.2f} stall "
              f"{small.stall_ms:.0f} ms | large {large.paint_s:.3f} s cpu {large.cpu_paint_s:.2f}/"
              f"{large.cpu_after_s:.2f} stall {large.stall_ms:.0f} ms", file=sys.stderr)
    return report(figures(pairs, conversations, messages, built, load), args)


if __name__ == "__main__":
    raise SystemExit(main())
