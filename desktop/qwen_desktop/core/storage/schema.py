"""Schema history: forward-only migrations, the version kept in ``PRAGMA user_version``.

A released migration is never edited; changes go into a new one appended to MIGRATIONS.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from qwen_desktop.core.storage import recent_index
from qwen_desktop.core.storage.text import segment


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


def _run(*statements: str) -> Callable[[sqlite3.Connection], None]:
    def apply(conn: sqlite3.Connection) -> None:
        for statement in statements:
            conn.execute(statement)

    return apply


_V1 = _run(
    """CREATE TABLE conversations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        title TEXT NOT NULL DEFAULT '',
        title_locked INTEGER NOT NULL DEFAULT 0,
        settings TEXT NOT NULL DEFAULT '{}',
        pinned INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        deleted_at REAL
    )""",
    """CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        content TEXT NOT NULL DEFAULT '',
        reasoning TEXT NOT NULL DEFAULT '',
        attachments TEXT NOT NULL DEFAULT '[]',
        usage TEXT,
        status TEXT NOT NULL DEFAULT 'complete',
        error TEXT,
        model TEXT,
        reasoning_ms INTEGER,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    """CREATE INDEX conversations_sidebar
        ON conversations(pinned DESC, updated_at DESC, id DESC) WHERE deleted_at IS NULL""",
    """CREATE INDEX conversations_recent
        ON conversations(updated_at DESC, id DESC) WHERE deleted_at IS NULL""",
    "CREATE INDEX conversations_deleted ON conversations(deleted_at) WHERE deleted_at IS NOT NULL",
    "CREATE INDEX messages_conversation ON messages(conversation_id)",
    "CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming'",
)


def _v2(conn: sqlite3.Connection) -> None:
    tokenizer = "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2'"
    conn.execute(f"CREATE VIRTUAL TABLE message_fts USING fts5(body, {tokenizer})")
    conn.execute(f"CREATE VIRTUAL TABLE title_fts USING fts5(body, {tokenizer})")
    conn.executemany(
        "INSERT INTO message_fts(rowid, body) VALUES (?, ?)",
        ((mid, segment(content)) for mid, content in conn.execute(
            "SELECT id, content FROM messages WHERE content != ''"
        )),
    )
    conn.executemany(
        "INSERT INTO title_fts(rowid, body) VALUES (?, ?)",
        ((cid, segment(title)) for cid, title in conn.execute(
            "SELECT id, title FROM conversations WHERE title != ''"
        )),
    )


# In a WITHOUT ROWID table the primary key columns come first: SQLite 3.40's integrity_check
# reports a false "NULL value" for a NOT NULL column declared before them.
_V3 = _run(
    """CREATE TABLE attachments (
        sha256 TEXT PRIMARY KEY,
        mime TEXT NOT NULL,
        width INTEGER,
        height INTEGER,
        bytes INTEGER NOT NULL,
        created_at REAL NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE message_attachments (
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        sha256 TEXT NOT NULL REFERENCES attachments(sha256),
        PRIMARY KEY (message_id, position)
    ) WITHOUT ROWID""",
    "CREATE INDEX message_attachments_sha256 ON message_attachments(sha256)",
    "ALTER TABLE messages ADD COLUMN context TEXT",
    "ALTER TABLE messages ADD COLUMN meta TEXT NOT NULL DEFAULT '{}'",
)


_V4 = _run(
    """CREATE TABLE context_summaries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        first_message_id INTEGER NOT NULL,
        last_message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        text TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        edited INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'ready'
    )""",
    "CREATE INDEX context_summaries_conversation ON context_summaries(conversation_id, id)",
    "CREATE INDEX context_summaries_last ON context_summaries(last_message_id)",
    """CREATE TABLE context_vectors (
        round_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        last_message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,
        model TEXT NOT NULL
    )""",
    "CREATE INDEX context_vectors_conversation ON context_vectors(conversation_id, model, dim)",
    "CREATE INDEX context_vectors_last ON context_vectors(last_message_id)",
)


_V5 = _run(
    """CREATE TABLE message_sources (
        message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        number INTEGER NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        site_name TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (message_id, position)
    ) WITHOUT ROWID""",
    "CREATE VIRTUAL TABLE source_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2',"
    " prefix = '1 2')",
    """CREATE TABLE search_support (
        region_id TEXT NOT NULL,
        model TEXT NOT NULL,
        refused_at REAL NOT NULL,
        message TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (region_id, model)
    ) WITHOUT ROWID""",
)


