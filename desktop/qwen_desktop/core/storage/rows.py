"""Turning rows into records, and values into JSON columns."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from qwen_desktop.core.storage.models import (
    Conversation, ConversationSummary, DeletedConversation, Message, UsageRecord,
)
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role, Source, Usage

CONVERSATION_COLUMNS = "id, title, settings, pinned, created_at, updated_at, deleted_at, title_locked"
SUMMARY_COLUMNS = "id, title, coalesce(json_extract(settings, '$.model'), ''), updated_at, pinned"
DELETED_COLUMNS = (
    "c.id, c.title, coalesce(json_extract(c.settings, '$.model'), ''), c.updated_at, c.deleted_at,"
    " (SELECT count(*) FROM messages AS m WHERE m.conversation_id = c.id AND m.deleted_at IS NULL)"
)
_ROLES = {role.value: role for role in Role}
_STATUSES = {status.value: status for status in MessageStatus}
MESSAGE_COLUMNS = (
    "id, conversation_id, role, content, reasoning, attachments, usage, status, error, model,"
    " created_at, updated_at, reasoning_ms, context, meta, parent_id, chosen, deleted_at"
)
SOURCE_COLUMNS = "message_id, number, title, url, site_name"
USAGE_COLUMNS = (
    "m.id, m.created_at, c.id, c.title, coalesce(m.model, json_extract(c.settings, '$.model'), ''),"
    " coalesce(json_extract(c.settings, '$.region_id'), ''), m.usage,"
    " json_extract(m.meta, '$.search.strategy')"
)


def dumps(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _loads(text: str | None) -> Any:
    if text is None:
        return None
    if text == "{}":
        return {}
    if text == "[]":
        return []
    return json.loads(text)


def conversation(row: sqlite3.Row | tuple[Any, ...]) -> Conversation:
    cid, title, settings, pinned, created, updated, deleted, locked = row
    return Conversation(
        id=cid,
        title=title,
        settings=ConversationSettings.from_json(_loads(settings) or {}),
        pinned=bool(pinned),
        created_at=created,
        updated_at=updated,
        deleted_at=deleted,
        title_locked=bool(locked),
    )


def deleted_summary(row: tuple[Any, ...]) -> DeletedConversation:
    cid, title, model, updated, deleted, count = row
    return DeletedConversation(id=cid, title=title, model=model, updated_at=updated, deleted_at=deleted,
                               message_count=count)


def summary(row: tuple[Any, ...]) -> ConversationSummary:
    cid, title, model, updated, pinned = row
    return ConversationSummary(id=cid, title=title, model=model, updated_at=updated, pinned=bool(pinned))


def roles(values: Iterable[str]) -> list[Role]:
    return [_ROLES.get(value) or Role(value) for value in values]


def message(row: tuple[Any, ...]) -> Message:
    (mid, cid, role, content, reasoning, attachments, usage, status, error, model,
     created, updated, reasoning_ms, context, meta, parent_id, chosen, deleted_at) = row
    return Message(
        id=mid,
        conversation_id=cid,
        role=_ROLES.get(role) or Role(role),
        content=content,
        reasoning=reasoning,
        attachments=_loads(attachments) or [],
        usage=Usage.from_json(_loads(usage)),
        status=_STATUSES.get(status) or MessageStatus(status),
        error=_loads(error),
        model=model,
        created_at=created,
        updated_at=updated,
        reasoning_ms=reasoning_ms,
        context=_loads(context),
        meta=_loads(meta) or {},
        parent_id=parent_id,
        chosen=chosen,
        deleted_at=deleted_at,
    )


def sources(rows: Iterable[tuple[Any, ...]]) -> dict[int, tuple[Source, ...]]:
    """Sources grouped by message id, in stored order."""
    found: dict[int, list[Source]] = {}
    for mid, number, title, url, site in rows:
        found.setdefault(mid, []).append(Source(number, title, url, site))
    return {mid: tuple(items) for mid, items in found.items()}


def usage_record(row: tuple[Any, ...]) -> UsageRecord:
    mid, created, cid, title, model, region, usage, strategy = row
    return UsageRecord(mid, created, cid, title, model, region, Usage.from_json(_loads(usage)) or Usage(),
                       strategy if isinstance(strategy, str) else None)
