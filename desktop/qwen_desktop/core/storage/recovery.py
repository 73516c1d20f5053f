"""Starting on a damaged database: move it aside (never delete it) and begin a fresh one."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from qwen_desktop.core.files import read_bounded
from qwen_desktop.core.storage.errors import DatabaseCorruptError, ForeignDatabaseError
from qwen_desktop.core.storage.store import Store

log = logging.getLogger(__name__)

_SIDECARS = ("", "-wal", "-shm")
_HEADER = b"SQLite format 3\x00"


def quick_check(path: Path) -> str:
    """``PRAGMA quick_check`` of the file, read-only; "ok" when SQLite finds nothing wrong."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    finally:
        conn.close()
    return "; ".join(str(row[0]) for row in rows[:5])


def move_aside(path: Path, clock: Callable[[], float] = time.time) -> Path:
    """Rename the database and its -wal/-shm files to ``<name>.corrupt-<timestamp>``."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(clock()))
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while any(Path(f"{target}{suffix}").exists() for suffix in _SIDECARS):
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    for suffix in _SIDECARS:
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{target}{suffix}"))
    return target


def has_sqlite_header(path: Path) -> bool:
    """True for a missing or empty file (a new database) or one that starts like SQLite.

    Checked before SQLite opens the file: closing a connection to a damaged file can remove
    its -wal and -shm companions, which must move aside with it.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_HEADER))
    except FileNotFoundError:
        return True
    return not head or head == _HEADER


def _clean_marker(path: Path) -> Path:
    return path.with_name(f"{path.name}.clean")


def _fingerprint(path: Path) -> dict[str, int]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def mark_clean_shutdown(path: Path) -> None:
    """After the store is closed: note the file as it was left, so the next start can trust it."""
    wal = Path(f"{path}-wal")
    if not path.exists() or (wal.exists() and wal.stat().st_size > 0):
        return
    marker = _clean_marker(path)
    temporary = marker.with_name(marker.name + ".tmp")
    try:
        temporary.write_text(json.dumps(_fingerprint(path)), encoding="utf-8")
        os.replace(temporary, marker)
    except OSError as exc:  # a full disk: the next start simply runs the full check
        log.warning("Could not note the clean shutdown: %s", exc)
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _closed_cleanly(path: Path) -> bool:
    """True when the last run closed the database and nothing has touched the file since.

    The marker is consumed: a run that dies before closing leaves none, so the next start checks.
    """
    marker = _clean_marker(path)
    try:
        recorded = json.loads(read_bounded(marker, 4096))
    except (OSError, ValueError):
        return False
    finally:
        with contextlib.suppress(OSError):
            marker.unlink(missing_ok=True)
    try:
        return bool(recorded == _fingerprint(path))
    except OSError:
        return False


def _open_checked(path: Path, clock: Callable[[], float]) -> Store:
    if not has_sqlite_header(path):
        raise DatabaseCorruptError(server_message="the file does not start with the SQLite header")
    trusted = _closed_cleanly(path)
    store = Store(path, clock=clock)
    if trusted:
        return store
    try:
        verdict = quick_check(path)
    except sqlite3.DatabaseError as exc:
        store.close()
        raise DatabaseCorruptError(server_message=str(exc)) from exc
    if verdict != "ok":
        store.close()
        raise DatabaseCorruptError(server_message=verdict)
    return store


def open_store_safely(
    path: Path, *, clock: Callable[[], float] = time.time
) -> tuple[Store, str | None]:
    """Open the store; a damaged or foreign file is moved aside and a fresh one started.

    Returns the store and, when a file was moved, the sentence to tell the user.
    """
    path = Path(path)
    try:
        return _open_checked(path, clock), None
    except (DatabaseCorruptError, ForeignDatabaseError) as error:
        problem = error
    moved = move_aside(path, clock)
    log.error("Moved the unreadable database to %s: %s", moved, problem.server_message or problem)
    reason = "was damaged" if isinstance(problem, DatabaseCorruptError) else "was not a Qwen Desktop database"
    notice = (
        f"The conversation database {reason}, so it was moved to {moved.name} and a new, empty one "
        "was started. Nothing was deleted: restore an older copy from a backup if you have one."
    )
    return Store(path, clock=clock), notice
