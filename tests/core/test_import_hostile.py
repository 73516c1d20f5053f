"""Importing hostile or damaged exports: each refused with a sentence before anything is written,
all or nothing, and importing the same export again adds nothing."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from qwen_desktop.core import export as x
from qwen_desktop.core.attachments import AttachmentStore
from qwen_desktop.core.errors import QwenError
from qwen_desktop.core.images import prepare_image
from qwen_desktop.core.paths import database_path
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, Role

Mutation = Callable[[dict[str, Any]], None]


@pytest.fixture
def exported(tmp_path: Path) -> dict[str, Any]:
    source = tmp_path / "source"
    store = Store(database_path(source))
    files = AttachmentStore(source)
    picture = tmp_path / "p.png"
    Image.new("RGB", (32, 32), (10, 200, 30)).save(picture)
    ref = files.save(prepare_image(picture))
    try:
        for n in range(3):
            cid = store.create_conversation(ConversationSettings(), f"conversation {n}").result()
            store.add_message(cid, Role.USER, f"question {n}", attachments=[ref] if n == 0 else None).result()
            mid = store.add_message(cid, Role.ASSISTANT, f"answer {n}").result()
            store.update_message(mid, meta={"finish_reason": "stop"}, context={"message_ids": [mid - 1]}).result()
        x.export_json(store, files, tmp_path / "good.json")
    finally:
        store.close()
    return json.loads((tmp_path / "good.json").read_text())


def first_sha(doc: dict[str, Any]) -> str:
    return next(iter(doc["attachments"]))


def deep(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = {"x": value}
    return value


def set_in(path: tuple[Any, ...], value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target = doc
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return mutate


def drop(path: tuple[Any, ...]) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target = doc
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]
    return mutate


def blob(field: str, value: Any) -> Mutation:
    return lambda doc: doc["attachments"][first_sha(doc)].__setitem__(field, value)


M0 = ("conversations", 0, "messages", 0)
HOSTILE: dict[str, Mutation] = {
    "attachments list": set_in(("attachments",), []),
    "attachments string": set_in(("attachments",), "nope"),
    "blob not an object": lambda d: d["attachments"].__setitem__(first_sha(d), "data"),
    "blob bad base64": blob("data", "%%%not base64%%%"),
    "blob data number": blob("data", 12),
    "blob data missing": lambda d: d["attachments"][first_sha(d)].pop("data"),
    "blob wrong checksum": blob("data", base64.b64encode(b"other bytes").decode()),
    "blob mime odd": blob("mime", "application/x-sh"),
    "blob key not a digest": lambda d: d["attachments"].__setitem__("../../etc/passwd", {"mime": "image/png", "data": ""}),
    "ref string": set_in((*M0, "attachments"), ["photo.png"]),
    "ref bad digest": set_in((*M0, "attachments"), [{"sha256": "../../x", "mime": "image/png"}]),
    "ref list of lists": set_in((*M0, "attachments"), [[1, 2]]),
    "message attachments dict": set_in((*M0, "attachments"), {"a": 1}),
    "conversations dict": set_in(("conversations",), {"a": 1}),
    "conversation string": set_in(("conversations", 1), "hello"),
    "messages string": set_in(("conversations", 0, "messages"), "hi"),
    "message list": set_in((*M0,), [1, 2]),
    "role unknown": set_in((*M0, "role"), "wizard"),
    "role number": set_in((*M0, "role"), 3),
    "status unknown": set_in((*M0, "status"), "exploded"),
    "content number": set_in((*M0, "content"), 42),
    "content list": set_in((*M0, "content"), ["a"]),
    "reasoning dict": set_in((*M0, "reasoning"), {"a": 1}),
    "created_at string": set_in((*M0, "created_at"), "yesterday"),
    "created_at missing": drop((*M0, "created_at")),
    "created_at nan": set_in((*M0, "created_at"), float("nan")),
    "created_at infinite": set_in(("conversations", 0, "created_at"), float("inf")),
    "conversation created_at missing": drop(("conversations", 0, "created_at")),
    "updated_at string": set_in(("conversations", 0, "updated_at"), "now"),
    "title number": set_in(("conversations", 0, "title"), 7),
    "settings list": set_in(("conversations", 0, "settings"), [1]),
    "settings bad protocol": set_in(("conversations", 0, "settings"), {"protocol": "carrier-pigeon"}),
    "settings budget string": set_in(("conversations", 0, "settings"), {"thinking_budget": "lots"}),
    "settings temperature dict": set_in(("conversations", 0, "settings"), {"temperature": {"a": 1}}),
    "usage string": set_in((*M0, "usage"), "many"),
    "usage tokens string": set_in((*M0, "usage"), {"input_tokens": "x"}),
    "meta list": set_in((*M0, "meta"), [1]),
    "meta deep": set_in((*M0, "meta"), deep(500)),
    "context deep": set_in((*M0, "context"), deep(200)),
    "error string": set_in((*M0, "error"), "bad"),
    "reasoning_ms string": set_in((*M0, "reasoning_ms"), "fast"),
    "model number": set_in((*M0, "model"), 5),
    "lone surrogate": set_in((*M0, "content"), "\ud800 broken"),
    "id string": set_in((*M0, "id"), "one"),
    "context ids strings": set_in((*M0, "context"), {"message_ids": ["a", {}]}),
    "version string": set_in(("version",), "1"),
    "version newer": set_in(("version",), 99),
}


def write(tmp_path: Path, doc: Any, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False, allow_nan=True), encoding="utf-8",
                    errors="surrogatepass")
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_export_is_refused_with_a_sentence_and_writes_nothing(
    tmp_path: Path, exported: dict[str, Any], name: str
) -> None:
    doc = copy.deepcopy(exported)
    HOSTILE[name](doc)
    path = write(tmp_path, doc)
    target = tmp_path / "target"
    store = Store(database_path(target))
    files = AttachmentStore(target)
    try:
        with pytest.raises(QwenError) as caught:
            x.import_json(store, files, path)
        sentence = str(caught.value)
        assert sentence and "Traceback" not in sentence and len(sentence) < 400, sentence
        assert store.conversation_ids() == [], "nothing was imported"
        assert list(files.files()) == [], "no file was written"
    finally:
        store.close()


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"format": "qwen-desktop-export"',
                                  "\ufeff{}", "null", '"just a string"'])
def test_unparseable_exports_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with Store(database_path(tmp_path / "t")) as store, pytest.raises(QwenError):
        x.import_json(store, AttachmentStore(tmp_path / "t"), path)


def test_importing_the_same_export_twice_adds_nothing_the_second_time(
    tmp_path: Path, exported: dict[str, Any]
) -> None:
    path = write(tmp_path, exported)
    with Store(database_path(tmp_path / "t")) as store:
        files = AttachmentStore(tmp_path / "t")
        first = x.import_json(store, files, path)
        assert len(first) == 3
        again = x.import_json(store, files, path)
        assert again == [] and again.skipped == 3
        assert len(store.conversation_ids()) == 3
        legacy = copy.deepcopy(exported)
        legacy.pop("export_id", None)
        old = write(tmp_path, legacy, "old.json")
        assert len(x.import_json(store, files, old)) == 3, "an export without an id is keyed by content"
        assert x.import_json(store, files, old) == []
        assert len(store.conversation_ids()) == 6


def test_a_failure_on_the_last_conversation_leaves_none_imported(
    tmp_path: Path, exported: dict[str, Any]
) -> None:
    doc = copy.deepcopy(exported)
    doc["conversations"][-1]["messages"][-1]["role"] = "nobody"
    with Store(database_path(tmp_path / "t")) as store:
        with pytest.raises(QwenError):
            x.import_json(store, AttachmentStore(tmp_path / "t"), write(tmp_path, doc))
        assert store.conversation_ids() == []


def test_a_good_export_still_imports_everything(tmp_path: Path, exported: dict[str, Any]) -> None:
    path = write(tmp_path, exported)
    with Store(database_path(tmp_path / "t")) as store:
        files = AttachmentStore(tmp_path / "t")
        ids = x.import_json(store, files, path)
        messages = [m for cid in ids for m in store.messages(cid)]
        assert [m.content for m in messages][:2] == ["question 0", "answer 0"]
        ref = messages[0].attachments[0]
        data = files.load(ref)
        assert hashlib.sha256(data).hexdigest() == ref["sha256"]
