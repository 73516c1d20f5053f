"""Web search in the real window: the switch, the Sources list, linked citations, the notes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton
from qwen_desktop.core.types import Protocol, SearchMode
from qwen_desktop.ui.chat.footer import footer_text
from qwen_desktop.ui.conversation.header import totals
from qwen_desktop.ui.main_window import MainWindow

from tests.sim_search import SearchScript
from tests.simulator import Reply, Simulator
from tests.ui.harness import Harness, replies

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

HOSTILE = [
    {"index": 1, "site_name": "<b>Evil</b>", "title": "<script>alert(1)</script><img src=x onerror=alert(2)>",
     "url": "javascript:alert(document.cookie)"},
    {"index": 2, "site_name": "Good & Co", "title": "A <i>fine</i> page", "url": "https://good.example/p?a=1&b=\"2\""},
]


class Opened(QObject):
    """Records every http(s) address the app asks the desktop to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def opened() -> Any:
    spy = Opened()
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, spy, "open")
    yield spy
    for scheme in ("http", "https"):
        QDesktopServices.unsetUrlHandler(scheme)


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, f"{data!r} not in {combo.objectName()}"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def searching_window(harness: Harness, protocol: Protocol, mode: SearchMode = SearchMode.ALWAYS,
                     model: str | None = None) -> MainWindow:
    window = harness.open()
    choose(window.bar.findChild(QComboBox, "protocolSelector"), protocol.value)
    if model:
        window.bar.model.setEditText(model)
        window.bar.model.lineEdit().editingFinished.emit()
    choose(window.bar.findChild(QComboBox, "searchSelector"), mode.value)
    return window


def ask(harness: Harness, window: MainWindow, text: str) -> Any:
    harness.send(window, text)
    harness.wait_idle(window)
    return replies(window)[-1]


def test_reply_lists_sources_and_links_citations(
    harness: Harness, sim: Simulator, opened: Opened
) -> None:
    window = searching_window(harness, Protocol.DASHSCOPE)
    sim.enqueue(Reply(content="Hangzhou cools down tomorrow [1][2].", chunk_chars=6))
    reply = ask(harness, window, "Weather in Hangzhou tomorrow?")
    params = sim.requests[-1].body["parameters"]
    assert params["enable_search"] is True and params["search_options"]["forced_search"] is True
    panel = reply.sources_panel
    assert panel is not None and panel.isVisible()
    titles = [title.text() for title, _site, _link in panel.rows]
    assert titles == ["Latest on Weather in Hangzhou tomorrow?", "Weather in Hangzhou tomorrow? — overview"]
    document = reply.text_view.document()
    anchors = _anchors(document)
    assert anchors == ["https://news.example.com/a/1", "https://wiki.example.org/Overview"]
    assert "[1]" in reply.text_view.toPlainText()
    assert "web searches: 1" in reply.actions.info.text()
    tokens_only = footer_text(reply.model, reply.message.usage, window.view.cost_function)
    assert reply.actions.info.text() != tokens_only, "the search fee is part of the reply's cost"
    _usage, conversation_cost = totals(window.store.messages(window.current_id), window.services.catalog)
    token_cost = window.services.catalog.estimate_cost(reply.model, reply.message.usage)
    assert conversation_cost is not None and conversation_cost.amount == pytest.approx(token_cost + 0.01)
    assert opened.urls == [], "nothing opens by itself"
    _title, _site, link = panel.rows[0]
    assert link is not None and not link.openExternalLinks()
    link.linkActivated.emit("https://news.example.com/a/1")
    assert opened.urls == ["https://news.example.com/a/1"]


def test_sources_come_back_after_restart(harness: Harness, sim: Simulator) -> None:
    window = searching_window(harness, Protocol.DASHSCOPE)
    sim.enqueue(Reply(content="See [2].", search=SearchScript(at_event=2)))
    ask(harness, window, "anything new")
    harness.close(window)
    again = harness.open()
    harness.qtbot.waitUntil(lambda: bool(replies(again)))
    again.view.flush()
    reply = replies(again)[-1]
    assert reply.sources_panel is not None
    assert [s.number for s in reply.sources_panel.sources] == [1, 2]
    assert _anchors(reply.text_view.document()) == ["https://wiki.example.org/Overview"]
    assert again.bar.findChild(QComboBox, "searchSelector").currentData() == SearchMode.ALWAYS.value


