"""The list ``/`` opens at the start of the composer: saved prompts filtered by what follows the ``/``.

It never takes the keyboard: the composer keeps focus (so input methods keep working) and passes
it the arrows, Enter, Tab and Esc while it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...core.prompts import Prompt

VISIBLE_ROWS = 8
PREVIEW_CHARS = 240


class PromptMenu(QFrame):
    """A child of the window laid over it just above the composer's edit field."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("promptMenu")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list = QListWidget(self)
        self.list.setObjectName("promptMenuList")
        self.list.setAccessibleName("promptMenuList")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setUniformItemSizes(True)
        self.preview = QLabel(self)
        self.preview.setObjectName("promptMenuPreview")
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setWordWrap(True)
        self.hint = QLabel(self.tr("↑↓ choose · Enter or Tab insert · Esc close"), self)
        self.hint.setObjectName("promptMenuHint")
        self.hint.setEnabled(False)
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.list)
        layout.addWidget(self.preview)
        layout.addWidget(self.hint)
        self.list.currentRowChanged.connect(self._show_preview)
        self.hide()

    def set_prompts(self, prompts: Sequence[Prompt]) -> None:
        self.list.clear()
        for prompt in prompts:
            item = QListWidgetItem(prompt.name)
            item.setData(Qt.ItemDataRole.UserRole, prompt)
            item.setToolTip(prompt.text[:PREVIEW_CHARS])
            self.list.addItem(item)
        if prompts:
            self.list.setCurrentRow(0)

    def names(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def current(self) -> Prompt | None:
        item = self.list.currentItem()
        prompt = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return prompt if isinstance(prompt, Prompt) else None

    def step(self, by: int) -> None:
        if self.list.count():
            self.list.setCurrentRow((self.list.currentRow() + by) % self.list.count())

    def place_above(self, anchor: QWidget) -> None:
        """Shows the menu over the window, its bottom on ``anchor``'s top edge, as wide as it allows."""
        host = self.parentWidget()
        assert host is not None
        row = max(self.list.sizeHintForRow(0), self.fontMetrics().height() + 4)
        rows = min(VISIBLE_ROWS, max(1, self.list.count()))
        self.list.setFixedHeight(rows * row + 2 * self.list.frameWidth() + 2)
        width = max(240, min(560, anchor.width()))
        self.preview.setFixedWidth(width - 12)
        self.hint.setFixedWidth(width - 12)
        height = self.sizeHint().height()
        corner = anchor.mapTo(host, QPoint(0, 0))
        self.setGeometry(corner.x(), max(0, corner.y() - height), width, height)
        self.show()
        self.raise_()

    def _show_preview(self, row: int) -> None:
        prompt = self.current() if row >= 0 else None
        text = " ".join(prompt.text.split())[:PREVIEW_CHARS] if prompt is not None else ""
        self.preview.setText(text)
