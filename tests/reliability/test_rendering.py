"""A hostile reply renders inert in the real window: nothing loads, risky links ask first."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from qwen_desktop.ui.chat.text import MessageTextView
from tests.simulator import Reply, Simulator

from .harness import Harness, replies

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

HOSTILE = """Here you go:

<script>document.location='http://evil.example/steal'</script>
<img src="http://tracker.example/pixel.gif">
![remote](http://tracker.example/markdown.png)
<iframe src="http://evil.example/frame"></iframe>

[a web page](https://docs.example.com/page)
[a local file](file:///etc/passwd)
[run this](javascript:alert(document.cookie))
"""


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every resource the text views ask for, and whether anything was handed back."""
    seen: list[tuple[str, bool]] = []
    original = MessageTextView.loadResource

    def counting(self: MessageTextView, kind: int, name: QUrl) -> Any:
        result = original(self, kind, name)
        seen.append((name.toString(), result is not None))
        return result

    monkeypatch.setattr(MessageTextView, "loadResource", counting)
    return seen


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: urls.append(url.toString())))
    return urls


def hostile_reply(harness: Harness, sim: Simulator) -> Any:
    window = harness.open()
    sim.enqueue(Reply(content=HOSTILE, chunk_chars=16))
    harness.send(window, "show me links")
    harness.wait_idle(window)
    return window


def test_nothing_loads_and_scripts_are_not_run(harness: Harness, sim: Simulator,
                                               loads: list[tuple[str, bool]], opened: list[str]) -> None:
    window = hostile_reply(harness, sim)
    view = replies(window)[-1].text_view
    view.grab()
    html = view.toHtml().lower()
    assert "<script" not in html and "<iframe" not in html
    assert "a web page" in view.toPlainText()
    assert [url for url, answered in loads if answered] == [], "no resource was ever loaded"
    assert opened == [], "nothing opens by itself"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(document.cookie)"])
def test_risky_links_ask_first_and_cancel_opens_nothing(harness: Harness, sim: Simulator,
                                                        opened: list[str], url: str) -> None:
    window = hostile_reply(harness, sim)
    view = replies(window)[-1].text_view
    view.anchorClicked.emit(QUrl(url))
    box = window.findChild(QMessageBox, "confirmLinkBox")
    assert box is not None and box.isVisible(), "a question, shown without blocking"
    assert url[:40] in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    harness.qtbot.waitUntil(lambda: not box.isVisible())
    assert opened == []


def test_a_risky_link_opens_only_when_confirmed(harness: Harness, sim: Simulator,
                                                opened: list[str]) -> None:
    window = hostile_reply(harness, sim)
    replies(window)[-1].text_view.anchorClicked.emit(QUrl("file:///etc/passwd"))
    box = window.findChild(QMessageBox, "confirmLinkBox")
    box.button(QMessageBox.StandardButton.Open).click()
    harness.qtbot.waitUntil(lambda: opened == ["file:///etc/passwd"])


def test_a_web_link_opens_on_click_only(harness: Harness, sim: Simulator, opened: list[str]) -> None:
    window = hostile_reply(harness, sim)
    assert opened == []
    replies(window)[-1].text_view.anchorClicked.emit(QUrl("https://docs.example.com/page"))
    assert opened == ["https://docs.example.com/page"]
    assert window.findChild(QMessageBox, "confirmLinkBox") is None
