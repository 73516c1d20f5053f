"""The prompt library: saved prompts with ``{{variables}}`` that the composer inserts on ``/``.

Prompts live in the conversation database (schema v10) beside the assistants, so backups carry
them. Reads are synchronous like the store's, writes return the store's Futures. A starter set,
written for each UI language, is added once per database; deleted starters do not come back.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .assistants import language_code
from .errors import ConfigError
from .library_files import ImportResult, read_entries

FILE_FORMAT = "qwen-desktop-prompts"
FILE_VERSION = 1
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_PROMPTS = 2000
MAX_NAME = 100
MAX_TEXT = 100_000
STARTER_FILE = Path(__file__).with_name("prompts_starter.json")
VARIABLE = re.compile(r"\{\{\s*([^{}\n]{1,60}?)\s*\}\}")
"""``{{name}}``: a name of up to 60 characters on one line, spaces around it ignored."""


class PromptFileError(ConfigError):
    sentence = "The prompts file cannot be used."


@dataclass(frozen=True)
class Field:
    """One ``{{variable}}`` in a prompt's text: its name and where it stands (``text[start:end]``)."""

    name: str
    start: int
    end: int


def fields(text: str) -> list[Field]:
    return [Field(match.group(1), match.start(), match.end()) for match in VARIABLE.finditer(text)]


@dataclass(frozen=True)
class Prompt:
    name: str
    text: str
    id: str = ""
    """Empty until stored."""
    starter: str | None = None
    """The starter prompt this was added as (its key), None for the user's own."""

    def variables(self) -> list[str]:
        """The variables' names, each once, in the order they first appear."""
        return list(dict.fromkeys(field.name for field in fields(self.text)))

    def with_(self, **changes: Any) -> Prompt:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "text": self.text}
        if self.starter:
            out["starter"] = self.starter
        return out


def validate(prompt: Prompt) -> Prompt:
    """The prompt, its name trimmed; a ConfigError with one sentence for the first thing wrong."""
    name = prompt.name.strip() if isinstance(prompt.name, str) else ""
    if not name:
        raise ConfigError("A prompt needs a name.")
    if len(name) > MAX_NAME or "\n" in name:
        raise ConfigError(f"A prompt's name must be one line of at most {MAX_NAME} characters.")
    if not isinstance(prompt.text, str) or not prompt.text.strip():
        raise ConfigError(f"The prompt {name!r} has no text.")
    if len(prompt.text) > MAX_TEXT:
        raise ConfigError(f"The prompt {name!r} is longer than {MAX_TEXT:,} characters.")
    return replace(prompt, name=name)


def matching(prompts: Sequence[Prompt], query: str) -> list[Prompt]:
    """Prompts whose name holds every word of ``query`` (any case), names starting with it first;
    then those whose text holds every word."""
    words = query.casefold().split()
    if not words:
        return list(prompts)
    head, named, in_text = [], [], []
    for prompt in prompts:
        name = prompt.name.casefold()
        if all(word in name for word in words):
            (head if name.startswith(words[0]) else named).append(prompt)
        elif all(word in prompt.text.casefold() for word in words):
            in_text.append(prompt)
    return head + named + in_text


def starter_prompts(language: str) -> list[Prompt]:
    """The starter set in ``language`` (a UI language setting; English when it has no text of its own)."""
    code = language_code(language)
    data = json.loads(STARTER_FILE.read_text(encoding="utf-8"))
    found = []
    for entry in data["prompts"]:
        text = entry["text"].get(code) or entry["text"]["en"]
        found.append(Prompt(name=text["name"], text=text["text"], id=f"starter-{entry['key']}",
                            starter=entry["key"]))
    return found


# ---- the library


_COLUMNS = "id, name, body, starter"


def _row(row: tuple[Any, ...]) -> Prompt:
    return Prompt(id=row[0], name=row[1], text=row[2], starter=row[3])


def _name_taken(conn: sqlite3.Connection, name: str, other_than: str = "") -> bool:
    return conn.execute("SELECT 1 FROM prompts WHERE name = ? COLLATE NOCASE AND id != ?",
                        (name, other_than)).fetchone() is not None


def _free_name(conn: sqlite3.Connection, name: str) -> str:
    candidate, number = name, 2
    while _name_taken(conn, candidate):
        candidate = f"{name} ({number})"
        number += 1
    return candidate


def _insert(conn: sqlite3.Connection, prompt: Prompt, now: float) -> str:
    pid = prompt.id or uuid.uuid4().hex
    position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM prompts").fetchone()[0]
    conn.execute(
        "INSERT INTO prompts (id, name, body, starter, position, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (pid, prompt.name, prompt.text, prompt.starter, position, now, now),
    )
    return pid


