"""Text arriving faster than the window can lay it out: shown in order over several turns of the
event loop, nothing lost, the view following the bottom, the reply finished once all is shown."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import random  # noqa: E402

import pytest  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402
from qwen_desktop.core.types import Role  # noqa: E402
from qwen_desktop.ui.chat.messages import AssistantMessageWidget  # noqa: E402
from qwen_desktop.ui.chat.markdown import MarkdownRenderer  # noqa: E402
from qwen_desktop.ui.chat.text import TAIL_RENDER_LIMIT, WAITING_LIMIT, MessageTextView  # noqa: E402
from qwen_desktop.ui.chat.view import FINISH_AT_ONCE_CHARS, MessageView  # noqa: E402

from tests.ui.chat.test_live_paragraphs import wall_of_text  # noqa: E402
from tests.ui.chat.test_view import make_message  # noqa: E402


def paragraphs_reply(chars: int) -> str:
    rng = random.Random(5)
    parts, size = [], 0
    while size < chars:
        part = wall_of_text(rng.randint(200, 900), seed=rng.randint(0, 10_000))
        if rng.random() < 0.2:
            part = "## " + part[:40].strip()
        parts.append(part)
        size += len(part) + 2
    return "\n\n".join(parts)


def test_a_backlog_is_shown_in_order_and_the_reply_finishes_once_it_is(view: MessageView, qtbot: QtBot) -> None:
    reasoning = wall_of_text(8_000, seed=4)
    answer = paragraphs_reply(2 * FINISH_AT_ONCE_CHARS)
    view.begin_reply(1, "qwen-plus")
    for start in range(0, len(reasoning), 31):
        view.append_reasoning(1, reasoning[start:start + 31])
    for start in range(0, len(answer), 61):
        view.append_content(1, answer[start:start + 61])
    view.finish_reply(make_message(1, Role.ASSISTANT, answer, reasoning=reasoning))
    widget = view.widget_for(1)
    assert isinstance(widget, AssistantMessageWidget)
    assert widget.message is None, "the reply finishes only once its text is shown"
    qtbot.waitUntil(lambda: widget.message is not None, timeout=60_000)
    assert widget.source == answer
    shown = widget.text_view.toPlainText().replace("## ", "")
    assert shown.split() == answer.replace("## ", "").split(), "all of it, in order"
    assert widget.thinking is not None and widget.thinking.body.toPlainText() == reasoning
    assert widget.full_render_count == 0, "the blocks rendered while streaming are kept"
    assert widget.text_view.block_render_count > 10
    bar = view.scroll_bar()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() > 0)


def test_a_new_stream_into_a_reply_still_finishing_keeps_its_text(view: MessageView, qtbot: QtBot) -> None:
    answer = paragraphs_reply(2 * FINISH_AT_ONCE_CHARS)
    view.begin_reply(1, "qwen-plus")
    view.append_content(1, answer)
    view.finish_reply(make_message(1, Role.ASSISTANT, answer))
    view.begin_reply(1, "qwen-plus")
    view.append_content(1, "\n\nMore.")
    view.finish_reply(make_message(1, Role.ASSISTANT, answer + "\n\nMore."))
    widget = view.widget_for(1)
    assert isinstance(widget, AssistantMessageWidget)
    assert widget.source == answer + "\n\nMore."
    qtbot.waitUntil(lambda: not widget.text_view.streaming, timeout=60_000)
    assert widget.text_view.toPlainText().split()[-1] == "More."


def test_an_error_during_the_backlog_shows_the_partial_reply_whole(view: MessageView) -> None:
    answer = paragraphs_reply(2 * FINISH_AT_ONCE_CHARS)
    view.begin_reply(1, "qwen-plus")
    view.append_content(1, answer)
    view.finish_reply(make_message(1, Role.ASSISTANT, answer))
    view.show_error(1, {"kind": "connection_dropped", "sentence": "The connection dropped."}, True)
    widget = view.widget_for(1)
    assert isinstance(widget, AssistantMessageWidget)
    assert widget.message is not None
    assert widget.text_view.toPlainText().replace("## ", "").split() == answer.replace("## ", "").split()


def test_a_huge_unbroken_tail_stays_as_shown_when_the_reply_ends(view: MessageView) -> None:
    answer = wall_of_text(TAIL_RENDER_LIMIT + 8_000, seed=6)
    view.begin_reply(1, "qwen-plus")
    for start in range(0, len(answer), 2_000):
        view.append_content(1, answer[start:start + 2_000])
        view.flush()
    widget = view.widget_for(1)
    assert isinstance(widget, AssistantMessageWidget)
    shown = widget.text_view.toPlainText()
    view.finish_reply(make_message(1, Role.ASSISTANT, answer))
    assert widget.text_view.toPlainText() == shown, "not laid out again as one paragraph"
    assert widget.text_view.document().blockCount() > 10
    assert shown.split() == answer.split()


def test_rendering_a_long_wait_lays_each_block_out_a_bounded_number_of_times(qtbot: QtBot) -> None:
    view = MessageTextView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    renderer = MarkdownRenderer()
    text = "".join(f"Paragraph {i} " + "word " * 60 + "\n\n" for i in range(70))
    assert len(text) < WAITING_LIMIT
    added: list[int] = []
    view.document().contentsChange.connect(lambda _position, _removed, count: added.append(count))
    view.begin_stream()
    view.append_stream(text, renderer, deadline=0.0)  # out of time: every block waits as plain text
    assert view.block_render_count == 0
    while view.has_backlog:
        view.render_backlog(renderer, deadline=0.0)  # one block a turn
    assert view.block_render_count == 69, "the last paragraph is the unfinished tail"
    assert sum(added) < 5 * len(text), "waiting text is not inserted again for every block rendered"
    view.finish_stream(renderer)
    assert view.toPlainText().split() == text.split()


def test_a_flood_of_waiting_blocks_keeps_the_oldest_as_shown(qtbot: QtBot) -> None:
    view = MessageTextView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    renderer = MarkdownRenderer()
    text = "".join(f"## Part {i}\n\nSome **bold** words " + "word " * 60 + "\n\n" for i in range(200))
    view.begin_stream()
    view.append_stream(text, renderer, deadline=0.0)
    while view.has_backlog:
        view.render_backlog(renderer, deadline=0.0)
    assert 0 < view.block_render_count < 399, "the oldest waiting blocks were left as shown"
    assert view.backlog_chars == 0
    shown = view.toPlainText()
    assert "## Part 0" in shown, "left as plain text"
    assert "## Part 198" not in shown, "the newest blocks are rendered"
    view.finish_stream(renderer)
    assert view.toPlainText().replace("## ", "").replace("**", "").split() == \
        text.replace("## ", "").replace("**", "").split()
