"""Image and document files kept beside the database, named by the SHA-256 of their content.

A message stores a small reference (``AttachmentStore.save`` returns it); the bytes live in
``<data dir>/attachments/ab/abcdef….png`` and are shared by every message that uses them.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .context import HistoryItem
from .context.counts import UNKNOWN_IMAGE_SIZE
from .files import read_bounded, write_atomically
from .images import AttachmentMissingError, PreparedImage, encode_data_url
from .paths import attachments_dir
from .scratch import process_scratch
from .storage import Message, Store
from .storage.errors import file_write_error
from .types import ConversationSettings, Role, stored_tool_calls

EXTENSIONS = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "text/csv": ".csv", "text/html": ".html", "text/markdown": ".md", "text/plain": ".txt",
}
GARBAGE_GRACE_S = 24 * 3600.0
"""Files saved (or saved again) this recently are never collected: they may be about to be sent."""

DEFAULT_IMAGES_IN_HISTORY = 3
MAX_STORED_BYTES = 16 * 1024 * 1024
"""Stored images are at most 7 MB (see images.MAX_RAW_BYTES); anything larger was not written by us."""
MAX_STORED_DOCUMENT_BYTES = 64 * 1024 * 1024
"""Documents are read up to 64 MB (documents.MAX_DOCUMENT_BYTES)."""

Ref = Mapping[str, Any]
DocumentText = Callable[[Ref], str]
"""What a stored document contributes to the history: its text, or a line standing for it."""


def is_document(ref: Ref) -> bool:
    return ref.get("kind") == "document"


def image_refs(refs: Sequence[Ref]) -> list[Ref]:
    return [ref for ref in refs if not is_document(ref)]


def describe(ref: Ref) -> str:
    name = str(ref.get("name") or "image")
    if ref.get("width") and ref.get("height"):
        return f"{name}, {ref['width']}×{ref['height']}"
    return name


def omitted_placeholder(ref: Ref, reason: str = "omitted from history") -> str:
    """What an older message says in place of an image it no longer carries."""
    return f"[image: {describe(ref)} — {reason}]"


class AttachmentStore:
    def __init__(self, data_dir: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.data_dir = Path(data_dir)
        self.root = attachments_dir(self.data_dir)
        self._clock = clock

    def save(self, image: PreparedImage) -> dict[str, Any]:
        """Store the bytes once (atomically) and return the reference a message keeps."""
        ref = {
            "sha256": image.sha256,
            "mime": image.mime,
            "width": image.width,
            "height": image.height,
            "bytes": len(image.data),
            "name": image.name,
            "notes": list(image.notes),
        }
        target = self.path(ref)
        if target.is_file() and target.stat().st_size == len(image.data):
            os.utime(target)
        else:
            self.write(target, image.data)
        return ref

    def write(self, target: Path, data: bytes) -> None:
        """Written in this process's scratch space and renamed in: a kill leaves nothing here."""
        try:
            write_atomically(target, data, temp_dir=process_scratch(self.data_dir))
        except OSError as exc:
            raise file_write_error(exc) from None

    def path(self, ref: Ref) -> Path:
        sha = str(ref["sha256"])
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ValueError(f"not a SHA-256 digest: {sha!r}")
        return self.root / sha[:2] / f"{sha}{EXTENSIONS.get(str(ref.get('mime')), '.bin')}"

    def exists(self, ref: Ref) -> bool:
        try:
            return self.path(ref).is_file()
        except (KeyError, ValueError):
            return False

    def load(self, ref: Ref) -> bytes:
        """The stored bytes, checked against their digest; AttachmentMissingError if gone or changed."""
        name = str(ref.get("name") or "image")
        try:
            data = read_bounded(self.path(ref), MAX_STORED_DOCUMENT_BYTES if is_document(ref)
                                else MAX_STORED_BYTES)
        except (OSError, KeyError, ValueError):
            raise AttachmentMissingError(name) from None
        if hashlib.sha256(data).hexdigest() != ref["sha256"]:
            raise AttachmentMissingError(name, "was changed on disk")
        return data

    def data_url(self, ref: Ref) -> str:
        return encode_data_url(str(ref["mime"]), self.load(ref))

    def files(self) -> Iterator[Path]:
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if folder.is_dir() and len(folder.name) == 2:
                yield from (p for p in folder.iterdir() if p.is_file())

    def collect_garbage(
        self, store: Store, *, keep: Iterable[str] = (), grace_s: float = GARBAGE_GRACE_S
    ) -> int:
        """Delete files no stored message references; returns how many were deleted.

        ``keep`` names digests still in use elsewhere (for example images waiting in a composer);
        files written within ``grace_s`` seconds are kept too.
        """
        store.prune_attachments().result()
        wanted = store.referenced_attachments() | set(keep)
        cutoff = self._clock() - grace_s
        removed = 0
        for path in self.files():
            digest = path.name.split(".", 1)[0]
            if digest in wanted or _modified(path) > cutoff:
                continue
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            removed += 1
            _remove_if_empty(path.parent)
        return removed


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def images_in_history(settings: ConversationSettings) -> int:
    """How many earlier user messages with images keep them (``context_params["images_in_history"]``)."""
    try:
        return max(0, int(settings.context_params.get("images_in_history", DEFAULT_IMAGES_IN_HISTORY)))
    except (TypeError, ValueError):
        return DEFAULT_IMAGES_IN_HISTORY


