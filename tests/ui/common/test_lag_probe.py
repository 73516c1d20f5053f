"""The event-loop lag probe the outside benchmarks read: off unless asked, then one line a firing."""

from __future__ import annotations

import time
from pathlib import Path

from qwen_desktop.ui.common import lag_probe


def test_the_probe_is_off_without_its_variable() -> None:
    assert lag_probe.start_if_asked({}) is None


def test_the_probe_writes_how_late_each_firing_was(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "lag.txt"
    started = time.time()
    probe = lag_probe.start_if_asked({lag_probe.ENV: str(out)})
    assert probe is not None
    qtbot.wait(60)
    time.sleep(0.08)  # the event loop is blocked: the next firing is at least 70 ms late
    qtbot.wait(30)
    probe.flush()
    lines = [line.split() for line in out.read_text().splitlines()]
    assert len(lines) >= 5
    stamps = [float(at) for at, _ in lines]
    lags = [float(late) for _, late in lines]
    assert started <= stamps[0] <= stamps[-1] <= time.time()
    assert max(lags) >= 70
    probe.deleteLater()
