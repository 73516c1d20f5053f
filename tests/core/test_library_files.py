"""Exported assistant and prompt files: what is not a readable regular file is a sentence, at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qwen_desktop.core import assistants, prompts
from qwen_desktop.core.errors import ConfigError

READERS = [pytest.param(assistants.read_file, id="assistants"), pytest.param(prompts.read_file, id="prompts")]


@pytest.mark.timeout(20)
@pytest.mark.parametrize("read_file", READERS)
def test_a_pipe_a_folder_and_a_missing_file_are_sentences_without_waiting(read_file, tmp_path: Path) -> None:
    pipe = tmp_path / "shared.json"
    os.mkfifo(pipe)  # opening it for reading the usual way waits for a writer forever
    with pytest.raises(ConfigError) as refused:
        read_file(pipe)
    assert refused.value.sentence == "shared.json is not a regular file (a pipe, device or socket), so it is not read."
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(ConfigError) as refused:
        read_file(tmp_path / "folder.json")
    assert refused.value.sentence == "folder.json is a folder, not a file."
    with pytest.raises(ConfigError) as refused:
        read_file(tmp_path / "gone.json")
    assert refused.value.sentence == "There is no file gone.json to import."


@pytest.mark.parametrize("read_file, what", [(assistants.read_file, "an assistants file"),
                                             (prompts.read_file, "a prompts file")])
def test_a_file_over_the_limit_is_refused_by_its_size(read_file, what: str, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (3 * 1024 * 1024))
    with pytest.raises(ConfigError) as refused:
        read_file(big)
    assert refused.value.sentence.startswith(f"big.json is too large to be {what} (3,145,728 bytes; at most ")
