"""Opening the database file: connection settings, version check, backup, migrations."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from qwen_desktop.core.storage import schema
from qwen_desktop.core.storage.errors import DatabaseTooNewError, ForeignDatabaseError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
WAL_SIZE_LIMIT = 4 * 1024 * 1024
"""After a checkpoint the WAL file is cut back to this size instead of keeping its largest size."""


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode; transactions are begun explicitly."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    return conn


def connect_reader(path: Path) -> sqlite3.Connection:
    conn = connect(path)
    conn.execute("PRAGMA query_only = ON")
    return conn


def backup_path(path: Path, version: int, clock: Callable[[], float]) -> Path:
    """``<name>.v<version>.bak``, or with a timestamp if that backup already exists."""
    plain = path.with_name(f"{path.name}.v{version}.bak")
    if not plain.exists():
        return plain
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(clock()))
    candidate = path.with_name(f"{path.name}.v{version}.{stamp}.bak")
    counter = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.v{version}.{stamp}-{counter}.bak")
        counter += 1
    return candidate


def backup(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent single-file copy made with SQLite's online backup API."""
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        conn.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        copy.close()


def _check_version(conn: sqlite3.Connection, path: Path) -> int:
    version = schema.user_version(conn)
    if version > schema.CURRENT_VERSION:
        raise DatabaseTooNewError(
            f"The conversation database {path.name} was written by a newer version of Qwen Desktop "
            f"(schema version {version}; this version knows up to {schema.CURRENT_VERSION}). "
            "Update the app to open it."
        )
    if version == 0 and not schema.is_empty(conn):
        raise ForeignDatabaseError(f"{path} is not a Qwen Desktop conversation database.")
    return version


def open_writer(path: Path, clock: Callable[[], float]) -> sqlite3.Connection:
    """The writer's connection to an up-to-date database; backs up before migrating."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    try:
        version = _check_version(conn, path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT:d}")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if 0 < version < schema.CURRENT_VERSION:
            target = backup_path(path, version, clock)
            backup(conn, target)
            log.info("Backed up schema v%d database to %s before migrating", version, target)
        applied = schema.migrate(conn)
        if applied:
            log.info("Migrated %s to schema v%d", path.name, applied[-1])
    except BaseException:
        conn.close()
        raise
    return conn
