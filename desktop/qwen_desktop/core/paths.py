"""Where the app keeps its files: one data directory holding config, database, logs and attachments."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "qwen-desktop"
DATA_DIR_ENV = "QWEN_DESKTOP_DATA_DIR"


def resolve_data_dir(
    override: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] = os.environ,
) -> Path:
    """Pick the data directory (``--data-dir``, then the environment, then the platform default) and create it."""
    if override:
        chosen = Path(override)
    elif env.get(DATA_DIR_ENV):
        chosen = Path(env[DATA_DIR_ENV])
    else:
        chosen = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    chosen = chosen.expanduser().resolve()
    _make_private_dir(chosen)
    return chosen


def _make_private_dir(path: Path) -> None:
    existed = path.is_dir()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not existed and os.name == "posix":
        os.chmod(path, 0o700)


def database_path(data_dir: Path) -> Path:
    return Path(data_dir) / "conversations.sqlite3"


def config_path(data_dir: Path) -> Path:
    return Path(data_dir) / "config.json"


def log_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "logs"


def attachments_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "attachments"
