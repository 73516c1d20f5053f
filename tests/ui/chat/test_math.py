"""Formulas: $…$ and $$…$$ drawn as pictures, copied as their source, shown as source while streaming."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QApplication
from qwen_desktop.ui.chat.markdown import MarkdownRenderer
from qwen_desktop.ui.chat.math import Formula, formula_for, math_ready, preload_math
from qwen_desktop.ui.chat.text import MessageTextView

from tests.simulator import Reply, Simulator
from tests.ui.harness import Harness, answer_text, replies


@pytest.fixture
def renderer(qtbot: Any) -> MarkdownRenderer:
    preload_math()
    assert math_ready()
    return MarkdownRenderer()


def formulas(view: MessageTextView) -> list[Formula]:
    found = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            text_format = it.fragment().charFormat()
            if text_format.isImageFormat():
                formula = formula_for(text_format.toImageFormat().name())
                if formula is not None:
                    found.append(formula)
            it += 1
        block = block.next()
    return found


@pytest.mark.parametrize(("source", "expected"), [
    ("Energy is $E = mc^2$ here.", [("E = mc^2", False)]),
    ("$$\\int_0^1 x\\,dx = \\frac{1}{2}$$", [("\\int_0^1 x\\,dx = \\frac{1}{2}", True)]),
    ("It costs $5 and $10 a month.", []),
    ("A lone $ sign and \\$x$ escaped.", []),
    ("Two: $a$ and $b^2$.", [("a", False), ("b^2", False)]),
    ("`$x$` in code", []),
])
def test_dollar_math_is_found_where_it_should_be(renderer: MarkdownRenderer, source: str,
                                                 expected: list[tuple[str, bool]]) -> None:
    html = renderer.render(source).html
    shown = [formula_for(url) for url in re.findall(r'<img src="([^"]+)"', html)]
    assert [(f.latex, f.display) for f in shown if f] == expected


def test_a_formula_is_drawn_and_copied_as_its_source(qtbot: Any, renderer: MarkdownRenderer) -> None:
    view = MessageTextView()
    qtbot.addWidget(view)
    view.resize(500, 200)
    view.show_markdown("The root is $\\sqrt{2}$, roughly 1.414.", renderer)
    view.show()
    [formula] = formulas(view)
    image = view.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(formula.url))
    assert isinstance(image, QImage) and image.width() > 5 and image.height() > 5
    inked = sum(1 for x in range(image.width()) for y in range(image.height()) if image.pixelColor(x, y).alpha())
    assert inked > image.width() * image.height() // 10, "the glyphs are drawn, not only the root's rule"
    view.selectAll()
    copied = view.createMimeDataFromSelection().text()
    assert copied == "The root is $\\sqrt{2}$, roughly 1.414."
    view.copy()
    assert QApplication.clipboard().text() == copied


def test_what_the_renderer_cannot_read_stays_as_its_source(qtbot: Any, renderer: MarkdownRenderer) -> None:
    view = MessageTextView()
    qtbot.addWidget(view)
    view.show_markdown("Broken: $\\frac{a$ end.", renderer)
    assert formulas(view) == []
    assert "$\\frac{a$" in view.toPlainText()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_streaming_shows_the_source_until_the_formula_is_complete(harness: Harness, sim: Simulator) -> None:
    preload_math()
    window = harness.open()
    sim.enqueue(Reply(content="The area is $\\pi r^2$ for a circle, " + "and so on " * 150 + "\n\nDone.",
                      chunk_chars=4, delay=0.02))
    harness.send(window, "area of a circle?")
    harness.qtbot.waitUntil(lambda: any("and so on and" in " ".join(answer_text(w).split())
                                        for w in replies(window)), timeout=20000)
    reply = replies(window)[-1]
    assert reply.text_view.streaming
    assert "$\\pi r^2$" in answer_text(reply), "the paragraph is unfinished: its formula shows as source"
    assert formulas(reply.text_view) == []
    harness.wait_idle(window, timeout=30000)
    assert [f.latex for f in formulas(reply.text_view)] == ["\\pi r^2"]
    assert "$\\pi" not in answer_text(reply)
