"""Painting sidebar rows: conversations (with group headers) and search hits."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from qwen_desktop.ui.common.theme import mix
from qwen_desktop.ui.sidebar.model import Roles
from qwen_desktop.ui.sidebar.search import HitRoles

Index = QModelIndex | QPersistentModelIndex

PILL_MARGIN = 8
PILL_RADIUS = 7
TEXT_PADDING = 10
PIN_SIZE = 12


@dataclass(frozen=True)
class SidebarColors:
    text: QColor
    muted: QColor
    header: QColor
    selected: QColor
    hover: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> SidebarColors:
        background = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        dark = background.lightnessF() < 0.5
        return cls(
            text=text,
            muted=mix(text, background, 0.42),
            header=mix(text, background, 0.5),
            selected=mix(background, accent, 0.3 if dark else 0.16),
            hover=mix(background, text, 0.07 if dark else 0.05),
        )


@dataclass(frozen=True)
class RowFonts:
    """The fonts and line heights of one row, derived from the view's font."""

    title: QFont
    title_bold: QFont
    detail: QFont
    detail_bold: QFont
    header: QFont
    title_height: int
    detail_height: int
    header_height: int

    @classmethod
    def from_font(cls, font: QFont) -> RowFonts:
        title_bold = QFont(font)
        title_bold.setWeight(QFont.Weight.DemiBold)
        detail = QFont(font)
        detail.setPointSizeF(font.pointSizeF() * 0.88)
        detail_bold = QFont(detail)
        detail_bold.setWeight(QFont.Weight.Bold)
        header = QFont(font)
        header.setPointSizeF(font.pointSizeF() * 0.85)
        header.setWeight(QFont.Weight.DemiBold)
        return cls(
            title=QFont(font),
            title_bold=title_bold,
            detail=detail,
            detail_bold=detail_bold,
            header=header,
            title_height=QFontMetrics(font).height(),
            detail_height=QFontMetrics(detail).height(),
            header_height=QFontMetrics(header).height(),
        )

    @property
    def row_height(self) -> int:
        return self.title_height + self.detail_height + 2 * 7 + 2 + 2

    @property
    def header_block(self) -> int:
        return self.header_height + 16


class _SidebarDelegate(QStyledItemDelegate):
    """Fonts and colours cached per font and palette, so painting 10,000 rows stays cheap."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fonts: dict[str, RowFonts] = {}
        self._colors: dict[int, SidebarColors] = {}

    def fonts(self, font: QFont) -> RowFonts:
        key = font.key()
        found = self._fonts.get(key)
        if found is None:
            found = self._fonts[key] = RowFonts.from_font(font)
        return found

    def colors(self, palette: QPalette) -> SidebarColors:
        key = palette.cacheKey()
        found = self._colors.get(key)
        if found is None:
            if len(self._colors) > 8:
                self._colors.clear()
            found = self._colors[key] = SidebarColors.from_palette(palette)
        return found

    def paint_background(self, painter: QPainter, option: QStyleOptionViewItem, pill: QRect) -> bool:
        """The rounded selection or hover background; returns whether the row is selected."""
        colors = self.colors(option.palette)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if selected or hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colors.selected if selected else colors.hover)
            painter.drawRoundedRect(QRectF(pill), PILL_RADIUS, PILL_RADIUS)
        return selected

    def row_rect(self, option: QStyleOptionViewItem, header: bool) -> QRect:
        rect = QRect(option.rect)
        if header:
            rect.setTop(rect.top() + self.fonts(option.font).header_block)
        return rect.adjusted(PILL_MARGIN, 1, -PILL_MARGIN, -1)

    def text_rect(self, pill: QRect) -> QRect:
        return pill.adjusted(TEXT_PADDING, 7, -TEXT_PADDING, -7)


class ConversationDelegate(_SidebarDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        fonts = self.fonts(option.font)
        height = fonts.row_height
        if index.data(Roles.Header):
            height += fonts.header_block
        return QSize(option.rect.width() or 200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        fonts = self.fonts(option.font)
        colors = self.colors(option.palette)
        header = index.data(Roles.Header)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if header:
            self._paint_header(painter, option, fonts, colors, header)
        pill = self.row_rect(option, bool(header))
        selected = self.paint_background(painter, option, pill)
        text = self.text_rect(pill)
        title_rect = QRect(text.left(), text.top(), text.width(), fonts.title_height)
        if index.data(Roles.Pinned):
            pin = QRect(title_rect.right() - PIN_SIZE + 1, title_rect.center().y() - PIN_SIZE // 2,
                        PIN_SIZE, PIN_SIZE)
            paint_pin(painter, QRectF(pin), colors.muted)
            title_rect.setRight(pin.left() - 6)
        title_font = fonts.title_bold if selected else fonts.title
        painter.setFont(title_font)
        painter.setPen(colors.text if index.data(Qt.ItemDataRole.EditRole) else colors.muted)
        title = QFontMetrics(title_font).elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""), Qt.TextElideMode.ElideRight, title_rect.width()
        )
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        detail_rect = QRect(text.left(), title_rect.bottom() + 3, text.width(), fonts.detail_height)
        detail = " · ".join(part for part in (index.data(Roles.Model), index.data(Roles.When)) if part)
        painter.setFont(fonts.detail)
        painter.setPen(colors.muted)
        painter.drawText(
            detail_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(fonts.detail).elidedText(detail, Qt.TextElideMode.ElideRight, detail_rect.width()),
        )
        painter.restore()

    def _paint_header(
        self, painter: QPainter, option: QStyleOptionViewItem, fonts: RowFonts, colors: SidebarColors, name: str
    ) -> None:
        rect = QRect(option.rect.left() + PILL_MARGIN + TEXT_PADDING, option.rect.top(),
                     option.rect.width() - 2 * (PILL_MARGIN + TEXT_PADDING), fonts.header_block - 4)
        painter.setFont(fonts.header)
        painter.setPen(colors.header)
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, name)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        pill = self.row_rect(option, bool(index.data(Roles.Header)))
        fonts = self.fonts(option.font)
        height = max(editor.sizeHint().height(), fonts.title_height + 6)
        middle = self.text_rect(pill).top() + fonts.title_height // 2
        left = pill.left() + TEXT_PADDING - 4
        editor.setGeometry(QRect(left, middle - height // 2, pill.right() - 3 - left, height))


class SearchHitDelegate(_SidebarDelegate):
    """Title on the first line; the snippet below with the matched text in bold."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width() or 200, self.fonts(option.font).row_height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        fonts = self.fonts(option.font)
        colors = self.colors(option.palette)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pill = self.row_rect(option, False)
        selected = self.paint_background(painter, option, pill)
        text = self.text_rect(pill)
        title_rect = QRect(text.left(), text.top(), text.width(), fonts.title_height)
        detail_rect = QRect(text.left(), title_rect.bottom() + 3, text.width(), fonts.detail_height)
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        start, end = index.data(HitRoles.Match) or (0, 0)
        snippet = str(index.data(HitRoles.Snippet) or "")
        title_font = fonts.title_bold if selected else fonts.title
        if index.data(HitRoles.TitleHit):
            paint_highlighted(painter, title_rect, title, start, end, (fonts.title, fonts.title_bold),
                              (colors.text, colors.text))
            painter.setFont(fonts.detail)
            painter.setPen(colors.muted)
            painter.drawText(detail_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self.tr("Matched in the title"))
        else:
            painter.setFont(title_font)
            painter.setPen(colors.text)
            painter.drawText(
                title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                QFontMetrics(title_font).elidedText(title, Qt.TextElideMode.ElideRight, title_rect.width()),
            )
            paint_highlighted(painter, detail_rect, snippet, start, end, (fonts.detail, fonts.detail_bold),
                              (colors.muted, colors.text))
        painter.restore()


