"""Up and Down typed in a filter field move through the list below it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidget


def arrow_step(items: QListWidget, event: QEvent) -> bool:
    """Move ``items``' current row one up or down (wrapping) for an Up or Down key press; True when
    it did, so the field's filter can take the event."""
    if event.type() != QEvent.Type.KeyPress or not items.count():
        return False
    assert isinstance(event, QKeyEvent)
    step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
    if step is None:
        return False
    items.setCurrentRow((items.currentRow() + step) % items.count())
    return True
