"""Start-up helpers shared by the window (``app.py``) and the terminal commands (``cli.py``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping


def data_dir_problem(error: OSError) -> str:
    """One sentence for a data directory that cannot be created or written."""
    where = f" ({error.filename})" if error.filename else ""
    return (f"The data folder cannot be used{where}: {error.strerror or error}. "
            "Check its permissions or choose another one with --data-dir.")


def log_level(env: Mapping[str, str]) -> int:
    name = env.get("QWEN_DESKTOP_LOG_LEVEL", "INFO").upper()
    level = logging.getLevelName(name)
    return level if isinstance(level, int) else logging.INFO
