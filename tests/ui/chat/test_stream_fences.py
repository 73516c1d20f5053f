"""While a code block streams, its fence markers never show as raw text."""

from __future__ import annotations

from typing import Any

import pytest
from qwen_desktop.ui.chat.markdown import MarkdownRenderer
from qwen_desktop.ui.chat.stream import without_fence_markers
from qwen_desktop.ui.chat.text import MessageTextView


@pytest.mark.parametrize(("tail", "shown"), [
    ("Intro\n```pyt", "Intro"),
    ("```python\nprint(1)\n", "print(1)\n"),
    ("```python\nprint(1)\n``", "print(1)"),
    ("plain text", "plain text"),
    ("Use `x` here", "Use `x` here"),
])
def test_fence_markers_are_left_out_of_the_live_tail(tail: str, shown: str) -> None:
    assert without_fence_markers(tail) == shown


def test_a_streaming_code_block_never_shows_its_fence(qtbot: Any) -> None:
    view = MessageTextView()
    qtbot.addWidget(view)
    renderer = MarkdownRenderer()
    view.begin_stream()
    seen = []
    for chunk in ["Here you go:\n\n", "``", "`py", "thon\n", "print('hi')\n", "x = 1\n", "``", "`\n", "\nDone."]:
        view.append_stream(chunk, renderer)
        seen.append(view.toPlainText())
    assert not any("``" in text for text in seen), seen
    assert "print('hi')" in seen[4]
    view.finish_stream(renderer)
    assert view.code_blocks == ["print('hi')\nx = 1"]
    assert "Done." in view.toPlainText()
