"""What the app knows about each model: limits, thinking behaviour, vision and prices."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, fields
from importlib import resources
from typing import Any, Literal

from qwen_desktop.core.types import ThinkingMode, Usage

ThinkingSupport = Literal["optional", "always", "never"]

UNKNOWN_CONTEXT_WINDOW = 32_768
UNKNOWN_MAX_INPUT = 30_720
UNKNOWN_MAX_OUTPUT = 8_192


@dataclass(frozen=True)
class ModelInfo:
    """One model. Prices are per million tokens in ``currency``; None where not known."""

    name: str
    display_name: str
    family: str
    context_window: int
    max_input: int
    max_output: int
    max_reasoning: int | None
    thinking: ThinkingSupport
    thinking_default: bool
    vision: bool
    price_input: float | None = None
    price_output: float | None = None
    price_thinking_output: float | None = None
    price_cached_input: float | None = None
    currency: str = "USD"
    notes: str = ""
    stream_only: bool = False
    known: bool = True

    @property
    def ignores_thinking_budget(self) -> bool:
        return self.name.startswith(("qwq", "qvq"))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelInfo:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def guess_model(name: str) -> ModelInfo:
    """Conservative defaults for a model the catalog does not list, guessed from its name."""
    lowered = name.lower()
    vision = "-vl" in lowered or "qvq" in lowered
    thinking: ThinkingSupport
    if lowered.startswith(("qwq", "qvq")) or "-thinking" in lowered:
        thinking = "always"
    elif lowered.startswith("qwen3"):
        thinking = "optional"
    else:
        thinking = "never"
    return ModelInfo(
        name=name,
        display_name=name,
        family="unknown",
        context_window=UNKNOWN_CONTEXT_WINDOW,
        max_input=UNKNOWN_MAX_INPUT,
        max_output=UNKNOWN_MAX_OUTPUT,
        max_reasoning=None,
        thinking=thinking,
        thinking_default=thinking == "always",
        vision=vision,
        stream_only=thinking == "always",
        notes="Not in the catalog: limits are conservative guesses and prices are unknown.",
        known=False,
    )


class Catalog:
    def __init__(self, models: list[ModelInfo]) -> None:
        self._models = {model.name: model for model in models}

    @classmethod
    def load(cls) -> Catalog:
        text = resources.files("qwen_desktop.core").joinpath("catalog.json").read_text(encoding="utf-8")
        return cls([ModelInfo.from_json(item) for item in json.loads(text)["models"]])

    def all(self) -> list[ModelInfo]:
        return list(self._models.values())

    def models(self) -> list[ModelInfo]:
        return self.all()

    def names(self) -> list[str]:
        return list(self._models)

    def __contains__(self, name: object) -> bool:
        return name in self._models

    def get(self, name: str) -> ModelInfo:
        return self._models.get(name) or guess_model(name)

    def estimate_cost(self, name: str, usage: Usage) -> float | None:
        return estimate_cost(self.get(name), usage)

    def thinking_request(
        self, name: str, mode: ThinkingMode, budget: int | None
    ) -> tuple[bool | None, int | None]:
        return thinking_request(self.get(name), mode, budget)


@functools.cache
def default_catalog() -> Catalog:
    return Catalog.load()


def _info(model: ModelInfo | str) -> ModelInfo:
    return model if isinstance(model, ModelInfo) else default_catalog().get(model)


def estimate_cost(model: ModelInfo | str, usage: Usage) -> float | None:
    """Cost of one call in the model's currency, or None when its prices are unknown.

    ``input_tokens`` includes ``cached_tokens`` and ``output_tokens`` includes
    ``reasoning_tokens``, as both protocols report them. Cache hits are billed at the cached
    price. A call that produced reasoning is billed at the thinking output price for all of its
    output; without reasoning the normal output price applies.
    """
    model = _info(model)
    if model.price_input is None or model.price_output is None:
        return None
    cached = min(max(usage.cached_tokens, 0), max(usage.input_tokens, 0))
    cached_price = model.price_cached_input if model.price_cached_input is not None else model.price_input
    output_price = model.price_output
    if usage.reasoning_tokens > 0 and model.price_thinking_output is not None:
        output_price = model.price_thinking_output
    output = max(usage.output_tokens, usage.reasoning_tokens)
    total = (usage.input_tokens - cached) * model.price_input + cached * cached_price + output * output_price
    return total / 1_000_000


def thinking_request(
    model: ModelInfo | str, mode: ThinkingMode, budget: int | None
) -> tuple[bool | None, int | None]:
    """What to send as ``(enable_thinking, thinking_budget)`` for this model and the user's choice.

    Hybrid models always get an explicit flag, because defaults differ between families (open
    Qwen3 thinks unless told not to). Models that cannot think get neither field. Thinking-only
    models get ``True``; QwQ and QVQ ignore the budget, so none is sent to them.
    """
    model = _info(model)
    if model.thinking == "never":
        return None, None
    wants_budget = mode == ThinkingMode.BUDGET and budget is not None and budget > 0
    if model.thinking == "optional" and mode == ThinkingMode.OFF:
        return False, None
    if not wants_budget or model.ignores_thinking_budget:
        return True, None
    assert budget is not None
    if model.max_reasoning is not None:
        budget = min(budget, model.max_reasoning)
    return True, budget
