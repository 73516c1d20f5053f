"""The web search switch of a conversation: off, auto, always, and a strategy where there is a choice."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from qwen_desktop.core.types import ConversationSettings, SearchMode
from qwen_desktop.core.websearch import Strategy, effective_strategy, strategies_for

CONTEXT = "SearchControls"
MODES = (
    (QT_TRANSLATE_NOOP("SearchControls", "Off"), SearchMode.OFF),
    (QT_TRANSLATE_NOOP("SearchControls", "Auto"), SearchMode.AUTO),
    (QT_TRANSLATE_NOOP("SearchControls", "Always"), SearchMode.ALWAYS),
)
STRATEGY_TEXT = {
    "turbo": (QT_TRANSLATE_NOOP("SearchControls", "Turbo"),
              QT_TRANSLATE_NOOP("SearchControls", "Fast single search; fine for most questions.")),
    "max": (QT_TRANSLATE_NOOP("SearchControls", "Max"),
            QT_TRANSLATE_NOOP("SearchControls", "Searches several engines for fuller results; slower.")),
    "agent": (QT_TRANSLATE_NOOP("SearchControls", "Agent"),
              QT_TRANSLATE_NOOP("SearchControls",
                                "The model searches as many times as it needs and combines the results.")),
    "agent_max": (QT_TRANSLATE_NOOP("SearchControls", "Agent max"),
                  QT_TRANSLATE_NOOP("SearchControls",
                                    "Agent searching that also reads whole pages (thinking models).")),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class SearchControls(QWidget):
    """``modeChosen`` and ``strategyChosen`` fire only for the user's own changes."""

    modeChosen = Signal(object)
    strategyChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(self.tr("Web search"), self)
        self.mode = QComboBox(self)
        self.mode.setObjectName("searchSelector")
        self.mode.setAccessibleName("searchSelector")
        for text, value in MODES:
            self.mode.addItem(_tr(text), value.value)
        self.caption.setBuddy(self.mode)
        self.strategy = QComboBox(self)
        self.strategy.setObjectName("searchStrategySelector")
        self.strategy.setAccessibleName("searchStrategySelector")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for widget in (self.caption, self.mode, self.strategy):
            row.addWidget(widget)
        self._region = ""
        self._syncing = False
        self.mode.activated.connect(self._mode_activated)
        self.strategy.activated.connect(self._strategy_activated)

    def sync(self, settings: ConversationSettings, refused: str | None) -> None:
        """Show the settings; ``refused`` is what the service said when it refused this model."""
        self._syncing = True
        try:
            shown = SearchMode.OFF if refused else settings.search
            self.mode.setCurrentIndex(max(0, self.mode.findData(shown.value)))
            self.mode.setEnabled(refused is None)
            self.mode.setToolTip(self._mode_tip(refused))
            self._fill_strategies(settings.region_id, settings.search_strategy)
            self.strategy.setVisible(shown is not SearchMode.OFF and self.strategy.count() > 1)
        finally:
            self._syncing = False

    def _mode_tip(self, refused: str | None) -> str:
        if refused:
            return self.tr("The service refused web search for this model in this region: %1").replace(
                "%1", refused)
        return self.tr("Let the model search the web: Auto when it decides, Always on every message. "
                       "Sources are listed under the reply on the DashScope protocol.")

    def _fill_strategies(self, region_id: str, chosen: str | None) -> None:
        offered = strategies_for(region_id)
        if region_id != self._region or self.strategy.count() != len(offered):
            self._region = region_id
            self.strategy.clear()
            for index, strategy in enumerate(offered):
                label, explanation = STRATEGY_TEXT.get(strategy.name, (strategy.label, strategy.explanation))
                self.strategy.addItem(_tr(label), strategy.name)
                tip = _tr(explanation) + self._price(strategy, region_id)
                self.strategy.setItemData(index, tip, 3)  # Qt.ToolTipRole
        effective = effective_strategy(region_id, chosen)
        self.strategy.setCurrentIndex(max(0, self.strategy.findData(effective)))
        self.strategy.setToolTip(str(self.strategy.currentData(3) or ""))

    def _price(self, strategy: Strategy, region_id: str) -> str:
        found = strategy.price(region_id)
        if found is None:
            return ""
        amount, currency = found
        return " " + self.tr("(%1 %2 per 1,000 searches, plus the results' input tokens)").replace(
            "%1", f"{amount * 1000:g}").replace("%2", currency)

    def _mode_activated(self, _index: int) -> None:
        if not self._syncing:
            self.modeChosen.emit(SearchMode(self.mode.currentData()))

    def _strategy_activated(self, _index: int) -> None:
        if not self._syncing:
            self.strategy.setToolTip(str(self.strategy.currentData(3) or ""))
            self.strategyChosen.emit(str(self.strategy.currentData()))
