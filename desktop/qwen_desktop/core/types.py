"""Value types shared by the client, storage, context policies and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .generation import GenerationParams


class Protocol(StrEnum):
    OPENAI = "openai"
    DASHSCOPE = "dashscope"
    RESPONSES = "responses"


class ThinkingMode(StrEnum):
    OFF = "off"
    ON = "on"
    BUDGET = "budget"


class MessageStatus(StrEnum):
    COMPLETE = "complete"
    STREAMING = "streaming"
    INTERRUPTED = "interrupted"
    ERROR = "error"


class Role(StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"


class SearchMode(StrEnum):
    """Model Studio's own web search: off, the model decides (auto), or every turn (always)."""

    OFF = "off"
    AUTO = "auto"
    ALWAYS = "always"


class ContextPolicy(StrEnum):
    FULL = "full"
    LAST_N = "last_n"
    SUMMARY = "summary"
    RETRIEVAL = "retrieval"


@dataclass(frozen=True)
class ConversationSettings:
    region_id: str = "intl"
    protocol: Protocol = Protocol.OPENAI
    model: str = "qwen-plus"
    thinking: ThinkingMode = ThinkingMode.OFF
    thinking_budget: int | None = None
    context_policy: ContextPolicy = ContextPolicy.FULL
    context_params: dict[str, Any] = field(default_factory=dict)
    system_prompt: str = ""
    temperature: float | None = None
    search: SearchMode = SearchMode.OFF
    search_strategy: str | None = None
    """None: the service's default strategy for the region."""
    generation: GenerationParams = field(default_factory=lambda: _generation_params())
    """top_p, top_k, max_tokens, seed, penalties, stop sequences, JSON mode: unset is the model's default."""
    assistant_id: str | None = None
    """The assistant the conversation was started from (core/assistants.py); None: none, or detached."""

    def with_(self, **changes: Any) -> ConversationSettings:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "region_id": self.region_id,
            "protocol": self.protocol.value,
            "model": self.model,
            "thinking": self.thinking.value,
            "thinking_budget": self.thinking_budget,
            "context_policy": self.context_policy.value,
            "context_params": dict(self.context_params),
            "system_prompt": self.system_prompt,
            "temperature": self.temperature,
            "search": self.search.value,
            "search_strategy": self.search_strategy,
            "generation": self.generation.to_json(),
        } | ({"assistant_id": self.assistant_id} if self.assistant_id else {})

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConversationSettings:
        default = cls()
        return cls(
            region_id=str(data.get("region_id", default.region_id)),
            protocol=Protocol(data.get("protocol", default.protocol)),
            model=str(data.get("model", default.model)),
            thinking=ThinkingMode(data.get("thinking", default.thinking)),
            thinking_budget=data.get("thinking_budget"),
            context_policy=ContextPolicy(data.get("context_policy", default.context_policy)),
            context_params=dict(data.get("context_params") or {}),
            system_prompt=str(data.get("system_prompt") or ""),
            temperature=data.get("temperature"),
            search=_search_mode(data.get("search")),
            search_strategy=str(data["search_strategy"]) if data.get("search_strategy") else None,
            generation=_generation_params(data.get("generation")),
            assistant_id=str(data["assistant_id"]) if data.get("assistant_id") else None,
        )


def _generation_params(data: Any = None) -> GenerationParams:
    from .generation import GenerationParams

    return GenerationParams.from_json(data)


def _search_mode(value: Any) -> SearchMode:
    try:
        return SearchMode(value or SearchMode.OFF)
    except ValueError:
        return SearchMode.OFF


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    cached_tokens: int = 0
    search_calls: int = 0
    """Web searches the service billed for this reply (``usage.plugins.search.count``)."""
    search_tokens: int = 0
    """Input tokens the search results added (estimated: billed input minus the counted request)."""
    cache_creation_tokens: int = 0
    """Input written to the explicit cache (``cache_creation_input_tokens``), part of input_tokens."""
    explicit_cached_tokens: int = 0
    """Hits of the explicit cache (``cache_type: ephemeral``), part of cached_tokens."""

    def to_json(self) -> dict[str, int]:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "reasoning_tokens": self.reasoning_tokens,
            "cached_tokens": self.cached_tokens,
            "search_calls": self.search_calls,
            "search_tokens": self.search_tokens,
            "cache_creation_tokens": self.cache_creation_tokens,
            "explicit_cached_tokens": self.explicit_cached_tokens,
        }

    def __add__(self, other: Usage) -> Usage:
        """Two calls' usage together (a reply continued after it was cut off)."""
        return Usage(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Usage | None:
        if not data:
            return None
        return cls(**{k: int(data.get(k) or 0) for k in cls().to_json()})


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "arguments": self.arguments}


