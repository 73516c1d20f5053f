"""The folder location and the sealing of files: whole files only, conditional writes, nothing
outside the folder, special files refused with a sentence, swapped files detected."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qwen_desktop.core.sync.crypto import (
    KdfParams, Keys, UnreadableFileError, WrongPassphraseError, new_header, open_header,
)
from qwen_desktop.core.sync.folder import FolderLocation
from qwen_desktop.core.sync.location import ChangedError, LocationError, NotFoundError

FAST = KdfParams(b"0123456789abcdef", n=2**10)


def test_write_read_list_and_conditional_writes(tmp_path: Path) -> None:
    place = FolderLocation(tmp_path)
    assert place.list("changes") == []
    tag = place.write("changes/a-00000001.qsc", b"one", expected_tag="")
    assert place.read("changes/a-00000001.qsc") == b"one"
    (tmp_path / "changes" / ".a-00000002.qsc.123.tmp").write_bytes(b"half")
    (tmp_path / "changes" / "sub").mkdir()
    (listed,) = place.list("changes")
    assert (listed.path, listed.size, listed.tag) == ("changes/a-00000001.qsc", 3, tag)
    with pytest.raises(ChangedError):
        place.write("changes/a-00000001.qsc", b"two", expected_tag="")
    with pytest.raises(ChangedError):
        place.write("changes/a-00000001.qsc", b"two", expected_tag="1-1")
    assert place.read("changes/a-00000001.qsc") == b"one"
    newer = place.write("changes/a-00000001.qsc", b"three", expected_tag=tag)
    assert newer != tag and place.read("changes/a-00000001.qsc") == b"three"
    place.delete("changes/a-00000001.qsc")
    place.delete("changes/a-00000001.qsc")
    with pytest.raises(NotFoundError):
        place.read("changes/a-00000001.qsc")
    temporary = [p.name for p in (tmp_path / "changes").iterdir() if p.name.endswith(".tmp")]
    assert temporary == [".a-00000002.qsc.123.tmp"]  # none of the writes above left one behind


@pytest.mark.parametrize("path", ["../outside", "/etc/passwd", "changes/../../x", "", "changes/.hidden", "a\\b"])
def test_paths_that_leave_the_folder_are_refused(tmp_path: Path, path: str) -> None:
    place = FolderLocation(tmp_path / "in")
    (tmp_path / "in").mkdir()
    with pytest.raises(LocationError) as caught:
        place.write(path, b"x")
    assert "not a name inside the sync folder" in caught.value.sentence
    assert not (tmp_path / "outside").exists()


def test_special_files_and_a_missing_folder_are_sentences(tmp_path: Path) -> None:
    place = FolderLocation(tmp_path)
    (tmp_path / "changes").mkdir()
    os.mkfifo(tmp_path / "changes" / "pipe.qsc")
    (tmp_path / "changes" / "link.qsc").symlink_to("/etc/hostname")
    assert place.list("changes") == []
    with pytest.raises(LocationError) as caught:
        place.read("changes/pipe.qsc")  # would wait for a writer forever if opened blocking
    assert "not a regular file" in caught.value.sentence
    with pytest.raises(LocationError):
        place.read("changes/link.qsc")
    (tmp_path / "blobs").symlink_to(tmp_path.parent)
    with pytest.raises(LocationError) as caught:
        place.write("blobs/x.qsb", b"x")
    assert "outside the sync folder" in caught.value.sentence
    assert not (tmp_path.parent / "x.qsb").exists()
    gone = FolderLocation(tmp_path / "unplugged")
    with pytest.raises(LocationError) as caught:
        gone.list("changes")
    assert "does not exist" in caught.value.sentence


def test_sealed_files_open_only_under_their_own_name_and_key() -> None:
    header, keys = new_header("right passphrase", FAST)
    assert open_header(header, "right passphrase").matches(keys.check_value())
    with pytest.raises(WrongPassphraseError):
        open_header(header, "wrong passphrase")
    sealed = keys.seal_json("changes/a-00000001.qsc", {"text": "secret plans"})
    assert b"secret" not in sealed
    assert keys.open_json("changes/a-00000001.qsc", sealed) == {"text": "secret plans"}
    with pytest.raises(UnreadableFileError):
        keys.open_json("changes/a-00000002.qsc", sealed)  # swapped to another name
    with pytest.raises(UnreadableFileError):
        keys.open_json("changes/a-00000001.qsc", sealed[:20])
    other = Keys.derive("another passphrase", FAST)
    with pytest.raises(UnreadableFileError):
        other.open_json("changes/a-00000001.qsc", sealed)
    assert keys.blob_name("ab" * 32) != other.blob_name("ab" * 32)
