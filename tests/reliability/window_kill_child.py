"""The real window in a process of its own, doing one data action through its own controls.

Usage: ``window_kill_child.py DATA_DIR ACTION ARGUMENT``; ACTION is ``delete`` (ARGUMENT: the
conversation ids, comma-separated, deleted one per event-loop turn), ``import`` (a JSON export)
or ``backup`` (a folder). Prints ``ready``, ``started`` when the action begins and ``done
<seconds>`` when the window reports it finished; the test SIGKILLs it somewhere in between.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def say(line: str) -> None:
    print(line, flush=True)


def main(data_dir: Path, action: str, argument: str) -> None:
    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from qwen_desktop.app import create_window

    app = QApplication(["qwen-desktop"])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = create_window(data_dir)
    window.show()
    started = time.monotonic()

    def finished(text: str = "") -> None:
        say(f"done {time.monotonic() - started:.3f} {text}")

    def choose(dialog_name: str, path: str) -> None:
        dialog = window.data_actions.dialog
        assert dialog is not None and dialog.objectName() == dialog_name
        dialog.fileSelected.emit(path)
        dialog.reject()

    def act() -> None:
        nonlocal started
        say("ready")
        started = time.monotonic()
        if action == "delete":
            ids = [int(v) for v in argument.split(",")]
            say("started")

            def next_one() -> None:
                if not ids:
                    finished()
                    return
                window.delete_conversation(ids.pop(0))
                QTimer.singleShot(0, next_one)

            next_one()
            return
        window.data_actions.done.connect(finished)
        if action == "import":
            window.data_actions.import_action.trigger()
            say("started")
            choose("importDialog", argument)
        else:
            window.data_actions.backup_action.trigger()
            say("started")
            choose("backupDialog", argument)

    QTimer.singleShot(50, act)
    with loop:
        loop.run_forever()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
