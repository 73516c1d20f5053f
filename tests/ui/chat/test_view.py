from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QEvent, QPoint, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QColor, QDesktopServices, QPalette, QTextCursor, QTextDocument  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolButton  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402
from qwen_desktop.core.storage import Message  # noqa: E402
from qwen_desktop.core.types import MessageStatus, Role, Usage  # noqa: E402
from qwen_desktop.ui.chat import view as chat_view  # noqa: E402
from qwen_desktop.ui.chat.messages import FULL_RENDER_LIMIT, AssistantMessageWidget, MessageWidget, UserMessageWidget  # noqa: E402
from qwen_desktop.ui.chat.text import MessageTextView  # noqa: E402
from qwen_desktop.ui.chat.view import MessageView  # noqa: E402

CODE = 'def greet(name):\n    return f"Hello {name}"  # <b>not bold</b>'
REPLY = f"# Answer\n\nSome text.\n\n```python\n{CODE}\n```\n\nAnd a second block:\n\n```\nplain  spaced\ttext\n```\n"


def make_message(message_id: int, role: Role, content: str, **changes: Any) -> Message:
    fields: dict[str, Any] = {
        "id": message_id,
        "conversation_id": 1,
        "role": role,
        "content": content,
        "reasoning": "",
        "attachments": [],
        "usage": None,
        "status": MessageStatus.COMPLETE,
        "error": None,
        "model": "qwen-plus" if role == Role.ASSISTANT else None,
        "created_at": 0.0,
        "updated_at": 0.0,
        "reasoning_ms": None,
        "context": None,
        "meta": {},
    }
    fields.update(changes)
    return Message(**fields)


def conversation(count: int) -> list[Message]:
    long_answer = "\n\n".join(f"Paragraph {n} of the answer with enough words to wrap." for n in range(4))
    return [
        make_message(i, Role.USER, f"Question number {i}?")
        if i % 2 == 0
        else make_message(i, Role.ASSISTANT, f"Answer {i}.\n\n{long_answer}")
        for i in range(count)
    ]


def assistant(view: MessageView, message_id: int) -> AssistantMessageWidget:
    widget = view.widget_for(message_id)
    assert isinstance(widget, AssistantMessageWidget)
    return widget


def words(text: str) -> list[str]:
    return text.split()


def anchor_point(browser: MessageTextView, href: str) -> QPoint:
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(browser.document())
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                return browser.cursorRect(cursor).center()
            it += 1
        block = block.next()
    raise AssertionError(f"no anchor {href}")


def test_view_names(view: MessageView) -> None:
    assert view.objectName() == "messageView"
    assert view.accessibleName() == "messageView"


def test_streaming_appends_incrementally_and_renders_once(view: MessageView, qtbot: QtBot) -> None:
    view.begin_reply(7, "qwen-plus")
    chunks = [f"w{i} " + ("\n\n" if i % 100 == 99 else "") for i in range(2000)]
    widget = assistant(view, 7)
    for i, chunk in enumerate(chunks):
        view.append_content(7, chunk)
        if i % 25 == 24:
            view.flush()
        if i % 200 == 199:
            QApplication.processEvents()
            assert widget.full_render_count == 0
            assert words(widget.text_view.toPlainText()) == words("".join(chunks[: i + 1]))
    view.flush()
    assert widget.full_render_count == 0
    assert widget.text_view.block_render_count <= 20
    view.finish_reply(make_message(7, Role.ASSISTANT, "".join(chunks), usage=Usage(10, 2000)))
    assert widget.full_render_count == 1
    assert words(widget.text_view.toPlainText()) == words("".join(chunks))