class PromptLibrary:
    """The saved prompts of one conversation database."""

    def __init__(self, store: Any, *, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self._clock = clock

    def all(self) -> list[Prompt]:
        """In the order they were added."""
        return self.store.run_read(lambda conn: [_row(r) for r in conn.execute(
            f"SELECT {_COLUMNS} FROM prompts ORDER BY position, id")])

    def get(self, pid: str) -> Prompt | None:
        row = self.store.run_read(lambda conn: conn.execute(
            f"SELECT {_COLUMNS} FROM prompts WHERE id = ?", (pid,)).fetchone())
        return None if row is None else _row(row)

    def create(self, prompt: Prompt) -> Future[str]:
        """Stores a new prompt (a fresh id unless it has one); its name must be free."""
        checked = validate(prompt)

        def job(conn: sqlite3.Connection) -> str:
            if _name_taken(conn, checked.name):
                raise ConfigError(f"There is already a prompt called {checked.name!r}.")
            return _insert(conn, checked, self._clock())

        return self.store.run_write(job)

    def update(self, prompt: Prompt) -> Future[None]:
        checked = validate(prompt)

        def job(conn: sqlite3.Connection) -> None:
            if _name_taken(conn, checked.name, other_than=checked.id):
                raise ConfigError(f"There is already a prompt called {checked.name!r}.")
            done = conn.execute("UPDATE prompts SET name = ?, body = ?, updated_at = ? WHERE id = ?",
                                (checked.name, checked.text, self._clock(), checked.id))
            if done.rowcount == 0:
                raise ConfigError(f"The prompt {checked.name!r} no longer exists.")

        return self.store.run_write(job)

    def delete(self, pid: str) -> Future[None]:
        return self.store.run_write(lambda conn: conn.execute("DELETE FROM prompts WHERE id = ?", (pid,)))

    def ensure_starters(self, language: str) -> Future[int]:
        """Adds the starter set in ``language`` the first time (never again, even after deleting them).

        Returns how many were added; a name the user already uses is left to the user's prompt.
        """
        starters = starter_prompts(language)

        def job(conn: sqlite3.Connection) -> int:
            if conn.execute("SELECT 1 FROM prompt_library WHERE key = 'starters'").fetchone():
                return 0
            added = 0
            now = self._clock()
            for prompt in starters:
                if _name_taken(conn, prompt.name) or conn.execute(
                        "SELECT 1 FROM prompts WHERE id = ?", (prompt.id,)).fetchone():
                    continue
                _insert(conn, prompt, now)
                added += 1
            conn.execute("INSERT INTO prompt_library (key, value) VALUES ('starters', ?)",
                         (language_code(language),))
            return added

        return self.store.run_write(job)

    def export_json(self, path: Path, ids: Iterable[str] | None = None) -> int:
        """Writes the prompts (all, or those of ``ids``) to ``path``; returns how many."""
        chosen = set(ids) if ids is not None else None
        found = [p for p in self.all() if chosen is None or p.id in chosen]
        data = {"format": FILE_FORMAT, "version": FILE_VERSION, "prompts": [p.to_json() for p in found]}
        path = Path(path)
        partial_file = path.with_name(f".{path.name}.partial")
        try:
            partial_file.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            os.replace(partial_file, path)
        except OSError as error:
            partial_file.unlink(missing_ok=True)
            raise ConfigError(f"The prompts could not be written to {path.name}: "
                              f"{error.strerror or error}.") from None
        return len(found)

    def import_json(self, path: Path) -> Future[ImportResult]:
        """Adds the prompts of an exported file; one with the id of a stored one replaces it.

        The whole file is checked first: a file with any fault is refused with one sentence and
        nothing is stored. A name already used by another prompt gets a number added.
        """
        incoming = read_file(Path(path))

        def job(conn: sqlite3.Connection) -> ImportResult:
            added = replaced = 0
            now = self._clock()
            for prompt in incoming:
                known = prompt.id and conn.execute("SELECT 1 FROM prompts WHERE id = ?", (prompt.id,)).fetchone()
                if known:
                    name = prompt.name
                    if _name_taken(conn, name, other_than=prompt.id):
                        name = _free_name(conn, name)
                    conn.execute("UPDATE prompts SET name = ?, body = ?, updated_at = ? WHERE id = ?",
                                 (name, prompt.text, now, prompt.id))
                    replaced += 1
                else:
                    _insert(conn, prompt.with_(name=_free_name(conn, prompt.name)), now)
                    added += 1
            return ImportResult(added, replaced)

        return self.store.run_write(job)


def read_file(path: Path) -> list[Prompt]:
    """The prompts of an exported file, each checked; PromptFileError with one sentence otherwise."""
    name = path.name
    entries = read_entries(path, error=PromptFileError, what="a prompts file", key="prompts", file_format=FILE_FORMAT,
                           newest=FILE_VERSION, max_bytes=MAX_FILE_BYTES, max_entries=MAX_PROMPTS)
    found: list[Prompt] = []
    ids: set[str] = set()
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise PromptFileError(f"Prompt {number} in {name} is not a set of named values.")
        pid = entry.get("id") or ""
        if not isinstance(pid, str) or len(pid) > 64 or pid in ids:
            raise PromptFileError(f"Prompt {number} in {name} has a repeated or malformed id.")
        if pid:
            ids.add(pid)
        starter = entry.get("starter")
        try:
            found.append(validate(Prompt(name=entry.get("name"), text=entry.get("text"), id=pid,
                                         starter=starter if isinstance(starter, str) else None)))
        except ConfigError as error:
            raise PromptFileError(f"Prompt {number} in {name} cannot be imported: "
                                  f"{error.sentence[0].lower()}{error.sentence[1:]}") from None
    return found
