"""One widget per message: a user bubble or a full-width assistant reply."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QImageReader, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qwen_desktop.core.attachments import MAX_STORED_BYTES
from qwen_desktop.core.files import read_bounded
from qwen_desktop.core.types import MessageStatus, Source
from qwen_desktop.core.websearch import link_citations
from qwen_desktop.core.websearch import search_fee as fee_of_searches
from qwen_desktop.ui.chat.footer import (
    ActionBar, CostFunction, ErrorPanel, action_button, footer_text, small_label,
)
from qwen_desktop.ui.common.documents import DocumentReader, summary
from qwen_desktop.ui.common.formatting import Cost
from qwen_desktop.ui.chat.markdown import MarkdownRenderer
from qwen_desktop.ui.chat.sources import SearchNote, SourcesPanel
from qwen_desktop.ui.chat.text import MessageTextView
from qwen_desktop.ui.chat.theme import ChatTheme
from qwen_desktop.ui.chat.thinking import ThinkingSection
from qwen_desktop.ui.chat.tool_cards import ToolCard
from qwen_desktop.ui.chat.versions import VersionSwitcher

if TYPE_CHECKING:
    from qwen_desktop.core.storage import Message
    from qwen_desktop.core.storage.tree import Versions

USER_BUBBLE_SHARE = 0.78
BUBBLE_PADDING = 14
FULL_RENDER_LIMIT = 16_000
STORED_SHOWN_CHARS = 64_000
"""Of a longer stored reply, this much is rendered when it is shown; a button renders the rest."""
"""A streamed reply longer than this is not rendered again when it finishes: its blocks already
were, one by one, and a whole render would stall the window (about 0.6 s at 120,000 characters)."""
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)


@dataclass
class ChatContext:
    """What every message widget of one view shares."""

    theme: ChatTheme
    renderer: MarkdownRenderer
    cost_function: CostFunction | None = None
    thinking_expanded: dict[int, bool] = field(default_factory=dict)
    image_path: Callable[[dict[str, Any]], Path | None] | None = None


def search_fee(message: Message) -> Cost | None:
    found = fee_of_searches(message.meta, message.usage)
    return None if found is None else Cost(*found)


class MessageWidget(QFrame):
    linkActivated = Signal(str)
    versionSelected = Signal(int)
    """The id of another version of this message, to show instead."""
    forkRequested = Signal(int)
    deleteRequested = Signal(int)

    def __init__(self, message_id: int, context: ChatContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message_id = message_id
        self.context = context
        self._source: list[str] = []
        self.text_view = MessageTextView(self)
        self.text_view.setObjectName("messageText")
        self.text_view.linkActivated.connect(self.linkActivated)
        self.actions = ActionBar(self)
        self.switcher = VersionSwitcher(self.actions)
        self.switcher.selected.connect(self.versionSelected)
        self.copy_button = self.actions.add_button(self.tr("Copy"), self.tr("Copy message"), self._copy_source)

    def set_versions(self, versions: Versions | None) -> None:
        self.switcher.set_versions(versions)

    def _add_more_menu(self, delete_text: str) -> None:
        """A ⋯ button: continue in a new conversation from here, delete."""
        self.more_button = action_button("⋯", self.tr("More actions"), self.actions)
        self.more_button.setObjectName("moreActions")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        menu = QMenu(self.more_button)
        self.fork_action = menu.addAction(self.tr("Continue in a new conversation from here"),
                                          lambda: self.forkRequested.emit(self.message_id))
        self.delete_action = menu.addAction(delete_text, lambda: self.deleteRequested.emit(self.message_id))
        self.more_button.setMenu(menu)
        self.actions.add_widget(self.more_button)

    def mark(self, text: str) -> QRect | None:
        rect = self.text_view.mark(text, self.context.theme.highlight)
        return None if rect is None else rect.translated(self.text_view.mapTo(self, QPoint()))

    def unmark(self) -> None:
        self.text_view.unmark()

    @property
    def source(self) -> str:
        """The message's Markdown; streamed pieces are joined only when asked for."""
        if len(self._source) != 1:
            self._source = ["".join(self._source)]
        return self._source[0]

    @source.setter
    def source(self, text: str) -> None:
        self._source = [text]

    def contains(self, needle: str) -> bool:
        return needle in self.source.casefold()

    def restyle(self) -> None:
        """Re-render after a palette change."""

    def _copy_source(self) -> None:
        QGuiApplication.clipboard().setText(self.source)
        self.actions.flash(self.copy_button, self.tr("Copied"))