def test_chunks_are_coalesced_on_a_timer(view: MessageView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    view.begin_reply(1, "qwen-plus")
    widget = assistant(view, 1)
    calls: list[str] = []
    original = widget.append_content
    monkeypatch.setattr(widget, "append_content", lambda text, *rest: (calls.append(text), original(text, *rest)))
    for i in range(500):
        view.append_content(1, f"{i} ")
    assert calls == []
    qtbot.waitUntil(lambda: bool(calls), timeout=1000)
    assert len(calls) == 1
    assert words(widget.text_view.toPlainText()) == [str(i) for i in range(500)]


def test_streamed_markdown_blocks_render_while_streaming(view: MessageView, qtbot: QtBot) -> None:
    view.begin_reply(1, "qwen-plus")
    for char in REPLY:
        view.append_content(1, char)
    view.flush()
    widget = assistant(view, 1)
    assert widget.text_view.code_blocks == [CODE, "plain  spaced\ttext"]
    assert "```" not in widget.text_view.toPlainText()
    assert widget.full_render_count == 0
    view.finish_reply(make_message(1, Role.ASSISTANT, REPLY))
    assert widget.text_view.code_blocks == [CODE, "plain  spaced\ttext"]
    assert widget.full_render_count == 1


BURST = "".join(
    f"Paragraph **{n}** of a burst.\n\n" if n % 3 else f"```python\nvalue_{n} = {n}\n```\n\n" for n in range(12)
) + "A tail still streaming"


def reference_html(view: MessageView, source: str) -> tuple[str, list[str]]:
    """The document a view shows for ``source`` streamed and flushed with no time limit."""
    view.begin_reply(99, "qwen-plus")
    view.append_content(99, source)
    view.flush()
    text_view = assistant(view, 99).text_view
    assert not text_view.has_backlog
    return text_view.toHtml(), list(text_view.code_blocks)


def test_blocks_finished_past_the_deadline_wait_as_plain_text(view: MessageView, qtbot: QtBot) -> None:
    view.begin_reply(1, "qwen-plus")
    widget = assistant(view, 1)
    text_view = widget.text_view
    widget.append_content(BURST, 0.0)
    assert text_view.block_render_count == 0
    assert text_view.has_backlog
    shown = text_view.toPlainText()
    assert "**11**" in shown and "value_9 = 9" in shown and shown.endswith("A tail still streaming")
    widget.append_content(" and more", 0.0)
    assert text_view.block_render_count == 0
    assert text_view.toPlainText().endswith("A tail still streaming and more")
    rendered = [text_view.block_render_count]
    while text_view.has_backlog:
        widget.render_backlog(0.0)
        rendered.append(text_view.block_render_count)
    assert rendered == list(range(13))
    assert "**" not in text_view.toPlainText() and "```" not in text_view.toPlainText()
    assert (text_view.toHtml(), text_view.code_blocks) == reference_html(view, BURST + " and more")


def test_timer_flushes_render_a_burst_over_several_turns(
    view: MessageView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat_view, "SLICE_S", 0.0)
    deadlines: list[float | None] = []
    original = MessageTextView.append_stream

    def recording(self: MessageTextView, text: str, renderer: Any, deadline: float | None = None) -> None:
        deadlines.append(deadline)
        original(self, text, renderer, deadline)

    monkeypatch.setattr(MessageTextView, "append_stream", recording)
    slices: list[int] = []
    render_backlog = MessageTextView.render_backlog

    def counting(self: MessageTextView, renderer: Any, deadline: float | None = None) -> None:
        render_backlog(self, renderer, deadline)
        slices.append(self.block_render_count)

    monkeypatch.setattr(MessageTextView, "render_backlog", counting)
    view.begin_reply(1, "qwen-plus")
    text_view = assistant(view, 1).text_view
    view.append_content(1, BURST)
    qtbot.waitUntil(lambda: text_view.block_render_count >= 1)
    qtbot.waitUntil(lambda: not text_view.has_backlog)
    assert deadlines and deadlines[0] is not None
    assert text_view.block_render_count == 12
    assert slices == list(range(1, 13)), "one block per turn when the slice is spent"
    assert (text_view.toHtml(), text_view.code_blocks) == reference_html(view, BURST)


def test_finishing_renders_whatever_still_waits(view: MessageView, qtbot: QtBot) -> None:
    source = "".join(f"Paragraph **{n}** " + "word " * 60 + "\n\n" for n in range(60)) + BURST
    assert len(source) > FULL_RENDER_LIMIT
    view.begin_reply(1, "qwen-plus")
    widget = assistant(view, 1)
    widget.append_content(source, 0.0)
    assert widget.text_view.has_backlog
    widget.finish(make_message(1, Role.ASSISTANT, source))
    assert not widget.text_view.has_backlog
    assert widget.full_render_count == 0
    assert widget.text_view.block_render_count == 73
    assert widget.text_view.code_blocks == [f"value_{n} = {n}" for n in range(0, 12, 3)]
    assert "**" not in widget.text_view.toPlainText()
    assert widget.text_view.toPlainText().endswith("A tail still streaming")


def test_thinking_collapses_when_answer_starts(view: MessageView, qtbot: QtBot) -> None:
    view.begin_reply(3, "qwen-plus")
    view.append_reasoning(3, "Let me think about this.")
    view.flush()
    thinking = assistant(view, 3).thinking
    assert thinking is not None
    assert thinking.expanded and thinking.body.isVisibleTo(thinking)
    assert thinking.toggle.text().startswith("Thinking…")
    assert thinking.body.toPlainText() == "Let me think about this."
    view.append_content(3, "The answer.")
    view.flush()
    assert not thinking.expanded and not thinking.body.isVisibleTo(thinking)
    assert thinking.toggle.text().startswith("Thought for")
    view.finish_reply(
        make_message(
            3,
            Role.ASSISTANT,
            "The answer.",
            reasoning="Let me think about this.",
            reasoning_ms=12400,
            usage=Usage(10, 5, 812, 0),
        )
    )
    assert thinking.toggle.text() == "Thought for 12.4 s · 812 tokens"
    assert not thinking.expanded


def test_thinking_stays_open_when_user_toggled(view: MessageView, qtbot: QtBot) -> None:
    view.begin_reply(3, "qwen-plus")
    view.append_reasoning(3, "Hmm.")
    view.flush()
    thinking = assistant(view, 3).thinking
    assert thinking is not None
    qtbot.mouseClick(thinking.toggle, Qt.MouseButton.LeftButton)
    assert not thinking.expanded
    qtbot.mouseClick(thinking.toggle, Qt.MouseButton.LeftButton)
    assert thinking.expanded
    view.append_content(3, "Answer.")
    view.flush()
    assert thinking.expanded
    final = make_message(3, Role.ASSISTANT, "Answer.", reasoning="Hmm.")
    view.finish_reply(final)
    assert thinking.expanded
    view.set_messages([make_message(2, Role.USER, "q"), final])
    rebuilt = assistant(view, 3).thinking
    assert rebuilt is not None and rebuilt is not thinking
    assert rebuilt.expanded


def test_copy_link_copies_exact_code(view: MessageView, qtbot: QtBot) -> None:
    view.add_message(make_message(5, Role.ASSISTANT, REPLY))
    browser = assistant(view, 5).text_view
    QApplication.processEvents()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=anchor_point(browser, "copy:0"))
    assert QApplication.clipboard().text() == CODE
    assert "Copied" in browser.toPlainText()
    browser.anchorClicked.emit(QUrl("copy:1"))
    assert QApplication.clipboard().text() == "plain  spaced\ttext"


