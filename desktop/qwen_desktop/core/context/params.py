"""The knobs of the context policies, read from ``ConversationSettings.context_params``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..catalog import ModelInfo
from ..tokens import image_patch
from ..types import ConversationSettings
from .history import DEFAULT_LAST_N

DEFAULT_SUMMARY_THRESHOLD = 0.7
DEFAULT_SUMMARY_KEEP = 0.5
DEFAULT_SUMMARIZER = "qwen-flash"
DEFAULT_SUMMARY_MAX_TOKENS = 800
DEFAULT_TOP_K = 5
DEFAULT_EMBEDDING_MODEL = "text-embedding-v4"
DEFAULT_EMBEDDING_DIMENSIONS = 1024
DEFAULT_REPLY_RESERVE = 1024
EXPLICIT_CACHE_MIN_TOKENS = 1024

EXPLICIT_CACHE_MODELS = frozenset({
    "qwen3-max", "qwen-max", "qwen-plus", "qwen-flash", "qwen-turbo", "qwen3-coder-plus",
    "qwen3-coder-flash", "qwen3-vl-plus", "qwen3-vl-flash",
})


def _int(params: dict[str, Any], name: str, default: int, minimum: int = 0) -> int:
    try:
        return max(minimum, int(params.get(name, default)))
    except (TypeError, ValueError):
        return default


def _float(params: dict[str, Any], name: str, default: float) -> float:
    try:
        value = float(params.get(name, default))
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class ContextParams:
    """``summary_threshold`` up to 1 is a fraction of ``max_input``; above 1 it is a token count.

    The reply reserve keeps room for the answer where the model's window is shared between input
    and output: ``min(max_output, 1024)`` less what the window already leaves beyond ``max_input``.
    """

    n: int
    max_input: int
    reply_reserve: int
    summary_threshold: float
    summary_keep: float
    summarizer_model: str
    summary_max_tokens: int
    top_k: int
    embedding_model: str
    embedding_dimensions: int
    explicit_cache: bool
    image_patch: int

    @property
    def budget(self) -> int:
        return max(0, self.max_input - self.reply_reserve)

    @property
    def threshold_tokens(self) -> int:
        if self.summary_threshold > 1:
            return int(self.summary_threshold)
        return int(self.max_input * self.summary_threshold)

    @classmethod
    def from_settings(cls, settings: ConversationSettings, info: ModelInfo) -> ContextParams:
        p = dict(settings.context_params)
        max_input = _int(p, "max_input", info.max_input, minimum=1)
        headroom = max(0, info.context_window - max_input)
        reserve = _int(p, "reply_reserve", max(0, min(info.max_output, DEFAULT_REPLY_RESERVE) - headroom))
        keep = _float(p, "summary_keep", DEFAULT_SUMMARY_KEEP)
        return cls(
            n=_int(p, "n", DEFAULT_LAST_N),
            max_input=max_input,
            reply_reserve=min(reserve, max_input // 2),
            summary_threshold=_float(p, "summary_threshold", DEFAULT_SUMMARY_THRESHOLD),
            summary_keep=min(keep, 0.9),
            summarizer_model=str(p.get("summarizer_model") or DEFAULT_SUMMARIZER),
            summary_max_tokens=_int(p, "summary_max_tokens", DEFAULT_SUMMARY_MAX_TOKENS, minimum=32),
            top_k=_int(p, "top_k", DEFAULT_TOP_K),
            embedding_model=str(p.get("embedding_model") or DEFAULT_EMBEDDING_MODEL),
            embedding_dimensions=_int(p, "embedding_dimensions", DEFAULT_EMBEDDING_DIMENSIONS, minimum=64),
            explicit_cache=bool(p.get("explicit_cache", False)) and info.name in EXPLICIT_CACHE_MODELS,
            image_patch=image_patch(info.name),
        )
