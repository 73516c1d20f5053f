"""The sidebar's list of conversations: ordered ids, with row data fetched from the store on demand."""

from __future__ import annotations

import logging
import time
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any, Protocol

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

from qwen_desktop.core.storage import ConversationSummary
from qwen_desktop.ui.common import formatting

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
Clock = Callable[[], float]

UNTITLED = QT_TRANSLATE_NOOP("ConversationList", "New conversation")
GROUPS = (
    QT_TRANSLATE_NOOP("ConversationList", "Pinned"),
    QT_TRANSLATE_NOOP("ConversationList", "Today"),
    QT_TRANSLATE_NOOP("ConversationList", "Yesterday"),
    QT_TRANSLATE_NOOP("ConversationList", "Previous 7 days"),
    QT_TRANSLATE_NOOP("ConversationList", "Older"),
)


def _translated(text: str) -> str:
    return QCoreApplication.translate("ConversationList", text)


class Roles(IntEnum):
    Id = Qt.ItemDataRole.UserRole + 1
    Model = Qt.ItemDataRole.UserRole + 2
    Updated = Qt.ItemDataRole.UserRole + 3
    Pinned = Qt.ItemDataRole.UserRole + 4
    Group = Qt.ItemDataRole.UserRole + 5
    Header = Qt.ItemDataRole.UserRole + 6
    """The group's name on the first row of a group, else None. Never touches the store."""
    When = Qt.ItemDataRole.UserRole + 7


class ConversationSource(Protocol):
    def conversation_ids(self, limit: int | None = None, *, after: int | None = None) -> list[int]: ...

    def conversation_rank(self, cid: int, *, within: int | None = None) -> int | None: ...

    def summaries(self, ids: Sequence[int]) -> dict[int, ConversationSummary]: ...

    def rename(self, cid: int, title: str, *, locked: bool = True) -> Future[None]: ...

    def set_pinned(self, cid: int, pinned: bool) -> Future[None]: ...


def _midnight(now: float, days_back: int = 0) -> float:
    day = datetime.fromtimestamp(now).date() - timedelta(days=days_back)
    return datetime(day.year, day.month, day.day).timestamp()


def group_index(summary: ConversationSummary, now: float) -> int:
    """Position in GROUPS; never decreases down the store's order (pinned, then newest first)."""
    if summary.pinned:
        return 0
    for index, days_back in ((1, 0), (2, 1), (3, 7)):
        if summary.updated_at >= _midnight(now, days_back):
            return index
    return 4


def relative_time(timestamp: float, now: float) -> str:
    """'14:05' today, 'Yesterday', a weekday within the week, then a date: in the user's locale."""
    moment = datetime.fromtimestamp(timestamp)
    if timestamp >= _midnight(now):
        return formatting.clock(moment)
    if timestamp >= _midnight(now, 1):
        return QCoreApplication.translate("ConversationList", "Yesterday")
    if timestamp >= _midnight(now, 6):
        return formatting.weekday(moment)
    if moment.year == datetime.fromtimestamp(now).year:
        return formatting.month_day(moment)
    return formatting.full_date(moment)


def single_move(old: list[int], new: list[int]) -> tuple[int, int] | None:
    """``(source, destination)`` rows if ``new`` is ``old`` with one id moved, else None."""
    if len(old) != len(new):
        return None
    first = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), None)
    if first is None:
        return None
    last = next(i for i in range(len(old) - 1, -1, -1) if old[i] != new[i])
    if old[first] == new[last] and old[first + 1:last + 1] == new[first:last]:
        return first, last
    if old[last] == new[first] and old[first:last] == new[first + 1:last + 1]:
        return last, first
    return None


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted rows as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


FIRST_ROWS = 200
"""Rows loaded when the list opens: a few screens. More are fetched as the list is scrolled down."""
MAX_FETCH = 5000
"""Rows fetched at most at once: each fetch doubles what is loaded, up to this many."""
REVEAL_LIMIT = 20_000
"""A conversation further down than this is not loaded just to show it selected."""