def test_copy_button_copies_markdown_source(view: MessageView, qtbot: QtBot) -> None:
    view.add_message(make_message(5, Role.ASSISTANT, REPLY))
    qtbot.mouseClick(assistant(view, 5).copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == REPLY


def test_follows_bottom_unless_scrolled_up(view: MessageView, qtbot: QtBot) -> None:
    view.set_messages(conversation(12))
    bar = view.scroll_bar()
    qtbot.waitUntil(lambda: not view.building and bar.maximum() > 0 and bar.value() == bar.maximum())
    view.begin_reply(100, "qwen-plus")

    def stream(lines: int) -> None:
        for n in range(lines):
            view.append_content(100, f"line {n} of the streaming reply\n\n")
        view.flush()

    stream(20)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    assert view.following
    bar.setValue(bar.maximum() - 600)
    assert not view.following
    held, old_max = bar.value(), bar.maximum()
    stream(20)
    qtbot.waitUntil(lambda: bar.maximum() > old_max)
    assert bar.value() == held
    bar.setValue(bar.maximum())
    assert view.following
    old_max = bar.maximum()
    stream(20)
    qtbot.waitUntil(lambda: bar.maximum() > old_max and bar.value() == bar.maximum())


def test_large_conversation_builds_few_widgets_and_pages_in(view: MessageView, qtbot: QtBot) -> None:
    messages = conversation(2000)
    view.set_messages(messages)
    QApplication.processEvents()
    assert len(view.findChildren(MessageWidget)) <= 50
    bar = view.scroll_bar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    qtbot.waitUntil(lambda: not view.building)
    first = view.message_widgets()[0]
    built = len(view.message_widgets())
    bar.setValue(0)
    before = first.mapTo(view.viewport_widget(), QPoint()).y()
    qtbot.waitUntil(lambda: len(view.message_widgets()) > built)
    assert view.message_widgets()[0].message_id < first.message_id
    assert first.mapTo(view.viewport_widget(), QPoint()).y() == before
    assert bar.value() > 0


def test_highlight_finds_text_in_an_older_message(view: MessageView, qtbot: QtBot) -> None:
    messages = conversation(300)
    messages[10] = make_message(10, Role.USER, "Where is the needle hidden?")
    view.set_messages(messages)
    QApplication.processEvents()
    assert view.widget_for(10) is None
    view.highlight("Needle")
    widget = view.widget_for(10)
    assert isinstance(widget, UserMessageWidget)
    selections = widget.text_view.extraSelections()
    assert len(selections) == 1 and selections[0].cursor.selectedText() == "needle"
    QApplication.processEvents()
    top = widget.mapTo(view.viewport_widget(), QPoint()).y()
    assert 0 <= top < view.viewport_widget().height()
    assert not view.following


def test_show_error_keeps_partial_text_and_offers_retry(view: MessageView, qtbot: QtBot) -> None:
    view.begin_reply(9, "qwen-plus")
    view.append_content(9, "Partial answer so far")
    error = {
        "kind": "connection",
        "sentence": "The connection dropped.",
        "hint": "Check your network.",
        "request_id": "req-123",
        "server_message": "upstream reset",
        "retry_after": None,
    }
    view.show_error(9, error, partial_kept=True)
    widget = assistant(view, 9)
    panel = widget.error_panel
    assert panel is not None and panel.isVisibleTo(widget)
    assert widget.text_view.isVisibleTo(widget)
    assert "Partial answer so far" in widget.text_view.toPlainText()
    assert panel.sentence.text() == "The connection dropped. Check your network."
    assert panel.server_message.text() == "upstream reset"
    assert "req-123" in panel.request_id.text()
    assert panel.retry_button.isVisibleTo(widget) and panel.continue_button.isVisibleTo(widget)
    assert widget.actions.badge.isVisibleTo(widget)
    qtbot.waitUntil(lambda: panel.retry_button.isVisible() and panel.retry_button.width() > 0)
    with qtbot.waitSignal(view.retryRequested) as retry:
        qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    assert retry.args == [9]
    with qtbot.waitSignal(view.continueRequested) as cont:
        qtbot.mouseClick(panel.continue_button, Qt.MouseButton.LeftButton)
    assert cont.args == [9]


def test_continue_resumes_the_same_reply(view: MessageView) -> None:
    view.begin_reply(9, "qwen-plus")
    view.append_content(9, "First half, ")
    view.show_error(9, {"sentence": "The reply was cut off."}, partial_kept=True)
    view.begin_reply(9, "qwen-plus")
    view.append_content(9, "second half.")
    view.finish_reply(make_message(9, Role.ASSISTANT, "First half, second half."))
    widget = assistant(view, 9)
    assert len(view.message_widgets()) == 1
    assert widget.text_view.toPlainText() == "First half, second half."
    assert widget.error_panel is not None and not widget.error_panel.isVisibleTo(widget)


def test_error_without_partial_text_has_no_continue(view: MessageView) -> None:
    view.begin_reply(9, "qwen-plus")
    view.show_error(9, {"sentence": "The key was rejected."}, partial_kept=False)
    panel = assistant(view, 9).error_panel
    assert panel is not None
    assert panel.retry_button.isVisibleTo(panel) and not panel.continue_button.isVisibleTo(panel)


def test_stored_interrupted_reply_shows_badge_and_continue(view: MessageView) -> None:
    message = make_message(
        4,
        Role.ASSISTANT,
        "Half of it",
        status=MessageStatus.INTERRUPTED,
        error={"sentence": "The reply was cut off."},
    )
    view.set_messages([message])
    widget = assistant(view, 4)
    assert widget.actions.badge.isVisibleTo(widget)
    assert widget.error_panel is not None and widget.error_panel.continue_button.isVisibleTo(widget)


def test_footer_shows_model_tokens_and_cost(view: MessageView) -> None:
    view.cost_function = lambda model, usage: 0.0012 if model == "qwen-plus" else None
    view.begin_reply(2, "qwen-plus")
    view.finish_reply(make_message(2, Role.ASSISTANT, "Hi", usage=Usage(1234, 567, 120, 1000)))
    text = assistant(view, 2).actions.info.text()
    assert text == "qwen-plus · 1,234 in · 567 out · 120 reasoning · 1,000 cached · ≈ $0.0012"


def buttons_of(widget: MessageWidget) -> dict[str, QToolButton]:
    return {button.text(): button for button in widget.actions.findChildren(QToolButton)}


def test_action_buttons_emit_signals(view: MessageView, qtbot: QtBot) -> None:
    view.set_messages([make_message(1, Role.USER, "Hello"), make_message(2, Role.ASSISTANT, "Hi")])
    with qtbot.waitSignal(view.editRequested) as edit:
        buttons_of(view.widget_for(1)).get("Edit").click()
    assert edit.args == [1]
    with qtbot.waitSignal(view.regenerateRequested) as regenerate:
        buttons_of(assistant(view, 2))["Regenerate"].click()
    assert regenerate.args == [2]


def test_remove_from_drops_message_and_everything_after(view: MessageView) -> None:
    view.set_messages(conversation(6))
    view.remove_from(3)
    assert [w.message_id for w in view.message_widgets()] == [0, 1, 2]
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert len(view.findChildren(MessageWidget)) == 3
    view.add_message(make_message(3, Role.ASSISTANT, "New answer"))
    assert [w.message_id for w in view.message_widgets()] == [0, 1, 2, 3]


def test_links_are_reported_never_followed(view: MessageView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url))
    view.add_message(make_message(1, Role.ASSISTANT, "See [the docs](https://example.com/docs)."))
    browser = assistant(view, 1).text_view
    before = browser.toHtml()
    QApplication.processEvents()
    with qtbot.waitSignal(view.linkActivated) as clicked:
        qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=anchor_point(browser, "https://example.com/docs"))
    assert clicked.args == ["https://example.com/docs"]
    for url in ("file:///etc/passwd", "javascript:alert(1)", "data:text/html,hi"):
        with qtbot.waitSignal(view.linkActivated) as activated:
            browser.anchorClicked.emit(QUrl(url))
        assert activated.args == [QUrl(url).toString()]
    assert browser.source().isEmpty()
    assert browser.toHtml() == before
    assert opened == []


