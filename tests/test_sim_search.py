"""The simulator's web search speaks the service's documented shapes, over raw HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.sim_search import REFUSAL, SEARCH_TOKENS, SearchScript
from tests.simulator import Reply, Simulator

NATIVE = "/api/v1/services/aigc/text-generation/generation"
COMPAT = "/compatible-mode/v1/chat/completions"
QUESTION = [{"role": "user", "content": "Weather in Hangzhou tomorrow?"}]


@pytest.fixture(scope="module")
def server() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


@pytest.fixture()
def sim(server: Simulator) -> Simulator:
    server.reset()
    return server


def post(sim: Simulator, path: str, body: dict, region: str = "intl", sse: bool = False) -> httpx.Response:
    headers = {"Authorization": f"Bearer {sim.regions[region]}"}
    if sse:
        headers["X-DashScope-SSE"] = "enable"
    return httpx.post(f"{sim.base_url(region)}{path}", json=body, headers=headers, timeout=5)


def native_events(raw: str) -> list[dict[str, Any]]:
    """Each ``id:`` / ``event:result`` / ``:HTTP_STATUS/200`` / ``data:`` block's JSON."""
    events = []
    for block in raw.strip().split("\n\n"):
        lines = block.split("\n")
        assert lines[0].startswith("id:") and lines[1] == "event:result" and lines[2] == ":HTTP_STATUS/200"
        events.append(json.loads(lines[3][len("data:"):]))
    return events


def native_body(options: dict, **parameters: Any) -> dict:
    return {"model": "qwen-plus", "input": {"messages": QUESTION},
            "parameters": {"result_format": "message", "incremental_output": True, "enable_search": True,
                           "search_options": options, **parameters}}


def test_native_stream_has_results_in_the_first_event_and_empty_lists_after(sim: Simulator) -> None:
    response = post(sim, NATIVE, native_body({"enable_source": True, "enable_citation": True}), sse=True)
    events = native_events(response.text)
    assert len(events) > 3
    first = events[0]["output"]["search_info"]["search_results"]
    assert [set(r) for r in first] == [{"site_name", "icon", "index", "title", "url"}] * 2
    assert [r["index"] for r in first] == [1, 2]
    for later in events[1:]:
        assert later["output"]["search_info"] == {"extra_tool_info": [], "search_results": []}
    assert all(ev["usage"]["plugins"] == {"search": {"count": 1}} for ev in events)
    text = "".join(ev["output"]["choices"][0]["message"]["content"] for ev in events)
    assert text.endswith("[1][2]")
    assert events[-1]["output"]["choices"][0]["finish_reason"] == "stop"


def test_native_prepended_results_come_alone_first(sim: Simulator) -> None:
    body = native_body({"enable_source": True, "prepend_search_result": True})
    events = native_events(post(sim, NATIVE, body, sse=True).text)
    assert events[0]["output"]["choices"][0]["message"]["content"] == ""
    assert len(events[0]["output"]["search_info"]["search_results"]) == 2 and events[0]["usage"] == {}
    assert all(not ev["output"]["search_info"]["search_results"] for ev in events[1:])


def test_native_without_enable_source_returns_no_search_info(sim: Simulator) -> None:
    events = native_events(post(sim, NATIVE, native_body({}), sse=True).text)
    assert all("search_info" not in ev["output"] for ev in events)
    assert events[-1]["usage"]["plugins"]["search"]["count"] == 1


def test_native_non_stream_carries_the_results(sim: Simulator) -> None:
    data = post(sim, NATIVE, native_body({"enable_source": True, "enable_citation": True,
                                          "citation_format": "[ref_<number>]"})).json()
    assert len(data["output"]["search_info"]["search_results"]) == 2
    assert data["output"]["choices"][0]["message"]["content"].endswith("[ref_1][ref_2]")
    assert data["usage"]["input_tokens"] >= SEARCH_TOKENS


def test_compatible_searches_without_sources(sim: Simulator) -> None:
    plain = post(sim, COMPAT, {"model": "qwen-plus", "messages": QUESTION}).json()
    searched = post(sim, COMPAT, {"model": "qwen-plus", "messages": QUESTION, "enable_search": True,
                                  "search_options": {"forced_search": True}}).json()
    assert "search_info" not in json.dumps(searched)
    assert searched["usage"]["prompt_tokens"] == plain["usage"]["prompt_tokens"] + SEARCH_TOKENS
    assert "[1]" not in searched["choices"][0]["message"]["content"]


def test_auto_search_the_model_skips(sim: Simulator) -> None:
    sim.enqueue(Reply(search=SearchScript(searched=False)))
    events = native_events(post(sim, NATIVE, native_body({"enable_source": True}), sse=True).text)
    assert all("search_info" not in ev["output"] and "plugins" not in ev["usage"] for ev in events)


def test_refusals_on_both_protocols(sim: Simulator) -> None:
    native = post(sim, NATIVE, {**native_body({}), "model": "qwen2.5-7b-instruct"})
    assert native.status_code == 400
    assert native.json()["code"] == "InvalidParameter" and native.json()["message"] == REFUSAL
    compat = post(sim, COMPAT, {"model": "qwen2.5-7b-instruct", "messages": QUESTION, "enable_search": True})
    assert compat.status_code == 400
    assert compat.json()["error"]["message"] == f"<400> InternalError.Algo.InvalidParameter: {REFUSAL}"
    sim.search_refusing.add("qwen-plus")
    try:
        assert post(sim, COMPAT, {"model": "qwen-plus", "messages": QUESTION, "enable_search": True}).status_code == 400
    finally:
        sim.search_refusing.discard("qwen-plus")


def test_strategies_differ_by_region(sim: Simulator) -> None:
    assert post(sim, COMPAT, {"model": "qwen-plus", "messages": QUESTION, "enable_search": True,
                              "search_options": {"search_strategy": "turbo"}}, region="cn").status_code == 200
    refused = post(sim, COMPAT, {"model": "qwen-plus", "messages": QUESTION, "enable_search": True,
                                 "search_options": {"search_strategy": "turbo"}})
    assert refused.status_code == 400 and "search_strategy" in refused.json()["error"]["message"]
