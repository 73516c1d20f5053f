"""A conversation shown from its outline: pages read near the viewport, every message still reachable."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Sequence  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402
from qwen_desktop.core.storage import Message  # noqa: E402
from qwen_desktop.core.storage.tree import Versions  # noqa: E402
from qwen_desktop.core.types import Role  # noqa: E402
from qwen_desktop.ui.chat import view as chat_view  # noqa: E402
from qwen_desktop.ui.chat.messages import AssistantMessageWidget, UserMessageWidget  # noqa: E402
from qwen_desktop.ui.chat.view import MessageView  # noqa: E402
from tests.ui.chat.test_view import make_message  # noqa: E402

COUNT = 400
"""Questions, answers and, after every tenth answer, the result of the tool it called."""


class Stored:
    """Messages by id, read the way the store's ``messages_by_id`` reads them; counts what was read."""

    def __init__(self, messages: Sequence[Message]) -> None:
        self.by_id = {m.id: m for m in messages}
        self.ids = [m.id for m in messages]
        self.roles = [m.role for m in messages]
        self.read: list[int] = []

    def load(self, ids: Sequence[int]) -> list[Message]:
        self.read.extend(ids)
        return [self.by_id[mid] for mid in ids if mid in self.by_id]


def thread(count: int = COUNT) -> list[Message]:
    out: list[Message] = []
    mid = 0
    for n in range(count):
        mid += 1
        if n % 2 == 0:
            out.append(make_message(mid, Role.USER, f"Question {mid}?"))
            continue
        calls = n % 20 == 1
        meta = {"tool_calls": [{"id": f"call{mid}", "name": "clock", "arguments": "{}"}]} if calls else {}
        out.append(make_message(mid, Role.ASSISTANT, f"Answer {mid}.\n\nWith a second paragraph.", meta=meta))
        if calls:
            mid += 1
            out.append(make_message(mid, Role.TOOL, f"tool result {mid}", meta={"tool_call_id": f"call{mid - 1}"}))
    return out


def shown_ids(stored: Stored) -> list[int]:
    return [mid for mid, role in zip(stored.ids, stored.roles) if role is not Role.TOOL]


def test_opening_reads_only_the_newest_page(view: MessageView, qtbot: QtBot) -> None:
    stored = Stored(thread())
    view.set_outline(stored.ids, stored.roles, {}, stored.load)
    qtbot.waitUntil(lambda: not view.building)
    assert len(set(stored.read)) <= 2 * chat_view.PAGE + 10
    assert view.message_widgets()[-1].message_id == shown_ids(stored)[-1]


def test_every_message_is_reachable_by_scrolling_up_with_its_tool_result(view: MessageView, qtbot: QtBot) -> None:
    stored = Stored(thread(3 * chat_view.PAGE + 20))
    versions = {4: Versions((4, 9_999), 1)}
    view.set_outline(stored.ids, stored.roles, versions, stored.load)
    qtbot.waitUntil(lambda: not view.building)
    bar = view.scroll_bar()
    seen: set[int] = set()
    for _ in range(5_000):
        seen.update(w.message_id for w in view.message_widgets())
        if view.message_widgets()[0].message_id == stored.ids[0] and bar.value() == 0:
            break
        bar.setValue(max(0, bar.value() - 700))
        QApplication.processEvents()
    assert seen == set(shown_ids(stored))
    oldest_call = view.widget_for(2)
    assert isinstance(oldest_call, AssistantMessageWidget)
    assert oldest_call.tool_cards["call2"].result == "tool result 3"
    assert view.widget_for(3) is None
    versioned = view.widget_for(4)
    assert versioned is not None and not versioned.switcher.isHidden()
    assert view.widget_for(1) is not None and view.widget_for(1).switcher.isHidden()


def test_search_jump_reaches_an_unread_message(view: MessageView, qtbot: QtBot) -> None:
    messages = thread()
    messages[5] = make_message(messages[5].id, Role.USER, "Where is the Needle hidden?")
    stored = Stored(messages)
    view.set_outline(stored.ids, stored.roles, {}, stored.load)
    qtbot.waitUntil(lambda: not view.building)
    assert messages[5].id not in stored.read
    view.highlight("needle")
    widget = view.widget_for(messages[5].id)
    assert isinstance(widget, UserMessageWidget)
    assert widget.text_view.extraSelections()[0].cursor.selectedText() == "Needle"


