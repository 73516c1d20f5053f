"""The context features in the real window: meter, switch offer, summary divider, retrieval, inspector."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from qwen_desktop.core.context import ContextManager
from qwen_desktop.core.types import ContextPolicy, ConversationSettings, Role
from qwen_desktop.ui.context.meter import level
from qwen_desktop.ui.context.summary_divider import SummaryDivider
from qwen_desktop.ui.main_window import MainWindow

from tests.simulator import Reply, Simulator
from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TINY = "qwen-tiny-test"
LIMIT = 400


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(model_limits={TINY: LIMIT}) as simulator:
        yield simulator


def question(i: int) -> str:
    return (f"Question {i}: tell me about topic number {i} in a few sentences, with enough words "
            f"that the history grows quickly toward the small input window of this test {i}.")


def answer(i: int) -> str:
    return (f"Answer {i}: topic number {i} is interesting because it has many facets worth "
            f"describing in some detail, which makes this reply long enough to count {i}.")


def seeded(window: MainWindow, policy: ContextPolicy, rounds: int, **params: Any) -> int:
    store = window.store
    settings = ConversationSettings(model=TINY, context_policy=policy,
                                    context_params={"max_input": LIMIT, **params})
    cid = store.create_conversation(settings, "Seeded").result()
    for i in range(rounds):
        store.add_message(cid, Role.USER, question(i))
        store.add_message(cid, Role.ASSISTANT, answer(i), model=TINY)
    store.flush().result()
    window.sidebar.refresh()
    window.open_conversation(cid)
    return cid


def manager(window: MainWindow) -> ContextManager:
    context = window.engine.context
    assert isinstance(context, ContextManager)
    return context


def test_meter_follows_typing_and_shows_the_breakdown(harness: Harness, qtbot: Any) -> None:
    window = harness.open()
    seeded(window, ContextPolicy.LAST_N, 2, n=10)
    actions = window.context_actions
    assert actions is not None
    meter = actions.meter
    qtbot.waitUntil(lambda: meter.meter is not None, timeout=10000)
    before = meter.meter.total
    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "How many words " * 12)
    qtbot.waitUntil(lambda: meter.meter.total > before + 20, timeout=5000)
    assert meter.meter.sections["new"] > 20 and meter.meter.sections["recent"] > 0
    assert "%" in meter.label.text() and "400" in meter.label.text()
    assert "New message" in meter.bar.toolTip() and "Recent rounds" in meter.bar.toolTip()
    meter.details_button.click()
    assert meter.details.isVisible() and "New message" in meter.details.text()
    computed = actions.controller.computed
    qtbot.keyClicks(window.composer.edit, "abc")
    qtbot.wait(400)
    assert actions.controller.computed <= computed + 2, "typing is debounced"
    assert level(0.5) == "ok" and level(0.75) == "amber" and level(0.95) == "red"


def test_too_long_history_warns_offers_a_switch_and_then_sends(
    harness: Harness, sim: Simulator, qtbot: Any,
) -> None:
    window = harness.open()
    cid = seeded(window, ContextPolicy.FULL, 8, n=2)
    meter = window.context_actions.meter
    window.composer.set_text("And one more question?")
    qtbot.waitUntil(lambda: meter.meter is not None and meter.meter.over, timeout=10000)
    assert meter.warning.isVisible() and meter.level() == "red"
    assert "Switch to last 2 rounds" == meter.switch_last_n.text()
    harness.send(window, "And one more question?")
    harness.wait_idle(window)
    assert "no longer fits" in meter.warning_text.text()
    assert not [r for r in sim.requests if r.kind == "chat"], "nothing was sent"
    assert len(window.store.messages(cid)) == 16, "nothing was stored"
    qtbot.mouseClick(meter.switch_last_n, Qt.MouseButton.LeftButton)
    window.store.flush().result()
    assert window.store.conversation(cid).settings.context_policy is ContextPolicy.LAST_N
    assert window.bar.context_policy.currentData() == ContextPolicy.LAST_N.value
    assert not meter.warning.isVisible()
    harness.send(window, "And one more question?")
    harness.wait_idle(window)
    reply = window.store.messages(cid)[-1]
    assert reply.role is Role.ASSISTANT and reply.context["tokens"]["total"] <= reply.context["budget"]
    qtbot.waitUntil(lambda: not meter.meter.over, timeout=5000)


def test_summary_divider_appears_after_the_threshold_and_edits_persist(
    harness: Harness, sim: Simulator, qtbot: Any,
) -> None:
    window = harness.open()
    cid = seeded(window, ContextPolicy.SUMMARY, 5, summary_threshold=0.5, summary_keep=0.5,
                 summary_max_tokens=60)
    assert window.context_actions.divider is None
    summary = Reply(content="The user asked about topics 0 to 2.")
    sim.enqueue(summary, summary, summary, summary)
    harness.send(window, "Please go on.")
    harness.wait_idle(window)
    harness.run_async(manager(window).idle())
    qtbot.waitUntil(lambda: window.context_actions.divider is not None
                    and window.context_actions.divider.record == manager(window).summaries(cid)[-1],
                    timeout=10000)
    divider = window.context_actions.divider
    record = manager(window).summaries(cid)[-1]
    assert divider.text.text() == "The user asked about topics 0 to 2."
    layout = window.view._container.layout()
    after = next(w for w in window.view.message_widgets() if w.message_id > record.last_message_id)
    assert layout.indexOf(divider) == layout.indexOf(after) - 1
    divider.toggle.click()
    assert divider.body.isVisible()
    divider.edit_button.click()
    divider.editor.setPlainText("The user studies topics 0 to 2 for an exam.")
    divider.save_button.click()
    qtbot.waitUntil(lambda: manager(window).summaries(cid)[-1].edited, timeout=5000)
    assert manager(window).summaries(cid)[-1].text == "The user studies topics 0 to 2 for an exam."
    qtbot.waitUntil(lambda: isinstance(window.context_actions.divider, SummaryDivider)
                    and window.context_actions.divider.record.edited, timeout=5000)
    window.open_conversation(cid)
    assert window.context_actions.divider.text.text() == "The user studies topics 0 to 2 for an exam."


def test_switching_to_retrieval_indexes_the_history_with_progress(
    harness: Harness, sim: Simulator, qtbot: Any,
) -> None:
    window = harness.open()
    cid = seeded(window, ContextPolicy.LAST_N, 14, n=2)
    actions = window.context_actions
    seen: list[tuple[int, int]] = []
    original = actions.progress.progress
    actions.progress.progress = lambda done, total: (seen.append((done, total)), original(done, total))
    box = window.bar.context_policy
    box.setCurrentIndex(box.findData(ContextPolicy.RETRIEVAL.value))
    box.activated.emit(box.currentIndex())
    assert actions.progress.isVisible()
    qtbot.waitUntil(lambda: actions.indexing is not None and actions.indexing.done(), timeout=10000)
    assert seen == [(10, 14), (14, 14)]
    qtbot.waitUntil(lambda: not actions.progress.isVisible(), timeout=5000)  # hidden by the task's done callback
    assert "14 earlier rounds" in window.notice.text()
    assert window.store.conversation(cid).settings.context_policy is ContextPolicy.RETRIEVAL
    assert len([r for r in sim.requests if r.kind == "embedding"]) == 2


def test_failed_indexing_falls_back_to_last_n(harness: Harness, qtbot: Any) -> None:
    window = harness.open()
    cid = seeded(window, ContextPolicy.LAST_N, 3, n=2, embedding_model="bogus-embedder")
    window.bar.context_policy.setCurrentIndex(window.bar.context_policy.findData("retrieval"))
    window.bar.context_policy.activated.emit(window.bar.context_policy.currentIndex())
    qtbot.waitUntil(lambda: window.context_actions.indexing.done(), timeout=10000)
    window.store.flush().result()
    assert window.store.conversation(cid).settings.context_policy is ContextPolicy.LAST_N
    assert window.bar.context_policy.currentData() == ContextPolicy.LAST_N.value
    assert "last 2 rounds" in window.notice.text()


def test_inspector_lists_what_a_past_reply_was_sent(harness: Harness, qtbot: Any) -> None:
    window = harness.open()
    cid = seeded(window, ContextPolicy.LAST_N, 4, n=2)
    # counts made before the tokenizer has loaded are estimates: the reply would record those
    qtbot.waitUntil(lambda: manager(window).counter.settled, timeout=20000)
    harness.send(window, "What did we discuss?")
    harness.wait_idle(window)
    reply = window.store.messages(cid)[-1]
    widget = window.view.widget_for(reply.id)
    assert widget.context_button.isVisible()
    qtbot.mouseClick(widget.context_button, Qt.MouseButton.LeftButton)
    inspector = window.context_actions.inspector
    assert inspector is not None and inspector.isVisible()
    sections = inspector.section_items()
    recent, dropped, new = sections["recent"], sections["not_sent"], sections["new"]
    assert recent.childCount() == 4 and dropped.childCount() == 4 and new.childCount() == 1
    assert "Question 2" in recent.child(0).text(0) and "Question 0" in dropped.child(0).text(0)
    assert int(recent.text(1).replace(",", "")) == reply.context["tokens"]["recent"] > 0
    assert sum(int(recent.child(i).text(1).replace(",", "")) for i in range(4)) == reply.context["tokens"]["recent"]
    assert "What did we discuss?" in new.child(0).text(0)
    inspector.close()
    window.composer.set_text("Next one")
    window.context_actions.meter.inspect_button.click()
    upcoming = window.context_actions.inspector
    assert upcoming is not inspector and upcoming.section_items()["recent"].childCount() == 4
    assert "Next one" in upcoming.section_items()["new"].child(0).text(0)


def test_meter_and_inspector_count_an_earlier_image(harness: Harness, qtbot: Any) -> None:
    from qwen_desktop.core.images import prepare_image
    from qwen_desktop.core.tokens import image_tokens

    from tests.core.test_images import encoded, picture

    window = harness.open()
    attachments = window.engine.attachments
    assert attachments is not None
    ref = attachments.save(prepare_image(encoded(picture((800, 600)), "PNG"), "photo.png"))
    store = window.store
    cid = store.create_conversation(ConversationSettings(model="qwen-vl-max"), "Photo").result()
    store.add_message(cid, Role.USER, "What is this?", attachments=[ref])
    store.add_message(cid, Role.ASSISTANT, "A red and blue picture.", model="qwen-vl-max")
    store.flush().result()
    window.sidebar.refresh()
    window.open_conversation(cid)
    meter = window.context_actions.meter
    qtbot.waitUntil(lambda: meter.meter is not None and meter.meter.sections.get("images", 0) > 0, timeout=10000)
    image = image_tokens(800, 600, 28)
    assert meter.meter.sections["images"] == image and meter.meter.total > image
    meter.inspect_button.click()
    inspector = window.context_actions.inspector
    assert inspector is not None
    assert int(inspector.section_items()["recent"].text(1).replace(",", "")) > image
    assert inspector.inspection.tokens["total"] == meter.meter.total, "what will be sent agrees with the meter"


def test_meter_counts_an_image_waiting_in_the_composer(harness: Harness, qtbot: Any) -> None:
    from qwen_desktop.core.images import prepare_image
    from qwen_desktop.core.tokens import image_tokens

    from tests.core.test_images import encoded, picture

    window = harness.open()
    cid = window.store.create_conversation(ConversationSettings(model="qwen-vl-max"), "Photo").result()
    window.sidebar.refresh()
    window.open_conversation(cid)
    meter = window.context_actions.meter
    qtbot.waitUntil(lambda: meter.meter is not None, timeout=10000)
    window.composer.tray.add([prepare_image(encoded(picture((800, 600)), "PNG"), "photo.png")])
    image = image_tokens(800, 600, 28)
    qtbot.waitUntil(lambda: meter.meter.sections.get("images") == image, timeout=5000)
    assert meter.meter.sections["new"] > image
    meter.inspect_button.click()
    inspector = window.context_actions.inspector
    assert inspector is not None and inspector.inspection.tokens["total"] == meter.meter.total
