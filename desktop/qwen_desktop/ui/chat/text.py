"""The text surface of one message: a QTextBrowser that grows with its document and loads nothing."""

from __future__ import annotations

import itertools
import math
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QCoreApplication, QMimeData, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QFontInfo,
    QGuiApplication,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QTextEdit, QWidget

from qwen_desktop.ui.chat.markdown import MarkdownRenderer
from qwen_desktop.ui.chat.math import formula_for, formula_image
from qwen_desktop.ui.chat.stream import BlockSplitter, live_breaks, without_fence_markers

COPIED_FEEDBACK_MS = 1500
WAITING_LIMIT = 24_000
"""Finished blocks waiting to be rendered beyond this many characters stay as they are shown
(plain text), oldest first: each block rendered in front of the waiting text lays all of it out
again (about 4 ms a block at 20,000 characters waiting, 130 ms at 1,000,000), so under a flood
of text the window shows it first and formats what it can."""
STEP_CHARS = 4_096
SPLIT_CHARS = 16_384
"""A long stored reply's blocks are rendered together up to about this size: one render and one
insertion each, instead of one per paragraph."""
TAIL_RENDER_LIMIT = 64_000
"""An unfinished block longer than this when a stream ends stays as it was shown (plain text):
rendering one block of a megabyte as Markdown would stall the window for seconds."""


