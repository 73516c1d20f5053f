"""SIGKILL a real ``python -m qwen_desktop ask`` at 50 random points of a streaming reply.

After each kill the database is opened the way the app opens it (interrupted replies recovered)
and checked: earlier rounds intact, the question stored, the partial reply a prefix of what the
simulator sent and marked interrupted (or complete when the kill came after the end), and
``PRAGMA integrity_check`` clean.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core.paths import database_path
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Protocol, Role
from tests.simulator import Reply, Simulator

ROOT = Path(__file__).resolve().parents[2]
KILLS = 50
PARALLEL = 4
COLD = frozenset({3, 28})
"""Kills of a ``python -m qwen_desktop`` started from nothing; the rest are forked from a warm
launcher so that 50 kills fit in well under a minute."""
SEED = 20240611
CHUNK = 8
CHUNK_DELAY = 0.008
SCRIPT = "".join(f"w{i:03d}-ok " for i in range(150))
STREAM_S = len(SCRIPT) / CHUNK * CHUNK_DELAY
EARLIER_ROUNDS = 3
LAST_POINT = STREAM_S + 0.4
"""The kill that must come after the reply is complete: it waits for the process to finish instead of
trusting the clock, since a loaded machine streams slower than ``STREAM_S``."""


@dataclass
class KillResult:
    index: int
    protocol: str
    offset: float
    exit_code: int
    lost: int
    user_present: bool
    status: str
    partial: int
    integrity: str
    cold: bool


def earlier_rounds() -> list[tuple[str, str]]:
    return [(f"earlier question {i} ✓", f"earlier answer {i}: " + "lorem ipsum " * 20)
            for i in range(EARLIER_ROUNDS)]


def make_template(root: Path) -> Path:
    data = root / "template"
    data.mkdir()
    with Store(database_path(data)) as store:
        cid = store.create_conversation(ConversationSettings(model="qwen-plus"), "before").result()
        for question, answer in earlier_rounds():
            store.add_message(cid, Role.USER, question).result()
            mid = store.add_message(cid, Role.ASSISTANT, answer, reasoning="thought",
                                    model="qwen-plus").result()
            store.update_message(mid, meta={"finish_reason": "stop"}).result()
    return data


def offsets(rng: random.Random) -> list[float]:
    """Before the first chunk, right at the end, after it, and random points in between."""
    fixed = [0.0, 0.001, STREAM_S, STREAM_S + 0.05, LAST_POINT]
    return fixed + [rng.uniform(0.0, STREAM_S * 1.1) for _ in range(KILLS - len(fixed))]


def last_user_text(body: dict[str, Any]) -> str:
    messages = body.get("messages") or (body.get("input") or {}).get("messages") or []
    content = messages[-1].get("content") if messages else ""
    return content if isinstance(content, str) else ""


class Launcher:
    """A warmed-up parent (kill_launcher.py) that forks each CLI process on request."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("kill_launcher.py"))],
                                     env=env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)
        self._cond = threading.Condition()
        self._pids: dict[str, int] = {}
        self._codes: dict[int, int] = {}
        self._ready = False
        threading.Thread(target=self._read, daemon=True).start()
        with self._cond:
            assert self._cond.wait_for(lambda: self._ready, 120), "the launcher did not start"

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            words = line.split()
            with self._cond:
                if words == ["ready"]:
                    self._ready = True
                elif words[0] == "started":
                    self._pids[words[1]] = int(words[2])
                elif words[0] == "exited":
                    self._codes[int(words[1])] = int(words[2])
                self._cond.notify_all()

    def start(self, job_id: str, args: list[str], env: dict[str, str], stderr: Path) -> Child:
        assert self.proc.stdin is not None
        with self._cond:
            self.proc.stdin.write(json.dumps({"id": job_id, "args": args, "env": env,
                                              "stderr": str(stderr)}) + "\n")
            self.proc.stdin.flush()
            assert self._cond.wait_for(lambda: job_id in self._pids, 30)
            return Child(self, self._pids[job_id], stderr)

    def code(self, pid: int, timeout: float | None = 0) -> int | None:
        with self._cond:
            self._cond.wait_for(lambda: pid in self._codes, timeout)
            return self._codes.get(pid)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(30)


@dataclass
class Child:
    launcher: Launcher | None
    pid: int
    stderr: Path
    popen: subprocess.Popen[bytes] | None = None

    def poll(self) -> int | None:
        if self.popen is not None:
            return self.popen.poll()
        assert self.launcher is not None
        return self.launcher.code(self.pid)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> int:
        if self.popen is not None:
            return self.popen.wait(30)
        assert self.launcher is not None
        code = self.launcher.code(self.pid, 30)
        assert code is not None, "the process did not end"
        return code


def cold_start(args: list[str], env: dict[str, str], stderr: Path) -> Child:
    """The real entry point, ``python -m qwen_desktop``, started from nothing."""
    with open(stderr, "wb") as sink:
        popen = subprocess.Popen([sys.executable, "-m", "qwen_desktop", *args], env=env, cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=sink)
    return Child(None, popen.pid, stderr, popen)


