"""Tool cards in the real window: live during a reply, with consent buttons, and after a restart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from qwen_desktop.core.tools import DECLINED
from qwen_desktop.ui.main_window import MainWindow

from tests.simulator import Reply, Simulator
from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def cards(window: MainWindow) -> list[Any]:
    return [card for w in window.view.message_widgets() for card in getattr(w, "tool_cards", {}).values()]


def enable(window: MainWindow, *tool_ids: str) -> None:
    for tool_id in tool_ids:
        action = next(a for a in window.bar.tools.menu().actions() if a.data() == tool_id)
        action.trigger()


def test_cards_show_calls_ask_consent_and_survive_a_restart(
    harness: Harness, sim: Simulator, tmp_path: Path
) -> None:
    window = harness.open()
    sim.enqueue(Reply(content="Hello."))
    harness.send(window, "hi")
    harness.wait_idle(window)
    enable(window, "calculator", "read_local_file")
    cid = window.current_id
    assert cid is not None
    harness.qtbot.waitUntil(lambda: "calculator" in str(window.store.conversation(cid).settings.context_params))
    assert window.bar.tools.text().endswith("(2)")
    private = tmp_path / "diary.txt"
    private.write_text("dear diary", encoding="utf-8")
    sim.enqueue(
        Reply(tool_calls=[
            {"id": "c1", "name": "calculator", "arguments": json.dumps({"expression": "6*7"})},
            {"id": "c2", "name": "read_local_file", "arguments": json.dumps({"path": str(private)})},
        ]),
        Reply(content="6*7 is 42, and I did not read your diary."),
    )
    harness.send(window, "compute and read")
    harness.qtbot.waitUntil(lambda: any(c.state == "asking" for c in cards(window)))
    asking = next(c for c in cards(window) if c.state == "asking")
    assert str(private.resolve()) in asking.consent_label.text()
    assert asking.consent.isVisible()
    harness.qtbot.mouseClick(asking.deny, Qt.MouseButton.LeftButton)
    harness.wait_idle(window)
    calc, reader = cards(window)
    assert calc.state == "done" and calc.result_view.text() == "42"
    assert '"expression": "6*7"' in calc.arguments_view.text()
    assert reader.state == "declined"
    assert DECLINED in json.dumps(sim.requests[-1].body)
    assert "dear diary" not in json.dumps(sim.requests[-1].body)
    harness.close(window)

    again = harness.open()
    restored = cards(again)
    assert [c.state for c in restored] == ["done", "declined"]
    assert restored[0].result_view.text() == "42"
    assert "6*7" in restored[0].toggle.text() or "calculator" in restored[0].toggle.text()
    restored[0].toggle.click()
    assert restored[0].expanded and restored[0].body.isVisible()
    assert again.bar.tools.text().endswith("(2)")
