from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot
from qwen_desktop.core import keycheck
from qwen_desktop.core.client import ChatClient
from qwen_desktop.core.errors import KeyringUnavailableError
from qwen_desktop.core.paths import config_path
from qwen_desktop.core.secrets import SERVICE, KeyStore
from qwen_desktop.core.services import Services, build_services
from qwen_desktop.ui.settings.dialog import SettingsDialog, env_note
from qwen_desktop.ui.settings.key_test import Tone

from tests.keyring_backends import MemoryKeyring
from tests.simulator import Simulator

WRONG_KEY = "sk-wrong-0000000000000000"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


def make_services(path: Path, sim: Simulator, env: dict[str, str] | None = None) -> Services:
    return build_services(
        path,
        region_overrides={"intl": sim.base_url("intl"), "cn": sim.base_url("cn")},
        env={},
        keys=KeyStore(env=env or {}),
        client=ChatClient(max_attempts=1),
    )


def close_services(services: Services, qtbot: QtBot) -> None:
    closing = asyncio.ensure_future(services.aclose())
    qtbot.waitUntil(closing.done, timeout=5000)
    closing.result()


@pytest.fixture
def services(
    tmp_path: Path, sim: Simulator, memory_keyring: MemoryKeyring, qloop: qasync.QEventLoop, qtbot: QtBot
) -> Iterator[Services]:
    built = make_services(tmp_path / "data", sim)
    yield built
    close_services(built, qtbot)


def run(qtbot: QtBot, coroutine: Any) -> Any:
    task = asyncio.ensure_future(coroutine)
    qtbot.waitUntil(task.done, timeout=10_000)
    return task.result()


@pytest.fixture
def dialog(services: Services, qtbot: QtBot) -> SettingsDialog:
    widget = SettingsDialog(services)
    qtbot.addWidget(widget)
    return widget


def config_on_disk(services: Services) -> dict[str, Any]:
    return json.loads(config_path(services.data_dir).read_text(encoding="utf-8"))


def test_a_working_key_is_reported_for_its_region(services: Services, sim: Simulator, qtbot: QtBot) -> None:
    key = sim.regions["intl"]
    result = run(qtbot, keycheck.test_key(services.client, services.regions, "intl", key))
    assert result == keycheck.KeyTestResult(True, "The key works for Singapore.", None)
    assert sim.requests[-1].body["max_tokens"] == 1


def test_a_key_from_the_other_region_is_recognised(services: Services, sim: Simulator, qtbot: QtBot) -> None:
    key = sim.regions["cn"]
    result = run(qtbot, keycheck.test_key(services.client, services.regions, "intl", key))
    assert not result.ok
    assert result.detected_region == "cn"
    assert result.sentence == (
        "This key belongs to China (Beijing), not Singapore: Singapore and Beijing keys differ."
    )
    assert key not in result.sentence


def test_a_key_no_region_accepts_is_rejected(services: Services, qtbot: QtBot) -> None:
    result = run(qtbot, keycheck.test_key(services.client, services.regions, "intl", WRONG_KEY))
    assert result == keycheck.KeyTestResult(False, "The key was rejected by Singapore.", None, rejected=True)


def test_a_key_of_the_wrong_shape_never_reaches_the_network(
    services: Services, sim: Simulator, qtbot: QtBot
) -> None:
    result = run(qtbot, keycheck.test_key(services.client, services.regions, "intl", "hello"))
    assert not result.ok and "sk-" in result.sentence
    assert sim.requests == []


def test_the_test_button_shows_progress_then_the_result(
    dialog: SettingsDialog, sim: Simulator, qtbot: QtBot
) -> None:
    row = dialog.keys_page.rows["intl"]
    row.field.setText(sim.regions["intl"])
    qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
    assert row.status.tone is Tone.BUSY
    assert "Testing" in row.status.message
    qtbot.waitUntil(lambda: row.status.tone is Tone.SUCCESS, timeout=10_000)
    assert row.status.message == "The key works for Singapore."
    assert row.test_button.isEnabled()


def test_the_test_button_names_the_region_a_key_belongs_to(
    dialog: SettingsDialog, sim: Simulator, qtbot: QtBot
) -> None:
    row = dialog.keys_page.rows["intl"]
    row.field.setText(sim.regions["cn"])
    qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.status.tone is not Tone.BUSY, timeout=10_000)
    assert "belongs to China (Beijing)" in row.status.message


