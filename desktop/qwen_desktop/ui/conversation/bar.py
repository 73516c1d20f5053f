"""The compact toolbar above a chat: region, protocol, model, thinking, context policy and extras."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QHideEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

from qwen_desktop.core.catalog import Catalog, ModelInfo
from qwen_desktop.core.context import DEFAULT_LAST_N
from qwen_desktop.core.context.params import EXPLICIT_CACHE_MODELS
from qwen_desktop.core.regions import RegionRegistry
from qwen_desktop.core.responses import server_tools, with_server_tool
from qwen_desktop.core.tools import enabled as enabled_tools
from qwen_desktop.core.tools import toggled
from qwen_desktop.core.types import ContextPolicy, ConversationSettings, Protocol, ThinkingMode
from qwen_desktop.ui.common.choices import (
    ALWAYS_THINKS,
    BudgetSpinBox,
    ChoiceBox,
    CONTEXT_POLICIES,
    DEFAULT_BUDGET,
    DEFAULT_BUDGET_MAX,
    NEVER_THINKS,
    PROTOCOLS,
    THINKING_MODES,
    THINKING_TIP,
    _translated,
    combo,
    compact,
    current,
    model_combo,
    named,
    select_data,
)
from qwen_desktop.ui.common.flow_layout import FlowLayout
from qwen_desktop.ui.common.formatting import region_name
from qwen_desktop.core.knowledge.tables import ModelList
from qwen_desktop.ui.common.choices import add_listed
from qwen_desktop.ui.conversation.parameters import GenerationEditor
from qwen_desktop.ui.conversation.search import SearchControls
from qwen_desktop.ui.conversation.tool_menu import ToolsButton


def budget_limit(info: ModelInfo) -> int:
    return info.budget_cap


def shown_thinking(info: ModelInfo, wanted: ThinkingMode) -> ThinkingMode:
    """What the selector shows: the user's choice, bent to what the model can do."""
    if info.thinking == "never":
        return ThinkingMode.OFF
    if info.thinking == "always":
        if wanted is ThinkingMode.OFF or (wanted is ThinkingMode.BUDGET and info.ignores_thinking_budget):
            return ThinkingMode.ON
    return wanted


class ExtrasPopup(QFrame):
    """System prompt and temperature, in a popup under the "More" button."""

    temperatureEdited = Signal()
    generationEdited = Signal()
    cacheToggled = Signal(bool)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.system_prompt = named(QPlainTextEdit(), "systemPrompt",
                                   self.tr("Instructions sent before the conversation"))
        self.system_prompt.setPlaceholderText(self.tr("For example: answer briefly and cite sources."))
        self.system_prompt.setTabChangesFocus(True)
        self.system_prompt.setMinimumSize(340, 110)
        self.temperature = named(QDoubleSpinBox(), "temperature",
                                 self.tr("Higher is more varied, lower is more focused"))
        self.temperature.setRange(0.0, 1.99)
        self.temperature.setSingleStep(0.05)
        self.temperature.setDecimals(2)
        self.temperature.setKeyboardTracking(False)
        self.temperature_default = named(QCheckBox(self.tr("Model default")), "temperatureDefault")
        self.temperature.valueChanged.connect(self.temperatureEdited)
        self.temperature_default.toggled.connect(self._default_toggled)

        temperature_row = QHBoxLayout()
        temperature_row.addWidget(self.temperature)
        temperature_row.addWidget(self.temperature_default)
        temperature_row.addStretch(1)
        form = QFormLayout(self)
        form.setContentsMargins(12, 12, 12, 12)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow(self.tr("System prompt"), self.system_prompt)
        form.addRow(self.tr("Temperature"), temperature_row)
        self.explicit_cache = named(QCheckBox(self.tr("Cache the stable prefix (explicit cache)")),
                                    "explicitCache")
        self.explicit_cache.toggled.connect(self.cacheToggled)
        form.addRow(self.explicit_cache)
        self.generation = GenerationEditor(self)
        self.generation.edited.connect(self.generationEdited)
        form.addRow(self.generation)

    def set_cache(self, checked: bool, supported: bool) -> None:
        self.explicit_cache.blockSignals(True)
        self.explicit_cache.setChecked(checked and supported)
        self.explicit_cache.blockSignals(False)
        self.explicit_cache.setEnabled(supported)
        self.explicit_cache.setToolTip(
            self.tr("Marks the system prompt and summary for caching: later requests read them at the "
                    "cached-input price") if supported
            else self.tr("This model does not support explicit caching"))

    def temperature_value(self) -> float | None:
        return None if self.temperature_default.isChecked() else round(self.temperature.value(), 2)

    def set_values(self, system_prompt: str, temperature: float | None) -> None:
        if self.system_prompt.toPlainText() != system_prompt:
            self.system_prompt.setPlainText(system_prompt)
        self.temperature_default.setChecked(temperature is None)
        self.temperature.setEnabled(temperature is not None)
        if temperature is not None:
            self.temperature.setValue(temperature)

    def popup_below(self, anchor: QWidget) -> None:
        self.adjustSize()
        below = anchor.mapToGlobal(QPoint(anchor.width() - self.width(), anchor.height() + 2))
        self.move(below)
        self.show()
        self.system_prompt.setFocus()

    def _default_toggled(self, checked: bool) -> None:
        self.temperature.setEnabled(not checked)
        self.temperatureEdited.emit()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.closed.emit()
        self.generationEdited.emit()  # stop sequences are taken when the popup closes


