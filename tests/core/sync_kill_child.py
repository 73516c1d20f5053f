"""Runs one sync of a data directory and kills itself with SIGKILL after a given number of file
reads or writes in the location: a sync cut off in the middle, as by a power cut."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from qwen_desktop.core.sync import engine
from qwen_desktop.core.sync.engine import Syncer
from qwen_desktop.core.sync.folder import FolderLocation
from qwen_desktop.core.sync.webdav import WebDavLocation


class Dies:
    """Kills the process after ``count`` reads or writes of change files."""

    operation: str
    left: int

    def _count(self, operation: str) -> None:
        if operation == self.operation:
            self.left -= 1
            if self.left <= 0:
                os.kill(os.getpid(), signal.SIGKILL)

    def read(self, path: str) -> bytes:
        data = super().read(path)
        if not path.endswith(".json"):
            self._count("read")
        return data

    def write(self, path: str, data: bytes, *, expected_tag: str | None = None) -> str:
        tag = super().write(path, data, expected_tag=expected_tag)
        self._count("write")
        return tag


class DyingFolder(Dies, FolderLocation):
    def __init__(self, path: Path, operation: str, count: int) -> None:
        FolderLocation.__init__(self, path)
        self.operation, self.left = operation, count


class DyingWebDav(Dies, WebDavLocation):
    def __init__(self, url: str, user: str, password: str, operation: str, count: int) -> None:
        WebDavLocation.__init__(self, url, user, password)
        self.operation, self.left = operation, count


def main() -> None:
    data_dir, location, device, operation, count, passphrase = sys.argv[1:7]
    engine.UPDATES_PER_FILE = 5
    place: FolderLocation | WebDavLocation
    if location.startswith(("http://", "https://")):
        user, password = sys.argv[7:9]
        place = DyingWebDav(location, user, password, operation, int(count))
    else:
        place = DyingFolder(Path(location), operation, int(count))
    with Syncer(Path(data_dir), place, passphrase, device) as syncer:
        syncer.sync_once()
    sys.exit(3)  # never reached when the kill came


if __name__ == "__main__":
    main()
