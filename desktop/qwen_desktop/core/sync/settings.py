"""Where this device syncs to, kept in config.json under ``"sync"``; the secrets are in the keyring.

The settings never hold the passphrase or a WebDAV password: those are kept in the system
keyring under :data:`KEYRING_SERVICE` (names :data:`PASSPHRASE_NAME` and
:data:`WEBDAV_PASSWORD_NAME`), and :class:`SyncSecrets` reads and writes them.
"""

from __future__ import annotations

import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

import keyring
import keyring.backends.fail
import keyring.errors

from ..config import load_config, save_config
from ..errors import KeyringUnavailableError
from ..paths import config_path
from ..regions import has_user_info

CONFIG_KEY = "sync"
KEYRING_SERVICE = "qwen-desktop-sync"
PASSPHRASE_NAME = "passphrase"
WEBDAV_PASSWORD_NAME = "webdav-password"
Kind = Literal["folder", "webdav"]
T = TypeVar("T")


def new_device_id() -> str:
    """A random name for this device's files in the location: it says nothing about the device."""
    return secrets.token_hex(8)


@dataclass(frozen=True)
class SyncSettings:
    kind: Kind | None = None
    """None until sync is set up (and again after leaving it)."""
    folder: str = ""
    url: str = ""
    username: str = ""
    paused: bool = False
    device_id: str = ""
    device_name: str = ""

    @property
    def configured(self) -> bool:
        return self.kind is not None and bool(self.device_id)

    def with_(self, **changes: Any) -> SyncSettings:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "folder": self.folder,
            "url": self.url,
            "username": self.username,
            "paused": self.paused,
            "device_id": self.device_id,
            "device_name": self.device_name,
        }

    @classmethod
    def from_json(cls, data: Any) -> SyncSettings:
        """Values of the wrong type fall back to their defaults; an unknown kind means not set up."""
        if not isinstance(data, dict):
            return cls()

        def text(key: str) -> str:
            value = data.get(key)
            return value if isinstance(value, str) else ""

        kind = data.get("kind")
        device_id = text("device_id")
        if not (device_id.isalnum() and device_id.isascii() and len(device_id) <= 64):
            device_id = ""
        return cls(
            kind=kind if kind in ("folder", "webdav") else None,
            folder=text("folder"),
            url="" if has_user_info(text("url")) else text("url"),
            username=text("username"),
            paused=data.get("paused") is True,
            device_id=device_id,
            device_name=text("device_name"),
        )


def load_sync_settings(data_dir: Path) -> SyncSettings:
    return SyncSettings.from_json(load_config(config_path(data_dir)).extra.get(CONFIG_KEY))


def save_sync_settings(data_dir: Path, settings: SyncSettings) -> None:
    """Keep every other setting of config.json as it is; a URL holding a password is refused."""
    if has_user_info(settings.url):
        raise ValueError("A WebDAV address must not hold a user name or password.")
    path = config_path(data_dir)
    cfg = load_config(path)
    cfg.extra[CONFIG_KEY] = settings.to_json()
    save_config(path, cfg)


def new_identity(config_file: Path) -> None:
    """Give the settings file of a restored backup a device id of its own: the computer the backup
    came from may still sync under the old one, and two writers of one device's files would never
    read each other's changes as news."""
    cfg = load_config(config_file)
    found = SyncSettings.from_json(cfg.extra.get(CONFIG_KEY))
    if found.device_id:
        cfg.extra[CONFIG_KEY] = found.with_(device_id=new_device_id()).to_json()
        save_config(config_file, cfg)


def default_device_name() -> str:
    return socket.gethostname() or "this computer"


class SyncSecrets:
    """The sync passphrase and the WebDAV password in the system keyring; never in a file of ours."""

    def __init__(self, service: str = KEYRING_SERVICE) -> None:
        self.service = service

    def passphrase(self) -> str | None:
        return self._call(keyring.get_password, self.service, PASSPHRASE_NAME)

    def set_passphrase(self, passphrase: str) -> None:
        self._call(keyring.set_password, self.service, PASSPHRASE_NAME, passphrase)

    def webdav_password(self) -> str | None:
        return self._call(keyring.get_password, self.service, WEBDAV_PASSWORD_NAME)

    def set_webdav_password(self, password: str) -> None:
        self._call(keyring.set_password, self.service, WEBDAV_PASSWORD_NAME, password)

    def forget(self) -> None:
        """Remove both secrets (leaving sync); absent ones are not an error."""
        for name in (PASSPHRASE_NAME, WEBDAV_PASSWORD_NAME):
            try:
                self._call(keyring.delete_password, self.service, name)
            except _Absent:
                pass

    @staticmethod
    def _call(operation: Callable[..., T], *args: str) -> T:
        backend = keyring.get_keyring()
        if isinstance(backend, keyring.backends.fail.Keyring) or getattr(backend, "priority", 0) < 1:
            raise KeyringUnavailableError(
                "No usable system keyring was found, so the sync passphrase cannot be kept safely."
            )
        try:
            return operation(*args)
        except keyring.errors.PasswordDeleteError:
            raise _Absent() from None
        except Exception as exc:
            raise KeyringUnavailableError(
                f"The system keyring refused the operation ({type(exc).__name__})."
            ) from None


class _Absent(Exception):
    pass
