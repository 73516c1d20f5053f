"""The real window in Simplified Chinese and Japanese: labels, titles, search, input methods,
numbers and error sentences."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QLabel
from qwen_desktop.core import errors as e
from qwen_desktop.core.titles import graphemes, local_title
from qwen_desktop.core.types import Role, Usage
from qwen_desktop.ui.chat.footer import footer_text
from qwen_desktop.ui.common import formatting
from qwen_desktop.ui.common.error_text import describe, error_sentence, translate_text
from qwen_desktop.ui.common.formatting import Cost, money
from qwen_desktop.ui.common.i18n import current_language, install_translators, resolve_language
from qwen_desktop.ui.main_window import MainWindow

from tests.simulator import Reply, Simulator
from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

EXPECTED = {
    "zh_CN": {"send": "发送", "new": "新对话", "search": "搜索对话 (Ctrl+K)",
              "captions": {"思考", "上下文"}, "policy": "完整历史", "region": "新加坡"},
    "ja_JP": {"send": "送信", "new": "新しい会話", "search": "会話を検索 (Ctrl+K)",
              "captions": {"思考", "コンテキスト"}, "policy": "全履歴", "region": "シンガポール"},
}
QUESTIONS = {
    "zh_CN": "请问怎样在离线时安全地留存产生的数据，等网络恢复以后再自动同步到服务器上？",
    "ja_JP": "オフラインのときに作ったデータを安全に保存して、ネットワークが戻ったら自動でサーバーに同期するにはどうすればいいですか？",
}
REPLIES = {
    "zh_CN": ("我们需要把数据保存到本地数据库", "保存"),
    "ja_JP": ("まずデータをローカルのデータベースに保存する必要があります", "データベース"),
}


@pytest.fixture(params=["zh_CN", "ja_JP"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    assert install_translators(request.param, qapp) == request.param
    yield request.param
    install_translators("system", qapp)


def window_in(harness: Harness, language: str) -> MainWindow:
    window = harness.open()
    window.services.config.language = language
    return window


def test_main_window_labels_are_translated(harness: Harness, language: str) -> None:
    window = window_in(harness, language)
    want = EXPECTED[language]
    assert window.composer.send_button.text() == want["send"]
    assert window.sidebar.new_button.text() == want["new"]
    assert window.sidebar.search_field.placeholderText() == want["search"]
    captions = {label.text() for label in window.bar.findChildren(QLabel)}
    assert want["captions"] <= captions
    policy = window.bar.findChild(QComboBox, "contextPolicySelector")
    assert policy.itemText(0) == want["policy"]
    region = window.bar.findChild(QComboBox, "regionSelector")
    assert region.itemText(region.findData("intl")) == want["region"]
    assert window.header.title.full_text() == want["new"]
    assert "thinking" not in window.composer.status.text()


def test_a_conversation_is_titled_and_found_by_a_word_inside_a_reply(
    harness: Harness, sim: Simulator, language: str
) -> None:
    window = window_in(harness, language)
    reply, word = REPLIES[language]
    sim.enqueue(Reply(content=reply, chunk_chars=3))
    question = QUESTIONS[language]
    harness.send(window, question)
    harness.wait_idle(window)
    cid = window.current_id
    assert cid is not None
    title = window.store.conversation(cid).title
    assert title == local_title(question)
    assert title.endswith("…") and question.startswith(title[:-1])
    assert 20 <= len(title) <= 25, "48 columns hold 24 wide characters"
    assert window.header.title.full_text() == title

    window.new_conversation()
    window.sidebar.search_field.setText(word)
    window.sidebar.run_search()
    harness.qtbot.waitUntil(lambda: window.sidebar.search_model.query == word)
    model = window.sidebar.search_model
    hits = [hit for row in range(model.rowCount()) if (hit := model.hit(row)) is not None]
    assert {hit.conversation_id for hit in hits} == {cid}
    replies = {m.id for m in window.store.messages(cid) if m.role is Role.ASSISTANT}
    found = [hit for hit in hits if hit.message_id in replies]
    assert found and found[0].snippet[found[0].match_start:found[0].match_end] == word


def test_enter_while_an_input_method_composes_does_not_send(
    harness: Harness, sim: Simulator, language: str
) -> None:
    window = window_in(harness, language)
    edit = window.composer.edit
    edit.setFocus()
    preedit = "baocun" if language == "zh_CN" else "ほぞん"
    committed = "保存"
    QApplication.sendEvent(edit, QInputMethodEvent(preedit, []))
    enter = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(edit, enter)
    assert edit.composing()
    assert window.store.count_conversations() == 0

    commit = QInputMethodEvent("", [])
    commit.setCommitString(committed)
    QApplication.sendEvent(edit, commit)
    assert not edit.composing() and window.composer.text() == committed
    sim.enqueue(Reply(content="好的" if language == "zh_CN" else "はい"))
    QApplication.sendEvent(edit, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return,
                                           Qt.KeyboardModifier.NoModifier))
    harness.wait_idle(window)
    messages = window.store.messages(window.current_id)
    assert [m.content for m in messages if m.role is Role.USER] == [committed]


def test_error_sentences_are_translated_and_the_server_keeps_its_words(
    language: str, qapp: QApplication
) -> None:
    error = e.RateLimitedError(server_message="Requests rate limit exceeded", request_id="abc")
    sentence = error_sentence(error.to_json())
    assert sentence != e.RateLimitedError.sentence and "request" not in sentence.lower()
    assert "abc" in describe(error)
    unknown = {"kind": "never_heard_of", "sentence": "Plain English stays."}
    assert error_sentence(unknown) == "Plain English stays."
    assert translate_text("The key works for Singapore.") != "The key works for Singapore."
    hinted = e.MissingKeyError(hint="Add a key for China (Beijing) in Settings.")
    assert "China" not in error_sentence(hinted)


def test_qt_standard_buttons_speak_the_language_too(language: str) -> None:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel).text()
    assert cancel == {"zh_CN": "取消", "ja_JP": "キャンセル"}[language]


def test_numbers_dates_and_money_follow_the_locale(language: str) -> None:
    QLocale.setDefault(QLocale(language))
    assert formatting.number(1234567) == "1,234,567"
    assert money(Cost(0.0012, "USD")) == "≈ $0.0012"
    cny = money(Cost(1234.5, "CNY"))
    assert cny == ("≈ ¥1,234.50" if language == "zh_CN" else "≈ CN¥1,234.50")
    assert formatting.month_day(datetime(2025, 3, 5)) == "3月5日"
    text = footer_text("qwen-plus", Usage(1234, 56), lambda _m, _u: Cost(0.5, "CNY"))
    assert "1,234" in text and "56" in text and "in" not in text


def test_other_locales_group_digits_their_own_way(qapp: QApplication) -> None:
    install_translators("system", qapp)
    QLocale.setDefault(QLocale("de_DE"))
    try:
        assert formatting.number(1234567) == "1.234.567"
        assert money(Cost(1234.5, "USD")) == "≈ 1.234,50\u00a0$"
        assert footer_text("m", Usage(1234, 5), None) == "m · 1.234 in · 5 out"
    finally:
        install_translators("system", qapp)


def test_language_setting_follows_the_system_unless_chosen() -> None:
    assert resolve_language("system", QLocale("zh_CN")) == "zh_CN"
    assert resolve_language("system", QLocale("zh_TW")) == "zh_CN"
    assert resolve_language("system", QLocale("ja_JP")) == "ja_JP"
    assert resolve_language("system", QLocale("fr_FR")) == "en"
    assert resolve_language("en", QLocale("ja_JP")) == "en"
    assert current_language() == "en"


def test_titles_count_wide_characters_as_two_columns() -> None:
    text = "我们需要把数据保存到本地数据库，并且在网络恢复后同步到服务器"
    assert local_title(text) == "我们需要把数据保存到本地数据库，并且在网络恢复后…"
    assert local_title("東京で会いましょう") == "東京で会いましょう"


@pytest.mark.parametrize("text", [
    "か\u3099" * 40,
    "👨\u200d👩\u200d👧\u200d👦" * 40,
    "🇯🇵🇨🇳" * 40,
    "e\u0301" * 60,
    "数据" + "👍🏽" * 40,
])
def test_titles_cut_between_user_perceived_characters(text: str) -> None:
    title = local_title(text)
    assert title.endswith("…")
    kept = list(graphemes(title[:-1]))
    assert kept == list(graphemes(text))[:len(kept)]


def test_settings_choose_a_language_and_offer_a_restart(harness: Harness) -> None:
    window = harness.open()
    window.open_settings()
    dialog = window._dialog
    assert dialog is not None
    page = dialog.appearance_page
    items = [page.language.itemText(i) for i in range(page.language.count())]
    assert items == ["System", "English", "简体中文", "日本語"]
    assert not page.restart_button.isVisibleTo(page)
    page.language.setCurrentIndex(page.language.findData("ja_JP"))
    assert page.restart_button.isVisibleTo(page)
    page.restart_button.click()
    assert window.services.config.language == "ja_JP"
    assert window.restart_requested and not window.isVisible()
    reopened = harness.open()
    assert reopened.services.config.language == "ja_JP"
