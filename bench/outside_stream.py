"""Streaming measured from outside the process: the real window under Xvfb against the fair floor.

Each turn streams the same reply three times from the simulator (in this process), one reader
after the other so a busy machine slows them alike:

``floor``   the openai SDK's raw streaming response, its lines, ``json.loads`` per chunk, no UI
            (``outside/stream_reader.py floor``; ``bytes`` splits the lines by hand, a tighter
            floor reported beside it);
``client``  the app's own client, no window (``outside/stream_reader.py client``);
``window``  the real app (``python -m qwen_desktop``): the question is typed into the composer
            and sent with Enter.

Each is timed from the request's arrival at the server to the last chunk: read (floor, client),
or on screen (window). The floor and the client are separate processes, like the window. "On screen" is seen by the X server: the watcher follows the window's
DAMAGE rectangles (a text cursor's blink, narrower than 24 px, is not counted) and takes the last
one before the window stays still for 0.8 s. The app's lag probe (a 5 ms timer) gives the
event-loop lag from the request to that moment. A second case (full runs) sends a 3 MB reply at
1 MB/s (2,000-character chunks) to the window: paced, the app keeps up with the network, so the
server's last write is when the last chunk arrives, and the figure is from then to the window
settled.

    uv run python bench/outside_stream.py [--quick] [--turns N] [--before CHECKOUT]
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Figure, median, percentile, reply_of_tokens, report  # noqa: E402
from outside import (  # noqa: E402
    DataFolder, Watcher, load_average, read_probe, start_app, wait_for_probe, x_session, xvfb_missing,
)

READER = Path(__file__).resolve().parent / "outside" / "stream_reader.py"
MODEL = "qwen-plus"
CLIENT_RATIO = 1.1
WINDOW_RATIO = 1.5
LAG_P99_MS = 16.0
LAG_MAX_MS = 50.0
LAST_CHUNK_MS = 100.0
QUIET_S = 0.8
MIN_DAMAGE_WIDTH = 24
HUGE_RATE = 1_000_000
HUGE_CHUNK = 2_000
GROUP = "outside: streaming in the real window"


class DamageWatcher(Watcher):
    """The watcher, also keeping the time of every damaged rectangle of one window."""

    def follow(self, window: int) -> None:
        from Xlib.ext import damage

        target = self.display.create_resource_object("window", window)
        made = target.damage_create(damage.DamageReportRawRectangles)
        self._followed = int(getattr(made, "id", made))
        self.damages: list[float] = []
        self.display.sync()

    def _handle(self, event: Any) -> None:
        followed = getattr(self, "_followed", None)
        if (followed is not None and event.type == self._damage_event
                and int(getattr(event.damage, "id", event.damage)) == followed):
            if event.area.width >= MIN_DAMAGE_WIDTH:
                self.damages.append(time.time())
            return
        super()._handle(event)

    def settled(self, after: float, timeout: float = 120) -> float:
        """The last damage once the window has stayed still for QUIET_S after ``after``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.1)
            last = self.damages[-1] if self.damages else 0.0
            if last >= after and time.time() - last >= QUIET_S:
                return last
            if last < after and time.time() - after >= QUIET_S:
                return after  # nothing left to paint after the moment asked about
        raise TimeoutError("the window kept changing")


@dataclass
class Turn:
    floor_s: float
    bytes_s: float
    client_s: float
    window_s: float
    window_after_last_ms: float
    lag_p99_ms: float
    lag_max_ms: float
    load: float


@dataclass
class Huge:
    after_last_ms: float
    stream_s: float
    lag_p99_ms: float
    lag_max_ms: float