def test_closing_the_dialog_cancels_a_running_test(dialog: SettingsDialog, sim: Simulator, qtbot: QtBot) -> None:
    from tests.simulator import Reply

    sim.enqueue(Reply(content="slow", delay=5))
    row = dialog.keys_page.rows["intl"]
    row.field.setText(sim.regions["intl"])
    row.test()
    task = row.runner.task
    assert task is not None
    dialog.reject()
    qtbot.waitUntil(task.done, timeout=5000)
    assert task.cancelled()
    assert row.status.tone is Tone.BUSY


def test_saving_a_key_puts_it_in_the_keyring_and_not_in_the_config(
    dialog: SettingsDialog, services: Services, memory_keyring: MemoryKeyring, sim: Simulator, qtbot: QtBot
) -> None:
    key = sim.regions["cn"]
    row = dialog.keys_page.rows["cn"]
    with qtbot.waitSignal(dialog.keysChanged) as changed:
        qtbot.keyClicks(row.field, key)
        qtbot.mouseClick(row.save_button, Qt.MouseButton.LeftButton)
    assert changed.args == ["cn"]
    assert memory_keyring.passwords[(SERVICE, "cn")] == key
    assert row.field.text() == ""
    assert row.source.text().endswith(services.keys.mask(key))
    assert row.remove_button.isEnabled()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Apply), Qt.MouseButton.LeftButton)
    text = config_path(services.data_dir).read_text(encoding="utf-8")
    assert key not in text and "sk-" not in text
    assert services.keys.get("cn") == (key, "keyring")

    qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
    assert (SERVICE, "cn") not in memory_keyring.passwords
    assert row.source.text() == "No key yet."


def test_show_and_hide_toggle_the_echo_mode(dialog: SettingsDialog) -> None:
    field = dialog.keys_page.rows["intl"].field
    assert field.echoMode() is QLineEdit.EchoMode.Password
    field.reveal_action.trigger()
    assert field.echoMode() is QLineEdit.EchoMode.Normal
    assert field.reveal_action.text() == "Hide key"
    field.reveal_action.trigger()
    assert field.echoMode() is QLineEdit.EchoMode.Password


def test_a_key_from_the_environment_is_labelled(
    tmp_path: Path, sim: Simulator, memory_keyring: MemoryKeyring, qloop: qasync.QEventLoop, qtbot: QtBot
) -> None:
    services = make_services(tmp_path / "data", sim, env={"DASHSCOPE_API_KEY": sim.regions["intl"]})
    try:
        dialog = SettingsDialog(services)
        qtbot.addWidget(dialog)
        row = dialog.keys_page.rows["intl"]
        assert env_note() in row.source.text()
        assert not row.remove_button.isEnabled()
        assert row.test_button.isEnabled()
    finally:
        close_services(services, qtbot)


def test_a_missing_keyring_is_explained(
    tmp_path: Path, sim: Simulator, qloop: qasync.QEventLoop, qtbot: QtBot
) -> None:
    services = make_services(tmp_path / "data", sim)
    try:
        dialog = SettingsDialog(services)
        qtbot.addWidget(dialog)
        assert dialog.keys_page.keyring_message.message == KeyringUnavailableError.sentence
        row = dialog.keys_page.rows["intl"]
        row.field.setText(sim.regions["intl"])
        qtbot.mouseClick(row.save_button, Qt.MouseButton.LeftButton)
        assert row.status.tone is Tone.FAILURE
        assert row.status.message == KeyringUnavailableError.sentence
    finally:
        close_services(services, qtbot)


def test_a_custom_region_address_is_normalised_with_a_warning(
    dialog: SettingsDialog, services: Services, qtbot: QtBot
) -> None:
    page = dialog.keys_page
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    page.form.id_field.setText("gateway")
    page.form.name_field.setText("Company gateway")
    page.form.url_field.setText("https://llm.example.com/compatible-mode/v1/")
    with qtbot.waitSignal(dialog.settingsChanged):
        qtbot.mouseClick(page.form.submit_button, Qt.MouseButton.LeftButton)
    assert services.regions.get("gateway").base_url == "https://llm.example.com"
    assert page.region_message.tone is Tone.WARNING
    assert "/compatible-mode/v1" in page.region_message.message
    assert "gateway" in page.rows
    assert config_on_disk(services)["custom_regions"] == [
        {"id": "gateway", "name": "Company gateway", "base_url": "https://llm.example.com"}
    ]
    assert dialog.defaults_page.region.all.findData("gateway") >= 0


