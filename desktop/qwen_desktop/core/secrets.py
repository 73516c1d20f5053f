"""API keys live in the system keyring, one per region; never in a file of ours."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Literal, TypeVar

import keyring
import keyring.backends.fail
import keyring.errors

from qwen_desktop.core.errors import KeyringUnavailableError, KeyShapeError

SERVICE = "qwen-desktop"
ENV_KEY = "DASHSCOPE_API_KEY"
KeySource = Literal["keyring", "environment"]
T = TypeVar("T")

_KEY_SHAPE = re.compile(r"sk-[A-Za-z0-9_\-]{16,}")


def normalize_key(key: str) -> str:
    """Strip surrounding whitespace and check the ``sk-…`` shape; raises KeyShapeError."""
    candidate = (key or "").strip()
    if any(ch.isspace() for ch in candidate):
        raise KeyShapeError(
            "The key contains spaces or line breaks: paste it again as one piece, without anything around it."
        )
    if not _KEY_SHAPE.fullmatch(candidate):
        raise KeyShapeError()
    return candidate


def mask(key: str) -> str:
    """Show a key as ``sk-…abcd``: enough to tell keys apart, never enough to use one."""
    key = (key or "").strip()
    return f"sk-…{key[-4:]}" if len(key) >= 12 else "sk-…"


class KeyStore:
    """Per-region keys in the system keyring (username = region id).

    ``DASHSCOPE_API_KEY`` from the environment is used only for a region without a stored key.
    A keyring that cannot keep secrets raises KeyringUnavailableError; there is no plaintext fallback.
    """

    def __init__(self, service: str = SERVICE, env: Mapping[str, str] = os.environ) -> None:
        self.service = service
        self._env = env
        self._cache: dict[str, str | None] = {}
        self._cache_backend: object = None

    def _stored(self, region_id: str) -> str | None:
        """The keyring's answer, asked once per region: a Secret Service lookup is a D-Bus round
        trip, and the window asks on every conversation switch. ``set``/``delete`` keep it current;
        a different keyring backend starts afresh."""
        self._follow_backend()
        if region_id not in self._cache:
            self._cache[region_id] = self._call(keyring.get_password, self.service, region_id)
        return self._cache[region_id]

    def _follow_backend(self) -> None:
        backend = keyring.get_keyring()
        if backend is not self._cache_backend:
            self._cache, self._cache_backend = {}, backend

    def get(self, region_id: str) -> tuple[str, KeySource] | None:
        """The key to use for a region and where it came from, or None when there is none.

        Without a usable keyring the environment key still works; with neither, the keyring
        problem is raised so the user learns why a key cannot be stored.
        """
        from_env = (self._env.get(ENV_KEY) or "").strip()
        try:
            stored = self._stored(region_id)
        except KeyringUnavailableError:
            if from_env:
                return from_env, "environment"
            raise
        if stored:
            return stored, "keyring"
        if from_env:
            return from_env, "environment"
        return None

    def set(self, region_id: str, key: str) -> str:
        """Store the key after normalizing it; returns the stored (normalized) key."""
        normalized = normalize_key(key)
        self._follow_backend()
        self._cache.pop(region_id, None)
        self._call(keyring.set_password, self.service, region_id, normalized)
        self._cache[region_id] = normalized
        return normalized

    def delete(self, region_id: str) -> bool:
        """Forget the region's stored key; False if there was none."""
        self._follow_backend()
        self._cache.pop(region_id, None)
        try:
            self._call(keyring.delete_password, self.service, region_id)
        except _NothingToDelete:
            self._cache[region_id] = None
            return False
        self._cache[region_id] = None
        return True

    def stored_regions(self, region_ids: Iterable[str]) -> list[str]:
        return [region_id for region_id in region_ids if self._stored(region_id)]

    @staticmethod
    def mask(key: str) -> str:
        return mask(key)

    def backend_name(self) -> str:
        backend = keyring.get_keyring()
        return f"{type(backend).__module__}.{type(backend).__qualname__}"

    def _usable_backend(self) -> None:
        backend = keyring.get_keyring()
        if isinstance(backend, keyring.backends.fail.Keyring):
            raise KeyringUnavailableError()
        try:
            priority = backend.priority
        except Exception:
            raise KeyringUnavailableError() from None
        if priority < 1:
            raise KeyringUnavailableError()

    def _call(self, operation: Callable[..., T], *args: str) -> T:
        self._usable_backend()
        try:
            return operation(*args)
        except keyring.errors.PasswordDeleteError:
            failure: Exception = _NothingToDelete()
        except (keyring.errors.NoKeyringError, keyring.errors.KeyringLocked, keyring.errors.InitError) as exc:
            failure = KeyringUnavailableError()
            failure.__cause__ = _scrubbed(exc)
        except Exception as exc:
            failure = KeyringUnavailableError(f"The system keyring refused the operation ({type(exc).__name__}).")
            failure.__cause__ = _scrubbed(exc)
        raise failure


class _NothingToDelete(Exception):
    pass


def _scrubbed(exc: BaseException) -> Exception:
    """A stand-in cause naming only the exception type, so a key echoed in its message cannot leak."""
    return RuntimeError(f"{type(exc).__module__}.{type(exc).__name__} from the keyring backend")
