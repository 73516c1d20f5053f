"""Search results shown in the sidebar: one row per hit."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from qwen_desktop.core.storage import SearchHit
from qwen_desktop.ui.sidebar.model import UNTITLED, Roles

Index = QModelIndex | QPersistentModelIndex


class HitRoles(IntEnum):
    Id = Roles.Id
    MessageId = Qt.ItemDataRole.UserRole + 20
    Snippet = Qt.ItemDataRole.UserRole + 21
    Match = Qt.ItemDataRole.UserRole + 22
    """``(start, end)`` of the match in the snippet."""
    TitleHit = Qt.ItemDataRole.UserRole + 23


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self.query = ""

    def set_hits(self, query: str, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.query = query
        self._hits = list(hits)
        self.endResetModel()

    def clear(self) -> None:
        self.set_hits("", [])

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.hit(index.row()) if index.isValid() and not index.parent().isValid() else None
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title or QCoreApplication.translate("ConversationList", UNTITLED)
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.snippet or None
        if role == HitRoles.Id:
            return hit.conversation_id
        if role == HitRoles.MessageId:
            return hit.message_id
        if role == HitRoles.Snippet:
            return hit.snippet
        if role == HitRoles.Match:
            return (hit.match_start, hit.match_end)
        if role == HitRoles.TitleHit:
            return hit.message_id is None
        return None
