"""Two and three data folders syncing through a real WebDAV server (wsgidav) on loopback: real
stores, real encryption, real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from qwen_desktop.core.sync.engine import Syncer
from qwen_desktop.core.sync.webdav import WebDavLocation
from qwen_desktop.core.types import Role
from tests.core.sync_devices import PASSPHRASE, Clock, Device, converge, quick_location, same_exports
from tests.webdav_server import PASSWORD, USER, WebDavServer

Make = Callable[..., Device]


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

    def build(name: str, *, password: str = PASSWORD, passphrase: str = PASSPHRASE) -> Device:
        device = Device(tmp_path, name, tmp_path / "unused", clock)
        device.syncer.close()
        location = WebDavLocation(folder_url, USER, password, backoff=0.01, sleep=lambda _s: None)
        device.syncer = Syncer(device.data_dir, location, passphrase, name, store=device.store, clock=clock)
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
