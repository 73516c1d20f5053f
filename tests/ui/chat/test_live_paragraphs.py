"""Streamed text without line breaks is shown in bounded paragraphs while live, and whole when done."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import random  # noqa: E402

import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st
from qwen_desktop.core.types import Role  # noqa: E402
from qwen_desktop.ui.chat.messages import FULL_RENDER_LIMIT, AssistantMessageWidget  # noqa: E402
from qwen_desktop.ui.chat.stream import LIVE_PARAGRAPH_CHARS, live_breaks  # noqa: E402
from qwen_desktop.ui.chat.text import MessageTextView  # noqa: E402
from qwen_desktop.ui.chat.view import MessageView  # noqa: E402

from tests.ui.chat.test_view import make_message  # noqa: E402

WORDS = ["model", "studio", "context", "window", "reasoning", "token", "a", "of", "streaming", "paragraph"]


def wall_of_text(chars: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    sentences = []
    while sum(map(len, sentences)) < chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16)))
        sentences.append(sentence.capitalize() + ".")
    return " ".join(sentences)[:chars]


def shown_paragraphs(view: MessageTextView) -> list[str]:
    return view.toPlainText().split("\n")


def feed(chunks: list[str], limit: int) -> list[str]:
    """Paragraphs as a document shows them after appending ``chunks`` with their live breaks."""
    paragraphs = [""]
    for chunk in chunks:
        start = 0
        for cut in live_breaks(chunk, len(paragraphs[-1]), limit):
            paragraphs[-1:] = (paragraphs[-1] + chunk[start:cut]).split("\n")
            paragraphs.append("")
            start = cut
        paragraphs[-1:] = (paragraphs[-1] + chunk[start:]).split("\n")
    return paragraphs


def test_breaks_follow_sentence_ends() -> None:
    text = "This is one sentence. " * 200
    breaks = live_breaks(text, 0, 100)
    assert breaks
    assert all(text[cut - 2:cut] == ". " for cut in breaks)
    assert all(b - a <= 100 for a, b in zip([0, *breaks], breaks))


def test_breaks_fall_back_to_spaces_then_to_cjk_boundaries() -> None:
    no_sentences = "word " * 100
    assert all(no_sentences[cut - 1] == " " for cut in live_breaks(no_sentences, 0, 60))
    chinese = "模型会先思考再回答问题" * 40
    breaks = live_breaks(chinese, 0, 60)
    assert breaks and all(b - a <= 60 for a, b in zip([0, *breaks], breaks))
    japanese = "これは長い文章です。" * 40
    assert all(japanese[cut - 1] == "。" for cut in live_breaks(japanese, 0, 60))


def test_no_break_inside_a_word_or_where_the_text_breaks_itself() -> None:
    assert live_breaks("x" * 500, 0, 100) == []
    assert live_breaks("x" * 500 + " tail", 0, 100) == [501]
    assert live_breaks("short\nlines\n" * 50, 0, 100) == []
    assert live_breaks("more words", 150, 100) == [5], "an over-full paragraph breaks at the first chance"
    assert live_breaks("end\nnext", 150, 100) == [], "a line break ends the paragraph anyway"


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.text(alphabet="abcdef漢字。.", min_size=1, max_size=12), min_size=1, max_size=400),
    separators=st.lists(st.sampled_from([" ", " ", " ", "\n", ". "]), min_size=1),
    cuts=st.lists(st.integers(min_value=1, max_value=300), min_size=1),
)
def test_any_stream_keeps_its_text_and_bounded_paragraphs(words: list[str], separators: list[str],
                                                          cuts: list[int]) -> None:
    text = "".join(word + separators[i % len(separators)] for i, word in enumerate(words))
    chunks, position, i = [], 0, 0
    while position < len(text):
        chunks.append(text[position:position + cuts[i % len(cuts)]])
        position += cuts[i % len(cuts)]
        i += 1
    limit = 80
    paragraphs = feed(chunks, limit)
    assert "".join(paragraphs) == text.replace("\n", "")
    assert max(map(len, paragraphs)) <= limit + 14, "a break comes at the latest one word past the limit"


def test_live_thinking_is_shown_in_bounded_paragraphs_and_whole_when_done(view: MessageView) -> None:
    reasoning = wall_of_text(30_000)
    view.begin_reply(1, "qwen3-max")
    for start in range(0, len(reasoning), 97):
        view.append_reasoning(1, reasoning[start:start + 97])
        view.flush()
    widget = view.widget_for(1)
    assert isinstance(widget, AssistantMessageWidget) and widget.thinking is not None
    live = shown_paragraphs(widget.thinking.body)
    assert len(live) >= 30_000 // LIVE_PARAGRAPH_CHARS
    assert max(map(len, live)) <= LIVE_PARAGRAPH_CHARS + len("reasoning. ")
    assert " ".join(live).split() == reasoning.split()
    view.finish_reply(make_message(1, Role.ASSISTANT, "Done.", reasoning=reasoning))
    assert widget.thinking.body.toPlainText() == reasoning


def test_a_long_live_answer_paragraph_is_bounded_and_rendered_whole_at_the_end(view: MessageView) -> None:
    answer = wall_of_text(FULL_RENDER_LIMIT + 4_000, seed=8)
    view.begin_reply(1, "qwen-plus")
    for start in range(0, len(answer), 61):
        view.append_content(1, answer[start:start + 61])
        view.flush()
    widget = view.widget_for(1)
    assert isinstance(widget, AssistantMessageWidget)
    live = shown_paragraphs(widget.text_view)
    assert max(map(len, live)) <= LIVE_PARAGRAPH_CHARS + len("reasoning. ")
    assert " ".join(live).split() == answer.split()
    view.finish_reply(make_message(1, Role.ASSISTANT, answer))
    assert widget.full_render_count == 0, "the streamed blocks suffice; only the tail is rendered"
    assert widget.text_view.toPlainText() == answer.strip()