def read_once(mode: str, simulator: Any, reply: Any) -> float:
    """Seconds from the request at the server to the last chunk read by ``mode``'s reader."""
    region = "intl"
    process = subprocess.Popen(
        [sys.executable, str(READER), mode, simulator.base_url(region), simulator.regions[region], MODEL],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stdout is not None and process.stdin is not None
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the {mode} reader did not start")
        expected = len(simulator.requests) + 1
        simulator.enqueue(reply)
        process.stdin.write("\n")
        process.stdin.flush()
        done = json.loads(process.stdout.readline())
        request = simulator.wait_for_requests(expected)[expected - 1]
        return float(done["end"]) - request.received_at
    finally:
        process.wait(30)


def window_once(watcher: DamageWatcher, simulator: Any, reply: Any, probe: Path, question: str
                ) -> tuple[float, float, float, list[float]]:
    """(request at the server, server's last write, window settled, lag of the probe between)."""
    expected = len(simulator.requests) + 1
    ended = len(simulator.stream_ends)
    simulator.enqueue(reply)
    watcher.type_text(question, gap=0.02)
    watcher.key("Return")
    request = simulator.wait_for_requests(expected, timeout=60)[expected - 1]
    while len(simulator.stream_ends) <= ended:
        watcher.pump(0.05)
    last_write = simulator.stream_ends[ended]
    settled = watcher.settled(last_write)
    wait_for_probe(probe, settled)
    lags = [t.lag_ms for t in read_probe(probe, since=request.received_at, until=settled)]
    return request.received_at, last_write, settled, lags


def run(turns: int, quick: bool, source: Path = ROOT) -> tuple[list[Turn], Huge | None]:
    from tests.simulator import Reply, Simulator

    tokens = 4_000 if quick else 20_000
    _, content = reply_of_tokens(random.Random(11), tokens, reasoning_share=0.0)
    reply = Reply(content=content, chunk_chars=6)
    with tempfile.TemporaryDirectory() as tmp, Simulator() as simulator, x_session() as (server, plain):
        plain.close()
        watcher = DamageWatcher(server.display)
        root = Path(tmp)
        data = DataFolder.create(root)
        data.set_key("intl", simulator.regions["intl"])
        urls = {region: simulator.base_url(region) for region in simulator.regions}
        probe = root / "lag.txt"
        app = start_app(server.display, data, region_urls=urls, lag_probe=probe, log=root / "app.log",
                        source=source)
        try:
            seen = watcher.wait_painted(app.pid, alive=app.popen)
            watcher.focus(seen.window)
            watcher.follow(seen.window)
            watcher.pump(1.0)
            simulator.enqueue(Reply(content="Warm."))
            watcher.type_text("warm up", gap=0.02)
            watcher.key("Return")
            simulator.wait_for_requests(1, timeout=60)
            watcher.settled(time.time())
            read_once("floor", simulator, Reply(content="Warm."))
            read_once("client", simulator, Reply(content="Warm."))
            done: list[Turn] = []
            for index in range(turns):
                load = load_average()
                floor = read_once("floor", simulator, reply)
                tight = read_once("bytes", simulator, reply)
                client = read_once("client", simulator, reply)
                asked, last_write, settled, lags = window_once(watcher, simulator, reply, probe, f"tell me {index}")
                done.append(Turn(floor, tight, client, settled - asked, (settled - last_write) * 1000,
                                 percentile(lags, 0.99), max(lags, default=0.0), load))
            huge = None
            if not quick:
                text = ("lorem ipsum dolor sit amet " * (3_000_000 // 27 + 1))[:3_000_000]
                big = Reply(content=text, chunk_chars=HUGE_CHUNK, delay=HUGE_CHUNK / HUGE_RATE)
                asked, last_write, settled, lags = window_once(watcher, simulator, big, probe, "a long one")
                huge = Huge((settled - last_write) * 1000, last_write - asked, percentile(lags, 0.99),
                            max(lags, default=0.0))
        except Exception as error:
            shot = Path(tempfile.gettempdir()) / "outside-stream-failed.png"
            subprocess.run(["import", "-display", server.display, "-window", "root", str(shot)], check=False)
            raise RuntimeError(f"{error} (screen: {shot})\n{app.output()[-3000:]}") from error
        finally:
            app.close()
            watcher.close()
    return done, huge


def figures(turns: list[Turn], huge: Huge | None, tokens: int) -> list[Figure]:
    n = len(turns)
    load = f"load {min(t.load for t in turns):.1f}–{max(t.load for t in turns):.1f}"
    floor = median([t.floor_s for t in turns])
    group = f"{GROUP}, {tokens:,} tokens as fast as sent"
    out = [
        Figure(group, "floor: SDK raw stream + json.loads, request → last chunk read", floor, None, "s",
               f"median of {n}; {load}"),
        Figure(group, "client ÷ floor (the app's client, no window)",
               median([t.client_s / t.floor_s for t in turns]), CLIENT_RATIO, "×",
               f"client {median([t.client_s for t in turns]):.2f} s"),
        Figure(group, "client ÷ tighter floor (bytes split into lines by hand)",
               median([t.client_s / t.bytes_s for t in turns]), None, "×",
               f"that floor {median([t.bytes_s for t in turns]):.2f} s; the SDK's line iterator costs more"),
        Figure(group, "window ÷ floor (request → last chunk on screen)",
               median([t.window_s / t.floor_s for t in turns]), WINDOW_RATIO, "×",
               f"window {median([t.window_s for t in turns]):.2f} s"),
        Figure(group, "server's last write → window still", median([t.window_after_last_ms for t in turns]),
               None, "ms", f"worst {max(t.window_after_last_ms for t in turns):.0f} ms; at full speed the "
               "socket buffers hold what the app has not read yet, see the paced case"),
        Figure(group, "event-loop lag p99", median([t.lag_p99_ms for t in turns]), LAG_P99_MS, "ms",
               "5 ms timer in the app, request → window still"),
        Figure(group, "event-loop lag max", max(t.lag_max_ms for t in turns), LAG_MAX_MS, "ms", f"worst of {n}"),
    ]
    if huge is not None:
        group = f"{GROUP}, 3 MB at 1 MB/s"
        out += [
            Figure(group, "server's last write → window still", huge.after_last_ms, LAST_CHUNK_MS, "ms",
                   f"stream {huge.stream_s:.1f} s at the server"),
            Figure(group, "event-loop lag p99", huge.lag_p99_ms, LAG_P99_MS, "ms"),
            Figure(group, "event-loop lag max", huge.lag_max_ms, LAG_MAX_MS, "ms"),
        ]
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--turns", type=int)
    parser.add_argument("--before", type=Path, metavar="CHECKOUT",
                        help="run that checkout's app first, then this one's, and print both")
    args = parser.parse_args(argv)
    missing = xvfb_missing()
    if missing:
        print(f"skipped: {missing}", file=sys.stderr)
        return report([], args)
    turns = args.turns or (1 if args.quick else 3)
    tokens = 4_000 if args.quick else 20_000
    if args.before is not None:
        then, then_huge = run(turns, args.quick, args.before)
        print("before:", file=sys.stderr)
        for figure in figures(then, then_huge, tokens):
            print(f"  {figure.group}: {figure.name} = {figure.shown(figure.value)}", file=sys.stderr)
    done, huge = run(turns, args.quick)
    for t in done:
        print(f"floor {t.floor_s:.2f} s  client {t.client_s:.2f} s  window {t.window_s:.2f} s  "
              f"after last write {t.window_after_last_ms:.0f} ms  lag p99 {t.lag_p99_ms:.1f} max "
              f"{t.lag_max_ms:.1f} ms  load {t.load:.1f}", file=sys.stderr)
    return report(figures(done, huge, tokens), args)


if __name__ == "__main__":
    raise SystemExit(main())
