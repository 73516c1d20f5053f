"""The chat header: conversation title and its running totals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from ...core.types import Role, Usage
from ...core.websearch import search_fee
from ..common.formatting import Cost, money, number


class Totals:
    """Tokens and estimated cost of a conversation, added up a batch of messages at a time."""

    def __init__(self, catalog: Any | None) -> None:
        self.catalog = catalog
        self.usage = Usage()
        self.amount = 0.0
        self.currencies: set[str] = set()

    def add(self, messages: Sequence[Any]) -> None:
        total, catalog = self.usage, self.catalog
        for m in messages:
            if m.role is not Role.ASSISTANT or m.usage is None:
                continue
            u = m.usage
            total = Usage(total.input_tokens + u.input_tokens, total.output_tokens + u.output_tokens,
                          total.reasoning_tokens + u.reasoning_tokens,
                          total.cached_tokens + u.cached_tokens,
                          total.search_calls + u.search_calls, total.search_tokens + u.search_tokens)
            if catalog is not None and m.model:
                c = catalog.estimate_cost(m.model, u)
                fee = search_fee(m.meta, u)
                if c is not None and fee is not None and fee[1] == catalog.get(m.model).currency:
                    c += fee[0]
                if c is not None:
                    self.currencies.add(catalog.get(m.model).currency)
                    self.amount += c
        self.usage = total

    def result(self) -> tuple[Usage, Cost | None]:
        """No cost when the models bill in mixed currencies."""
        if len(self.currencies) != 1:
            return self.usage, None
        return self.usage, Cost(self.amount, next(iter(self.currencies)))


def totals(messages: Sequence[Any], catalog: Any | None) -> tuple[Usage, Cost | None]:
    """Tokens and estimated cost of a conversation; no cost when its models bill in mixed currencies."""
    adder = Totals(catalog)
    adder.add(messages)
    return adder.result()


class ElidedLabel(QLabel):
    """One line of plain text, cut with an ellipsis to whatever width it is given."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = text
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 40)
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))


class ConversationHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationHeader")
        self.title = ElidedLabel(self.tr("New conversation"), self)
        self.title.setObjectName("conversationTitle")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.totals = QLabel(self)
        self.totals.setObjectName("conversationTotals")
        self.totals.setEnabled(False)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(16, 10, 10, 6)
        self._row.addWidget(self.title, 1)
        self._row.addWidget(self.totals)

    def add_after_title(self, widget: QWidget) -> None:
        self._row.insertWidget(1, widget)

    def add_trailing(self, widget: QWidget) -> None:
        self._row.addWidget(widget)

    def set_title(self, title: str) -> None:
        self.title.set_full_text(title)

    def set_conversation(self, conversation: Any | None, messages: Sequence[Any],
                         catalog: Any | None = None) -> None:
        if conversation is None:
            self.totals.clear()
            return
        self.show_totals(*totals(messages, catalog))

    def show_totals(self, usage: Usage, cost: Cost | None) -> None:
        if usage.input_tokens == 0 and usage.output_tokens == 0:
            self.totals.clear()
            return
        text = self.tr("%1 in · %2 out").replace("%1", number(usage.input_tokens)).replace(
            "%2", number(usage.output_tokens))
        if cost is not None:
            text += " · " + money(cost)
        if usage.cached_tokens and usage.input_tokens:
            text += " · " + self.tr("%1% cached").replace(
                "%1", f"{usage.cached_tokens * 100 / usage.input_tokens:.0f}")
        self.totals.setText(text)
        self.totals.setToolTip(self.tr("This conversation so far: %1 input tokens (%2 from the cache), "
                                       "%3 output tokens (%4 reasoning)")
                               .replace("%1", number(usage.input_tokens)).replace("%2", number(usage.cached_tokens))
                               .replace("%3", number(usage.output_tokens))
                               .replace("%4", number(usage.reasoning_tokens)))
