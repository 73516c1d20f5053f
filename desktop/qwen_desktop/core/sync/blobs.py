"""Attachments in the sync location: stored once per content, encrypted, named by a keyed hash.

A device uploads the attachments its outgoing messages use when the location lacks them; a device
that merges a message whose attachment it lacks notes it (``sync_wanted``) and fetches it in this
round or, when it has not arrived yet, in a later one. Fetched bytes are checked against their
digest before they are stored.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..attachments import AttachmentStore
from ..errors import QwenError
from ..storage import Store
from .crypto import Keys, UnreadableFileError
from .location import ChangedError, LocationError, NotFoundError, SyncLocation

BLOBS = "blobs"


def blob_path(keys: Keys, sha256: str) -> str:
    return f"{BLOBS}/{keys.blob_name(sha256)}.qsb"


class Blobs:
    def __init__(self, store: Store, files: AttachmentStore, location: SyncLocation) -> None:
        self._store, self._files, self._location = store, files, location
        self.read = 0
        self.written = 0

    def want(self, wanted: set[tuple[str, str]]) -> None:
        missing = [(sha, mime) for sha, mime in wanted if not self._files.exists({"sha256": sha, "mime": mime})]
        if missing:
            self._store.run_write(lambda conn: conn.executemany(
                "INSERT OR IGNORE INTO sync_wanted(sha256, mime) VALUES (?, ?)", missing)).result()

    def fetch(self, keys: Keys, problems: list[str]) -> None:
        wanted = self._store.run_read(lambda conn: conn.execute("SELECT sha256, mime FROM sync_wanted").fetchall())
        if not wanted:
            return
        present = {item.path for item in self._location.list(BLOBS)}
        got = []
        for sha, mime in wanted:
            ref = {"sha256": sha, "mime": mime}
            path = blob_path(keys, sha)
            if self._files.exists(ref):
                got.append((sha,))
                continue
            if path not in present:
                continue  # not uploaded yet: asked for again next time
            try:
                data = self._location.read(path)
                self.read += len(data)
                content = keys.open(path, data)
            except (NotFoundError, LocationError):
                continue
            except UnreadableFileError as exc:
                problems.append(f"{exc} It was skipped and will be tried again at the next sync.")
                continue
            if hashlib.sha256(content).hexdigest() != sha:
                problems.append(f"{path} does not hold the attachment it is named for; it was skipped.")
                continue
            self._files.write(self._files.path(ref), content)
            got.append((sha,))
        if got:
            self._store.run_write(lambda conn: conn.executemany(
                "DELETE FROM sync_wanted WHERE sha256 = ?", got)).result()

    def upload(self, keys: Keys, updates: list[dict[str, Any]], present: set[str]) -> None:
        for update in updates:
            attachments = update.get("f", {}).get("attachments")
            for ref in (attachments[0] if attachments else None) or []:
                if not isinstance(ref, dict) or not self._files.exists(ref):
                    continue
                path = blob_path(keys, str(ref["sha256"]))
                if path in present:
                    continue
                try:
                    content = self._files.load(ref)
                except QwenError:
                    continue
                data = keys.seal(path, content)
                try:
                    self._location.write(path, data, expected_tag="")
                    self.written += len(data)
                except ChangedError:
                    pass  # another device stored the same attachment
                present.add(path)
