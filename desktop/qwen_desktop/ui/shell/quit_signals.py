"""SIGTERM and SIGINT end the app the way Quit does, from inside Qt's event loop.

Python runs a signal handler only when it next runs Python code, which a Qt loop waiting for
events may not do for a long time. The handler's only job is to make Python write the signal's
number to a socket (``signal.set_wakeup_fd``); Qt watches that socket and reports it here.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Sequence
from types import FrameType
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal

QUIT_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class QuitSignals(QObject):
    received = Signal(int)

    def __init__(self, signals: Sequence[signal.Signals] = QUIT_SIGNALS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals = tuple(signals)
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous: dict[signal.Signals, Any] = {s: signal.signal(s, self._noted) for s in self._signals}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    @staticmethod
    def _noted(_number: int, _frame: FrameType | None) -> None:
        """Nothing to do here: the wake-up byte carries the signal to Qt."""

    def _drain(self) -> None:
        try:
            data = self._reader.recv(256)
        except BlockingIOError:
            return
        for number in data:
            if number in self._signals:
                self.received.emit(number)

    def uninstall(self) -> None:
        """Put the previous handlers back (the default: Ctrl+C in the terminal interrupts again)."""
        self._notifier.setEnabled(False)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()
