"""The conversation: message widgets in a scroll area, built lazily, streamed incrementally."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QScrollBar, QVBoxLayout, QWidget

from qwen_desktop.core.types import Role, ToolCall, stored_tool_calls
from qwen_desktop.ui.chat_footer import CostFunction
from qwen_desktop.ui.chat_scroll import ScrollKeeper
from qwen_desktop.ui.chat_style import chat_stylesheet
from qwen_desktop.ui.chat_theme import ChatTheme
from qwen_desktop.ui.markdown import MarkdownRenderer
from qwen_desktop.ui.message_widgets import (
    AssistantMessageWidget,
    ChatContext,
    MessageWidget,
    UserMessageWidget,
)

if TYPE_CHECKING:
    from qwen_desktop.core.storage import Message

PAGE_SIZE = 40
FLUSH_MS = 16
COLUMN_WIDTH = 920
SHOWN_ROLES = (Role.USER, Role.ASSISTANT)


@dataclass
class _Pending:
    reasoning: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)


class MessageView(QWidget):
    regenerateRequested = Signal(int)
    contextRequested = Signal(int)
    editRequested = Signal(int)
    retryRequested = Signal(int)
    continueRequested = Signal(int)
    checkAddressRequested = Signal()
    linkActivated = Signal(str)
    toolDecision = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageView")
        self.setAccessibleName("messageView")
        theme = ChatTheme.from_palette(self.palette())
        self._context = ChatContext(theme, MarkdownRenderer(theme.markdown))
        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("messageScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(self._scroll)
        self._keeper = ScrollKeeper(self._scroll.verticalScrollBar())
        self._keeper.nearTop.connect(self._load_older)
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._flush_timer.timeout.connect(self.flush)
        self._order: list[int] = []
        self._messages: dict[int, Message] = {}
        self._widgets: dict[int, MessageWidget] = {}
        self._pending: dict[int, _Pending] = {}
        self._tool_results: dict[str, Message] = {}
        self._first_built = 0
        self._marked: MessageWidget | None = None
        self._scroll.setStyleSheet(chat_stylesheet(theme))
        self._new_container()
        self._scroll.setWidget(self._container)

    @property
    def image_path_function(self) -> Callable[[dict[str, Any]], Path | None] | None:
        return self._context.image_path

    @image_path_function.setter
    def image_path_function(self, function: Callable[[dict[str, Any]], Path | None] | None) -> None:
        self._context.image_path = function

    @property
    def cost_function(self) -> CostFunction | None:
        return self._context.cost_function

    @cost_function.setter
    def cost_function(self, function: CostFunction | None) -> None:
        self._context.cost_function = function

    @property
    def following(self) -> bool:
        return self._keeper.following

    @property
    def theme(self) -> ChatTheme:
        return self._context.theme

    def scroll_bar(self) -> QScrollBar:
        return self._scroll.verticalScrollBar()

    def viewport_widget(self) -> QWidget:
        return self._scroll.viewport()

    def message_widgets(self) -> list[MessageWidget]:
        return [self._widgets[i] for i in self._order[self._first_built :] if i in self._widgets]

    def widget_for(self, message_id: int) -> MessageWidget | None:
        return self._widgets.get(message_id)

    def set_messages(self, messages: Sequence[Message]) -> None:
        self._reset()
        self._tool_results = {str(m.meta.get("tool_call_id")): m for m in messages if m.role == Role.TOOL}
        shown = [m for m in messages if m.role in SHOWN_ROLES]
        self._order = [m.id for m in shown]
        self._messages = {m.id: m for m in shown}
        self._first_built = max(0, len(shown) - PAGE_SIZE)
        for message_id in self._order[self._first_built :]:
            self._insert(self._build(self._messages[message_id]), self._container)
        self._keeper.follow()
        self._scroll.setWidget(self._container)

    def add_message(self, message: Message) -> None:
        if message.role == Role.TOOL:
            self._tool_results[str(message.meta.get("tool_call_id"))] = message
            return
        if message.role not in SHOWN_ROLES:
            return
        if message.id in self._widgets:
            self.finish_reply(message)
            return
        self._order.append(message.id)
        self._messages[message.id] = message
        self._keeper.release()
        if message.role == Role.USER:
            self._keeper.follow()
        self._insert(self._build(message), self._container)

    def begin_reply(self, message_id: int, model: str) -> None:
        """Start streaming into a new reply, or continue an existing one (its text stays)."""
        self._keeper.follow()
        existing = self._widgets.get(message_id)
        if isinstance(existing, AssistantMessageWidget):
            self._pending.pop(message_id, None)
            existing.resume(model)
            return
        widget = self._new_assistant(message_id)
        widget.begin(model)
        self._order.append(message_id)
        self._insert(widget, self._container)

    def append_reasoning(self, message_id: int, text: str) -> None:
        self._queue(message_id).reasoning.append(text)

    def append_content(self, message_id: int, text: str) -> None:
        self._queue(message_id).content.append(text)

    def finish_reply(self, message: Message) -> None:
        self._flush_one(message.id)
        widget = self._widgets.get(message.id)
        if message.id not in self._order:
            self.add_message(message)
            return
        self._messages[message.id] = message
        if isinstance(widget, AssistantMessageWidget):
            widget.finish(message)

    def add_tool_call(self, message_id: int, call: ToolCall, title: str) -> None:
        self._flush_one(message_id)
        widget = self._widgets.get(message_id)
        if isinstance(widget, AssistantMessageWidget):
            self._keeper.release()
            widget.add_tool_card(call.id, call.name, title, call.arguments)

    def ask_tool_consent(self, message_id: int, call: ToolCall, subject: str) -> None:
        widget = self._widgets.get(message_id)
        if isinstance(widget, AssistantMessageWidget) and call.id in widget.tool_cards:
            widget.tool_cards[call.id].ask(subject)

    def finish_tool_call(
        self, message_id: int, call: ToolCall, result: str, error: str | None, duration_ms: int | None,
        denied: bool,
    ) -> None:
        widget = self._widgets.get(message_id)
        if isinstance(widget, AssistantMessageWidget) and call.id in widget.tool_cards:
            widget.tool_cards[call.id].finish(result, error, duration_ms, denied)

    def show_error(self, message_id: int, error: dict[str, Any], partial_kept: bool) -> None:
        self._flush_one(message_id)
        widget = self._widgets.get(message_id)
        if widget is None:
            self.begin_reply(message_id, "")
            widget = self._widgets[message_id]
        if isinstance(widget, AssistantMessageWidget):
            widget.show_error(error, partial_kept)

    def remove_from(self, message_id: int) -> None:
        if message_id not in self._order:
            return
        index = self._order.index(message_id)
        for removed in self._order[index:]:
            self._pending.pop(removed, None)
            self._messages.pop(removed, None)
            widget = self._widgets.pop(removed, None)
            if widget is not None:
                if widget is self._marked:
                    self._marked = None
                self._container.layout().removeWidget(widget)
                widget.hide()
                widget.deleteLater()
        del self._order[index:]
        self._keeper.release()
        if self._first_built >= len(self._order):
            self._first_built = len(self._order)
            self._load_older()

    def insert_extra(self, widget: QWidget, after_message_id: int) -> None:
        """Place a non-message widget (a divider) right after the given message."""
        later = [i for i in self._order[self._first_built:] if i > after_message_id and i in self._widgets]
        layout = self._container.layout()
        assert isinstance(layout, QVBoxLayout)
        index = layout.indexOf(self._widgets[later[0]]) if later else layout.count() - 1
        layout.insertWidget(max(0, index), widget)

    def remove_extra(self, widget: QWidget) -> None:
        try:
            self._container.layout().removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        except RuntimeError:
            pass

    def highlight(self, text: str) -> None:
        needle = text.casefold()
        if not needle:
            return
        index = next((i for i, mid in enumerate(self._order) if self._matches(mid, needle)), None)
        if index is None:
            return
        while self._first_built > index:
            self._load_older()
        if self._marked is not None:
            self._marked.unmark()
        widget = self._widgets[self._order[index]]
        self._marked = widget
        self._settle()
        rect = widget.mark(text)
        self._settle()
        top = widget.mapTo(self._container, rect.topLeft() if rect is not None else QPoint())
        height = rect.height() if rect is not None else 0
        self._keeper.release()
        margin = self._scroll.viewport().height() // 3
        self._scroll.ensureVisible(top.x(), top.y() + height // 2, 0, max(margin, height))
        self._keeper.sync()

    def clear(self) -> None:
        self.set_messages([])

    def flush(self) -> None:
        """Apply buffered stream chunks now (the coalescing timer calls this)."""
        self._flush_timer.stop()
        pending, self._pending = self._pending, {}
        for message_id, chunks in pending.items():
            self._apply(message_id, chunks)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_column()

    def _apply_palette(self) -> None:
        theme = ChatTheme.from_palette(self.palette())
        if theme == self._context.theme:
            return
        self._context.theme = theme
        self._context.renderer = MarkdownRenderer(theme.markdown)
        self._scroll.setStyleSheet(chat_stylesheet(theme))
        for widget in self._widgets.values():
            widget.restyle()

    def _reset(self) -> None:
        self._flush_timer.stop()
        self._pending.clear()
        self._tool_results.clear()
        self._widgets.clear()
        self._messages.clear()
        self._order.clear()
        self._first_built = 0
        self._marked = None
        self._keeper.release()
        self._new_container()

    def _new_container(self) -> None:
        container = QWidget()
        container.setObjectName("messageColumn")
        layout = QVBoxLayout(container)
        layout.setSpacing(18)
        layout.addStretch(1)
        self._container = container
        self._fit_column()

    def _fit_column(self) -> None:
        side = max(16, (self._scroll.viewport().width() - COLUMN_WIDTH) // 2)
        self._container.layout().setContentsMargins(side, 16, side, 20)

    def _build(self, message: Message) -> MessageWidget:
        if message.role == Role.USER:
            user = UserMessageWidget(message, self._context)
            user.editRequested.connect(self.editRequested)
            user.linkActivated.connect(self.linkActivated)
            self._widgets[message.id] = user
            return user
        widget = self._new_assistant(message.id)
        widget.finish(message)
        self._restore_tools(widget, message)
        return widget

    def _restore_tools(self, widget: AssistantMessageWidget, message: Message) -> None:
        for call in stored_tool_calls(message.meta):
            result = self._tool_results.get(call.id)
            meta = result.meta if result is not None else {}
            card = widget.add_tool_card(call.id, call.name, str(meta.get("title") or call.name), call.arguments)
            if result is not None:
                card.finish(result.content, meta.get("error"), meta.get("duration_ms"), bool(meta.get("denied")))
            else:
                card.finish("", self.tr("This call did not finish."), None, False)

    def _new_assistant(self, message_id: int) -> AssistantMessageWidget:
        widget = AssistantMessageWidget(message_id, self._context)
        widget.regenerateRequested.connect(self.regenerateRequested)
        widget.contextRequested.connect(self.contextRequested)
        widget.retryRequested.connect(self.retryRequested)
        widget.continueRequested.connect(self.continueRequested)
        widget.checkAddressRequested.connect(self.checkAddressRequested)
        widget.linkActivated.connect(self.linkActivated)
        widget.toolDecision.connect(self.toolDecision)
        self._widgets[message_id] = widget
        return widget

    def _insert(self, widget: MessageWidget, container: QWidget, index: int | None = None) -> None:
        layout = container.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.count() - 1 if index is None else index, widget)

    def _load_older(self) -> None:
        if self._first_built <= 0:
            return
        start = max(0, self._first_built - PAGE_SIZE)
        self._keeper.pin_for_prepend()
        older = [self._messages[i] for i in self._order[start : self._first_built] if i in self._messages]
        for offset, message in enumerate(older):
            widget = self._build(message)
            self._insert(widget, self._container, offset)
            widget.show()
        self._first_built = start
        self._settle()

    def _settle(self) -> None:
        """Lay out new widgets now so scroll positions computed next are final."""
        self._container.layout().activate()
        for _ in range(3):
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def _matches(self, message_id: int, needle: str) -> bool:
        widget = self._widgets.get(message_id)
        if widget is not None:
            return widget.contains(needle)
        message = self._messages.get(message_id)
        return message is not None and (needle in message.content.casefold() or needle in message.reasoning.casefold())

    def _queue(self, message_id: int) -> _Pending:
        if not self._flush_timer.isActive():
            self._flush_timer.start()
        return self._pending.setdefault(message_id, _Pending())

    def _flush_one(self, message_id: int) -> None:
        chunks = self._pending.pop(message_id, None)
        if chunks is not None:
            self._apply(message_id, chunks)

    def _apply(self, message_id: int, chunks: _Pending) -> None:
        widget = self._widgets.get(message_id)
        if not isinstance(widget, AssistantMessageWidget):
            return
        self._keeper.release()
        if chunks.reasoning:
            widget.append_reasoning("".join(chunks.reasoning))
        if chunks.content:
            widget.append_content("".join(chunks.content))
