"""Choices every place that edits conversation settings offers: protocols, thinking modes, context
policies and the combo boxes that show them (the conversation bar and the defaults in Settings)."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, QStringListModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QCompleter, QSpinBox, QStyle, QStyleOptionComboBox, QWidget

from qwen_desktop.core.catalog import Catalog
from qwen_desktop.core.knowledge.tables import ModelList
from qwen_desktop.core.types import ContextPolicy, Protocol, SearchMode, ThinkingMode

CONTEXT = "ConversationSettingsBar"
PROTOCOLS = (
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "OpenAI-compatible"), Protocol.OPENAI),
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "DashScope native"), Protocol.DASHSCOPE),
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "Responses API (history kept by the service)"),
     Protocol.RESPONSES),
)
THINKING_MODES = (
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "Off"), ThinkingMode.OFF),
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "On"), ThinkingMode.ON),
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "On with budget"), ThinkingMode.BUDGET),
)
CONTEXT_POLICIES = (
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "Full history"), ContextPolicy.FULL),
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "Last N rounds"), ContextPolicy.LAST_N),
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "Rolling summary"), ContextPolicy.SUMMARY),
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "Retrieval"), ContextPolicy.RETRIEVAL),
)
"""Labels are marked for translation here and translated when a combo is filled."""
SEARCH_MODES = (
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "Off"), SearchMode.OFF),
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "Auto: the model decides"), SearchMode.AUTO),
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "Always"), SearchMode.ALWAYS),
)
E = TypeVar("E", bound=Enum)

DEFAULT_BUDGET_MAX = 38_912
DEFAULT_BUDGET = 8_192
NEVER_THINKS = QT_TRANSLATE_NOOP("ConversationSettingsBar", "This model does not think")
ALWAYS_THINKS = QT_TRANSLATE_NOOP("ConversationSettingsBar", "This model always thinks")
THINKING_TIP = QT_TRANSLATE_NOOP("ConversationSettingsBar", "Whether the model reasons before it answers")


def _translated(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def named(widget: QWidget, name: str, tip: str | None = None) -> Any:
    widget.setObjectName(name)
    widget.setAccessibleName(name)
    if tip:
        widget.setToolTip(tip)
    return widget


class ChoiceBox(QComboBox):
    """A combo whose open list is wide enough for its longest item, however narrow it is closed.

    With ``fit_current()``, the closed box is as wide as the chosen item (not the longest one), so
    a long label that is rarely chosen does not widen the conversation bar for everyone.
    """

    _fits_current = False

    def fit_current(self) -> None:
        self._fits_current = True
        self.currentIndexChanged.connect(lambda _index: self.updateGeometry())
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        if not self._fits_current:
            return super().sizeHint()
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        metrics = self.fontMetrics()
        content = QSize(metrics.horizontalAdvance(self.currentText()) + 6, metrics.height())
        return self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, content, self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint() if self._fits_current else super().minimumSizeHint()

    def showPopup(self) -> None:  # noqa: N802 - Qt's name
        view = self.view()
        widest = view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width() + 16
        view.setMinimumWidth(max(self.width(), widest))
        super().showPopup()


class BudgetSpinBox(QSpinBox):
    """Steps land on multiples of the step (1 → 1,024 → 2,048), not on the minimum plus steps."""

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt's name
        step = self.singleStep()
        value = self.value()
        if steps > 0:
            target = (value // step + steps) * step
        else:
            target = (-(-value // step) + steps) * step
        self.setValue(max(self.minimum(), min(self.maximum(), target)))


def combo(items: tuple[tuple[str, Any], ...]) -> QComboBox:
    box = ChoiceBox()
    for text, value in items:
        box.addItem(_translated(text), value)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return box


def compact(box: QComboBox, characters: int) -> None:
    """Keep a combo narrow when closed; its popup still shows every item in full."""
    box.setMinimumContentsLength(characters)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)


def current(box: QComboBox, kind: type[E]) -> E:
    """The current item's data as ``kind``: Qt hands enum data back as plain strings."""
    return kind(box.currentData())


def select_data(box: QComboBox, value: Any) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


def model_combo(catalog: Catalog) -> QComboBox:
    """An editable list of the catalog's models that also takes any name, completing as you type."""
    box = ChoiceBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.setMinimumContentsLength(13)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    for info in catalog.models():
        box.addItem(info.name, info.name)
        box.setItemData(box.count() - 1, info.display_name, Qt.ItemDataRole.ToolTipRole)
    completer = QCompleter(catalog.names(), box)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    box.setCompleter(completer)
    return box


def add_listed(box: QComboBox, catalog: Catalog, listed: ModelList | None, error: str | None = None) -> None:
    """Append the region's models the catalog does not describe (italic, with a note), once each."""
    from datetime import datetime

    if listed is not None and listed.fetched_at:
        when = datetime.fromtimestamp(listed.fetched_at).strftime("%Y-%m-%d %H:%M")
        for name in listed.models:
            if name in catalog or box.findData(name) >= 0:
                continue
            box.addItem(name, name)
            index = box.count() - 1
            box.setItemData(index, QCoreApplication.translate("ConversationSettingsBar",
                                      "Listed by the region on %1; not in the catalog: the app learns "
                                      "what it can do from the service's answers").replace("%1", when),
                            Qt.ItemDataRole.ToolTipRole)
            font = QFont(box.font())
            font.setItalic(True)
            box.setItemData(index, font, Qt.ItemDataRole.FontRole)
        status = QCoreApplication.translate("ConversationSettingsBar", "Models of the catalog of %1 and the region's list of %2") \
            .replace("%1", catalog.date).replace("%2", when)
    else:
        status = QCoreApplication.translate("ConversationSettingsBar", "Models of the catalog of %1").replace("%1", catalog.date)
    if error:
        status += " — " + error
    box.setProperty("listStatus", status)
    names = [box.itemData(i) for i in range(box.count())]
    completer = box.completer()
    if completer is not None:
        completer.setModel(QStringListModel([str(n) for n in names], completer))