def test_alt_up_walks_past_the_first_page(view: MessageView, qtbot: QtBot) -> None:
    stored = Stored(thread())
    view.set_outline(stored.ids, stored.roles, {}, stored.load)
    qtbot.waitUntil(lambda: not view.building)
    steps = chat_view.PAGE + 10
    reached = None
    for _ in range(steps):
        reached = view.step_focus(False)
        QApplication.processEvents()
    shown = shown_ids(stored)
    assert reached is not None and reached.message_id == shown[-steps]


def test_messages_added_after_opening_from_an_outline(view: MessageView, qtbot: QtBot) -> None:
    stored = Stored(thread(60))
    view.set_outline(stored.ids, stored.roles, {}, stored.load)
    qtbot.waitUntil(lambda: not view.building)
    question = make_message(10_000, Role.USER, "A new question")
    view.add_message(question)
    view.begin_reply(10_001, "qwen-plus")
    view.append_content(10_001, "The new answer")
    view.finish_reply(make_message(10_001, Role.ASSISTANT, "The new answer"))
    assert [w.message_id for w in view.message_widgets()][-2:] == [10_000, 10_001]
    view.remove_from(10_000)
    assert view.message_widgets()[-1].message_id == shown_ids(stored)[-1]


def test_a_long_stored_reply_renders_in_steps_up_to_a_limit_and_the_rest_on_request(
    view: MessageView, qtbot: QtBot,
) -> None:
    from qwen_desktop.ui.chat.messages import STORED_SHOWN_CHARS

    section = "## Part {n}\n\nSome *prose* for part {n}.\n\n```python\nprint({n})\n```\n\n"
    source = "".join(section.format(n=n) for n in range(2 * STORED_SHOWN_CHARS // len(section)))
    source += "The very last sentence."
    view.set_messages([make_message(1, Role.USER, "Write a lot."), make_message(2, Role.ASSISTANT, source)])
    reply = view.widget_for(2)
    assert isinstance(reply, AssistantMessageWidget)
    assert reply.text_view.has_steps, "the reply is not rendered whole when it is shown"
    qtbot.waitUntil(lambda: not reply.text_view.has_steps)
    held = reply.text_view.held_chars
    assert 0 < held < len(source) - STORED_SHOWN_CHARS + len(section)
    assert reply.rest_button is not None and not reply.rest_button.isHidden()
    assert f"{held:,}" in reply.rest_button.text()
    shown = reply.text_view.toPlainText()
    assert "Part 0" in shown and "```" not in shown and "##" not in shown
    assert "The very last sentence." not in shown
    reply.rest_button.click()
    qtbot.waitUntil(lambda: not reply.text_view.has_steps and not reply.text_view.held_chars)
    assert reply.rest_button.isHidden()
    assert "The very last sentence." in reply.text_view.toPlainText()
    assert reply.text_view.code_blocks == [f"print({n})" for n in range(len(reply.text_view.code_blocks))]
    assert len(reply.text_view.code_blocks) == source.count("```python")
    reply.copy_button.click()
    assert QApplication.clipboard().text() == source


def test_search_in_a_held_part_of_a_long_reply_shows_it(view: MessageView, qtbot: QtBot) -> None:
    from qwen_desktop.ui.chat.messages import STORED_SHOWN_CHARS

    source = "Filler paragraph of words.\n\n" * (2 * STORED_SHOWN_CHARS // 28) + "A hidden Needle at the end."
    view.set_messages([make_message(1, Role.USER, "Q"), make_message(2, Role.ASSISTANT, source)])
    reply = view.widget_for(2)
    assert isinstance(reply, AssistantMessageWidget)
    qtbot.waitUntil(lambda: not reply.text_view.has_steps)
    assert reply.text_view.held_chars
    view.highlight("needle")
    assert reply.text_view.extraSelections()[0].cursor.selectedText() == "Needle"
