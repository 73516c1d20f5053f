"""A small painted chart: stacked bars or a line over day buckets, with legend and hover tips."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

PALETTE = ("#3b82f6", "#f59e0b", "#10b981", "#8b5cf6", "#ef4444", "#06b6d4", "#84cc16", "#ec4899")
Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]
    color: str


def nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def compact_number(value: float) -> str:
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}" if value else "0"


class Chart(QWidget):
    """``stacked`` draws a bar per bucket; otherwise each series is a line with dots, and a NaN
    value (a day without data) breaks the line."""

    MARGIN_LEFT = 52
    MARGIN_BOTTOM = 22
    LEGEND_HEIGHT = 22

    def __init__(self, title: str, parent: QWidget | None = None, *, stacked: bool = True) -> None:
        super().__init__(parent)
        self.title = title
        self.stacked = stacked
        self.labels: tuple[str, ...] = ()
        self.series: tuple[Series, ...] = ()
        self.formatter: Formatter = compact_number
        self.maximum: float | None = None
        self.setMouseTracking(True)
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(560, 200)

    def set_data(self, labels: Sequence[str], series: Sequence[Series], *,
                 formatter: Formatter = compact_number, maximum: float | None = None) -> None:
        self.labels = tuple(labels)
        self.series = tuple(s for s in series if len(s.values) == len(self.labels))
        self.formatter = formatter
        self.maximum = maximum
        self.update()

    def is_empty(self) -> bool:
        return not any(v and not math.isnan(v) for s in self.series for v in s.values)

    def _top(self) -> float:
        if self.maximum is not None:
            return self.maximum
        if not self.labels:
            return 1.0
        if self.stacked:
            peak = max(sum(s.values[i] for s in self.series) for i in range(len(self.labels)))
        else:
            peak = max((v for s in self.series for v in s.values if not math.isnan(v)), default=0.0)
        return nice_ceiling(peak)

    def _plot(self) -> QRectF:
        head = self.fontMetrics().height() + self.LEGEND_HEIGHT + 4
        return QRectF(self.MARGIN_LEFT, head, max(10, self.width() - self.MARGIN_LEFT - 10),
                      max(10, self.height() - head - self.MARGIN_BOTTOM))

    def _slot(self, plot: QRectF) -> float:
        return plot.width() / max(1, len(self.labels))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        faint = QColor(text)
        faint.setAlphaF(0.12)
        muted = QColor(text)
        muted.setAlphaF(0.6)
        title_font = QFont(self.font())
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(text)
        painter.drawText(QRectF(0, 0, self.width(), self.fontMetrics().height() + 2),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        painter.setFont(small)
        self._paint_legend(painter, muted)
        plot = self._plot()
        top = self._top()
        for step in range(5):
            value = top * step / 4
            y = plot.bottom() - plot.height() * step / 4
            painter.setPen(QPen(faint, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(muted)
            painter.drawText(QRectF(0, y - 8, self.MARGIN_LEFT - 6, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             self.formatter(value))
        if self.stacked:
            self._paint_bars(painter, plot, top)
        else:
            self._paint_lines(painter, plot, top)
        self._paint_labels(painter, plot, muted)
        painter.end()

    def _paint_legend(self, painter: QPainter, color: QColor) -> None:
        x = 0.0
        y = self.fontMetrics().height() + 6
        metrics = painter.fontMetrics()
        for series in self.series:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(series.color))
            painter.drawRoundedRect(QRectF(x, y + 3, 10, 10), 2, 2)
            painter.setPen(color)
            painter.drawText(QPointF(x + 14, y + 12), series.name)
            x += 14 + metrics.horizontalAdvance(series.name) + 14
            if x > self.width() - 60:
                break

    def _paint_bars(self, painter: QPainter, plot: QRectF, top: float) -> None:
        slot = self._slot(plot)
        width = max(2.0, min(28.0, slot * 0.7))
        painter.setPen(Qt.PenStyle.NoPen)
        for index in range(len(self.labels)):
            x = plot.left() + slot * index + (slot - width) / 2
            base = plot.bottom()
            for series in self.series:
                value = series.values[index]
                if value <= 0:
                    continue
                height = plot.height() * min(value, top) / top
                painter.setBrush(QColor(series.color))
                painter.drawRect(QRectF(x, base - height, width, height))
                base -= height

    def _paint_lines(self, painter: QPainter, plot: QRectF, top: float) -> None:
        slot = self._slot(plot)
        for series in self.series:
            color = QColor(series.color)
            points = [
                None if math.isnan(v) else
                QPointF(plot.left() + slot * (i + 0.5), plot.bottom() - plot.height() * min(v, top) / top)
                for i, v in enumerate(series.values)
            ]
            path = QPainterPath()
            previous = None
            for point in points:
                if point is not None:
                    if previous is None:
                        path.moveTo(point)
                    else:
                        path.lineTo(point)
                previous = point
            painter.setPen(QPen(color, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            for point in points if len(points) <= 40 else ():
                if point is not None:
                    painter.drawEllipse(point, 2.5, 2.5)

    def _paint_labels(self, painter: QPainter, plot: QRectF, color: QColor) -> None:
        if not self.labels:
            return
        slot = self._slot(plot)
        widest = max(painter.fontMetrics().horizontalAdvance(label) for label in self.labels) + 12
        every = max(1, math.ceil(widest / slot))
        painter.setPen(color)
        for index in range(0, len(self.labels), every):
            x = plot.left() + slot * (index + 0.5)
            painter.drawText(QRectF(x - widest / 2, plot.bottom() + 4, widest, self.MARGIN_BOTTOM - 4),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self.labels[index])

    def bucket_at(self, x: float) -> int | None:
        plot = self._plot()
        if not self.labels or not plot.left() <= x <= plot.right():
            return None
        return min(len(self.labels) - 1, int((x - plot.left()) / self._slot(plot)))

    def tip_for(self, index: int) -> str:
        lines = [self.labels[index]]
        lines += [f"{s.name}: {self.formatter(s.values[index])}" for s in self.series
                  if s.values[index] and not math.isnan(s.values[index])]
        return "\n".join(lines)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.bucket_at(event.position().x())
        if index is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), self.tip_for(index), self)
        super().mouseMoveEvent(event)
