"""One round of sync: pull what other devices wrote, merge it, push this device's changes, compact.

Layout of a sync location (every file but the header is encrypted, see ``crypto``)::

    qwen-sync.json                      salt, scrypt cost, key check value (plaintext)
    changes/<device>-<seq>.qsc          one device's updates, numbered; only that device writes them
    snapshots/<device>-<seq>.qss        the merge of that device's updates up to <seq>
    blobs/<keyed hash>.qsb              attachments, stored once whatever uses them

No file is ever written by two devices and none is changed after it is written, so a sync engine
that does not merge files (Syncthing, Dropbox, a WebDAV server) never has a conflict to resolve.
The :class:`Syncer` is blocking: run it off the UI thread.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..attachments import AttachmentStore
from ..config import AppConfig, load_config, save_config
from ..errors import QwenError
from ..paths import config_path, database_path
from ..redact import remember_secret
from ..storage import Store
from . import changes as C
from .blobs import BLOBS, Blobs
from .apply import apply as apply_merged
from .crypto import HEADER_PATH, Keys, UnreadableFileError, new_header, open_header
from .location import ChangedError, LocationError, NotFoundError, RemoteFile, SyncLocation

log = logging.getLogger(__name__)

CHANGES, SNAPSHOTS = "changes", "snapshots"
_NAME = re.compile(r"^(changes|snapshots)/([0-9a-z]{1,64})-([0-9]{8,12})\.(qsc|qss)$")
_DEVICE = re.compile(r"[0-9a-z]{1,64}")
UPDATES_PER_FILE = 4000
COMPACT_AFTER = 64
"""This device folds its change files into a snapshot once it has this many."""
SUPERSEDED_KEPT_S = 2 * 86400
"""Change files a snapshot replaced stay this long, so engines that deliver the deletions before
the snapshot never leave another device with neither."""


@dataclass(frozen=True)
class SyncReport:
    pulled: int
    """Updates from other devices merged in this round."""
    pushed: int
    """Updates of this device published in this round."""
    finished_at: float
    problems: tuple[str, ...] = ()
    """Files skipped this time (and retried next time), one sentence each."""
    error: str | None = None
    """Why the round stopped, in one sentence; None when it completed."""
    settings_changed: bool = False
    """Settings from another device were written to config.json: a running window reloads them
    (before it saves its own, or it would send its old values back as news)."""


@dataclass(frozen=True)
class SyncStatus:
    last_synced_at: float | None
    pending: int
    last_error: str | None


@dataclass(frozen=True)
class _Name:
    folder: str
    device: str
    seq: int


def parse_name(path: str) -> _Name | None:
    match = _NAME.match(path)
    if match is None:
        return None
    return _Name(match.group(1), match.group(2), int(match.group(3)))


def change_path(device: str, seq: int) -> str:
    return f"{CHANGES}/{device}-{seq:08d}.qsc"


def snapshot_path(device: str, seq: int) -> str:
    return f"{SNAPSHOTS}/{device}-{seq:08d}.qss"


def pending_count(conn: sqlite3.Connection) -> int:
    outbox = conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]
    dirty = conn.execute("SELECT count(*) FROM sync_dirty").fetchone()[0]
    return int(outbox) + int(dirty)


def read_status(store: Store) -> SyncStatus:
    """What ``sync status`` and the status line show; needs no passphrase."""

    def job(conn: sqlite3.Connection) -> SyncStatus:
        last = C.meta(conn, "last_synced_at")
        return SyncStatus(float(last) if last else None, pending_count(conn), C.meta(conn, "last_error") or None)

    return store.run_read(job)


class Syncer:
    """Sync of one data directory through one location; blocking, run off the UI thread.

    ``store`` lets a running window share its open store (writes then go through its one
    writer); without it the syncer opens the data directory's database itself.
    """

    def __init__(
        self,
        data_dir: Path,
        location: SyncLocation,
        passphrase: str,
        device_id: str,
        *,
        store: Store | None = None,
        clock: Callable[[], float] = time.time,
        compact_after: int = COMPACT_AFTER,
        superseded_kept_s: float = SUPERSEDED_KEPT_S,
    ) -> None:
        if not _DEVICE.fullmatch(device_id):
            raise ValueError("device_id must be 1 to 64 lower-case letters and digits")
        remember_secret(passphrase)  # never shown, logged or put in an error, whatever echoes it
        self.data_dir = Path(data_dir)
        self.location = location
        self.device_id = device_id
        self._passphrase = passphrase
        self._store = store
        self._own_store = store is None
        self._clock = clock
        self._compact_after = compact_after
        self._kept_s = superseded_kept_s
        self._keys: Keys | None = None
        self.attachments = AttachmentStore(self.data_dir)
        self._read_bytes = 0
        self._written_bytes = 0
        self._blob_files: Blobs | None = None
        self._settings_changed = False
        self._location_id = ""

    # ---- the public surface

    @property
    def bytes_read(self) -> int:
        """Bytes read from the location by this syncer so far (change files, snapshots, attachments)."""
        return self._read_bytes + (self._blob_files.read if self._blob_files else 0)

    @property
    def bytes_written(self) -> int:
        return self._written_bytes + (self._blob_files.written if self._blob_files else 0)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(database_path(self.data_dir), clock=self._clock)
        return self._store

    def close(self) -> None:
        if self._own_store and self._store is not None:
            self._store.close()
            self._store = None
            self._blob_files = None

    def __enter__(self) -> Syncer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def check(self) -> None:
        """Open (or set up) the location with the passphrase; raises WrongPassphraseError."""
        self._open_keys()

    def pending(self) -> int:
        """Local changes not yet pushed."""
        return self.store.run_read(pending_count)

    def status(self) -> SyncStatus:
        return read_status(self.store)

    def sync_once(self) -> SyncReport:
        """Pull, merge, push and maybe compact; every failure ends as a sentence in the report."""
        problems: list[str] = []
        pulled = pushed = 0
        error: str | None = None
        self._settings_changed = False
        try:
            keys = self._open_keys()
            self._adopt_location()
            self._capture()
            pulled = self._pull(keys, problems)
            if self._settings_changed:
                self._write_settings()
            self._blobs().fetch(keys, problems)
            pushed = self._push(keys, problems)
            self._compact(keys, problems)
        except QwenError as exc:
            error = exc.sentence
        except OSError as exc:
            error = f"The sync location could not be used ({exc.strerror or type(exc).__name__})."
        except Exception:  # noqa: BLE001 - a background round must end in a sentence, never a crash
            log.exception("A sync round stopped unexpectedly")
            error = "Sync stopped because of an unexpected problem (details are in the log); it will be tried again."
        finished = self._clock()
        self._record(finished, error)
        return SyncReport(pulled, pushed, finished, tuple(problems), error, self._settings_changed)

    # ---- keys and local state

    def _capture(self) -> None:
        current = load_config(config_path(self.data_dir)).to_json()
        defaults = AppConfig().to_json()

        def job(conn: sqlite3.Connection, clock: C.Clock) -> None:
            C.capture(conn, clock)
            C.capture_settings(conn, clock, current, defaults)

        self._write(job)

    def _write_settings(self) -> None:
        path = config_path(self.data_dir)
        data = load_config(path).to_json()
        data.update(self.store.run_read(C.roaming_settings))
        save_config(path, AppConfig.from_json(data)[0])

    def _open_keys(self) -> Keys:
        if self._keys is not None:
            return self._keys
        try:
            data = self.location.read(HEADER_PATH)
        except NotFoundError:
            header, keys = new_header(self._passphrase)
            try:
                self.location.write(HEADER_PATH, header, expected_tag="")
            except ChangedError:  # another device set the location up at the same moment
                data = self.location.read(HEADER_PATH)
            else:
                self._location_id = hashlib.sha256(header).hexdigest()[:32]
                self._keys = keys
                return keys
        self._keys = open_header(data, self._passphrase)
        self._location_id = hashlib.sha256(data).hexdigest()[:32]
        return self._keys

    def _adopt_location(self) -> None:
        """A location other than the one this database last synced with (sync was left and set up
        again elsewhere, or the location was emptied and made anew) gets everything again: what
        was read and written there means nothing here, and the merged state, with its clocks, is
        published whole."""

        def job(conn: sqlite3.Connection, clock: C.Clock) -> None:
            known = C.meta(conn, "location")
            if known == self._location_id:
                return
            if known:
                for table in ("sync_seen", "sync_outbox", "sync_wanted"):
                    conn.execute(f"DELETE FROM {table}")
                C.set_meta(conn, "seq", "0")
                C.set_meta(conn, "snapshots", "{}")
                C.republish(conn)
            C.set_meta(conn, "location", self._location_id)

        self._write(job)

    def _write(self, job: Callable[[sqlite3.Connection, C.Clock], Any]) -> Any:
        """A write on the store's writer, with this device's clock loaded and saved around it."""

        def run(conn: sqlite3.Connection) -> Any:
            if C.meta(conn, "device") not in ("", self.device_id):  # a restored backup's new identity
                C.set_meta(conn, "seq", "0")
            C.set_meta(conn, "device", self.device_id)
            clock = C.Clock(int(C.meta(conn, "hlc", "0")), self._clock)
            result = job(conn, clock)
            C.set_meta(conn, "hlc", str(clock.last))
            return result

        return self.store.run_write(run).result()

    def _record(self, finished: float, error: str | None) -> None:
        def job(conn: sqlite3.Connection) -> None:
            if error is None:
                C.set_meta(conn, "last_synced_at", repr(finished))
            C.set_meta(conn, "last_error", error or "")

        try:
            self.store.run_write(job).result()
        except QwenError:
            log.warning("Could not record the sync result")

    def _read(self, keys: Keys, path: str) -> Any:
        data = self.location.read(path)
        self._read_bytes += len(data)
        return keys.open_json(path, data)

    def _publish(self, keys: Keys, path: str, value: Any, *, new: bool = True) -> None:
        data = keys.seal_json(path, value)
        self.location.write(path, data, expected_tag="" if new else None)
        self._written_bytes += len(data)

    # ---- pull

    def _listing(self, folder: str) -> list[tuple[RemoteFile, _Name]]:
        found = []
        for item in self.location.list(folder):
            name = parse_name(item.path)
            if name is not None:
                found.append((item, name))
        return found

    def _pull(self, keys: Keys, problems: list[str]) -> int:
        # Files are never changed once written, so a file read once (or written here) is done.
        seen = {row[0] for row in self.store.run_read(lambda conn: conn.execute("SELECT path FROM sync_seen").fetchall())}
        changes = self._listing(CHANGES)
        latest: dict[str, tuple[RemoteFile, _Name]] = {}
        for item, name in self._listing(SNAPSHOTS):
            if name.device not in latest or name.seq > latest[name.device][1].seq:
                latest[name.device] = (item, name)
        pulled = 0
        folded: dict[str, int] = {}
        """Per device, the change numbers a snapshot read (or found read) in this round covers."""
        for item, name in latest.values():
            if item.path in seen or self._covered(name):
                self._mark_seen([(item, name)])
                folded[name.device] = name.seq
                continue
            covered = [(c, n) for c, n in changes if n.device == name.device and n.seq <= name.seq]
            count = self._apply_file(keys, item, name, problems, covered)
            if count is not None:
                pulled += count
                folded[name.device] = name.seq
        for item, name in sorted(changes, key=lambda pair: (pair[1].device, pair[1].seq)):
            # This device's own files are read too when they were never recorded here: the data
            # folder was restored from a backup older than them.
            if item.path in seen or name.seq <= folded.get(name.device, 0):
                continue
            pulled += self._apply_file(keys, item, name, problems, []) or 0
        return pulled

    def _covered(self, snapshot: _Name) -> bool:
        """Every change file the snapshot folds in was read here already."""

        def job(conn: sqlite3.Connection) -> bool:
            row = conn.execute(
                "SELECT count(*) FROM sync_seen WHERE device = ? AND seq <= ? AND path LIKE 'changes/%'",
                (snapshot.device, snapshot.seq),
            ).fetchone()
            return int(row[0]) >= snapshot.seq

        return bool(self.store.run_read(job))

    def _mark_seen(self, files: list[tuple[RemoteFile, _Name]]) -> None:
        self.store.run_write(lambda conn: _mark(conn, files)).result()

    def _apply_file(
        self, keys: Keys, item: RemoteFile, name: _Name, problems: list[str],
        covered: list[tuple[RemoteFile, _Name]],
    ) -> int | None:
        """Merge one file; None when it could not be read (it is tried again next time)."""
        try:
            updates = _updates_of(self._read(keys, item.path), name)
        except NotFoundError:
            return None  # replaced by a snapshot meanwhile: read next time
        except UnreadableFileError as exc:
            problems.append(f"{exc} It was skipped and will be tried again at the next sync.")
            return None
        except LocationError as exc:
            problems.append(exc.sentence)
            return None

        def job(conn: sqlite3.Connection, clock: C.Clock) -> tuple[set[tuple[str, str]], bool]:
            C.capture(conn, clock)
            merged = C.merge(conn, updates, name.device, clock)
            wanted = apply_merged(conn, merged)
            _mark(conn, [(item, name), *covered])
            return wanted, merged.settings

        wanted, settings = self._write(job)
        self._blobs().want(wanted)
        self._settings_changed |= settings
        return len(updates)

    def _blobs(self) -> Blobs:
        if self._blob_files is None:
            self._blob_files = Blobs(self.store, self.attachments, self.location)
        return self._blob_files

    # ---- push

    def _push(self, keys: Keys, problems: list[str]) -> int:
        pushed = 0
        present: set[str] | None = None
        while True:
            rows = self.store.run_read(lambda conn: conn.execute(
                "SELECT id, body FROM sync_outbox ORDER BY id LIMIT ?", (UPDATES_PER_FILE,)).fetchall())
            if not rows:
                return pushed
            # Several edits of one record while offline go out as one update: their join.
            queued = [C.Update.from_json(json.loads(body)) for _id, body in rows]
            updates = [u.to_json() for u in C.join((u, self.device_id) for u in queued if u is not None)]
            if any("attachments" in u.get("f", {}) for u in updates):
                if present is None:
                    present = {item.path for item in self.location.list(BLOBS)}
                self._blobs().upload(keys, updates, present)
            seq = self._next_seq()
            while True:
                path = change_path(self.device_id, seq)
                try:
                    self._publish(keys, path, {"device": self.device_id, "seq": seq, "updates": updates})
                    break
                except ChangedError:
                    seq += 1  # a file of an interrupted earlier round holds this number
            last = rows[-1][0]
            name = parse_name(path)

            def done(conn: sqlite3.Connection, last: int = last, seq: int = seq, path: str = path) -> None:
                conn.execute("DELETE FROM sync_outbox WHERE id <= ?", (last,))
                C.set_meta(conn, "seq", str(seq))
                _mark(conn, [(RemoteFile(path, 0, ""), name)])

            self.store.run_write(done).result()
            pushed += len(rows)

    def _next_seq(self) -> int:
        local = int(self.store.run_read(lambda conn: C.meta(conn, "seq", "0")))
        own = [n.seq for _i, n in self._listing(CHANGES) + self._listing(SNAPSHOTS) if n.device == self.device_id]
        return max([local, *own]) + 1

    # ---- compaction

    def _compact(self, keys: Keys, problems: list[str]) -> None:
        changes = sorted((n.seq, i.path) for i, n in self._listing(CHANGES) if n.device == self.device_id)
        snapshots = sorted((n.seq, i.path) for i, n in self._listing(SNAPSHOTS) if n.device == self.device_id)
        written = json.loads(self.store.run_read(lambda conn: C.meta(conn, "snapshots", "{}")))
        base = snapshots[-1][0] if snapshots else 0
        fresh = [(seq, path) for seq, path in changes if seq > base]
        if len(fresh) >= self._compact_after:
            snapshot = self._fold(keys, snapshots[-1:] + fresh)
            if snapshot is not None:
                written[str(snapshot[0])] = self._clock()
                snapshots.append(snapshot)
                self.store.run_write(lambda conn: C.set_meta(conn, "snapshots", json.dumps(written))).result()
        now = self._clock()
        settled = [seq for seq, _p in snapshots if now - float(written.get(str(seq), now)) >= self._kept_s]
        if not settled:
            return
        upto = max(settled)
        for seq, path in changes:
            if seq <= upto:
                self.location.delete(path)
        for seq, path in snapshots:
            if seq < upto:
                self.location.delete(path)

    def _fold(self, keys: Keys, files: list[tuple[int, str]]) -> tuple[int, str] | None:
        """Write the merge of this device's files as one snapshot numbered like the newest of them."""
        upto = files[-1][0]
        path = snapshot_path(self.device_id, upto)
        try:
            collected = [(update, self.device_id) for _seq, source in files
                         for update in _updates_of(self._read(keys, source), parse_name(source))]
            updates = [u.to_json() for u in C.join(collected)]
            self._publish(keys, path, {"device": self.device_id, "seq": upto, "updates": updates})
            self._mark_seen([(RemoteFile(path, 0, ""), _Name(SNAPSHOTS, self.device_id, upto))])
        except (NotFoundError, UnreadableFileError, ChangedError) as exc:
            log.warning("This device's change files were not folded into a snapshot: %s", exc)
            return None
        return upto, path


def _mark(conn: sqlite3.Connection, files: list[tuple[RemoteFile, _Name | None]]) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO sync_seen(path, tag, device, seq) VALUES (?, ?, ?, ?)",
        ((item.path, item.tag, name.device, name.seq) for item, name in files if name is not None),
    )


def _updates_of(payload: Any, name: _Name | None) -> list[C.Update]:
    if (name is None or not isinstance(payload, dict) or payload.get("device") != name.device
            or payload.get("seq") != name.seq or not isinstance(payload.get("updates"), list)):
        raise UnreadableFileError("A file in the sync location does not hold what its name says.")
    try:
        updates = [C.Update.from_json(item) for item in payload["updates"]]
    except ValueError:
        raise UnreadableFileError(
            f"{name.folder}/{name.device}-{name.seq:08d} holds updates this version cannot read."
        ) from None
    return [update for update in updates if update is not None]