def stored_tool_calls(meta: dict[str, Any] | None) -> tuple[ToolCall, ...]:
    """The tool calls an assistant message made, as kept in its ``meta``."""
    raw = (meta or {}).get("tool_calls")
    if not isinstance(raw, list):
        return ()
    return tuple(
        ToolCall(str(c.get("id", "")), str(c.get("name", "")), str(c.get("arguments", "")))
        for c in raw if isinstance(c, dict)
    )


@dataclass(frozen=True)
class WireMessage:
    """One message as it goes on the wire. ``images`` are data: URLs.

    ``cache`` marks the end of a stable prefix for explicit prompt caching. ``partial`` marks a
    final assistant message as a prefix the model continues (partial mode).
    """

    role: Role
    content: str
    images: tuple[str, ...] = ()
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    cache: bool = False
    partial: bool = False


@dataclass(frozen=True)
class Endpoint:
    """Where one request goes: a region's base URL (without a protocol path) and its key."""

    region_id: str
    base_url: str
    api_key: str

    @property
    def compatible_url(self) -> str:
        return self.base_url.rstrip("/") + "/compatible-mode/v1"

    @property
    def native_url(self) -> str:
        return self.base_url.rstrip("/") + "/api/v1"

    def __repr__(self) -> str:
        return f"Endpoint(region_id={self.region_id!r}, base_url={self.base_url!r}, api_key=<hidden>)"


@dataclass(frozen=True)
class Source:
    """One web page the service's search used. Untrusted text: shown as plain text only.

    ``url`` is empty when the service sent something that is not an http(s) address.
    """

    number: int
    title: str
    url: str
    site_name: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "url": self.url, "site_name": self.site_name}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Source:
        return cls(int(data.get("number") or 0), str(data.get("title") or ""),
                   str(data.get("url") or ""), str(data.get("site_name") or ""))


@dataclass(frozen=True)
class SearchRequest:
    """Web search for one request: ``forced`` is the ``always`` mode."""

    forced: bool = False
    strategy: str | None = None


@dataclass(frozen=True)
class ChatRequest:
    endpoint: Endpoint
    protocol: Protocol
    model: str
    messages: tuple[WireMessage, ...]
    enable_thinking: bool | None = None
    thinking_budget: int | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    vision: bool = False
    tools: tuple[dict[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    search: SearchRequest | None = None
    previous_response_id: str | None = None
    """Responses protocol: the service holds the history up to this response; send only the new turn."""
    server_tools: tuple[str, ...] = ()
    """Responses protocol: the service's own tools switched on (web_search, web_extractor, …)."""


@dataclass(frozen=True)
class ReasoningDelta:
    text: str


@dataclass(frozen=True)
class ContentDelta:
    text: str


@dataclass(frozen=True)
class ToolCallsReady:
    calls: tuple[ToolCall, ...]


@dataclass(frozen=True)
class UsageUpdate:
    usage: Usage


@dataclass(frozen=True)
class SourcesFound:
    """Search results arrived (on the native protocol only); may come more than once."""

    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ServerToolUpdate:
    """A tool the service ran itself (Responses protocol): started, then done with its result."""

    call_id: str
    tool: str
    arguments: str
    result: str = ""
    done: bool = False
    error: str | None = None


@dataclass(frozen=True)
class Finished:
    reason: str
    request_id: str | None = None
    response_id: str | None = None
    """Responses protocol: the id the service keeps this reply under, for chaining the next turn."""


StreamEvent = (
    ReasoningDelta | ContentDelta | ToolCallsReady | UsageUpdate | SourcesFound | ServerToolUpdate
    | Finished
)
