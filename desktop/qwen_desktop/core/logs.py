"""Logging to a rotating file in the data directory, with API keys redacted everywhere."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from qwen_desktop.core.paths import log_dir
from qwen_desktop.core.redact import RedactingFilter

LOG_FILE = "qwen-desktop.log"
QUIET_LOGGERS = (
    "httpx", "httpx2", "httpcore", "httpcore2", "openai", "dashscope", "aiohttp", "urllib3", "websocket",
)
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _AppFileHandler(logging.handlers.RotatingFileHandler):
    """Marks the handler this module installed, so a second setup replaces it."""


def setup_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Log to ``<data_dir>/logs/qwen-desktop.log``; returns the log file's path."""
    directory = log_dir(data_dir)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / LOG_FILE
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _AppFileHandler)]:
        root.removeHandler(old)
        old.close()
    handler = _AppFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    for existing in root.handlers:
        install_filter(existing)
        _install_gate(existing)
    for name in QUIET_LOGGERS:
        quiet(logging.getLogger(name))
    return path


class LibraryGate(logging.Filter):
    """Drops records below WARNING from the HTTP and SDK libraries, whatever level their loggers have.

    The SDKs may turn their loggers up after start-up (dashscope reads ``DASHSCOPE_LOGGING_LEVEL``
    when it is first imported and adds a console handler; ``OPENAI_LOG`` does the same for openai),
    and at INFO or DEBUG those loggers write full URLs, headers and request bodies. A filter on the
    logger itself runs before any handler, including ones added later; one on our handlers covers
    child loggers (``httpcore.http11``) whose records only propagate.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        name = record.name
        return not any(name == quiet or name.startswith(quiet + ".") for quiet in QUIET_LOGGERS)


def _install_gate(target: logging.Handler | logging.Logger) -> None:
    if not any(isinstance(f, LibraryGate) for f in target.filters):
        target.addFilter(LibraryGate())


def install_filter(target: logging.Handler | logging.Logger) -> None:
    if not any(isinstance(f, RedactingFilter) for f in target.filters):
        target.addFilter(RedactingFilter())


def quiet(logger: logging.Logger) -> None:
    """Raise a library logger to WARNING and redact whatever it still emits, through its own handlers too.

    The dashscope SDK attaches a console handler of its own when ``DASHSCOPE_LOGGING_LEVEL`` is
    set, and at DEBUG it logs request bodies, stream messages and exceptions.
    """
    logger.setLevel(logging.WARNING)
    _install_gate(logger)
    install_filter(logger)
    for handler in logger.handlers:
        install_filter(handler)
        _install_gate(handler)
