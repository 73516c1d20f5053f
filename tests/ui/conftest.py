"""Qt + asyncio for UI tests: one qasync loop per test, and no exception on it goes unseen."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from tests.simulator import Simulator
from tests.ui.harness import Harness

T = TypeVar("T")


class LoopErrors(list):  # type: ignore[type-arg]
    def format(self) -> str:
        lines = []
        for context in self:
            error = context.get("exception")
            lines.append(f"{context.get('message')}: {error!r}")
        return "\n".join(lines)


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """A qasync loop driven by Qt's event loop (pytest-qt's waits spin it).

    The loop is never stopped or closed: with ``already_running`` that would end the
    application's event loop for the tests after this one.
    """
    loop = qasync.QEventLoop(qapp, already_running=True)
    executor = ThreadPoolExecutor(2)
    loop.set_default_executor(executor)
    asyncio.set_event_loop(loop)
    errors = LoopErrors()
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    loop.errors = errors  # type: ignore[attr-defined]
    yield loop
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    for _ in range(500):
        if all(task.done() for task in pending):
            break
        qapp.processEvents()
    executor.shutdown(wait=True)
    try:
        qapp.aboutToQuit.disconnect(loop._after_run_forever)
    except (RuntimeError, TypeError):
        pass
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)
    if errors:
        pytest.fail("exceptions on the asyncio loop:\n" + errors.format())


@pytest.fixture
def run_async(qtbot: Any, qloop: qasync.QEventLoop) -> Callable[..., Any]:
    """Run a coroutine to completion on the test's qasync loop while Qt keeps painting."""

    def run(awaitable: Awaitable[T], timeout: float = 10.0) -> T:
        future = asyncio.ensure_future(awaitable)
        qtbot.waitUntil(future.done, timeout=int(timeout * 1000))
        return future.result()

    return run


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


@pytest.fixture
def harness(qtbot: Any, run_async: Any, sim: Simulator, data_dir: Any,
            memory_keyring: Any) -> Iterator[Harness]:
    sim.reset()
    h = Harness(qtbot, run_async, sim, data_dir)
    yield h
    h.close_all()
