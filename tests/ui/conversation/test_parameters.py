"""The generation parameters in the conversation bar's popup, and what a window sends with them."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from qwen_desktop.core.generation import GenerationParams
from qwen_desktop.core.types import ConversationSettings, ThinkingMode
from qwen_desktop.ui.conversation.bar import ConversationSettingsBar

from tests.simulator import Reply, Simulator
from tests.ui.conversation.test_bar import bar  # noqa: F401  (fixture)
from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_each_parameter_is_default_until_set_and_reset_returns_there(
    bar: ConversationSettingsBar, qtbot: QtBot,  # noqa: F811
) -> None:
    seen: list[ConversationSettings] = []
    bar.settingsChanged.connect(seen.append)
    editor = bar.extras.generation
    assert editor.params() == GenerationParams()
    editor.top_p.default.click()
    editor.top_p.box.setValue(0.6)
    editor.seed.default.click()
    editor.seed.box.setValue(99)
    editor.json_mode.click()
    editor.stop.setPlainText("END\nSTOP")
    bar.extras.closed.emit()
    bar.extras.generationEdited.emit()
    assert seen[-1].generation == GenerationParams(top_p=0.6, seed=99, stop=("END", "STOP"), json_mode=True)
    editor.reset.click()
    assert seen[-1].generation == GenerationParams()
    assert editor.top_p.default.isChecked() and not editor.top_p.box.isEnabled()


def test_json_mode_is_locked_while_thinking(bar: ConversationSettingsBar) -> None:  # noqa: F811
    bar.set_settings(ConversationSettings(model="qwen-plus", thinking=ThinkingMode.ON,
                                          generation=GenerationParams(json_mode=True)))
    json_mode = bar.extras.generation.json_mode
    assert not json_mode.isEnabled() and not json_mode.isChecked()
    assert "thinking off" in json_mode.toolTip()


@pytest.mark.parametrize("protocol", ["openai", "dashscope"])
def test_the_window_sends_what_the_popup_set(harness: Harness, sim: Simulator, protocol: str) -> None:
    from qwen_desktop.core.types import Protocol

    window = harness.open()
    window.bar.set_settings(window.current_settings().with_(protocol=Protocol(protocol)))
    window._settings_changed(window.bar.settings())
    editor = window.bar.extras.generation
    editor.max_tokens.default.click()
    editor.max_tokens.box.setValue(128)
    editor.top_k.default.click()
    editor.top_k.box.setValue(7)
    sim.enqueue(Reply(content="short"))
    harness.send(window, "Hello")
    harness.wait_idle(window, timeout=30000)
    body = [r.body for r in sim.requests if isinstance(r.body, dict) and ("messages" in r.body or "input" in r.body)][-1]
    sent = body if protocol == "openai" else body["parameters"]
    assert sent["max_tokens"] == 128 and sent["top_k"] == 7 and "top_p" not in sent and "seed" not in sent


def test_the_inspector_shows_the_parameters_a_reply_was_sent_with(harness: Harness, sim: Simulator, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    window = harness.open()
    settings = window.current_settings().with_(
        temperature=0.3, generation=GenerationParams(top_p=0.8, stop=("END",), json_mode=True))
    window.bar.set_settings(settings)
    window._settings_changed(settings)
    window.context_actions.inspect_next()
    planned = window.context_actions.inspector
    assert planned is not None
    assert 'Parameters sent: temperature 0.3 · top_p 0.8 · stop "END" · JSON mode' in planned.notes.text()
    planned.close()
    sim.enqueue(Reply(content='{"a": 1}'))
    harness.send(window, "JSON please")
    harness.wait_idle(window, timeout=30000)
    reply = window.store.messages(window.current_id)[-1]
    qtbot.mouseClick(window.view.widget_for(reply.id).context_button, Qt.MouseButton.LeftButton)
    inspector = window.context_actions.inspector
    assert inspector is not None
    assert "top_p 0.8" in inspector.notes.text() and "JSON mode" in inspector.notes.text()
    inspector.close()
