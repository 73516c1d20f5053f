"""Export conversations (Markdown to read, JSON to keep), import JSON back, back up the data dir.

The JSON form is lossless: settings, every message field and the attachments' bytes. Nothing
here ever reads the keyring, so no export or backup can contain a key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .attachments import EXTENSIONS, AttachmentStore
from .backup import BACKUP_PREFIX, backup_data  # noqa: F401 - part of this module's interface
from .errors import ConfigError
from .export_check import FORMAT, VERSION, CheckedConversation, ImportFormatError, check_document
from .files import FileRefusedError, read_bounded
from .storage import Message, Store
from .storage import writes
from .responses import markdown_server_tools
from .types import MessageStatus, Role, Source
from .websearch import compatible_note, link_citations, markdown_sources

MAX_IMPORT_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class ExportResult:
    path: Path
    conversations: int
    messages: int
    files: int = 0


def _conversation_ids(store: Store, which: int | Sequence[int] | None) -> list[int]:
    if which is None:
        return sorted(store.conversation_ids())
    ids = [which] if isinstance(which, int) else list(which)
    for cid in ids:
        conversation = store.conversation(cid)
        if conversation is None or conversation.deleted_at is not None:
            raise ConfigError(f"There is no conversation with id {cid}.")
    return ids


def _message_record(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "role": message.role.value,
        "content": message.content,
        "reasoning": message.reasoning,
        "status": message.status.value,
        "error": message.error,
        "usage": message.usage.to_json() if message.usage else None,
        "model": message.model,
        "reasoning_ms": message.reasoning_ms,
        "context": message.context,
        "meta": message.meta,
        "attachments": message.attachments,
        "sources": [source.to_json() for source in message.sources],
        "created_at": message.created_at,
        "updated_at": message.updated_at,
        "parent_id": message.parent_id,
        "chosen": message.chosen,
        "deleted_at": message.deleted_at,
    }


def conversation_record(store: Store, cid: int, *, tree: bool = True) -> dict[str, Any]:
    """``tree``: every version and branch (a lossless copy); otherwise the path the user sees."""
    conversation = store.conversation(cid)
    if conversation is None:
        raise ConfigError(f"There is no conversation with id {cid}.")
    return {
        "id": cid,
        "title": conversation.title,
        "title_locked": conversation.title_locked,
        "pinned": conversation.pinned,
        "settings": conversation.settings.to_json(),
        "created_at": conversation.created_at,
        "updated_at": conversation.updated_at,
        "messages": [_message_record(m) for m in (store.all_messages(cid) if tree else store.messages(cid))],
    }


def _attachment_blobs(
    records: Iterable[dict[str, Any]], attachments: AttachmentStore | None
) -> dict[str, dict[str, str]]:
    blobs: dict[str, dict[str, str]] = {}
    if attachments is None:
        return blobs
    for record in records:
        for message in record["messages"]:
            for ref in message["attachments"]:
                sha = ref.get("sha256")
                if not sha or sha in blobs or not attachments.exists(ref):
                    continue
                data = attachments.load(ref)
                blobs[sha] = {"mime": str(ref.get("mime")), "data": base64.b64encode(data).decode()}
    return blobs


def _uids(store: Store, table: str) -> dict[int, str]:
    return dict(store.run_read(lambda conn: conn.execute(f"SELECT id, coalesce(uid, '') FROM {table}").fetchall()))


def _portable(records: list[dict[str, Any]], conversation_uids: dict[int, str],
              message_uids: dict[int, str]) -> list[dict[str, Any]]:
    """Number conversations and messages by their place in the export instead of by local row id,
    in an order every device agrees on (creation time, then the record's id shared by every
    device, parents before children): a synced conversation exports the same everywhere."""
    records = sorted(records, key=lambda r: (r["created_at"], conversation_uids.get(r["id"], "")))
    for number, record in enumerate(records, 1):
        record["id"] = number
        pending = sorted(record["messages"], key=lambda m: (m["created_at"], message_uids.get(m["id"], "")))
        present = {m["id"] for m in pending}
        positions: dict[int, int] = {}
        ordered: list[dict[str, Any]] = []
        while pending:
            waiting = []
            for message in pending:
                parent = message["parent_id"]
                if parent is not None and parent in present and parent not in positions:
                    waiting.append(message)
                    continue
                positions[message["id"]] = len(ordered) + 1
                ordered.append(message)
            if len(waiting) == len(pending):  # a cycle cannot be stored, but never loop on one
                waiting[0]["parent_id"] = None
            pending = waiting
        for message in ordered:
            message["id"] = positions[message["id"]]
            message["parent_id"] = positions.get(message["parent_id"]) if message["parent_id"] is not None else None
            context = message.get("context")
            if isinstance(context, dict) and isinstance(context.get("message_ids"), list):
                message["context"] = {**context, "message_ids": [
                    positions[i] for i in context["message_ids"] if i in positions]}
        record["messages"] = ordered
    return records


def export_json(
    store: Store, attachments: AttachmentStore | None, target: Path,
    which: int | Sequence[int] | None = None, *, clock: Callable[[], float] = time.time,
) -> ExportResult:
    store.flush().result()
    records = [conversation_record(store, cid) for cid in _conversation_ids(store, which)]
    records = _portable(records, _uids(store, "conversations"), _uids(store, "messages"))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "export_id": uuid.uuid4().hex,
        "exported_at": clock(),
        "conversations": records,
        "attachments": _attachment_blobs(records, attachments),
    }
    _write_text(Path(target), json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    return ExportResult(Path(target), len(records), sum(len(r["messages"]) for r in records),
                        len(document["attachments"]))


def _write_text(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _stamp(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _markdown_message(
    message: dict[str, Any], reasoning: bool, image_link: Callable[[dict[str, Any]], str | None]
) -> list[str]:
    role = message["role"]
    if role == Role.SYSTEM.value:
        return [f"**System:** {message['content']}", ""]
    heading = "You" if role == Role.USER.value else f"Qwen ({message['model'] or 'assistant'})"
    lines = [f"### {heading}", ""]
    if reasoning and message["reasoning"]:
        lines += ["> **Thinking**", ">", _quote(message["reasoning"]), ""]
    lines += markdown_server_tools(message.get("meta"))
    sources = [Source.from_json(s) for s in message.get("sources") or [] if isinstance(s, dict)]
    if message["content"]:
        lines += [link_citations(message["content"], sources), ""]
    lines += markdown_sources(sources)
    if ((message.get("meta") or {}).get("search") or {}).get("sources_unavailable"):
        lines += [f"*{compatible_note()}*", ""]
    for ref in message["attachments"]:
        link = image_link(ref)
        label = str(ref.get("name") or "image").replace("]", "")
        if ref.get("kind") == "document":
            lines += [f"[Document: {label}]({link})" if link else f"[document: {label} — file missing]", ""]
        else:
            lines += [f"![{label}]({link})" if link else f"[image: {label} — file missing]", ""]
    if message["status"] == MessageStatus.INTERRUPTED.value:
        lines += ["*(interrupted)*", ""]
    error = message.get("error") or {}
    if error.get("sentence"):
        lines += [f"*Error: {error['sentence']}*", ""]
    return lines


def _other_versions(store: Store, cid: int) -> dict[int, list[dict[str, Any]]]:
    """For each message on the visible path, its other versions (without what follows them)."""
    thread = store.thread(cid)
    every = {m.id: m for m in store.all_messages(cid)}
    return {mid: [_message_record(every[v]) for v in found.ids if v != mid]
            for mid, found in thread.versions.items()}


def _markdown_versions(
    others: list[dict[str, Any]], reasoning: bool, image_link: Callable[[dict[str, Any]], str | None]
) -> list[str]:
    lines: list[str] = []
    for number, other in enumerate(others, 1):
        body = _markdown_message(other, reasoning, image_link)[2:]
        lines += [f"> *Other version {number} of {len(others)}*", ">", _quote("\n".join(body).strip()), ""]
    return lines


def export_markdown(
    store: Store, attachments: AttachmentStore | None, target: Path,
    which: int | Sequence[int] | None = None, *, reasoning: bool = False, versions: bool = False,
) -> ExportResult:
    """A readable file of the path shown in the window; images are copied into ``<name>.files/``
    beside it and linked. ``versions`` adds, under a message, its other versions."""
    store.flush().result()
    target = Path(target)
    ids = _conversation_ids(store, which)
    records = [conversation_record(store, cid, tree=False) for cid in ids]
    alternatives = {cid: _other_versions(store, cid) for cid in ids} if versions else {}
    folder = target.with_name(f"{target.stem}.files")
    copied: set[str] = set()

    def image_link(ref: dict[str, Any]) -> str | None:
        if attachments is None or not attachments.exists(ref):
            return None
        name = f"{ref['sha256']}{EXTENSIONS.get(str(ref.get('mime')), '.bin')}"
        if name not in copied:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(attachments.load(ref))
            copied.add(name)
        return f"{folder.name}/{name}"

    lines: list[str] = []
    for index, record in enumerate(records):
        if index:
            lines += ["---", ""]
        settings = record["settings"]
        lines += [f"## {record['title'] or 'Untitled conversation'}", "",
                  f"*{settings.get('model')} · region {settings.get('region_id')} · "
                  f"started {_stamp(record['created_at'])}*", ""]
        if settings.get("system_prompt"):
            lines += [f"**System prompt:** {settings['system_prompt']}", ""]
        others = alternatives.get(record["id"], {})
        for message in record["messages"]:
            lines += _markdown_message(message, reasoning, image_link)
            if message["id"] in others:
                lines += _markdown_versions(others[message["id"]], reasoning, image_link)
    _write_text(target, "\n".join(lines).rstrip() + "\n")
    return ExportResult(target, len(records), sum(len(r["messages"]) for r in records), len(copied))


def _read_document(source: Path) -> Any:
    try:
        raw = read_bounded(Path(source), MAX_IMPORT_BYTES)
    except FileRefusedError as exc:
        raise ImportFormatError(f"{Path(source).name} {exc.reason}") from None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ImportFormatError(server_message=str(exc)[:200]) from None


def _fingerprint(record: Any) -> str:
    """Keys a conversation of an export written before exports had ids: the same content, the same key."""
    text = json.dumps(record, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _restore_files(files: dict[str, tuple[str, bytes]], attachments: AttachmentStore | None) -> None:
    if attachments is None:
        return
    for sha, (mime, data) in files.items():
        target = attachments.path({"sha256": sha, "mime": mime})
        if not target.is_file():
            attachments.write(target, data)


def _insert_conversation(conn: sqlite3.Connection, record: CheckedConversation) -> int:
    cid = writes.create_conversation(conn, record.settings, record.title, record.created_at)
    conn.execute("UPDATE conversations SET title_locked = ?, pinned = ? WHERE id = ?",
                 (int(record.title_locked), int(record.pinned), cid))
    new_ids: dict[int, int] = {}
    previous: int | None = None
    for message in record.messages:
        parent = previous
        if message.tree:
            parent = new_ids.get(message.parent_id) if message.parent_id is not None else None
        mid = writes.add_message(
            conn, cid, message.role, message.content, reasoning=message.reasoning,
            status=message.status, model=message.model, attachments=message.attachments,
            meta=message.meta, now=message.created_at, parent=parent,
        )
        previous = mid
        if message.tree:
            conn.execute("UPDATE messages SET chosen = ?, deleted_at = ? WHERE id = ?",
                         (message.chosen, message.deleted_at, mid))
        if message.id is not None:
            new_ids[message.id] = mid
        writes.set_sources(conn, mid, message.sources)
        context = message.context
        if context is not None and isinstance(context.get("message_ids"), list):
            context = {**context, "message_ids": [new_ids.get(i, i) for i in context["message_ids"]]}
        fields = {"usage": message.usage, "error": message.error, "reasoning_ms": message.reasoning_ms,
                  "context": context}
        writes.update_message(conn, mid, fields, message.updated_at)
    conn.execute("UPDATE conversations SET created_at = ?, updated_at = ? WHERE id = ?",
                 (record.created_at, record.updated_at, cid))
    writes.mark_imported(conn, record.key, cid)
    return cid


class Imported(list[int]):
    """The new conversations' ids; ``skipped`` counts those an earlier import already added."""

    skipped: int = 0


def import_json(store: Store, attachments: AttachmentStore | None, source: Path) -> Imported:
    """Add every conversation of an export as new conversations, all or none; returns their ids.

    The whole file is checked before anything is written; then its images are stored (by digest,
    so a repeat costs nothing) and every conversation goes in one transaction, so an error or a
    kill part-way leaves nothing half-imported. A conversation imported before (the same export
    id and conversation id, or the same content for older exports) is skipped. Messages that were
    streaming when exported come back as interrupted.
    """
    checked = check_document(_read_document(source), _fingerprint)
    _restore_files(checked.files, attachments)

    def insert_all(conn: sqlite3.Connection) -> Imported:
        result = Imported()
        for record in checked.conversations:
            if writes.was_imported(conn, record.key):
                result.skipped += 1
            else:
                result.append(_insert_conversation(conn, record))
        return result

    return store.run_write(insert_all).result()
