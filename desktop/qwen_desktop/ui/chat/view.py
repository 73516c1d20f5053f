"""The conversation: message widgets in a scroll area, built lazily, streamed incrementally."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QScrollBar, QVBoxLayout, QWidget

from qwen_desktop.core.types import Role, Source, ToolCall, stored_tool_calls
from qwen_desktop.ui.chat.footer import CostFunction
from qwen_desktop.ui.chat.markdown import MarkdownRenderer
from qwen_desktop.ui.chat.math import math_loader
from qwen_desktop.ui.chat.messages import (
    AssistantMessageWidget,
    ChatContext,
    MessageWidget,
    UserMessageWidget,
)
from qwen_desktop.ui.chat.scroll import ScrollKeeper
from qwen_desktop.ui.chat.style import chat_stylesheet
from qwen_desktop.ui.chat.theme import ChatTheme

if TYPE_CHECKING:
    from qwen_desktop.core.storage import Message
    from qwen_desktop.core.storage.tree import Versions

FIRST_SCREEN = 6
"""Messages built at once when a conversation opens; the rest follow one per two event-loop turns
(one turn builds and renders a message, the next lays it out in place)."""
AHEAD_SCREENS = 2
"""Messages are built while fewer than this many viewport heights are ready above or below."""
KEEP_SCREENS = 5
"""Widgets farther than this many viewport heights from what is shown are released ..."""
MIN_BUILT = 80
"""... once more than this many are built."""
TRIM_BATCH = 3
PAGE = 40
"""Messages read from the store at a time when a conversation is shown from its outline."""
SEARCH_BATCH = 500
FLUSH_MS = 33
"""Streamed chunks are shown together at most this often (about 30 times a second): each showing
costs a repaint of the whole column as it scrolls, under an X server a frame pushed to it, so at
60 a second a fast stream spent most of the window's time painting."""
SLICE_S = 0.008
"""How long one timer-driven flush may spend showing new text and rendering finished Markdown
blocks; what is left waits, in order, for the next turn of the event loop (at least one piece of
text and one block are shown each turn, so a backlog always drains)."""
PIECE_CHARS = 4_096
"""New text is laid out in pieces of this size, the time checked after each."""
FINISH_AT_ONCE_CHARS = 8_000
"""A reply that ends with more than this still to show or render finishes over the next turns
instead of at once."""
STEPS_SLICE_S = 0.02
"""How long one turn may spend rendering a long stored reply's next blocks: each turn also pays
for laying the column out and painting, so fewer, longer turns finish sooner."""
COLUMN_WIDTH = 920
SHOWN_ROLES = (Role.USER, Role.ASSISTANT)


