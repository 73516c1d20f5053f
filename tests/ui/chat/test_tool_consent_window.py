"""Two conversations in the window wait for consent with the same call id: each prompt answers
only its own call, and a prompt asked while its conversation was hidden is shown on return."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from qwen_desktop.core.tools import with_enabled
from qwen_desktop.core.types import ConversationSettings
from qwen_desktop.ui.main_window import MainWindow

from tests.simulator import Reply, Simulator
from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def asking(window: MainWindow) -> list[Any]:
    return [card for w in window.view.message_widgets() for card in getattr(w, "tool_cards", {}).values()
            if card.state == "asking" and card.consent.isVisible()]


def reading(path: Path) -> Reply:
    return Reply(tool_calls=[{"id": "call_0", "name": "read_local_file",
                              "arguments": json.dumps({"path": str(path)})}])


def test_consent_in_one_conversation_never_answers_another(
    harness: Harness, sim: Simulator, tmp_path: Path
) -> None:
    harmless, secret = tmp_path / "weather.txt", tmp_path / "secret.txt"
    harmless.write_text("sunny", encoding="utf-8")
    secret.write_text("the launch codes", encoding="utf-8")
    window = harness.open()
    store = window.store
    settings = with_enabled(ConversationSettings(), ["read_local_file"])
    first = store.create_conversation(settings.with_(region_id="intl"), "first").result()
    second = store.create_conversation(settings.with_(region_id="cn"), "second").result()
    sim.enqueue(reading(harmless), Reply(content="It is sunny."), region="intl")
    sim.enqueue(reading(secret), Reply(content="Not allowed."), region="cn")

    window.open_conversation(first)
    harness.send(window, "read the weather")
    harness.qtbot.waitUntil(lambda: len(asking(window)) == 1, timeout=10000)
    window.open_conversation(second)
    harness.send(window, "read the secret")
    harness.qtbot.waitUntil(lambda: len(window.services.tools.gate.pending()) == 2 and len(asking(window)) == 1,
                            timeout=10000)  # the prompt reaches the view a moment after the gate has it
    assert str(secret.resolve()) in asking(window)[0].consent_label.text()

    window.open_conversation(first)
    shown = asking(window)
    assert len(shown) == 1, "the prompt asked before is shown again on return"
    assert str(harmless.resolve()) in shown[0].consent_label.text()
    harness.qtbot.mouseClick(shown[0].allow_once, Qt.MouseButton.LeftButton)
    harness.qtbot.waitUntil(lambda: first not in window._tasks, timeout=10000)
    assert len(window.services.tools.gate.pending()) == 1, "the other conversation still waits"
    bodies = json.dumps([r.body for r in sim.requests])
    assert "sunny" in bodies and "launch codes" not in bodies

    window.open_conversation(second)
    harness.qtbot.mouseClick(asking(window)[0].deny, Qt.MouseButton.LeftButton)
    harness.wait_idle(window)
    assert window.services.tools.gate.pending() == []
    assert "launch codes" not in json.dumps([r.body for r in sim.requests])
    harness.close(window)
