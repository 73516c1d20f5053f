"""Wiring: QApplication, the qasync loop, services and the main window."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from .core import errors as e
from .core.logs import setup_logging
from .core.paths import resolve_data_dir
from .core.services import Services, build_services, region_overrides_from_env

log = logging.getLogger(__name__)

APP_NAME = "Qwen Desktop"


def ensure_qapplication(argv: Sequence[str] = ()) -> object:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0], *argv])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("qwen-desktop")
    app.setApplicationDisplayName(APP_NAME)
    return app


def create_window(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    region_urls: Mapping[str, str] | None = None,
    services: Services | None = None,
) -> object:
    """Build the real main window in-process (tests and outside harnesses use this).

    The keyring backend is whatever ``keyring`` is set to (``keyring.set_keyring`` or
    ``PYTHON_KEYRING_BACKEND``). A qasync loop must be the current event loop.
    """
    from .ui.main_window import MainWindow

    ensure_qapplication()
    services = services or build_services(data_dir, region_overrides=region_urls)
    return MainWindow(services)


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="qwen-desktop", description="Qwen Desktop")
    p.add_argument("--data-dir")
    p.add_argument("--theme", choices=["system", "light", "dark"])
    return p.parse_args(list(argv))


def run_app(argv: Sequence[str]) -> int:
    args = _parse(argv)
    import qasync

    app = ensure_qapplication(argv)
    data_dir = resolve_data_dir(args.data_dir)
    from .cli import log_level

    setup_logging(data_dir, log_level(os.environ))
    try:
        services = build_services(data_dir, region_overrides=region_overrides_from_env(os.environ))
    except e.QwenError as error:
        return _fatal(str(error))
    if args.theme:
        services.config.theme = args.theme
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    from .ui.main_window import MainWindow

    window = MainWindow(services)
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    window.show()
    try:
        with loop:
            loop.run_until_complete(closed.wait())
            loop.run_until_complete(window.shutdown())
            loop.run_until_complete(services.aclose())
    finally:
        asyncio.set_event_loop(None)
    return 0


def _fatal(sentence: str) -> int:
    from PySide6.QtWidgets import QMessageBox

    log.error("start-up failed: %s", sentence)
    QMessageBox.critical(None, APP_NAME, sentence)
    return 1


