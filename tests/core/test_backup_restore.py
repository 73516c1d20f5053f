"""Backups are built away from the user's folder and moved in whole; a restore accepts only what a
backup of ours holds, moves the current data aside and never writes outside the data folder."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from qwen_desktop.core import backup as b
from qwen_desktop.core.attachments import AttachmentStore
from qwen_desktop.core.errors import QwenError
from qwen_desktop.core.images import prepare_image
from qwen_desktop.core.paths import config_path, database_path
from qwen_desktop.core.storage import CURRENT_VERSION, Store
from qwen_desktop.core.types import ConversationSettings, Role


def filled(data: Path, title: str, tmp: Path) -> dict[str, object]:
    with Store(database_path(data)) as store:
        cid = store.create_conversation(ConversationSettings(), title).result()
        picture = tmp / f"{title}.png"
        Image.new("RGB", (32, 32), (len(title) * 20 % 255, 90, 10)).save(picture)
        ref = AttachmentStore(data).save(prepare_image(picture))
        store.add_message(cid, Role.USER, f"{title} question", attachments=[ref]).result()
    config_path(data).write_text(json.dumps({"theme": "dark"}))
    return ref


def leftovers(data: Path) -> list[Path]:
    """Scratch folders other than this process's own, long-lived one for image writes."""
    return [p for p in b.scratch_dir(data).iterdir() if not p.name.startswith(f"files-{os.getpid()}-")]


