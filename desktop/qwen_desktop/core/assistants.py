"""Assistants: named presets a conversation starts from (a system prompt, a model, thinking, context
policy, generation parameters, web search and service tools, an icon and a colour).

An assistant holds only the settings it sets, as a partial ``ConversationSettings`` JSON dict laid
over the defaults of the moment: a preset that names no model follows the default model. The
library lives in the conversation database (schema v9); reads are synchronous like the store's,
writes return the store's Futures. A starter set, written for each UI language, is added once.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .library_files import ImportResult, read_entries
from .generation import check as check_generation
from .types import ConversationSettings

FILE_FORMAT = "qwen-desktop-assistants"
FILE_VERSION = 1
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ASSISTANTS = 1000
MAX_NAME = 100
MAX_PROMPT = 100_000
STARTER_FILE = Path(__file__).with_name("assistants_starter.json")
STARTER_LANGUAGES = ("en", "zh_CN", "ja_JP")
SETTING_KEYS = frozenset(ConversationSettings().to_json()) - {"assistant_id"}
"""What an assistant may set: every conversation setting but the link back to an assistant."""
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


class AssistantFileError(ConfigError):
    sentence = "The assistants file cannot be used."


@dataclass(frozen=True)
class Assistant:
    name: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    """Only what this assistant sets (``ConversationSettings.to_json`` keys); the rest follows the defaults."""
    icon: str = ""
    colour: str = ""
    """``#rrggbb`` or empty."""
    id: str = ""
    """Empty until stored."""
    is_default: bool = False
    starter: str | None = None
    """The starter assistant this was added as (its key), None for the user's own."""

    @property
    def system_prompt(self) -> str:
        return str(self.settings.get("system_prompt") or "")

    @property
    def model(self) -> str | None:
        return self.settings.get("model") or None

    def with_(self, **changes: Any) -> Assistant:
        return replace(self, **changes)

    def apply(self, base: ConversationSettings) -> ConversationSettings:
        """A new conversation's settings: ``base`` (the defaults) with this assistant's laid over."""
        merged = {**base.to_json(), **self.settings}
        return ConversationSettings.from_json(merged).with_(assistant_id=self.id or None)

    def differences(self, settings: ConversationSettings, base: ConversationSettings) -> list[str]:
        """The settings this assistant sets that ``settings`` (a conversation's) has changed since."""
        wanted, actual = self.apply(base).to_json(), settings.to_json()
        return sorted(key for key in self.settings if wanted.get(key) != actual.get(key))

    @classmethod
    def from_settings(cls, name: str, settings: ConversationSettings,
                      base: ConversationSettings | None = None, **extra: Any) -> Assistant:
        """An assistant holding what ``settings`` (a conversation's) changes from ``base``."""
        wanted, default = settings.to_json(), (base or ConversationSettings()).to_json()
        changed = {k: v for k, v in wanted.items() if k in SETTING_KEYS and v != default.get(k)}
        return cls(name=name, settings=changed, **extra)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "icon": self.icon, "colour": self.colour,
                               "settings": dict(self.settings)}
        if self.starter:
            out["starter"] = self.starter
        return out


def validate(assistant: Assistant) -> Assistant:
    """The assistant, normalised; a ConfigError with one sentence for the first thing wrong."""
    name = assistant.name.strip() if isinstance(assistant.name, str) else ""
    if not name:
        raise ConfigError("An assistant needs a name.")
    if len(name) > MAX_NAME:
        raise ConfigError(f"An assistant's name can be at most {MAX_NAME} characters long.")
    label = f"The assistant {name!r}"
    if not isinstance(assistant.icon, str) or len(assistant.icon) > 16:
        raise ConfigError(f"{label} has an icon that is not a short piece of text.")
    if not isinstance(assistant.colour, str) or (assistant.colour and not _COLOUR.fullmatch(assistant.colour)):
        raise ConfigError(f"{label} has a colour that is not written as #rrggbb.")
    settings = assistant.settings
    if not isinstance(settings, Mapping):
        raise ConfigError(f"{label} has settings that are not a set of named values.")
    unknown = sorted(set(settings) - SETTING_KEYS)
    if unknown:
        raise ConfigError(f"{label} has a setting this version does not know: {unknown[0]}.")
    prompt = settings.get("system_prompt", "")
    if not isinstance(prompt, str) or len(prompt) > MAX_PROMPT:
        raise ConfigError(f"{label} has a system prompt that is not text of at most {MAX_PROMPT:,} characters.")
    for key in ("model", "region_id"):
        if key in settings and (not isinstance(settings[key], str) or not settings[key].strip()):
            raise ConfigError(f"{label} names no {key.replace('_id', '')} where one is expected.")
    for key in ("temperature", "thinking_budget"):
        value = settings.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise ConfigError(f"{label} has a {key.replace('_', ' ')} that is not a number.")
    budget = settings.get("thinking_budget")
    if budget is not None and (not isinstance(budget, int) or budget < 1):
        raise ConfigError(f"{label} has a thinking budget that is not a positive whole number.")
    if "generation" in settings and not isinstance(settings["generation"], Mapping):
        raise ConfigError(f"{label} has generation parameters that are not a set of named values.")
    if "context_params" in settings and not isinstance(settings["context_params"], Mapping):
        raise ConfigError(f"{label} has context settings that are not a set of named values.")
    try:
        applied = ConversationSettings.from_json(dict(settings))
    except (ValueError, TypeError) as error:
        bad = str(error).split(" is not ")[0] if " is not " in str(error) else "a value"
        raise ConfigError(f"{label} has a setting with a value this version does not know: {bad}.") from None
    try:
        check_generation(applied.generation, temperature=applied.temperature,
                         thinking=applied.thinking.value != "off")
    except ConfigError as error:
        raise ConfigError(f"{label}: {error.sentence}") from None
    return replace(assistant, name=name, settings=dict(settings))


