"""Markdown to the HTML subset that QTextBrowser understands.

Every style is inline and every colour comes from a :class:`MarkdownTheme`, so one renderer
serves light and dark palettes. Raw HTML in the source is escaped, images become links, and
code blocks get a header with the language and a ``copy:<n>`` anchor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound
from PySide6.QtCore import QCoreApplication

from qwen_desktop.ui.chat.math import Formula, formula_svg, math_loader, math_ready


@dataclass(frozen=True)
class MarkdownTheme:
    text: str = "#1f2328"
    muted: str = "#59636e"
    link: str = "#0969da"
    border: str = "#d1d9e0"
    code_background: str = "#f6f8fa"
    code_header: str = "#eaeef2"
    inline_code_background: str = "#eff1f3"
    quote_border: str = "#d1d9e0"
    table_header: str = "#f6f8fa"
    monospace: str = "DejaVu Sans Mono"
    pygments_style: str = "default"


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    code_blocks: tuple[str, ...] = field(default_factory=tuple)


_HEADING_SIZES = {"h1": "1.6em", "h2": "1.35em", "h3": "1.18em", "h4": "1.05em", "h5": "1em", "h6": "0.95em"}


@lru_cache(maxsize=8)
def _formatter(style: str) -> HtmlFormatter:
    return HtmlFormatter(nowrap=True, noclasses=True, style=style)


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer:
    if not language:
        return TextLexer()
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer()


COMMON_LANGUAGES = ("python", "javascript", "typescript", "json", "bash", "shell", "sql", "html", "css",
                    "yaml", "c", "cpp", "java", "go", "rust", "diff")


def preload_lexers(languages: Sequence[str] = COMMON_LANGUAGES) -> None:
    """Look the usual lexers up ahead of the first code block: the first lookup reads Pygments'
    whole lexer table (about 0.4 s)."""
    for language in languages:
        _lexer(language)


def highlight_code(code: str, language: str, style: str) -> str:
    lexer = _lexer(language.lower())
    if isinstance(lexer, TextLexer):
        return escape(code, quote=False)
    return highlight(code, lexer, _formatter(style)).rstrip("\n")


class MarkdownRenderer:
    """Renders CommonMark plus tables and strikethrough; the same instance may be reused."""

    def __init__(self, theme: MarkdownTheme | None = None) -> None:
        self.theme = theme or MarkdownTheme()
        self._md = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")
        rules = {
            "fence": self._fence,
            "code_block": self._code_block,
            "code_inline": self._code_inline,
            "heading_open": self._heading_open,
            "blockquote_open": self._blockquote_open,
            "blockquote_close": self._blockquote_close,
            "table_open": self._table_open,
            "th_open": self._cell_open,
            "td_open": self._cell_open,
            "link_open": self._link_open,
            "image": self._image,
            "hr": self._hr,
            "math_inline": self._math,
            "math_display": self._math,
        }
        self._md.renderer.rules.update(rules)
        self._md.inline.ruler.before("escape", "math", math_rule)
        math_loader()

    def render(self, source: str, first_code_index: int = 0) -> RenderedMarkdown:
        env: dict[str, Any] = {"code_blocks": [], "first_code_index": first_code_index}
        html = self._md.render(source, env)
        return RenderedMarkdown(html.rstrip(), tuple(env["code_blocks"]))

    def _fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
        return self._code_html(token.content, language, env)

    def _code_block(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return self._code_html(tokens[idx].content, "", env)

    def _code_html(self, code: str, language: str, env: EnvType) -> str:
        code = code[:-1] if code.endswith("\n") else code
        index = env["first_code_index"] + len(env["code_blocks"])
        env["code_blocks"].append(code)
        t = self.theme
        label = escape(language) if language else QCoreApplication.translate("Markdown", "code")
        copy = escape(QCoreApplication.translate("Markdown", "Copy"))
        body = highlight_code(code, language, t.pygments_style)
        return (
            f'<table width="100%" cellspacing="0" cellpadding="0" border="1" '
            f'style="border-collapse: collapse; border-color: {t.border}; border-style: solid; '
            f'margin-top: 10px; margin-bottom: 10px;">'
            f'<tr><td style="background-color: {t.code_header}; padding: 3px 10px 3px 10px; border-color: {t.border};">'
            f'<table width="100%" cellspacing="0" cellpadding="0" border="0"><tr>'
            f'<td><span style="color: {t.muted}; font-size: small;">{label}</span></td>'
            f'<td align="right"><a href="copy:{index}" style="color: {t.link}; text-decoration: none; '
            f'font-size: small;">{copy}</a></td>'
            f"</tr></table></td></tr>"
            f'<tr><td style="background-color: {t.code_background}; padding: 8px 10px 8px 10px; '
            f'border-color: {t.border};">'
            f'<pre style="margin: 0; font-family: \'{t.monospace}\'; color: {t.text};">{body}</pre>'
            f"</td></tr></table>\n"
        )

    def _code_inline(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        t = self.theme
        return (
            f'<code style="font-family: \'{t.monospace}\'; background-color: {t.inline_code_background};">'
            f"\u2009{escape(tokens[idx].content, quote=False)}\u2009</code>"
        )

    def _heading_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        tag = tokens[idx].tag
        top = "14px" if tag in ("h1", "h2") else "10px"
        return (
            f'<{tag} style="font-size: {_HEADING_SIZES.get(tag, "1em")}; font-weight: 600; '
            f'margin-top: {top}; margin-bottom: 6px;">'
        )

    def _blockquote_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        t = self.theme
        return (
            '<table cellspacing="0" cellpadding="0" border="0" style="margin-top: 4px; margin-bottom: 8px;">'
            f'<tr><td width="3" style="background-color: {t.quote_border};"></td>'
            f'<td style="padding: 0px 0px 0px 12px; color: {t.muted};">'
        )

    def _blockquote_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return "</td></tr></table>\n"

    def _table_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        t = self.theme
        return (
            f'<table cellspacing="0" cellpadding="6" border="1" '
            f'style="border-collapse: collapse; border-color: {t.border}; border-style: solid; '
            f'margin-top: 10px; margin-bottom: 10px;">\n'
        )

    def _cell_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        t = self.theme
        style = f"padding: 5px 10px 5px 10px; border-color: {t.border};"
        if token.tag == "th":
            style += f" background-color: {t.table_header}; font-weight: 600;"
        align = str(token.attrGet("style") or "").removeprefix("text-align:")
        attr = f' align="{align}"' if align in ("left", "center", "right") else ""
        return f'<{token.tag}{attr} style="{style}">'

    def _link_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        href = escape(str(tokens[idx].attrGet("href") or ""))
        return f'<a href="{href}" style="color: {self.theme.link};">'

    def _image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        href = escape(str(token.attrGet("src") or ""))
        alt = escape(token.content or QCoreApplication.translate("Markdown", "image"), quote=False)
        shown = escape(QCoreApplication.translate("Markdown", "[image: %1]")).replace("%1", alt)
        return f'<a href="{href}" style="color: {self.theme.link};">{shown}</a>'

    def _math(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        formula = Formula(token.content, token.type == "math_display", self.theme.text)
        if not math_ready() or formula_svg(formula) is None:
            return escape(formula.source, quote=False)
        return f'<img src="{escape(formula.url)}" alt="{escape(formula.source)}" style="vertical-align: middle;" />'

    def _hr(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return f'<hr style="background-color: {self.theme.border};" />\n'


def math_rule(state: StateInline, silent: bool) -> bool:
    """``$…$`` and ``$$…$$``. A single dollar opens only before a non-space and closes only after
    one, and not before a digit, so prices ("$5 and $10") stay text."""
    src, pos = state.src, state.pos
    if src[pos] != "$":
        return False
    display = src.startswith("$$", pos)
    start = pos + (2 if display else 1)
    if display:
        end = src.find("$$", start)
    else:
        if start >= len(src) or src[start].isspace() or src[start] == "$":
            return False
        end = start
        while True:
            end = src.find("$", end)
            if end < 0 or src[end - 1] != "\\":
                break
            end += 1
        if end > start and (src[end - 1].isspace() or (end + 1 < len(src) and src[end + 1].isdigit())):
            return False
    if end <= start or not src[start:end].strip():
        return False
    if not silent:
        token = state.push("math_display" if display else "math_inline", "", 0)
        token.content = src[start:end].strip()
        token.markup = "$$" if display else "$"
    state.pos = end + (2 if display else 1)
    return True


def render_markdown(source: str, theme: MarkdownTheme | None = None) -> RenderedMarkdown:
    return MarkdownRenderer(theme).render(source)
