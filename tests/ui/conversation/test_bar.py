from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox
from pytestqt.qtbot import QtBot
from qwen_desktop.core.catalog import Catalog
from qwen_desktop.core.regions import RegionRegistry
from qwen_desktop.core.types import ContextPolicy, ConversationSettings, Protocol, ThinkingMode
from qwen_desktop.ui.conversation.bar import NEVER_THINKS, ConversationSettingsBar

COMPLETER_POPUP = pytest.mark.qt_log_ignore("This plugin does not support")

NAMES = (
    "regionSelector",
    "protocolSelector",
    "modelSelector",
    "thinkingSelector",
    "thinkingBudget",
    "contextPolicySelector",
    "moreButton",
    "systemPrompt",
    "temperature",
    "temperatureDefault",
)


@pytest.fixture
def bar(qtbot: QtBot) -> ConversationSettingsBar:
    regions = RegionRegistry()
    regions.add_custom("lab", "Lab gateway", "https://lab.example.com")
    widget = ConversationSettingsBar(regions, Catalog.load())
    qtbot.addWidget(widget)
    return widget


def pick(qtbot: QtBot, box: QComboBox, text: str) -> None:
    """Choose an item the way a keyboard user does: arrow keys on the closed combo box."""
    target = box.findText(text)
    assert target >= 0, text
    key = Qt.Key.Key_Down if target > box.currentIndex() else Qt.Key.Key_Up
    while box.currentIndex() != target:
        qtbot.keyClick(box, key)


def item_enabled(box: QComboBox, text: str) -> bool:
    model = box.model()
    assert isinstance(model, QStandardItemModel)
    return model.item(box.findText(text)).isEnabled()


def test_every_control_is_named_for_tests_and_screen_readers(bar: ConversationSettingsBar) -> None:
    for name in NAMES:
        widget = bar.findChild(object, name)
        assert widget is not None, name
        assert widget.accessibleName() == name
    policies = [bar.context_policy.itemText(i) for i in range(bar.context_policy.count())]
    assert policies == ["Full history", "Last N rounds", "Rolling summary", "Retrieval"]
    assert [bar.region.itemData(i) for i in range(bar.region.count())] == ["intl", "cn", "us", "hk", "lab"]


def test_settings_round_trip_without_echo(bar: ConversationSettingsBar, qtbot: QtBot) -> None:
    settings = ConversationSettings(
        region_id="cn",
        protocol=Protocol.DASHSCOPE,
        model="qwen3-32b",
        thinking=ThinkingMode.BUDGET,
        thinking_budget=4096,
        context_policy=ContextPolicy.LAST_N,
        context_params={"n": 3},
        system_prompt="Answer briefly.",
        temperature=0.7,
    )
    with qtbot.assertNotEmitted(bar.settingsChanged):
        bar.set_settings(settings)
    assert bar.settings() == settings
    assert bar.region.currentData() == "cn"
    assert bar.protocol.currentText() == "DashScope native"
    assert bar.model.currentText() == "qwen3-32b"
    assert bar.thinking.currentText() == "On with budget"
    assert bar.budget.value() == 4096
    assert bar.context_policy.currentText() == "Last N rounds"
    assert bar.last_n.value() == 3 and bar.last_n.isVisibleTo(bar)
    assert bar.extras.system_prompt.toPlainText() == "Answer briefly."
    assert bar.extras.temperature.value() == pytest.approx(0.7)
    assert not bar.extras.temperature_default.isChecked()


def test_a_model_that_never_thinks_disables_the_selector(bar: ConversationSettingsBar) -> None:
    bar.set_settings(ConversationSettings(model="qwen-max", thinking=ThinkingMode.ON))
    assert not bar.thinking.isEnabled()
    assert bar.thinking.toolTip() == NEVER_THINKS
    assert bar.thinking.currentText() == "Off"
    assert not bar.budget.isVisibleTo(bar)


def test_a_model_that_always_thinks_is_forced_on(bar: ConversationSettingsBar) -> None:
    bar.set_settings(ConversationSettings(model="qwq-plus", thinking=ThinkingMode.OFF))
    assert bar.thinking.isEnabled()
    assert bar.thinking.currentText() == "On"
    assert not item_enabled(bar.thinking, "Off")
    bar.set_settings(ConversationSettings(model="qwen-plus"))
    assert item_enabled(bar.thinking, "Off") and bar.thinking.currentText() == "Off"


def test_the_budget_is_shown_only_in_budget_mode(bar: ConversationSettingsBar, qtbot: QtBot) -> None:
    bar.set_settings(ConversationSettings(model="qwen-turbo"))
    assert not bar.budget.isVisibleTo(bar)
    seen: list[ConversationSettings] = []
    bar.settingsChanged.connect(seen.append)
    pick(qtbot, bar.thinking, "On with budget")
    assert bar.budget.isVisibleTo(bar) and bar.budget.isEnabled()
    assert bar.budget.maximum() == 38_912
    assert seen[-1].thinking is ThinkingMode.BUDGET
    assert seen[-1].thinking_budget == bar.budget.value()
    pick(qtbot, bar.thinking, "On")
    assert not bar.budget.isVisibleTo(bar)
    bar.set_settings(ConversationSettings(model="qvq-max", thinking=ThinkingMode.ON))
    assert bar.budget.maximum() == 16_384


