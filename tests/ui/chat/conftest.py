"""A message view shown at a desktop size, for the chat view's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from qwen_desktop.ui.chat.view import MessageView


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[MessageView]:
    widget = MessageView()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
