"""SIGKILL the real window (its own process) right after Send and at points of a streaming reply.

The window is built by ``create_window`` in a process of its own (``window_stream_child.py``), which
clicks Send. After each kill the data folder is opened as the app opens it and
checked as in ``test_kill.py``: earlier rounds intact, the question stored (also when the
kill comes a moment after Send), the partial reply a prefix of what the simulator sent, and
``PRAGMA integrity_check`` clean.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.simulator import Reply, Simulator

from .test_kill import CHUNK, CHUNK_DELAY, SCRIPT, STREAM_S, inspect, make_template

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("window_stream_child.py")
SEED = 16
RIGHT_AFTER_SEND = [0.02, 0.05, 0.1, 0.15, 0.25, 0.4, 0.6]
"""Kills in the first moments after the click (measured from when the test reads the window's
``sent``), over the 0.25-0.6 s in which the question used to be lost: it must already be stored.
The click hands it to the writer thread at once; a kill in the first few milliseconds, before
that thread has committed, can still lose it."""
AFTER_THE_END = -1.0
"""Kill once the window reports the reply finished."""
PARALLEL = 2


@dataclass
class WindowKill:
    index: int
    offset: float
    exit_code: int
    lost: int
    user_present: bool
    status: str
    partial: int
    integrity: str


def offsets(rng: random.Random) -> list[float]:
    mid = [rng.uniform(0.8, 0.8 + STREAM_S) for _ in range(3)]
    return [*RIGHT_AFTER_SEND, *mid, AFTER_THE_END]


def kill_window(index: int, offset: float, sim: Simulator, template: Path, root: Path) -> WindowKill:
    data = root / f"window{index:02d}"
    shutil.copytree(template, data)
    keyring_file = root / f"keyring{index:02d}.json"
    keyring_file.write_text(json.dumps({"qwen-desktop": {"intl": sim.regions["intl"]}}))
    prompt = f"window kill #{index}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DASHSCOPE_API_KEY"},
        "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring",
        "QWEN_TEST_KEYRING_FILE": str(keyring_file),
        "QWEN_DESKTOP_DATA_DIR": str(data),
        "QWEN_DESKTOP_REGION_URLS": f"intl={sim.base_url('intl')}",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "desktop")]),
        "QT_QPA_PLATFORM": "offscreen",
    }
    stderr = root / f"window{index:02d}.err"
    with open(stderr, "wb") as sink:
        child = subprocess.Popen([sys.executable, str(CHILD), prompt], env=env, cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=sink)
    try:
        assert child.stdout is not None
        seen, done = threading.Event(), threading.Event()

        def read() -> None:
            assert child.stdout is not None
            for line in child.stdout:
                if line.strip() == b"sent":
                    seen.set()
                elif line.strip() == b"done":
                    done.set()

        threading.Thread(target=read, daemon=True).start()
        assert seen.wait(120), f"the window never sent: {stderr.read_text()[-800:]}"
        if offset == AFTER_THE_END:
            assert done.wait(120), f"the reply never finished: {stderr.read_text()[-800:]}"
        elif offset:
            time.sleep(offset)
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGKILL)
        code = child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(30)
    lost, user_present, status, partial, integrity = inspect(data, prompt)
    return WindowKill(index, offset, code, lost, user_present, status, partial, integrity)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_sigkill_of_the_window_keeps_the_question_and_everything_completed(
    sim: Simulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim.reset()
    points = offsets(random.Random(SEED))
    sim.enqueue(*[Reply(content=SCRIPT, chunk_chars=CHUNK, delay=CHUNK_DELAY) for _ in points],
                region="intl")
    template = make_template(tmp_path)
    started = time.monotonic()
    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(lambda job: kill_window(job[0], job[1], sim, template, tmp_path),
                                enumerate(points)))
    figures = {
        "kills": len(results),
        "right_after_send": len(RIGHT_AFTER_SEND),
        "killed": sum(1 for r in results if r.exit_code < 0),
        "question_kept": sum(r.user_present for r in results),
        "lost_messages": sum(r.lost for r in results),
        "statuses": {s: sum(1 for r in results if r.status == s) for s in sorted({r.status for r in results})},
        "integrity_ok": sum(r.integrity == "ok" for r in results),
        "seconds": round(time.monotonic() - started, 1),
    }
    with capsys.disabled():
        print("\nwindow kill figures: " + json.dumps(figures))
    assert figures["lost_messages"] == 0
    assert figures["question_kept"] == len(points), [r for r in results if not r.user_present]
    assert figures["integrity_ok"] == len(points)
    for r in results:
        assert r.status in ("absent", "interrupted", "complete"), r
    last = results[-1]
    assert last.status == "complete" and last.partial == len(SCRIPT), last
