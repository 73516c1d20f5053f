"""``/`` at the start of the composer: the saved prompts filtered as you type, chosen with the
keyboard, and Tab through the chosen prompt's variables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget
from qwen_desktop.core.prompts import Prompt
from qwen_desktop.ui.composer.editor import Composer

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PROMPTS = [
    Prompt(name="Translate", text="Translate {{text}} into {{language}}.", id="t"),
    Prompt(name="Summarise", text="Summarise {{text}} in {{number}} points for {{audience}}.", id="s"),
    Prompt(name="Thank you note", text="Write a short thank-you note.", id="n"),
]


@pytest.fixture
def composer(qtbot: Any) -> Iterator[Composer]:
    window = QWidget()
    window.resize(700, 500)
    layout = QVBoxLayout(window)
    layout.addStretch(1)
    widget = Composer(window)
    layout.addWidget(widget)
    qtbot.addWidget(window)
    widget.edit.prompt_source = lambda: list(PROMPTS)
    window.show()
    qtbot.waitExposed(window)
    widget.edit.setFocus()
    yield widget


def names(composer: Composer) -> list[str] | None:
    menu = composer.edit.prompt_menu()
    return None if menu is None else menu.names()


def selected(composer: Composer) -> str:
    return composer.edit.textCursor().selectedText()


def test_slash_filters_and_enter_inserts_the_prompt_then_tab_walks_its_variables(
        composer: Composer, qtbot: Any) -> None:
    edit = composer.edit
    qtbot.keyClicks(edit, "/")
    assert names(composer) == ["Translate", "Summarise", "Thank you note"]
    menu = edit.prompt_menu()
    assert menu is not None and menu.geometry().bottom() <= edit.mapTo(edit.window(), edit.rect().topLeft()).y()
    qtbot.keyClicks(edit, "t")
    assert names(composer) == ["Translate", "Thank you note", "Summarise"], "names first, then texts"
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert composer.text() == "Translate {{text}} into {{language}}."
    assert edit.prompt_menu() is None
    assert selected(composer) == "{{text}}", "the first variable is selected"
    qtbot.keyClicks(edit, "this letter")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert selected(composer) == "{{language}}"
    qtbot.keyClicks(edit, "French")
    qtbot.keyClick(edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert selected(composer) == "this letter", "Shift+Tab goes back to what was typed there"
    qtbot.keyClicks(edit, "the minutes")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert selected(composer) == "French"
    assert edit.hasFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.walk is None and selected(composer) == ""
    assert edit.textCursor().position() == len("Translate the minutes into French")
    assert composer.text() == "Translate the minutes into French."
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert not edit.hasFocus(), "after the last variable Tab moves focus again"


def test_tab_chooses_too_and_a_prompt_without_variables_leaves_the_cursor_after_it(
        composer: Composer, qtbot: Any) -> None:
    qtbot.keyClicks(composer.edit, "/")
    qtbot.keyClicks(composer.edit, "thank")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Tab)
    assert composer.text() == "Write a short thank-you note."
    assert composer.edit.walk is None and composer.edit.textCursor().position() == len(composer.text())
    assert composer.edit.hasFocus()


def test_esc_closes_the_list_and_keeps_the_slash_as_text(composer: Composer, qtbot: Any) -> None:
    stops: list[bool] = []
    sent: list[str] = []
    composer.stopRequested.connect(lambda: stops.append(True))
    composer.sendRequested.connect(sent.append)
    qtbot.keyClicks(composer.edit, "/")
    qtbot.keyClicks(composer.edit, "sum")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Escape)
    assert composer.edit.prompt_menu() is None and stops == [], "Esc closed the list and stopped nothing"
    assert composer.text() == "/sum"
    qtbot.keyClicks(composer.edit, "mary please")
    assert composer.edit.prompt_menu() is None, "the list stays closed"
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert sent == ["/summary please"]


def test_no_match_hides_the_list_until_one_matches_again(composer: Composer, qtbot: Any) -> None:
    sent: list[str] = []
    composer.sendRequested.connect(sent.append)
    qtbot.keyClicks(composer.edit, "/")
    qtbot.keyClicks(composer.edit, "tx")
    assert composer.edit.prompt_menu() is None
    qtbot.keyClick(composer.edit, Qt.Key.Key_Backspace)
    assert names(composer) == ["Translate", "Thank you note", "Summarise"]
    qtbot.keyClick(composer.edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(composer.edit, Qt.Key.Key_Backspace)
    assert composer.text() == "" and composer.edit.prompt_menu() is None, "deleting the / closes the list"
    qtbot.keyClicks(composer.edit, "a/b")
    assert composer.edit.prompt_menu() is None, "a / later in the text is only text"
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert sent == ["a/b"]


def test_a_variable_used_twice_is_typed_once(composer: Composer, qtbot: Any) -> None:
    note = "Write to {{name}} about {{topic}}; sign it for {{name}}'s team."
    composer.edit.insert_prompt(Prompt(name="Note", text=note))
    assert selected(composer) == "{{name}}"
    qtbot.keyClicks(composer.edit, "Ana")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Tab)
    assert selected(composer) == "{{topic}}"
    assert composer.text() == "Write to Ana about {{topic}}; sign it for Ana's team."
    qtbot.keyClicks(composer.edit, "the budget")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert selected(composer) == "Ana"
    qtbot.keyClicks(composer.edit, "Bo")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Tab)
    assert selected(composer) == "the budget" and composer.text().endswith("for Bo's team."), "filled again"
    qtbot.keyClick(composer.edit, Qt.Key.Key_Tab)
    assert composer.edit.walk is None, "the filled namesake is not a stop of its own"
    assert composer.text() == "Write to Bo about the budget; sign it for Bo's team."