def test_an_address_that_is_not_http_is_refused(dialog: SettingsDialog, services: Services, qtbot: QtBot) -> None:
    page = dialog.keys_page
    page.form.start_add()
    page.form.id_field.setText("files")
    page.form.url_field.setText("ftp://files.example.com")
    qtbot.mouseClick(page.form.submit_button, Qt.MouseButton.LeftButton)
    assert "files" not in services.regions
    assert page.region_message.tone is Tone.FAILURE
    assert "must start with http:// or https://" in page.region_message.message
    assert not page.form.isHidden()


def test_a_custom_region_can_be_edited_and_removed(
    dialog: SettingsDialog, services: Services, qtbot: QtBot
) -> None:
    page = dialog.keys_page
    page.form.start_add()
    page.form.id_field.setText("lab")
    page.form.url_field.setText("https://lab.example.com")
    page.form.submit_button.click()
    page.rows["lab"].editRequested.emit("lab")
    assert page.form.id_field.isReadOnly() and page.form.url_field.text() == "https://lab.example.com"
    page.form.name_field.setText("Lab")
    page.form.submit_button.click()
    assert services.regions.get("lab").name == "Lab"
    page.rows["lab"].removeRequested.emit("lab")
    assert "lab" not in services.regions and "lab" not in page.rows
    assert config_on_disk(services)["custom_regions"] == []


def test_the_default_region_switches_with_one_click(
    dialog: SettingsDialog, services: Services, qtbot: QtBot
) -> None:
    region = dialog.defaults_page.region
    assert region.segments["intl"].isChecked()
    qtbot.mouseClick(region.segments["cn"], Qt.MouseButton.LeftButton)
    assert region.all.currentData() == "cn"
    assert not region.segments["intl"].isChecked()
    with qtbot.waitSignal(dialog.settingsChanged):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert config_on_disk(services)["default_region"] == "cn"
    assert services.config.default_region == "cn"


def test_defaults_and_appearance_are_saved_on_apply(
    dialog: SettingsDialog, services: Services, qtbot: QtBot
) -> None:
    page = dialog.defaults_page
    page.model.setEditText("qwen3-max")
    page.thinking.setCurrentIndex(page.thinking.findText("On with budget"))
    page.budget.setValue(2048)
    page.policy.setCurrentIndex(page.policy.findText("Last N rounds"))
    page.last_n.setValue(4)
    dialog.appearance_page.findChild(type(dialog.appearance_page.theme.buttons()[0]), "themeDark").click()
    dialog.appearance_page.findChild(type(dialog.appearance_page.send.buttons()[0]), "sendWithCtrlEnter").click()
    assert "default_model" not in (config_on_disk(services) if config_path(services.data_dir).exists() else {})
    dialog.apply()
    saved = config_on_disk(services)
    assert saved["default_model"] == "qwen3-max"
    assert saved["default_thinking"] == "budget" and saved["default_thinking_budget"] == 2048
    assert saved["default_context_policy"] == "last_n" and saved["default_context_params"] == {"n": 4}
    assert saved["theme"] == "dark" and saved["send_with"] == "ctrl_enter"


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_cancel_leaves_the_config_alone(dialog: SettingsDialog, services: Services, qtbot: QtBot) -> None:
    dialog.defaults_page.region.segments["cn"].click()
    dialog.open()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert services.config.default_region == "intl"
    assert not config_path(services.data_dir).exists()


