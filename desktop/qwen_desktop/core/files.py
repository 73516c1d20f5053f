"""Writing files so that a crash leaves either the old content or the new, never half of it; reading
only regular files, with a bound."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Hashable
from pathlib import Path


def write_atomically(target: Path, data: bytes, *, temp_dir: Path | None = None) -> None:
    """Write to a temporary file (beside ``target``, or in ``temp_dir`` on the same disk), flush it
    to disk, then rename it over."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=temp_dir or target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class FileRefusedError(OSError):
    """A path that is not a regular file of a readable size; ``reason`` ends a sentence naming it."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(reason)
        self.path = Path(path)
        self.reason = reason


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB"


def read_bounded(
    path: Path, limit: int, *, follow_links: bool = True, identity: Hashable = None
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, checked on the open descriptor.

    The file is opened without blocking (a FIFO would wait for a writer forever), its type and
    size are checked with ``fstat`` on that descriptor (so a swap after a check cannot slip in
    something else), and at most ``limit + 1`` bytes are read, so a file that grows meanwhile or
    a device that never ends is still refused. ``follow_links=False`` refuses a symbolic link in
    the last path component; ``identity`` (device, inode) refuses any other file than that one.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    path = Path(path)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileRefusedError(path, "does not exist.") from None
    except IsADirectoryError:
        raise FileRefusedError(path, "is a folder, not a file.") from None
    except PermissionError:
        raise FileRefusedError(path, "cannot be read: permission denied.") from None
    except OSError as exc:
        if not follow_links and exc.errno == errno.ELOOP:
            raise FileRefusedError(path, "has changed: it is now a symbolic link, which is not followed.") from None
        raise FileRefusedError(path, f"cannot be opened ({exc.strerror or exc}).") from None
    try:
        info = os.fstat(fd)
        if identity is not None and (info.st_dev, info.st_ino) != identity:
            raise FileRefusedError(path, "has changed since it was allowed (it is another file now).")
        if stat.S_ISDIR(info.st_mode):
            raise FileRefusedError(path, "is a folder, not a file.")
        if not stat.S_ISREG(info.st_mode):
            raise FileRefusedError(path, "is not a regular file (a pipe, device or socket), so it is not read.")
        if info.st_size > limit:
            raise FileRefusedError(
                path, f"is too large ({_megabytes(info.st_size)}): files up to {_megabytes(limit)} are read."
            )
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileRefusedError(path, f"grew beyond {_megabytes(limit)} while it was read.")
        return b"".join(chunks)
    except FileRefusedError:
        raise
    except OSError as exc:
        raise FileRefusedError(path, f"cannot be read ({exc.strerror or exc}).") from None
    finally:
        os.close(fd)