def fit_around_match(before: str, match: str, after: str, metrics: QFontMetrics, bold: QFontMetrics,
                     width: int) -> str:
    """``before`` shortened from the left so the match stays in view on one line."""
    room = width - bold.horizontalAdvance(match) - metrics.horizontalAdvance(after[:12])
    if metrics.horizontalAdvance(before) <= room:
        return before
    return metrics.elidedText(before, Qt.TextElideMode.ElideLeft, max(room, width // 4))


def paint_highlighted(
    painter: QPainter,
    rect: QRect,
    text: str,
    start: int,
    end: int,
    fonts: tuple[QFont, QFont],
    pens: tuple[QColor, QColor],
) -> None:
    """One line of ``text`` with ``text[start:end]`` in the second font and colour, elided to fit."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    plain, strong = QFontMetrics(fonts[0]), QFontMetrics(fonts[1])
    before = fit_around_match(text[:start], text[start:end], text[end:], plain, strong, rect.width())
    x = rect.left()
    for part, font, pen in ((before, fonts[0], pens[0]), (text[start:end], fonts[1], pens[1]),
                            (text[end:], fonts[0], pens[0])):
        if not part:
            continue
        metrics = QFontMetrics(font)
        room = rect.right() + 1 - x
        if room <= 0:
            break
        shown = metrics.elidedText(part, Qt.TextElideMode.ElideRight, room)
        painter.setFont(font)
        painter.setPen(pen)
        painter.drawText(QRect(x, rect.top(), room, rect.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
        if shown != part:
            break
        x += metrics.horizontalAdvance(shown)


def paint_pin(painter: QPainter, rect: QRectF, color: QColor) -> None:
    """A small push-pin, tilted, drawn with paths so no icon font is needed."""
    painter.save()
    painter.translate(rect.center())
    painter.rotate(40)
    size = rect.width()
    head = QPainterPath()
    head.addRoundedRect(QRectF(-size * 0.22, -size * 0.5, size * 0.44, size * 0.42), 1.2, 1.2)
    head.addRect(QRectF(-size * 0.36, -size * 0.1, size * 0.72, size * 0.12))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawPath(head.simplified())
    painter.setPen(QPen(color, max(1.2, size * 0.1), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.drawLine(QPointF(0, size * 0.02), QPointF(0, size * 0.5))
    painter.restore()
