"""A really full disk: a tmpfs of a few MB mounted as the data folder (skipped with the reason
when mounting is not permitted). Saving works again as soon as space returns, no reply stays
"streaming", and the WAL stays small."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core.paths import database_path
from qwen_desktop.core.errors import StorageError
from qwen_desktop.core.storage import Store
from qwen_desktop.core.storage.database import WAL_SIZE_LIMIT
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role

DISK_MB = 4


class SmallDisk:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.filler = root / "filler.bin"

    def fill(self) -> None:
        """Take every free byte: large writes first, then small ones for the last blocks."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            for size in (1 << 20, 65536, 4096, 512):
                with contextlib.suppress(OSError):
                    while os.write(fd, b"\0" * size):
                        pass
        finally:
            os.close(fd)

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the full-disk tests need a real small disk")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m,mode=0700", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mounting a {DISK_MB} MB tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield SmallDisk(mount_point)
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_the_disk_is_really_full(small_disk: SmallDisk) -> None:
    small_disk.fill()
    fd = os.open(small_disk.root / "more", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with pytest.raises(OSError) as raised:
            os.write(fd, b"x" * 100_000)
    finally:
        os.close(fd)
    assert raised.value.errno == errno.ENOSPC


def test_saving_works_again_as_soon_as_space_returns(small_disk: SmallDisk) -> None:
    with Store(database_path(small_disk.root / "data")) as store:
        cid = store.create_conversation(ConversationSettings(), "kept").result()
        store.add_message(cid, Role.USER, "question").result()
        mid = store.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result()
        store.append_stream(mid, content="before ")
        store.flush().result()
        small_disk.fill()
        store.append_stream(mid, content="x" * 600_000)
        with pytest.raises(StorageError):
            store.flush().result()
        store.append_stream(mid, content="y" * 50_000)
        time.sleep(0.8)
        small_disk.free()
        time.sleep(0.8)
        store.append_stream(mid, content="after")
        store.flush().result()
        store.update_message(mid, status=MessageStatus.COMPLETE).result()
        message = store.message(mid)
        assert message.content == "before " + "x" * 600_000 + "y" * 50_000 + "after"
        assert message.status is MessageStatus.COMPLETE
        store.add_message(cid, Role.USER, "the next question").result()


def test_a_finished_reply_is_not_left_streaming_when_its_last_save_failed(small_disk: SmallDisk) -> None:
    with Store(database_path(small_disk.root / "data")) as store:
        cid = store.create_conversation(ConversationSettings(), "kept").result()
        mid = store.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result()
        store.append_stream(mid, content="the whole answer")
        store.flush().result()
        small_disk.fill()
        with contextlib.suppress(StorageError):
            big = {"notes": "n" * 1_000_000}
            store.update_message(mid, status=MessageStatus.COMPLETE, meta=big).result()
        small_disk.free()
        store.add_message(cid, Role.USER, "space is back").result()
        assert store.message(mid).status is MessageStatus.COMPLETE, "the last status was saved once it could be"


def test_the_wal_is_checkpointed_while_a_long_reply_streams(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    with Store(path) as store:
        cid = store.create_conversation(ConversationSettings(), "long").result()
        mid = store.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result()
        text = 0
        for i in range(600):
            piece = f"paragraph {i} " + "word " * 100 + "\n"
            store.append_stream(mid, content=piece)
            text += len(piece)
            if i % 2 == 0:
                store.flush().result()
        store.update_message(mid, status=MessageStatus.COMPLETE).result()
        wal = Path(f"{path}-wal")
        size = wal.stat().st_size if wal.exists() else 0
        assert size <= WAL_SIZE_LIMIT, f"WAL {size:,} bytes for {text:,} bytes of text"
        assert store.search("paragraph")


@pytest.fixture
def full_disk_window(small_disk: SmallDisk, qtbot: Any, run_async: Any, sim: Any, memory_keyring: Any):
    from tests.ui.harness import Harness

    sim.reset()
    data = small_disk.root / "data"
    data.mkdir()
    harness = Harness(qtbot, run_async, sim, data)
    yield harness, small_disk
    small_disk.free()
    harness.close_all()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_question_while_the_disk_is_full_shows_the_notice_and_keeps_the_text(full_disk_window) -> None:
    from tests.simulator import Reply

    harness, disk = full_disk_window
    window = harness.open()
    harness.sim.enqueue(Reply(content="stored before the disk filled"))
    harness.send(window, "first question")
    harness.wait_idle(window)
    cid = window.current_id
    before = window.store.messages(cid)
    disk.fill()
    harness.send(window, "a question while the disk is full " + "z" * 200_000)
    harness.wait_idle(window, timeout=20000)
    harness.qtbot.waitUntil(window.notice.isVisible, timeout=10000)
    assert "disk is full" in window.notice.text() or "could not be read or written" in window.notice.text()
    assert [m.content for m in window.store.messages(cid)][: len(before)] == [m.content for m in before]
    assert window.composer.text().startswith("a question while the disk is full"), "the text is kept"
    disk.free()
    harness.sim.enqueue(Reply(content="stored after space came back"))
    window.composer.set_text("")
    harness.send(window, "again")
    harness.wait_idle(window, timeout=20000)
    contents = [m.content for m in window.store.messages(cid)]
    assert "stored after space came back" in contents
    assert all(m.status.value != "streaming" for m in window.store.messages(cid))


def test_closing_on_a_full_disk_ends_cleanly(small_disk: SmallDisk) -> None:
    """Closing writes the clean-shutdown marker; on a full disk that is skipped, never an error
    that ends the app with status 1 (the next start then runs the full check instead)."""
    from qwen_desktop.core.storage.recovery import mark_clean_shutdown, open_store_safely

    path = database_path(small_disk.root / "data")
    store = Store(path)
    cid = store.create_conversation(ConversationSettings(), "kept").result()
    store.add_message(cid, Role.ASSISTANT, "answer " * 20_000).result()
    store.close()
    small_disk.fill()
    mark_clean_shutdown(path)
    small_disk.free()
    reopened, notice = open_store_safely(path)
    with reopened:
        assert notice is None
        assert reopened.conversation(cid).title == "kept"


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_new_conversation_while_the_disk_is_full_shows_the_notice(full_disk_window) -> None:
    harness, disk = full_disk_window
    window = harness.open()
    disk.fill()
    harness.send(window, "the first question of a new conversation")
    harness.qtbot.waitUntil(window.notice.isVisible, timeout=15000)
    assert "disk is full" in window.notice.text()
    assert window.composer.text() == "the first question of a new conversation", "the question stays"


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_question_with_an_image_while_the_disk_is_full_shows_the_notice(full_disk_window, tmp_path: Path) -> None:
    from PIL import Image

    from qwen_desktop.core.images import prepare_image
    from tests.simulator import Reply
    from tests.ui.composer.test_images import vision

    harness, disk = full_disk_window
    window = harness.open()
    vision(window)
    harness.sim.enqueue(Reply(content="hello"))
    harness.send(window, "hello first")
    harness.wait_idle(window)
    picture = tmp_path / "photo.png"
    Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3)).save(picture)
    window.composer.tray.add([prepare_image(picture)])
    disk.fill()
    harness.send(window, "what is in this picture?")
    harness.qtbot.waitUntil(window.notice.isVisible, timeout=15000)
    harness.wait_idle(window, timeout=20000)
    assert "disk is full" in window.notice.text()
    assert window.composer.text().startswith("what is in this picture?"), "the question stays"
