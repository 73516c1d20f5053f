"""Devices for the sync tests: each a data directory with its real store, syncing through one
real folder location."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qwen_desktop.core import export as x
from qwen_desktop.core.attachments import AttachmentStore
from qwen_desktop.core.paths import database_path
from qwen_desktop.core.storage import Store
from qwen_desktop.core.sync.crypto import HEADER_PATH, KdfParams, new_header
from qwen_desktop.core.sync.engine import SyncReport, Syncer
from qwen_desktop.core.sync.folder import FolderLocation
from qwen_desktop.core.types import ConversationSettings, Role

PASSPHRASE = "correct horse battery staple"


def quick_location(folder: Path, passphrase: str = PASSPHRASE) -> Path:
    """A location set up with a low scrypt cost (read from its header by every device), so that
    tests about merging do not spend their time deriving keys; the real cost is the default."""
    header, _keys = new_header(passphrase, KdfParams(b"test salt 16 byt", n=2**10))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / HEADER_PATH).write_bytes(header)
    return folder


class Clock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 0.001
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Device:
    def __init__(self, root: Path, name: str, location: Path, clock: Clock, **options: Any) -> None:
        self.name = name
        self.data_dir = root / name
        self.store = Store(database_path(self.data_dir), clock=clock)
        self.files = AttachmentStore(self.data_dir)
        self.syncer = Syncer(self.data_dir, FolderLocation(location), PASSPHRASE, name, store=self.store,
                             clock=clock, **options)

    def sync(self) -> SyncReport:
        report = self.syncer.sync_once()
        assert report.error is None, report.error
        return report

    def new(self, title: str, *messages: str) -> int:
        cid = self.store.create_conversation(ConversationSettings(), title).result()
        for number, text in enumerate(messages):
            self.store.add_message(cid, Role.USER if number % 2 == 0 else Role.ASSISTANT, text).result()
        return cid

    def cid(self, title: str) -> int:
        found = [c for c in self.every_conversation() if c.title == title]
        assert len(found) == 1, (title, [c.title for c in self.every_conversation()])
        return found[0].id

    def every_conversation(self) -> list[Any]:
        ids = self.store.run_read(lambda conn: [r[0] for r in conn.execute("SELECT id FROM conversations")])
        return [self.store.conversation(cid) for cid in ids]

    def export(self, target: Path) -> dict[str, Any]:
        x.export_json(self.store, self.files, target)
        document = json.loads(target.read_text(encoding="utf-8"))
        document.pop("export_id")
        document.pop("exported_at")
        return document

    def close(self) -> None:
        self.syncer.close()
        self.store.close()


def converge(devices: list[Device], rounds: int = 2) -> None:
    for _ in range(rounds):
        for device in devices:
            device.sync()


def location_bytes(location: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(location.rglob("*")) if p.is_file())


def same_exports(devices: list[Device], tmp_path: Path, check: Callable[[dict[str, Any]], None] | None = None
                 ) -> dict[str, Any]:
    exports = [d.export(tmp_path / f"{d.name}.json") for d in devices]
    for other in exports[1:]:
        assert other == exports[0]
    if check:
        check(exports[0])
    return exports[0]