def test_every_field_has_an_object_name(dialog: SettingsDialog) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QTabBar

    assert dialog.objectName() == dialog.accessibleName() == "settingsDialog"
    inner_parts = (QLineEdit, QComboBox, QAbstractSpinBox, QTabBar)
    for kind in (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton):
        for widget in dialog.findChildren(kind):
            if isinstance(widget.parent(), inner_parts):
                continue
            assert widget.objectName(), f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r}"


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_enter_in_the_address_field_adds_the_region_and_keeps_settings_open(
    dialog: SettingsDialog, services: Services, qtbot: QtBot
) -> None:
    dialog.show()
    page = dialog.keys_page
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.form.id_field, "proxy")
    qtbot.keyClicks(page.form.url_field, "https://proxy.example.com")
    qtbot.keyClick(page.form.url_field, Qt.Key.Key_Return)
    assert "proxy" in services.regions
    assert dialog.isVisible() and dialog.result() == 0, "Settings stay open to paste the key"
    qtbot.waitUntil(lambda: page.rows["proxy"].field.hasFocus())


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_key_test_result_is_scrolled_into_view(
    dialog: SettingsDialog, services: Services, sim: Simulator, qtbot: QtBot
) -> None:
    for n in range(5):
        services.regions.add_custom(f"r{n}", f"Region {n}", sim.base_url("intl"))
    dialog.keys_page.rebuild()
    dialog.resize(640, 420)
    dialog.show()
    row = dialog.keys_page.rows["r4"]
    row.field.setText(sim.regions["intl"])
    bar = dialog.keys_page.scroll.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    qtbot.mouseClick(row.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.status.tone is not Tone.BUSY, timeout=10_000)
    qtbot.waitUntil(lambda: not row.status.visibleRegion().isEmpty())
    assert bar.value() > 0


def test_a_rejected_key_is_not_saved(
    dialog: SettingsDialog, services: Services, sim: Simulator, qtbot: QtBot
) -> None:
    row = dialog.keys_page.rows["intl"]
    for key in (WRONG_KEY, sim.regions["cn"]):
        row.field.setText(key)
        row.test()
        qtbot.waitUntil(lambda: row.status.tone not in (Tone.BUSY,), timeout=10_000)
        row.save()
        assert row.status.tone is Tone.FAILURE and row.status.message.startswith("Not saved:")
        assert services.keys.get("intl") is None
    row.field.setText(sim.regions["intl"])
    row.save()
    assert row.status.tone is Tone.SUCCESS and services.keys.get("intl") is not None


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_first_key_for_a_region_offers_to_make_it_the_default(
    dialog: SettingsDialog, services: Services, sim: Simulator, qtbot: QtBot
) -> None:
    services.regions.add_custom("gw", "Gateway", sim.base_url("intl"))
    dialog.keys_page.rebuild()
    dialog.show()
    row = dialog.keys_page.rows["gw"]
    row.field.setText(sim.regions["intl"])
    row.save()
    assert row.default_button.isVisible()
    with qtbot.waitSignal(dialog.settingsChanged):
        qtbot.mouseClick(row.default_button, Qt.MouseButton.LeftButton)
    assert services.config.default_region == "gw"
    assert config_on_disk(services)["default_region"] == "gw"
    assert not row.default_button.isVisible()


def test_default_web_search_is_saved_and_starts_new_conversations(
    dialog: SettingsDialog, services: Services
) -> None:
    from qwen_desktop.core.config import load_config
    from qwen_desktop.core.types import SearchMode

    page = dialog.defaults_page
    assert page.search.currentData() == SearchMode.OFF
    page.search.setCurrentIndex(page.search.findData(SearchMode.ALWAYS))
    dialog.apply()
    assert config_on_disk(services)["default_search"] == "always"
    reloaded = load_config(config_path(services.data_dir))
    assert reloaded.default_settings().search is SearchMode.ALWAYS
    page.load(reloaded)
    assert page.search.currentData() == SearchMode.ALWAYS


def test_keep_in_tray_is_offered_only_where_there_is_a_tray(
    services: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QSystemTrayIcon

    for available in (False, True):
        monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda a=available: a))
        dialog = SettingsDialog(services)
        qtbot.addWidget(dialog)
        check = dialog.appearance_page.keep_in_tray
        assert check.isEnabled() is available
        if available:
            check.setChecked(True)
            assert dialog.apply()
            assert config_on_disk(services)["keep_in_tray"] is True


def test_reply_deadlines_are_set_in_settings(services: Services, qtbot: QtBot) -> None:
    dialog = SettingsDialog(services)
    qtbot.addWidget(dialog)
    page = dialog.appearance_page
    assert page.idle_timeout.value() == 120 and page.total_timeout.value() == 30
    page.idle_timeout.setValue(45)
    page.total_timeout.setValue(12)
    assert dialog.apply()
    saved = config_on_disk(services)
    assert saved["idle_timeout_s"] == 45 and saved["total_timeout_s"] == 720