_V6 = _run(
    """CREATE TABLE imported (
        key TEXT PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE
    ) WITHOUT ROWID""",
    "CREATE INDEX imported_conversation ON imported(conversation_id)",
    "ALTER TABLE messages ADD COLUMN writer TEXT",
)


_V7 = _run(
    """CREATE TABLE model_lists (
        region_id TEXT PRIMARY KEY,
        models TEXT NOT NULL DEFAULT '[]',
        fetched_at REAL,
        error TEXT,
        error_at REAL
    ) WITHOUT ROWID""",
    """CREATE TABLE model_facts (
        region_id TEXT NOT NULL,
        model TEXT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        learned_at REAL NOT NULL,
        PRIMARY KEY (region_id, model, kind)
    ) WITHOUT ROWID""",
)


def _v8(conn: sqlite3.Connection) -> None:
    """Messages become a tree: each names its parent, so replies and questions can have versions.

    Existing conversations were linear: each message's parent is the one before it.
    """
    for statement in (
        "ALTER TABLE messages ADD COLUMN parent_id INTEGER",
        "ALTER TABLE messages ADD COLUMN chosen INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE messages ADD COLUMN deleted_at REAL",
        """UPDATE messages SET parent_id = (
            SELECT max(p.id) FROM messages AS p
            WHERE p.conversation_id = messages.conversation_id AND p.id < messages.id
        )""",
        "CREATE INDEX messages_parent ON messages(parent_id)",
        "CREATE INDEX messages_deleted ON messages(deleted_at) WHERE deleted_at IS NOT NULL",
    ):
        conn.execute(statement)


