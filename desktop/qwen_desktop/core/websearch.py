"""Model Studio's own web search: request options, the sources it returns, citations, prices.

What the service does, as documented on "Web search" (help.aliyun.com/zh/model-studio/web-search,
read 2026-12-02; alibabacloud.com/help/en/model-studio/web-search and
docs.qwencloud.com/developer-guides/text-generation/web-search, same day):

* ``enable_search: true`` plus ``search_options`` — top level of the body in compatible mode,
  inside ``parameters`` on the native protocol. Options: ``forced_search``, ``search_strategy``
  (``turbo`` default, ``max``, ``agent``, ``agent_max``), ``enable_source``, ``enable_citation``,
  ``citation_format`` (``"[<number>]"`` default, or ``"[ref_<number>]"``),
  ``enable_search_extension``, ``freshness``, ``assigned_site_list``, ``prepend_search_result``.
* Sources come back only on the native protocol: ``output.search_info.search_results[]`` with
  ``index``, ``title``, ``url``, ``site_name``, ``icon``. In a stream they arrive in the first
  event (with ``prepend_search_result``, an event of their own); later events carry an empty list.
  ``usage.plugins.search.count`` is the number of billed searches. The compatible protocol
  searches too but returns neither sources nor a way to tell that it searched.
* Strategies by region: the Chinese mainland offers turbo, max, agent and agent_max; the
  international deployment offers agent and agent_max (agent_max only with thinking on some
  models). Which models search differs by region and changes with releases, so the app learns it
  from the service's refusals ("This model does not support enable_search.") instead of a list.
* Billing per 1,000 searches, on top of the search results' input tokens: mainland turbo 3 CNY,
  max 4 CNY, agent 4 CNY, agent_max 4 CNY (page extraction free for now); international agent and
  agent_max US$10 (the Chinese page lists 73.392381 CNY, i.e. US$10 at its exchange rate).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .redact import contains_secret, redact
from .types import Protocol, SearchMode, SearchRequest, Source

CITATION_FORMAT = "[<number>]"
MAX_TITLE = 300
MAX_SITE = 80
MAX_URL = 2048
MAX_SOURCES = 50
MAINLAND_REGIONS = frozenset({"cn"})


@dataclass(frozen=True)
class Strategy:
    name: str
    label: str
    explanation: str
    prices: dict[str, tuple[float, str]]
    """Price of one search by deployment (``mainland``/``international``): (amount, currency)."""

    def price(self, region_id: str) -> tuple[float, str] | None:
        return self.prices.get(deployment(region_id))


STRATEGIES: tuple[Strategy, ...] = (
    Strategy("turbo", "Turbo", "Fast single search; fine for most questions.",
             {"mainland": (0.003, "CNY")}),
    Strategy("max", "Max", "Searches several engines for fuller results; slower.",
             {"mainland": (0.004, "CNY")}),
    Strategy("agent", "Agent", "The model searches as many times as it needs and combines the results.",
             {"mainland": (0.004, "CNY"), "international": (0.01, "USD")}),
    Strategy("agent_max", "Agent max", "Agent searching that also reads whole pages (thinking models).",
             {"mainland": (0.004, "CNY"), "international": (0.01, "USD")}),
)
_BY_NAME = {s.name: s for s in STRATEGIES}


def deployment(region_id: str) -> str:
    return "mainland" if region_id in MAINLAND_REGIONS else "international"


def strategies_for(region_id: str) -> tuple[Strategy, ...]:
    """The strategies the service documents for the region's deployment."""
    where = deployment(region_id)
    return tuple(s for s in STRATEGIES if where in s.prices)


def strategy(name: str | None) -> Strategy | None:
    return _BY_NAME.get(name or "")


def default_strategy(region_id: str) -> str:
    return "turbo" if deployment(region_id) == "mainland" else "agent"


def effective_strategy(region_id: str, chosen: str | None) -> str:
    """The chosen strategy if the region offers it, else the region's default."""
    offered = {s.name for s in strategies_for(region_id)}
    return chosen if chosen in offered else default_strategy(region_id)


def price_text(s: Strategy, region_id: str) -> str:
    found = s.price(region_id)
    if found is None:
        return ""
    amount, currency = found
    return f"{amount * 1000:g} {currency} per 1,000 searches"


def search_request(mode: SearchMode, region_id: str, chosen: str | None) -> SearchRequest | None:
    if mode is SearchMode.OFF:
        return None
    return SearchRequest(forced=mode is SearchMode.ALWAYS, strategy=effective_strategy(region_id, chosen))


def search_options(search: SearchRequest, protocol: Protocol) -> dict[str, Any]:
    """``search_options`` for the wire. Sources and citations exist only on the native protocol."""
    options: dict[str, Any] = {"forced_search": search.forced}
    if search.strategy:
        options["search_strategy"] = search.strategy
    if protocol is Protocol.DASHSCOPE:
        options.update(enable_source=True, enable_citation=True, citation_format=CITATION_FORMAT)
    return options


