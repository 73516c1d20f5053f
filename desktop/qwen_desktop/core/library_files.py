"""The checks every exported library file (assistants, saved prompts) gets before its entries are read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .files import FileRefusedError, read_bounded


@dataclass(frozen=True)
class ImportResult:
    """How many entries an import added, and how many it replaced (the same id already stored)."""

    added: int
    replaced: int


def read_entries(path: Path, *, error: type[ConfigError], what: str, key: str, file_format: str,
                 newest: int, max_bytes: int, max_entries: int) -> list[Any]:
    """The list under ``key`` of a file of ``file_format`` at most version ``newest``, or ``error``
    with one sentence naming the file as ``what`` ("an assistants file"). A pipe, device or folder
    is refused without waiting on it."""
    name = path.name
    try:
        data = json.loads(read_bounded(path, max_bytes).decode("utf-8"))
    except FileRefusedError as refused:
        if refused.reason == "does not exist.":
            raise error(f"There is no file {name} to import.") from None
        if refused.reason.startswith("is too large"):
            size = path.stat().st_size
            raise error(f"{name} is too large to be {what} ({size:,} bytes; at most {max_bytes:,}).") from None
        raise error(f"{name} {refused.reason}") from None
    except OSError as failure:
        raise error(f"{name} could not be read: {failure.strerror or failure}.") from None
    except (ValueError, RecursionError):
        raise error(f"{name} is not {what}: it is not valid JSON text.") from None
    if not isinstance(data, dict) or data.get("format") != file_format:
        raise error(f"{name} is not {what} exported by Qwen Desktop.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > newest:
        raise error(f"{name} was written by a newer version of Qwen Desktop; update the app to import it.")
    entries = data.get(key)
    if not isinstance(entries, list):
        raise error(f"{name} holds no list of {key}.")
    if len(entries) > max_entries:
        raise error(f"{name} holds {len(entries):,} {key}; at most {max_entries:,} can be imported at once.")
    return entries