# ---- starter set


def language_code(setting: str | None, env: Mapping[str, str] = os.environ) -> str:
    """One of STARTER_LANGUAGES for a UI language setting ("system": the environment's locale)."""
    value = setting or "system"
    if value == "system":
        value = env.get("LC_ALL") or env.get("LC_MESSAGES") or env.get("LANG") or "en"
    lowered = value.lower()
    if lowered.startswith("zh"):
        return "zh_CN"
    if lowered.startswith("ja"):
        return "ja_JP"
    return "en"


def starter_assistants(language: str) -> list[Assistant]:
    """The starter set in ``language`` (a UI language code; English when it has no text of its own)."""
    code = language_code(language)
    data = json.loads(STARTER_FILE.read_text(encoding="utf-8"))
    found = []
    for entry in data["assistants"]:
        text = entry["text"].get(code) or entry["text"]["en"]
        settings = dict(entry["settings"])
        if text["prompt"]:
            settings["system_prompt"] = text["prompt"]
        found.append(Assistant(
            name=text["name"], settings=settings, icon=entry["icon"], colour=entry["colour"],
            id=f"starter-{entry['key']}", is_default=bool(entry.get("default")), starter=entry["key"],
        ))
    return found


# ---- the library


_COLUMNS = "id, name, icon, colour, settings, starter, is_default"


def _row(row: tuple[Any, ...]) -> Assistant:
    try:
        settings = json.loads(row[4])
    except ValueError:
        settings = {}
    return Assistant(id=row[0], name=row[1], icon=row[2], colour=row[3],
                     settings=settings if isinstance(settings, dict) else {}, starter=row[5],
                     is_default=bool(row[6]))


def _name_taken(conn: sqlite3.Connection, name: str, other_than: str = "") -> bool:
    return conn.execute("SELECT 1 FROM assistants WHERE name = ? COLLATE NOCASE AND id != ?",
                        (name, other_than)).fetchone() is not None


def _free_name(conn: sqlite3.Connection, name: str, taken: set[str] | None = None) -> str:
    candidate, number = name, 2
    while _name_taken(conn, candidate) or (taken is not None and candidate.lower() in taken):
        candidate = f"{name} ({number})"
        number += 1
    return candidate


def _insert(conn: sqlite3.Connection, assistant: Assistant, now: float) -> str:
    aid = assistant.id or uuid.uuid4().hex
    position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM assistants").fetchone()[0]
    conn.execute(
        "INSERT INTO assistants (id, name, icon, colour, settings, starter, is_default, position,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
        (aid, assistant.name, assistant.icon, assistant.colour, json.dumps(dict(assistant.settings)),
         assistant.starter, position, now, now),
    )
    return aid


def _set_default(conn: sqlite3.Connection, aid: str) -> None:
    conn.execute("UPDATE assistants SET is_default = (id = ?)", (aid,))


def _translate_starters(conn: sqlite3.Connection, old: str, new: str, now: float) -> None:
    """Starters still as written in ``old`` (name and prompt untouched) get the ``new`` language's text."""
    before = {a.starter: a for a in starter_assistants(old)}
    after = {a.starter: a for a in starter_assistants(new)}
    rows = conn.execute(f"SELECT {_COLUMNS} FROM assistants WHERE starter IS NOT NULL").fetchall()
    for assistant in map(_row, rows):
        was, wanted = before.get(assistant.starter), after.get(assistant.starter)
        if was is None or wanted is None or (assistant.name, assistant.system_prompt) != (
                was.name, was.system_prompt):
            continue
        if _name_taken(conn, wanted.name, other_than=assistant.id):
            continue
        settings = {k: v for k, v in assistant.settings.items() if k != "system_prompt"}
        if wanted.system_prompt:
            settings["system_prompt"] = wanted.system_prompt
        conn.execute("UPDATE assistants SET name = ?, settings = ?, updated_at = ? WHERE id = ?",
                     (wanted.name, json.dumps(settings), now, assistant.id))
    conn.execute("UPDATE assistant_library SET value = ? WHERE key = 'starters'", (new,))


