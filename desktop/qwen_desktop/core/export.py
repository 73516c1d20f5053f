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
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .attachments import EXTENSIONS, AttachmentStore
from .errors import ConfigError
from .files import FileRefusedError, read_bounded
from .paths import attachments_dir, config_path
from .storage import Message, Store
from .storage import writes
from .storage.database import backup as sqlite_backup
from .types import ConversationSettings, MessageStatus, Role, Source, Usage
from .websearch import compatible_note, link_citations, markdown_sources, parse_sources

FORMAT = "qwen-desktop-export"
VERSION = 1
BACKUP_PREFIX = "qwen-desktop-backup"
MAX_IMPORT_BYTES = 1024 * 1024 * 1024


class ImportFormatError(ConfigError):
    kind = "import_format"
    sentence = "This file is not a Qwen Desktop export."


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
    }


def conversation_record(store: Store, cid: int) -> dict[str, Any]:
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
        "messages": [_message_record(m) for m in store.messages(cid)],
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


def export_json(
    store: Store, attachments: AttachmentStore | None, target: Path,
    which: int | Sequence[int] | None = None, *, clock: Callable[[], float] = time.time,
) -> ExportResult:
    store.flush().result()
    records = [conversation_record(store, cid) for cid in _conversation_ids(store, which)]
    document = {
        "format": FORMAT,
        "version": VERSION,
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
    sources = [Source.from_json(s) for s in message.get("sources") or [] if isinstance(s, dict)]
    if message["content"]:
        lines += [link_citations(message["content"], sources), ""]
    lines += markdown_sources(sources)
    if ((message.get("meta") or {}).get("search") or {}).get("sources_unavailable"):
        lines += [f"*{compatible_note()}*", ""]
    for ref in message["attachments"]:
        link = image_link(ref)
        label = str(ref.get("name") or "image").replace("]", "")
        lines += [f"![{label}]({link})" if link else f"[image: {label} — file missing]", ""]
    if message["status"] == MessageStatus.INTERRUPTED.value:
        lines += ["*(interrupted)*", ""]
    error = message.get("error") or {}
    if error.get("sentence"):
        lines += [f"*Error: {error['sentence']}*", ""]
    return lines


def export_markdown(
    store: Store, attachments: AttachmentStore | None, target: Path,
    which: int | Sequence[int] | None = None, *, reasoning: bool = False,
) -> ExportResult:
    """A readable file; images are copied into ``<name>.files/`` beside it and linked."""
    store.flush().result()
    target = Path(target)
    records = [conversation_record(store, cid) for cid in _conversation_ids(store, which)]
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
        for message in record["messages"]:
            lines += _markdown_message(message, reasoning, image_link)
    _write_text(target, "\n".join(lines).rstrip() + "\n")
    return ExportResult(target, len(records), sum(len(r["messages"]) for r in records), len(copied))


def _read_document(source: Path) -> dict[str, Any]:
    try:
        raw = read_bounded(Path(source), MAX_IMPORT_BYTES)
    except FileRefusedError as exc:
        raise ImportFormatError(f"{Path(source).name} {exc.reason}") from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ImportFormatError(server_message=str(exc)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFormatError()
    if not isinstance(document.get("version"), int) or document["version"] > VERSION:
        raise ImportFormatError("This export was written by a newer version of Qwen Desktop.")
    if not isinstance(document.get("conversations"), list):
        raise ImportFormatError()
    return document


def _restore_files(blobs: dict[str, Any], attachments: AttachmentStore | None) -> None:
    if attachments is None:
        return
    for sha, blob in blobs.items():
        data = base64.b64decode(blob["data"])
        if hashlib.sha256(data).hexdigest() != sha:
            raise ImportFormatError("An image in this export is damaged (its checksum does not match).")
        target = attachments.path({"sha256": sha, "mime": blob.get("mime")})
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)


def _insert_conversation(conn: sqlite3.Connection, record: dict[str, Any]) -> int:
    settings = ConversationSettings.from_json(record.get("settings") or {})
    cid = writes.create_conversation(conn, settings, str(record.get("title") or ""),
                                     float(record["created_at"]))
    conn.execute("UPDATE conversations SET title_locked = ?, pinned = ? WHERE id = ?",
                 (int(bool(record.get("title_locked"))), int(bool(record.get("pinned"))), cid))
    new_ids: dict[int, int] = {}
    for message in record.get("messages") or []:
        mid = writes.add_message(
            conn, cid, Role(message["role"]), str(message.get("content") or ""),
            reasoning=str(message.get("reasoning") or ""),
            status=MessageStatus(message.get("status") or "complete"),
            model=message.get("model"), attachments=list(message.get("attachments") or []),
            meta=dict(message.get("meta") or {}), now=float(message["created_at"]),
        )
        if isinstance(message.get("id"), int):
            new_ids[message["id"]] = mid
        writes.set_sources(conn, mid, _imported_sources(message.get("sources")))
        context = message.get("context")
        if isinstance(context, dict) and isinstance(context.get("message_ids"), list):
            context = {**context, "message_ids": [new_ids.get(i, i) for i in context["message_ids"]]}
        fields = {
            "usage": Usage.from_json(message.get("usage")),
            "error": message.get("error"),
            "reasoning_ms": message.get("reasoning_ms"),
            "context": context,
        }
        writes.update_message(conn, mid, fields, float(message.get("updated_at") or message["created_at"]))
    conn.execute("UPDATE conversations SET created_at = ?, updated_at = ? WHERE id = ?",
                 (float(record["created_at"]), float(record["updated_at"]), cid))
    return cid


def _imported_sources(raw: Any) -> tuple[Source, ...]:
    """Sources from a file are untrusted too: the same checks as the service's."""
    if not isinstance(raw, list):
        return ()
    items = [{"index": s.get("number"), "title": s.get("title"), "url": s.get("url"),
              "site_name": s.get("site_name")} for s in raw if isinstance(s, dict)]
    return parse_sources(items)


def import_json(store: Store, attachments: AttachmentStore | None, source: Path) -> list[int]:
    """Add every conversation of an export as new conversations; returns their new ids.

    Messages that were streaming when exported come back as interrupted.
    """
    document = _read_document(source)
    _restore_files(document.get("attachments") or {}, attachments)
    ids = []
    for record in document["conversations"]:
        try:
            for message in record.get("messages") or []:
                if message.get("status") == MessageStatus.STREAMING.value:
                    message["status"] = MessageStatus.INTERRUPTED.value
            ids.append(store.run_write(lambda conn, r=record: _insert_conversation(conn, r)).result())
        except (KeyError, TypeError, ValueError) as exc:
            raise ImportFormatError(f"A conversation in this export is incomplete ({exc}).") from None
    return ids


def backup_data(
    data_dir: Path, store: Store, target_dir: Path, *, clock: Callable[[], float] = time.time
) -> Path:
    """A zip of the database (SQLite's online backup API), attachments and settings. No keys:
    they live in the system keyring, never in the data directory."""
    store.flush().result()
    target_dir = Path(target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(clock()))
    target = target_dir / f"{BACKUP_PREFIX}-{stamp}.zip"
    counter = 1
    while target.exists():
        target = target_dir / f"{BACKUP_PREFIX}-{stamp}-{counter}.zip"
        counter += 1
    with tempfile.TemporaryDirectory(dir=target_dir) as scratch:
        copy = Path(scratch) / store.path.name
        source = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
        try:
            sqlite_backup(source, copy)
        finally:
            source.close()
        partial = Path(scratch) / "backup.zip"
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(copy, store.path.name)
            config = config_path(data_dir)
            if config.is_file():
                archive.write(config, config.name)
            root = attachments_dir(data_dir)
            if root.is_dir():
                for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
                    archive.write(path, path.relative_to(data_dir).as_posix())
        os.replace(partial, target)
    return target
