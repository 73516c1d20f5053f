"""Backing up the data folder into a zip, and restoring one.

A backup is built in the data folder's own scratch space and moved into the user's folder in one
rename, so a backup killed part-way leaves nothing in the user's folder; scratch left by a killed
process is removed at the next start. A restore trusts nothing in the archive: only the names a
backup holds are accepted (no paths of its own, no links, bounded sizes), the database inside
must be ours and intact, every image must match its digest, and the current files are moved
aside, never deleted. API keys are never in either: they live in the system keyring.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .files import FileRefusedError, read_bounded, write_atomically
from .paths import attachments_dir, config_path, database_path
from .sync.settings import new_identity
from .scratch import clean_scratch, new_scratch, owner_gone, scratch_dir  # noqa: F401 - scratch_dir for callers
from .storage import Store
from .storage.database import backup as sqlite_backup
from .storage.owners import live_writers
from .storage.schema import CURRENT_VERSION

BACKUP_PREFIX = "qwen-desktop-backup"
RESTORING_SUFFIX = ".restoring"
MAX_MEMBERS = 200_000
MAX_TOTAL_BYTES = 64 * 1024**3
MAX_RATIO = 1000
"""A member that inflates more than this many times its packed size is refused (a zip bomb)."""
_MEMBER = re.compile(
    r"(?P<db>conversations\.sqlite3)|(?P<config>config\.json)"
    r"|attachments/(?P<dir>[0-9a-f]{2})/(?P<sha>[0-9a-f]{64})\.(?:png|jpg|webp|bin)"
)
_SIDECARS = ("", "-wal", "-shm")
_OLD_SCRATCH = frozenset({"backup.zip", "conversations.sqlite3", "conversations.sqlite3-journal"})


class BackupRefusedError(ConfigError):
    kind = "backup_refused"
    sentence = "This file is not a Qwen Desktop backup."


class DataFolderBusyError(ConfigError):
    kind = "data_folder_busy"
    sentence = (
        "Qwen Desktop is still using this data folder: close the window (and any command still "
        "running) before restoring."
    )


@dataclass
class RestoreResult:
    conversations: int
    images: int
    moved_aside: list[str] = field(default_factory=list)


def clean_leftovers(data_dir: Path) -> int:
    """Remove scratch of processes that died (a killed backup or restore); returns how many."""
    removed = clean_scratch(data_dir)
    finish_interrupted_restore(data_dir)
    return removed


def _clean_target_leftovers(target_dir: Path) -> None:
    """Partial copies of a killed backup in the user's folder, and the temporary folders older
    versions built backups in (holding only a partial zip and a database copy)."""
    with contextlib.suppress(OSError):
        for entry in list(target_dir.iterdir()):
            name = entry.name
            if name.startswith(f".{BACKUP_PREFIX}-") and name.endswith(".partial") and owner_gone(name):
                entry.unlink(missing_ok=True)
            elif name.startswith("tmp") and entry.is_dir() and not entry.is_symlink():
                inside = {p.name for p in entry.iterdir()}
                if inside and inside <= _OLD_SCRATCH:
                    shutil.rmtree(entry, ignore_errors=True)


def _unique_target(target_dir: Path, clock: Callable[[], float]) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(clock()))
    target = target_dir / f"{BACKUP_PREFIX}-{stamp}.zip"
    counter = 1
    while target.exists():
        target = target_dir / f"{BACKUP_PREFIX}-{stamp}-{counter}.zip"
        counter += 1
    return target


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _move_into_place(built: Path, target: Path) -> None:
    """One rename when the user's folder is on the same disk; otherwise a hidden copy beside the
    target (named with our pid, so a later backup can tell it is abandoned), then a rename."""
    try:
        os.replace(built, target)
        return
    except OSError as exc:
        if exc.errno != 18:  # EXDEV: another file system
            raise
    partial = target.with_name(f".{target.stem}-{os.getpid()}-{uuid.uuid4().hex[:8]}.partial")
    try:
        shutil.copyfile(built, partial)
        _fsync(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def backup_data(
    data_dir: Path, store: Store, target_dir: Path, *, clock: Callable[[], float] = time.time
) -> Path:
    """A zip of the database (SQLite's online backup API), attachments and settings."""
    store.flush().result()
    data_dir, target_dir = Path(data_dir), Path(target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    _clean_target_leftovers(target_dir)
    scratch = new_scratch(data_dir, "backup")
    try:
        copy = scratch / store.path.name
        source = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
        try:
            sqlite_backup(source, copy)
        finally:
            source.close()
        built = scratch / "backup.zip"
        with zipfile.ZipFile(built, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(copy, database_path(Path()).name)
            config = config_path(data_dir)
            if config.is_file():
                archive.write(config, config.name)
            root = attachments_dir(data_dir)
            if root.is_dir():
                for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
                    relative = path.relative_to(data_dir).as_posix()
                    if _MEMBER.fullmatch(relative):
                        archive.write(path, relative)
        _fsync(built)
        target = _unique_target(target_dir, clock)
        _move_into_place(built, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


# ---------------------------------------------------------------- restore


def _refuse(name: str, why: str) -> BackupRefusedError:
    return BackupRefusedError(f"{name} is not a Qwen Desktop backup ({why}), so nothing was restored.")


def _open_archive(path: Path) -> zipfile.ZipFile:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise _refuse(path.name, f"it cannot be opened: {exc.strerror or exc}") from None
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        handle.close()
        raise _refuse(path.name, "it is not a regular file")
    try:
        return zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        handle.close()
        raise _refuse(path.name, "it is not a zip archive, or a damaged one") from None


def check_archive(archive: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    """The members to restore; refuses anything a backup of ours would not hold."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(name, "it holds too many files")
    seen: set[str] = set()
    total = 0
    for info in infos:
        member = info.filename
        if not _MEMBER.fullmatch(member):
            raise _refuse(name, f"it holds {member[:80]!r}, which a backup never does")
        match = _MEMBER.fullmatch(member)
        assert match is not None
        if match.group("dir") and match.group("dir") != match.group("sha")[:2]:
            raise _refuse(name, f"the image {member[:80]!r} is in the wrong folder")
        if member in seen:
            raise _refuse(name, f"it holds {member[:80]!r} twice")
        seen.add(member)
        kind = (info.external_attr >> 16) & 0o170000
        if kind not in (0, stat.S_IFREG):
            raise _refuse(name, f"{member[:80]!r} is a link or special file")
        if info.flag_bits & 0x1:
            raise _refuse(name, "it is encrypted")
        total += info.file_size
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) + 1024 * 1024:
            raise _refuse(name, f"{member[:80]!r} would grow implausibly when unpacked")
    if total > MAX_TOTAL_BYTES:
        raise _refuse(name, "it would unpack to more than 64 GB")
    if database_path(Path()).name not in seen:
        raise _refuse(name, "it holds no conversation database")
    return infos


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, name: str) -> None:
    """Write one member to ``target`` (a path we built, never the archive's), at most its stated size."""
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        with archive.open(info) as source, open(target, "xb") as out:
            while chunk := source.read(1 << 20):
                written += len(chunk)
                if written > info.file_size:
                    raise _refuse(name, f"{info.filename[:80]!r} is larger than it says")
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, zipfile.LargeZipFile) as exc:
        raise _refuse(name, f"{info.filename[:80]!r} is damaged ({exc})") from None


def _check_database(path: Path, name: str) -> int:
    """Our schema, not newer than this version, intact; returns its number of conversations."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            count = int(conn.execute("SELECT count(*) FROM conversations").fetchone()[0]) if (
                "conversations" in tables) else 0
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise _refuse(name, "its database is not a database, or a damaged one") from None
    if version > CURRENT_VERSION:
        raise BackupRefusedError(
            f"{name} was made by a newer version of Qwen Desktop: update the app to restore it."
        )
    if version < 1 or not {"conversations", "messages"} <= tables:
        raise _refuse(name, "its database is not a Qwen Desktop conversation database")
    if verdict != "ok":
        raise _refuse(name, "its database is damaged")
    return count


def _check_config(path: Path, name: str) -> None:
    try:
        data = json.loads(read_bounded(path, 4 * 1024 * 1024))
    except (FileRefusedError, ValueError):
        raise _refuse(name, "its settings file is not valid JSON") from None
    if not isinstance(data, dict):
        raise _refuse(name, "its settings file is not a JSON object")


def _check_image(path: Path, digest: str, name: str) -> None:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
    if sha.hexdigest() != digest:
        raise _refuse(name, f"the image {digest[:12]}… does not match its digest")


def _aside(path: Path, stamp: str) -> Path | None:
    if not path.exists():
        return None
    target = path.with_name(f"{path.name}.before-restore-{stamp}")
    counter = 1
    while any(Path(f"{target}{s}").exists() for s in _SIDECARS):
        target = path.with_name(f"{path.name}.before-restore-{stamp}-{counter}")
        counter += 1
    return target


def restore_backup(
    source: Path, data_dir: Path, *, clock: Callable[[], float] = time.time
) -> RestoreResult:
    """Replace the data folder's database and settings with a backup's, and add its images.

    Everything is unpacked and checked in scratch space first; the current database and settings
    are then renamed aside (``….before-restore-<time>``). The new database is first put beside
    the old one as ``….restoring`` and renamed into place last, so a restore killed part-way is
    finished (or undone) at the next start.
    """
    source, data_dir = Path(source), Path(data_dir)
    if live_writers(database_path(data_dir)):
        raise DataFolderBusyError()
    scratch = new_scratch(data_dir, "restore")
    try:
        conversations, images = _unpack_checked(source, scratch)
        result = RestoreResult(conversations, len(images))
        _put_in_place(scratch, data_dir, images, result, clock)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


def _unpack_checked(source: Path, scratch: Path) -> tuple[int, list[tuple[Path, str]]]:
    """Unpack into ``scratch`` and check everything; the number of conversations and the images."""
    with _open_archive(source) as archive:
        infos = check_archive(archive, source.name)
        images: list[tuple[Path, str]] = []
        for info in infos:
            match = _MEMBER.fullmatch(info.filename)
            assert match is not None
            if match.group("sha"):
                local = scratch / "attachments" / match.group("dir") / Path(info.filename).name
                images.append((local, match.group("sha")))
            else:
                local = scratch / info.filename
            _extract(archive, info, local, source.name)
    conversations = _check_database(scratch / database_path(Path()).name, source.name)
    if (scratch / "config.json").exists():
        _check_config(scratch / "config.json", source.name)
        new_identity(scratch / "config.json")
    for local, digest in images:
        _check_image(local, digest, source.name)
    return conversations, images


PENDING = "restore-pending.json"


def stage_restore(source: Path, data_dir: Path) -> int:
    """For the window, which holds the database open: check the whole archive now and restore it
    at the next start. Returns the number of conversations it holds."""
    source, data_dir = Path(source).resolve(), Path(data_dir)
    scratch = new_scratch(data_dir, "check")
    try:
        conversations, _images = _unpack_checked(source, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    write_atomically(data_dir / PENDING, json.dumps({"path": str(source)}).encode("utf-8"))
    return conversations


def apply_pending_restore(data_dir: Path, *, clock: Callable[[], float] = time.time) -> str | None:
    """At start-up, before the database is opened: finish a restore chosen in the window.

    The request is removed first, so a backup that cannot be restored is tried once, never in a
    loop. Returns the sentence to show, or None when nothing was waiting.
    """
    pending = Path(data_dir) / PENDING
    try:
        request = json.loads(read_bounded(pending, 64 * 1024))
    except FileRefusedError:
        return None
    except ValueError:
        request = {}
    finally:
        with contextlib.suppress(OSError):
            pending.unlink()
    path = request.get("path") if isinstance(request, dict) else None
    if not isinstance(path, str):
        return "A restore was waiting but its details were damaged, so nothing was restored."
    try:
        result = restore_backup(Path(path), data_dir, clock=clock)
    except (ConfigError, OSError) as error:
        return f"The backup could not be restored: {error}"
    kept = f" The previous data was kept as {', '.join(result.moved_aside)}." if result.moved_aside else ""
    return f"Restored {result.conversations} conversations from {Path(path).name}.{kept}"


def _put_in_place(
    scratch: Path, data_dir: Path, images: list[tuple[Path, str]], result: RestoreResult,
    clock: Callable[[], float],
) -> None:
    db = database_path(data_dir)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(clock()))
    restoring = db.with_name(db.name + RESTORING_SUFFIX)
    os.replace(scratch / db.name, restoring)
    files = attachments_dir(data_dir)
    for local, _digest in images:
        target = files / local.parent.name / local.name
        if not target.exists():
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.replace(local, target)
    config = config_path(data_dir)
    if (scratch / config.name).exists():
        aside = _aside(config, stamp)
        if aside is not None:
            os.replace(config, aside)
            result.moved_aside.append(aside.name)
        os.replace(scratch / config.name, config)
    aside = _aside(db, stamp)
    if aside is not None:
        for suffix in _SIDECARS:
            if Path(f"{db}{suffix}").exists():
                os.replace(f"{db}{suffix}", f"{aside}{suffix}")
        result.moved_aside.append(aside.name)
    for suffix in ("-wal", "-shm", ".clean"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.replace(restoring, db)


def finish_interrupted_restore(data_dir: Path) -> None:
    """A restore killed after the old database moved aside: put the restored one in place."""
    db = database_path(data_dir)
    restoring = db.with_name(db.name + RESTORING_SUFFIX)
    if not restoring.exists():
        return
    if db.exists():
        restoring.unlink(missing_ok=True)
    else:
        os.replace(restoring, db)
