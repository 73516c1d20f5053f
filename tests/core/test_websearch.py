"""Web search end to end on both protocols: request bodies, sources, storage, refusals."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core import errors as e
from qwen_desktop.core import export as x
from qwen_desktop.core.engine import ReplyFailed, ReplyFinished
from qwen_desktop.core.services import Services
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import (
    ConversationSettings, MessageStatus, Protocol, Role, SearchMode, Source, SourcesFound,
    ThinkingMode,
)
from qwen_desktop.core.websearch import link_citations, parse_sources, safe_url
from tests.sim_search import SEARCH_TOKENS, SearchScript
from tests.simulator import Reply, Simulator

HOSTILE = [
    {"index": 1, "site_name": "<b>Evil</b>\x1b[31m", "title": "<script>alert(1)</script>\u202eevil",
     "url": "javascript:alert(document.cookie)"},
    {"index": 2, "site_name": "Files", "title": "<img src=x onerror=alert(2)>", "url": "file:///etc/passwd"},
    {"index": 3, "site_name": "Data", "title": "[click](javascript:x) **bold**",
     "url": "data:text/html,<script>alert(3)</script>"},
    {"index": 4, "site_name": "Good", "title": "A fine page", "url": "https://example.com/p?q=1&r=<2>"},
]


def new_conversation(services: Services, **changes: Any) -> int:
    return services.store.create_conversation(ConversationSettings().with_(**changes)).result()


def send(services: Services, cid: int, text: str) -> list[Any]:
    async def go() -> list[Any]:
        try:
            return [event async for event in services.engine.send(cid, text)]
        finally:
            await services.client.aclose()

    return asyncio.run(go())


def native_params(sim: Simulator) -> dict[str, Any]:
    return sim.requests[-1].body["parameters"]


def test_native_request_asks_for_sources_and_citations(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, protocol=Protocol.DASHSCOPE, search=SearchMode.ALWAYS)
    send(services, cid, "What happened in Hangzhou today?")
    params = native_params(sim)
    assert params["enable_search"] is True
    assert params["search_options"] == {
        "forced_search": True, "search_strategy": "agent", "enable_source": True,
        "enable_citation": True, "citation_format": "[<number>]",
    }
    assert "enable_search" not in sim.requests[-1].body


def test_native_sources_are_parsed_stored_and_usage_counts_searches(
    services: Services, sim: Simulator
) -> None:
    cid = new_conversation(services, protocol=Protocol.DASHSCOPE, search=SearchMode.AUTO)
    events = send(services, cid, "Latest Qwen release")
    found = [ev for ev in events if isinstance(ev, SourcesFound)]
    assert found and [s.number for s in found[-1].sources] == [1, 2]
    reply = services.store.messages(cid)[-1]
    assert reply.status is MessageStatus.COMPLETE
    assert [s.url for s in reply.sources] == ["https://news.example.com/a/1", "https://wiki.example.org/Overview"]
    assert reply.sources[0].site_name == "Example News"
    assert reply.content.endswith("[1][2]")
    assert reply.usage is not None and reply.usage.search_calls == 1
    assert SEARCH_TOKENS * 0.8 <= reply.usage.search_tokens <= SEARCH_TOKENS * 1.2
    assert reply.meta["search"] == {"mode": "auto", "strategy": "agent", "protocol": "dashscope",
                                    "fee_per_search": 0.01, "currency": "USD"}


@pytest.mark.parametrize("at_event", [0, 3, 7])
def test_sources_are_read_wherever_they_arrive(services: Services, sim: Simulator, at_event: int) -> None:
    cid = new_conversation(services, protocol=Protocol.DASHSCOPE, search=SearchMode.ALWAYS,
                           thinking=ThinkingMode.ON)
    results = [{"index": 1, "title": "Only one", "url": "https://one.example/", "site_name": "One"}]
    sim.enqueue(Reply(content="An answer long enough for many events [1].", reasoning="think a while",
                      search=SearchScript(results=results, at_event=at_event)))
    send(services, cid, "anything")
    reply = services.store.messages(cid)[-1]
    assert [(s.number, s.title) for s in reply.sources] == [(1, "Only one")]


def test_auto_search_that_does_not_search_stores_no_sources(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, protocol=Protocol.DASHSCOPE, search=SearchMode.AUTO)
    sim.enqueue(Reply(content="From memory.", search=SearchScript(searched=False)))
    send(services, cid, "What is 2 + 2?")
    reply = services.store.messages(cid)[-1]
    assert reply.sources == () and reply.usage is not None and reply.usage.search_calls == 0


def test_compatible_request_sends_search_and_notes_missing_sources(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, protocol=Protocol.OPENAI, region_id="cn", search=SearchMode.AUTO,
                           search_strategy="max")
    send(services, cid, "Weather in Hangzhou tomorrow")
    body = sim.requests[-1].body
    assert body["enable_search"] is True
    assert body["search_options"] == {"forced_search": False, "search_strategy": "max"}
    reply = services.store.messages(cid)[-1]
    assert reply.sources == ()
    assert reply.meta["search"]["sources_unavailable"] is True
    assert reply.usage is not None and reply.usage.search_tokens >= SEARCH_TOKENS * 0.8


def test_search_off_sends_nothing_about_search(services: Services, sim: Simulator) -> None:
    for protocol in (Protocol.OPENAI, Protocol.DASHSCOPE):
        cid = new_conversation(services, protocol=protocol)
        send(services, cid, "hello")
        assert "search" not in json.dumps(sim.requests[-1].body)
        reply = services.store.messages(cid)[-1]
        assert "search" not in reply.meta and reply.usage is not None and reply.usage.search_tokens == 0


def test_strategy_the_region_does_not_offer_falls_back_to_its_default(
    services: Services, sim: Simulator
) -> None:
    cid = new_conversation(services, protocol=Protocol.DASHSCOPE, search=SearchMode.AUTO,
                           search_strategy="turbo")
    send(services, cid, "news")
    assert native_params(sim)["search_options"]["search_strategy"] == "agent"
    assert services.store.messages(cid)[-1].status is MessageStatus.COMPLETE


@pytest.mark.parametrize("protocol", [Protocol.OPENAI, Protocol.DASHSCOPE])
def test_model_that_refuses_search_is_remembered(
    services: Services, sim: Simulator, protocol: Protocol
) -> None:
    cid = new_conversation(services, protocol=protocol, model="qwen2.5-7b-instruct", search=SearchMode.ALWAYS)
    events = send(services, cid, "Who won yesterday?")
    failed = [ev for ev in events if isinstance(ev, ReplyFailed)]
    assert failed and isinstance(failed[0].error, e.SearchNotSupportedError)
    assert "cannot search the web" in str(failed[0].error)
    stored = services.store.messages(cid)
    assert stored[0].role is Role.USER and stored[0].content == "Who won yesterday?"
    settings = services.store.conversation(cid).settings
    assert "does not support enable_search" in (services.engine.search_refused(settings) or "")
    events = send(services, cid, "And today?")
    assert any(isinstance(ev, ReplyFinished) for ev in events)
    assert "enable_search" not in json.dumps(sim.requests[-1].body)
    other = new_conversation(services, protocol=protocol, region_id="cn", model="qwen2.5-7b-instruct",
                             search=SearchMode.ALWAYS)
    assert services.engine.search_refused(services.store.conversation(other).settings) is None


def test_hostile_titles_and_urls_are_kept_as_inert_text(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, protocol=Protocol.DASHSCOPE, search=SearchMode.ALWAYS)
    sim.enqueue(Reply(content="See [1] [2] [3] [4].", search=SearchScript(results=HOSTILE)))
    send(services, cid, "hostile")
    sources = services.store.messages(cid)[-1].sources
    assert [s.url for s in sources] == ["", "", "", "https://example.com/p?q=1&r=<2>"]
    assert "\x1b" not in sources[0].site_name and "\u202e" not in sources[0].title
    assert sources[0].title.startswith("<script>")
    linked = link_citations("See [1] [2] [3] [4].", sources)
    assert "javascript:" not in linked and "file:" not in linked and "data:" not in linked
    assert "[1]" in linked and "(<https://example.com/p?q=1&r=%3C2%3E>)" in linked


def test_sources_survive_reopening_and_are_searchable(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, protocol=Protocol.DASHSCOPE, search=SearchMode.ALWAYS)
    results = [{"index": 1, "title": "Zanzibar spice harvest report", "url": "https://spice.example/z",
                "site_name": "Spice Weekly"}]
    sim.enqueue(Reply(content="It went well [1].", search=SearchScript(results=results)))
    send(services, cid, "harvest?")
    path = services.store.path
    mid = services.store.messages(cid)[-1].id
    services.store.close()
    with Store(path) as reopened:
        assert reopened.message(mid).sources[0].title == "Zanzibar spice harvest report"
        hits = reopened.search("zanzibar")
        assert [(h.conversation_id, h.message_id) for h in hits] == [(cid, mid)]
        assert "Zanzibar" in hits[0].snippet[hits[0].match_start:hits[0].match_end]
        reopened.delete_messages_from(cid, mid).result()
        assert reopened.search("zanzibar") == []


def test_exports_carry_sources_and_import_restores_them(
    services: Services, sim: Simulator, tmp_path: Path
) -> None:
    cid = new_conversation(services, protocol=Protocol.DASHSCOPE, search=SearchMode.ALWAYS)
    sim.enqueue(Reply(content="Two facts [1] and [4].", search=SearchScript(results=HOSTILE)))
    send(services, cid, "facts")
    md = x.export_markdown(services.store, None, tmp_path / "out.md", cid).path.read_text()
    assert "[\\[4\\]](<https://example.com/p?q=1&r=%3C2%3E>)" in md
    assert "**Sources**" in md and "4. A fine page — Good <https://example.com/p?q=1&r=%3C2%3E>" in md
    assert "\\<script\\>" in md and "<script>" not in md
    assert "](javascript" not in md and "<javascript" not in md and "(<file:" not in md
    exported = x.export_json(services.store, None, tmp_path / "out.json", cid).path
    record = json.loads(exported.read_text())["conversations"][0]["messages"][-1]
    assert record["sources"][3] == {"number": 4, "title": "A fine page", "url": "https://example.com/p?q=1&r=<2>",
                                    "site_name": "Good"}
    record["sources"].append({"number": 9, "title": "tampered", "url": "javascript:alert(1)"})
    doc = json.loads(exported.read_text())
    doc["conversations"][0]["messages"][-1] = record
    exported.write_text(json.dumps(doc))
    [new] = x.import_json(services.store, None, exported)
    restored = services.store.messages(new)[-1].sources
    assert len(restored) == 5 and restored[-1].url == "" and restored[3].url.startswith("https://")


def test_compatible_reply_export_says_sources_need_the_native_protocol(
    services: Services, sim: Simulator, tmp_path: Path
) -> None:
    cid = new_conversation(services, protocol=Protocol.OPENAI, search=SearchMode.ALWAYS)
    send(services, cid, "news")
    md = x.export_markdown(services.store, None, tmp_path / "c.md", cid).path.read_text()
    assert "sources are only returned on the DashScope protocol" in md


def test_parsing_tolerates_malformed_results() -> None:
    raw = [None, "x", {"index": "7", "title": None, "url": "https://h.example/x"}, {"index": "bad"}]
    assert parse_sources(raw) == (
        Source(7, "h.example", "https://h.example/x", ""), Source(4, "Source 4", "", ""),
    )
    assert parse_sources({"not": "a list"}) == ()
    assert safe_url("https://ok.example/a b") == "" and safe_url("HTTPS://OK.example") == "HTTPS://OK.example"


def test_citations_in_code_and_unknown_numbers_stay_plain() -> None:
    sources = [Source(1, "One", "https://one.example/"), Source(2, "Two", "")]
    text = "Fact [1], other [2], missing [3], ref [ref_1].\n`code [1]`\n```\n[1]\n```\nBoth [1][1]. Link [1](x) def\n[1]: y"
    linked = link_citations(text, sources)
    lines = linked.split("\n")
    assert lines[0] == ("Fact [\\[1\\]](<https://one.example/>), other [2], missing [3], "
                        "ref [\\[1\\]](<https://one.example/>).")
    assert lines[1:5] == ["`code [1]`", "```", "[1]", "```"]
    one = "[\\[1\\]](<https://one.example/>)"
    assert lines[5] == f"Both {one}{one}. Link [1](x) def"
    assert lines[6] == "[1]: y"


def test_usage_report_counts_searches_and_prices_them(services: Services, sim: Simulator) -> None:
    from qwen_desktop.core.usage import GroupBy, csv_text, report, usage_rows

    plain = new_conversation(services, protocol=Protocol.DASHSCOPE)
    send(services, plain, "one")
    searched = new_conversation(services, protocol=Protocol.DASHSCOPE, search=SearchMode.ALWAYS)
    sim.enqueue(Reply(content="Found [1].", search=SearchScript(count=3)))
    send(services, searched, "one")
    rows = usage_rows(services.store, services.catalog)
    by_conversation = {row.conversation_id: row for row in rows}
    base, extra = by_conversation[plain], by_conversation[searched]
    assert extra.usage.search_calls == 3 and base.usage.search_calls == 0
    token_cost = services.catalog.estimate_cost(extra.model, extra.usage)
    assert extra.cost == pytest.approx(token_cost + 3 * 0.01)
    total = report(rows, GroupBy.MODEL).total
    assert total.search_calls == 3 and total.search_tokens == extra.usage.search_tokens > 0
    lines = csv_text(rows).splitlines()
    assert lines[0].endswith("web_searches,search_input_tokens")
    assert lines[-1].endswith(f",3,{extra.usage.search_tokens}")


def test_a_key_echoed_in_search_results_never_reaches_storage(services: Services, sim: Simulator) -> None:
    key = sim.regions["intl"]
    echoed = [{"index": 1, "title": f"Leaked {key} here", "site_name": f"site {key}",
               "url": f"https://evil.example/?k={key}"},
              {"index": 2, "title": "Fine", "url": "https://fine.example/"}]
    cid = new_conversation(services, protocol=Protocol.DASHSCOPE, search=SearchMode.ALWAYS)
    sim.enqueue(Reply(content="Echo [1][2].", search=SearchScript(results=echoed)))
    send(services, cid, "echo")
    sources = services.store.messages(cid)[-1].sources
    assert sources[0].title == "Leaked sk-*** here" and sources[0].site_name == "site sk-***"
    assert sources[0].url == "" and sources[1].url == "https://fine.example/"
    services.store.flush().result()
    files = [f for f in services.store.path.parent.glob(services.store.path.name + "*") if f.is_file()]
    assert files and all(key.encode() not in f.read_bytes() for f in files)


def test_stopping_a_searched_reply_keeps_its_sources(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, protocol=Protocol.DASHSCOPE, search=SearchMode.ALWAYS)
    sim.enqueue(Reply(content="slow words [1] " * 300, chunk_chars=6, delay=0.01))

    async def go() -> None:
        seen = asyncio.Event()

        async def consume() -> None:
            async for event in services.engine.send(cid, "talk slowly"):
                if isinstance(event, SourcesFound):
                    seen.set()

        task = asyncio.create_task(consume())
        await asyncio.wait_for(seen.wait(), 5)
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await services.client.aclose()

    asyncio.run(go())
    reply = services.store.messages(cid)[-1]
    assert reply.status is MessageStatus.INTERRUPTED and reply.meta.get("stopped") is True
    assert [s.number for s in reply.sources] == [1, 2]
    assert reply.meta["search"]["mode"] == "always"
