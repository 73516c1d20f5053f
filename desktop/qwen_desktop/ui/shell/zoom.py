"""Ctrl+= / Ctrl+- / Ctrl+0: the application font's size, kept in the settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from ...core.config import MAX_FONT as MAX_POINTS
from ...core.config import MIN_FONT as MIN_POINTS


class Zoom:
    """``size`` is the chosen point size, or None for the system's."""

    def __init__(self, size: int | None, remember: Callable[[int | None], None]) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self._app = app
        self._system = QFont(QApplication.font())
        self._remember = remember
        self.size: int | None = None
        self.apply(size, remember=False)

    @property
    def system_points(self) -> int:
        points = self._system.pointSize()
        return points if points > 0 else round(self._system.pixelSize() * 0.75) or 10

    @property
    def points(self) -> int:
        return self.size or self.system_points

    def zoom_in(self) -> None:
        self.apply(min(MAX_POINTS, self.points + 1))

    def zoom_out(self) -> None:
        self.apply(max(MIN_POINTS, self.points - 1))

    def reset(self) -> None:
        self.apply(None)

    def apply(self, size: int | None, *, remember: bool = True) -> None:
        if size is not None:
            size = max(MIN_POINTS, min(MAX_POINTS, size))
        if size == self.system_points:
            size = None
        changed = size != self.size
        self.size = size
        font = QFont(self._system)
        font.setPointSize(self.points)
        QApplication.setFont(font)
        if remember and changed:
            self._remember(size)

    def restore_system_font(self) -> None:
        """Put the font back as it was before this window (tests open many windows in one process)."""
        QApplication.setFont(self._system)
