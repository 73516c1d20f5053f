from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from qwen_desktop.core.storage import ConversationSummary, Store
from qwen_desktop.core.types import ConversationSettings, Role
from qwen_desktop.ui.sidebar.delegates import ConversationDelegate
from qwen_desktop.ui.sidebar.model import (
    FIRST_ROWS,
    GROUPS,
    UNTITLED,
    ConversationListModel,
    Roles,
    group_index,
    relative_time,
    single_move,
)
from qwen_desktop.ui.sidebar.panel import Sidebar, UndoBar

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

NOW = datetime(2025, 3, 14, 15, 30).timestamp()


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class CountingStore(Store):
    """A real store that remembers how many rows the UI asked it for."""

    def __init__(self, path: Path, *, clock: Clock) -> None:
        super().__init__(path, clock=clock)
        self.summary_calls = 0
        self.summary_rows: list[int] = []

    def summaries(self, ids: Sequence[int]) -> dict[int, ConversationSummary]:
        self.summary_calls += 1
        self.summary_rows.extend(ids)
        return super().summaries(ids)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[CountingStore]:
    opened = CountingStore(tmp_path / "conversations.sqlite", clock=clock)
    yield opened
    opened.close()


def days_ago(days: float, hour: int = 10) -> float:
    moment = datetime.fromtimestamp(NOW).replace(hour=hour, minute=0) - timedelta(days=days)
    return moment.timestamp()


def make(
    store: Store,
    clock: Clock,
    title: str,
    at: float,
    *,
    pinned: bool = False,
    body: str = "",
    model: str = "qwen-plus",
) -> int:
    clock.now = at
    cid = store.create_conversation(ConversationSettings(model=model), title).result()
    if body:
        store.add_message(cid, Role.USER, body).result()
    if pinned:
        store.set_pinned(cid, True).result()
    clock.now = NOW
    return cid


@pytest.fixture
def spread(store: CountingStore, clock: Clock) -> dict[str, int]:
    """One conversation per group, plus a second one today."""
    return {
        "older": make(store, clock, "Tax return questions", days_ago(40), model="qwen-max"),
        "week": make(store, clock, "Trip to Hangzhou", days_ago(3), body="我们今天讨论机器学习的基础"),
        "yesterday": make(store, clock, "Regex help", days_ago(1), body="The quick brown fox jumps"),
        "today": make(store, clock, "Sourdough starter", days_ago(0, hour=9)),
        "latest": make(store, clock, "", days_ago(0, hour=14), model="qwen-turbo"),
        "pinned": make(store, clock, "Reading list", days_ago(60), pinned=True),
    }


def rows(model: ConversationListModel, role: int) -> list[object]:
    return [model.index(row, 0).data(role) for row in range(model.rowCount())]


