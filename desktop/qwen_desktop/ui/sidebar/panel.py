"""The sidebar: a New conversation button, search-as-you-type and the conversation list."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QListView, QMenu, QPushButton, QToolButton, QVBoxLayout, QWidget,
)

from qwen_desktop.core.storage import SearchHit
from qwen_desktop.ui.sidebar.delegates import ConversationDelegate, SearchHitDelegate
from qwen_desktop.ui.sidebar.model import Clock, ConversationListModel, ConversationSource, Roles
from qwen_desktop.ui.sidebar.search import HitRoles, SearchResultsModel
from qwen_desktop.ui.sidebar.searcher import Searcher
from qwen_desktop.ui.sidebar.trash import TrashPanel
from qwen_desktop.ui.sidebar.undo import UndoBar
from qwen_desktop.ui.sidebar.widgets import ConversationListView, SearchField

__all__ = ["Sidebar", "UndoBar", "SearchResultsModel"]

SEARCH_DELAY_MS = 30


class SearchableSource(ConversationSource, Protocol):
    def search(self, query: str, limit: int = 50, **options: Any) -> list[SearchHit]: ...


def plus_icon(color: QColor, size: int = 16) -> QIcon:
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(color, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    middle, reach = size / 2, size * 0.3
    painter.drawLine(QPointF(middle - reach, middle), QPointF(middle + reach, middle))
    painter.drawLine(QPointF(middle, middle - reach), QPointF(middle, middle + reach))
    painter.end()
    return QIcon(pixmap)


class Sidebar(QWidget):
    """Lists conversations and search results; reports what the user asks for through signals.

    Renames and pins are written to the store here (through the model) and then announced;
    deleting and opening are left to whoever listens.
    """

    conversationActivated = Signal(int)
    searchHitActivated = Signal(int, str)
    searchHitMessage = Signal(int)
    """The message a search hit found, sent just before searchHitActivated (it may be a version
    not shown at the moment)."""
    newConversationRequested = Signal()
    newWithRequested = Signal()
    """The arrow beside New: choose the assistant the new conversation starts from."""
    deleteRequested = Signal(int)
    renamed = Signal(int, str)
    pinToggled = Signal(int, bool)
    writeFailed = Signal(object)
    trashShown = Signal()

    def __init__(
        self,
        store: SearchableSource,
        parent: QWidget | None = None,
        *,
        clock: Clock = time.time,
        model: ConversationListModel | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self._store = store
        self._current: int | None = None
        self.model = model or ConversationListModel(store, clock=clock, parent=self)
        self.search_model = SearchResultsModel(self)
        self._list_delegate = ConversationDelegate(self)
        self._hit_delegate = SearchHitDelegate(self)

        self.new_button = QPushButton(self.tr("New conversation"), self)
        self.new_with_button = QToolButton(self)
        self.search_field = SearchField(self)
        self.list_view = ConversationListView(self)
        self.trash = TrashPanel(store, self)  # type: ignore[arg-type]
        self.trash_button = QPushButton(self.tr("Trash"), self)
        self._search_timer = QTimer(self)
        self._searcher = Searcher(store, self)
        self._pending_query: str | None = None
        self._when_found: list[Callable[[], None]] = []
        self._build()
        self._connect()
        self._show_list()

    def _build(self) -> None:
        self.new_button.setObjectName("newConversationButton")
        self.new_button.setAccessibleName("newConversationButton")
        self.new_button.setIconSize(QSize(16, 16))
        self.new_button.setMinimumHeight(32)
        self.new_with_button.setObjectName("newWithButton")
        self.new_with_button.setAccessibleName("newWithButton")
        self.new_with_button.setArrowType(Qt.ArrowType.DownArrow)
        self.new_with_button.setToolTip(self.tr("New conversation with an assistant (Ctrl+Shift+N)"))
        self.new_with_button.setMinimumHeight(32)

        self.search_field.setObjectName("searchField")
        self.search_field.setAccessibleName("searchField")
        self.search_field.setPlaceholderText(self.tr("Search conversations (Ctrl+K)"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMinimumHeight(30)

        view = self.list_view
        view.setObjectName("conversationList")
        view.setAccessibleName("conversationList")
        view.setUniformItemSizes(False)
        view.setLayoutMode(QListView.LayoutMode.Batched)
        view.setBatchSize(200)
        view.setFrameShape(QListView.Shape.NoFrame)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked)
        view.setMouseTracking(True)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        view.viewport().setAttribute(Qt.WidgetAttribute.WA_Hover)

        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        top = QVBoxLayout()
        top.setContentsMargins(10, 0, 10, 0)
        top.setSpacing(8)
        new_row = QHBoxLayout()
        new_row.setSpacing(2)
        new_row.addWidget(self.new_button, 1)
        new_row.addWidget(self.new_with_button)
        top.addLayout(new_row)
        top.addWidget(self.search_field)
        layout.addLayout(top)
        layout.addWidget(view, 1)
        layout.addWidget(self.trash, 1)
        self.trash.hide()
        self.trash_button.setObjectName("trashButton")
        self.trash_button.setAccessibleName("trashButton")
        self.trash_button.setFlat(True)
        self.trash_button.setToolTip(self.tr("Deleted conversations, kept for a while"))
        self._bottom = bottom = QVBoxLayout()
        bottom.setContentsMargins(10, 0, 10, 8)
        bottom.setSpacing(2)
        bottom.addWidget(self.trash_button)
        layout.addLayout(bottom)
        self._update_icon()

    def _connect(self) -> None:
        self.new_button.clicked.connect(self.newConversationRequested)
        self.new_with_button.clicked.connect(self.newWithRequested)
        self.trash_button.clicked.connect(self.show_trash)
        self.trash.closed.connect(self.show_conversations)
        self.search_field.textChanged.connect(self._on_search_text)
        self.search_field.escapePressed.connect(self._on_search_escape)
        self.search_field.downPressed.connect(self._enter_list)
        self.search_field.enterPressed.connect(self._activate_current)
        self._search_timer.timeout.connect(self.run_search)
        self._searcher.found.connect(self._on_found)
        self.destroyed.connect(self._searcher.close)
        self.list_view.rowActivated.connect(self._activate)
        self.list_view.deletePressed.connect(self._on_delete_pressed)
        self.list_view.customContextMenuRequested.connect(self._on_context_menu)
        self.model.titleEdited.connect(self.renamed)
        self.model.pinChanged.connect(self.pinToggled)
        self.model.writeFailed.connect(self.writeFailed)
        self.model.modelReset.connect(self._restore_selection)

    # ---- public

    def add_footer(self, widget: QWidget) -> None:
        """A line under the Trash button (the sync status), shown in the list and the trash alike."""
        self._bottom.addWidget(widget)

    def current_conversation(self) -> int | None:
        return self._current

    def is_searching(self) -> bool:
        return self.list_view.model() is self.search_model

    def select_conversation(self, cid: int | None) -> None:
        """Mark ``cid`` as the open conversation and scroll to it; emits nothing."""
        self._current = cid
        if not self.is_searching():
            self._restore_selection()

    def is_showing_trash(self) -> bool:
        return self.trash.isVisibleTo(self)

    def show_trash(self) -> None:
        """The trash in place of the list, search and buttons."""
        self.trash.refresh()
        for widget in (self.list_view, self.search_field, self.new_button, self.new_with_button, self.trash_button):
            widget.hide()
        self.trash.show()
        self.trash.list.setFocus(Qt.FocusReason.OtherFocusReason)
        self.trashShown.emit()

    def show_conversations(self) -> None:
        self.trash.hide()
        for widget in (self.list_view, self.search_field, self.new_button, self.new_with_button, self.trash_button):
            widget.show()
        self.refresh()
        self.select_conversation(self._current)

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def clear_search(self) -> None:
        self.search_field.clear()

    def rename(self, cid: int) -> None:
        """Open the in-place title editor on ``cid``'s row."""
        index = self.model.index_of(cid)
        if index.isValid() and not self.is_searching():
            self.list_view.setCurrentIndex(index)
            self.list_view.scrollTo(index)
            self.list_view.edit(index)

    def toggle_pin(self, cid: int) -> None:
        """Pin or unpin ``cid``; pinToggled follows once the store has it."""
        self.model.set_pinned(cid, not bool(self.model.data(self.model.index_of(cid), Roles.Pinned)))

    def refresh(self) -> None:
        """Catch up with the store after changes made elsewhere (deletes, restores, imports)."""
        self.model.refresh()
        if self.is_searching():
            self.run_search()

    def conversation_changed(self, cid: int) -> None:
        self.model.conversation_changed(cid)

    def conversation_added(self, cid: int) -> None:
        self.model.conversation_added(cid)

    def conversation_removed(self, cid: int) -> None:
        self.model.conversation_removed(cid)
        if self.is_searching():
            self.run_search()

    def context_menu(self, cid: int) -> QMenu:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        pinned = bool(self.model.data(self.model.index_of(cid), Roles.Pinned))
        menu.addAction(self.tr("Rename"), lambda: self.rename(cid))
        menu.addAction(self.tr("Unpin") if pinned else self.tr("Pin"), lambda: self.toggle_pin(cid))
        menu.addSeparator()
        menu.addAction(self.tr("Delete"), lambda: self.deleteRequested.emit(cid))
        return menu

    def run_search(self) -> None:
        """Search for what the field holds (normally called by the debounce timer).

        The query runs on a worker thread; its hits are shown when they arrive, unless a newer
        query was asked for meanwhile (the older one is stopped).
        """
        self._search_timer.stop()
        query = self.search_field.text().strip()
        if not query:
            self._show_list()
            return
        self._pending_query = query
        self._searcher.request(query)

    def search_pending(self) -> bool:
        return self._pending_query is not None or self._search_timer.isActive()

    def _on_found(self, query: str, hits: list[SearchHit]) -> None:
        if query != self._pending_query:
            return
        self._pending_query = None
        self.search_model.set_hits(query, hits)
        self.list_view.set_placeholder(self.tr("No conversations match “%1”.").replace("%1", query))
        self._show_results()
        waiting, self._when_found = self._when_found, []
        for then in waiting:
            then()

    def _after_search(self, then: Callable[[], None]) -> None:
        """Run ``then`` now, or once the search being typed has its hits."""
        if self._search_timer.isActive():
            self.run_search()
        if self._pending_query is None:
            then()
        else:
            self._when_found.append(then)

    # ---- switching between the list and the results

    def _show_list(self) -> None:
        self._searcher.cancel()
        self._pending_query = None
        self._when_found.clear()
        self.search_model.clear()
        self.list_view.set_placeholder(self.tr("No conversations yet."))
        if self.list_view.model() is not self.model:
            self._set_view_model(self.model, self._list_delegate)
        self._restore_selection()

    def _show_results(self) -> None:
        if self.list_view.model() is not self.search_model:
            self._set_view_model(self.search_model, self._hit_delegate)
        if self.search_model.rowCount():
            self.list_view.setCurrentIndex(self.search_model.index(0, 0))
        self.list_view.scrollToTop()

    def _set_view_model(self, model: ConversationListModel | SearchResultsModel,
                        delegate: ConversationDelegate | SearchHitDelegate) -> None:
        previous = self.list_view.selectionModel()
        self.list_view.setItemDelegate(delegate)
        self.list_view.setModel(model)
        if previous is not None:
            previous.deleteLater()

    def _restore_selection(self) -> None:
        if self.is_searching():
            return
        index = self.model.reveal(self._current) if self._current is not None else QModelIndex()
        if index.isValid():
            self.list_view.setCurrentIndex(index)
            if self.list_view.isVisible() and self.list_view.visualRect(index).isValid():
                self.list_view.scrollTo(index)
            else:
                QTimer.singleShot(0, self, self._scroll_when_shown)
        else:
            self.list_view.clearSelection()
            self.list_view.selectionModel().clearCurrentIndex()

    # ---- reactions

    def _on_search_text(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self._show_list()

    def _on_search_escape(self) -> None:
        if self.search_field.text():
            self.search_field.clear()
        else:
            self.list_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _enter_list(self) -> None:
        self._after_search(self._focus_list)

    def _focus_list(self) -> None:
        self.list_view.setFocus(Qt.FocusReason.OtherFocusReason)
        model = self.list_view.model()
        if not self.list_view.currentIndex().isValid() and model.rowCount():
            self.list_view.setCurrentIndex(model.index(0, 0))

    def _activate_current(self) -> None:
        self._after_search(self._activate_selected)

    def _activate_selected(self) -> None:
        index = self.list_view.currentIndex()
        if index.isValid():
            self._activate(index)

    def _activate(self, index: QModelIndex) -> None:
        cid = index.data(Roles.Id)
        if cid is None:
            return
        self._current = int(cid)
        if self.is_searching():
            mid = index.data(HitRoles.MessageId)
            if mid is not None:
                self.searchHitMessage.emit(int(mid))
            self.searchHitActivated.emit(int(cid), self.search_model.query)
        else:
            self.conversationActivated.emit(int(cid))

    def _on_delete_pressed(self, index: QModelIndex) -> None:
        if not self.is_searching():
            self.deleteRequested.emit(int(index.data(Roles.Id)))

    def _on_context_menu(self, position: QPoint) -> None:
        index = self.list_view.indexAt(position)
        if not index.isValid() or self.is_searching():
            return
        self.context_menu(int(index.data(Roles.Id))).popup(self.list_view.viewport().mapToGlobal(position))

    def _scroll_when_shown(self, tries: int = 40) -> None:
        """Scrolled before the list has its height, the row would be put at the top, hiding the
        Pinned section above it: wait until the list is on screen (and has laid out the row: it
        does so in batches), then scroll only if needed."""
        index = self.list_view.currentIndex()
        laid_out = not index.isValid() or self.list_view.visualRect(index).isValid()
        if not self.list_view.isVisible() or self.list_view.viewport().height() < 50 or not laid_out:
            if tries > 0:
                QTimer.singleShot(50, self, lambda: self._scroll_when_shown(tries - 1))
            return
        if index.isValid():
            self.list_view.scrollTo(index)

    def _update_icon(self) -> None:
        self.new_button.setIcon(plus_icon(self.palette().color(QPalette.ColorRole.ButtonText)))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._update_icon()
        super().changeEvent(event)