def test_resources_are_never_loaded(view: MessageView) -> None:
    view.add_message(make_message(1, Role.ASSISTANT, "text"))
    browser = assistant(view, 1).text_view
    for url in ("http://example.com/x.png", "file:///etc/hostname", "data:image/png;base64,AAAA"):
        assert browser.loadResource(int(QTextDocument.ResourceType.ImageResource), QUrl(url)) is None


def test_raw_html_in_a_reply_is_literal_text(view: MessageView, monkeypatch: pytest.MonkeyPatch) -> None:
    requested: list[str] = []
    monkeypatch.setattr(MessageTextView, "loadResource", lambda self, kind, url: requested.append(url.toString()))
    content = '<script>alert(1)</script>\n\n<img src="http://example.com/x.png">'
    view.begin_reply(1, "qwen-plus")
    view.append_content(1, content)
    view.flush()
    view.finish_reply(make_message(1, Role.ASSISTANT, content))
    browser = assistant(view, 1).text_view
    QApplication.processEvents()
    plain = browser.toPlainText()
    assert "<script>alert(1)</script>" in plain
    assert '<img src="http://example.com/x.png">' in plain
    assert "<img" not in browser.toHtml()
    assert requested == []


def test_user_message_is_a_plain_bubble(view: MessageView) -> None:
    view.add_message(make_message(1, Role.USER, "Is **this** bold?"))
    widget = view.widget_for(1)
    assert isinstance(widget, UserMessageWidget)
    assert widget.text_view.toPlainText() == "Is **this** bold?"
    assert widget.bubble.objectName() == "userBubble"


