"""Checking a JSON export completely before anything of it is written.

Every field an import stores is checked for its type and range here, so that a hostile or damaged
file ends as one sentence naming the place ("conversation 2, message 5: …"), never as a traceback
halfway through writing. The result holds plain, typed values the writer can store as they are.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from .attachments import EXTENSIONS
from .errors import ConfigError
from .types import ConversationSettings, MessageStatus, Role, Source, Usage
from .websearch import parse_sources

FORMAT = "qwen-desktop-export"
VERSION = 1
MAX_DEPTH = 32
"""Nesting allowed inside free-form fields (meta, context, error, settings)."""
MIMES = tuple(EXTENSIONS)
"""Images (PNG, JPEG, WEBP) and the documents the app reads."""
_DIGEST = re.compile(r"[0-9a-f]{64}")


class ImportFormatError(ConfigError):
    kind = "import_format"
    sentence = "This file is not a Qwen Desktop export."


@dataclass(frozen=True)
class CheckedMessage:
    id: int | None
    role: Role
    content: str
    reasoning: str
    status: MessageStatus
    model: str | None
    attachments: list[dict[str, Any]]
    meta: dict[str, Any]
    usage: Usage | None
    error: dict[str, Any] | None
    reasoning_ms: int | None
    context: dict[str, Any] | None
    created_at: float
    updated_at: float
    sources: tuple[Source, ...] = ()
    tree: bool = False
    """The export says where the message hangs (``parent_id``); older exports are linear."""
    parent_id: int | None = None
    chosen: int = 0
    deleted_at: float | None = None


@dataclass(frozen=True)
class CheckedConversation:
    key: str
    id: int | None
    title: str
    title_locked: bool
    pinned: bool
    settings: ConversationSettings
    created_at: float
    updated_at: float
    messages: list[CheckedMessage] = field(default_factory=list)


@dataclass(frozen=True)
class CheckedExport:
    export_id: str | None
    conversations: list[CheckedConversation]
    files: dict[str, tuple[str, bytes]]
    """digest → (mime, bytes), each checked against its digest."""


class _Where:
    def __init__(self, place: str) -> None:
        self.place = place

    def fail(self, problem: str) -> ImportFormatError:
        return ImportFormatError(f"This export cannot be imported: {self.place}: {problem}. Nothing was imported.")

    def at(self, name: str) -> _Where:
        return _Where(f"{self.place}, {name}")


def check_document(document: Any, fingerprint: Any) -> CheckedExport:
    """Check a parsed export; ``fingerprint(record)`` keys conversations of exports without an id."""
    top = _Where("the file")
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFormatError()
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ImportFormatError()
    if version > VERSION:
        raise ImportFormatError("This export was written by a newer version of Qwen Desktop.")
    export_id = document.get("export_id")
    if export_id is not None and (not isinstance(export_id, str) or not 0 < len(export_id) <= 100):
        raise top.fail("its export id is not valid")
    records = document.get("conversations")
    if not isinstance(records, list):
        raise top.fail("'conversations' is not a list")
    files = _files(document.get("attachments", {}), top.at("attachments"))
    conversations = []
    for index, record in enumerate(records, 1):
        where = _Where(f"conversation {index}")
        checked = _conversation(record, where)
        original = checked.id
        if any(c.key == f"{export_id}/{original}" for c in conversations) and export_id:
            raise where.fail("its id repeats another conversation's")
        key = f"{export_id}/{original}" if export_id and original is not None else f"sha256:{fingerprint(record)}"
        conversations.append(replace(checked, key=key))
    return CheckedExport(export_id, conversations, files)


def _files(value: Any, where: _Where) -> dict[str, tuple[str, bytes]]:
    if not isinstance(value, dict):
        raise where.fail("it is not an object of images")
    files = {}
    for digest, blob in value.items():
        if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
            raise where.fail("an image is not named by its SHA-256 digest")
        here = where.at(f"image {digest[:12]}…")
        if not isinstance(blob, dict):
            raise here.fail("it is not an object")
        mime, data = blob.get("mime"), blob.get("data")
        if mime not in MIMES:
            raise here.fail("its type is not an image or document the app stores")
        if not isinstance(data, str):
            raise here.fail("its data is missing")
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise here.fail("its data is not valid base64") from None
        if hashlib.sha256(raw).hexdigest() != digest:
            raise here.fail("it is damaged (its checksum does not match)")
        files[digest] = (mime, raw)
    return files


def _conversation(record: Any, where: _Where) -> CheckedConversation:
    if not isinstance(record, dict):
        raise where.fail("it is not an object")
    created = _time(record.get("created_at"), where.at("'created_at'"))
    updated = _time(record.get("updated_at", created), where.at("'updated_at'"))
    messages_raw = record.get("messages", [])
    if not isinstance(messages_raw, list):
        raise where.fail("'messages' is not a list")
    messages = [_message(m, where.at(f"message {i}")) for i, m in enumerate(messages_raw, 1)]
    return CheckedConversation(
        key="",
        id=_optional_int(record.get("id"), where.at("'id'")),
        title=_text(record.get("title", ""), where.at("'title'")),
        title_locked=_flag(record.get("title_locked", False), where.at("'title_locked'")),
        pinned=_flag(record.get("pinned", False), where.at("'pinned'")),
        settings=_settings(record.get("settings", {}), where.at("'settings'")),
        created_at=created, updated_at=updated, messages=messages,
    )


def _message(record: Any, where: _Where) -> CheckedMessage:
    if not isinstance(record, dict):
        raise where.fail("it is not an object")
    try:
        role = Role(record.get("role"))
    except ValueError:
        raise where.fail("its role is not user, assistant, system or tool") from None
    try:
        status = MessageStatus(record.get("status") or MessageStatus.COMPLETE.value)
    except ValueError:
        raise where.fail("its status is not valid") from None
    if status is MessageStatus.STREAMING:
        status = MessageStatus.INTERRUPTED
    created = _time(record.get("created_at"), where.at("'created_at'"))
    model = record.get("model")
    if model is not None:
        model = _text(model, where.at("'model'"))
    context = _free(record.get("context"), where.at("'context'"), allow_none=True)
    if context is not None and "message_ids" in context:
        ids = context["message_ids"]
        if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise where.at("'context'").fail("its message ids are not numbers")
    return CheckedMessage(
        id=_optional_int(record.get("id"), where.at("'id'")),
        role=role, status=status, model=model, context=context,
        content=_text(record.get("content") or "", where.at("'content'")),
        reasoning=_text(record.get("reasoning") or "", where.at("'reasoning'")),
        attachments=_refs(record.get("attachments") or [], where.at("'attachments'")),
        meta=_free(record.get("meta") or {}, where.at("'meta'")) or {},
        usage=_usage(record.get("usage"), where.at("'usage'")),
        error=_free(record.get("error"), where.at("'error'"), allow_none=True),
        reasoning_ms=_optional_int(record.get("reasoning_ms"), where.at("'reasoning_ms'")),
        created_at=created,
        updated_at=_time(record.get("updated_at") or created, where.at("'updated_at'")),
        sources=_sources(record.get("sources"), where.at("'sources'")),
        tree="parent_id" in record,
        parent_id=_optional_int(record.get("parent_id"), where.at("'parent_id'")),
        chosen=_optional_int(record.get("chosen"), where.at("'chosen'")) or 0,
        deleted_at=(None if record.get("deleted_at") is None
                    else _time(record.get("deleted_at"), where.at("'deleted_at'"))),
    )


def _sources(value: Any, where: _Where) -> tuple[Source, ...]:
    """Sources from a file are untrusted too: the same checks as the service's."""
    if not isinstance(value, list):
        return ()
    _walk(value, where, 0)
    items = [{"index": s.get("number"), "title": s.get("title"), "url": s.get("url"),
              "site_name": s.get("site_name")} for s in value if isinstance(s, dict)]
    return parse_sources(items)


