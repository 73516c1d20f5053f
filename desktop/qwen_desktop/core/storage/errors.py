"""Storage errors: environmental SQLite failures become one plain sentence each."""

from __future__ import annotations

import errno
import sqlite3

from qwen_desktop.core.errors import StorageError


class DiskFullError(StorageError):
    kind = "storage_full"
    sentence = "The disk is full: free some space so conversations can be saved."


class DatabaseBusyError(StorageError):
    kind = "storage_busy"
    sentence = (
        "The conversation database is locked by another program: "
        "close other copies of Qwen Desktop and try again."
    )


class DatabaseCorruptError(StorageError):
    kind = "storage_corrupt"
    sentence = (
        "The conversation database is damaged: restore it from a backup "
        "(a .bak file next to it) or move it away to start fresh."
    )


class DatabaseReadOnlyError(StorageError):
    kind = "storage_readonly"
    sentence = "The conversation database is read-only: check the permissions of its file and folder."


class DatabaseIOError(StorageError):
    kind = "storage_io"
    sentence = "The conversation database file could not be read or written: check the disk and its permissions."


class DatabaseTooNewError(StorageError):
    kind = "storage_too_new"
    sentence = "The conversation database was written by a newer version of Qwen Desktop."


class ForeignDatabaseError(StorageError):
    kind = "storage_foreign"
    sentence = "This file is not a Qwen Desktop conversation database."


class StoreClosedError(StorageError):
    kind = "storage_closed"
    sentence = "The conversation database is already closed."


class NotFoundError(StorageError):
    kind = "storage_not_found"
    sentence = "That conversation no longer exists."


_BY_CODE: dict[str, type[StorageError]] = {
    "SQLITE_FULL": DiskFullError,
    "SQLITE_BUSY": DatabaseBusyError,
    "SQLITE_LOCKED": DatabaseBusyError,
    "SQLITE_CORRUPT": DatabaseCorruptError,
    "SQLITE_NOTADB": DatabaseCorruptError,
    "SQLITE_READONLY": DatabaseReadOnlyError,
    "SQLITE_IOERR": DatabaseIOError,
    "SQLITE_CANTOPEN": DatabaseIOError,
    "SQLITE_PERM": DatabaseReadOnlyError,
}


class FileWriteError(StorageError):
    kind = "storage_file"
    sentence = "A file could not be saved in the data folder: check the disk and its permissions."


def file_write_error(exc: OSError) -> StorageError:
    """A failed write of a file beside the database (an image, a document) as a sentence."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        error: StorageError = DiskFullError(server_message=str(exc))
    else:
        error = FileWriteError(server_message=str(exc))
    error.__cause__ = exc
    return error


def _primary_code(name: str | None) -> str:
    """``SQLITE_IOERR_WRITE`` and friends share the primary code's meaning."""
    if not name:
        return ""
    for code in _BY_CODE:
        if name == code or name.startswith(code + "_"):
            return code
    return name


def storage_error(exc: BaseException) -> BaseException:
    """Map a sqlite3 error to a StorageError; anything else (a bug) passes through unchanged."""
    if isinstance(exc, StorageError) or not isinstance(exc, sqlite3.Error):
        return exc
    name = getattr(exc, "sqlite_errorname", None)
    cls = _BY_CODE.get(_primary_code(name))
    if cls is None and isinstance(exc, sqlite3.ProgrammingError) and "closed" in str(exc):
        cls = StoreClosedError
    if cls is None:
        error = StorageError(
            f"The conversation database could not be used: {exc}.",
            server_message=str(exc),
            code=name,
        )
    else:
        error = cls(server_message=str(exc), code=name)
    error.__cause__ = exc
    return error
