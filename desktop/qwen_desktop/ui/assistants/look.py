"""How an assistant looks in lists and on the conversation bar: its icon on its colour."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap, QTextLayout
from PySide6.QtWidgets import QApplication

from ...core.assistants import Assistant

COLOURS = ("#5b6cff", "#1e9e8f", "#8a5cf5", "#d9822b", "#2f80ed", "#27ae60", "#eb5757", "#4f4f4f",
           "#f2c94c", "#e84393")
"""The swatches offered in the editor (any #rrggbb works)."""
FALLBACK = "#8a8f98"
SIZE = 32


def matches(query: str, text: str) -> bool:
    """Every word of the query appears in the text, in any order and case."""
    folded = text.casefold()
    return all(word in folded for word in query.casefold().split())


def assistant_icon(assistant: Assistant, size: int = SIZE) -> QIcon:
    """A round badge in the assistant's colour with its icon (or its initial) inside.

    An emoji no installed font can draw would be an empty box: the initial is shown instead.
    """
    initial = assistant.name[:1].upper() if assistant.name else "?"
    icon = assistant.icon if assistant.icon and drawable(assistant.icon) else initial
    return badge(icon, assistant.colour or FALLBACK, size)


@lru_cache(maxsize=256)
def drawable(text: str) -> bool:
    """Whether the fonts (with Qt's fallbacks) have a glyph for every character of ``text``."""
    layout = QTextLayout(text, QFont())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    return bool(runs) and all(0 not in run.glyphIndexes() for run in runs)


def badge(text: str, colour: str, size: int = SIZE) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(colour)
    fill.setAlpha(70)
    painter.setBrush(fill)
    painter.setPen(QColor(colour))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    font = QFont()
    font.setPixelSize(int(size * 0.55))
    painter.setFont(font)
    painter.setPen(QApplication.palette().color(QPalette.ColorRole.WindowText))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)