_V9 = _run(
    """CREATE TABLE assistants (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        icon TEXT NOT NULL DEFAULT '',
        colour TEXT NOT NULL DEFAULT '',
        settings TEXT NOT NULL DEFAULT '{}',
        starter TEXT,
        is_default INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    "CREATE UNIQUE INDEX assistants_name ON assistants(name COLLATE NOCASE)",
    """CREATE TABLE assistant_library (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID""",
)


_V10 = _run(
    """CREATE TABLE prompts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        body TEXT NOT NULL DEFAULT '',
        starter TEXT,
        position INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    "CREATE UNIQUE INDEX prompts_name ON prompts(name COLLATE NOCASE)",
    """CREATE TABLE prompt_library (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID""",
)


def _sync_triggers(table: str, kind: str) -> list[str]:
    mark = f"INSERT OR IGNORE INTO sync_dirty(kind, uid) VALUES ('{kind}', "
    return [
        f"""CREATE TRIGGER {table}_uid_given AFTER INSERT ON {table} WHEN NEW.uid IS NULL BEGIN
            UPDATE {table} SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id; END""",
        f"""CREATE TRIGGER {table}_sync_insert AFTER INSERT ON {table} WHEN NEW.uid IS NOT NULL BEGIN
            {mark}NEW.uid); END""",
        f"""CREATE TRIGGER {table}_sync_update AFTER UPDATE ON {table} WHEN NEW.uid IS NOT NULL BEGIN
            {mark}NEW.uid); END""",
        f"""CREATE TRIGGER {table}_sync_delete AFTER DELETE ON {table} WHEN OLD.uid IS NOT NULL BEGIN
            {mark}OLD.uid); END""",
    ]


def _v11(conn: sqlite3.Connection) -> None:
    """Stable ids that are the same on every device, and what sync keeps: every change to a
    conversation or message marks it (by trigger, whichever code path wrote it) until sync has
    recorded it; the merged state of each synced record with the clock of each field."""
    statements = [
        "ALTER TABLE conversations ADD COLUMN uid TEXT",
        "ALTER TABLE messages ADD COLUMN uid TEXT",
        "UPDATE conversations SET uid = lower(hex(randomblob(16)))",
        "UPDATE messages SET uid = lower(hex(randomblob(16)))",
        "CREATE UNIQUE INDEX conversations_uid ON conversations(uid)",
        "CREATE UNIQUE INDEX messages_uid ON messages(uid)",
        """CREATE TABLE sync_dirty (
            kind TEXT NOT NULL,
            uid TEXT NOT NULL,
            PRIMARY KEY (kind, uid)
        ) WITHOUT ROWID""",
        "INSERT INTO sync_dirty(kind, uid) SELECT 'c', uid FROM conversations",
        "INSERT INTO sync_dirty(kind, uid) SELECT 'm', uid FROM messages",
        *_sync_triggers("conversations", "c"),
        *_sync_triggers("messages", "m"),
        """CREATE TRIGGER message_sources_sync_insert AFTER INSERT ON message_sources BEGIN
            INSERT OR IGNORE INTO sync_dirty(kind, uid)
            SELECT 'm', uid FROM messages WHERE id = NEW.message_id AND uid IS NOT NULL; END""",
        """CREATE TRIGGER message_sources_sync_delete AFTER DELETE ON message_sources BEGIN
            INSERT OR IGNORE INTO sync_dirty(kind, uid)
            SELECT 'm', uid FROM messages WHERE id = OLD.message_id AND uid IS NOT NULL; END""",
        """CREATE TABLE sync_entities (
            kind TEXT NOT NULL,
            uid TEXT NOT NULL,
            conv TEXT,
            state TEXT NOT NULL,
            PRIMARY KEY (kind, uid)
        ) WITHOUT ROWID""",
        "CREATE INDEX sync_entities_conv ON sync_entities(conv) WHERE conv IS NOT NULL",
        "CREATE TABLE sync_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)",
        """CREATE TABLE sync_seen (
            path TEXT PRIMARY KEY,
            tag TEXT NOT NULL,
            device TEXT NOT NULL,
            seq INTEGER NOT NULL
        ) WITHOUT ROWID""",
        "CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        "CREATE TABLE sync_wanted (sha256 TEXT PRIMARY KEY, mime TEXT NOT NULL) WITHOUT ROWID",
    ]
    for statement in statements:
        conn.execute(statement)


def _v12(conn: sqlite3.Connection) -> None:
    """Assistants and saved prompts sync too: their changes are marked like conversations'."""
    for table, kind in (("assistants", "a"), ("prompts", "p")):
        mark = f"INSERT OR IGNORE INTO sync_dirty(kind, uid) VALUES ('{kind}', "
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            conn.execute(f"CREATE TRIGGER {table}_sync_{event.lower()} AFTER {event} ON {table} BEGIN"
                         f" {mark}{row}.id); END")
        conn.execute(f"INSERT OR IGNORE INTO sync_dirty(kind, uid) SELECT '{kind}', id FROM {table}")


def _v13(conn: sqlite3.Connection) -> None:
    """Filled by the next migration, which replaces the table."""
    for statement in recent_index.CREATE:
        conn.execute(statement)


def _v14(conn: sqlite3.Connection) -> None:
    for statement in recent_index.EXTERNAL:
        conn.execute(statement)
    recent_index.rebuild(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "conversations and messages", _V1),
    Migration(2, "full-text search over titles and message text", _v2),
    Migration(3, "attachment store; context and meta on messages", _V3),
    Migration(4, "rolling summaries and round vectors for the context policies", _V4),
    Migration(5, "web search sources of replies; models the service refused to search with", _V5),
    Migration(6, "conversations added by an import, by key; the process writing a streaming reply", _V6),
    Migration(7, "model lists per region and what the service taught about each model", _V7),
    Migration(8, "reply versions and edit branches: parent, chosen version, single-message trash", _v8),
    Migration(9, "assistants: named presets of conversation settings", _V9),
    Migration(10, "the prompt library: saved prompts with variables", _V10),
    Migration(11, "ids the same on every device; what sync records and merges", _v11),
    Migration(12, "assistants and saved prompts are synced too", _v12),
    Migration(13, "the newest messages in a small second search index, asked first", _v13),
    Migration(14, "the small search index reads its text from the whole one instead of a copy", _v14),
)
CURRENT_VERSION = MIGRATIONS[-1].version


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def is_empty(conn: sqlite3.Connection) -> bool:
    return int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]) == 0


def migrate(conn: sqlite3.Connection, target: int = CURRENT_VERSION) -> list[int]:
    """Apply the missing migrations up to ``target``, one transaction each; returns those applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``).
    """
    applied = []
    for migration in MIGRATIONS:
        if user_version(conn) >= migration.version or migration.version > target:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            migration.apply(conn)
            conn.execute(f"PRAGMA user_version = {migration.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