class ConversationListModel(QAbstractListModel):
    """Holds the ordered ids of the conversations loaded so far; titles and the rest come in pages
    into a bounded cache.

    Only the top of the list is loaded at first (``first_rows``); Qt's ``fetchMore`` adds pages as
    the view scrolls to the end, so opening a database of 100,000 conversations costs what
    opening one of 200 does, and the view lays out (asks the height of) only the rows loaded.

    Group boundaries are found by galloping and bisecting over rows, which is possible because a
    row's group never decreases down the list; so each row's height is known without its data.
    """

    titleEdited = Signal(int, str)
    """A title the user typed has been stored."""
    pinChanged = Signal(int, bool)
    """A pin has been stored and the row moved to its new place."""
    writeFailed = Signal(object)
    _written = Signal(object)

    def __init__(
        self,
        store: ConversationSource,
        *,
        clock: Clock = time.time,
        page_size: int = 100,
        cache_limit: int = 1000,
        first_rows: int = FIRST_ROWS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self._page_size = page_size
        self._cache_limit = max(cache_limit, page_size)
        self._cache: OrderedDict[int, ConversationSummary] = OrderedDict()
        self._first_rows = max(1, first_rows)
        self._more = False
        self._ids: list[int] = self._load(self._first_rows)
        self._starts: list[int] | None = None
        self._start_groups: list[int] = []
        self._now = clock()
        self._written.connect(self._on_written)

    # ---- plain accessors

    def ids(self) -> list[int]:
        """The ids loaded so far, in order (all of them once :meth:`canFetchMore` is False)."""
        return list(self._ids)

    def row_of(self, cid: int) -> int:
        """The row of ``cid``, or -1."""
        try:
            return self._ids.index(cid)
        except ValueError:
            return -1

    def index_of(self, cid: int) -> QModelIndex:
        row = self.row_of(cid)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def reveal(self, cid: int) -> QModelIndex:
        """The index of ``cid``, loading rows down to it if it is not loaded yet (and not too far)."""
        row = self.row_of(cid)
        if row < 0 and self._more:
            rank = self._store.conversation_rank(cid, within=REVEAL_LIMIT)
            if rank is not None:
                while self._more and len(self._ids) <= rank:
                    self.fetchMore(QModelIndex())
                row = self.row_of(cid)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def summary(self, row: int) -> ConversationSummary | None:
        if not 0 <= row < len(self._ids):
            return None
        cid = self._ids[row]
        found = self._cache.get(cid)
        if found is None:
            self._fetch_page(row)
            found = self._cache.get(cid)
        else:
            self._cache.move_to_end(cid)
        return found

    @property
    def cached_rows(self) -> int:
        return len(self._cache)

    def header(self, row: int) -> str | None:
        starts = self._group_starts()
        position = bisect_right(starts, row) - 1
        if position < 0 or starts[position] != row:
            return None
        return _translated(GROUPS[self._start_groups[position]])

    def group(self, row: int) -> str | None:
        starts = self._group_starts()
        position = bisect_right(starts, row) - 1
        return _translated(GROUPS[self._start_groups[position]]) if position >= 0 else None

    # ---- Qt model interface

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        """The next page below the last loaded row: as many rows again (at most MAX_FETCH)."""
        if parent.isValid() or not self._more or not self._ids:
            return
        page = min(MAX_FETCH, max(self._first_rows, len(self._ids)))
        found = self._store.conversation_ids(page + 1, after=self._ids[-1])
        self._more = len(found) > page
        present = set(self._ids)
        new = [cid for cid in found[:page] if cid not in present]
        if not new:
            return
        before = self._grouping()
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._ids.extend(new)
        self.endInsertRows()
        self._regroup(before)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = index.row()
        if role == Roles.Id:
            return self._ids[row]
        if role == Roles.Header:
            return self.header(row)
        if role == Roles.Group:
            return self.group(row)
        if role not in _SUMMARY_ROLES:
            return None
        summary = self.summary(row)
        if summary is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return summary.title or _translated(UNTITLED)
        if role == Qt.ItemDataRole.EditRole:
            return summary.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return summary.title or None
        if role == Roles.Model:
            return summary.model
        if role == Roles.Updated:
            return summary.updated_at
        if role == Roles.Pinned:
            return summary.pinned
        return relative_time(summary.updated_at, self._now)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not isinstance(value, str):
            return False
        title = " ".join(value.split())
        if not title:
            return False
        cid = self._ids[index.row()]
        summary = self.summary(index.row())
        if summary is not None and summary.title == title:
            return True
        if summary is not None:
            self._cache[cid] = ConversationSummary(cid, title, summary.model, summary.updated_at, summary.pinned)
        self._watch(self._store.rename(cid, title, locked=True), lambda: self.titleEdited.emit(cid, title))
        self.dataChanged.emit(index, index)
        return True

    # ---- writes

    def set_pinned(self, cid: int, pinned: bool) -> Future[None]:
        """Store the pin; the row moves to its new place once the write is done."""
        def stored() -> None:
            self.conversation_changed(cid)
            self.pinChanged.emit(cid, pinned)

        future = self._store.set_pinned(cid, pinned)
        self._watch(future, stored)
        return future

    def _watch(self, future: Future[Any], then: Callable[[], None] | None = None) -> None:
        def done(finished: Future[Any]) -> None:
            try:
                self._written.emit((finished, then))
            except RuntimeError:
                log.debug("Conversation list closed before a write finished")

        future.add_done_callback(done)

    @Slot(object)
    def _on_written(self, outcome: tuple[Future[Any], Callable[[], None] | None]) -> None:
        future, then = outcome
        error = future.exception()
        if error is not None:
            log.error("Could not save a conversation change: %s", error)
            self.writeFailed.emit(error)
            self.refresh()
        elif then is not None:
            then()

    # ---- keeping up with the store

    def refresh(self) -> None:
        """Reload the ids and forget cached rows; a full reset only when the order changed too much."""
        before = self._grouping()
        self._now = self._clock()
        self._cache.clear()
        self._apply(self._reload())
        self._emit_all_changed()
        self._regroup(before)

    def conversation_changed(self, cid: int) -> None:
        """``cid``'s title, pin or time changed: refetch its row and move it if its place changed."""
        before = self._grouping()
        self._now = self._clock()
        self._cache.pop(cid, None)
        self._apply(self._reload())
        row = self.row_of(cid)
        if row >= 0:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)
        self._regroup(before)

    def conversation_added(self, cid: int) -> None:
        self.conversation_changed(cid)

    def conversation_removed(self, cid: int) -> None:
        self.conversation_changed(cid)

    def _load(self, count: int) -> list[int]:
        """The first ``count`` ids in the store's order; notes whether more follow."""
        found = self._store.conversation_ids(count + 1)
        self._more = len(found) > count
        return found[:count]

    def _reload(self) -> list[int]:
        """As many ids as are loaded now (at least the first page), as the store orders them now."""
        return self._load(max(self._first_rows, len(self._ids)))

    def _apply(self, new: list[int]) -> None:
        old = self._ids
        if new == old:
            return
        self._starts = None
        kept = set(new)
        removed = [row for row, cid in enumerate(old) if cid not in kept]
        for first, last in reversed(_runs(removed)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._ids[first:last + 1]
            self.endRemoveRows()
        present = set(self._ids)
        target = [cid for cid in new if cid in present]
        if self._ids != target and not self._move(target):
            self.beginResetModel()
            self._ids = list(new)
            self.endResetModel()
            return
        added = [row for row, cid in enumerate(new) if cid not in present]
        for first, last in _runs(added):
            self.beginInsertRows(QModelIndex(), first, last)
            self._ids[first:first] = new[first:last + 1]
            self.endInsertRows()

    def _move(self, target: list[int]) -> bool:
        move = single_move(self._ids, target)
        if move is None:
            return False
        source, destination = move
        after = destination + 1 if destination > source else destination
        self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), after)
        self._ids = target
        self.endMoveRows()
        return True

    def _emit_all_changed(self) -> None:
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, 0))

    # ---- groups

    def _group_starts(self) -> list[int]:
        if self._starts is None:
            self._starts, self._start_groups = self._find_group_starts()
        return self._starts

    def _grouping(self) -> tuple[list[int], list[int]] | None:
        return None if self._starts is None else (self._starts, self._start_groups)

    def _regroup(self, before: tuple[list[int], list[int]] | None) -> None:
        """Recompute the group starts; rows whose header appeared or vanished change height."""
        self._starts = None
        if before is not None and (self._group_starts(), self._start_groups) != before:
            self.layoutAboutToBeChanged.emit()
            self.layoutChanged.emit()

    def _group_at(self, row: int) -> int:
        cid = self._ids[row]
        summary = self._cache.get(cid)
        if summary is None and row < self._page_size:
            summary = self.summary(row)
        elif summary is None:
            summary = self._store.summaries([cid]).get(cid)
            if summary is not None:
                self._remember({cid: summary})
        return len(GROUPS) - 1 if summary is None else group_index(summary, self._now)

    def _first_row_from(self, group: int, start: int) -> int:
        """The first row at or after ``start`` in ``group`` or a later one (gallop, then bisect)."""
        count = len(self._ids)
        low, probe, step = start, start, 1
        while probe < count and self._group_at(probe) < group:
            low = probe + 1
            probe = start + step
            step *= 2
        high = min(probe, count)
        while low < high:
            middle = (low + high) // 2
            if self._group_at(middle) < group:
                low = middle + 1
            else:
                high = middle
        return low

    def _find_group_starts(self) -> tuple[list[int], list[int]]:
        starts: list[int] = []
        groups: list[int] = []
        row = 0
        while row < len(self._ids):
            group = self._group_at(row)
            starts.append(row)
            groups.append(group)
            if group == len(GROUPS) - 1:
                break
            row = self._first_row_from(group + 1, row + 1)
        return starts, groups

    # ---- the row cache

    def _fetch_page(self, row: int) -> None:
        first = max(0, row - self._page_size // 4)
        wanted = [cid for cid in self._ids[first:first + self._page_size] if cid not in self._cache]
        self._remember(self._store.summaries(wanted))

    def _remember(self, summaries: dict[int, ConversationSummary]) -> None:
        self._cache.update(summaries)
        while len(self._cache) > self._cache_limit:
            self._cache.popitem(last=False)


_SUMMARY_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.EditRole,
    Qt.ItemDataRole.ToolTipRole,
    Roles.Model,
    Roles.Updated,
    Roles.Pinned,
    Roles.When,
})
