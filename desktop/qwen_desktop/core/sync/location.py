"""Where synced files live: the small set of file operations every sync location offers.

A location holds only files this device or another wrote whole; a file is never visible half
written (a folder location writes a temporary name and renames; a WebDAV location uploads under a
temporary name and moves it). Paths are relative, ``/``-separated, and name nothing outside the
location. Every method is blocking: callers run them off the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..errors import ConfigError


class LocationError(ConfigError):
    """The location could not be reached or refused an operation; ``sentence`` says which, for the user."""

    kind = "sync_location"
    retryable = True
    sentence = "The sync location could not be reached."


class NotFoundError(LocationError):
    sentence = "A file in the sync location has gone."


class ChangedError(LocationError):
    """A conditional write found the file different from the version it was based on."""

    sentence = "A file in the sync location changed while it was being written."


@dataclass(frozen=True, slots=True)
class RemoteFile:
    path: str
    size: int
    tag: str
    """Changes whenever the content does (an ETag, or size and modification time)."""


class SyncLocation(Protocol):
    def describe(self) -> str:
        """The location for the user, without credentials: a folder path or a URL."""
        ...

    def list(self, folder: str) -> list[RemoteFile]:
        """The files directly inside ``folder`` (``""`` for the top); an absent folder is empty."""
        ...

    def read(self, path: str) -> bytes:
        """The whole file; NotFoundError if it is absent."""
        ...

    def write(self, path: str, data: bytes, *, expected_tag: str | None = None) -> str:
        """Publish ``data`` at ``path`` whole (creating folders as needed) and return its new tag.

        With ``expected_tag``, only if the file still has that tag (ChangedError otherwise); with
        ``expected_tag=""``, only if the file does not exist yet.
        """
        ...

    def delete(self, path: str) -> None:
        """Remove the file; an absent file is not an error."""
        ...
