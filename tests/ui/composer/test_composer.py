"""The composer: what sends, what adds a line, and input methods."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from qwen_desktop.ui.composer.editor import Composer

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def composer(qtbot: Any) -> Composer:
    widget = Composer()
    qtbot.addWidget(widget)
    return widget


def sent(composer: Composer) -> list[str]:
    out: list[str] = []
    composer.sendRequested.connect(out.append)
    return out


def test_enter_sends_and_shift_enter_adds_a_line(composer: Composer, qtbot: Any) -> None:
    out = sent(composer)
    qtbot.keyClicks(composer.edit, "first line")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(composer.edit, "second line")
    assert out == []
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert out == ["first line\nsecond line"]


def test_ctrl_enter_mode(composer: Composer, qtbot: Any) -> None:
    composer.set_send_with_enter(False)
    out = sent(composer)
    qtbot.keyClicks(composer.edit, "a")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(composer.edit, "b")
    assert out == [] and composer.text() == "a\nb"
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert out == ["a\nb"]


def test_enter_while_composing_with_an_input_method_does_not_send(
    composer: Composer, qtbot: Any
) -> None:
    out = sent(composer)
    composer.edit.setFocus()
    preedit = QInputMethodEvent("nihao", [])
    QApplication_send(composer.edit, preedit)
    assert composer.edit.composing()
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert out == []
    commit = QInputMethodEvent("", [])
    commit.setCommitString("你好")
    QApplication_send(composer.edit, commit)
    assert not composer.edit.composing()
    assert composer.text() == "你好"
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert out == ["你好"]


def QApplication_send(widget: Any, event: Any) -> None:  # noqa: N802
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(widget, event)


def test_blank_text_is_not_sent(composer: Composer, qtbot: Any) -> None:
    out = sent(composer)
    qtbot.keyClicks(composer.edit, "   ")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    composer.send_button.click()
    assert out == []


def test_blocked_composer_says_why(composer: Composer, qtbot: Any) -> None:
    out = sent(composer)
    composer.set_blocked("No API key for Singapore — add one in Settings (Ctrl+,).")
    qtbot.keyClicks(composer.edit, "hello")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert out == []
    assert not composer.send_button.isEnabled()
    assert "No API key" in composer.send_button.toolTip()
    composer.set_blocked("")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert out == ["hello"]


def test_send_and_stop_switch_with_state(composer: Composer, qtbot: Any) -> None:
    composer.show()
    stops: list[bool] = []
    composer.stopRequested.connect(lambda: stops.append(True))
    composer.set_streaming(True)
    assert composer.stop_button.isVisible() and not composer.send_button.isVisible()
    qtbot.keyClick(composer.edit, Qt.Key.Key_Escape)
    assert stops == [True]
    composer.set_streaming(False)
    assert composer.send_button.isVisible() and not composer.stop_button.isVisible()


def test_grows_with_its_text_up_to_a_limit(composer: Composer) -> None:
    composer.show()
    one = composer.edit.height()
    composer.set_text("\n".join(["line"] * 5))
    five = composer.edit.height()
    composer.set_text("\n".join(["line"] * 50))
    fifty = composer.edit.height()
    assert one < five < fifty or (one < five and five <= fifty)
    composer.set_text("\n".join(["line"] * 80))
    assert composer.edit.height() == fifty
