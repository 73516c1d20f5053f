"""The prompt library: CRUD in the real database across a restart, variables, filtering, the starter
set in each UI language, JSON export/import and the files it refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qwen_desktop.core.errors import ConfigError
from qwen_desktop.core.prompts import (
    STARTER_FILE, Prompt, PromptFileError, PromptLibrary, fields, matching, starter_prompts,
)
from qwen_desktop.core.storage import Store

LANGUAGES = ("en", "zh_CN", "ja_JP")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "conversations.db"


def test_crud_survives_a_restart(db: Path) -> None:
    with Store(db) as store:
        library = PromptLibrary(store)
        first = library.create(Prompt(name="  Haiku ", text="A haiku about {{topic}}.")).result()
        second = library.create(Prompt(name="Review", text="Review {{ file }} for {{focus}}.")).result()
        library.update(library.get(second).with_(text="Review {{file}} strictly.")).result()
        with pytest.raises(ConfigError, match="already a prompt called 'haiku'"):
            library.create(Prompt(name="haiku", text="x")).result()
        with pytest.raises(ConfigError, match="already a prompt called 'Haiku'"):
            library.update(library.get(second).with_(name="Haiku")).result()
    with Store(db) as reopened:
        library = PromptLibrary(reopened)
        assert [(p.name, p.text) for p in library.all()] == [
            ("Haiku", "A haiku about {{topic}}."), ("Review", "Review {{file}} strictly.")]
        library.delete(first).result()
        assert [p.id for p in library.all()] == [second]


@pytest.mark.parametrize("prompt, sentence", [
    (Prompt(name="", text="x"), "A prompt needs a name."),
    (Prompt(name="a\nb", text="x"), "one line"),
    (Prompt(name="Empty", text="  \n"), "The prompt 'Empty' has no text."),
    (Prompt(name="Huge", text="x" * 100_001), "longer than 100,000 characters"),
])
def test_a_bad_prompt_is_refused_with_a_sentence(db: Path, prompt: Prompt, sentence: str) -> None:
    with Store(db) as store:
        with pytest.raises(ConfigError, match=sentence):
            PromptLibrary(store).create(prompt)
        assert PromptLibrary(store).all() == []


def test_variables_are_found_with_their_places() -> None:
    text = "Compare {{option A}} and {{ option B }} for {{goal}}; {{goal}} again, {{}} and {{a\nb}} are text."
    found = fields(text)
    assert [f.name for f in found] == ["option A", "option B", "goal", "goal"]
    assert [text[f.start:f.end] for f in found] == ["{{option A}}", "{{ option B }}", "{{goal}}", "{{goal}}"]
    assert Prompt(name="c", text=text).variables() == ["option A", "option B", "goal"]
    assert [f.name for f in fields("把{{原文}}翻译成{{目标语言}}")] == ["原文", "目标语言"]


def test_filtering_puts_names_starting_with_the_query_first() -> None:
    prompts = [Prompt(name="Explain code", text="What does {{code}} do?"),
               Prompt(name="Code review", text="Review it."),
               Prompt(name="Summarise", text="Summarise this code change."),
               Prompt(name="Translate", text="Into {{language}}.")]
    assert [p.name for p in matching(prompts, "")] == [p.name for p in prompts]
    assert [p.name for p in matching(prompts, "CODE")] == ["Code review", "Explain code", "Summarise"]
    assert [p.name for p in matching(prompts, "code exp")] == ["Explain code"]
    assert matching(prompts, "nothing like it") == []


def test_starter_set_in_every_language(db: Path) -> None:
    raw = json.loads(STARTER_FILE.read_text(encoding="utf-8"))["prompts"]
    assert 6 <= len(raw) <= 12
    for language in LANGUAGES:
        starters = starter_prompts(language)
        assert len({p.name.casefold() for p in starters}) == len(raw), language
        for prompt, entry in zip(starters, raw, strict=True):
            assert prompt.variables(), (language, entry["key"])
            english = entry["text"]["en"]
            if language != "en":
                assert prompt.name != english["name"] and prompt.text != english["text"], (language, entry["key"])
                assert len(prompt.variables()) == len(Prompt("", english["text"]).variables())
    with Store(db) as store:
        library = PromptLibrary(store)
        library.create(Prompt(name="翻译", text="我自己的：{{x}}")).result()
        added = library.ensure_starters("zh_CN").result()
        assert added == len(raw) - 1, "a name the user already uses keeps the user's prompt"
        assert library.all()[0].text == "我自己的：{{x}}"
        summary = next(p for p in library.all() if p.starter == "summarise")
        library.delete(summary.id).result()
        assert library.ensure_starters("ja_JP").result() == 0
        assert all(p.starter != "summarise" for p in library.all()), "a deleted starter does not come back"


def test_export_import_round_trip(tmp_path: Path) -> None:
    exported = tmp_path / "prompts.json"
    with Store(tmp_path / "one.db") as store:
        library = PromptLibrary(store)
        library.ensure_starters("en").result()
        library.create(Prompt(name="Mine", text="Rewrite {{text}} as {{style}}.")).result()
        count = library.export_json(exported)
        originals = {p.name: p.text for p in library.all()}
    assert count == len(originals) and not (tmp_path / ".prompts.json.partial").exists()
    with Store(tmp_path / "two.db") as store:
        library = PromptLibrary(store)
        library.create(Prompt(name="Mine", text="Something else")).result()
        result = library.import_json(exported).result()
        assert (result.added, result.replaced) == (len(originals), 0)
        stored = {p.name: p.text for p in library.all()}
        assert stored["Mine (2)"] == originals["Mine"] and stored["Mine"] == "Something else"
        again = library.import_json(exported).result()
        assert (again.added, again.replaced) == (0, len(originals)), "importing again makes no copies"
        assert len(library.all()) == len(originals) + 1


@pytest.mark.parametrize("content, sentence", [
    (b"{not json", "is not a prompts file: it is not valid JSON text"),
    (b'{"format": "qwen-desktop-assistants", "version": 1, "assistants": []}', "is not a prompts file exported"),
    (b'{"format": "qwen-desktop-prompts", "version": 9, "prompts": []}', "newer version"),
    (b'{"format": "qwen-desktop-prompts", "version": 1, "prompts": {}}', "holds no list of prompts"),
    (b'{"format": "qwen-desktop-prompts", "version": 1, "prompts": [{"name": "ok", "text": "x"}, '
     b'{"name": "", "text": "x"}]}', "Prompt 2 in bad.json cannot be imported: a prompt needs a name"),
    (b'{"format": "qwen-desktop-prompts", "version": 1, "prompts": [{"name": "n", "text": 5}]}', "has no text"),
    (b'{"format": "qwen-desktop-prompts", "version": 1, "prompts": [{"id": "a", "name": "n", "text": "x"}, '
     b'{"id": "a", "name": "m", "text": "y"}]}', "repeated or malformed id"),
    (b"\xff\xfe{}", "not valid JSON text"),
])
def test_a_broken_file_is_refused_and_nothing_is_written(tmp_path: Path, content: bytes, sentence: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with Store(tmp_path / "db.sqlite3") as store:
        library = PromptLibrary(store)
        library.create(Prompt(name="Kept", text="x")).result()
        with pytest.raises(PromptFileError, match=sentence):
            library.import_json(bad)
        assert [p.name for p in library.all()] == ["Kept"]
        with pytest.raises(PromptFileError, match="no file missing.json"):
            library.import_json(tmp_path / "missing.json")
