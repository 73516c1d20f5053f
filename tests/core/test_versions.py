"""Reply versions, edit branches, forks, single-message delete, the trash, and Continue."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core.services import Services
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import MessageStatus, Protocol, Role, ThinkingMode
from tests.core.test_attachments import age, image
from tests.core.test_engine import PROTOCOLS, drain, new_conversation, send
from tests.simulator import Reply, Simulator


def run(services: Services, agen: Any) -> list[Any]:
    async def go() -> list[Any]:
        try:
            return await drain(agen)
        finally:
            await services.client.aclose()

    return asyncio.run(go())


def wire_messages(sim: Simulator, index: int = -1) -> list[dict[str, Any]]:
    body = sim.requests[index].body
    return body["messages"] if "messages" in body else body["input"]["messages"]


def text_of(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_three_regenerations_then_the_selected_version_is_what_the_next_request_carries(
    services: Services, sim: Simulator, protocol: Protocol
) -> None:
    cid = new_conversation(services, protocol=protocol, model="qwen-plus")
    sim.enqueue(*(Reply(content=f"answer {n}") for n in range(1, 5)), Reply(content="follow-up answer"))
    send(services, cid, "the question")
    first = services.store.messages(cid)[1].id
    for _ in range(3):
        current = services.store.messages(cid)[-1].id
        run(services, services.engine.regenerate(cid, current))
    thread = services.store.thread(cid)
    assert [m.content for m in thread.messages] == ["the question", "answer 4"]
    versions = thread.versions[thread.messages[1].id]
    assert (versions.index, versions.count) == (4, 4)
    assert versions.ids[0] == first
    assert len(sim.requests) == 4
    assert [text_of(m) for m in wire_messages(sim)] == ["the question"], "a version never sees the others"

    services.store.select_message(versions.ids[1]).result()
    thread = services.store.thread(cid)
    assert thread.messages[1].content == "answer 2"
    assert thread.versions[thread.messages[1].id].index == 2

    send(services, cid, "and then?")
    sent = [text_of(m) for m in wire_messages(sim)]
    assert sent == ["the question", "answer 2", "and then?"]
    assert not {"answer 1", "answer 3", "answer 4"} & set(sent)
    assert [m.content for m in services.store.messages(cid)] == [
        "the question", "answer 2", "and then?", "follow-up answer"]


def test_each_version_keeps_its_own_model_reasoning_and_usage(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, model="qwen-plus", thinking=ThinkingMode.ON)
    sim.enqueue(Reply(reasoning="first thoughts", content="short"),
                Reply(reasoning="second thoughts", content="a much longer answer this time"))
    send(services, cid, "q")
    settings = services.store.conversation(cid).settings  # type: ignore[union-attr]
    services.store.update_settings(cid, settings.with_(model="qwen3-max")).result()
    run(services, services.engine.regenerate(cid, services.store.messages(cid)[1].id))
    one, two = (m for m in services.store.all_messages(cid) if m.role is Role.ASSISTANT)
    assert (one.model, one.reasoning) == ("qwen-plus", "first thoughts")
    assert (two.model, two.reasoning) == ("qwen3-max", "second thoughts")
    assert one.usage is not None and two.usage is not None
    assert one.usage.output_tokens < two.usage.output_tokens


def test_edit_starts_a_branch_and_both_survive_a_restart(
    services: Services, sim: Simulator
) -> None:
    cid = new_conversation(services)
    send(services, cid, "first question")
    send(services, cid, "second question")
    send(services, cid, "third question")
    second = services.store.messages(cid)[2]
    run(services, services.engine.edit_and_resend(cid, second.id, "second, reworded"))
    assert [text_of(m) for m in wire_messages(sim)] == [
        "first question", "You said: first question", "second, reworded"]
    assert [m.content for m in services.store.messages(cid)] == [
        "first question", "You said: first question", "second, reworded", "You said: second, reworded"]

    path = services.store.path
    services.store.close()
    with Store(path) as reopened:
        thread = reopened.thread(cid)
        edited = thread.messages[2]
        versions = thread.versions[edited.id]
        assert (versions.index, versions.count) == (2, 2)
        assert versions.ids[0] == second.id
        reopened.select_message(second.id).result()
        assert [m.content for m in reopened.messages(cid)] == [
            "first question", "You said: first question", "second question",
            "You said: second question", "third question", "You said: third question",
        ], "switching back shows the old branch's whole continuation"
    with Store(path) as again:
        assert again.messages(cid)[2].id == second.id, "the choice itself is stored"
        again.select_message(edited.id).result()
        assert [m.content for m in again.messages(cid)][-1] == "You said: second, reworded"


def test_fork_copies_the_path_into_a_new_conversation(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, model="qwen-max")
    sim.enqueue(Reply(content="one"), Reply(content="two"), Reply(content="three"), Reply(content="forked"))
    for text in ("a", "b", "c"):
        send(services, cid, text)
    path = services.store.messages(cid)
    forked = services.store.fork_conversation(path[3].id, "Branch of a").result()
    copied = services.store.messages(forked)
    assert [m.content for m in copied] == ["a", "one", "b", "two"]
    assert {m.id for m in copied}.isdisjoint(m.id for m in path)
    assert copied[1].usage == path[1].usage and copied[1].model == path[1].model
    conversation = services.store.conversation(forked)
    assert conversation is not None and conversation.settings.model == "qwen-max"
    send(services, forked, "d")
    assert [text_of(m) for m in wire_messages(sim)] == ["a", "one", "b", "two", "d"]
    assert len(services.store.messages(cid)) == 6, "the original is left alone"
    assert {h.conversation_id for h in services.store.search("two")} == {cid, forked}


def test_delete_a_question_with_its_answer_and_undo(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    for text in ("keep one", "drop this", "keep two"):
        send(services, cid, text)
    path = services.store.messages(cid)
    doomed = [path[2].id, path[3].id]
    services.store.delete_messages(doomed).result()
    assert [m.content for m in services.store.messages(cid)] == [
        "keep one", "You said: keep one", "keep two", "You said: keep two"]
    assert services.store.search("drop") == []
    send(services, cid, "next")
    assert "drop this" not in [text_of(m) for m in wire_messages(sim)]
    services.store.restore_messages(doomed).result()
    contents = [m.content for m in services.store.messages(cid)]
    assert contents[:6] == ["keep one", "You said: keep one", "drop this", "You said: drop this",
                            "keep two", "You said: keep two"]
    assert {h.message_id for h in services.store.search("drop")} == set(doomed)


def test_delete_a_single_reply_version_shows_the_other(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    sim.enqueue(Reply(content="old"), Reply(content="new"))
    send(services, cid, "q")
    run(services, services.engine.regenerate(cid, services.store.messages(cid)[1].id))
    newest = services.store.messages(cid)[1]
    services.store.delete_messages([newest.id]).result()
    thread = services.store.thread(cid)
    assert [m.content for m in thread.messages] == ["q", "old"]
    assert thread.versions == {}


def test_trash_restore_after_a_restart(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    send(services, cid, "precious words")
    services.store.delete_conversation(cid).result()
    assert cid not in services.store.conversation_ids()
    path = services.store.path
    services.store.close()
    with Store(path) as reopened:
        trash = reopened.deleted_conversations()
        assert [(t.id, t.title, t.message_count) for t in trash] == [(cid, "precious words", 2)]
        reopened.restore_conversation(cid).result()
        assert reopened.deleted_conversations() == []
        assert cid in reopened.conversation_ids()
        assert [m.content for m in reopened.messages(cid)] == ["precious words", "You said: precious words"]
        assert [h.conversation_id for h in reopened.search("precious")][:1] == [cid]


def count(path: Path, sql: str, *args: Any) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(sql, args).fetchone()[0])
    finally:
        conn.close()


def test_purge_removes_rows_index_entries_and_unused_attachments(
    services: Services, sim: Simulator
) -> None:
    attachments = services.engine.attachments
    assert attachments is not None
    shared, own, loose_version = (attachments.save(image(c)) for c in ("red", "green", "blue"))
    store = services.store
    keep = new_conversation(services, model="qwen3-vl-plus")
    gone = new_conversation(services, model="qwen3-vl-plus")
    run(services, services.engine.send(keep, "kept zebra", [shared]))
    run(services, services.engine.send(gone, "purged zebra", [shared, own]))
    run(services, services.engine.send(keep, "deleted giraffe", [loose_version]))
    for ref in (shared, own, loose_version):
        age(attachments.path(ref))
    giraffe = store.messages(keep)[2:]
    store.delete_messages([m.id for m in giraffe]).result()
    store.delete_conversation(gone).result()
    gone_ids = [m.id for m in store.all_messages(gone)]
    assert count(store.path, "SELECT count(*) FROM message_fts WHERE rowid IN (?, ?)", *gone_ids[:2]) == 2

    cutoff = time.time() + 1
    assert asyncio.run(services.engine.purge_deleted(older_than=cutoff)) == 1
    assert store.conversation(gone) is None and store.deleted_conversations() == []
    assert count(store.path, "SELECT count(*) FROM messages WHERE conversation_id = ?", gone) == 0
    assert count(store.path, "SELECT count(*) FROM message_fts WHERE rowid IN (?, ?)", *gone_ids[:2]) == 0
    assert count(store.path, "SELECT count(*) FROM title_fts WHERE rowid = ?", gone) == 0
    assert count(store.path, "SELECT count(*) FROM messages WHERE id = ?", giraffe[0].id) == 0
    assert count(store.path, "SELECT count(*) FROM message_fts WHERE rowid = ?", giraffe[0].id) == 0
    assert {h.conversation_id for h in store.search("zebra")} == {keep}
    assert attachments.exists(shared), "still used by a message that stays"
    assert not attachments.exists(own) and not attachments.exists(loose_version)
    assert [m.content for m in store.messages(keep)] == ["kept zebra", "You said: kept zebra"]


def test_purge_keeps_what_was_deleted_recently(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    send(services, cid, "recent")
    services.store.delete_conversation(cid).result()
    assert asyncio.run(services.engine.purge_deleted(older_than=time.time() - 30 * 86400)) == 0
    assert [t.id for t in services.store.deleted_conversations()] == [cid]
    asyncio.run(services.engine.purge_conversation(cid))
    assert services.store.conversation(cid) is None


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_continue_after_length_appends_to_the_same_reply_in_partial_mode(
    services: Services, sim: Simulator, protocol: Protocol
) -> None:
    cid = new_conversation(services, protocol=protocol, model="qwen-plus", thinking=ThinkingMode.ON)
    sim.enqueue(Reply(reasoning="plan", content="The list: one, two,", finish_reason="length"),
                Reply(content=" three, four.", finish_reason="stop"))
    send(services, cid, "count to four")
    cut = services.store.messages(cid)[1]
    assert cut.meta["finish_reason"] == "length"
    events = run(services, services.engine.continue_reply(cid, cut.id))
    messages = wire_messages(sim)
    assert messages[-1] == {"role": "assistant", "content": "The list: one, two,", "partial": True}
    assert text_of(messages[-2]) == "count to four"
    params = sim.requests[-1].body if protocol is Protocol.OPENAI else sim.requests[-1].body["parameters"]
    assert params.get("enable_thinking") is False, "partial mode does not work while thinking"
    done = services.store.messages(cid)
    assert len(done) == 2 and done[1].id == cut.id
    assert done[1].content == "The list: one, two, three, four."
    assert done[1].reasoning == "plan"
    assert done[1].meta["finish_reason"] == "stop" and done[1].meta["continued"] == 1
    assert done[1].status is MessageStatus.COMPLETE
    assert cut.usage is not None and done[1].usage is not None
    assert done[1].usage.output_tokens > cut.usage.output_tokens
    assert events[-1].message.content == done[1].content
    assert [h.message_id for h in services.store.search("four")][-1] == cut.id


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_continue_without_partial_mode_asks_the_model_to_carry_on(
    services: Services, sim: Simulator, protocol: Protocol
) -> None:
    cid = new_conversation(services, protocol=protocol, model="qwq-plus")
    sim.enqueue(Reply(content="Step 1 done.", finish_reason="length"), Reply(content=" Step 2 done."))
    send(services, cid, "steps")
    cut = services.store.messages(cid)[1]
    run(services, services.engine.continue_reply(cid, cut.id))
    messages = wire_messages(sim)
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert "partial" not in messages[1] and text_of(messages[1]) == "Step 1 done."
    assert "cut off" in text_of(messages[2])
    assert [m.content for m in services.store.messages(cid)] == ["steps", "Step 1 done. Step 2 done."]


def test_cli_style_send_continues_the_active_path(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    sim.enqueue(Reply(content="v1"), Reply(content="v2"), Reply(content="after"))
    send(services, cid, "q")
    first = services.store.messages(cid)[1].id
    run(services, services.engine.regenerate(cid, first))
    services.store.select_message(first).result()
    assert services.store.last_conversation_id() == cid
    send(services, cid, "next")
    assert [text_of(m) for m in wire_messages(sim)] == ["q", "v1", "next"]


def test_json_round_trip_keeps_the_whole_tree_and_markdown_the_path(
    services: Services, sim: Simulator, tmp_path: Path
) -> None:
    from qwen_desktop.core import export as x

    cid = new_conversation(services)
    sim.enqueue(Reply(content="answer A"), Reply(content="answer B"), Reply(content="more"),
                Reply(content="edited answer"))
    send(services, cid, "question")
    first = services.store.messages(cid)[1].id
    run(services, services.engine.regenerate(cid, first))
    send(services, cid, "follow up")
    follow = services.store.messages(cid)[2].id
    run(services, services.engine.edit_and_resend(cid, follow, "follow up, edited"))
    services.store.select_message(first).result()
    services.store.delete_messages([services.store.all_messages(cid)[-1].id]).result()
    before = services.store.all_messages(cid)
    shown = [m.content for m in services.store.messages(cid)]
    assert shown == ["question", "answer A"]

    target = tmp_path / "tree.json"
    result = x.export_json(services.store, services.engine.attachments, target, cid)
    assert result.messages == len(before) == 7
    (new_cid,) = x.import_json(services.store, services.engine.attachments, target)
    after = services.store.all_messages(new_cid)

    def shape(messages: list[Any]) -> list[tuple[Any, ...]]:
        index = {m.id: i for i, m in enumerate(messages)}
        return [(m.role, m.content, index.get(m.parent_id) if m.parent_id else None, m.deleted_at is None,
                 m.usage, m.model) for m in messages]

    assert shape(after) == shape(before)
    assert [m.content for m in services.store.messages(new_cid)] == shown
    services.store.select_message(after[2].id).result()
    assert [m.content for m in services.store.messages(new_cid)] == [
        "question", "answer B", "follow up, edited"], "the deleted reply stays deleted"
    services.store.restore_messages([after[-1].id]).result()
    assert services.store.messages(new_cid)[-1].content == "edited answer"

    plain = tmp_path / "path.md"
    x.export_markdown(services.store, None, plain, cid)
    text = plain.read_text()
    assert "answer A" in text and "answer B" not in text and "follow up" not in text
    every = tmp_path / "versions.md"
    x.export_markdown(services.store, None, every, cid, versions=True)
    text = every.read_text()
    assert "answer A" in text and "answer B" in text and "Other version 1 of 1" in text