def wait_for_request(sim: Simulator, prompt: str, child: Child, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(last_user_text(r.body) == prompt for r in list(sim.requests)):
            return
        if child.poll() is not None:
            raise AssertionError(f"the CLI exited before asking: {child.stderr.read_text()[-600:]}")
        time.sleep(0.002)
    raise AssertionError(f"no request for {prompt!r}")


def wait_for_exit(child: Child, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)


def inspect(data: Path, prompt: str) -> tuple[int, bool, str, int, str]:
    path = database_path(data)
    with Store(path) as store:
        store.recover_interrupted().result()
        cid = store.conversation_ids()[0]
        messages = store.messages(cid)
    expected = [(r, t) for q, a in earlier_rounds() for r, t in ((Role.USER, q), (Role.ASSISTANT, a))]
    kept = [(m.role, m.content) for m in messages[: len(expected)]]
    lost = sum(1 for pair in expected if pair not in kept)
    lost += sum(1 for m in messages[: len(expected)] if m.status is not MessageStatus.COMPLETE)
    later = messages[len(expected):]
    user_present = bool(later) and later[0].role is Role.USER and later[0].content == prompt
    reply = later[1] if len(later) > 1 else None
    status = reply.status.value if reply else "absent"
    partial = len(reply.content) if reply else 0
    if reply is not None:
        assert SCRIPT.startswith(reply.content), "the stored reply is not a prefix of what was sent"
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    return lost, user_present, status, partial, integrity


def kill_once(index: int, offset: float, sim: Simulator, template: Path, root: Path,
              launcher: Launcher) -> KillResult:
    data = root / f"run{index:02d}"
    shutil.copytree(template, data)
    keyring_file = root / f"keyring{index:02d}.json"
    keyring_file.write_text(json.dumps({"qwen-desktop": {"intl": sim.regions["intl"]}}))
    protocol = Protocol.OPENAI.value if index % 2 == 0 else Protocol.DASHSCOPE.value
    prompt = f"kill test #{index}"
    env = {
        "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring",
        "QWEN_TEST_KEYRING_FILE": str(keyring_file),
        "QWEN_DESKTOP_DATA_DIR": str(data),
        "QWEN_DESKTOP_REGION_URLS": f"intl={sim.base_url('intl')}",
        "PYTHONPATH": str(ROOT),
    }
    args = ["ask", prompt, "--conversation", "last", "--protocol", protocol]
    stderr = root / f"stderr{index:02d}.txt"
    if index in COLD:
        child = cold_start(args, {**{k: v for k, v in os.environ.items() if k != "DASHSCOPE_API_KEY"},
                                  **env}, stderr)
    else:
        child = launcher.start(str(index), args, env, stderr)
    try:
        wait_for_request(sim, prompt, child)
        if offset >= LAST_POINT:
            wait_for_exit(child, timeout=30)  # "after the end" however slow the machine is today
        else:
            time.sleep(offset)
        child.kill()
    finally:
        code = child.wait()
    lost, user_present, status, partial, integrity = inspect(data, prompt)
    return KillResult(index, protocol, offset, code, lost, user_present, status, partial, integrity,
                      index in COLD)


@pytest.mark.slow
def test_sigkill_at_50_points_loses_nothing(sim: Simulator, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    sim.reset()
    started = time.monotonic()
    template = make_template(tmp_path)
    points = offsets(random.Random(SEED))
    sim.enqueue(*[Reply(content=SCRIPT, chunk_chars=CHUNK, delay=CHUNK_DELAY) for _ in points],
                region="intl")
    launcher = Launcher()
    try:
        with ThreadPoolExecutor(PARALLEL) as pool:
            results = list(pool.map(
                lambda job: kill_once(job[0], job[1], sim, template, tmp_path, launcher),
                enumerate(points)))
    finally:
        launcher.close()
    elapsed = time.monotonic() - started

    partials = [r.partial for r in results]
    statuses = {s: sum(1 for r in results if r.status == s) for s in sorted({r.status for r in results})}
    figures = {
        "kills": len(results),
        "parallel": PARALLEL,
        "stream_seconds": round(STREAM_S, 2),
        "script_chars": len(SCRIPT),
        "partial_chars_min": min(partials),
        "partial_chars_median": statistics.median(partials),
        "partial_chars_max": max(partials),
        "statuses": statuses,
        "killed_before_exit": sum(1 for r in results if r.exit_code < 0),
        "cold_processes": sum(r.cold for r in results),
        "lost_messages": sum(r.lost for r in results),
        "user_message_present": sum(r.user_present for r in results),
        "integrity_ok": sum(r.integrity == "ok" for r in results),
        "seconds": round(elapsed, 1),
    }
    with capsys.disabled():
        print("\nkill-test figures: " + json.dumps(figures))

    assert figures["lost_messages"] == 0
    assert figures["user_message_present"] == KILLS
    assert figures["integrity_ok"] == KILLS
    for r in results:
        if r.exit_code < 0:
            assert r.status in ("interrupted", "complete"), r
        else:
            assert r.exit_code == 0 and r.status == "complete" and r.partial == len(SCRIPT), r
    assert statuses.get("interrupted", 0) >= KILLS // 2, "most kills land mid-stream"
    assert any(r.partial == 0 for r in results), "a kill before the first chunk is covered"
    assert any(r.partial == len(SCRIPT) for r in results), "a kill at the very end is covered"
