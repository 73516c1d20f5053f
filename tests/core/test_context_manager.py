"""The context manager against the simulator: a small-window model and long conversations."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core.client import ChatClient
from qwen_desktop.core.context import ContextManager, ContextTooLongError, SummaryView
from qwen_desktop.core.context.policies import SUMMARY_LEAD
from qwen_desktop.core.engine import ReplyFinished
from qwen_desktop.core.services import Services, build_services
from qwen_desktop.core.types import ChatRequest, ContextPolicy, ConversationSettings, Protocol
from tests.simulator import Simulator

TINY = "qwen-tiny-test"
LIMIT = 400


class WordCappedClient(ChatClient):
    """Cuts whole replies to ``max_tokens`` words, as the service would; the simulator does not."""

    async def complete(self, request: ChatRequest) -> str:
        text = await super().complete(request)
        return " ".join(text.split()[: request.max_tokens]) if request.max_tokens else text


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(model_limits={TINY: LIMIT}) as simulator:
        yield simulator


@pytest.fixture
def services(sim: Simulator, data_dir: Path, memory_keyring: Any) -> Iterator[Services]:
    sim.reset()
    built = build_services(
        data_dir, region_overrides={r: sim.base_url(r) for r in sim.regions}, env={},
        client=WordCappedClient(),
    )
    for region, key in sim.regions.items():
        built.keys.set(region, key)
    yield built
    asyncio.run(built.client.aclose())
    built.store.close()


def manager(services: Services) -> ContextManager:
    context = services.engine.context
    assert isinstance(context, ContextManager)
    return context


def conversation(services: Services, policy: ContextPolicy, **params: Any) -> int:
    settings = ConversationSettings(
        model=TINY, context_policy=policy, context_params={"max_input": LIMIT, **params},
    )
    return services.store.create_conversation(settings).result()


def talk(services: Services, cid: int, texts: list[str]) -> list[Any]:
    """Send each text in turn, letting background jobs finish after every reply."""

    async def go() -> list[Any]:
        results: list[Any] = []
        try:
            for text in texts:
                try:
                    events = [ev async for ev in services.engine.send(cid, text)]
                except ContextTooLongError as error:
                    results.append(error)
                    continue
                await manager(services).idle()
                results.append(events[-1])
        finally:
            await services.client.aclose()
        return results

    return asyncio.run(go())


def chats(sim: Simulator, model: str = TINY) -> list[dict[str, Any]]:
    return [r.body for r in sim.requests if r.kind == "chat" and r.body.get("model") == model]


FILLER = [
    f"Tell me something about topic number {i} with several extra words to make it longer than a "
    f"short question usually is, please {i}"
    for i in range(40)
]


def test_full_history_is_stopped_before_sending(services: Services, sim: Simulator) -> None:
    cid = conversation(services, ContextPolicy.FULL)
    results = talk(services, cid, FILLER[:12])
    stopped = [r for r in results if isinstance(r, ContextTooLongError)]
    assert stopped, "the conversation should outgrow the window"
    assert all(isinstance(r, ReplyFinished) for r in results[: results.index(stopped[0])])
    assert len(chats(sim)) == results.index(stopped[0])
    assert "last N rounds, rolling summary or retrieval" in str(stopped[0])


@pytest.mark.parametrize("protocol", [Protocol.OPENAI, Protocol.DASHSCOPE])
def test_last_n_stays_within_the_budget(services: Services, sim: Simulator, protocol: Protocol) -> None:
    cid = conversation(services, ContextPolicy.LAST_N, n=50)
    services.store.update_settings(
        cid, services.store.conversation(cid).settings.with_(protocol=protocol)
    ).result()
    results = talk(services, cid, FILLER[:25])
    assert all(isinstance(r, ReplyFinished) for r in results)
    usages = [m.usage.input_tokens for m in services.store.messages(cid) if m.usage]
    assert len(usages) == 25 and max(usages) <= LIMIT
    last = services.store.messages(cid)[-1].context
    assert last["policy"] == "last_n" and last["dropped_rounds"] > 0
    assert last["tokens"]["total"] <= last["budget"]


def test_rolling_summary_runs_once_per_crossing_and_reaches_later_requests(
    services: Services, sim: Simulator,
) -> None:
    cid = conversation(services, ContextPolicy.SUMMARY, summary_max_tokens=40, summary_keep=0.25)
    texts = ["Remember the code word pelican for later, it matters a great deal to me"] + FILLER[:24]
    summary_calls: list[int] = []
    for index, text in enumerate(texts):
        before = len(chats(sim, "qwen-flash"))
        result = talk(services, cid, [text])[0]
        assert isinstance(result, ReplyFinished)
        summary_calls.append(len(chats(sim, "qwen-flash")) - before)
    assert max(summary_calls) == 1
    crossings = [i for i, calls in enumerate(summary_calls) if calls]
    assert len(crossings) >= 2
    assert all(b - a >= 2 for a, b in zip(crossings, crossings[1:]))
    first_summary = chats(sim, "qwen-flash")[0]
    assert "pelican" in json.dumps(first_summary)
    later = chats(sim)[crossings[0] + 1:]
    assert later and all(SUMMARY_LEAD.strip() in json.dumps(body) for body in later)
    assert "pelican" in json.dumps(later[0]["messages"][0])
    assert "pelican" not in json.dumps(later[0]["messages"][2:])
    folded = chats(sim, "qwen-flash")[1]
    assert "Summary so far" in json.dumps(folded)
    records = manager(services).summaries(cid)
    used = services.store.messages(cid)[-1].context["summary_id"]
    assert chats(sim)[-1]["messages"][0]["content"] == SUMMARY_LEAD + context_text(records, used)
    assert [r.status.value for r in records] == ["ready"] * len(crossings)
    assert all(r.first_message_id == records[0].first_message_id for r in records)
    usages = [m.usage.input_tokens for m in services.store.messages(cid) if m.usage]
    assert max(usages) <= LIMIT


def test_summary_failure_falls_back_to_last_n_with_a_notice(services: Services, sim: Simulator) -> None:
    cid = conversation(services, ContextPolicy.SUMMARY, summarizer_model="bogus-summarizer", n=2)
    results = talk(services, cid, FILLER[:10])
    assert all(isinstance(r, ReplyFinished) for r in results)
    notes = services.store.messages(cid)[-1].context
    assert any(n.startswith("Summarizing failed:") for n in notes["notices"])
    assert len(notes["recent_ids"]) == 4
    assert manager(services).summaries(cid)[0].status.value == "failed"


def test_edited_summary_is_used_and_regenerate_replaces_it(services: Services, sim: Simulator) -> None:
    cid = conversation(services, ContextPolicy.SUMMARY, summary_max_tokens=30)
    talk(services, cid, FILLER[:9])
    context = manager(services)
    record = context.summaries(cid)[-1]

    async def edit_then_regenerate() -> None:
        await context.edit_summary(record.id, "The user collects stamps.")
        task = context.regenerate_summary(cid)
        assert task is not None
        await task
        await services.client.aclose()

    asyncio.run(context.edit_summary(record.id, "The user collects stamps."))
    assert context.summaries(cid)[-1].edited
    talk(services, cid, ["and what about winter"])
    assert "The user collects stamps." in json.dumps(chats(sim)[-1])
    asyncio.run(edit_then_regenerate())
    latest = context.summaries(cid)[-1]
    assert latest.id != record.id and not latest.edited and latest.last_message_id == record.last_message_id


def context_text(records: list[Any], summary_id: int) -> str:
    return next(r.text for r in records if r.id == summary_id)


PLANTED = "The code name of project Atlas is pelican."
TOPICS = [
    "How do volcanoes form under oceanic plates?",
    "Suggest a recipe with lentils and spinach.",
    "Explain the offside rule in football.",
    "What makes sourdough bread rise?",
    "Compare trains and planes for a Berlin trip.",
    "Why do cats purr when resting?",
    "Describe the water cycle for children.",
    "Which telescope suits a beginner astronomer?",
]


@pytest.mark.parametrize("protocol", [Protocol.OPENAI, Protocol.DASHSCOPE])
def test_retrieval_brings_back_the_round_with_a_planted_fact(
    services: Services, sim: Simulator, protocol: Protocol,
) -> None:
    cid = conversation(services, ContextPolicy.RETRIEVAL, n=2, top_k=2)
    services.store.update_settings(
        cid, services.store.conversation(cid).settings.with_(protocol=protocol)
    ).result()
    talk(services, cid, [PLANTED, *TOPICS])
    embeddings = [r for r in sim.requests if r.kind == "embedding"]
    assert embeddings and all(r.protocol == protocol.value for r in embeddings)
    talk(services, cid, ["What is the code name of project Atlas?"])
    last = chats(sim)[-1]
    assert "pelican" in json.dumps(last)
    notes = services.store.messages(cid)[-1].context
    assert notes["retrieved_ids"][:2] == [services.store.messages(cid)[0].id, services.store.messages(cid)[1].id]


def test_retrieval_failure_degrades_to_last_n_with_a_notice(services: Services, sim: Simulator) -> None:
    cid = conversation(services, ContextPolicy.RETRIEVAL, n=2, embedding_model="bogus-embedder")
    talk(services, cid, [PLANTED, *TOPICS[:4], "What is the code name of project Atlas?"])
    notes = services.store.messages(cid)[-1].context
    assert any(n.startswith("Retrieval failed:") for n in notes["notices"])
    assert notes["retrieved_ids"] == [] and len(notes["recent_ids"]) == 4


def test_embed_history_reports_progress_in_batches(services: Services, sim: Simulator) -> None:
    cid = conversation(services, ContextPolicy.LAST_N)
    talk(services, cid, FILLER[:23])
    progress: list[tuple[int, int]] = []

    async def go() -> int:
        try:
            return await manager(services).embed_history(cid, lambda d, t: progress.append((d, t)))
        finally:
            await services.client.aclose()

    assert asyncio.run(go()) == 23
    assert progress == [(10, 23), (20, 23), (23, 23)]
    sizes = [len(r.body["input"]) for r in sim.requests if r.kind == "embedding"]
    assert sizes == [10, 10, 3]


def test_meter_counts_sections_without_the_network(services: Services, sim: Simulator) -> None:
    cid = conversation(services, ContextPolicy.LAST_N, n=3)
    talk(services, cid, FILLER[:5])
    settings = services.store.conversation(cid).settings.with_(system_prompt="Be brief.")
    requests = len(sim.requests)
    meter = manager(services).meter(cid, settings, "a draft of five words")
    assert len(sim.requests) == requests
    assert meter.sections["new"] == manager(services).counter.count_text("a draft of five words") + 4
    assert meter.sections["system"] > 0 and meter.sections["recent"] > 0
    assert meter.total == sum(v for k, v in meter.sections.items() if k != "images")
    assert 0 < meter.fraction < 1 and not meter.over
    full = manager(services).meter(cid, settings.with_(context_policy=ContextPolicy.FULL), "x " * 500)
    assert full.over


def test_meter_lets_go_of_a_conversation_it_no_longer_shows(services: Services, sim: Simulator) -> None:
    """Metering another conversation releases the first one's history (a long one left behind
    held every message's text for the rest of the session)."""
    import gc

    from qwen_desktop.core.context import HistoryItem

    first = conversation(services, ContextPolicy.LAST_N, n=3)
    second = conversation(services, ContextPolicy.LAST_N, n=3)
    talk(services, first, FILLER[:3])
    talk(services, second, FILLER[3:4])
    first_ids = {m.id for m in services.store.messages(first)}

    def held() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, HistoryItem) and o.message_id in first_ids)

    settings = services.store.conversation(first).settings
    elsewhere = held()  # items with the same small ids that earlier tests' objects still hold
    before = manager(services).meter(first, settings, "draft")
    assert held() >= elsewhere + len(first_ids) - 1
    manager(services).meter(second, settings, "draft")
    assert held() <= elsewhere
    assert manager(services).meter(first, settings, "draft").sections == before.sections


def test_explicit_cache_marks_the_stable_prefix_in_notes() -> None:
    from qwen_desktop.core.catalog import default_catalog
    from qwen_desktop.core.context import ContextInputs, ContextParams, plan_context
    from qwen_desktop.core.types import Role, WireMessage
    from tests.core.test_context_policies import COUNTS, TEN

    settings = ConversationSettings(
        model="qwen-plus", context_policy=ContextPolicy.SUMMARY, system_prompt="rule " * 1100,
        context_params={"explicit_cache": True},
    )
    params = ContextParams.from_settings(settings, default_catalog().get("qwen-plus"))
    built = plan_context(ContextInputs(settings, params, TEN, WireMessage(Role.USER, "q"),
                                       summary=SummaryView(1, "s", 1, 4)), COUNTS)
    assert built.notes["cache"] == {"explicit": True, "prefix_messages": 3,
                                    "prefix_tokens": built.notes["tokens"]["system"] + built.notes["tokens"]["summary"]}