@pytest.fixture
def sidebar(qtbot: QtBot, store: CountingStore, clock: Clock, spread: dict[str, int]) -> Sidebar:
    widget = Sidebar(store, clock=clock)
    qtbot.addWidget(widget)
    widget.resize(300, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_model_passes_the_model_tester_through_changes(qtmodeltester, store, clock, spread) -> None:
    model = ConversationListModel(store, clock=clock)
    qtmodeltester.check(model, force_py=True)

    store.set_pinned(spread["older"], True).result()
    model.conversation_changed(spread["older"])
    store.add_message(spread["week"], Role.USER, "hello").result()
    model.conversation_changed(spread["week"])
    added = make(store, clock, "Fresh", days_ago(0, hour=15))
    model.conversation_added(added)
    store.delete_conversation(spread["today"]).result()
    model.conversation_removed(spread["today"])
    model.refresh()

    assert model.ids() == store.conversation_ids()


def test_pinned_first_then_newest_with_groups_from_the_clock(store, clock, spread) -> None:
    model = ConversationListModel(store, clock=clock)

    assert model.ids() == [spread[k] for k in ("pinned", "latest", "today", "yesterday", "week", "older")]
    assert rows(model, Roles.Group) == ["Pinned", "Today", "Today", "Yesterday", "Previous 7 days", "Older"]
    assert rows(model, Roles.Header) == ["Pinned", "Today", None, "Yesterday", "Previous 7 days", "Older"]
    assert rows(model, Qt.ItemDataRole.DisplayRole)[1] == UNTITLED
    assert rows(model, Roles.Model)[1] == "qwen-turbo"
    assert rows(model, Roles.Pinned) == [True, False, False, False, False, False]
    assert rows(model, Roles.When)[1:4] == ["14:00", "09:00", "Yesterday"]
    assert model.row_of(spread["older"]) == 5 and model.row_of(12345) == -1


def test_groups_follow_the_clock_on_refresh(store, clock, spread) -> None:
    clock.now = NOW + 86400
    model = ConversationListModel(store, clock=clock)

    assert rows(model, Roles.Group)[1:4] == ["Yesterday", "Yesterday", "Previous 7 days"]


def test_relative_time_and_single_move() -> None:
    assert relative_time(days_ago(0, hour=8), NOW) == "08:00"
    assert relative_time(days_ago(1), NOW) == "Yesterday"
    assert relative_time(days_ago(3), NOW) == f"{datetime.fromtimestamp(days_ago(3)):%a}"
    assert relative_time(days_ago(400), NOW) == f"{datetime.fromtimestamp(days_ago(400)):%Y-%m-%d}"
    assert single_move([1, 2, 3, 4], [3, 1, 2, 4]) == (2, 0)
    assert single_move([1, 2, 3, 4], [2, 3, 1, 4]) == (0, 2)
    assert single_move([1, 2, 3, 4], [2, 1, 4, 3]) is None


def bulk_insert(path: Path, count: int) -> None:
    settings = json.dumps({"model": "qwen-plus"})
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO conversations(title, settings, pinned, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (
                (f"Conversation {i}", settings, int(i % 2500 == 7), NOW - i * 900, NOW - i * 900)
                for i in range(count)
            ),
        )
    conn.close()


class CountingDelegate(ConversationDelegate):
    """The sidebar's delegate, counting how many row heights the view asks for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.size_hints = 0

    def sizeHint(self, option, index):  # noqa: ANN001, N802 - Qt's name
        self.size_hints += 1
        return super().sizeHint(option, index)


def test_ten_thousand_conversations_open_loading_and_laying_out_only_the_top(qtbot, store, clock) -> None:
    bulk_insert(store.path, 10_000)

    widget = Sidebar(store, clock=clock)
    delegate = CountingDelegate(widget)
    widget.list_view.setItemDelegate(delegate)
    widget._list_delegate = delegate
    qtbot.addWidget(widget)
    widget.resize(300, 600)
    widget.show()
    qtbot.waitExposed(widget)
    assert not widget.grab().isNull()
    qtbot.wait(300)

    model = widget.model
    assert model.rowCount() == FIRST_ROWS and model.canFetchMore(QModelIndex())
    assert model.ids() == store.conversation_ids()[:FIRST_ROWS]
    assert delegate.size_hints < 3 * FIRST_ROWS, "the view lays out only the rows loaded"
    assert len(store.summary_rows) <= 300 and store.summary_calls < 40

    bar = widget.list_view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: model.rowCount() == 2 * FIRST_ROWS)
    assert model.rowCount() == 2 * FIRST_ROWS, "scrolling to the end fetched one more page"
    assert model.ids() == store.conversation_ids()[:model.rowCount()]


def test_fetching_every_page_gives_the_stores_order_and_groups(store, clock) -> None:
    bulk_insert(store.path, 2_000)
    model = ConversationListModel(store, clock=clock, first_rows=64)
    pages = 0
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        pages += 1

    assert model.ids() == store.conversation_ids() and model.rowCount() == 2_000
    assert pages == 5, "each fetch doubles what is loaded: 64, 128, 256, 512, 1024, 2000"
    found = store.summaries(store.conversation_ids())
    groups = [group_index(found[cid], NOW) for cid in store.conversation_ids()]
    expected = [(row, GROUPS[g]) for row, g in enumerate(groups) if row == 0 or g != groups[row - 1]]
    assert len(expected) == 5
    assert [(row, name) for row, name in enumerate(rows(model, Roles.Header)) if name] == expected


def test_a_conversation_below_the_loaded_rows_moves_in_when_it_changes(qtbot, store, clock) -> None:
    bulk_insert(store.path, 1_000)
    model = ConversationListModel(store, clock=clock, first_rows=50)
    far = store.conversation_ids()[900]
    last_loaded = model.ids()[-1]
    clock.now = NOW + 60
    store.add_message(far, Role.USER, "back to this").result()

    with qtbot.assertNotEmitted(model.modelReset):
        model.conversation_changed(far)

    assert model.row_of(far) == 1 and model.rowCount() == 50
    assert model.row_of(last_loaded) == -1, "the loaded rows stay as many; the last one drops out"
    assert model.ids() == store.conversation_ids()[:50] and model.canFetchMore(QModelIndex())


def test_selecting_a_conversation_further_down_loads_the_rows_down_to_it(qtbot, store, clock) -> None:
    bulk_insert(store.path, 3_000)
    widget = Sidebar(store, clock=clock)
    qtbot.addWidget(widget)
    widget.resize(300, 600)
    widget.show()
    qtbot.waitExposed(widget)
    far = store.conversation_ids()[1_500]

    widget.select_conversation(far)

    current = widget.list_view.currentIndex()
    assert current.isValid() and current.data(Roles.Id) == far and current.row() == 1_500
    assert widget.model.rowCount() < 3_000
    qtbot.waitUntil(lambda: widget.list_view.visualRect(current).intersects(widget.list_view.viewport().rect()))


def test_row_cache_stays_bounded(store, clock) -> None:
    bulk_insert(store.path, 2_000)
    model = ConversationListModel(store, clock=clock, page_size=50, cache_limit=200, first_rows=2_000)

    titles = rows(model, Qt.ItemDataRole.DisplayRole)

    assert titles[0] == "Conversation 7" and titles[-1] == "Conversation 1999"
    assert model.cached_rows <= 200


def test_rename_through_set_data_persists_and_locks(qtbot, sidebar, store, spread) -> None:
    model = sidebar.model
    index = model.index_of(spread["today"])

    assert not model.setData(index, "   ")
    with qtbot.waitSignal(sidebar.renamed) as renamed:
        assert model.setData(index, "  Bread  notes ")

    assert renamed.args == [spread["today"], "Bread notes"]
    assert index.data() == "Bread notes"
    stored = store.conversation(spread["today"])
    assert stored is not None and stored.title == "Bread notes" and stored.title_locked


def test_f2_edits_the_title_in_place(qtbot, sidebar, store, spread) -> None:
    view = sidebar.list_view
    view.setFocus()
    view.setCurrentIndex(sidebar.model.index_of(spread["yesterday"]))

    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.indexWidget(view.currentIndex()) or view.focusWidget()
    assert view.state() == QAbstractItemView.State.EditingState
    assert isinstance(editor, QLineEdit) and editor.text() == "Regex help"
    editor.setText("Regular expressions")
    qtbot.keyClick(editor, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: store.conversation(spread["yesterday"]).title == "Regular expressions")


def search(qtbot: QtBot, sidebar: Sidebar, text: str) -> None:
    sidebar.search_field.setText(text)
    assert sidebar.search_field.text() == text
    qtbot.waitUntil(lambda: sidebar.is_searching() and sidebar.search_model.query == text)


def test_search_as_you_type_finds_message_words_and_chinese(qtbot, sidebar, spread) -> None:
    sidebar.search_field.setText("brow")
    assert not sidebar.is_searching()

    qtbot.waitUntil(sidebar.is_searching)
    view_model = sidebar.list_view.model()
    assert view_model.rowCount() == 1
    assert view_model.index(0, 0).data(Roles.Id) == spread["yesterday"]
    hit = sidebar.search_model.hit(0)
    assert hit is not None and hit.snippet[hit.match_start:hit.match_end].lower() == "brown"

    search(qtbot, sidebar, "机器")
    hit = sidebar.search_model.hit(0)
    assert sidebar.search_model.rowCount() == 1 and hit is not None
    assert hit.conversation_id == spread["week"] and hit.snippet[hit.match_start:hit.match_end] == "机器"

    search(qtbot, sidebar, "sourdough")
    assert sidebar.search_model.hit(0).message_id is None

    sidebar.search_field.clear()
    assert not sidebar.is_searching()
    assert sidebar.list_view.model().rowCount() == len(spread)


def test_refresh_follows_deletes_in_the_list_and_the_results(qtbot, sidebar, store, spread) -> None:
    search(qtbot, sidebar, "fox")
    store.delete_conversation(spread["yesterday"]).result()

    with qtbot.waitSignal(sidebar.model.rowsRemoved), qtbot.assertNotEmitted(sidebar.model.modelReset):
        sidebar.refresh()

    qtbot.waitUntil(lambda: sidebar.search_model.rowCount() == 0)
    assert sidebar.model.row_of(spread["yesterday"]) == -1
    store.restore_conversation(spread["yesterday"]).result()
    sidebar.clear_search()
    sidebar.refresh()
    assert sidebar.model.ids() == store.conversation_ids()


def test_escape_clears_the_search(qtbot, sidebar) -> None:
    search(qtbot, sidebar, "fox")
    qtbot.keyClick(sidebar.search_field, Qt.Key.Key_Escape)

    assert sidebar.search_field.text() == ""
    assert not sidebar.is_searching()


def test_activating_a_hit_emits_the_query(qtbot, sidebar, spread) -> None:
    search(qtbot, sidebar, "quick")
    view = sidebar.list_view
    rect = view.visualRect(view.model().index(0, 0))

    with qtbot.waitSignal(sidebar.searchHitActivated) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(sidebar.searchHitActivated) as entered:
        qtbot.keyClick(sidebar.search_field, Qt.Key.Key_Return)

    assert clicked.args == entered.args == [spread["yesterday"], "quick"]


def test_enter_activates_and_selecting_emits_nothing(qtbot, sidebar, spread) -> None:
    with qtbot.assertNotEmitted(sidebar.conversationActivated):
        sidebar.select_conversation(spread["week"])
    view = sidebar.list_view
    assert view.currentIndex().data(Roles.Id) == spread["week"]

    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    with qtbot.waitSignal(sidebar.conversationActivated) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Return)

    assert activated.args == [spread["older"]]
    assert sidebar.current_conversation() == spread["older"]


def test_pin_toggling_reorders(qtbot, sidebar, spread) -> None:
    model = sidebar.model
    cid = spread["older"]
    sidebar.select_conversation(cid)

    with qtbot.waitSignal(sidebar.pinToggled) as toggled, qtbot.waitSignal(model.rowsMoved):
        sidebar.toggle_pin(cid)
    qtbot.waitUntil(lambda: model.row_of(cid) == 0)

    assert toggled.args == [cid, True]
    assert rows(model, Roles.Group)[:2] == ["Pinned", "Pinned"]
    assert sidebar.list_view.currentIndex().data(Roles.Id) == cid

    menu = sidebar.context_menu(cid)
    unpin = next(action for action in menu.actions() if action.text() == "Unpin")
    with qtbot.waitSignal(sidebar.pinToggled) as toggled:
        unpin.trigger()
    qtbot.waitUntil(lambda: model.row_of(cid) == 5)
    assert toggled.args == [cid, False]
    menu.close()


def test_new_message_moves_the_conversation_to_the_top(qtbot, store, clock, spread) -> None:
    model = ConversationListModel(store, clock=clock)
    assert model.header(1) == "Today"
    clock.now = NOW + 60
    store.add_message(spread["older"], Role.USER, "one more thing").result()

    with qtbot.waitSignal(model.rowsMoved), qtbot.assertNotEmitted(model.modelReset):
        model.conversation_changed(spread["older"])

    assert model.row_of(spread["older"]) == 1
    assert model.header(1) == "Today" and model.header(2) is None
    assert model.index(1, 0).data(Roles.When) == "15:31"


def test_added_and_removed_conversations_insert_and_remove_rows(qtbot, store, clock, spread) -> None:
    model = ConversationListModel(store, clock=clock)
    cid = make(store, clock, "Brand new", days_ago(0, hour=15))

    with qtbot.waitSignal(model.rowsInserted), qtbot.assertNotEmitted(model.modelReset):
        model.conversation_added(cid)
    assert model.row_of(cid) == 1

    store.delete_conversation(cid).result()
    with qtbot.waitSignal(model.rowsRemoved), qtbot.assertNotEmitted(model.modelReset):
        model.conversation_removed(cid)
    assert model.row_of(cid) == -1 and model.rowCount() == len(spread)


def test_delete_key_and_menu_request_deletion(qtbot, sidebar, spread) -> None:
    view = sidebar.list_view
    view.setFocus()
    view.setCurrentIndex(sidebar.model.index_of(spread["week"]))

    with qtbot.waitSignal(sidebar.deleteRequested) as by_key:
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    menu = sidebar.context_menu(spread["today"])
    delete = next(action for action in menu.actions() if action.text() == "Delete")
    with qtbot.waitSignal(sidebar.deleteRequested) as by_menu:
        delete.trigger()
    menu.close()

    assert by_key.args == [spread["week"]]
    assert by_menu.args == [spread["today"]]


def test_widgets_are_named_for_accessibility(sidebar) -> None:
    for name in ("newConversationButton", "searchField", "conversationList"):
        widget = sidebar.findChild(QWidget, name)
        assert widget is not None and widget.accessibleName() == name
    assert sidebar.search_field.placeholderText() == "Search conversations (Ctrl+K)"
    assert sidebar.search_field.isClearButtonEnabled()


def test_sidebar_takes_its_parent_second(qtbot, store) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    assert Sidebar(store, parent).parent() is parent


def test_new_conversation_button(qtbot, sidebar) -> None:
    with qtbot.waitSignal(sidebar.newConversationRequested):
        qtbot.mouseClick(sidebar.new_button, Qt.MouseButton.LeftButton)


def test_undo_bar_undoes_or_expires(qtbot) -> None:
    bar = UndoBar(timeout_ms=60)
    qtbot.addWidget(bar)

    bar.show_for(5)
    assert bar.isVisible()
    with qtbot.waitSignal(bar.undoRequested) as undone, qtbot.assertNotEmitted(bar.expired):
        qtbot.mouseClick(bar.findChild(QPushButton, "undoButton"), Qt.MouseButton.LeftButton)
    assert undone.args == [5] and not bar.isVisible()

    bar.show_for(6)
    with qtbot.waitSignal(bar.expired, timeout=2000) as expired:
        pass
    assert expired.args == [6] and not bar.isVisible()

    bar.show_for(7)
    with qtbot.waitSignal(bar.expired) as replaced:
        bar.show_for(8)
    assert replaced.args == [7] and bar.conversation_id == 8
    bar.undo()


def test_views_paint_without_errors(qtbot, sidebar, spread) -> None:
    sidebar.select_conversation(spread["pinned"])
    assert not sidebar.grab().isNull()
    search(qtbot, sidebar, "fox")
    assert not sidebar.grab().isNull()
    assert QModelIndex() == sidebar.model.index_of(999)
