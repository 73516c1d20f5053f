"""End-to-end encryption of everything a device puts in the sync location.

One plaintext file, ``qwen-sync.json``, holds the scrypt salt and cost and a key check value: a
known text sealed with the derived key, so a wrong passphrase is told apart from a damaged file
before anything is merged. Every other file is ``nonce || AES-256-GCM(zlib(payload))`` with the
file's path in the location as associated data, so a file moved or swapped to another name fails
to open instead of being read as something it is not. File names carry no content: change files
are named by device id and number, attachments by a keyed hash of their digest.

Sources (read December 2026): the ``cryptography`` documentation of ``Scrypt``, ``HKDF`` and
``AESGCM`` (cryptography.io, "Key derivation functions" and "Authenticated encryption"); RFC 7914
(scrypt parameters: N=2^15, r=8, p=1 costs about 32 MiB and 0.1 s, interactive-login grade).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ..errors import ConfigError

HEADER_PATH = "qwen-sync.json"
FORMAT = "qwen-desktop-sync"
VERSION = 1
_CHECK_TEXT = b"qwen-desktop sync key check"
_NONCE = 12
MAX_PAYLOAD = 512 * 1024 * 1024


class WrongPassphraseError(ConfigError):
    kind = "sync_passphrase"
    sentence = "The sync passphrase is not the one this sync location was set up with."


class ForeignLocationError(ConfigError):
    kind = "sync_location"
    sentence = (
        "The sync location holds a qwen-sync.json this version of Qwen Desktop cannot read; "
        "it may belong to a newer version."
    )


class UnreadableFileError(Exception):
    """A file in the location that does not open with this key (damaged, cut short, or foreign)."""


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    n: int = 2**15
    r: int = 8
    p: int = 1

    def to_json(self) -> dict[str, Any]:
        return {"name": "scrypt", "salt": base64.b64encode(self.salt).decode(), "n": self.n, "r": self.r,
                "p": self.p}

    @classmethod
    def from_json(cls, data: Any) -> KdfParams:
        try:
            if data["name"] != "scrypt":
                raise ValueError(data["name"])
            params = cls(base64.b64decode(data["salt"], validate=True), int(data["n"]), int(data["r"]),
                         int(data["p"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ForeignLocationError() from exc
        if not (16 <= len(params.salt) <= 64 and 2**10 <= params.n <= 2**20 and params.n & (params.n - 1) == 0
                and 1 <= params.r <= 32 and 1 <= params.p <= 16):
            raise ForeignLocationError()
        return params


class Keys:
    """The keys derived from the passphrase: one to seal files, one to name attachments."""

    def __init__(self, master: bytes) -> None:
        self._seal = AESGCM(_subkey(master, b"qwen-desktop sync files"))
        self._names = _subkey(master, b"qwen-desktop sync names")

    @classmethod
    def derive(cls, passphrase: str, params: KdfParams) -> Keys:
        kdf = Scrypt(salt=params.salt, length=32, n=params.n, r=params.r, p=params.p)
        return cls(kdf.derive(passphrase.encode("utf-8")))

    def seal(self, path: str, payload: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._seal.encrypt(nonce, zlib.compress(payload, 6), path.encode("utf-8"))

    def open(self, path: str, data: bytes) -> bytes:
        if len(data) < _NONCE + 16:
            raise UnreadableFileError(f"{path} is cut short.")
        try:
            packed = self._seal.decrypt(data[:_NONCE], data[_NONCE:], path.encode("utf-8"))
        except InvalidTag:
            raise UnreadableFileError(f"{path} is damaged or was not written for this sync location.") from None
        try:
            inflate = zlib.decompressobj()
            payload = inflate.decompress(packed, MAX_PAYLOAD)
            if inflate.unconsumed_tail or not inflate.eof:
                raise zlib.error("too large or incomplete")
        except zlib.error:
            raise UnreadableFileError(f"{path} could not be unpacked.") from None
        return payload

    def seal_json(self, path: str, value: Any) -> bytes:
        return self.seal(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def open_json(self, path: str, data: bytes) -> Any:
        try:
            return json.loads(self.open(path, data).decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise UnreadableFileError(f"{path} does not hold what a sync file holds.") from None

    def blob_name(self, sha256: str) -> str:
        """A name for an attachment that reveals nothing about it (not even its public digest)."""
        return hmac.new(self._names, sha256.encode("ascii"), hashlib.sha256).hexdigest()[:40]

    def check_value(self) -> bytes:
        return self.seal(HEADER_PATH, _CHECK_TEXT)

    def matches(self, check: bytes) -> bool:
        try:
            return self.open(HEADER_PATH, check) == _CHECK_TEXT
        except UnreadableFileError:
            return False


def _subkey(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


def new_header(passphrase: str, params: KdfParams | None = None) -> tuple[bytes, Keys]:
    """The header file of a new location and the keys it describes."""
    params = params or KdfParams(os.urandom(16))
    keys = Keys.derive(passphrase, params)
    header = {"format": FORMAT, "version": VERSION, "kdf": params.to_json(),
              "check": base64.b64encode(keys.check_value()).decode()}
    return (json.dumps(header, indent=1) + "\n").encode("utf-8"), keys


def open_header(data: bytes, passphrase: str) -> Keys:
    """The keys for a location's header; WrongPassphraseError or ForeignLocationError otherwise."""
    try:
        header = json.loads(data.decode("utf-8"))
        if header["format"] != FORMAT:
            raise ValueError("format")
        version = header["version"]
        check = base64.b64decode(header["check"], validate=True)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ForeignLocationError(
            "The sync location's qwen-sync.json is damaged or is not a Qwen Desktop sync file."
        ) from exc
    if version != VERSION:
        raise ForeignLocationError()
    keys = Keys.derive(passphrase, KdfParams.from_json(header.get("kdf")))
    if not keys.matches(check):
        raise WrongPassphraseError()
    return keys
