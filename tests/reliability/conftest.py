"""Shared pieces of the reliability tests: one simulator, the qasync fixtures, a window harness."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.simulator import Simulator
from tests.ui.conftest import qloop, run_async  # noqa: F401 - fixtures shared with the UI tests

from .harness import Harness


@pytest.fixture(scope="session")
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


@pytest.fixture
def harness(qtbot: Any, run_async: Any, sim: Simulator, data_dir: Path,  # noqa: F811
            memory_keyring: Any) -> Iterator[Harness]:
    sim.reset()
    h = Harness(qtbot, run_async, sim, data_dir)
    yield h
    h.close_all()
