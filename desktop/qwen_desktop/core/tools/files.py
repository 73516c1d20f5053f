"""Reading one local text file the user agreed to share."""

from __future__ import annotations

from pathlib import Path

from ..files import FileRefusedError, read_bounded
from .base import ToolError

MAX_FILE_BYTES = 200_000


def resolve_path(raw: str) -> Path:
    if not raw.strip():
        raise ToolError("No file was named.")
    return Path(raw.strip()).expanduser().resolve()


def read_text_file(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    try:
        data = read_bounded(path, limit)
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