MessageLoader = Callable[[Sequence[int]], Sequence["Message"]]
"""Reads the messages with the given ids (in that order) from the store."""


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
    toolDecision = Signal(int, str, str)
    switchProtocolRequested = Signal()
    leaveResponsesRequested = Signal(int)
    """The service refused the Responses API for this model: switch protocol and ask again."""
    versionSelected = Signal(int)
    forkRequested = Signal(int)
    deleteRequested = Signal(int)

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
        self._scroll.verticalScrollBar().setObjectName("messageScrollBar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(self._scroll)
        self._keeper = ScrollKeeper(self._scroll.verticalScrollBar())
        self._builder = QTimer(self)
        self._builder.setSingleShot(True)
        self._builder.setInterval(0)
        self._builder.timeout.connect(self._build_step)
        self._keeper.nearTop.connect(self._schedule)
        self._scroll.verticalScrollBar().valueChanged.connect(self._schedule)
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush_slice)
        self._steps_timer = QTimer(self)
        self._steps_timer.setSingleShot(True)
        self._steps_timer.setInterval(0)
        self._steps_timer.timeout.connect(self._render_steps)
        self._order: list[int] = []
        self._messages: dict[int, Message] = {}
        self._path: Sequence[int] = ()
        self._path_roles: Sequence[Role] = ()
        self._order_position: list[int] = []
        self._unloaded: set[int] = set()
        self._load: MessageLoader | None = None
        self._versions: dict[int, Versions] = {}
        self._widgets: dict[int, MessageWidget] = {}
        self._pending: dict[int, _Pending] = {}
        self._finishing: dict[int, Message] = {}
        self._tool_results: dict[str, Message] = {}
        self._first_built = 0
        self._last_built = 0
        self._keys: dict[QWidget, tuple[int, int]] = {}
        self._prepared: MessageWidget | None = None
        self._marked: MessageWidget | None = None
        self._scroll.setStyleSheet(chat_stylesheet(theme))
        math_loader().loaded.connect(self._math_loaded)
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
        return self._keeper.following and self._last_built >= len(self._order)

    @property
    def theme(self) -> ChatTheme:
        return self._context.theme

    @property
    def building(self) -> bool:
        """True while messages around the viewport are still being built or released."""
        return self._builder.isActive()

    def scroll_bar(self) -> QScrollBar:
        return self._scroll.verticalScrollBar()

    def viewport_widget(self) -> QWidget:
        return self._scroll.viewport()

    def message_widgets(self) -> list[MessageWidget]:
        return [self._widgets[i] for i in self._order[self._first_built : self._last_built] if i in self._widgets]

    def widget_for(self, message_id: int) -> MessageWidget | None:
        return self._widgets.get(message_id)

    def _math_loaded(self) -> None:
        """Formulas shown as source while the renderer loaded are drawn now."""
        for widget in self.message_widgets():
            if "$" in widget.source:
                widget.restyle()

    def focused_message(self) -> MessageWidget | None:
        focus = QApplication.focusWidget()
        while focus is not None and not isinstance(focus, MessageWidget):
            focus = focus.parentWidget()
        return focus if isinstance(focus, MessageWidget) and focus.message_id in self._widgets else None

    def step_focus(self, forward: bool) -> MessageWidget | None:
        """Move keyboard focus to the next or previous message (Alt+Down / Alt+Up) and show it.

        From outside the messages, Alt+Up starts at the newest one and Alt+Down at the oldest shown.
        """
        shown = self.message_widgets()
        current = self.focused_message()
        if current is None:
            target = (shown[-1] if not forward else self._first_visible(shown)) if shown else None
        else:
            index = shown.index(current) + (1 if forward else -1)
            if index < 0 and self._first_built > 0:
                self._grow_older(FIRST_SCREEN)
                shown = self.message_widgets()
                index = shown.index(current) - 1
            target = shown[index] if 0 <= index < len(shown) else None
        if target is None:
            return None
        self._keeper.following = False
        self._scroll.ensureWidgetVisible(target, 0, 24)
        target.text_view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return target

    def _first_visible(self, shown: list[MessageWidget]) -> MessageWidget:
        top = self._scroll.verticalScrollBar().value()
        return next((w for w in shown if w.geometry().bottom() >= top), shown[-1])

    def set_messages(self, messages: Sequence[Message], versions: Mapping[int, Versions] | None = None) -> None:
        """``versions``: for messages that have other versions, where they stand among them."""
        self._reset()
        self._versions = dict(versions or {})
        self._tool_results = {str(m.meta.get("tool_call_id")): m for m in messages if m.role == Role.TOOL}
        shown = [m for m in messages if m.role in SHOWN_ROLES]
        self._order = [m.id for m in shown]
        self._order_position = [0] * len(shown)
        self._messages = {m.id: m for m in shown}
        self._show_end()

    def set_outline(self, ids: Sequence[int], roles: Sequence[Role], versions: Mapping[int, Versions],
                    load: MessageLoader, skip: Sequence[int] = ()) -> None:
        """Show a conversation from its path's ids and roles: only the newest messages are read
        now, older ones a page at a time as they come near the viewport. ``skip``: ids left out
        (replies still streaming, shown by the caller)."""
        self._reset()
        self._versions = dict(versions)
        self._path, self._path_roles, self._load = ids, roles, load
        left_out = set(skip)
        shown = [(i, mid) for i, (mid, role) in enumerate(zip(ids, roles))
                 if role in SHOWN_ROLES and mid not in left_out]
        self._order = [mid for _, mid in shown]
        self._order_position = [i for i, _ in shown]
        self._unloaded = set(self._order)
        self._read_page(len(self._order) - 1)
        self._show_end()

    def _show_end(self) -> None:
        self._first_built = self._last_built = len(self._order)
        self._grow_older(FIRST_SCREEN)
        self._keeper.follow()
        self._scroll.setWidget(self._container)
        self._schedule()

    def _append_order(self, message_id: int) -> None:
        self._order.append(message_id)
        self._order_position.append(len(self._path))

    def _message_at(self, index: int) -> Message | None:
        message_id = self._order[index]
        if message_id in self._unloaded:
            self._read_page(index)
        return self._messages.get(message_id)

    def _read_page(self, index: int) -> None:
        """Read the unread messages within a page of ``index``, with the tool results that follow them."""
        if self._load is None or not self._order:
            return
        low, high = max(0, index - PAGE + 1), min(len(self._order), index + PAGE)
        start = self._order_position[low]
        end = self._order_position[high] if high < len(self._order) else len(self._path)
        wanted = [mid for mid, role in zip(self._path[start:end], self._path_roles[start:end])
                  if mid in self._unloaded or role is Role.TOOL]
        for message in self._load(wanted):
            if message.role == Role.TOOL:
                self._tool_results[str(message.meta.get("tool_call_id"))] = message
            elif message.id in self._unloaded:
                self._messages[message.id] = message
        self._unloaded.difference_update(wanted)

    def add_message(self, message: Message) -> None:
        if message.role == Role.TOOL:
            self._tool_results[str(message.meta.get("tool_call_id"))] = message
            return
        if message.role not in SHOWN_ROLES:
            return
        if message.id in self._widgets:
            self.finish_reply(message)
            return
        if message.role == Role.USER:
            self._show_tail()
        tail_built = self._last_built >= len(self._order)
        self._append_order(message.id)
        self._messages[message.id] = message
        if not tail_built:
            return
        self._keeper.release()
        if message.role == Role.USER:
            self._keeper.follow()
        self._place(self._build(message))
        self._last_built = len(self._order)

    def set_versions(self, versions: Mapping[int, Versions]) -> None:
        """Update the version switchers (after a regeneration or an edit added a version)."""
        self._versions = dict(versions)
        for message_id, widget in self._widgets.items():
            widget.set_versions(self._versions.get(message_id))

    def begin_reply(self, message_id: int, model: str) -> None:
        """Start streaming into a new reply, or continue an existing one (its text stays)."""
        self._keeper.follow()
        finishing = self._finishing.pop(message_id, None)
        if finishing is not None:
            self._finish_now(finishing)
        existing = self._widgets.get(message_id)
        if isinstance(existing, AssistantMessageWidget):
            self._pending.pop(message_id, None)
            existing.resume(model)
            return
        self._show_tail()
        widget = self._new_assistant(message_id)
        widget.begin(model)
        self._append_order(message_id)
        self._place(widget)
        self._last_built = len(self._order)

    def append_reasoning(self, message_id: int, text: str) -> None:
        self._queue(message_id).reasoning.append(text)

    def append_content(self, message_id: int, text: str) -> None:
        self._queue(message_id).content.append(text)

    def finish_reply(self, message: Message) -> None:
        """Show the reply as finished; when much of it is still to be shown, once it is."""
        if message.id in self._order and self._unshown_chars(message.id) > FINISH_AT_ONCE_CHARS:
            self._finishing[message.id] = message
            if not self._flush_timer.isActive():
                self._flush_timer.start(0)
            return
        self._finishing.pop(message.id, None)
        self._finish_now(message)

    def _finish_now(self, message: Message) -> None:
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
            card = widget.tool_cards[call.id]
            if call.arguments:
                card.set_arguments(call.arguments)
            card.finish(result, error, duration_ms, denied)

    def show_sources(self, message_id: int, sources: tuple[Source, ...]) -> None:
        widget = self._widgets.get(message_id)
        if isinstance(widget, AssistantMessageWidget):
            widget.show_sources(sources)

    def show_error(self, message_id: int, error: dict[str, Any], partial_kept: bool) -> None:
        finishing = self._finishing.pop(message_id, None)
        if finishing is not None:
            self._finish_now(finishing)
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
            self._finishing.pop(removed, None)
            self._messages.pop(removed, None)
            self._drop(removed)
        del self._order[index:]
        del self._order_position[index:]
        self._discard_prepared()
        self._keeper.release()
        self._last_built = min(self._last_built, index)
        if self._first_built >= self._last_built:
            self._first_built = self._last_built = index
            self._grow_older(FIRST_SCREEN)
        self._schedule()

    def insert_extra(self, widget: QWidget, after_message_id: int) -> None:
        """Place a non-message widget (a divider) right after the given message."""
        self._place(widget, (after_message_id, 1))

    def remove_extra(self, widget: QWidget) -> None:
        self._keys.pop(widget, None)
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
        index = self._find(needle)
        if index is None:
            return
        if not self._first_built <= index < self._last_built:
            self._rebuild_around(index)
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
        self._keeper.following = self.following

    def clear(self) -> None:
        self.set_messages([])

    def flush(self) -> None:
        """Apply buffered stream chunks now, rendering every finished block."""
        self._flush_timer.stop()
        pending, self._pending = self._pending, {}
        for message_id, chunks in pending.items():
            self._apply(message_id, chunks, None)
        for widget in self._widgets.values():
            if isinstance(widget, AssistantMessageWidget):
                widget.render_backlog(None)
        for message in list(self._finishing.values()):
            self.finish_reply(message)

    def _flush_slice(self) -> None:
        """The coalescing timer's flush: new text and Markdown rendering stop after SLICE_S; what
        is left waits, in order, for the next turn of the loop. Every turn shows at least one
        piece of new text and renders one waiting block of each reply, so a backlog drains."""
        deadline = time.perf_counter() + SLICE_S
        pending, self._pending = self._pending, {}
        rendered: dict[int, int] = {}
        for message_id, chunks in pending.items():
            widget = self._widgets.get(message_id)
            if isinstance(widget, AssistantMessageWidget):
                rendered[message_id] = widget.text_view.block_render_count
            rest = self._apply(message_id, chunks, deadline)
            if rest is not None:
                self._pending[message_id] = rest
        waiting = bool(self._pending)
        for message_id, widget in self._widgets.items():
            if isinstance(widget, AssistantMessageWidget) and widget.text_view.has_backlog:
                idle = rendered.get(message_id, -1) in (-1, widget.text_view.block_render_count)
                if idle or time.perf_counter() < deadline:
                    widget.render_backlog(deadline)
                waiting = waiting or widget.text_view.has_backlog
        for message in list(self._finishing.values()):
            self.finish_reply(message)
        waiting = waiting or bool(self._finishing)
        if waiting and not self._flush_timer.isActive():
            self._flush_timer.start(0)

    def _render_steps(self) -> None:
        """Render stored long replies shown as plain text, a time slice per turn of the event loop."""
        deadline = time.perf_counter() + STEPS_SLICE_S
        waiting = False
        for widget in list(self._widgets.values()):
            if isinstance(widget, AssistantMessageWidget) and widget.text_view.has_steps:
                widget.render_steps(deadline)
                waiting = waiting or widget.text_view.has_steps
        if waiting:
            self._steps_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule()

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
        self._steps_timer.stop()
        self._builder.stop()
        self._discard_prepared()
        self._keys.clear()
        self._pending.clear()
        self._finishing.clear()
        self._tool_results.clear()
        self._widgets.clear()
        self._messages.clear()
        self._order = []
        self._order_position = []
        self._path, self._path_roles = (), ()
        self._unloaded = set()
        self._load = None
        self._first_built = self._last_built = 0
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
            self._connect_common(user)
            self._widgets[message.id] = user
            return user
        widget = self._new_assistant(message.id)
        widget.finish(message)
        widget.set_versions(self._versions.get(message.id))
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
        for call in message.meta.get("server_tools") or ():
            if not isinstance(call, dict):
                continue
            card = widget.add_tool_card(str(call.get("id", "")), str(call.get("name", "")),
                                        str(call.get("title") or call.get("name", "")), str(call.get("arguments", "")))
            if "result" in call or call.get("error"):
                card.finish(str(call.get("result") or ""), call.get("error"), call.get("duration_ms"), False)
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
        widget.switchProtocolRequested.connect(self.switchProtocolRequested)
        widget.leaveResponsesRequested.connect(self.leaveResponsesRequested)
        widget.stepsWaiting.connect(self._steps_timer.start)
        self._connect_common(widget)
        self._widgets[message_id] = widget
        return widget

    def _connect_common(self, widget: MessageWidget) -> None:
        widget.versionSelected.connect(self.versionSelected)
        widget.forkRequested.connect(self.forkRequested)
        widget.deleteRequested.connect(self.deleteRequested)
        widget.set_versions(self._versions.get(widget.message_id))

    def _place(self, widget: QWidget, key: tuple[int, int] | None = None) -> None:
        """Insert ``widget`` in message order: messages by id, extras right after their message."""
        if key is None:
            assert isinstance(widget, MessageWidget)
            key = (widget.message_id, 0)
        layout = self._container.layout()
        assert isinstance(layout, QVBoxLayout)
        low, high = 0, layout.count() - 1
        while low < high:
            middle = (low + high) // 2
            if self._keys.get(layout.itemAt(middle).widget(), key) <= key:
                low = middle + 1
            else:
                high = middle
        self._keys[widget] = key
        layout.insertWidget(low, widget)
        if self._container.isVisible():
            widget.show()

    def _drop(self, message_id: int) -> None:
        widget = self._widgets.pop(message_id, None)
        if widget is None:
            return
        if widget is self._marked:
            self._marked = None
        self._keys.pop(widget, None)
        self._container.layout().removeWidget(widget)
        widget.hide()
        widget.deleteLater()

    def _schedule(self) -> None:
        if not self._builder.isActive() and self.isVisible():
            self._builder.start()

    def _build_step(self) -> None:
        """One turn of the builder: extend the built window toward what may be shown next, or
        release widgets far from it. Runs again on the next turn until nothing is left to do."""
        bar = self._scroll.verticalScrollBar()
        screen = max(200, self._scroll.viewport().height())
        if self._trim(bar.value(), screen):
            pass
        elif self._first_built > 0 and bar.value() < AHEAD_SCREENS * screen:
            self._advance(older=True)
        elif self._last_built < len(self._order) and bar.maximum() - bar.value() < AHEAD_SCREENS * screen:
            self._advance(older=False)
        else:
            self._discard_prepared()
            return
        self._builder.start()

    def _advance(self, *, older: bool) -> None:
        """Build the next message beyond the built window, or place the one built last turn."""
        index = self._first_built - 1 if older else self._last_built
        message = self._message_at(index)
        if message is None:
            self._first_built, self._last_built = (index, self._last_built) if older else (self._first_built, index + 1)
            return
        prepared = self._prepared
        if prepared is None or prepared.message_id != message.id:
            self._discard_prepared()
            self._prepared = self._build(message)
            return
        self._prepared = None
        if older:
            self._keeper.pin_for_prepend()
            self._first_built = index
        else:
            self._keeper.release()
            self._keeper.following = False
            self._last_built = index + 1
        self._place(prepared)
        self._settle()

    def _discard_prepared(self) -> None:
        prepared, self._prepared = self._prepared, None
        if prepared is not None:
            self._widgets.pop(prepared.message_id, None)
            prepared.deleteLater()

    def _grow_older(self, count: int) -> None:
        """Prepend ``count`` older messages now."""
        self._discard_prepared()
        if self._first_built <= 0:
            return
        self._keeper.pin_for_prepend()
        built = 0
        while self._first_built > 0 and built < count:
            self._first_built -= 1
            message = self._message_at(self._first_built)
            if message is not None:
                self._place(self._build(message))
                built += 1
        self._settle()

    def _trim(self, value: int, screen: int) -> bool:
        """Release widgets far above or below the viewport; False when there was nothing to do."""
        if self._last_built - self._first_built <= MIN_BUILT:
            return False
        reach = KEEP_SCREENS * screen
        bottom = [i for i in self._order[self._last_built - TRIM_BATCH : self._last_built]
                  if self._disposable(i) and self._widgets[i].y() > value + screen + reach]
        if bottom and bottom[-1] == self._order[self._last_built - 1]:
            self._keeper.release()
            for message_id in reversed(bottom):
                if message_id != self._order[self._last_built - 1]:
                    break
                self._drop(message_id)
                self._last_built -= 1
            self._settle()
            return True
        top = [i for i in self._order[self._first_built : self._first_built + TRIM_BATCH]
               if self._disposable(i) and self._widgets[i].geometry().bottom() < value - reach]
        if top and top[0] == self._order[self._first_built]:
            self._keeper.pin_for_prepend()
            for message_id in top:
                if message_id != self._order[self._first_built]:
                    break
                self._drop(message_id)
                self._first_built += 1
            self._settle()
            return True
        return False

    def _disposable(self, message_id: int) -> bool:
        widget = self._widgets.get(message_id)
        if widget is None or message_id not in self._messages or message_id in self._pending:
            return False
        return not (isinstance(widget, AssistantMessageWidget) and widget.text_view.streaming)

    def _show_tail(self) -> None:
        """Make sure the newest messages are built (after scrolling far up, they may not be)."""
        if self._last_built >= len(self._order):
            return
        for message_id in self._order[self._first_built : self._last_built]:
            self._drop(message_id)
        self._first_built = self._last_built = len(self._order)
        self._grow_older(FIRST_SCREEN)
        self._keeper.follow()
        self._schedule()

    def _rebuild_around(self, index: int) -> None:
        for message_id in self._order[self._first_built : self._last_built]:
            self._drop(message_id)
        self._keeper.following = False
        self._keeper.release()
        self._first_built = self._last_built = min(len(self._order), index + FIRST_SCREEN // 2)
        self._grow_older(FIRST_SCREEN)
        self._schedule()

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
        return message is not None and _contains(message, needle)

    def _find(self, needle: str) -> int | None:
        """The first message containing ``needle``; unread ones are read in batches, not kept."""
        for start in range(0, len(self._order), SEARCH_BATCH):
            batch = self._order[start:start + SEARCH_BATCH]
            unread = [mid for mid in batch if mid in self._unloaded]
            hits = {m.id for m in self._load(unread) if _contains(m, needle)} if unread and self._load else set()
            for offset, message_id in enumerate(batch):
                if message_id in hits or self._matches(message_id, needle):
                    return start + offset
        return None

    def _queue(self, message_id: int) -> _Pending:
        if not self._flush_timer.isActive():
            self._flush_timer.start(FLUSH_MS)
        return self._pending.setdefault(message_id, _Pending())

    def _flush_one(self, message_id: int) -> None:
        chunks = self._pending.pop(message_id, None)
        if chunks is not None:
            self._apply(message_id, chunks, None)

    def _unshown_chars(self, message_id: int) -> int:
        chunks = self._pending.get(message_id)
        queued = sum(map(len, chunks.reasoning)) + sum(map(len, chunks.content)) if chunks else 0
        widget = self._widgets.get(message_id)
        rendering = widget.text_view.backlog_chars if isinstance(widget, AssistantMessageWidget) else 0
        return queued + rendering

    def _apply(self, message_id: int, chunks: _Pending, deadline: float | None) -> _Pending | None:
        """Show queued text; with a ``deadline``, only until it passes. Returns what is left."""
        widget = self._widgets.get(message_id)
        if not isinstance(widget, AssistantMessageWidget):
            return None
        self._keeper.release()
        if chunks.reasoning:
            text = "".join(chunks.reasoning)
            shown = _feed(widget.append_reasoning, text, deadline)
            if shown < len(text):
                return _Pending([text[shown:]], chunks.content)
        if chunks.content:
            text = "".join(chunks.content)
            with widget.text_view.one_fit():
                shown = _feed(lambda piece: widget.append_content(piece, deadline), text, deadline)
            if shown < len(text):
                return _Pending([], [text[shown:]])
        return None


def _feed(append: Callable[[str], None], text: str, deadline: float | None) -> int:
    """Append ``text`` in pieces until ``deadline`` passes (at least one piece); how much went."""
    if deadline is None or len(text) <= PIECE_CHARS:
        append(text)
        return len(text)
    shown = 0
    while shown < len(text):
        append(text[shown:shown + PIECE_CHARS])
        shown += PIECE_CHARS
        if time.perf_counter() >= deadline:
            break
    return min(shown, len(text))


def _contains(message: Message, needle: str) -> bool:
    return needle in message.content.casefold() or needle in message.reasoning.casefold()
