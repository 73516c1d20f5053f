"""Which processes have the database open for writing: one locked file per open store.

Each store takes an exclusive ``flock`` on ``<db>.writers/<token>.lock`` for as long as it is open.
The kernel drops the lock when the process ends, however it ends (SIGKILL included), so another
process can tell a live writer from a dead one by trying the same lock. Replies being streamed
carry their writer's token; start-up recovery only touches replies whose writer is gone.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: every other writer counts as alive
    fcntl = None  # type: ignore[assignment]


def writers_dir(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + ".writers")


class WriterLock:
    """This process's claim on the database, held until ``release``."""

    def __init__(self, db_path: Path) -> None:
        self.token = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        folder = writers_dir(db_path)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = folder / f"{self.token}.lock"
        # Locked under a name nobody checks, then renamed: never seen unlocked (and so "dead").
        claiming = folder / f".{self.token}.claim"
        self._fd: int | None = os.open(claiming, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        if fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(claiming, self.path)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None


def is_alive(db_path: Path, token: str | None) -> bool:
    """True while the store that took ``token`` is open in some process (this one included)."""
    if not token or "/" in token or token.startswith("."):
        return False
    path = writers_dir(db_path) / f"{token}.lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        if fcntl is None:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def live_writers(db_path: Path) -> list[str]:
    """Tokens of stores open now; lock files left by processes that died are removed on the way."""
    folder = writers_dir(db_path)
    try:
        names = [p.stem for p in folder.iterdir() if p.suffix == ".lock"]
    except OSError:
        return []
    alive = []
    for token in names:
        if is_alive(db_path, token):
            alive.append(token)
        else:
            with contextlib.suppress(OSError):
                (folder / f"{token}.lock").unlink()
    return alive
