"""The assistant library: CRUD in the real database across a restart, the starter set in each UI
language, JSON export/import and the files it refuses."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from qwen_desktop.core.assistants import (
    STARTER_FILE, STARTER_LANGUAGES, Assistant, AssistantFileError, AssistantLibrary, language_code,
    starter_assistants, validate,
)
from qwen_desktop.core.errors import ConfigError
from qwen_desktop.core.generation import GenerationParams
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, ThinkingMode

REVIEWER = Assistant(
    name="Reviewer", icon="R", colour="#112233",
    settings={"system_prompt": "Review strictly.", "model": "qwen3-coder-plus", "temperature": 0.2,
              "thinking": "budget", "thinking_budget": 2048, "generation": {"top_p": 0.8, "seed": 7},
              "context_policy": "last_n", "context_params": {"n": 6}, "search": "auto"},
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "conversations.db"


def test_crud_survives_a_restart(db: Path) -> None:
    with Store(db) as store:
        library = AssistantLibrary(store)
        aid = library.create(REVIEWER).result()
        other = library.create(Assistant(name="Plain")).result()
        assert library.default().id == aid, "the first assistant becomes the default"
        library.update(library.get(other).with_(name="Plainer", settings={"system_prompt": "Short."})).result()
        copy = library.duplicate(aid).result()
        library.set_default(other).result()
        with pytest.raises(ConfigError, match="already an assistant called 'reviewer'"):
            library.create(Assistant(name="reviewer")).result()
    with Store(db) as reopened:
        library = AssistantLibrary(reopened)
        stored = library.get(aid)
        assert stored.settings == REVIEWER.settings and (stored.icon, stored.colour) == ("R", "#112233")
        assert library.get(copy).name == "Reviewer (2)" and library.get(copy).settings == REVIEWER.settings
        assert library.default().name == "Plainer" and library.default().system_prompt == "Short."
        assert [a.name for a in library.all()] == ["Plainer", "Reviewer", "Reviewer (2)"]
        library.delete(other).result()
        assert library.get(other) is None and library.default().id == aid, "the default passes on"


def test_an_assistant_lays_its_settings_over_the_defaults() -> None:
    base = ConversationSettings(model="qwen-plus", region_id="cn", temperature=0.9)
    applied = REVIEWER.with_(id="abc").apply(base)
    assert applied.model == "qwen3-coder-plus" and applied.region_id == "cn"
    assert applied.temperature == 0.2 and applied.system_prompt == "Review strictly."
    assert applied.thinking is ThinkingMode.BUDGET and applied.thinking_budget == 2048
    assert applied.generation == GenerationParams(top_p=0.8, seed=7)
    assert applied.assistant_id == "abc"
    again = ConversationSettings.from_json(json.loads(json.dumps(applied.to_json())))
    assert again == applied, "a conversation remembers its assistant through storage"
    made = Assistant.from_settings("Mine", applied, base)
    assert "region_id" not in made.settings and "assistant_id" not in made.settings
    assert made.with_(id="abc").apply(base) == applied


def test_starter_set_in_every_language(db: Path) -> None:
    raw = json.loads(STARTER_FILE.read_text(encoding="utf-8"))["assistants"]
    assert 6 <= len(raw) <= 10
    keys = {"translator", "code_reviewer", "writing_editor", "summariser"}
    assert keys <= {entry["key"] for entry in raw}
    names = {}
    for language in STARTER_LANGUAGES:
        for entry in raw:
            text = entry["text"][language]
            assert text["name"].strip(), (language, entry["key"])
            assert entry.get("default") or text["prompt"].strip(), (language, entry["key"])
        starters = starter_assistants(language)
        for assistant in starters:
            validate(assistant)
        names[language] = [a.name for a in starters]
        assert len(set(n.casefold() for n in names[language])) == len(starters)
    assert names["en"] != names["zh_CN"] != names["ja_JP"] != names["en"]
    assert starter_assistants("zh_CN")[1].system_prompt != starter_assistants("en")[1].system_prompt
    assert language_code("system", {"LANG": "ja_JP.UTF-8"}) == "ja_JP" and language_code("fr") == "en"
    with Store(db) as store:
        library = AssistantLibrary(store)
        assert library.ensure_starters("zh_CN").result() == len(raw)
        assert [a.name for a in library.all()][0] == "通用助手" and library.default().starter == "general"
        library.delete(library.find("翻译").id).result()
        assert library.ensure_starters("zh_CN").result() == 0, "a deleted starter does not come back"
        assert "翻译" not in [a.name for a in library.all()]


def test_starters_follow_a_later_interface_language_unless_the_user_changed_them(db: Path) -> None:
    with Store(db) as store:
        library = AssistantLibrary(store)
        library.ensure_starters("en").result()
        summariser = library.find("Summariser")
        library.update(summariser.with_(settings={**summariser.settings, "system_prompt": "Three bullets."})
                       ).result()
        library.update(library.find("Email writer").with_(name="Mail")).result()
        translator = library.find("Translator")
        assert library.ensure_starters("zh_CN").result() == 0
        zh = {a.starter: a for a in starter_assistants("zh_CN")}
        now = library.get(translator.id)
        assert now.name == zh["translator"].name and now.system_prompt == zh["translator"].system_prompt
        assert now.settings["temperature"] == translator.settings["temperature"]
        assert library.get(summariser.id).name == "Summariser", "a rewritten starter stays as the user left it"
        assert library.get(summariser.id).system_prompt == "Three bullets."
        english = {a.starter: a for a in starter_assistants("en")}
        assert library.find("Mail").system_prompt == english["email_writer"].system_prompt, "renamed: left alone"
        assert library.default().name == zh["general"].name
        assert library.ensure_starters("zh_CN").result() == 0 and library.get(translator.id) == now
        library.ensure_starters("en").result()
        assert library.get(translator.id).name == "Translator"


def test_export_import_round_trip(db: Path, tmp_path: Path) -> None:
    exported = tmp_path / "mine.json"
    with Store(db) as store:
        library = AssistantLibrary(store)
        library.ensure_starters("ja_JP").result()
        library.create(REVIEWER).result()
        before = library.all()
        assert library.export_json(exported) == len(before)
    assert json.loads(exported.read_text(encoding="utf-8"))["assistants"][-1]["name"] == "Reviewer"
    with Store(tmp_path / "other.db") as store:
        library = AssistantLibrary(store)
        library.create(Assistant(name="Reviewer", settings={"system_prompt": "Mine."})).result()
        result = library.import_json(exported).result()
        assert (result.added, result.replaced) == (len(before), 0)
        by_id = {a.id: a for a in library.all()}
        for original in before:
            assert by_id[original.id].settings == original.settings
        assert by_id[reviewer_id(before)].name == "Reviewer (2)", "a name in use gets a number"
        assert library.find("reviewer").system_prompt == "Mine."
        again = library.import_json(exported).result()
        assert (again.added, again.replaced) == (0, len(before)), "the same file again replaces, no copies"
        assert len(library.all()) == len(before) + 1


def reviewer_id(assistants: list[Assistant]) -> str:
    return next(a.id for a in assistants if a.name == "Reviewer")


@pytest.mark.parametrize("content, sentence", [
    (b"{not json", "not valid JSON"),
    (b'{"format": "something-else", "version": 1, "assistants": []}', "not an assistants file"),
    (b'{"format": "qwen-desktop-assistants", "version": 99, "assistants": []}', "newer version"),
    (b'{"format": "qwen-desktop-assistants", "version": 1, "assistants": {}}', "no list of assistants"),
    (b'{"format": "qwen-desktop-assistants", "version": 1, "assistants": [{"name": "Ok"}, {"name": ""}]}',
     "Assistant 2 in bad.json cannot be imported: an assistant needs a name."),
    (b'{"format": "qwen-desktop-assistants", "version": 1, "assistants": [{"name": "A",'
     b' "settings": {"api_key": "sk-1"}}]}', "setting this version does not know: api_key"),
    (b'{"format": "qwen-desktop-assistants", "version": 1, "assistants": [{"name": "A",'
     b' "settings": {"thinking": "on", "generation": {"json_mode": true}}}]}', "JSON mode works only"),
    (b'{"format": "qwen-desktop-assistants", "version": 1, "assistants": [{"name": "A",'
     b' "settings": {"temperature": 5}}]}', "Temperature must be"),
    (b'{"format": "qwen-desktop-assistants", "version": 1, "assistants": [{"name": "A",'
     b' "settings": {"protocol": "carrier-pigeon"}}]}', "value this version does not know"),
    (b'{"format": "qwen-desktop-assistants", "version": 1, "assistants": [{"name": "A", "colour": "red"}]}',
     "colour that is not written as #rrggbb"),
    (b"\xff\xfe\x00", "not valid JSON"),
])
def test_a_broken_file_is_refused_and_nothing_is_written(db: Path, tmp_path: Path, content: bytes,
                                                          sentence: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with Store(db) as store:
        library = AssistantLibrary(store)
        library.create(Assistant(name="Kept")).result()
        with pytest.raises(AssistantFileError) as refused:
            library.import_json(bad).result()
        assert sentence in str(refused.value)
        assert "\n" not in str(refused.value) and str(refused.value).endswith("."), "one sentence"
        assert [a.name for a in library.all()] == ["Kept"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM assistants").fetchone()[0] == 1
