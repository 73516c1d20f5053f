"""A Responses API conversation in the real window: the service's tool cards, the held history in
the meter and the inspector, and the offer to switch protocol when a model refuses the API."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from qwen_desktop.core.types import Protocol
from qwen_desktop.ui.main_window import MainWindow

from tests.simulator import Simulator
from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def cards(window: MainWindow) -> list[Any]:
    return [card for w in window.view.message_widgets() for card in getattr(w, "tool_cards", {}).values()]


def use_responses(window: MainWindow, model: str) -> None:
    index = window.bar.protocol.findData(Protocol.RESPONSES.value)
    assert index >= 0 and "Responses API" in window.bar.protocol.itemText(index)
    window.bar.protocol.setCurrentIndex(index)
    window.bar.protocol.activated.emit(index)
    window.bar.model.setEditText(model)
    window._apply_settings(window.current_settings().with_(model=model))


def test_service_tools_are_cards_and_the_held_history_is_explained(
    harness: Harness, sim: Simulator, qtbot: Any
) -> None:
    window = harness.open()
    use_responses(window, "qwen3-max")
    actions = {a.data(): a for a in window.bar.tools.menu().actions()}
    actions["service:web_search"].trigger()
    actions["service:code_interpreter"].trigger()
    assert window.bar.tools.text().endswith("(2)")
    harness.send(window, "Search the latest news and calculate 6 times 7")
    harness.wait_idle(window)
    body = sim.requests[-1].body
    assert body["tools"] == [{"type": "web_search"}, {"type": "code_interpreter"}]
    search, code = cards(window)
    assert search.state == "done" and "https://example.com/one" in search.result_view.text()
    assert code.state == "done" and code.result_view.text().strip() == "42"
    assert "print(6 * 7)" in code.arguments_view.text()
    cid = window.current_id

    harness.send(window, "And what else?")
    harness.wait_idle(window)
    chained = sim.requests[-1].body
    assert chained["previous_response_id"] and chained["input"] == [
        {"role": "user", "content": "And what else?"}]
    reply = window.store.messages(cid)[-1]
    widget = window.view.widget_for(reply.id)
    qtbot.mouseClick(widget.context_button, Qt.MouseButton.LeftButton)
    inspector = window.context_actions.inspector
    assert inspector is not None
    assert inspector.section_items()["held"].childCount() == 2
    notes = inspector.notes.text()
    assert "only the new message is sent" in notes
    assert f"reported {reply.usage.input_tokens}" in notes.replace(",", "")
    inspector.close()
    window.composer.set_text("Third")
    meter = window.context_actions.meter
    qtbot.waitUntil(lambda: "the service keeps 4 earlier messages" in meter.label.text(), timeout=5000)

    sim.responses.expire()
    harness.send(window, "Third")
    harness.wait_idle(window)
    assert "previous_response_id" not in sim.requests[-1].body
    reply = window.store.messages(cid)[-1]
    assert reply.error is None
    widget = window.view.widget_for(reply.id)
    qtbot.mouseClick(widget.context_button, Qt.MouseButton.LeftButton)
    inspector = window.context_actions.inspector
    assert inspector is not None and "held" not in inspector.section_items()
    assert "no longer kept the earlier turns" in inspector.notes.text()
    assert inspector.section_items()["recent"].childCount() == 4
    inspector.close()
    harness.close(window)

    again = harness.open()
    restored = cards(again)
    assert [c.state for c in restored] == ["done", "done"]
    assert restored[1].result_view.text().strip() == "42"


def test_a_refusing_model_offers_to_switch_protocol_and_asks_again(
    harness: Harness, sim: Simulator, qtbot: Any
) -> None:
    window = harness.open()
    use_responses(window, "qwen-turbo")
    harness.send(window, "Hello there")
    harness.wait_idle(window)
    reply = window.store.messages(window.current_id)[-1]
    panel = window.view.widget_for(reply.id).error_panel
    assert panel is not None and panel.isVisible()
    assert "Responses API" in panel.sentence.text()
    assert panel.leave_responses_button.isVisible()
    qtbot.mouseClick(panel.leave_responses_button, Qt.MouseButton.LeftButton)
    harness.wait_idle(window)
    assert window.store.conversation(window.current_id).settings.protocol is Protocol.OPENAI
    assert sim.requests[-1].path.endswith("/chat/completions")
    messages = window.store.messages(window.current_id)
    assert messages[-1].content == "You said: Hello there" and messages[-1].error is None
    window.notice.hide()
    use_responses(window, "qwen-turbo")
    assert window.notice.isVisible() and "does not take the Responses API" in window.notice.text()
