"""The assistant library seen from the Qt thread: reads are direct, writes report back as signals."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from ...core.assistants import Assistant, AssistantLibrary
from ...core.errors import QwenError
from ..common.error_text import describe

log = logging.getLogger(__name__)


class Assistants(QObject):
    """``changed`` after every stored change; ``failed`` carries the sentence of a refused one.

    The store's writer thread finishes the writes; ``_written`` brings the outcome back to the Qt
    thread (a queued signal), so no wait ever blocks the window.
    """

    changed = Signal()
    failed = Signal(str)
    _written = Signal(object)

    def __init__(self, store: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = AssistantLibrary(store)
        self._written.connect(self._on_written)

    # ---- reads (small queries on the caller's read connection, like the store's)

    def all(self) -> list[Assistant]:
        return self.library.all()

    def get(self, aid: str | None) -> Assistant | None:
        return self.library.get(aid) if aid else None

    def default(self) -> Assistant | None:
        return self.library.default()

    # ---- writes

    def run(self, start: Callable[[], Future[Any]], then: Callable[[Any], None] | None = None) -> bool:
        """Starts a write; ``then(result)`` runs on the Qt thread once it is stored.

        A refusal known before anything is written (a bad name, a range) is reported at once and
        the result is False.
        """
        try:
            future = start()
        except QwenError as error:
            self.failed.emit(describe(error))
            return False

        def done(finished: Future[Any]) -> None:
            try:
                self._written.emit((finished, then))
            except RuntimeError:
                log.debug("The window closed before an assistant change was stored")

        future.add_done_callback(done)
        return True

    @Slot(object)
    def _on_written(self, outcome: tuple[Future[Any], Callable[[Any], None] | None]) -> None:
        future, then = outcome
        error = future.exception()
        if isinstance(error, QwenError):
            self.failed.emit(describe(error))
        elif error is not None:
            log.error("Could not store an assistant change", exc_info=error)
            self.failed.emit(self.tr("The assistant could not be saved."))
        else:
            if then is not None:
                then(future.result())
            self.changed.emit()
