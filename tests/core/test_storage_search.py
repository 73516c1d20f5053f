"""Full-text search: English prefixes, CJK words inside sentences, hostile input, snippets."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from qwen_desktop.core.storage import SearchHit, Store
from qwen_desktop.core.storage.text import match_expression, segment, snippet
from qwen_desktop.core.types import ConversationSettings, MessageStatus, Role


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "search.sqlite3"
    opened = Store(path)
    yield opened
    opened.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def conversation_with(store: Store, title: str, *texts: str) -> tuple[int, list[int]]:
    cid = store.create_conversation(ConversationSettings(), title).result()
    return cid, [store.add_message(cid, Role.USER, text).result() for text in texts]


def matched(hit: SearchHit) -> str:
    return hit.snippet[hit.match_start:hit.match_end]


def test_english_word_and_prefix(store: Store) -> None:
    cid, (mid,) = conversation_with(store, "Notes", "Token streaming keeps the window responsive.")
    for query in ("streaming", "stre", "STREAM", "token stre", "s"):
        hits = store.search(query)
        assert [(h.conversation_id, h.message_id) for h in hits] == [(cid, mid)], query
    hit = store.search("stre")[0]
    assert matched(hit) == "streaming"
    assert store.search("streamingx") == []


def test_diacritics_are_ignored(store: Store) -> None:
    conversation_with(store, "", "Meet me at the café in Zürich")
    assert matched(store.search("cafe")[0]) == "café"
    assert matched(store.search("zurich")[0]) == "Zürich"


def test_chinese_two_character_word_inside_a_sentence(store: Store) -> None:
    cid, (mid, _) = conversation_with(store, "", "我们需要把数据保存到本地", "今天天气很好")
    hits = store.search("数据")
    assert [(h.conversation_id, h.message_id) for h in hits] == [(cid, mid)]
    assert matched(hits[0]) == "数据"
    assert hits[0].snippet == "我们需要把数据保存到本地"
    assert [h.message_id for h in store.search("保存到")] == [mid]
    assert store.search("据数") == []


def test_japanese_and_korean_words(store: Store) -> None:
    _, (ja, ko) = conversation_with(store, "", "東京でデータを保存しました", "데이터를 저장했습니다")
    assert [h.message_id for h in store.search("データ")] == [ja]
    assert [h.message_id for h in store.search("保存")] == [ja]
    assert [h.message_id for h in store.search("저장")] == [ko]


def test_titles_are_searched(store: Store) -> None:
    cid, _ = conversation_with(store, "Trip planning 旅行计划", "nothing here")
    hits = store.search("旅行")
    assert [(h.conversation_id, h.message_id, h.title) for h in hits] == [(cid, None, "Trip planning 旅行计划")]
    assert matched(store.search("trip")[0]) == "Trip"


def test_reasoning_is_not_searched(store: Store) -> None:
    cid = store.create_conversation(ConversationSettings()).result()
    store.add_message(cid, Role.ASSISTANT, "visible answer", reasoning="hidden pondering").result()
    assert store.search("pondering") == []
    assert len(store.search("visible")) == 1


@pytest.mark.parametrize(
    "query",
    ['"', "*", "AND (", "NEAR/", "NEAR(a b)", "a OR", "-x", "^", "col:value", "(((", "'", '"unclosed',
     "NOT", "a AND", "", "   ", "\\", "{x}", "+", "数据*", "*数据", "%_"],
)
def test_hostile_queries_do_not_raise(store: Store, query: str) -> None:
    conversation_with(store, "and or not near", "AND OR NOT NEAR operators in text: a-b (x) 数据")
    assert isinstance(store.search(query), list)


def test_operator_words_are_plain_text(store: Store) -> None:
    _, (mid,) = conversation_with(store, "", "Ships NEAR the harbour AND the bay")
    assert [h.message_id for h in store.search("NEAR")] == [mid]
    assert [h.message_id for h in store.search("and bay")] == [mid]


def test_deleted_conversations_are_not_found(store: Store) -> None:
    cid, _ = conversation_with(store, "Secret plan", "the hidden treasure")
    store.delete_conversation(cid).result()
    assert store.search("treasure") == [] and store.search("secret") == []
    store.restore_conversation(cid).result()
    assert len(store.search("treasure")) == 1


def test_edited_content_is_reindexed(store: Store) -> None:
    _, (mid,) = conversation_with(store, "", "original wording")
    store.update_message(mid, content="replacement text").result()
    assert store.search("original") == []
    assert [h.message_id for h in store.search("replacement")] == [mid]


def test_streamed_reply_is_searchable_after_it_finishes(store: Store) -> None:
    cid = store.create_conversation(ConversationSettings()).result()
    mid = store.add_message(cid, Role.ASSISTANT, "", status=MessageStatus.STREAMING).result()
    for piece in ("Hydro", "dynamic", "s explained; ", "流式", "传输"):
        store.append_stream(mid, content=piece, reasoning="r")
    store.update_message(mid, status=MessageStatus.COMPLETE).result()
    assert [h.message_id for h in store.search("hydrodynamics")] == [mid]
    assert [h.message_id for h in store.search("式传")] == [mid]


def test_newest_conversations_first_and_one_hit_per_message(store: Store) -> None:
    old, old_ids = conversation_with(store, "apple notes", "apple pie", "apple apple apple")
    new, new_ids = conversation_with(store, "", "apple juice")
    hits = store.search("apple")
    assert [(h.conversation_id, h.message_id) for h in hits] == [
        (new, new_ids[0]), (old, None), (old, old_ids[0]), (old, old_ids[1])
    ]
    assert len(store.search("apple", limit=2)) == 2


def test_snippet_shows_original_text_around_the_match() -> None:
    text = "Intro line.\n" + "filler " * 30 + "the needle is here " + "tail " * 30
    start = text.index("needle")
    shown, s, e = snippet(text, (start, start + 6))
    assert shown[s:e] == "needle"
    assert len(shown) <= 84 and shown.startswith("…") and shown.endswith("…")
    assert "\n" not in snippet("a\nb", (2, 3))[0]
    assert snippet("short", None) == ("short", 0, 0)


def test_segmentation_and_expressions() -> None:
    assert segment("用Python保存") == " 用 Python 保  存 "
    assert match_expression("数据") == '"数 据"'
    assert match_expression("stre") == '"stre"*'
    assert match_expression('say "hi"') == '"say"* "hi"*'
    assert match_expression('" * (') is None