def test_hostile_titles_are_plain_text_and_bad_urls_are_not_links(
    harness: Harness, sim: Simulator, opened: Opened
) -> None:
    window = searching_window(harness, Protocol.DASHSCOPE)
    sim.enqueue(Reply(content="Claims [1] and [2].", search=SearchScript(results=HOSTILE)))
    reply = ask(harness, window, "hostile")
    (title1, site1, link1), (title2, site2, link2) = reply.sources_panel.rows
    assert title1.textFormat() == Qt.TextFormat.PlainText and site1.textFormat() == Qt.TextFormat.PlainText
    assert title1.text() == HOSTILE[0]["title"] and site1.text() == "<b>Evil</b>"
    assert link1 is None, "a javascript: address is no link"
    assert title2.text() == "A <i>fine</i> page" and site2.text() == "Good & Co"
    assert link2 is not None and link2.textFormat() == Qt.TextFormat.RichText
    assert 'href="https://good.example/p?a=1&amp;b=&quot;2&quot;"' in link2.text()
    assert _anchors(reply.text_view.document()) == ['https://good.example/p?a=1&b=%222%22']
    assert not reply.findChildren(QLabel, "sourceTitle")[0].openExternalLinks()
    assert opened.urls == []


def test_compatible_reply_offers_the_switch_to_native(harness: Harness, sim: Simulator) -> None:
    window = searching_window(harness, Protocol.OPENAI, SearchMode.AUTO)
    reply = ask(harness, window, "news today")
    body = sim.requests[-1].body
    assert body["enable_search"] is True and body["search_options"]["forced_search"] is False
    note = reply.search_note
    assert note is not None and note.isVisible()
    assert "only returned on the DashScope protocol" in note.label.text()
    assert reply.sources_panel is None
    harness.qtbot.mouseClick(note.findChild(QPushButton, "switchToNative"), Qt.MouseButton.LeftButton)
    assert window.bar.findChild(QComboBox, "protocolSelector").currentData() == Protocol.DASHSCOPE.value
    harness.qtbot.waitUntil(
        lambda: window.store.conversation(window.current_id).settings.protocol is Protocol.DASHSCOPE)
    ask(harness, window, "and now?")
    assert "parameters" in sim.requests[-1].body
    assert replies(window)[-1].sources_panel is not None


def test_model_that_refuses_search_disables_the_switch(harness: Harness, sim: Simulator) -> None:
    window = searching_window(harness, Protocol.DASHSCOPE, model="qwen2.5-7b-instruct")
    reply = ask(harness, window, "who won?")
    assert reply.error_panel is not None and reply.error_panel.isVisible()
    switch = window.bar.findChild(QComboBox, "searchSelector")
    assert not switch.isEnabled() and switch.currentData() == SearchMode.OFF.value
    assert "does not support enable_search" in switch.toolTip()
    window.bar.model.setEditText("qwen-plus")
    window.bar.model.lineEdit().editingFinished.emit()
    assert switch.isEnabled() and switch.currentData() == SearchMode.ALWAYS.value


def test_strategy_choice_explains_each_with_its_price(harness: Harness) -> None:
    window = harness.open()
    choose(window.bar.findChild(QComboBox, "regionSelector"), "cn")
    choose(window.bar.findChild(QComboBox, "searchSelector"), SearchMode.AUTO.value)
    strategy = window.bar.findChild(QComboBox, "searchStrategySelector")
    assert strategy.isVisible()
    names = [strategy.itemData(i) for i in range(strategy.count())]
    assert names == ["turbo", "max", "agent", "agent_max"]
    tips = [strategy.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(strategy.count())]
    assert "3 CNY per 1,000 searches" in tips[0] and "4 CNY per 1,000 searches" in tips[1]
    choose(strategy, "max")
    assert window.current_settings().search_strategy == "max"
    choose(window.bar.findChild(QComboBox, "regionSelector"), "intl")
    assert [strategy.itemData(i) for i in range(strategy.count())] == ["agent", "agent_max"]
    assert "10 USD per 1,000 searches" in strategy.itemData(0, Qt.ItemDataRole.ToolTipRole)


def _anchors(document: Any) -> list[str]:
    found = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            href = fragment.charFormat().anchorHref()
            if href and href not in found:
                found.append(href)
            it += 1
        block = block.next()
    return found


def test_the_sidebar_search_finds_a_reply_by_its_sources(harness: Harness, sim: Simulator) -> None:
    window = searching_window(harness, Protocol.DASHSCOPE)
    results = [{"index": 1, "title": "Zanzibar clove harvest", "url": "https://spice.example/z", "site_name": "Spice"}]
    sim.enqueue(Reply(content="It went well [1].", search=SearchScript(results=results)))
    ask(harness, window, "How did the harvest go?")
    sidebar = window.sidebar
    sidebar.search_field.setText("zanzibar")
    harness.qtbot.waitUntil(lambda: sidebar.is_searching() and sidebar.search_model.rowCount() == 1)
    hit = sidebar.search_model.hit(0)
    assert hit is not None and hit.conversation_id == window.current_id
    assert hit.message_id == replies(window)[-1].message_id
    assert hit.snippet[hit.match_start:hit.match_end] == "Zanzibar"