class PreloadedImages:
    """An attachment store whose data URLs were read beforehand (on a worker thread), by digest;
    ``None`` where the file had gone. Others are read from the store."""

    def __init__(self, store: AttachmentStore, urls: Mapping[str, str | None]) -> None:
        self.store = store
        self.urls = urls

    def data_url(self, ref: Ref) -> str:
        sha = str(ref.get("sha256"))
        if sha not in self.urls:
            return self.store.data_url(ref)
        url = self.urls[sha]
        if url is None:
            raise AttachmentMissingError(str(ref.get("name") or "image"))
        return url


def history_items(
    messages: Sequence[Message], keep_images: int, attachments: AttachmentStore | PreloadedImages | None,
    documents: DocumentText | None = None,
) -> list[HistoryItem]:
    """Stored messages as HistoryItems.

    The latest ``keep_images`` user messages that have images carry them as data URLs; in older
    ones (and where a file has gone) a short placeholder in the text stands for each image.
    """
    with_images = [m.id for m in messages if m.role is Role.USER and image_refs(m.attachments)]
    kept = set(with_images[-keep_images:]) if keep_images > 0 and attachments else set()
    return [_history_item(m, attachments if m.id in kept else None, documents) for m in messages]


def _history_item(
    message: Message, attachments: AttachmentStore | PreloadedImages | None, documents: DocumentText | None = None,
) -> HistoryItem:
    placeholders: list[str] = []
    urls: list[str] = []
    for ref in message.attachments:
        if is_document(ref):
            placeholders.append(documents(ref) if documents else f"[document: {ref.get('name')}]")
            continue
        if attachments is None:
            placeholders.append(omitted_placeholder(ref))
            continue
        try:
            urls.append(attachments.data_url(ref))
        except AttachmentMissingError:
            placeholders.append(omitted_placeholder(ref, "no longer on disk"))
    content = "\n".join(part for part in (*placeholders, message.content) if part)
    return HistoryItem(
        message.id, message.role, content, message.status, tuple(urls),
        stored_tool_calls(message.meta), message.meta.get("tool_call_id"),
    )


DocumentCost = Callable[[Ref], tuple[str, int]]
"""For counting: the text a stored document puts in the history, and the tokens counted besides it."""


def counted_history(messages: Sequence[Message], keep_images: int, documents: DocumentCost) -> list[HistoryItem]:
    """The history ``history_items`` builds, for counting only, with nothing read from disk: images
    by their stored pixel size, documents by ``documents`` (their stored token estimate)."""
    with_images = [m.id for m in messages if m.role is Role.USER and image_refs(m.attachments)]
    kept = set(with_images[-keep_images:]) if keep_images > 0 else set()
    items = []
    for message in messages:
        placeholders: list[str] = []
        sizes: list[tuple[int, int]] = []
        extra = 0
        for ref in message.attachments:
            if is_document(ref):
                text, tokens = documents(ref)
                placeholders.append(text)
                extra += tokens
            elif message.id in kept:
                width, height = ref.get("width"), ref.get("height")
                sizes.append((int(width), int(height)) if width and height else UNKNOWN_IMAGE_SIZE)
            else:
                placeholders.append(omitted_placeholder(ref))
        items.append(HistoryItem(
            message.id, message.role, "\n".join(part for part in (*placeholders, message.content) if part),
            message.status, (), stored_tool_calls(message.meta), message.meta.get("tool_call_id"),
            image_sizes=tuple(sizes), extra_tokens=extra,
        ))
    return items


def check_present(refs: Sequence[Ref], attachments: AttachmentStore) -> None:
    for ref in refs:
        if is_document(ref):
            continue
        if not attachments.exists(ref):
            raise AttachmentMissingError(str(ref.get("name") or "image"))


def image_urls(refs: Sequence[Ref], attachments: AttachmentStore) -> tuple[str, ...]:
    """Data URLs of a new message's images; AttachmentMissingError names the first one gone."""
    return tuple(attachments.data_url(ref) for ref in image_refs(refs))
