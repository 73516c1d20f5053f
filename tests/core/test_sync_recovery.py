"""Sync under the conditions that lose data elsewhere: a device offline for a week while the others
compact, a sync killed half way, attachments arriving after their messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qwen_desktop.core.paths import database_path
from qwen_desktop.core.storage import Store
from qwen_desktop.core.sync import engine
from qwen_desktop.core.types import ConversationSettings, Role
from tests.core.sync_devices import (
    PASSPHRASE, Clock, Device, converge, location_bytes, quick_location, same_exports,
)

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400.0


@pytest.fixture
def place(tmp_path: Path) -> Path:
    return quick_location(tmp_path / "shared")


def test_a_device_offline_for_a_week_catches_up_after_compaction(tmp_path: Path, place: Path) -> None:
    clock = Clock()
    a = Device(tmp_path, "aaaa", place, clock, compact_after=3, superseded_kept_s=DAY)
    b = Device(tmp_path, "bbbb", place, clock, compact_after=3, superseded_kept_s=DAY)
    try:
        a.new("Diary", "Monday")
        converge([a, b])
        b.store.add_message(b.cid("Diary"), Role.USER, "Written offline").result()
        b.store.rename(b.cid("Diary"), "Diary (offline title)").result()
        for day in ("Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Monday again"):
            clock.advance(DAY)
            a.new(day, f"what happened on {day}")
            a.sync()
        own = sorted(p.name for p in (place / "changes").iterdir() if p.name.startswith("aaaa"))
        snapshots = sorted(p.name for p in (place / "snapshots").iterdir())
        assert snapshots and len(own) < 8, (own, snapshots)
        assert "aaaa-00000001.qsc" not in own  # folded into a snapshot and removed a day later

        report = b.sync()
        assert report.pulled > 0
        a.sync()
        document = same_exports([a, b], tmp_path)
        titles = sorted(c["title"] for c in document["conversations"])
        assert titles == sorted(["Diary (offline title)", "Tuesday", "Wednesday", "Thursday", "Friday",
                                 "Saturday", "Sunday", "Monday again"])
        diary = next(c for c in document["conversations"] if c["title"].startswith("Diary"))
        assert [m["content"] for m in diary["messages"]] == ["Monday", "Written offline"]
        # A third device that joins late reads the snapshots and the changes left, and agrees.
        c = Device(tmp_path, "cccc", place, clock)
        try:
            c.sync()
            same_exports([a, b, c], tmp_path)
        finally:
            c.close()
    finally:
        a.close()
        b.close()


def _kill_during(data_dir: Path, place: Path, device: str, operation: str, count: int) -> int:
    child = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "core" / "sync_kill_child.py"), str(data_dir), str(place), device,
         operation, str(count), PASSPHRASE],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert child.returncode == -9, child.stderr
    return child.returncode


def test_a_sync_killed_while_pushing_and_while_pulling_converges_on_the_next(
    tmp_path: Path, place: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "UPDATES_PER_FILE", 5)
    clock = Clock()
    with Store(database_path(tmp_path / "bbbb"), clock=clock) as store:
        for number in range(8):
            cid = store.create_conversation(ConversationSettings(), f"B{number}").result()
            store.add_message(cid, Role.USER, f"question {number}").result()
    a = Device(tmp_path, "aaaa", place, clock)
    try:
        for number in range(6):
            a.new(f"A{number}", f"answer {number}", "reply")
        a.sync()
        # Killed after reading two of A's four files, part way through merging them.
        _kill_during(tmp_path / "bbbb", place, "bbbb", "read", 2)
        with Store(database_path(tmp_path / "bbbb")) as store:
            assert 8 < store.count_conversations() < 14  # what the first file brought, merged whole
        # Killed after its second change file was written, before it recorded that.
        _kill_during(tmp_path / "bbbb", place, "bbbb", "write", 2)
        b = Device(tmp_path, "bbbb", place, clock)
        try:
            assert b.syncer.pending() > 0
            converge([b, a])
            document = same_exports([a, b], tmp_path)
            titles = sorted(c["title"] for c in document["conversations"])
            assert titles == sorted([f"A{n}" for n in range(6)] + [f"B{n}" for n in range(8)])
            assert all(len(c["messages"]) == (2 if c["title"].startswith("A") else 1)
                       for c in document["conversations"])
            assert b.syncer.pending() == 0
        finally:
            b.close()
    finally:
        a.close()


def test_attachments_are_stored_once_encrypted_and_reach_every_device(tmp_path: Path, place: Path) -> None:
    clock = Clock()
    a, b = Device(tmp_path, "aaaa", place, clock), Device(tmp_path, "bbbb", place, clock)
    try:
        picture = b"\x89PNG\r\n\x1a\n" + b"a picture of the Bund at night " * 40
        import hashlib

        ref = {"sha256": hashlib.sha256(picture).hexdigest(), "mime": "image/png", "bytes": len(picture),
               "name": "bund.png"}
        a.files.write(a.files.path(ref), picture)
        cid = a.new("Shanghai")
        a.store.add_message(cid, Role.USER, "What is this?", attachments=[ref]).result()
        a.store.add_message(cid, Role.USER, "And again?", attachments=[ref]).result()
        converge([a, b])
        assert b.files.load(ref) == picture
        assert len(list((place / "blobs").iterdir())) == 1
        assert b"the Bund" not in location_bytes(place) and ref["sha256"].encode() not in location_bytes(place)
        same_exports([a, b], tmp_path)
    finally:
        a.close()
        b.close()


def test_a_data_folder_restored_from_an_older_copy_gets_its_later_changes_back(tmp_path: Path, place: Path) -> None:
    clock = Clock()
    a = Device(tmp_path, "aaaa", place, clock)
    a.new("Before the copy", "kept")
    a.sync()
    a.close()
    database = database_path(a.data_dir)
    copy = database.read_bytes()
    a = Device(tmp_path, "aaaa", place, clock)
    a.new("After the copy", "would be lost")
    a.sync()
    a.close()
    for leftover in (database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        leftover.unlink(missing_ok=True)
    database.write_bytes(copy)
    restored = Device(tmp_path, "aaaa", place, clock)
    try:
        assert sorted(c.title for c in restored.every_conversation()) == ["Before the copy"]
        restored.sync()
        assert sorted(c.title for c in restored.every_conversation()) == ["After the copy", "Before the copy"]
    finally:
        restored.close()


def test_a_backup_restored_on_another_computer_syncs_under_a_new_identity(tmp_path: Path, place: Path) -> None:
    from qwen_desktop.core.backup import backup_data, restore_backup
    from qwen_desktop.core.sync.engine import Syncer
    from qwen_desktop.core.sync.folder import FolderLocation
    from qwen_desktop.core.sync.settings import SyncSettings, load_sync_settings, save_sync_settings

    clock = Clock()
    a = Device(tmp_path, "aaaa", place, clock)
    try:
        save_sync_settings(a.data_dir, SyncSettings(kind="folder", folder=str(place), device_id="aaaa"))
        a.new("Before the backup", "kept")
        a.sync()
        archive = backup_data(a.data_dir, a.store, tmp_path / "backups")
        a.new("After the backup", "sent by the first computer")
        a.sync()
        second = tmp_path / "second"
        restore_backup(archive, second)
        settings = load_sync_settings(second)
        assert settings.kind == "folder" and settings.device_id not in ("", "aaaa")
        b = Device(tmp_path, "second", place, clock)
        b.syncer.close()
        b.syncer = Syncer(b.data_dir, FolderLocation(place), PASSPHRASE, settings.device_id, store=b.store,
                          clock=clock)
        try:
            b.store.add_message(b.cid("Before the backup"), Role.USER, "from the second computer").result()
            converge([b, a])
            same_exports([a, b], tmp_path)
            assert sorted(c.title for c in b.every_conversation()) == ["After the backup", "Before the backup"]
            assert len(a.store.messages(a.cid("Before the backup"))) == 2
        finally:
            b.close()
    finally:
        a.close()


def test_two_rounds_of_one_data_folder_at_once_lose_nothing(tmp_path: Path, place: Path) -> None:
    """The window's round and a ``sync now`` in a terminal may run together on one data folder."""
    import threading

    from qwen_desktop.core.sync.engine import Syncer
    from qwen_desktop.core.sync.folder import FolderLocation

    clock = Clock()
    a, b = Device(tmp_path, "aaaa", place, clock), Device(tmp_path, "bbbb", place, clock)
    terminal_store = Store(database_path(a.data_dir))
    terminal = Syncer(a.data_dir, FolderLocation(place), PASSPHRASE, "aaaa", store=terminal_store)
    try:
        for number in range(6):
            a.new(f"A{number}", "question", "answer")
        errors: list[str] = []

        def rounds(syncer: Syncer) -> None:
            for _ in range(3):
                report = syncer.sync_once()
                errors.extend([report.error] if report.error else [])

        threads = [threading.Thread(target=rounds, args=(s,)) for s in (a.syncer, terminal)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors
        converge([a, b])
        document = same_exports([a, b], tmp_path)
        assert sorted(c["title"] for c in document["conversations"]) == [f"A{n}" for n in range(6)]
        assert all(len(c["messages"]) == 2 for c in document["conversations"])
    finally:
        terminal.close()
        terminal_store.close()
        a.close()
        b.close()