def test_text_views_grow_with_their_content(view: MessageView, qtbot: QtBot) -> None:
    view.add_message(make_message(1, Role.ASSISTANT, "\n\n".join(f"Paragraph {i}" for i in range(30))))
    browser = assistant(view, 1).text_view
    qtbot.waitUntil(lambda: browser.height() > 300)
    assert browser.height() == browser.document_height()
    assert browser.verticalScrollBar().maximum() == 0


def test_palette_change_restyles_without_warnings(view: MessageView) -> None:
    view.add_message(make_message(1, Role.ASSISTANT, REPLY))
    palette = QPalette(view.palette())
    palette.setColor(QPalette.ColorRole.Base, QColor("#1b1c1f"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e3e3e6"))
    view.setPalette(palette)
    QApplication.processEvents()
    widget = assistant(view, 1)
    assert view.theme.dark
    assert widget.full_render_count == 2


def test_clear_empties_the_view(view: MessageView) -> None:
    view.set_messages(conversation(4))
    view.clear()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert view.message_widgets() == []
    assert view.findChildren(MessageWidget) == []


def test_long_live_thinking_keeps_its_header_on_screen_to_collapse_it(view: MessageView, qtbot: QtBot) -> None:
    view.begin_reply(4, "qwen-plus")
    for n in range(120):
        view.append_reasoning(4, f"Step {n}: weigh one more consideration before answering.\n")
        view.flush()
    qtbot.wait(50)
    thinking = assistant(view, 4).thinking
    assert thinking is not None and thinking.expanded
    assert not thinking.toggle.visibleRegion().isEmpty(), "the header stays visible while following"
    assert thinking.body.height() < view.viewport_widget().height() // 2
    assert "Step 119" in thinking.body.toPlainText()
    qtbot.mouseClick(thinking.toggle, Qt.MouseButton.LeftButton)
    assert not thinking.expanded
    view.append_content(4, "Answer.")
    view.flush()
    view.finish_reply(make_message(4, Role.ASSISTANT, "Answer."))
    assert thinking.body.height_cap is None