class UserMessageWidget(MessageWidget):
    editRequested = Signal(int)

    def __init__(self, message: Message, context: ChatContext, parent: QWidget | None = None) -> None:
        super().__init__(message.id, context, parent)
        self.source = message.content
        self.bubble = QFrame(self)
        self.bubble.setObjectName("userBubble")
        bubble_layout = QVBoxLayout(self.bubble)
        bubble_layout.setContentsMargins(BUBBLE_PADDING, 8, BUBBLE_PADDING, 8)
        bubble_layout.setSpacing(4)
        self.text_view.setParent(self.bubble)
        self.text_view.show_plain(message.content)
        bubble_layout.addWidget(self.text_view)
        pictures = [ref for ref in message.attachments if ref.get("kind") != "document"]
        documents = [ref for ref in message.attachments if ref.get("kind") == "document"]
        if pictures:
            bubble_layout.addWidget(ImageStrip(pictures, context.image_path, self.bubble))
        if documents:
            bubble_layout.addWidget(DocumentStrip(documents, context.image_path, self.bubble))
        self.text_view.setVisible(bool(message.content))
        self.actions.add_button(self.tr("Edit"), self.tr("Edit and resend"), lambda: self.editRequested.emit(self.message_id))
        self._add_more_menu(self.tr("Delete with its answer"))
        self.actions.add_widget(self.switcher)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(self.bubble)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.actions)
        self.actions.layout().setContentsMargins(0, 0, 4, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_bubble(event.size().width())
        super().resizeEvent(event)

    def _fit_bubble(self, width: int) -> None:
        limit = max(120, int(width * USER_BUBBLE_SHARE))
        metrics = self.text_view.fontMetrics()
        natural = max((metrics.horizontalAdvance(line) for line in self.source.split("\n")), default=0)
        strip = self.bubble.findChild(ImageStrip)
        if strip is not None:
            natural = max(natural, strip.sizeHint().width())
        margin = 2 * int(self.text_view.document().documentMargin()) + 8
        self.bubble.setFixedWidth(min(limit, max(natural + margin + 2 * BUBBLE_PADDING, 48)))


class ImageStrip(QWidget):
    """Thumbnails of a sent message's images; a click shows the image larger."""

    SIZE = 96

    def __init__(self, refs: list[dict[str, Any]],
                 locate: Callable[[dict[str, Any]], Path | None] | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentList")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for ref in refs:
            row.addWidget(self._thumb(ref, locate(ref) if locate else None))
        row.addStretch(1)

    def _thumb(self, ref: dict[str, Any], path: Path | None) -> QWidget:
        name = str(ref.get("name") or self.tr("image"))
        button = QToolButton(self)
        button.setObjectName("sentImage")
        button.setAutoRaise(True)
        button.setToolTip(f"{name} — {ref.get('width')}×{ref.get('height')}")
        image = _scaled_image(path, self.SIZE) if path is not None else QImage()
        if image.isNull():
            button.setText(f"[{name}]")
        else:
            button.setIcon(QIcon(QPixmap.fromImage(image)))
            button.setIconSize(image.size())
            button.clicked.connect(lambda: _show_large(path, name, self.window()))
        return button


class DocumentStrip(QWidget):
    """A sent message's documents, one card each; a click shows the text the app read from it."""

    def __init__(self, refs: list[dict[str, Any]],
                 locate: Callable[[dict[str, Any]], Path | None] | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentList")
        self.reader: DocumentReader | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        for ref in refs:
            column.addWidget(self._card(ref, locate(ref) if locate else None))

    def _card(self, ref: dict[str, Any], path: Path | None) -> QWidget:
        name = str(ref.get("name") or self.tr("document"))
        button = QToolButton(self)
        button.setObjectName("sentDocument")
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setIcon(self.style().standardIcon(self.style().StandardPixmap.SP_FileIcon))
        button.setText(f"{name} · {summary(ref)}" if path is not None
                       else self.tr("%1 — no longer on disk").replace("%1", name))
        button.setAccessibleName(name)
        button.setEnabled(path is not None)
        if path is not None:
            button.clicked.connect(lambda: self._open(name, ref, path))
        return button

    def _open(self, name: str, ref: dict[str, Any], path: Path) -> None:
        from qwen_desktop.core.documents import read_document

        self.reader = DocumentReader(name, summary(ref), self.window())
        self.reader.load(lambda: read_document(path, name))
        self.reader.open()


def _scaled_image(path: Path, size: int) -> QImage:
    """Only a regular file of a stored image's size is read (a FIFO put in its place would block)."""
    try:
        data = QByteArray(read_bounded(path, MAX_STORED_BYTES))
    except OSError:
        return QImage()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    original = reader.size()
    if original.isValid() and (original.width() > size or original.height() > size):
        reader.setScaledSize(original.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


def _show_large(path: Path | None, name: str, parent: QWidget) -> None:
    if path is None:
        return
    dialog = QDialog(parent)
    dialog.setObjectName("sentImagePreview")
    dialog.setWindowTitle(name)
    label = QLabel(dialog)
    label.setPixmap(QPixmap.fromImage(_scaled_image(path, 900)))
    QVBoxLayout(dialog).addWidget(label)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


class AssistantMessageWidget(MessageWidget):
    regenerateRequested = Signal(int)
    retryRequested = Signal(int)
    continueRequested = Signal(int)
    checkAddressRequested = Signal()
    contextRequested = Signal(int)
    toolDecision = Signal(int, str, str)
    """message id, call id and a ``Decision`` value."""
    switchProtocolRequested = Signal()
    leaveResponsesRequested = Signal(int)
    stepsWaiting = Signal()
    """A long reply is shown as plain text until its blocks are rendered in steps (``render_steps``)."""

    def __init__(self, message_id: int, context: ChatContext, parent: QWidget | None = None) -> None:
        super().__init__(message_id, context, parent)
        self.message: Message | None = None
        self.sources_panel: SourcesPanel | None = None
        self.search_note: SearchNote | None = None
        self.tool_cards: dict[str, ToolCard] = {}
        self.model: str | None = None
        self.thinking: ThinkingSection | None = None
        self.error_panel: ErrorPanel | None = None
        self.rest_button: QToolButton | None = None
        self._reasoning_seconds: float | None = None
        self._answer_started = False
        self.actions.add_button(self.tr("Regenerate"), self.tr("Regenerate reply"), lambda: self.regenerateRequested.emit(self.message_id))
        self.context_button = self.actions.add_button(
            self.tr("Context…"), self.tr("Show what was sent with this request"),
            lambda: self.contextRequested.emit(self.message_id))
        self.context_button.setObjectName("contextButton")
        self.context_button.hide()
        self.continue_button = self.actions.add_button(
            self.tr("Continue"), self.tr("Continue this reply where it was cut off"),
            lambda: self.continueRequested.emit(self.message_id))
        self.continue_button.setObjectName("continueCutButton")
        self.continue_button.hide()
        self._add_more_menu(self.tr("Delete this reply"))
        self.actions.add_leading(self.switcher)
        self.context_note = small_label("", self, "contextNotice")
        self.context_note.setWordWrap(True)
        self.context_note.hide()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.addWidget(self.text_view)
        self._layout.addWidget(self.actions)
        self._layout.addWidget(self.context_note)

    @property
    def full_render_count(self) -> int:
        return self.text_view.full_render_count

    def begin(self, model: str) -> None:
        self.model = model
        self.text_view.begin_stream()
        self.text_view.hide()
        self.actions.hide()

    def resume(self, model: str) -> None:
        source = self.source
        self.begin(model)
        if self.error_panel is not None:
            self.error_panel.hide()
        self.source = ""
        self._answer_started = False
        if source:
            self.append_content(source)

    def append_reasoning(self, text: str) -> None:
        thinking = self._thinking()
        if not thinking.live and not thinking.body.toPlainText():
            thinking.start()
            thinking.set_expanded(self.context.thinking_expanded.get(self.message_id, True))
        thinking.append(text)

    def append_content(self, text: str, deadline: float | None = None) -> None:
        self._source.append(text)
        if not self._answer_started:
            self._answer_started = True
            self.text_view.show()
            self._end_thinking_live()
        self.text_view.append_stream(text, self.context.renderer, deadline)

    def render_backlog(self, deadline: float | None) -> None:
        self.text_view.render_backlog(self.context.renderer, deadline)

    def finish(self, message: Message) -> None:
        self.message = message
        self.model = message.model or self.model
        streamed = self.text_view.streaming and self.source == message.content
        self.source = message.content
        self._end_thinking_live()
        if message.reasoning:
            seconds = message.reasoning_ms / 1000 if message.reasoning_ms is not None else self._reasoning_seconds
            tokens = message.usage.reasoning_tokens if message.usage else None
            thinking = self._thinking()
            thinking.finish(message.reasoning, seconds, tokens)
            thinking.set_expanded(self.context.thinking_expanded.get(self.message_id, thinking.expanded))
        if streamed and self._blocks_suffice():
            self.text_view.finish_stream(self.context.renderer)
            self.copy_button.setVisible(bool(self.source))
        else:
            self._render_content()
        self.show_sources(message.sources)
        searched = message.meta.get("search") if isinstance(message.meta.get("search"), dict) else {}
        if searched.get("sources_unavailable") and message.status is MessageStatus.COMPLETE:
            self._search_note().show()
        elif self.search_note is not None:
            self.search_note.hide()
        self.actions.info.setText(footer_text(self.model, message.usage, self.context.cost_function,
                                              search_fee(message)))
        notes = message.context or {}
        self.context_button.setVisible("tokens" in notes)
        self.context_note.setText("\n".join(str(n) for n in notes.get("notices") or ()))
        self.context_note.setVisible(bool(notes.get("notices")))
        cut = message.status is MessageStatus.COMPLETE and message.meta.get("finish_reason") == "length"
        self.continue_button.setVisible(cut and bool(message.content))
        if cut:
            self.actions.badge.setText(self.tr("cut off at the output limit"))
        elif message.status == MessageStatus.INTERRUPTED:
            self.actions.badge.setText(self.tr("interrupted"))
        self.actions.badge.setVisible(message.status == MessageStatus.INTERRUPTED or cut)
        self.actions.show()
        if message.error and message.status in (MessageStatus.ERROR, MessageStatus.INTERRUPTED):
            can_continue = message.status == MessageStatus.INTERRUPTED and bool(message.content)
            elapsed = time.time() - message.updated_at
            self._error_panel().show_error(message.error, can_continue, elapsed)
        elif self.error_panel is not None:
            self.error_panel.hide()

    def show_sources(self, sources: tuple[Source, ...]) -> None:
        """The Sources list under the reply; may arrive while the reply is still streaming."""
        if not sources and self.sources_panel is None:
            return
        if self.sources_panel is None:
            self.sources_panel = SourcesPanel(self.context.theme.markdown.link, self)
            self.sources_panel.linkActivated.connect(self.linkActivated)
            self._layout.insertWidget(self._layout.indexOf(self.actions), self.sources_panel)
        self.sources_panel.set_sources(sources)

    def _search_note(self) -> SearchNote:
        if self.search_note is None:
            self.search_note = SearchNote(self)
            self.search_note.switchRequested.connect(self.switchProtocolRequested)
            self._layout.insertWidget(self._layout.indexOf(self.actions), self.search_note)
        return self.search_note

    def show_error(self, error: dict[str, Any], partial_kept: bool) -> None:
        self._end_thinking_live()
        keep = partial_kept and bool(self.source)
        if keep:
            if self.text_view.streaming:
                self.text_view.show_markdown(self.source, self.context.renderer)
        else:
            self.source = ""
            self.text_view.show_plain("")
        self.text_view.setVisible(keep)
        self.actions.info.setText(self.model or "")
        self.actions.badge.setVisible(keep)
        self.copy_button.setVisible(keep)
        self.actions.show()
        self._error_panel().show_error(error, keep)

    def contains(self, needle: str) -> bool:
        reasoning = self.message.reasoning if self.message else ""
        return super().contains(needle) or needle in reasoning.casefold()

    def mark(self, text: str) -> QRect | None:
        rect = super().mark(text)
        if rect is None and self.text_view.held_chars:
            self.show_rest()
            self.text_view.render_steps(self.context.renderer, None)
            rect = super().mark(text)
        if rect is not None or self.thinking is None:
            return rect
        self.thinking.set_expanded(True)
        found = self.thinking.body.mark(text, self.context.theme.highlight)
        if found is None:
            return None
        return found.translated(self.thinking.body.mapTo(self, QPoint()))

    def unmark(self) -> None:
        super().unmark()
        if self.thinking is not None:
            self.thinking.body.unmark()

    def restyle(self) -> None:
        if self.message is not None and not self.text_view.streaming:
            self._render_content()
        for card in self.tool_cards.values():
            card.restyle(self.context.theme)
        if self.sources_panel is not None:
            self.sources_panel.restyle(self.context.theme.markdown.link)

    def add_tool_card(self, call_id: str, name: str, title: str, arguments: str) -> ToolCard:
        card = self.tool_cards.get(call_id)
        if card is None:
            card = ToolCard(call_id, name, title, arguments, self.context.theme, self)
            card.decided.connect(lambda call, decision: self.toolDecision.emit(self.message_id, call, decision))
            self.tool_cards[call_id] = card
            self._layout.insertWidget(self._layout.indexOf(self.actions), card)
        return card

    def render_steps(self, deadline: float | None) -> None:
        self.text_view.render_steps(self.context.renderer, deadline)
        held = self.text_view.held_chars
        if held and self.rest_button is None:
            self.rest_button = QToolButton(self)
            self.rest_button.setObjectName("showRest")
            self.rest_button.setAutoRaise(True)
            self.rest_button.clicked.connect(self.show_rest)
            self._layout.insertWidget(self._layout.indexOf(self.text_view) + 1, self.rest_button)
        if self.rest_button is not None:
            self.rest_button.setText(self.tr("Show the rest of this reply (%1 more characters)")
                                     .replace("%1", f"{held:,}"))
            self.rest_button.setVisible(bool(held))

    def show_rest(self) -> None:
        self.text_view.release_steps()
        if self.rest_button is not None:
            self.rest_button.hide()
        self.stepsWaiting.emit()

    def _blocks_suffice(self) -> bool:
        """Long replies render block by block, as streamed or in steps once stored; reference-style
        link definitions can change earlier blocks: those replies render whole."""
        return len(self.source) > FULL_RENDER_LIMIT and not _REFERENCE_DEFINITION.search(self.source)

    def _render_content(self) -> None:
        sources = self.message.sources if self.message is not None else ()
        shown = link_citations(self.source, sources) if sources else self.source
        if self._blocks_suffice():
            self.text_view.show_markdown_in_steps(shown, self.context.renderer, STORED_SHOWN_CHARS)
            self.stepsWaiting.emit()
        else:
            self.text_view.show_markdown(shown, self.context.renderer)
        self.text_view.setVisible(bool(self.source))
        self.copy_button.setVisible(bool(self.source))

    def _end_thinking_live(self) -> None:
        if self.thinking is None or not self.thinking.live:
            return
        self._reasoning_seconds = self.thinking.stop()
        self.thinking.finish(self.thinking.body.toPlainText(), self._reasoning_seconds, None)
        if not self.thinking.user_toggled:
            self.thinking.set_expanded(False)
            self.context.thinking_expanded[self.message_id] = False

    def _thinking(self) -> ThinkingSection:
        if self.thinking is None:
            self.thinking = ThinkingSection(self)
            self.thinking.toggledByUser.connect(self._remember_thinking)
            self._layout.insertWidget(0, self.thinking)
        return self.thinking

    def _remember_thinking(self, expanded: bool) -> None:
        self.context.thinking_expanded[self.message_id] = expanded

    def _error_panel(self) -> ErrorPanel:
        if self.error_panel is None:
            self.error_panel = ErrorPanel(self)
            self.error_panel.retryClicked.connect(lambda: self.retryRequested.emit(self.message_id))
            self.error_panel.continueClicked.connect(lambda: self.continueRequested.emit(self.message_id))
            self.error_panel.checkAddressClicked.connect(self.checkAddressRequested)
            self.error_panel.leaveResponsesClicked.connect(
                lambda: self.leaveResponsesRequested.emit(self.message_id))
            self._layout.insertWidget(self._layout.indexOf(self.actions), self.error_panel)
        return self.error_panel
