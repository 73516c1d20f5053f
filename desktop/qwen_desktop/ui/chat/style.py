"""The chat view's style sheet, built from a :class:`ChatTheme`."""

from __future__ import annotations

from qwen_desktop.ui.chat.theme import ChatTheme


def chat_stylesheet(theme: ChatTheme) -> str:
    muted = theme.muted.name()
    return f"""
QScrollArea#messageScroll, QWidget#messageColumn {{ background: palette(base); }}
QFrame#userBubble {{ background: {theme.user_bubble.name()}; border-radius: 14px; }}
QFrame#thinkingSection {{
    background: {theme.thinking_background.name()};
    border-left: 3px solid {theme.thinking_border.name()};
    border-radius: 4px;
    padding: 2px 12px 8px 10px;
}}
QTextBrowser#thinkingText {{ color: {muted}; }}
QToolButton#thinkingToggle {{ color: {muted}; border: none; padding: 2px 0px; font-weight: 600; }}
QLabel#messageFooter, QLabel#attachmentList {{ color: {muted}; }}
QLabel#interruptedBadge {{
    color: {theme.error_text.name()};
    border: 1px solid {theme.error_border.name()};
    border-radius: 8px;
    padding: 0px 6px;
}}
QFrame#errorPanel {{
    background: {theme.error_background.name()};
    border: 1px solid {theme.error_border.name()};
    border-radius: 8px;
}}
QLabel#errorServerMessage, QLabel#errorRequestId {{ color: {muted}; }}
QScrollBar#messageScrollBar {{ background: transparent; width: 10px; margin: 0px; }}
QScrollBar#messageScrollBar::handle {{
    background: {theme.thinking_border.name()};
    border-radius: 4px;
    min-height: 32px;
    margin: 0px 2px;
}}
QScrollBar#messageScrollBar::add-line, QScrollBar#messageScrollBar::sub-line {{ height: 0px; }}
QScrollBar#messageScrollBar::add-page, QScrollBar#messageScrollBar::sub-page {{ background: transparent; }}
"""
