"""The window and the service's model knowledge: the region's list in the picker, the thinking
control locking after the service says a model only thinks, the notices' wording, and the composer's
feedback on /think and /no_think."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from qwen_desktop.core.types import ThinkingMode
from qwen_desktop.ui.main_window import MainWindow

from tests.simulator import Simulator
from tests.ui.harness import Harness
from tests.ui.test_main_window import choose

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def pick_model(window: MainWindow, model: str) -> None:
    window.bar.model.setEditText(model)
    window.bar.model.lineEdit().editingFinished.emit()


def chats(sim: Simulator) -> list[Any]:
    return [r for r in sim.requests if r.kind == "chat"]


def test_picker_shows_the_models_the_region_serves(harness: Harness, sim: Simulator) -> None:
    sim.listed_models["intl"] = ["qwen-plus", "qwen3.9-plus", "qwen3.9-max"]
    window = harness.open()
    box = window.bar.findChild(QComboBox, "modelSelector")
    harness.qtbot.waitUntil(lambda: box.findData("qwen3.9-plus") >= 0, timeout=10000)
    assert sim.list_requests == ["intl"]
    index = box.findData("qwen3.9-max")
    assert index >= 0 and box.itemData(index, Qt.ItemDataRole.FontRole).italic()
    assert "not in the catalog" in box.itemData(index, Qt.ItemDataRole.ToolTipRole)
    assert box.findData("qwen-plus") >= 0 and not box.itemData(box.findData("qwen-plus"),
                                                                 Qt.ItemDataRole.FontRole)
    status = box.property("listStatus")
    assert status.startswith(f"Models of the catalog of {window.services.catalog.date} and the region's list of ")
    harness.close(window)
    sim.list_requests.clear()
    again = harness.open()
    box = again.bar.findChild(QComboBox, "modelSelector")
    harness.qtbot.waitUntil(lambda: box.findData("qwen3.9-max") >= 0, timeout=2000)
    harness.qtbot.wait(200)
    assert sim.list_requests == [], "refreshed at most daily"


def test_thinking_control_locks_after_learning_and_the_notice_says_why(
    harness: Harness, sim: Simulator
) -> None:
    window = harness.open()
    pick_model(window, "qwen3.9-max")
    choose(window.bar.thinking, ThinkingMode.OFF)
    items = window.bar.thinking.model()
    assert items.item(0).isEnabled(), "nothing known yet: thinking can be off"
    harness.send(window, "hello")
    harness.wait_idle(window)
    assert [r.body["enable_thinking"] for r in chats(sim)] == [False, True]
    assert window.notice.isVisible()
    assert window.notice.text() == (
        "qwen3.9-max always thinks: the service does not let thinking be turned off for it.")
    assert window.bar.thinking.currentData() == ThinkingMode.ON
    assert not items.item(0).isEnabled()
    assert window.bar.thinking.toolTip() == "This model always thinks"
    window.composer.set_text("next")
    assert window.composer.thinking_hint.text() == (
        "Thinking: on — qwen3.9-max always thinks: it will think for this reply even though "
        "thinking is off.")
    window.context_actions.meter.inspect_button.click()
    inspector = window.context_actions.inspector
    assert inspector is not None and inspector.notes.isVisibleTo(inspector)
    assert ("Learned from the service: qwen3.9-max always thinks: the service does not let thinking "
            "be turned off for it.") in inspector.notes.text()
    inspector.close()


def test_think_and_no_think_feedback_in_the_composer(harness: Harness) -> None:
    window = harness.open()
    pick_model(window, "qwen-plus")
    choose(window.bar.thinking, ThinkingMode.OFF)
    hint = window.composer.thinking_hint
    window.composer.set_text("plain question")
    assert hint.isHidden() and hint.text() == ""
    window.composer.set_text("solve this /think")
    assert hint.isVisible()
    assert hint.text() == ("Thinking: off — /think has no effect while thinking is off: the service "
                           "ignores it. Turn thinking on to use it.")
    choose(window.bar.thinking, ThinkingMode.ON)
    window.composer.set_text("quick one /no_think")
    assert hint.text() == "Thinking: off — /no_think: this message is answered without thinking."
    window.composer.set_text("hard one /no_think then /think")
    assert hint.text() == "Thinking: on — /think: this message is answered with thinking."


def test_budget_and_system_prompt_advice_before_sending(harness: Harness) -> None:
    window = harness.open()
    pick_model(window, "qwq-plus")
    window.bar.settingsChanged.emit(window.current_settings().with_(system_prompt="Be brief."))
    window.composer.set_text("why")
    assert window.composer.thinking_hint.text() == (
        "Thinking: on — qwq-plus always thinks: it will think for this reply even though thinking is "
        "off. qwq-plus works best without a system prompt: the vendor advises leaving it empty.")
    pick_model(window, "qwen3.5-plus")
    window.bar.settingsChanged.emit(window.current_settings().with_(
        system_prompt="", thinking=ThinkingMode.BUDGET, thinking_budget=500_000))
    window.composer.set_text("why")
    assert window.composer.thinking_hint.text() == (
        "Thinking: on — qwen3.5-plus accepts a thinking budget of at most 81,920 tokens: "
        "500,000 is lowered to that.")
    assert window.bar.budget.maximum() == 81_920


def test_settings_install_a_newer_catalog_or_keep_the_old_one(harness: Harness, tmp_path: Any) -> None:
    import json

    from qwen_desktop.ui.settings.catalog import CatalogRow

    window = harness.open()
    row = CatalogRow(window.services, window)
    bundled = window.services.catalog.date
    assert row.label.text().startswith(f"Catalog of {bundled} (")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    row.install_file(broken)
    harness.qtbot.waitUntil(lambda: "is kept" in row.status.text(), timeout=30000)
    assert row.status.text() == (f"The catalog file is not valid JSON. The current catalog ({bundled}) is kept.")
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"date": "2027-03-01", "models": [{
        "name": "qwen4-max", "context_window": 2_000_000, "max_input": 1_900_000, "max_output": 65_536,
        "thinking": "always", "vision": False, "source": "test", "source_date": "2027-03-01"}]}))
    row.install_file(newer)
    harness.qtbot.waitUntil(lambda: "Installed" in row.status.text(), timeout=30000)
    assert row.status.text() == "Installed the model catalog of 2027-03-01 (1 models)."
    assert row.label.text() == "Catalog of 2027-03-01 (1 models)"
    assert window.services.catalog.get("qwen4-max").known


def test_footer_shows_explicit_cache_writes_and_hits_at_their_rates(qapp: Any) -> None:
    from qwen_desktop.core.catalog import Catalog
    from qwen_desktop.core.types import Usage
    from qwen_desktop.ui.chat.footer import footer_text
    from qwen_desktop.ui.common.formatting import priced

    cost = priced(Catalog.load())
    written = footer_text("qwen3.6-plus", Usage(input_tokens=1_000_000, cache_creation_tokens=400_000), cost)
    assert "400,000 written to the cache" in written and "≈ $0.55" in written
    hit = footer_text("qwen3.6-plus", Usage(input_tokens=1_000_000, cached_tokens=400_000,
                                            explicit_cached_tokens=400_000), cost)
    assert "400,000 cached" in hit and "≈ $0.32" in hit and "cache saved $0.18" in hit
