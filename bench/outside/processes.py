"""The real app and its floor (a bare PySide6 window) as processes under an X server.

Whole-process figures come from ``/proc``: CPU is user + system time of the process (and of
children it waited for), RSS is ``VmRSS``, both read at the moment the window was seen painted.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BARE_WINDOW = Path(__file__).with_name("bare_window.py")
KEYRING_BACKEND = "tests.keyring_backends.FileKeyring"
LAG_PROBE_ENV = "QWEN_DESKTOP_LAG_PROBE"
"""The app's event-loop lag probe (``qwen_desktop.ui.common.lag_probe``) writes to this file."""


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    ticks = sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def load_average() -> float:
    return os.getloadavg()[0]


DROPPED_ENV = ("DASHSCOPE_API_KEY", "QT_QPA_PLATFORM", LAG_PROBE_ENV, "WAYLAND_DISPLAY", "PYTHONDONTWRITEBYTECODE")
"""Not passed on. Without bytecode files every start compiles each module again (seconds): an
installed app has them, so the processes measured here write and use them too."""


def base_env(display: str, source: Path = ROOT) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update({
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(source / "desktop"), str(ROOT), env.get("PYTHONPATH")])),
    })
    return env


class Process:
    """A GUI process under the X server; stopped with SIGTERM (then SIGKILL) on close."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path | None = None) -> None:
        self.log = log
        out = open(log, "wb") if log is not None else subprocess.DEVNULL  # noqa: SIM115
        self.started = time.time()
        self.popen = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                      cwd=tempfile.gettempdir())
        if log is not None:
            out.close()  # type: ignore[union-attr]

    @property
    def pid(self) -> int:
        return self.popen.pid

    def cpu_s(self) -> float | None:
        return cpu_seconds(self.pid)

    def rss_mb(self) -> float | None:
        return rss_mb(self.pid)

    def close(self, timeout: float = 15) -> int | None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        return self.popen.returncode

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log is not None and self.log.exists() else ""

    def __enter__(self) -> Process:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def start_bare_window(display: str) -> Process:
    """The floor: a bare PySide6 window with one text view, same interpreter and X server."""
    return Process([sys.executable, str(BARE_WINDOW)], base_env(display))


@dataclass
class DataFolder:
    """A data folder for the real app, with keys in a keyring file it shares with this process."""

    path: Path
    keyring_file: Path

    @classmethod
    def create(cls, root: Path, name: str = "data") -> DataFolder:
        path = root / name
        path.mkdir(parents=True, exist_ok=True)
        return cls(path, root / f"{name}-keyring.json")

    def set_key(self, region: str, key: str) -> None:
        from qwen_desktop.core.secrets import SERVICE

        data = json.loads(self.keyring_file.read_text()) if self.keyring_file.exists() else {}
        data.setdefault(SERVICE, {})[region] = key
        self.keyring_file.write_text(json.dumps(data))


def start_app(display: str, data: DataFolder, *, region_urls: dict[str, str] | None = None,
              lag_probe: Path | None = None, log: Path | None = None,
              extra_env: dict[str, str] | None = None, source: Path = ROOT) -> Process:
    """``python -m qwen_desktop --data-dir …`` as the ``qwen-desktop`` entry point runs it.

    ``source``: the checkout whose ``desktop/`` is run (another one gives a "before" to compare
    with in the same run; the dependencies are this environment's)."""
    env = base_env(display, source)
    env.update({"PYTHON_KEYRING_BACKEND": KEYRING_BACKEND, "QWEN_TEST_KEYRING_FILE": str(data.keyring_file)})
    if region_urls:
        env["QWEN_DESKTOP_REGION_URLS"] = ",".join(f"{k}={v}" for k, v in region_urls.items())
    if lag_probe is not None:
        env[LAG_PROBE_ENV] = str(lag_probe)
    env.update(extra_env or {})
    return Process([sys.executable, "-m", "qwen_desktop", "--data-dir", str(data.path)], env, log)


@dataclass
class Tick:
    at: float
    """``time.time()`` of the firing."""
    lag_ms: float


def read_probe(path: Path, since: float = 0.0, until: float = float("inf")) -> list[Tick]:
    """The lag probe's firings between two moments (``time.time()``)."""
    ticks: list[Tick] = []
    with contextlib.suppress(FileNotFoundError):
        for line in path.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2:
                tick = Tick(float(parts[0]), float(parts[1]))
                if since <= tick.at <= until:
                    ticks.append(tick)
    return ticks


def wait_for_probe(path: Path, until: float, timeout: float = 10) -> None:
    """Wait until the probe has written a firing at or after ``until`` (it writes in batches)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ticks = read_probe(path, since=until)
        if ticks:
            return
        time.sleep(0.05)