def _refs(value: Any, where: _Where) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise where.fail("it is not a list")
    refs = []
    for ref in value:
        if not isinstance(ref, dict):
            raise where.fail("an image reference is not an object")
        if not isinstance(ref.get("sha256"), str) or not _DIGEST.fullmatch(ref["sha256"]):
            raise where.fail("an image reference has no valid SHA-256 digest")
        if ref.get("mime") not in MIMES:
            raise where.fail("an attachment is not an image or document the app stores")
        for number in ("width", "height", "bytes"):
            _optional_int(ref.get(number), where.at(f"'{number}'"))
        refs.append(_free(ref, where))
    return refs


def _settings(value: Any, where: _Where) -> ConversationSettings:
    data = _free(value, where)
    assert data is not None
    try:
        settings = ConversationSettings.from_json(data)
    except (TypeError, ValueError):
        raise where.fail("they are not valid") from None
    budget = settings.thinking_budget
    if budget is not None and (not isinstance(budget, int) or isinstance(budget, bool) or budget <= 0):
        raise where.fail("the thinking budget is not a positive number")
    temperature = settings.temperature
    if temperature is not None and (
        not isinstance(temperature, (int, float)) or isinstance(temperature, bool)
        or not math.isfinite(temperature) or not 0 <= temperature <= 2
    ):
        raise where.fail("the temperature is not a number from 0 to 2")
    return settings


def _usage(value: Any, where: _Where) -> Usage | None:
    if value is None:
        return None
    data = _free(value, where)
    assert data is not None
    counts = {k: v for k, v in data.items() if k in Usage().to_json()}
    if not all(v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0) for v in counts.values()):
        raise where.fail("token counts are not whole numbers")
    return Usage.from_json(counts)


def _free(value: Any, where: _Where, *, allow_none: bool = False) -> dict[str, Any] | None:
    """A JSON object of bounded depth whose text is all valid Unicode."""
    if value is None and allow_none:
        return None
    if not isinstance(value, dict):
        raise where.fail("it is not an object")
    _walk(value, where, 0)
    return value


def _walk(value: Any, where: _Where, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise where.fail(f"it is nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        for key, item in value.items():
            _text(key, where)
            _walk(item, where, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _walk(item, where, depth + 1)
    elif isinstance(value, str):
        _text(value, where)
    elif isinstance(value, float) and not math.isfinite(value):
        raise where.fail("it holds a number that is not finite")


def _text(value: Any, where: _Where) -> str:
    if not isinstance(value, str):
        raise where.fail("it is not text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise where.fail("it holds text that is not valid Unicode") from None
    return value


def _time(value: Any, where: _Where) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise where.fail("it is missing or not a time")
    return float(value)


def _optional_int(value: Any, where: _Where) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63:
        raise where.fail("it is not a whole number")
    return value


def _flag(value: Any, where: _Where) -> bool:
    if not isinstance(value, (bool, int)):
        raise where.fail("it is not true or false")
    return bool(value)
