"""A sync location that is a folder: one that Syncthing, Nextcloud, Dropbox or a network share keeps
the same on every machine.

A file is written under a temporary name beginning with ``.`` in the same folder, flushed to disk
and renamed into place, so other devices (and the sync engine) only ever see whole files; names
beginning with ``.`` are never listed. Tags are size and modification time in nanoseconds.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path, PurePosixPath

from ..files import FileRefusedError, read_bounded, write_atomically
from .location import ChangedError, LocationError, NotFoundError, RemoteFile

MAX_FILE_BYTES = 1024 * 1024 * 1024


def _tag(info: os.stat_result) -> str:
    return f"{info.st_size}-{info.st_mtime_ns}"


class FolderLocation:
    def __init__(self, path: Path | str) -> None:
        self.root = Path(path).expanduser()

    def describe(self) -> str:
        return str(self.root)

    def _resolve(self, relative: str, *, folder: bool = False) -> Path:
        parts = PurePosixPath(relative).parts
        if (relative.startswith("/") or "\\" in relative or any(p in ("..", ".") for p in parts)
                or (not folder and not parts) or any(p.startswith(".") for p in parts)):
            raise LocationError(f"The sync path {relative!r} is not a name inside the sync folder.")
        target = self.root.joinpath(*parts)
        inside = os.path.realpath(target if folder else target.parent)
        if os.path.commonpath([inside, os.path.realpath(self.root)]) != os.path.realpath(self.root):
            raise LocationError(f"The sync path {relative!r} leads outside the sync folder (a symbolic link).")
        return target

    def _root_ready(self) -> None:
        if not self.root.is_dir():
            raise LocationError(f"The sync folder {self.root} does not exist or is not a folder.")

    def list(self, folder: str) -> list[RemoteFile]:
        self._root_ready()
        base = self._resolve(folder, folder=True)
        try:
            entries = list(os.scandir(base))
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as exc:
            raise LocationError(f"The sync folder {base} cannot be read ({exc.strerror or exc}).") from None
        found = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                path = f"{folder.rstrip('/')}/{entry.name}" if folder else entry.name
                found.append(RemoteFile(path, info.st_size, _tag(info)))
        return sorted(found, key=lambda f: f.path)

    def read(self, path: str) -> bytes:
        self._root_ready()
        target = self._resolve(path)
        try:
            return read_bounded(target, MAX_FILE_BYTES, follow_links=False)
        except FileRefusedError as exc:
            if not target.exists() and not target.is_symlink():
                raise NotFoundError() from None
            raise LocationError(f"The sync file {path} {exc.reason}") from None

    def _current_tag(self, target: Path) -> str:
        try:
            return _tag(target.lstat())
        except FileNotFoundError:
            return ""

    def write(self, path: str, data: bytes, *, expected_tag: str | None = None) -> str:
        self._root_ready()
        target = self._resolve(path)
        if expected_tag is not None and self._current_tag(target) != expected_tag:
            raise ChangedError()
        try:
            if expected_tag == "":
                self._create(target, data)
            else:
                write_atomically(target, data)
            return self._current_tag(target)
        except FileExistsError:
            raise ChangedError() from None
        except OSError as exc:
            raise LocationError(f"The sync file {path} could not be written ({exc.strerror or exc}).") from None

    @staticmethod
    def _create(target: Path, data: bytes) -> None:
        """Publish a new file only if the name is still free: a hard link never replaces a file."""
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(temp, target)
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links: the check above has to do
                os.replace(temp, target)
        finally:
            Path(temp).unlink(missing_ok=True)

    def delete(self, path: str) -> None:
        self._root_ready()
        target = self._resolve(path)
        try:
            target.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise LocationError(f"The sync file {path} could not be deleted ({exc.strerror or exc}).") from None