class MessageTextView(QTextBrowser):
    """Selectable rich text without inner scrollbars; links are reported, never followed."""

    linkActivated = Signal(str)
    codeCopied = Signal(int)
    _fits_held = 0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QTextBrowser { background: transparent; border: none; }")
        doc = self.document()
        doc.setDocumentMargin(2)
        doc.setIndentWidth(22)
        doc.documentLayout().documentSizeChanged.connect(self._fit_height)
        self.anchorClicked.connect(self._on_anchor)
        self.code_blocks: list[str] = []
        self.full_render_count = 0
        self.block_render_count = 0
        self._splitter: BlockSplitter | None = None
        self._backlog: deque[str] = deque()
        self._tail_start = 0
        self._waiting_ends: deque[int] = deque()
        self._waiting_chars = 0
        self._shift = 0
        self._live_start = 0
        self._opened = False
        self._tail_mono = False
        self._fits_held = 0
        self._steps: deque[str] = deque()
        self._steps_source = ""
        self._steps_fed = self._steps_shown = 0
        self._steps_splitter: BlockSplitter | None = None
        self._steps_budget = math.inf
        self._fit_height()

    @contextmanager
    def _one_fit(self) -> Iterator[None]:
        """Fit the height once after a batch of edits, not after each one (every fit asks for
        the document's size and lays the column out again)."""
        self._fits_held += 1
        try:
            yield
        finally:
            self._fits_held -= 1
            if not self._fits_held:
                self._fit_height()

    one_fit = _one_fit
    """For a caller appending many pieces in a row (the chat view's flush)."""

    def loadResource(self, type: int, name: QUrl) -> Any:  # noqa: A002 - Qt's signature
        formula = formula_for(name) if type == QTextDocument.ResourceType.ImageResource.value else None
        if formula is None:
            return None
        return formula_image(formula, float(QFontInfo(self.font()).pixelSize()), self.devicePixelRatioF())

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 - Qt's name
        """Copied text carries each formula's LaTeX source where the picture was."""
        data = super().createMimeDataFromSelection()
        cursor = self.textCursor()
        if "\ufffc" not in cursor.selectedText():
            return data
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        pieces: list[str] = []
        block = self.document().findBlock(start)
        while block.isValid() and block.position() <= end:
            if pieces:
                pieces.append("\n")
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                lo = max(start, fragment.position())
                hi = min(end, fragment.position() + fragment.length())
                if lo < hi:
                    text_format = fragment.charFormat()
                    formula = formula_for(text_format.toImageFormat().name()) if text_format.isImageFormat() else None
                    if formula is not None:
                        pieces.append(formula.source * (hi - lo))
                    else:
                        text = fragment.text()
                        pieces.append(text[lo - fragment.position():hi - fragment.position()])
                it += 1
            block = block.next()
        plain = "".join(pieces).replace("\u2029", "\n").replace("\u2028", "\n")
        copied = QMimeData()
        copied.setText(plain)
        return copied

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()

    def show_markdown(self, source: str, renderer: MarkdownRenderer) -> None:
        self._splitter = None
        self._backlog.clear()
        self._waiting_ends.clear()
        self._waiting_chars = 0
        self._drop_steps()
        rendered = renderer.render(source)
        self.code_blocks = list(rendered.code_blocks)
        self.full_render_count += 1
        self.setHtml(rendered.html)

    def show_markdown_in_steps(self, source: str, renderer: MarkdownRenderer, limit: float = math.inf) -> None:
        """Show ``source`` block by block: ``render_steps`` appends its next rendered blocks, a
        time slice per turn of the event loop. A whole render of a long reply holds the window
        for seconds (about 3 s at 1 MB); appending to the end of a document lays out only what
        was added, while an edit above text already laid out lays all of that out again. Blocks
        stop once ``limit`` characters are shown: every turn also paints and lays out the whole
        document, so a megabyte in steps costs far more than its first tens of kilobytes."""
        self.show_plain("")
        self._steps_source = source
        self._steps_splitter = BlockSplitter()
        self._steps_budget = limit

    def _drop_steps(self) -> None:
        self._steps.clear()
        self._steps_source = ""
        self._steps_fed = self._steps_shown = 0
        self._steps_splitter = None

    def _split_more(self) -> None:
        """Split the next part of the source into blocks (splitting a megabyte at once would
        hold the turn that shows it)."""
        splitter = self._steps_splitter
        if splitter is None:
            return
        start = self._steps_fed
        self._steps_fed = min(len(self._steps_source), start + SPLIT_CHARS)
        self._steps.extend(splitter.feed(self._steps_source[start:self._steps_fed]))
        if self._steps_fed >= len(self._steps_source):
            if splitter.tail:
                self._steps.append(splitter.tail)
            self._steps_splitter = None

    @property
    def has_steps(self) -> bool:
        """Blocks of a long stored reply are waiting to be rendered within the budget."""
        return self._steps_shown < len(self._steps_source) and self._steps_budget > 0

    @property
    def held_chars(self) -> int:
        """Characters of a long stored reply left unrendered once its budget was spent."""
        return len(self._steps_source) - self._steps_shown if self._steps_budget <= 0 else 0

    def release_steps(self) -> None:
        """Render the rest of a long stored reply too (in steps, as before)."""
        self._steps_budget = math.inf

    def render_steps(self, renderer: MarkdownRenderer, deadline: float | None = None) -> None:
        """Append waiting blocks: at least one, more while ``deadline`` has not passed."""
        steps = self._steps
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        with self._one_fit():
            while self.has_steps:
                piece: list[str] = []
                size = 0
                while size < STEP_CHARS and (steps or self._steps_splitter is not None):
                    if not steps:
                        self._split_more()
                        continue
                    size += len(steps[0])
                    piece.append(steps.popleft())
                if not piece:
                    self._steps_shown = len(self._steps_source)  # the splitter kept nothing back
                    break
                self._render_block(cursor, "".join(piece), renderer)
                self._steps_budget -= size
                self._steps_shown += size
                if deadline is not None and time.perf_counter() >= deadline:
                    break

    def show_plain(self, text: str) -> None:
        self._splitter = None
        self._backlog.clear()
        self._waiting_ends.clear()
        self._waiting_chars = 0
        self._drop_steps()
        self.code_blocks = []
        self.setPlainText(text)

    def begin_stream(self) -> None:
        self._drop_steps()
        self.clear()
        self.code_blocks = []
        self._splitter = BlockSplitter()
        self._backlog = deque()
        self._tail_start = 0
        self._waiting_ends = deque()
        self._waiting_chars = 0
        self._shift = 0
        self._live_start = 0
        self._opened = False
        self._tail_mono = False

    @property
    def streaming(self) -> bool:
        return self._splitter is not None

    @property
    def has_backlog(self) -> bool:
        """Finished blocks are waiting to be rendered (shown as plain text meanwhile)."""
        return self._splitter is not None and bool(self._backlog)

    def append_stream(self, text: str, renderer: MarkdownRenderer, deadline: float | None = None) -> None:
        """Finished blocks are rendered once; the tail stays plain text until its block is done.

        With a ``deadline`` (a ``time.perf_counter()`` value), blocks are rendered only until it
        passes (none if it already has); the rest stay plain text until ``render_backlog``.
        """
        if self._splitter is None:
            self.begin_stream()
        with self._one_fit():
            self._append_stream(text, renderer, deadline)

    def _append_stream(self, text: str, renderer: MarkdownRenderer, deadline: float | None) -> None:
        assert self._splitter is not None
        finished = self._splitter.feed(text)
        self._backlog.extend(finished)
        self._waiting_chars += sum(map(len, finished))
        out_of_time = deadline is not None and time.perf_counter() >= deadline
        if (self._splitter.in_fence == self._tail_mono and (not self._backlog or out_of_time)
                and not self._splitter.partial_may_open_fence):
            cursor = QTextCursor(self.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            self._insert_live(cursor, text, self._tail_format())
            return
        self._redraw_tail(renderer, deadline)

    def render_backlog(self, renderer: MarkdownRenderer, deadline: float | None = None) -> None:
        """Render waiting blocks: at least one, and more while ``deadline`` has not passed."""
        if self.has_backlog:
            with self._one_fit():
                self._redraw_tail(renderer, deadline)

    def _redraw_tail(self, renderer: MarkdownRenderer, deadline: float | None) -> None:
        """Render waiting blocks from the front and show the unfinished tail again.

        After the rendered blocks the document holds the finished blocks still waiting, as plain
        text, then the live tail. Each waiting block's end is remembered, so rendering one
        replaces only its own text: a long wait never costs its whole text again at each turn.
        """
        assert self._splitter is not None
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.setPosition(self._live_start)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._opened = bool(self._waiting_ends)
        backlog = self._backlog
        for block in itertools.islice(backlog, len(self._waiting_ends), None):
            self._open(cursor)
            self._insert_live(cursor, block, QTextCharFormat())
            self._waiting_ends.append(cursor.position() - self._shift)
        while self._waiting_chars > WAITING_LIMIT and len(backlog) > 1:
            self._waiting_chars -= len(backlog.popleft())
            self._tail_start = self._waiting_ends.popleft() + self._shift
        if backlog:
            self._render_next(renderer)
            while backlog and (deadline is None or time.perf_counter() < deadline):
                self._render_next(renderer)
        self._tail_mono = self._splitter.in_fence
        cursor = QTextCursor(doc)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self._live_start = cursor.position()
        tail = without_fence_markers(self._splitter.tail)
        if tail:
            self._open(cursor)
            self._insert_live(cursor, tail, self._tail_format())

    def _open(self, cursor: QTextCursor) -> None:
        """Start the plain text after the rendered blocks in a paragraph of its own."""
        if not self._opened and cursor.position() > 0:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        self._opened = True

    def _render_next(self, renderer: MarkdownRenderer) -> None:
        end = self._waiting_ends.popleft() + self._shift
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._tail_start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        block = self._backlog.popleft()
        self._waiting_chars -= len(block)
        self._render_block(cursor, block, renderer)
        self._tail_start = cursor.position()
        if self._waiting_ends:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        else:
            self._opened = False
        self._shift += cursor.position() - end

    def _render_block(self, cursor: QTextCursor, block: str, renderer: MarkdownRenderer) -> None:
        rendered = renderer.render(block, len(self.code_blocks))
        self.code_blocks.extend(rendered.code_blocks)
        self.block_render_count += 1
        self._insert_html_block(cursor, rendered.html)

    def finish_stream(self, renderer: MarkdownRenderer) -> None:
        """End a stream by rendering what waits and its unfinished tail; the rest stays as shown."""
        if self._splitter is None:
            return
        tail = self._splitter.tail
        backlog = self._backlog
        self._splitter = None
        with self._one_fit():
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._tail_start)
            if len(tail) > TAIL_RENDER_LIMIT and not backlog:
                return
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            while backlog:
                self._render_block(cursor, backlog.popleft(), renderer)
            if len(tail) > TAIL_RENDER_LIMIT:
                self._insert_live(cursor, without_fence_markers(tail), QTextCharFormat())
            elif tail.strip():
                self._render_block(cursor, tail, renderer)

    @property
    def backlog_chars(self) -> int:
        """Characters of finished blocks still waiting to be rendered."""
        return self._waiting_chars if self._splitter is not None else 0

    def _tail_format(self) -> QTextCharFormat:
        text_format = QTextCharFormat()
        if self._tail_mono:
            text_format.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        return text_format

    def _insert_html_block(self, cursor: QTextCursor, html: str) -> None:
        if not html.strip():
            return
        if cursor.position() == 0:
            cursor.insertHtml(html)
            return
        self._fresh_block(cursor)
        start = cursor.position()
        cursor.insertHtml(html)
        block = self.document().findBlock(start)
        previous = block.previous()
        if block.length() == 1 and block.next().isValid() and previous.isValid():
            if QTextCursor(previous).currentTable() is None and previous.length() > 1:
                eraser = QTextCursor(self.document())
                eraser.setPosition(start - 1)
                eraser.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
                eraser.removeSelectedText()

    @staticmethod
    def _fresh_block(cursor: QTextCursor) -> None:
        """Leave ``cursor`` in an empty top-level block with no list or paragraph styling."""
        if cursor.block().length() > 1 or cursor.currentTable() is not None:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        text_list = cursor.currentList()
        if text_list is not None:
            text_list.remove(cursor.block())
        cursor.setBlockFormat(QTextBlockFormat())

    def append_plain(self, text: str) -> None:
        """Append streamed plain text (long paragraphs are continued in new ones while live)."""
        with self._one_fit():
            cursor = QTextCursor(self.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            self._insert_live(cursor, text, cursor.charFormat())

    @staticmethod
    def _insert_live(cursor: QTextCursor, text: str, text_format: QTextCharFormat) -> None:
        start = 0
        for cut in live_breaks(text, cursor.block().length() - 1):
            cursor.insertText(text[start:cut], text_format)
            cursor.insertBlock()
            start = cut
        cursor.insertText(text[start:], text_format)

    def mark(self, text: str, color: QColor) -> QRect | None:
        """Highlight the first occurrence of ``text``; return its rectangle in this widget."""
        found = self.document().find(text)
        if found.isNull():
            self.setExtraSelections([])
            return None
        selection = QTextEdit.ExtraSelection()
        selection.cursor = found
        selection.format.setBackground(color)
        self.setExtraSelections([selection])
        return self.cursorRect(found).translated(self.viewport().pos())

    def unmark(self) -> None:
        self.setExtraSelections([])

    def document_height(self) -> int:
        margins = self.contentsMargins()
        return math.ceil(self.document().size().height()) + margins.top() + margins.bottom()

    height_cap: int | None = None
    """While set, the view grows only this tall and shows the end of its text (live thinking)."""

    def set_height_cap(self, cap: int | None) -> None:
        self.height_cap = cap
        self._fit_height()

    def _fit_height(self) -> None:
        if self._fits_held:
            return
        height = self.document_height()
        if self.height_cap is not None and height > self.height_cap:
            height = self.height_cap
            bar = self.verticalScrollBar()
            QTimer.singleShot(0, self, lambda: bar.setValue(bar.maximum()))
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == "copy":
            self._copy_code(url)
        else:
            self.linkActivated.emit(url.toString())

    def _copy_code(self, url: QUrl) -> None:
        try:
            index = int(url.path())
            code = self.code_blocks[index]
        except (ValueError, IndexError):
            return
        QGuiApplication.clipboard().setText(code)
        href = url.toString()
        self._set_anchor_text(href, QCoreApplication.translate("Markdown", "Copied"))
        QTimer.singleShot(COPIED_FEEDBACK_MS, self, lambda: self._set_anchor_text(
            href, QCoreApplication.translate("Markdown", "Copy")))
        self.codeCopied.emit(index)

    def _set_anchor_text(self, href: str, text: str) -> None:
        doc: QTextDocument = self.document()
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.charFormat().anchorHref() == href:
                    cursor = QTextCursor(doc)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                    cursor.insertText(text, fragment.charFormat())
                    return
                it += 1
            block = block.next()
