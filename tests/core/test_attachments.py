"""The content-addressed attachment folder, its references in the database, and cleaning up."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from qwen_desktop.core.attachments import (
    AttachmentStore, history_items, images_in_history, omitted_placeholder,
)
from qwen_desktop.core.images import AttachmentMissingError, PreparedImage, prepare_image
from qwen_desktop.core.paths import attachments_dir, database_path
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, Role
from tests.core.test_images import encoded


def image(colour: str, name: str = "photo.png", size: tuple[int, int] = (40, 30)) -> PreparedImage:
    return prepare_image(encoded(Image.new("RGB", size, colour), "PNG"), name)


@pytest.fixture
def attachments(data_dir: Path) -> AttachmentStore:
    return AttachmentStore(data_dir)


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    with Store(database_path(data_dir)) as opened:
        yield opened


def age(path: Path, seconds: float = 3 * 24 * 3600) -> None:
    then = path.stat().st_mtime - seconds
    os.utime(path, (then, then))


def test_save_is_content_addressed_and_idempotent(attachments: AttachmentStore, data_dir: Path) -> None:
    prepared = image("red")
    ref = attachments.save(prepared)
    again = attachments.save(prepared)
    assert ref == again == {
        "sha256": prepared.sha256, "mime": "image/png", "width": 40, "height": 30,
        "bytes": len(prepared.data), "name": "photo.png", "notes": [],
    }
    path = attachments.path(ref)
    assert path == attachments_dir(data_dir) / prepared.sha256[:2] / f"{prepared.sha256}.png"
    assert path.read_bytes() == prepared.data
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert attachments.load(ref) == prepared.data
    assert attachments.data_url(ref).startswith("data:image/png;base64,")


def test_a_changed_or_missing_file_is_reported(attachments: AttachmentStore) -> None:
    ref = attachments.save(image("red", "cat.png"))
    attachments.path(ref).write_bytes(b"something else")
    with pytest.raises(AttachmentMissingError, match="cat.png was changed on disk"):
        attachments.load(ref)
    attachments.path(ref).unlink()
    assert not attachments.exists(ref)
    with pytest.raises(AttachmentMissingError) as caught:
        attachments.load(ref)
    assert str(caught.value) == (
        "The attached image cat.png is no longer on disk: attach it again to send it."
    )


def test_references_survive_reopening(data_dir: Path, attachments: AttachmentStore) -> None:
    ref = attachments.save(image("red"))
    with Store(database_path(data_dir)) as first:
        cid = first.create_conversation(ConversationSettings()).result()
        first.add_message(cid, Role.USER, "look", attachments=[ref]).result()
    with Store(database_path(data_dir)) as second:
        (message,) = second.messages(cid)
        assert message.attachments == [ref]
        assert second.referenced_attachments() == {ref["sha256"]}


def message_with(store: Store, refs: list[dict[str, Any]]) -> int:
    cid = store.create_conversation(ConversationSettings()).result()
    store.add_message(cid, Role.USER, "see", attachments=refs).result()
    return cid


def test_garbage_collection_removes_only_unreferenced_files(
    store: Store, attachments: AttachmentStore
) -> None:
    kept, shared, purged, loose, fresh = (
        attachments.save(image(colour)) for colour in ("red", "green", "blue", "white", "black")
    )
    message_with(store, [kept, shared])
    doomed = message_with(store, [shared, purged])
    for ref in (kept, shared, purged, loose):
        age(attachments.path(ref))
    store.delete_conversation(doomed).result()
    assert attachments.collect_garbage(store) == 1
    assert not attachments.exists(loose)
    assert attachments.exists(purged), "a soft-deleted conversation can still be restored"
    store.purge_deleted().result()
    assert attachments.collect_garbage(store) == 1
    assert not attachments.exists(purged)
    assert all(attachments.exists(ref) for ref in (kept, shared, fresh))


def test_garbage_collection_keeps_what_the_caller_names(
    store: Store, attachments: AttachmentStore
) -> None:
    pending = attachments.save(image("red"))
    age(attachments.path(pending))
    assert attachments.collect_garbage(store, keep={pending["sha256"]}) == 0
    assert attachments.collect_garbage(store, grace_s=0) == 1
    assert not attachments.path(pending).parent.exists()


def test_saving_again_renews_a_file_about_to_be_collected(
    store: Store, attachments: AttachmentStore
) -> None:
    prepared = image("red")
    age(attachments.path(attachments.save(prepared)))
    ref = attachments.save(prepared)
    assert attachments.collect_garbage(store) == 0
    assert attachments.exists(ref)


def test_unreferenced_rows_are_pruned(store: Store, attachments: AttachmentStore) -> None:
    ref = attachments.save(image("red"))
    cid = message_with(store, [ref])
    store.delete_conversation(cid).result()
    store.purge_deleted().result()
    assert store.prune_attachments().result() == [ref["sha256"]]
    assert store.referenced_attachments() == set()


def test_history_keeps_images_of_the_latest_messages_only(
    store: Store, attachments: AttachmentStore
) -> None:
    cid = store.create_conversation(ConversationSettings()).result()
    refs = [attachments.save(image(c, f"{c}.png")) for c in ("red", "green", "blue")]
    for ref in refs:
        store.add_message(cid, Role.USER, f"what is {ref['name']}?", attachments=[ref]).result()
        store.add_message(cid, Role.ASSISTANT, "a colour").result()
    store.add_message(cid, Role.USER, "and now?").result()
    items = history_items(store.messages(cid), 2, attachments)
    users = [item for item in items if item.role is Role.USER]
    assert users[0].images == ()
    assert users[0].content == "[image: red.png, 40×30 — omitted from history]\nwhat is red.png?"
    assert [len(u.images) for u in users] == [0, 1, 1, 0]
    assert users[1].images[0] == attachments.data_url(refs[1])
    assert all(not u.images for u in history_items(store.messages(cid), 0, attachments))


def test_history_with_a_vanished_file_says_so(store: Store, attachments: AttachmentStore) -> None:
    cid = store.create_conversation(ConversationSettings()).result()
    ref = attachments.save(image("red", "lost.png"))
    store.add_message(cid, Role.USER, "", attachments=[ref]).result()
    attachments.path(ref).unlink()
    (item,) = history_items(store.messages(cid), 3, attachments)
    assert item.images == ()
    assert item.content == omitted_placeholder(ref, "no longer on disk")
    assert item.content == "[image: lost.png, 40×30 — no longer on disk]"


def test_images_in_history_setting() -> None:
    assert images_in_history(ConversationSettings()) == 3
    assert images_in_history(ConversationSettings(context_params={"images_in_history": 1})) == 1
    assert images_in_history(ConversationSettings(context_params={"images_in_history": -4})) == 0
    assert images_in_history(ConversationSettings(context_params={"images_in_history": "x"})) == 3