class AssistantLibrary:
    """The assistants of one conversation database."""

    def __init__(self, store: Any, *, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self._clock = clock

    # ---- reads

    def all(self) -> list[Assistant]:
        """The default first, then in the order they were added."""
        return self.store.run_read(lambda conn: [_row(r) for r in conn.execute(
            f"SELECT {_COLUMNS} FROM assistants ORDER BY is_default DESC, position, id")])

    def get(self, aid: str) -> Assistant | None:
        row = self.store.run_read(lambda conn: conn.execute(
            f"SELECT {_COLUMNS} FROM assistants WHERE id = ?", (aid,)).fetchone())
        return None if row is None else _row(row)

    def default(self) -> Assistant | None:
        row = self.store.run_read(lambda conn: conn.execute(
            f"SELECT {_COLUMNS} FROM assistants WHERE is_default = 1").fetchone())
        return None if row is None else _row(row)

    def find(self, name: str) -> Assistant:
        """By name (any case) or id; a ConfigError naming the assistants there are otherwise."""
        wanted = name.strip().casefold()
        every = self.all()
        for assistant in every:
            if assistant.name.casefold() == wanted or assistant.id == name.strip():
                return assistant
        names = ", ".join(a.name for a in every) or "none yet"
        raise ConfigError(f"There is no assistant called {name!r}; the assistants are: {names}.")

    # ---- writes (Futures, like the store's)

    def create(self, assistant: Assistant) -> Future[str]:
        """Stores a new assistant (a fresh id unless it has one); its name must be free."""
        checked = validate(assistant)

        def job(conn: sqlite3.Connection) -> str:
            if _name_taken(conn, checked.name):
                raise ConfigError(f"There is already an assistant called {checked.name!r}.")
            aid = _insert(conn, checked, self._clock())
            if conn.execute("SELECT count(*) FROM assistants WHERE is_default = 1").fetchone()[0] == 0:
                _set_default(conn, aid)
            return aid

        return self.store.run_write(job)

    def update(self, assistant: Assistant) -> Future[None]:
        checked = validate(assistant)

        def job(conn: sqlite3.Connection) -> None:
            if _name_taken(conn, checked.name, other_than=checked.id):
                raise ConfigError(f"There is already an assistant called {checked.name!r}.")
            done = conn.execute(
                "UPDATE assistants SET name = ?, icon = ?, colour = ?, settings = ?, updated_at = ?"
                " WHERE id = ?",
                (checked.name, checked.icon, checked.colour, json.dumps(dict(checked.settings)),
                 self._clock(), checked.id),
            )
            if done.rowcount == 0:
                raise ConfigError(f"The assistant {checked.name!r} no longer exists.")

        return self.store.run_write(job)

    def delete(self, aid: str) -> Future[None]:
        """Removes it; if it was the default, the first remaining one becomes the default."""
        def job(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM assistants WHERE id = ?", (aid,))
            if conn.execute("SELECT count(*) FROM assistants WHERE is_default = 1").fetchone()[0] == 0:
                first = conn.execute("SELECT id FROM assistants ORDER BY position, id LIMIT 1").fetchone()
                if first is not None:
                    _set_default(conn, first[0])

        return self.store.run_write(job)

    def duplicate(self, aid: str, name: str | None = None) -> Future[str]:
        """A copy under a free name ("Name (2)" unless ``name`` is given); not a starter, not the default."""
        def job(conn: sqlite3.Connection) -> str:
            row = conn.execute(f"SELECT {_COLUMNS} FROM assistants WHERE id = ?", (aid,)).fetchone()
            if row is None:
                raise ConfigError("The assistant to copy no longer exists.")
            original = _row(row)
            wanted = validate(original.with_(name=name)).name if name else original.name
            if name and _name_taken(conn, wanted):
                raise ConfigError(f"There is already an assistant called {wanted!r}.")
            copy = original.with_(id="", name=_free_name(conn, wanted), starter=None, is_default=False)
            return _insert(conn, copy, self._clock())

        return self.store.run_write(job)

    def set_default(self, aid: str) -> Future[None]:
        def job(conn: sqlite3.Connection) -> None:
            if conn.execute("SELECT 1 FROM assistants WHERE id = ?", (aid,)).fetchone() is None:
                raise ConfigError("That assistant no longer exists.")
            _set_default(conn, aid)

        return self.store.run_write(job)

    def ensure_starters(self, language: str) -> Future[int]:
        """Adds the starter set in ``language`` the first time (never again, even after deleting them).

        Returns how many were added; a name the user already uses is left to the user's assistant.
        Later, with another interface language, the starters the user has not renamed or rewritten
        are put into that language.
        """
        starters = starter_assistants(language)

        def job(conn: sqlite3.Connection) -> int:
            seeded = conn.execute("SELECT value FROM assistant_library WHERE key = 'starters'").fetchone()
            if seeded:
                if seeded[0] != language_code(language):
                    _translate_starters(conn, seeded[0], language_code(language), self._clock())
                return 0
            added = 0
            now = self._clock()
            for assistant in starters:
                if _name_taken(conn, assistant.name) or conn.execute(
                        "SELECT 1 FROM assistants WHERE id = ?", (assistant.id,)).fetchone():
                    continue
                aid = _insert(conn, assistant, now)
                added += 1
                if assistant.is_default and not conn.execute(
                        "SELECT 1 FROM assistants WHERE is_default = 1").fetchone():
                    _set_default(conn, aid)
            conn.execute("INSERT INTO assistant_library (key, value) VALUES ('starters', ?)",
                         (language_code(language),))
            return added

        return self.store.run_write(job)

    # ---- files

    def export_json(self, path: Path, ids: Iterable[str] | None = None) -> int:
        """Writes the assistants (all, or those of ``ids``) to ``path``; returns how many."""
        chosen = set(ids) if ids is not None else None
        found = [a for a in self.all() if chosen is None or a.id in chosen]
        data = {"format": FILE_FORMAT, "version": FILE_VERSION, "assistants": [a.to_json() for a in found]}
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        path = Path(path)
        partial_file = path.with_name(f".{path.name}.partial")
        try:
            partial_file.write_text(text, encoding="utf-8")
            os.replace(partial_file, path)
        except OSError as error:
            partial_file.unlink(missing_ok=True)
            raise ConfigError(f"The assistants could not be written to {path.name}: "
                              f"{error.strerror or error}.") from None
        return len(found)

    def import_json(self, path: Path) -> Future[ImportResult]:
        """Adds the assistants of an exported file; one with the id of a stored one replaces it.

        The whole file is checked first: a file with any fault is refused with one sentence and
        nothing is stored. A name already used by another assistant gets a number added.
        """
        incoming = read_file(Path(path))

        def job(conn: sqlite3.Connection) -> ImportResult:
            added = replaced = 0
            now = self._clock()
            for assistant in incoming:
                known = assistant.id and conn.execute(
                    "SELECT 1 FROM assistants WHERE id = ?", (assistant.id,)).fetchone()
                if known:
                    name = assistant.name
                    if _name_taken(conn, name, other_than=assistant.id):
                        name = _free_name(conn, name)
                    conn.execute(
                        "UPDATE assistants SET name = ?, icon = ?, colour = ?, settings = ?, updated_at = ?"
                        " WHERE id = ?",
                        (name, assistant.icon, assistant.colour, json.dumps(dict(assistant.settings)), now,
                         assistant.id),
                    )
                    replaced += 1
                else:
                    _insert(conn, assistant.with_(name=_free_name(conn, assistant.name)), now)
                    added += 1
            if not conn.execute("SELECT 1 FROM assistants WHERE is_default = 1").fetchone():
                first = conn.execute("SELECT id FROM assistants ORDER BY position, id LIMIT 1").fetchone()
                if first is not None:
                    _set_default(conn, first[0])
            return ImportResult(added, replaced)

        return self.store.run_write(job)


def read_file(path: Path) -> list[Assistant]:
    """The assistants of an exported file, each checked; AssistantFileError with one sentence otherwise."""
    name = path.name
    entries = read_entries(path, error=AssistantFileError, what="an assistants file", key="assistants", file_format=FILE_FORMAT,
                           newest=FILE_VERSION, max_bytes=MAX_FILE_BYTES, max_entries=MAX_ASSISTANTS)
    found: list[Assistant] = []
    ids: set[str] = set()
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise AssistantFileError(f"Assistant {number} in {name} is not a set of named values.")
        aid = entry.get("id") or ""
        if not isinstance(aid, str) or len(aid) > 64 or aid in ids:
            raise AssistantFileError(f"Assistant {number} in {name} has a missing, repeated or malformed id.")
        if aid:
            ids.add(aid)
        starter = entry.get("starter")
        try:
            found.append(validate(Assistant(
                name=entry.get("name"), settings=entry.get("settings", {}), icon=entry.get("icon", ""),
                colour=entry.get("colour", ""), id=aid, starter=starter if isinstance(starter, str) else None,
            )))
        except ConfigError as error:
            raise AssistantFileError(f"Assistant {number} in {name} cannot be imported: "
                                     f"{error.sentence[0].lower()}{error.sentence[1:]}") from None
    return found