def make_backup(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    filled(source, "from the backup", tmp_path)
    with Store(database_path(source)) as store:
        return b.backup_data(source, store, tmp_path / "backups")


def test_backup_leaves_only_the_zip_and_cleans_old_leftovers(tmp_path: Path) -> None:
    source = tmp_path / "source"
    filled(source, "kept", tmp_path)
    folder = tmp_path / "backups"
    old = folder / "tmpab12cd"
    old.mkdir(parents=True)
    (old / "backup.zip").write_bytes(b"PK partial")
    (old / "conversations.sqlite3").write_bytes(b"copy")
    (folder / f".{b.BACKUP_PREFIX}-20240101-000000-999999-0123abcd.partial").write_bytes(b"half")
    (folder / "holiday photos").mkdir()
    with Store(database_path(source)) as store:
        made = b.backup_data(source, store, folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted([made.name, "holiday photos"])
    with zipfile.ZipFile(made) as archive:
        names = archive.namelist()
    assert "conversations.sqlite3" in names and "config.json" in names
    assert any(n.startswith("attachments/") for n in names)
    assert not leftovers(source), "the backup's scratch space is removed"


def test_scratch_of_a_dead_process_is_removed_at_the_next_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    dead = b.scratch_dir(data) / "backup-999999-0123abcd"
    dead.mkdir(parents=True)
    (dead / "backup.zip").write_bytes(b"partial")
    mine = b.scratch_dir(data) / f"backup-{os.getpid()}-0123abcd"
    mine.mkdir()
    assert b.clean_leftovers(data) == 1
    assert not dead.exists() and mine.exists()


def test_restore_moves_current_data_aside_and_brings_the_backup_back(tmp_path: Path) -> None:
    archive = make_backup(tmp_path)
    data = tmp_path / "data"
    filled(data, "current", tmp_path)
    result = b.restore_backup(archive, data)
    assert result.conversations == 1 and result.images == 1
    with Store(database_path(data)) as store:
        titles = [store.conversation(c).title for c in store.conversation_ids()]
        refs = store.messages(store.conversation_ids()[0])[0].attachments
        assert AttachmentStore(data).load(refs[0])[:4] == b"\x89PNG"
    assert titles == ["from the backup"]
    aside = [p for p in data.iterdir() if ".before-restore-" in p.name]
    assert {p.name.split(".before")[0] for p in aside} >= {"conversations.sqlite3", "config.json"}
    old_db = next(p for p in aside if p.name.startswith("conversations.sqlite3.")
                  and not p.name.endswith(("-wal", "-shm")))
    with Store(old_db) as old:
        assert [old.conversation(c).title for c in old.conversation_ids()] == ["current"]
    assert not leftovers(data)


def test_restore_is_refused_while_the_data_folder_is_in_use(tmp_path: Path) -> None:
    archive = make_backup(tmp_path)
    data = tmp_path / "data"
    filled(data, "current", tmp_path)
    with Store(database_path(data)):
        with pytest.raises(b.DataFolderBusyError):
            b.restore_backup(archive, data)


def zip_of(tmp_path: Path, members: dict[str, bytes], *, name: str = "evil.zip",
           link: str | None = None) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return path


def database_bytes(tmp_path: Path, version: int = CURRENT_VERSION, foreign: bool = False) -> bytes:
    path = tmp_path / f"db-{version}-{foreign}.sqlite3"
    if foreign:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes(body TEXT)")
        conn.commit()
        conn.close()
    else:
        Store(path).close()
        if version != CURRENT_VERSION:
            conn = sqlite3.connect(path)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.commit()
            conn.close()
    return path.read_bytes()


def hostile(tmp_path: Path, kind: str) -> Path:
    good_db = database_bytes(tmp_path)
    sha = "ab" * 32
    cases = {
        "traversal": {"conversations.sqlite3": good_db, "../../evil.txt": b"x"},
        "absolute": {"conversations.sqlite3": good_db, "/tmp/evil.txt": b"x"},
        "attachment traversal": {"conversations.sqlite3": good_db, "attachments/../../evil.png": b"x"},
        "backslash": {"conversations.sqlite3": good_db, "attachments\\..\\evil.png": b"x"},
        "stray file": {"conversations.sqlite3": good_db, "notes.txt": b"hello"},
        "no database": {"config.json": b"{}"},
        "foreign database": {"conversations.sqlite3": database_bytes(tmp_path, foreign=True)},
        "newer database": {"conversations.sqlite3": database_bytes(tmp_path, CURRENT_VERSION + 5)},
        "garbage database": {"conversations.sqlite3": b"SQLite format 3\x00" + os.urandom(8000)},
        "wrong digest": {"conversations.sqlite3": good_db, f"attachments/ab/{sha}.png": b"not it"},
        "wrong folder": {"conversations.sqlite3": good_db, f"attachments/cd/{sha}.png": b"x"},
        "bad config": {"conversations.sqlite3": good_db, "config.json": b"[1, 2"},
    }
    if kind == "link":
        return zip_of(tmp_path, {"conversations.sqlite3": good_db}, link="config.json")
    if kind == "not a zip":
        path = tmp_path / "evil.zip"
        path.write_bytes(b"this is not a zip" * 100)
        return path
    if kind == "fifo":
        path = tmp_path / "evil.zip"
        os.mkfifo(path)
        return path
    if kind == "bomb":
        path = tmp_path / "evil.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("conversations.sqlite3", good_db)
            archive.writestr("config.json", b" " * 50_000_000)
        return path
    if kind == "duplicate":
        path = zip_of(tmp_path, {"conversations.sqlite3": good_db})
        with zipfile.ZipFile(path, "a") as archive, pytest.warns(UserWarning):
            archive.writestr("conversations.sqlite3", good_db)
        return path
    return zip_of(tmp_path, cases[kind])


KINDS = ["traversal", "absolute", "attachment traversal", "backslash", "stray file", "no database",
         "foreign database", "newer database", "garbage database", "wrong digest", "wrong folder",
         "bad config", "link", "not a zip", "fifo", "bomb", "duplicate"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_archive_is_refused_and_changes_nothing(tmp_path: Path, kind: str) -> None:
    data = tmp_path / "data"
    filled(data, "current", tmp_path)
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    archive = hostile(tmp_path, kind)
    with pytest.raises(QwenError) as caught:
        b.restore_backup(archive, data)
    assert "nothing was restored" in str(caught.value) or "newer version" in str(caught.value)
    after = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")
                   if not p.name.startswith(("evil", "db-")) and ".scratch" not in p.parts)
    assert after == [p for p in before if ".scratch" not in p], "nothing was added, moved or removed"
    assert not (tmp_path.parent / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()
    with Store(database_path(data)) as store:
        assert [store.conversation(c).title for c in store.conversation_ids()] == ["current"]


def test_an_interrupted_restore_is_finished_at_the_next_start(tmp_path: Path) -> None:
    archive = make_backup(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    with zipfile.ZipFile(archive) as z:
        (data / "conversations.sqlite3.restoring").write_bytes(z.read("conversations.sqlite3"))
    b.clean_leftovers(data)
    with Store(database_path(data)) as store:
        assert [store.conversation(c).title for c in store.conversation_ids()] == ["from the backup"]


def test_a_restore_chosen_in_the_window_runs_at_the_next_start_once(tmp_path: Path) -> None:
    archive = make_backup(tmp_path)
    data = tmp_path / "data"
    filled(data, "current", tmp_path)
    assert b.stage_restore(archive, data) == 1
    assert "Restored 1 conversations" in (b.apply_pending_restore(data) or "")
    assert b.apply_pending_restore(data) is None, "tried once"
    b.stage_restore(archive, data)
    archive.unlink()
    sentence = b.apply_pending_restore(data) or ""
    assert sentence.startswith("The backup could not be restored") and not (data / b.PENDING).exists()
