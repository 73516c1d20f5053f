"""An assistant's badge never shows an empty box for an emoji no installed font can draw."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from qwen_desktop.core.assistants import Assistant
from qwen_desktop.ui.assistants.look import assistant_icon, drawable


def test_a_character_no_font_has_is_not_drawable(qapp: QApplication) -> None:
    assert drawable("A") and drawable("翻")
    assert not drawable("\U000fffd0")  # a private-use code point: no font carries it


def test_the_badge_falls_back_to_the_initial(qapp: QApplication) -> None:
    unknown = assistant_icon(Assistant(name="Zeta", icon="\U000fffd0", colour="#27ae60"), 32).pixmap(32, 32).toImage()
    initial = assistant_icon(Assistant(name="Zeta", icon="Z", colour="#27ae60"), 32).pixmap(32, 32).toImage()
    assert unknown == initial