def type_into(qtbot: QtBot, box: QComboBox | QAbstractSpinBox, text: str) -> None:
    line = box.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


@COMPLETER_POPUP
def test_each_user_change_emits_once(bar: ConversationSettingsBar, qtbot: QtBot) -> None:
    bar.set_settings(ConversationSettings(model="qwen-plus"))
    seen: list[ConversationSettings] = []
    bar.settingsChanged.connect(seen.append)
    steps: list[Callable[[], None]] = [
        lambda: qtbot.keyClick(bar.region, Qt.Key.Key_Down),
        lambda: qtbot.keyClick(bar.protocol, Qt.Key.Key_Down),
        lambda: type_into(qtbot, bar.model, "qwen3-8b"),
        lambda: qtbot.keyClick(bar.thinking, Qt.Key.Key_Down),
        lambda: qtbot.keyClick(bar.thinking, Qt.Key.Key_Down),
        lambda: type_into(qtbot, bar.budget, "2048"),
        lambda: qtbot.keyClick(bar.context_policy, Qt.Key.Key_Down),
        lambda: type_into(qtbot, bar.last_n, "5"),
    ]
    for number, step in enumerate(steps, start=1):
        step()
        assert len(seen) == number
        assert seen[-1] == bar.settings()

    final = seen[-1]
    assert (final.region_id, final.protocol, final.model) == ("cn", Protocol.DASHSCOPE, "qwen3-8b")
    assert (final.thinking, final.thinking_budget) == (ThinkingMode.BUDGET, 2048)
    assert (final.context_policy, final.context_params) == (ContextPolicy.LAST_N, {"n": 5})

    type_into(qtbot, bar.model, "qwen3-8b")
    bar.set_settings(ConversationSettings())
    assert len(seen) == len(steps)


@COMPLETER_POPUP
def test_a_model_not_in_the_catalog_is_accepted(bar: ConversationSettingsBar, qtbot: QtBot) -> None:
    with qtbot.waitSignal(bar.settingsChanged) as changed:
        bar.model.lineEdit().selectAll()
        qtbot.keyClicks(bar.model.lineEdit(), "qwen3-thinking-experimental")
        qtbot.keyClick(bar.model.lineEdit(), Qt.Key.Key_Return)
    assert changed.args[0].model == "qwen3-thinking-experimental"
    assert bar.thinking.currentText() == "On"


def test_the_extras_commit_when_edited(bar: ConversationSettingsBar, qtbot: QtBot) -> None:
    seen: list[ConversationSettings] = []
    bar.settingsChanged.connect(seen.append)
    bar.extras.temperature_default.click()
    assert seen[-1].temperature == pytest.approx(bar.extras.temperature.value())
    bar.extras.system_prompt.setPlainText("Be terse.")
    assert len(seen) == 1
    bar.extras.closed.emit()
    assert len(seen) == 2 and seen[-1].system_prompt == "Be terse."
    bar.extras.temperature_default.click()
    assert seen[-1].temperature is None and len(seen) == 3


def test_budget_steps_land_on_multiples(qtbot: QtBot) -> None:
    from qwen_desktop.ui.common.choices import BudgetSpinBox

    spin = BudgetSpinBox()
    qtbot.addWidget(spin)
    spin.setRange(1, 38_912)
    spin.setSingleStep(1024)
    spin.setValue(1)
    spin.stepBy(1)
    assert spin.value() == 1024
    spin.stepBy(1)
    assert spin.value() == 2048
    spin.setValue(1500)
    spin.stepBy(-1)
    assert spin.value() == 1024
    spin.stepBy(-1)
    assert spin.value() == 1
    spin.setValue(38_000)
    spin.stepBy(1)
    assert spin.value() == 38_912


@pytest.mark.parametrize("name", ["thinking", "protocol"])
def test_the_chosen_label_fits_its_box_and_only_it_counts(bar: ConversationSettingsBar, name: str) -> None:
    box = getattr(bar, name)
    metrics = box.fontMetrics()
    widths = []
    for i in range(box.count()):
        box.setCurrentIndex(i)
        assert box.sizeHint().width() >= metrics.horizontalAdvance(box.itemText(i)) + 20, box.itemText(i)
        widths.append(box.sizeHint().width())
    assert min(widths) < max(widths), "a short choice keeps the box narrow"


def test_the_bar_fits_one_row_in_the_default_window(bar: ConversationSettingsBar) -> None:
    width = 1240 - 250
    assert bar.layout().heightForWidth(width) < 2 * bar.region.sizeHint().height() + 8
