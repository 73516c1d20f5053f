"""Guards against known-bad platform combinations (see pyproject.toml and platform-facts)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata

import pytest

CALLS = 20_000
TOLERANCE = 50

on_cpython_311 = pytest.mark.skipif(
    platform.python_implementation() != "CPython" or sys.version_info[:2] != (3, 11),
    reason="the None refcount bug concerns CPython 3.11",
)

_REFCOUNT_SCRIPT = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication.instance() or QApplication([])
label = QLabel()
timer = QTimer()
before = sys.getrefcount(None)
for i in range({CALLS} // 2):
    label.setText("x")
    timer.setInterval(i % 1000 + 1)
after = sys.getrefcount(None)
print("DELTA", after - before)
"""


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")[:2] if part.isdigit())


@on_cpython_311
def test_pyside6_is_below_6_12() -> None:
    import PySide6

    assert _version_tuple(PySide6.__version__) < (6, 12), f"PySide6 {PySide6.__version__} breaks None on 3.11"
    for distribution in ("pyside6-essentials", "pyside6", "shiboken6"):
        try:
            installed = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
        assert _version_tuple(installed) < (6, 12), f"{distribution} {installed} breaks None's refcount on 3.11"


@on_cpython_311
def test_void_qt_calls_keep_none_refcount() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", _REFCOUNT_SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"Qt process died ({result.returncode}): {result.stderr[-2000:]}"
    delta_lines = [line for line in result.stdout.splitlines() if line.startswith("DELTA ")]
    assert delta_lines, result.stdout + result.stderr
    delta = int(delta_lines[-1].split()[1])
    assert abs(delta) <= TOLERANCE, f"None's refcount changed by {delta} over {CALLS} void Qt calls"
