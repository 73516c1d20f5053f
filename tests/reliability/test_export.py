"""Export to Markdown and JSON, import JSON back losslessly, back up the data folder; CLI and window."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtWidgets import QFileDialog

from qwen_desktop.core import export as x
from qwen_desktop.core.attachments import AttachmentStore
from qwen_desktop.core.config import AppConfig, save_config
from qwen_desktop.core.images import prepare_image
from qwen_desktop.core.paths import config_path, database_path
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Protocol, Role, Usage
from tests.simulator import Simulator

from .harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
ROOT = Path(__file__).resolve().parents[2]


def fill(data: Path, tmp: Path) -> tuple[Store, AttachmentStore]:
    """Two conversations using every stored field, one with an image."""
    store = Store(database_path(data))
    files = AttachmentStore(data)
    picture = tmp / "photo.png"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(picture)
    ref = files.save(prepare_image(picture))
    settings = ConversationSettings(region_id="cn", protocol=Protocol.DASHSCOPE, model="qwen3-max",
                                    system_prompt="Be brief.", temperature=0.3)
    first = store.create_conversation(settings, "Trip to Hangzhou 🚄").result()
    store.set_pinned(first, True).result()
    q = store.add_message(first, Role.USER, "What is this? 这是什么", attachments=[ref]).result()
    a = store.add_message(first, Role.ASSISTANT, "A **red** square.", reasoning="Looks red.",
                          model="qwen3-max").result()
    store.update_message(a, usage=Usage(120, 8, 3, 64), reasoning_ms=850,
                         context={"message_ids": [q], "count": 2}, meta={"finish_reason": "stop"}).result()
    b = store.add_message(first, Role.ASSISTANT, "Half an ans", model="qwen3-max").result()
    store.update_message(b, status=MessageStatus.INTERRUPTED,
                         error={"kind": "dropped", "sentence": "The connection dropped."}).result()
    second = store.create_conversation(ConversationSettings(), "Plain").result()
    store.rename(second, "Named by hand").result()
    store.add_message(second, Role.USER, "hi\x00there").result()
    return store, files


def normalized(document: dict[str, Any]) -> dict[str, Any]:
    """Ids differ between databases: replace them with positions."""
    document = json.loads(json.dumps(document))
    document.pop("exported_at")
    document.pop("export_id")
    for conversation in document["conversations"]:
        conversation.pop("id")
        positions = {m["id"]: i for i, m in enumerate(conversation["messages"])}
        for message in conversation["messages"]:
            message.pop("id")
            context = message.get("context")
            if context and "message_ids" in context:
                context["message_ids"] = [positions[i] for i in context["message_ids"]]
    return document


def test_json_round_trip_is_lossless(tmp_path: Path) -> None:
    first_dir, second_dir = tmp_path / "a", tmp_path / "b"
    store, files = fill(first_dir, tmp_path)
    exported = tmp_path / "out.json"
    result = x.export_json(store, files, exported)
    store.close()
    assert (result.conversations, result.messages, result.files) == (2, 4, 1)

    fresh = Store(database_path(second_dir))
    fresh_files = AttachmentStore(second_dir)
    ids = x.import_json(fresh, fresh_files, exported)
    assert len(ids) == 2
    again = tmp_path / "again.json"
    x.export_json(fresh, fresh_files, again)
    first_doc = json.loads(exported.read_text(encoding="utf-8"))
    second_doc = json.loads(again.read_text(encoding="utf-8"))
    assert normalized(first_doc) == normalized(second_doc)
    imported = fresh.messages(ids[0])
    assert fresh_files.load(imported[0].attachments[0])[:4] == b"\x89PNG"
    assert imported[1].usage == Usage(120, 8, 3, 64) and imported[1].reasoning == "Looks red."
    assert imported[1].context["message_ids"] == [imported[0].id]
    assert fresh.conversation(ids[0]).pinned and fresh.conversation(ids[1]).title_locked
    assert fresh.search("Hangzhou")
    fresh.close()


def test_markdown_is_readable_with_images_beside_it(tmp_path: Path) -> None:
    store, files = fill(tmp_path / "data", tmp_path)
    cid = 1
    target = tmp_path / "notes" / "trip.md"
    x.export_markdown(store, files, target, cid, reasoning=True)
    plain = tmp_path / "notes" / "plain.md"
    x.export_markdown(store, files, plain, cid)
    store.close()
    text = target.read_text(encoding="utf-8")
    assert text.startswith("## Trip to Hangzhou 🚄")
    assert "### You" in text and "What is this? 这是什么" in text and "A **red** square." in text
    assert "> Looks red." in text and "Looks red." not in plain.read_text(encoding="utf-8")
    assert "*(interrupted)*" in text and "*Error: The connection dropped.*" in text
    image = next((tmp_path / "notes" / "trip.files").iterdir())
    assert f"](trip.files/{image.name})" in text and image.read_bytes()[:4] == b"\x89PNG"


def test_import_refuses_what_is_not_an_export(tmp_path: Path) -> None:
    store = Store(database_path(tmp_path / "data"))
    try:
        for content in ("not json", json.dumps({"format": "other"}),
                        json.dumps({"format": x.FORMAT, "version": 99, "conversations": []})):
            bad = tmp_path / "bad.json"
            bad.write_text(content)
            with pytest.raises(x.ImportFormatError):
                x.import_json(store, None, bad)
        assert store.conversation_ids() == []
    finally:
        store.close()


def test_backup_holds_database_images_and_settings_but_never_keys(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store, files = fill(data, tmp_path)
    save_config(config_path(data), AppConfig(default_model="qwen-max"))
    store.append_stream(store.add_message(1, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result(),
                        content="streamed but not yet flushed")
    archive = x.backup_data(data, store, tmp_path / "backups")
    store.close()
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        zipped.extractall(tmp_path / "restored")
    assert "conversations.sqlite3" in names and "config.json" in names
    assert any(n.startswith("attachments/") for n in names)
    restored = sqlite3.connect(tmp_path / "restored" / "conversations.sqlite3")
    try:
        assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert restored.execute("SELECT count(*) FROM messages WHERE content LIKE 'streamed but%'"
                                ).fetchone()[0] == 1
    finally:
        restored.close()


def test_cli_export_import_backup(sim: Simulator, tmp_path: Path) -> None:
    data = tmp_path / "data"
    store, _files = fill(data, tmp_path)
    store.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QWEN_DESKTOP_DATA_DIR": str(data),
           "PYTHON_KEYRING_BACKEND": "tests.keyring_backends.FileKeyring",
           "QWEN_TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}

    def cli(*args: str, data_dir: Path = data) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "qwen_desktop", "--data-dir", str(data_dir), *args],
                              env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)

    done = cli("export", "--format", "json", "--conversation", "all", str(tmp_path / "all.json"))
    assert done.returncode == 0, done.stderr
    assert "Exported 2 conversation(s), 4 message(s)" in done.stdout
    done = cli("export", "--conversation", "1", "--reasoning", str(tmp_path / "one.md"))
    assert done.returncode == 0 and "Looks red." in (tmp_path / "one.md").read_text(encoding="utf-8")
    done = cli("import", str(tmp_path / "all.json"), data_dir=tmp_path / "other")
    assert done.returncode == 0 and "Imported 2 conversation(s)." in done.stdout
    done = cli("backup", str(tmp_path / "backups"))
    assert done.returncode == 0 and "Backed up to" in done.stdout
    assert len(list((tmp_path / "backups").glob("qwen-desktop-backup-*.zip"))) == 1
    done = cli("import", str(tmp_path / "one.md"))
    assert done.returncode == 2 and "not a Qwen Desktop export" in done.stderr


def choose_file(window: Any, name: str, path: Path) -> None:
    dialog = window.data_actions.dialog
    assert isinstance(dialog, QFileDialog) and dialog.objectName() == name and dialog.isVisible()
    dialog.fileSelected.emit(str(path))
    dialog.reject()


def test_window_export_import_backup_through_the_data_menu(harness: Harness, sim: Simulator,
                                                           tmp_path: Path) -> None:
    window = harness.open()
    harness.send(window, "something worth keeping")
    harness.wait_idle(window)
    actions = window.data_actions

    actions.export_action.trigger()
    choose_file(window, "exportDialog", tmp_path / "chat.md")
    harness.qtbot.waitUntil(lambda: "Exported 1 conversation to" in window.notice.text())
    assert "something worth keeping" in (tmp_path / "chat.md").read_text(encoding="utf-8")

    window.new_conversation()
    actions.export_action.trigger()
    dialog = actions.dialog
    dialog.selectNameFilter(dialog.nameFilters()[1])
    choose_file(window, "exportDialog", tmp_path / "all")
    harness.qtbot.waitUntil(lambda: (tmp_path / "all.json").exists())

    actions.import_action.trigger()
    choose_file(window, "importDialog", tmp_path / "all.json")
    harness.qtbot.waitUntil(lambda: "Imported 1 conversation." in window.notice.text())
    assert window.store.count_conversations() == 2
    assert window.sidebar.findChild(object, "conversationList").model().rowCount() == 2

    actions.backup_action.trigger()
    choose_file(window, "backupDialog", tmp_path / "backups")
    harness.qtbot.waitUntil(lambda: "Backed up to" in window.notice.text())
    assert list((tmp_path / "backups").glob("*.zip"))
