"""The trash: deleted conversations, to restore or delete forever, and how long they are kept."""

from __future__ import annotations

import time
from typing import Protocol

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QSpinBox, QToolButton,
    QVBoxLayout, QWidget,
)

from qwen_desktop.core.storage import DeletedConversation

MAX_TRASH_DAYS = 3650


class TrashSource(Protocol):
    def deleted_conversations(self) -> list[DeletedConversation]: ...


class TrashPanel(QWidget):
    """Lists the trash; the actions are reported through signals, the store is only read."""

    closed = Signal()
    restoreRequested = Signal(int)
    purgeRequested = Signal(int)
    emptyRequested = Signal()
    retentionChanged = Signal(int)

    def __init__(self, store: TrashSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trashPanel")
        self._store = store
        self.back_button = QToolButton(self)
        self.back_button.setObjectName("trashBack")
        self.back_button.setText("‹")
        self.back_button.setToolTip(self.tr("Back to the conversations"))
        self.back_button.setAccessibleName(self.tr("Back to the conversations"))
        self.back_button.setAutoRaise(True)
        title = QLabel(self.tr("Trash"), self)
        title.setObjectName("trashTitle")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.list = QListWidget(self)
        self.list.setObjectName("trashList")
        self.list.setAccessibleName("trashList")
        self.list.setFrameShape(QListWidget.Shape.NoFrame)
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty_label = QLabel(self.tr("The trash is empty."), self)
        self.empty_label.setObjectName("trashEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.restore_button = QPushButton(self.tr("Restore"), self)
        self.restore_button.setObjectName("trashRestore")
        self.purge_button = QPushButton(self.tr("Delete forever"), self)
        self.purge_button.setObjectName("trashPurge")
        self.empty_button = QPushButton(self.tr("Empty trash"), self)
        self.empty_button.setObjectName("trashEmptyAll")
        self.days = QSpinBox(self)
        self.days.setObjectName("trashDays")
        self.days.setRange(1, MAX_TRASH_DAYS)
        self.days.setSuffix(self.tr(" days"))
        keep_label = QLabel(self.tr("Delete for good after"), self)
        keep_label.setBuddy(self.days)
        self._build(title, keep_label)
        self.back_button.clicked.connect(self.closed)
        self.restore_button.clicked.connect(lambda: self._emit_selected(self.restoreRequested))
        self.purge_button.clicked.connect(lambda: self._emit_selected(self.purgeRequested))
        self.empty_button.clicked.connect(self.emptyRequested)
        self.days.valueChanged.connect(self.retentionChanged)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())

    def _build(self, title: QLabel, keep_label: QLabel) -> None:
        head = QHBoxLayout()
        head.setContentsMargins(6, 0, 10, 0)
        head.addWidget(self.back_button)
        head.addWidget(title, 1)
        row = QHBoxLayout()
        row.setContentsMargins(10, 0, 10, 0)
        row.addWidget(self.restore_button)
        row.addWidget(self.purge_button)
        keep = QHBoxLayout()
        keep.setContentsMargins(10, 0, 10, 0)
        keep.addWidget(keep_label, 1)
        keep.addWidget(self.days)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 10)
        layout.setSpacing(8)
        layout.addLayout(head)
        listing = QVBoxLayout()
        listing.setContentsMargins(10, 0, 10, 0)
        listing.addWidget(self.list, 1)
        listing.addWidget(self.empty_label, 1)
        layout.addLayout(listing, 1)
        layout.addLayout(row)
        layout.addLayout(keep)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(10, 0, 10, 0)
        bottom.addWidget(self.empty_button)
        layout.addLayout(bottom)

    def set_retention(self, days: int) -> None:
        self.days.blockSignals(True)
        self.days.setValue(days)
        self.days.blockSignals(False)

    def refresh(self) -> None:
        selected = self.selected_id()
        self.list.clear()
        for item in self._store.deleted_conversations():
            row = QListWidgetItem(self._describe(item), self.list)
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            row.setToolTip(item.title or self.tr("Untitled conversation"))
            if item.id == selected:
                self.list.setCurrentItem(row)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        has_items = self.list.count() > 0
        self.list.setVisible(has_items)
        self.empty_label.setVisible(not has_items)
        self.empty_button.setEnabled(has_items)
        self._update_buttons()

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def ids(self) -> list[int]:
        return [int(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())]

    def _describe(self, item: DeletedConversation) -> str:
        title = item.title or self.tr("Untitled conversation")
        when = QLocale().toString(QDateTime.fromSecsSinceEpoch(int(item.deleted_at)),
                                  QLocale.FormatType.ShortFormat)
        days = max(0, int((time.time() - item.deleted_at) // 86400))
        left = max(0, self.days.value() - days)
        detail = self.tr("deleted %1 · %2 messages · %3 days left").replace("%1", when).replace(
            "%2", str(item.message_count)).replace("%3", str(left))
        return f"{title}\n{detail}"

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        self.restore_button.setEnabled(chosen)
        self.purge_button.setEnabled(chosen)

    def _emit_selected(self, signal: Signal) -> None:  # type: ignore[type-arg]
        cid = self.selected_id()
        if cid is not None:
            signal.emit(cid)  # type: ignore[attr-defined]
