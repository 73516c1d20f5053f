"""Two and three data folders syncing through a real WebDAV server (wsgidav) on loopback: real
stores, real encryption, real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core.paths import database_path
from qwen_desktop.core.storage import Store
from qwen_desktop.core.sync import engine
from qwen_desktop.core.sync.engine import Syncer
from qwen_desktop.core.sync.webdav import WebDavLocation
from qwen_desktop.core.types import ConversationSettings, Role
from tests.core.sync_devices import PASSPHRASE, Clock, Device, converge, quick_location, same_exports
from tests.webdav_server import PASSWORD, USER, WebDavServer

Make = Callable[..., Device]
ROOT = Path(__file__).resolve().parents[2]
DAY = 86400.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDavServer]:
    with WebDavServer(tmp_path_factory.mktemp("dav")) as running:
        yield running


@pytest.fixture
def folder_url(server: WebDavServer, request: pytest.FixtureRequest) -> str:
    server.faults.queue.clear()
    quick_location(server.root / request.node.name)
    return server.url + request.node.name + "/"


@pytest.fixture
def make(tmp_path: Path, folder_url: str) -> Iterator[Make]:
    clock = Clock()
    made: list[tuple[Device, WebDavLocation]] = []

    def build(name: str, *, password: str = PASSWORD, passphrase: str = PASSPHRASE, **options: Any) -> Device:
        device = Device(tmp_path, name, tmp_path / "unused", clock)
        device.syncer.close()
        location = WebDavLocation(folder_url, USER, password, backoff=0.01, sleep=lambda _s: None)
        device.syncer = Syncer(device.data_dir, location, passphrase, name, store=device.store, clock=clock,
                               **options)
        device.clock = clock  # type: ignore[attr-defined]
        made.append((device, location))
        return device

    yield build
    for device, location in made:
        device.close()
        location.close()


def server_bytes(server: WebDavServer, url: str) -> bytes:
    folder = server.root / url.split("/dav/", 1)[1]
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_two_devices_edit_the_same_conversation_through_webdav(make: Make, server: WebDavServer,
                                                              folder_url: str, tmp_path: Path) -> None:
    a, b = make("aaaa"), make("bbbb")
    a.new("Tea in Hangzhou", "Which Longjing is best?", "Shifeng Longjing, picked before Qingming.")
    b.new("Harbin packing", "What to bring in January?")
    converge([a, b])
    a.store.add_message(a.cid("Tea in Hangzhou"), Role.USER, "And how to brew it?").result()
    b.store.add_message(b.cid("Tea in Hangzhou"), Role.USER, "Is it expensive?").result()
    b.store.rename(b.cid("Tea in Hangzhou"), "Longjing tea").result()
    a.store.set_pinned(a.cid("Tea in Hangzhou"), True).result()
    converge([a, b])
    document = same_exports([a, b], tmp_path)
    tea = next(c for c in document["conversations"] if c["title"] == "Longjing tea")
    assert tea["pinned"]
    assert {"And how to brew it?", "Is it expensive?"} <= {m["content"] for m in tea["messages"]}
    stored = server_bytes(server, folder_url)
    assert stored
    for plain in (b"Longjing", b"Hangzhou", b"Harbin", b"Qingming", b"brew", b"expensive"):
        assert plain not in stored
    assert a.syncer.pending() == 0 and b.syncer.pending() == 0


def test_three_devices_rename_against_delete_and_an_interrupted_round(make: Make, server: WebDavServer,
                                                                      tmp_path: Path) -> None:
    a, b, c = make("aaaa"), make("bbbb"), make("cccc")
    a.new("Old name", "hello")
    c.new("From C", "c1", "c2")
    converge([a, b, c])
    a.store.rename(a.cid("Old name"), "New name").result()
    b.store.delete_conversation(b.cid("Old name")).result()
    c.store.add_message(c.cid("From C"), Role.USER, "c3 while the server fails").result()
    server.faults.fail(503, times=4)
    failed = c.syncer.sync_once()
    assert failed.error == "The WebDAV server had a problem; syncing will try again later."
    assert c.syncer.pending() > 0
    converge([b, c, a])
    same_exports([a, b, c], tmp_path)
    for device in (a, b, c):
        renamed = device.store.conversation(device.cid("New name"))
        assert renamed.deleted_at is not None, "renamed on one device and deleted on another: in the trash"
    assert [d.store.messages(d.cid("From C"))[-1].content for d in (a, b, c)] == ["c3 while the server fails"] * 3


def test_a_wrong_passphrase_over_webdav_is_a_sentence_and_keeps_local_data(make: Make) -> None:
    a = make("aaaa")
    a.new("Mine", "kept")
    a.sync()
    b = make("bbbb", passphrase="not the passphrase")
    b.new("Local only", "still here")
    report = b.syncer.sync_once()
    assert report.error == "The sync passphrase is not the one this sync location was set up with."
    assert [x.title for x in b.every_conversation()] == ["Local only"]
    assert b.syncer.pending() > 0


def test_a_wrong_webdav_password_is_a_sentence_and_keeps_local_data(make: Make) -> None:
    wrong = "hunter2-not-it"
    b = make("bbbb", password=wrong)
    b.new("Local only", "still here")
    report = b.syncer.sync_once()
    assert report.error == "The WebDAV server did not accept the user name or password."
    assert wrong not in repr(report)
    assert [x.title for x in b.every_conversation()] == ["Local only"] and b.syncer.pending() > 0


def server_folder(server: WebDavServer, url: str) -> Path:
    return server.root / url.split("/dav/", 1)[1].strip("/")


def test_a_device_offline_for_a_week_catches_up_through_webdav_after_compaction(
        make: Make, server: WebDavServer, folder_url: str, tmp_path: Path) -> None:
    a = make("aaaa", compact_after=3, superseded_kept_s=DAY)
    b = make("bbbb", compact_after=3, superseded_kept_s=DAY)
    a.new("Diary", "Monday")
    converge([a, b])
    b.store.add_message(b.cid("Diary"), Role.USER, "Written offline").result()
    b.store.rename(b.cid("Diary"), "Diary (offline title)").result()
    days = ("Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Monday again")
    for day in days:
        a.clock.advance(DAY)  # type: ignore[attr-defined]
        a.new(day, f"what happened on {day}")
        a.sync()
    folder = server_folder(server, folder_url)
    own = sorted(p.name for p in (folder / "changes").iterdir() if p.name.startswith("aaaa"))
    assert any((folder / "snapshots").iterdir()) and "aaaa-00000001.qsc" not in own, own
    assert b.sync().pulled > 0
    a.sync()
    document = same_exports([a, b], tmp_path)
    assert sorted(c["title"] for c in document["conversations"]) == sorted(["Diary (offline title)", *days])
    diary = next(c for c in document["conversations"] if c["title"].startswith("Diary"))
    assert [m["content"] for m in diary["messages"]] == ["Monday", "Written offline"]


def test_truncated_and_corrupted_files_on_the_server_are_skipped_and_retried(
        make: Make, server: WebDavServer, folder_url: str) -> None:
    a, b = make("aaaa"), make("bbbb")
    a.new("First", "one")
    a.sync()
    a.new("Second", "two")
    a.sync()
    changes = server_folder(server, folder_url) / "changes"
    first, second = sorted(changes.iterdir())
    good_first, good_second = first.read_bytes(), second.read_bytes()
    first.write_bytes(good_first[: len(good_first) // 2])
    second.write_bytes(good_second[:-1] + bytes([good_second[-1] ^ 1]))
    (changes / "eeee-00000001.qsc").write_bytes(b"not ours at all")
    b.new("B's own", "safe")
    report = b.syncer.sync_once()
    assert report.error is None and len(report.problems) == 3, report
    assert [c.title for c in b.every_conversation()] == ["B's own"]
    first.write_bytes(good_first)
    second.write_bytes(good_second)
    report = b.syncer.sync_once()
    assert len(report.problems) == 1, report
    assert sorted(c.title for c in b.every_conversation()) == ["B's own", "First", "Second"]


def _kill_during(data_dir: Path, url: str, device: str, operation: str, count: int) -> None:
    child = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "core" / "sync_kill_child.py"), str(data_dir), url, device,
         operation, str(count), PASSPHRASE, USER, PASSWORD],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    assert child.returncode == -9, child.stderr


def test_a_webdav_sync_killed_while_pulling_and_while_pushing_converges_on_the_next(
        make: Make, folder_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "UPDATES_PER_FILE", 5)
    with Store(database_path(tmp_path / "bbbb")) as store:
        for number in range(8):
            cid = store.create_conversation(ConversationSettings(), f"B{number}").result()
            store.add_message(cid, Role.USER, f"question {number}").result()
    a = make("aaaa")
    for number in range(6):
        a.new(f"A{number}", f"answer {number}", "reply")
    a.sync()
    _kill_during(tmp_path / "bbbb", folder_url, "bbbb", "read", 2)
    with Store(database_path(tmp_path / "bbbb")) as store:
        assert 8 < store.count_conversations() < 14
    _kill_during(tmp_path / "bbbb", folder_url, "bbbb", "write", 2)
    b = make("bbbb")
    assert b.syncer.pending() > 0
    converge([b, a])
    document = same_exports([a, b], tmp_path)
    assert sorted(c["title"] for c in document["conversations"]) == sorted(
        [f"A{n}" for n in range(6)] + [f"B{n}" for n in range(8)])
    assert b.syncer.pending() == 0