class ConversationSettingsBar(QWidget):
    """Shows one conversation's settings; ``settingsChanged`` fires once per change the user makes."""

    settingsChanged = Signal(object)

    def __init__(self, regions: RegionRegistry, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "conversationSettingsBar")
        self._regions = regions
        self._catalog = catalog
        self._settings = ConversationSettings()
        self._syncing = False

        self.region = named(ChoiceBox(), "regionSelector", self.tr("Region: each has its own API key"))
        self.region.fit_current()
        self.protocol = named(combo(PROTOCOLS), "protocolSelector", self.tr("Wire protocol"))
        self.protocol.fit_current()
        self.model = named(model_combo(catalog), "modelSelector",
                           self.tr("Model: pick one or type any model name"))
        self.thinking = named(combo(THINKING_MODES), "thinkingSelector", _translated(THINKING_TIP))
        self.thinking.fit_current()
        self.budget = named(BudgetSpinBox(), "thinkingBudget", self.tr("Most tokens the model may spend thinking"))
        self.budget.setSingleStep(1024)
        self.budget.setGroupSeparatorShown(True)
        self.budget.setKeyboardTracking(False)
        self.context_policy = named(combo(CONTEXT_POLICIES), "contextPolicySelector",
                                    self.tr("What earlier messages are sent"))
        self.context_policy.fit_current()
        self.last_n = named(QSpinBox(), "contextLastN", self.tr("How many recent rounds are sent"))
        self.last_n.setRange(1, 500)
        self.last_n.setPrefix(self.tr("N = "))
        self.last_n.setKeyboardTracking(False)
        self.more = named(QToolButton(), "moreButton", self.tr("System prompt and temperature"))
        self.more.setText(self.tr("More"))
        self.more.setArrowType(Qt.ArrowType.DownArrow)
        self.more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.extras = ExtrasPopup(self)
        self.tools = ToolsButton(self)
        self.search = SearchControls(self)
        self.search_refused: Callable[[ConversationSettings], str | None] = lambda _settings: None
        """What the service said when it refused web search for the settings' model and region."""
        self._layout()
        self.refresh_regions()
        self._sync()
        self._connect()

    def _layout(self) -> None:
        flow = FlowLayout(self, spacing=6)
        flow.setContentsMargins(8, 4, 8, 4)
        for widget in (self.region, self.protocol, self.model):
            flow.addWidget(widget)
        flow.addWidget(self._group(self._caption(self.tr("Thinking"), self.thinking), self.thinking,
                                   self.budget))
        flow.addWidget(self._group(self._caption(self.tr("Context"), self.context_policy),
                                   self.context_policy, self.last_n))
        flow.addWidget(self.search)
        flow.addWidget(self._group(self.tools, self.more))

    @staticmethod
    def _group(*widgets: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for widget in widgets:
            row.addWidget(widget)
        return box

    @staticmethod
    def _caption(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _connect(self) -> None:
        self.region.activated.connect(lambda _i: self._edit(region_id=self.region.currentData()))
        self.protocol.activated.connect(lambda _i: self._edit(protocol=current(self.protocol, Protocol)))
        self.model.activated.connect(lambda _i: self._model_edited())
        self.model.lineEdit().editingFinished.connect(self._model_edited)
        self.thinking.activated.connect(lambda _i: self._thinking_edited())
        self.budget.valueChanged.connect(lambda value: self._edit(thinking_budget=value))
        self.context_policy.activated.connect(lambda _i: self._policy_edited())
        self.last_n.valueChanged.connect(self._last_n_edited)
        self.more.clicked.connect(lambda: self.extras.popup_below(self.more))
        self.search.modeChosen.connect(lambda mode: self._edit(search=mode))
        self.search.strategyChosen.connect(lambda name: self._edit(search_strategy=name))
        self.tools.toolToggled.connect(
            lambda tool_id, on: self._edit(context_params=toggled(self._settings, tool_id, on).context_params))
        self.tools.serviceToolToggled.connect(
            lambda tool, on: self._edit(context_params=with_server_tool(self._settings, tool, on).context_params))
        self.extras.temperatureEdited.connect(lambda: self._edit(temperature=self.extras.temperature_value()))
        self.extras.generationEdited.connect(self._generation_edited)
        self.extras.cacheToggled.connect(
            lambda on: self._edit(context_params={**self._settings.context_params, "explicit_cache": on}))
        self.extras.closed.connect(lambda: self._edit(system_prompt=self.extras.system_prompt.toPlainText()))

    def settings(self) -> ConversationSettings:
        return self._settings

    def set_settings(self, settings: ConversationSettings) -> None:
        self._settings = settings
        self._sync()

    def refresh_search(self) -> None:
        """After the service refused (or allowed) web search for a model."""
        self._sync()

    def refresh_regions(self) -> None:
        with self._quiet():
            self.region.clear()
            for region in self._regions.all():
                self.region.addItem(region_name(region), region.id)
                self.region.setItemData(self.region.count() - 1, region.base_url, Qt.ItemDataRole.ToolTipRole)
        self._sync()

    def _model_edited(self) -> None:
        name = self.model.currentText().strip()
        if name:
            self._edit(model=name)
        else:
            self._sync()

    def _thinking_edited(self) -> None:
        mode = current(self.thinking, ThinkingMode)
        changes: dict[str, Any] = {"thinking": mode}
        if mode is ThinkingMode.BUDGET:
            changes["thinking_budget"] = self.budget.value()
        self._edit(**changes)

    def _policy_edited(self) -> None:
        policy = current(self.context_policy, ContextPolicy)
        params = dict(self._settings.context_params)
        if policy is ContextPolicy.LAST_N:
            params.setdefault("n", self.last_n.value())
        self._edit(context_policy=policy, context_params=params)

    def _last_n_edited(self, value: int) -> None:
        self._edit(context_params={**self._settings.context_params, "n": value})

    def _generation_edited(self) -> None:
        self._edit(generation=self.extras.generation.params())

    def _edit(self, **changes: Any) -> None:
        if self._syncing:
            return
        updated = self._settings.with_(**changes)
        if updated == self._settings:
            return
        self._settings = updated
        self._sync()
        self.settingsChanged.emit(updated)

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        was_syncing, self._syncing = self._syncing, True
        try:
            yield
        finally:
            self._syncing = was_syncing

    def _sync(self) -> None:
        settings = self._settings
        info = self._catalog.get(settings.model, settings.region_id)
        with self._quiet():
            if self.region.findData(settings.region_id) < 0:
                self.region.addItem(settings.region_id, settings.region_id)
            select_data(self.region, settings.region_id)
            select_data(self.protocol, settings.protocol)
            if self.model.currentText() != settings.model:
                self.model.setEditText(settings.model)
            tip = self.tr("%1: pick a model or type any model name").replace("%1", info.display_name)
            status = self.model.property("listStatus")
            self.model.setToolTip(f"{tip}\n{status}" if status else tip)
            self._sync_thinking(info, settings)
            select_data(self.context_policy, settings.context_policy)
            self.last_n.setValue(int(settings.context_params.get("n", DEFAULT_LAST_N)))
            self.last_n.setVisible(settings.context_policy is ContextPolicy.LAST_N)
            self.extras.set_values(settings.system_prompt, settings.temperature)
            self.extras.generation.set_params(settings.generation, thinking=settings.thinking is not ThinkingMode.OFF,
                                              max_output=self._catalog.get(settings.model, settings.region_id).max_output)
            self.extras.set_cache(bool(settings.context_params.get("explicit_cache")),
                                  info.name in EXPLICIT_CACHE_MODELS)
            self.tools.set_enabled(enabled_tools(settings))
            self.tools.set_service_tools(
                list(server_tools(settings)) if settings.protocol is Protocol.RESPONSES else None)
            self.search.sync(settings, self.search_refused(settings))
        customized = settings.system_prompt.strip() or settings.temperature is not None
        self.more.setText(self.tr("More") + (" •" if customized else ""))

    def refresh_model(self) -> None:
        """Show what is now known about the model (after the service taught something)."""
        self._sync()

    def set_listed(self, listed: ModelList | None, error: str | None = None) -> None:
        """Add the models the region serves that the catalog does not describe, and say when."""
        add_listed(self.model, self._catalog, listed, error)
        with self._quiet():
            self._sync()

    def _sync_thinking(self, info: ModelInfo, settings: ConversationSettings) -> None:
        shown = shown_thinking(info, settings.thinking)
        items = self.thinking.model()
        assert isinstance(items, QStandardItemModel)
        items.item(0).setEnabled(info.thinking != "always")
        items.item(2).setEnabled(not info.ignores_thinking_budget)
        select_data(self.thinking, shown)
        self.thinking.setEnabled(info.thinking != "never")
        tips = {"never": NEVER_THINKS, "always": ALWAYS_THINKS}
        self.thinking.setToolTip(_translated(tips.get(info.thinking, THINKING_TIP)))
        limit = budget_limit(info)
        self.budget.setRange(1, limit)
        self.budget.setValue(min(settings.thinking_budget or DEFAULT_BUDGET, limit))
        budget_on = shown is ThinkingMode.BUDGET
        self.budget.setVisible(budget_on)
        self.budget.setEnabled(budget_on)
