"""Reading one local text file the user agreed to share."""

from __future__ import annotations

from pathlib import Path

from .base import ToolError

MAX_FILE_BYTES = 200_000


def resolve_path(raw: str) -> Path:
    if not raw.strip():
        raise ToolError("No file was named.")
    return Path(raw.strip()).expanduser().resolve()


def read_text_file(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    if not path.is_file():
        raise ToolError(f"{path} is not a file that exists.")
    size = path.stat().st_size
    if size > limit:
        raise ToolError(f"{path.name} is {size:,} bytes; files above {limit:,} bytes are not read.")
    data = path.read_bytes()
    if b"\x00" in data:
        raise ToolError(f"{path.name} is not a text file.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ToolError(f"{path.name} is not UTF-8 text.") from None
