"""Colours of the chat view, derived from the current palette so light and dark both work."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFontDatabase, QPalette

from qwen_desktop.ui.chat.markdown import MarkdownTheme
from qwen_desktop.ui.common.theme import mix


@dataclass(frozen=True)
class ChatTheme:
    dark: bool
    text: QColor
    muted: QColor
    base: QColor
    border: QColor
    user_bubble: QColor
    thinking_background: QColor
    thinking_border: QColor
    error_background: QColor
    error_border: QColor
    error_text: QColor
    highlight: QColor
    markdown: MarkdownTheme

    @classmethod
    def from_palette(cls, palette: QPalette) -> ChatTheme:
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        link = palette.color(QPalette.ColorRole.Link)
        dark = base.lightnessF() < 0.5
        if dark and link.lightnessF() < 0.5:
            link = QColor("#6cb6ff")
        muted = mix(text, base, 0.38)
        border = mix(base, text, 0.2 if dark else 0.16)
        red = QColor("#e5534b") if dark else QColor("#cf222e")
        markdown = MarkdownTheme(
            text=text.name(),
            muted=muted.name(),
            link=link.name(),
            border=border.name(),
            code_background=mix(base, text, 0.06 if dark else 0.035).name(),
            code_header=mix(base, text, 0.11 if dark else 0.07).name(),
            inline_code_background=mix(base, text, 0.12 if dark else 0.07).name(),
            quote_border=mix(base, text, 0.3).name(),
            table_header=mix(base, text, 0.07 if dark else 0.04).name(),
            monospace=QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family(),
            pygments_style="github-dark" if dark else "default",
        )
        return cls(
            dark=dark,
            text=text,
            muted=muted,
            base=base,
            border=border,
            user_bubble=mix(base, accent, 0.16 if dark else 0.1),
            thinking_background=mix(base, text, 0.045),
            thinking_border=mix(base, text, 0.25),
            error_background=mix(base, red, 0.1),
            error_border=mix(base, red, 0.45),
            error_text=QColor("#f47067") if dark else red,
            highlight=mix(base, QColor("#f2cc60"), 0.75 if not dark else 0.45),
            markdown=markdown,
        )
