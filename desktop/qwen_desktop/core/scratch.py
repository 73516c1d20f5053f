"""Scratch space inside the data folder, one subfolder per process and purpose.

Temporary files (a backup being built, a restore being unpacked, an image being written) live
in ``<data>/.scratch/<purpose>-<pid>-<random>/``: on the same disk as their destination, so they
move into place with one rename, and named by their process, so what a killed process left
behind is recognised and removed at the next start without touching a live process's files.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from pathlib import Path

SCRATCH = ".scratch"
_OWNER = re.compile(r"-(\d+)-[0-9a-f]{8}")
_mine: dict[tuple[int, Path], Path] = {}


def scratch_dir(data_dir: Path) -> Path:
    return Path(data_dir) / SCRATCH


def new_scratch(data_dir: Path, purpose: str) -> Path:
    folder = scratch_dir(data_dir) / f"{purpose}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(mode=0o700, parents=True)
    return folder


def process_scratch(data_dir: Path) -> Path:
    """This process's long-lived scratch folder (created on first use, again after a fork)."""
    key = (os.getpid(), Path(data_dir))
    folder = _mine.get(key)
    if folder is None or not folder.is_dir():
        folder = new_scratch(data_dir, "files")
        _mine[key] = folder
    return folder


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner_gone(name: str) -> bool:
    """Names carry the pid that made them: ``<purpose>-<pid>-<random>``."""
    match = _OWNER.search(name)
    return match is None or not pid_alive(int(match.group(1)))


def clean_scratch(data_dir: Path) -> int:
    """Remove the scratch of processes that are gone; returns how many folders went."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in list(scratch_dir(data_dir).iterdir()):
            if owner_gone(entry.name):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
                removed += 1
    return removed