def search_fields(search: SearchRequest | None, protocol: Protocol) -> dict[str, Any]:
    if search is None:
        return {}
    return {"enable_search": True, "search_options": search_options(search, protocol)}


# ---- what comes back

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACE = re.compile(r"\s+")


def plain_text(value: Any, limit: int) -> str:
    """Untrusted text made safe to show as plain text: no control or direction characters."""
    text = unicodedata.normalize("NFC", str(value if value is not None else ""))
    text = _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe_url(value: Any) -> str:
    """An http(s) address with a host, else ''. Nothing else ever becomes a link."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > MAX_URL or _CONTROL.search(text) or any(c.isspace() for c in text):
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return text


def host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def parse_sources(raw: Any) -> tuple[Source, ...]:
    """``search_info.search_results`` as sources; malformed entries are skipped, never fatal.

    Anything shaped like an API key is masked, and an address carrying one is no link: a server
    echoing the key back must not put it on the screen or into the database.
    """
    if not isinstance(raw, list):
        return ()
    found: list[Source] = []
    for position, item in enumerate(raw[:MAX_SOURCES], start=1):
        if not isinstance(item, dict):
            continue
        number = item.get("index")
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = position
        url = safe_url(item.get("url"))
        if contains_secret(url):
            url = ""
        title = redact(plain_text(item.get("title"), MAX_TITLE)) or host(url) or f"Source {number}"
        found.append(Source(number, title, url, redact(plain_text(item.get("site_name"), MAX_SITE))))
    return tuple(found)


def merge_sources(old: Sequence[Source], new: Iterable[Source]) -> tuple[Source, ...]:
    """Sources by number; a later event's entry for a number replaces the earlier one."""
    by_number = {s.number: s for s in old}
    for source in new:
        by_number[source.number] = source
    return tuple(by_number[n] for n in sorted(by_number))


def search_calls(usage: Any) -> int:
    """``usage.plugins.search.count``, 0 when absent or malformed."""
    if not isinstance(usage, dict):
        return 0
    plugins = usage.get("plugins")
    search = plugins.get("search") if isinstance(plugins, dict) else None
    count = search.get("count") if isinstance(search, dict) else None
    return count if isinstance(count, int) and count > 0 else 0


# ---- citations

CITATION = re.compile(r"\[(?:ref_)?(\d{1,3})\](?![(:])")
"""``[3]`` or ``[ref_3]``, also run together (``[1][2]``); not a link text or a reference definition."""


def cited_numbers(text: str) -> list[int]:
    return [int(m.group(1)) for m in CITATION.finditer(text)]


def link_citations(markdown: str, sources: Sequence[Source]) -> str:
    """``[n]`` and ``[ref_n]`` become Markdown links to source n's address (code left alone).

    Citations of a source without a safe address, or of no source, stay plain text.
    """
    urls = {s.number: s.url for s in sources if s.url}
    if not urls:
        return markdown

    def link(match: re.Match[str]) -> str:
        url = urls.get(int(match.group(1)))
        if not url:
            return match.group(0)
        return f"[\\[{match.group(1)}\\]](<{markdown_url(url)}>)"

    out: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            out.append(line)
            continue
        if fenced or line.startswith("    "):
            out.append(line)
            continue
        pieces = line.split("`")
        for i in range(0, len(pieces), 2):
            pieces[i] = CITATION.sub(link, pieces[i])
        out.append("`".join(pieces))
    return "\n".join(out)


def markdown_sources(sources: Sequence[Source]) -> list[str]:
    """A numbered Sources list in Markdown; titles and site names escaped as plain text."""
    if not sources:
        return []
    lines = ["**Sources**", ""]
    for s in sources:
        title = escape_markdown(s.title)
        site = f" — {escape_markdown(s.site_name)}" if s.site_name else ""
        target = f" <{markdown_url(s.url)}>" if s.url else ""
        lines.append(f"{s.number}. {title}{site}{target}")
    return lines + [""]


def markdown_url(url: str) -> str:
    """An address safe inside Markdown's ``<…>``: angle brackets percent-encoded."""
    return url.replace("<", "%3C").replace(">", "%3E")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")


def escape_markdown(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def search_fee(meta: dict[str, Any], usage: Any) -> tuple[float, str] | None:
    """A reply's search fee: the per-search price recorded with it times the billed searches."""
    searched = meta.get("search")
    calls = getattr(usage, "search_calls", 0)
    if not isinstance(searched, dict) or not calls:
        return None
    fee, currency = searched.get("fee_per_search"), searched.get("currency")
    if not isinstance(fee, (int, float)) or not isinstance(currency, str):
        return None
    return float(fee) * calls, currency


def compatible_note() -> str:
    return "Searched the web — sources are only returned on the DashScope protocol."


def usage_line(calls: int, tokens: int) -> str:
    """'2 web searches, ~1,800 input tokens from results' for a reply's usage."""
    if calls <= 0 and tokens <= 0:
        return ""
    parts = []
    if calls > 0:
        parts.append(f"{calls} web search{'es' if calls != 1 else ''}")
    if tokens > 0:
        parts.append(f"~{tokens:,} input tokens from results")
    return ", ".join(parts)
