"""Event-loop lag, measured in the real window for benchmarks run from outside the process.

Enabled only when ``QWEN_DESKTOP_LAG_PROBE`` names a file: a precise timer meant to fire every
5 ms records how late each firing is, one line ``<time.time()> <lateness in ms>`` per firing,
written in batches (every 100 ms of firings, and at exit). A user never runs it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TextIO

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer

ENV = "QWEN_DESKTOP_LAG_PROBE"
INTERVAL_MS = 5
FLUSH_EVERY_S = 0.1


class LagProbe(QObject):
    def __init__(self, out: TextIO, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._out = out
        self._lines: list[str] = []
        self._last = time.perf_counter()
        self._flushed = self._last
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        late = max(0.0, (now - self._last) * 1000 - INTERVAL_MS)
        self._last = now
        self._lines.append(f"{time.time():.4f} {late:.2f}\n")
        if now - self._flushed >= FLUSH_EVERY_S:
            self.flush()

    def flush(self) -> None:
        self._flushed = time.perf_counter()
        if self._lines:
            self._out.write("".join(self._lines))
            self._out.flush()
            self._lines.clear()


def start_if_asked(env: Mapping[str, str]) -> LagProbe | None:
    path = env.get(ENV)
    if not path:
        return None
    app = QCoreApplication.instance()
    out = open(path, "a", encoding="ascii")  # noqa: SIM115 - open for the life of the app
    probe = LagProbe(out, app)
    if app is not None:
        app.aboutToQuit.connect(probe.flush)
    return probe
