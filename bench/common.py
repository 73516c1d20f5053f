"""Shared by the benchmarks: figures and budgets, the Qt + qasync harness, probes, data builders.

Every benchmark runs offscreen against the Model Studio simulator over loopback. Figures are
printed as a table and, with ``--json PATH``, written for ``run_all.py`` to collect.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
for entry in (str(ROOT / "desktop"), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

GROSS_FACTOR = 3.0
KEYRING_BACKEND = "tests.keyring_backends.MemoryKeyring"
THINKING_MODEL = "qwen3-max"


@dataclass
class Figure:
    """One measured number against its budget (lower is better)."""

    group: str
    name: str
    value: float
    budget: float | None
    unit: str
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.budget is None or self.value <= self.budget

    @property
    def gross(self) -> bool:
        return self.budget is not None and self.value > self.budget * GROSS_FACTOR

    def shown(self, number: float) -> str:
        if self.unit == "×":
            return f"{number:.2f}×"
        if abs(number) >= 100:
            return f"{number:,.0f} {self.unit}"
        return f"{number:.1f} {self.unit}"

    def row(self) -> str:
        verdict = "—" if self.budget is None else "pass" if self.ok else "**FAIL**"
        note = f" ({self.note})" if self.note else ""
        budget = "—" if self.budget is None else f"≤ {self.shown(self.budget)}"
        return f"| {self.group} | {self.name}{note} | {self.shown(self.value)} | {budget} | {verdict} |"


def table(figures: Sequence[Figure]) -> str:
    lines = ["| area | figure | measured | budget | result |", "| --- | --- | ---: | ---: | --- |"]
    lines += [f.row() for f in figures]
    return "\n".join(lines)


def bench_args(description: str, argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a CI-sized run")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    return parser.parse_args(argv)


def report(figures: Sequence[Figure], args: argparse.Namespace) -> int:
    print(table(figures), flush=True)
    if args.json:
        args.json.write_text(json.dumps([asdict(f) for f in figures], indent=1))
    return 0 if all(f.ok for f in figures) else 1


def load_figures(path: Path) -> list[Figure]:
    return [Figure(**item) for item in json.loads(path.read_text())]


# ---------------------------------------------------------------- numbers


def percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def rss_mb() -> float:
    """Resident set size of this process (Linux ``/proc``; peak RSS elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# ---------------------------------------------------------------- machine


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
        cpu = found.group(1).strip() if found else cpu
        meminfo = Path("/proc/meminfo").read_text()
        total = re.search(r"^MemTotal:\s*(\d+)", meminfo, re.MULTILINE)
        memory = f"{int(total.group(1)) / 1024 / 1024:.1f} GiB" if total else ""
    except OSError:
        pass
    import PySide6
    from PySide6.QtCore import qVersion

    return {
        "CPUs (nproc)": str(os.cpu_count() or "?"),
        "CPU": cpu,
        "RAM": memory or "?",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "PySide6 / Qt": f"{PySide6.__version__} / {qVersion()}",
    }


# ---------------------------------------------------------------- Qt harness


def qt_app() -> Any:
    """The QApplication with a qasync loop set as the current event loop."""
    import keyring
    import qasync
    from PySide6.QtWidgets import QApplication

    from tests.keyring_backends import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Qwen Desktop")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    return app


def run(coro_factory: Callable[[], Any]) -> Any:
    """Run ``coro_factory()`` to completion on a fresh qasync loop."""
    app = qt_app()
    loop = asyncio.get_event_loop()
    with loop:
        return loop.run_until_complete(coro_factory())


class Harness:
    """The real main window on a data directory, its regions pointed at the simulator."""

    def __init__(self, data_dir: Path, base_urls: dict[str, str], keys: dict[str, str],
                 *, size: tuple[int, int] = (1180, 780)) -> None:
        from qwen_desktop.core.client import ChatClient
        from qwen_desktop.core.secrets import KeyStore
        from qwen_desktop.core.services import build_services
        from qwen_desktop.ui.main_window import MainWindow

        self.services = build_services(data_dir, region_overrides=base_urls, env={},
                                       keys=KeyStore(env={}), client=ChatClient(max_attempts=1))
        for region, key in keys.items():
            self.services.keys.set(region, key)
        self.window = MainWindow(self.services)
        self.window.resize(*size)

    def show(self) -> None:
        """Show the window and start what the app starts after its first paint."""
        from qwen_desktop.app import freeze_startup_heap, prewarm_after_paint

        self.window.show()
        freeze_startup_heap()
        self.preloaded = False
        prewarm_after_paint(self.window, self._preload_done, idle_ms=0)  # settle() waits for it

    def _preload_done(self) -> None:
        self.preloaded = True

    async def settle(self) -> None:
        """Wait until the after-paint preload (tokenizer, lexers) is done, as a user would be a
        second or two after start-up."""
        await wait_until(lambda: self.preloaded)

    async def close(self) -> None:
        await self.window.shutdown()
        self.window.close()
        await self.services.aclose()


async def wait_until(predicate: Callable[[], bool], timeout: float = 60, step: float = 0.005) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(step)


def process_events() -> None:
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.processEvents()


class LagProbe:
    """A timer meant to fire every ``interval_ms``; records how late each firing is."""

    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval = interval_ms / 1000
        self.lags: list[float] = []
        self._last: float | None = None
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.lags.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.lags.append(max(0.0, now - self._last - self.interval) * 1000)
        self._last = now

    def summary(self) -> tuple[float, float, float]:
        return percentile(self.lags, 0.5), percentile(self.lags, 0.99), max(self.lags, default=0.0)


class PaintProbe:
    """Timestamps of the paint events a widget receives."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        outer = self

        class Filter(QObject):
            def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
                if event.type() == QEvent.Type.Paint:
                    outer.paints.append(time.perf_counter())
                    if outer.on_paint is not None:
                        outer.on_paint()
                return False

        self.paints: list[float] = []
        self.on_paint: Callable[[], None] | None = None
        self._filter = Filter()
        self._widget = widget
        widget.installEventFilter(self._filter)

    def first_after(self, moment: float) -> float | None:
        return next((t for t in self.paints if t >= moment), None)

    def remove(self) -> None:
        self._widget.removeEventFilter(self._filter)


# ---------------------------------------------------------------- the simulator


def _serve_simulator(conn: Any) -> None:
    from tests.simulator import Simulator

    simulator = Simulator().start()
    conn.send((simulator.port, {r: simulator.base_url(r) for r in simulator.regions}, simulator.regions))
    while True:
        message = conn.recv()
        if message is None:
            break
        simulator.enqueue(message)
        conn.send(True)
    simulator.stop()


class SimulatorProcess:
    """The simulator in a process of its own, so its work is not billed to the client measured."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve_simulator, args=(child,), daemon=True)
        self._process.start()
        self.port, self.base_urls, self.keys = self._conn.recv()

    def enqueue(self, reply: Any) -> None:
        self._conn.send(reply)
        self._conn.recv()

    def close(self) -> None:
        self._conn.send(None)
        self._process.join(10)

    def __enter__(self) -> SimulatorProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@contextmanager
def in_process_simulator() -> Iterator[Any]:
    from tests.simulator import Simulator

    with Simulator() as simulator:
        simulator.base_urls = {r: simulator.base_url(r) for r in simulator.regions}
        simulator.keys = dict(simulator.regions)
        yield simulator


# ---------------------------------------------------------------- text and data


WORDS = ("the a reply stream token window budget render layout paint frame block code paragraph "
         "model region key context summary policy vector latency cursor document widget signal "
         "slot thread writer reader index search sidebar message conversation scroll page").split()


def prose(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        length = min(words, rng.randint(8, 18))
        words -= length
        sentence = " ".join(rng.choice(WORDS) for _ in range(length))
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
    return " ".join(sentences)


def code_block(rng: random.Random, lines: int) -> str:
    body = [f"def step_{i}(value: int) -> int:\n    return value * {rng.randint(2, 99)} + {i}"
            for i in range(max(1, lines // 2))]
    return "```python\n" + "\n".join(body) + "\n```"


def markdown_reply(rng: random.Random, chars: int) -> str:
    """Paragraphs, lists, headings and code blocks: about ``chars`` characters."""
    parts: list[str] = []
    size = 0
    while size < chars:
        kind = rng.random()
        if kind < 0.12:
            part = f"## {prose(rng, 4).rstrip('.')}"
        elif kind < 0.3:
            part = code_block(rng, rng.randint(4, 14))
        elif kind < 0.45:
            part = "\n".join(f"- {prose(rng, rng.randint(5, 12))}" for _ in range(rng.randint(2, 5)))
        else:
            part = prose(rng, rng.randint(30, 90))
        parts.append(part)
        size += len(part) + 2
    return "\n\n".join(parts)[:chars]


def reply_of_tokens(rng: random.Random, tokens: int, reasoning_share: float = 0.25) -> tuple[str, str]:
    """(reasoning, content) of about ``tokens`` simulator tokens (words and symbols)."""
    from tests.simulator import count_tokens

    reasoning = prose(rng, int(tokens * reasoning_share))
    content = markdown_reply(rng, int(tokens * (1 - reasoning_share)) * 6)
    have = count_tokens(content)
    target = tokens - count_tokens(reasoning)
    while have < target:
        extra = "\n\n" + prose(rng, target - have)
        content += extra
        have += count_tokens(extra)
    return reasoning, content


def seed_conversation(store: Any, messages: int, chars: int, rng: random.Random,
                      title: str = "A long conversation") -> int:
    """A conversation of ``messages`` alternating user/assistant messages through the Store."""
    from qwen_desktop.core.types import ConversationSettings, Role

    cid = store.create_conversation(ConversationSettings(model="qwen-plus"), title).result()
    rows = [(Role.USER, prose(rng, rng.randint(8, 40)), None) if i % 2 == 0
            else (Role.ASSISTANT, markdown_reply(rng, chars), "qwen-plus") for i in range(messages)]
    add_messages(store, cid, rows)
    return cid


def add_messages(store: Any, cid: int, rows: Sequence[tuple[Any, str, str | None]]) -> list[int]:
    """Insert ``(role, content, model)`` rows through the store's writer in one transaction."""
    from qwen_desktop.core.storage import writes
    from qwen_desktop.core.types import MessageStatus

    def insert(conn: sqlite3.Connection) -> list[int]:
        now = time.time()
        return [writes.add_message(conn, cid, role, content, reasoning="", status=MessageStatus.COMPLETE,
                                   model=model, attachments=None, meta=None, now=now)
                for role, content, model in rows]

    return store.run_write(insert).result()


def bulk_conversations(path: Path, conversations: int, messages: int, rng: random.Random) -> None:
    """Fill a fresh database straight through SQL (the store's schema, FTS rows included)."""
    from qwen_desktop.core.storage import Store, recent_index
    from qwen_desktop.core.storage.text import segment
    from qwen_desktop.core.types import ConversationSettings

    Store(path).close()
    settings = json.dumps(ConversationSettings(model="qwen-plus").to_json())
    now = time.time()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    titles = []
    for cid in range(1, conversations + 1):
        updated = now - cid * 3600 * 7
        title = f"{prose(rng, rng.randint(3, 6)).rstrip('.')} #{cid}"
        titles.append((cid, title, settings, updated - 600, updated))
    conn.executemany("INSERT INTO conversations(id, title, settings, created_at, updated_at)"
                     " VALUES (?, ?, ?, ?, ?)", titles)
    conn.executemany("INSERT INTO title_fts(rowid, body) VALUES (?, ?)",
                     ((cid, segment(title)) for cid, title, *_ in titles))
    per = max(1, messages // conversations)
    rows = []
    mid = 0
    for cid in range(1, conversations + 1):
        for i in range(per):
            mid += 1
            role = "user" if i % 2 == 0 else "assistant"
            text = prose(rng, rng.randint(10, 40) if role == "user" else rng.randint(30, 70))
            parent = mid - 1 if i else None  # one thread: each message follows the one before
            rows.append((mid, cid, role, text, now - cid * 3600 * 7, now - cid * 3600 * 7, parent))
    conn.executemany("INSERT INTO messages(id, conversation_id, role, content, created_at, updated_at, parent_id)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO message_fts(rowid, body) VALUES (?, ?)",
                     ((row[0], segment(row[3])) for row in rows))
    recent_index.rebuild(conn)
    conn.execute("COMMIT")
    conn.close()
    from qwen_desktop.core.storage.recovery import mark_clean_shutdown

    mark_clean_shutdown(path)  # as the app leaves it after a normal quit


SCALE_FORMAT = 2
"""Bumped whenever bulk_conversations builds something else: cached databases are rebuilt."""


def scale_databases(small: Path, large: Path, conversations: int, messages: int) -> float:
    """Two data folders for measuring the cost of a large database: ``large`` holds
    ``conversations`` conversations and ``messages`` messages, ``small`` only the newest of them
    (the one the app opens at start-up, with as many messages), so both show the same window.

    The large database is built once per schema version and kept in the temporary directory
    (``qwen-desktop-bench-*``; a build takes minutes at 100,000 conversations), then copied.
    Returns the seconds the build took (0 when it came from that cache)."""
    import shutil

    from qwen_desktop.core.paths import database_path
    from qwen_desktop.core.storage.recovery import mark_clean_shutdown
    from qwen_desktop.core.storage.schema import CURRENT_VERSION

    for folder in (small, large):
        folder.mkdir(parents=True, exist_ok=True)
    per = max(1, messages // conversations)
    bulk_conversations(database_path(small), 1, per, random.Random(9))
    cache = Path(tempfile.gettempdir()) / (
        f"qwen-desktop-bench-{conversations}-{messages}-v{CURRENT_VERSION}-f{SCALE_FORMAT}.sqlite3")
    built = 0.0
    if not cache.exists():
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(dir=cache.parent) as work:
            partial = Path(work) / "build.sqlite3"
            bulk_conversations(partial, conversations, messages, random.Random(9))
            partial.replace(cache)
        built = time.perf_counter() - started
    shutil.copyfile(cache, database_path(large))
    mark_clean_shutdown(database_path(large))
    return built


# ---------------------------------------------------------------- start-up in a fresh process


def startup_env() -> dict[str, str]:
    # without bytecode files every start compiles each module again; an installed app has them
    env = {k: v for k, v in os.environ.items() if k not in ("DASHSCOPE_API_KEY", "PYTHONDONTWRITEBYTECODE")}
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        "QWEN_DESKTOP_BENCH_EXIT_AFTER_PAINT": "1",
        "PYTHON_KEYRING_BACKEND": KEYRING_BACKEND,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "desktop"), str(ROOT), env.get("PYTHONPATH", "")]),
    })
    return env


def cold_start(data_dir: Path, timeout: float = 60) -> dict[str, float]:
    """Start ``python -m qwen_desktop`` and read the figures it reports at its first paint.

    ``wall_s`` is measured here, from just before the spawn to the reported paint.
    """
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "qwen_desktop", "--data-dir", str(data_dir)],
        env=startup_env(), capture_output=True, text=True, timeout=timeout, cwd=tempfile.gettempdir(),
    )
    line = next((l for l in done.stdout.splitlines() if l.startswith("{")), None)
    if line is None:
        raise RuntimeError(f"no first-paint report (exit {done.returncode}):\n{done.stderr[-2000:]}")
    found = json.loads(line)
    found["wall_s"] = found["painted_at"] - started
    return found


def cold_starts(data_dir: Path, runs: int) -> list[dict[str, float]]:
    cold_start(data_dir)
    return [cold_start(data_dir) for _ in range(runs)]


def paired_cold_starts(first: Path, second: Path, runs: int) -> list[tuple[dict[str, float], dict[str, float]]]:
    """Cold starts of two data folders taken in turns, the order swapped every turn, so drift of
    a shared machine (and whatever the first start of a pair leaves in caches) hits both alike."""
    cold_start(first)
    cold_start(second)
    pairs = []
    for index in range(runs):
        if index % 2 == 0:
            a = cold_start(first)
            b = cold_start(second)
        else:
            b = cold_start(second)
            a = cold_start(first)
        pairs.append((a, b))
    return pairs


# ---------------------------------------------------------------- docs


def replace_section(path: Path, start: str, end: str, body: str, title: str) -> None:
    """Write ``body`` between the markers, keeping everything else in the file."""
    block = f"{start}\n{body.rstrip()}\n{end}"
    text = path.read_text() if path.exists() else f"# {title}\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)
