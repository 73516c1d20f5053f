"""Scroll policy of the chat: follow the bottom while it grows, keep older pages from jumping."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QScrollBar

FOLLOW_SLACK = 24
NEAR_TOP = 400


class ScrollKeeper(QObject):
    """Follows the bottom unless the user scrolled up; ``nearTop`` asks for older messages.

    While content is prepended, the distance from the bottom is pinned so what the user
    sees stays put.
    """

    nearTop = Signal()

    def __init__(self, bar: QScrollBar) -> None:
        super().__init__(bar)
        self._bar = bar
        self.following = True
        self._adjusting = False
        self._from_bottom: int | None = None
        bar.valueChanged.connect(self._on_value_changed)
        bar.rangeChanged.connect(self._on_range_changed)

    def follow(self) -> None:
        self.following = True
        self._from_bottom = None

    def release(self) -> None:
        """Content changed at the bottom: stop pinning for a prepend."""
        self._from_bottom = None

    def pin_for_prepend(self) -> None:
        self._from_bottom = self._bar.maximum() - self._bar.value()

    def sync(self) -> None:
        self.following = self._bar.value() >= self._bar.maximum() - FOLLOW_SLACK

    def _on_value_changed(self, value: int) -> None:
        if self._adjusting:
            return
        self._from_bottom = None
        self.following = value >= self._bar.maximum() - FOLLOW_SLACK
        if value <= NEAR_TOP:
            self.nearTop.emit()

    def _on_range_changed(self, minimum: int, maximum: int) -> None:
        if self._from_bottom is not None:
            self._set(maximum - self._from_bottom)
        elif self.following:
            self._set(maximum)
        if self._bar.value() <= NEAR_TOP:
            QTimer.singleShot(0, self, self._emit_if_near_top)

    def _emit_if_near_top(self) -> None:
        if self._bar.value() <= NEAR_TOP:
            self.nearTop.emit()

    def _set(self, value: int) -> None:
        self._adjusting = True
        try:
            self._bar.setValue(value)
        finally:
            self._adjusting = False
