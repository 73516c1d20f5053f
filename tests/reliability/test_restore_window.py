"""Data ▸ Restore from a backup… in the real window: checked at once, restored at the next start,
the current data kept beside it; an archive that is not ours is refused with a sentence."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qwen_desktop.core import backup as b
from qwen_desktop.core.paths import database_path
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, Role
from tests.simulator import Simulator

from .harness import Harness
from .test_export import choose_file

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def a_backup(tmp_path: Path) -> Path:
    source = tmp_path / "elsewhere"
    with Store(database_path(source)) as store:
        for title in ("from the backup", "also from the backup"):
            cid = store.create_conversation(ConversationSettings(), title).result()
            store.add_message(cid, Role.USER, title).result()
        return b.backup_data(source, store, tmp_path / "backups")


def test_restore_from_the_data_menu(harness: Harness, sim: Simulator, tmp_path: Path) -> None:
    archive = a_backup(tmp_path)
    window = harness.open()
    window.store.create_conversation(ConversationSettings(), "current").result()
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../../escape.txt", "x")
    window.data_actions.restore_action.trigger()
    choose_file(window, "restoreDialog", evil)
    harness.qtbot.waitUntil(lambda: "not a Qwen Desktop backup" in window.notice.text(), timeout=10000)
    assert not (harness.data_dir / b.PENDING).exists()

    window.data_actions.restore_action.trigger()
    choose_file(window, "restoreDialog", archive)
    harness.qtbot.waitUntil(lambda: "restart Qwen Desktop" in window.notice.text(), timeout=10000)
    assert "conversations in it: 2" in window.notice.text()
    harness.close(window)

    again = harness.open()
    assert "Restored 2 conversations" in again.notice.text()
    titles = sorted(again.store.conversation(c).title for c in again.store.conversation_ids())
    assert titles == ["also from the backup", "from the backup"]
    assert any(".before-restore-" in p.name for p in harness.data_dir.iterdir())
    assert not (harness.data_dir / b.PENDING).exists()
