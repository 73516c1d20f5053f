"""Web search in the simulator: ``enable_search`` and ``search_options`` on both protocols.

Shapes from the service's "Web search" page (help.aliyun.com/zh/model-studio/web-search, read
2026-12-02):

* native, streaming: every ``event:result`` carries ``output.search_info``; the results are in
  one event (the first, or an event of their own before any text with
  ``prepend_search_result``), the later ones carry ``{"extra_tool_info": [], "search_results": []}``;
  every event's ``usage`` has ``plugins.search.count``. Without ``enable_source`` there is no
  ``search_info`` at all.
* compatible: the search happens (more input tokens) but nothing about it comes back.
* a model that cannot search: HTTP 400 InvalidParameter "This model does not support enable_search."
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEARCH_TOKENS = 1500
"""Input tokens the results add to a searched request."""

REFUSAL = "This model does not support enable_search."
REFUSING_PREFIXES = ("qwen2.5-", "qwen-math", "qwen-coder", "qwen-mt")
MAINLAND_STRATEGIES = ("turbo", "max", "agent", "agent_max")
INTERNATIONAL_STRATEGIES = ("agent", "agent_max")


@dataclass
class SearchScript:
    """A scripted search for one reply; results are raw ``search_results`` entries."""

    results: list[dict[str, Any]] | None = None
    searched: bool = True
    """In auto mode: whether the model decides to search."""
    at_event: int = 0
    """Which stream event carries the results (0 = the first)."""
    count: int = 1


@dataclass
class SearchPlan:
    results: list[dict[str, Any]]
    count: int
    sources: bool
    citations: bool
    citation_format: str
    prepend: bool
    at_event: int
    strategy: str
    tokens: int = SEARCH_TOKENS
    emitted: list[int] = field(default_factory=list)


def default_results(prompt: str) -> list[dict[str, Any]]:
    topic = " ".join(prompt.split()[:6]) or "your question"
    return [
        {"site_name": "Example News", "icon": "https://news.example.com/favicon.ico", "index": 1,
         "title": f"Latest on {topic}", "url": "https://news.example.com/a/1"},
        {"site_name": "Example Wiki", "icon": "", "index": 2,
         "title": f"{topic} — overview", "url": "https://wiki.example.org/Overview"},
    ]


def refuses(model: str, refusing: set[str]) -> bool:
    return model in refusing or model.startswith(REFUSING_PREFIXES)


def offered(region: str) -> tuple[str, ...]:
    return MAINLAND_STRATEGIES if region == "cn" else INTERNATIONAL_STRATEGIES


def plan_search(
    protocol: str, region: str, model: str, params: dict, script: SearchScript | None,
    prompt: str, refusing: set[str],
) -> SearchPlan | None:
    """What the service would search for this request; raises the service's refusals."""
    from tests.simulator import invalid_parameter

    if params.get("enable_search") is not True:
        return None
    if refuses(model, refusing):
        raise invalid_parameter(REFUSAL)
    options = params.get("search_options") or {}
    if not isinstance(options, dict):
        raise invalid_parameter("search_options must be an object.")
    strategy = options.get("search_strategy") or ("turbo" if region == "cn" else "agent")
    if strategy not in offered(region):
        raise invalid_parameter(f"The search_strategy {strategy} is not supported in this region.")
    script = script or SearchScript()
    if not script.searched and options.get("forced_search") is not True:
        return None
    native = protocol == "dashscope"
    return SearchPlan(
        results=script.results if script.results is not None else default_results(prompt),
        count=script.count,
        sources=native and options.get("enable_source") is True,
        citations=native and options.get("enable_source") is True and options.get("enable_citation") is True,
        citation_format=str(options.get("citation_format") or "[<number>]"),
        prepend=native and options.get("prepend_search_result") is True,
        at_event=script.at_event,
        strategy=strategy,
    )


def cite(content: str, plan: SearchPlan | None) -> str:
    """The default answer cites the first two results the way ``citation_format`` asks."""
    if plan is None or not plan.citations or not plan.results:
        return content
    marks = "".join(
        plan.citation_format.replace("<number>", str(r.get("index", i + 1)))
        for i, r in enumerate(plan.results[:2])
    )
    return f"{content} {marks}"


def decorate_native(payload: dict, plan: SearchPlan | None, event: int | None) -> None:
    """Add ``search_info`` and ``usage.plugins`` to one native payload (``event`` None: not a stream)."""
    if plan is None:
        return
    usage = payload.setdefault("usage", {})
    usage["plugins"] = {"search": {"count": plan.count}}
    if not plan.sources:
        return
    output = payload.setdefault("output", {})
    due = not plan.prepend and (event is None or event == plan.at_event)
    if due:
        plan.emitted.append(event or 0)
        output["search_info"] = {"search_results": plan.results}
    else:
        output["search_info"] = {"extra_tool_info": [], "search_results": []}


def prepended_payload(plan: SearchPlan, request_id: str) -> dict:
    """The results-only first event of ``prepend_search_result``."""
    return {
        "output": {
            "choices": [{"message": {"content": "", "role": "assistant"}, "finish_reason": "null"}],
            "search_info": {"search_results": plan.results},
        },
        "usage": {},
        "request_id": request_id,
    }
