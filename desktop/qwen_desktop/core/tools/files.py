"""Reading one local text file the user agreed to share."""

from __future__ import annotations

import os
from collections.abc import Hashable
from pathlib import Path

from ..files import FileRefusedError, read_bounded
from .base import ToolError

MAX_FILE_BYTES = 200_000


def resolve_path(raw: str) -> Path:
    if not raw.strip():
        raise ToolError("No file was named.")
    return Path(raw.strip()).expanduser().resolve()


def file_identity(subject: str) -> tuple[int, int] | None:
    """The device and inode of the file now at ``subject`` (None when there is none)."""
    try:
        info = os.stat(subject)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino)


def read_allowed(path: Path, identity: Hashable, limit: int = MAX_FILE_BYTES) -> str:
    """Read the file the user allowed: its real path, no link followed at the end, and only if it
    is still the same file (device and inode) as when the prompt was shown."""
    return read_text_file(path, limit, follow_links=False, identity=identity)


def read_text_file(
    path: Path, limit: int = MAX_FILE_BYTES, *, follow_links: bool = True, identity: Hashable = None
) -> str:
    try:
        data = read_bounded(path, limit, follow_links=follow_links, identity=identity)
    except FileRefusedError as exc:
        if exc.reason.startswith("is too large"):
            raise ToolError(f"{path.name} is larger than {limit:,} bytes, so it is not read.") from None
        if exc.reason == "does not exist.":
            raise ToolError(f"{path} is not a file that exists.") from None
        raise ToolError(f"{path} {exc.reason}") from None
    if b"\x00" in data:
        raise ToolError(f"{path.name} is not a text file.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ToolError(f"{path.name} is not UTF-8 text.") from None
