"""The real window in its own process, for the SIGKILL tests: it asks one question and streams.

Started as ``python tests/reliability/window_stream_child.py QUESTION``, with the data folder, the
region URLs and a file keyring in the environment (as ``test_kill.py`` sets them). It builds
the services and the ``MainWindow`` the way ``python -m qwen_desktop`` does, types the question
into the composer and clicks Send, then prints ``sent`` on stdout at the moment of the click
and ``done`` once the reply has finished. The test kills it with SIGKILL somewhere in between.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(question: str) -> int:
    import qasync
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from PySide6.QtWidgets import QApplication

    from qwen_desktop.app import create_window
    from qwen_desktop.core.client import preload_transports
    from qwen_desktop.core.logs import setup_logging
    from qwen_desktop.core.paths import resolve_data_dir
    from qwen_desktop.core.services import region_overrides_from_env

    app = QApplication(["qwen-desktop"])
    data_dir = resolve_data_dir(None)
    setup_logging(data_dir, logging.INFO)
    preload_transports()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = create_window(data_dir, region_urls=region_overrides_from_env(os.environ))
    services = window.services
    window.show()
    finished = asyncio.Event()

    def ask() -> None:
        if services.store.conversation_ids():
            window.open_conversation(services.store.conversation_ids()[0])
        window.composer.set_text(question)
        QTest.mouseClick(window.composer.send_button, Qt.MouseButton.LeftButton)
        print("sent", flush=True)
        QTimer.singleShot(20, watch)

    def watch() -> None:
        if window.is_streaming():
            QTimer.singleShot(20, watch)
        else:
            finished.set()

    QTimer.singleShot(2500, ask)  # a moment after start-up, as a person would type
    with loop:
        loop.run_until_complete(finished.wait())
        print("done", flush=True)
        loop.run_until_complete(window.shutdown())
        loop.run_until_complete(services.aclose())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
