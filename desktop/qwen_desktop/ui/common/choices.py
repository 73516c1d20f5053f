"""Choices every place that edits conversation settings offers: protocols, thinking modes, context
policies and the combo boxes that show them (the conversation bar and the defaults in Settings)."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from qwen_desktop.core.catalog import Catalog
from qwen_desktop.core.types import ContextPolicy, Protocol, ThinkingMode

CONTEXT = "ConversationSettingsBar"
PROTOCOLS = (
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "OpenAI-compatible"), Protocol.OPENAI),
    (QT_TRANSLATE_NOOP("ConversationSettingsBar", "DashScope native"), Protocol.DASHSCOPE),
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


def combo(items: tuple[tuple[str, Any], ...]) -> QComboBox:
    box = QComboBox()
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
    box = QComboBox()
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
