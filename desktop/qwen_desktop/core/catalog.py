"""What the app knows about each model: limits, thinking behaviour, vision and prices.

Three sources, in rising order of authority: the bundled catalog (``catalog.json``, each entry with
its public source and date; a newer file can be installed without a release, see
``knowledge.catalog_file``), the list of ids each region serves, and what the service's own answers
taught about a model in a region (``knowledge.facts``). A model no catalog describes is sent what
the user asked for, with generous limits, and the service's answers correct the guess.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from qwen_desktop.core.files import read_bounded
from qwen_desktop.core.types import ThinkingMode, Usage

if TYPE_CHECKING:
    from typing import Protocol

    class ModelFacts(Protocol):
        def apply(self, info: ModelInfo, region_id: str) -> ModelInfo: ...

ThinkingSupport = Literal["optional", "always", "never"]

MAX_CATALOG_BYTES = 8 * 1024 * 1024
UNKNOWN_CONTEXT_WINDOW = 1_000_000
UNKNOWN_MAX_INPUT = 983_616
UNKNOWN_MAX_OUTPUT = 32_768
DEFAULT_BUDGET_MAX = 38_912
"""Budget cap for a thinking model whose cap nobody has published or taught the app yet."""
EXPLICIT_CACHE_CREATION_FACTOR = 1.25
EXPLICIT_CACHE_HIT_FACTOR = 0.10
_SNAPSHOT_RE = re.compile(r"^(?P<alias>.+?)-(?:20\d\d-\d\d-\d\d|\d{4})$")
_UNIFIED_RE = re.compile(r"^qwen3\.\d")


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
    price_cache_creation: float | None = None
    price_explicit_cached: float | None = None
    currency: str = "USD"
    notes: str = ""
    stream_only: bool = False
    native_path: str = "text"
    """Which native generation path serves the model: "text" or "multimodal"."""
    source: str = ""
    source_date: str = ""
    known: bool = True
    learned: tuple[str, ...] = ()
    """Kinds of fact the service taught about this model in the region asked about."""

    @property
    def ignores_thinking_budget(self) -> bool:
        return self.name.startswith(("qwq", "qvq"))

    @property
    def budget_cap(self) -> int:
        return self.max_reasoning or DEFAULT_BUDGET_MAX

    @property
    def no_system_prompt(self) -> bool:
        """QwQ and QVQ work best without a system message (Deep-thinking page)."""
        return self.name.startswith(("qwq", "qvq"))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelInfo:
        names = {f.name for f in fields(cls)} - {"learned"}
        return cls(**{k: v for k, v in data.items() if k in names})


def guess_model(name: str, catalog: Catalog | None = None) -> ModelInfo:
    """A model no catalog describes: send what the user asks for and let the service correct it.

    A dated snapshot of a catalogued alias starts from the alias's figures. Otherwise only what a
    name says for certain is used (QwQ, QVQ and ``-thinking`` models always think); limits are
    generous so no request is refused here that the service would accept.
    """
    lowered = name.lower()
    match = _SNAPSHOT_RE.match(lowered)
    if catalog is not None and match and match.group("alias") in catalog:
        alias = catalog.described(match.group("alias"))
        return replace(
            alias, name=name, display_name=name, known=False,
            thinking="optional" if alias.thinking == "never" else alias.thinking,
            notes=f"A snapshot of {alias.name}, not in the catalog: figures are {alias.name}'s.",
        )
    always = lowered.startswith(("qwq", "qvq")) or "-thinking" in lowered
    unified = bool(_UNIFIED_RE.match(lowered)) or "-vl" in lowered or lowered.startswith("qvq") \
        or "omni" in lowered
    return ModelInfo(
        name=name,
        display_name=name,
        family="unknown",
        context_window=UNKNOWN_CONTEXT_WINDOW,
        max_input=UNKNOWN_MAX_INPUT,
        max_output=UNKNOWN_MAX_OUTPUT,
        max_reasoning=None,
        thinking="always" if always else "optional",
        thinking_default=always,
        vision=True,
        stream_only=always,
        native_path="multimodal" if unified else "text",
        notes="Not in the catalog: sent as asked; the service's answers fill in what it can do.",
        known=False,
    )


class CatalogError(ValueError):
    """A catalog file that cannot be used; ``str()`` is one sentence for the user."""


class Catalog:
    def __init__(
        self, models: list[ModelInfo], *, date: str = "", source: str = "bundled",
        facts: ModelFacts | None = None,
    ) -> None:
        self._models = {model.name: model for model in models}
        self.date = date
        self.source = source
        self.facts = facts

    @classmethod
    def load(cls, installed: Path | None = None) -> Catalog:
        """The bundled catalog, or an installed one when it is valid and not older."""
        text = resources.files("qwen_desktop.core").joinpath("catalog.json").read_text(encoding="utf-8")
        bundled = cls.parse(text, source="bundled")
        if installed is None:
            return bundled
        try:
            text = read_bounded(installed, MAX_CATALOG_BYTES).decode("utf-8")
            newer = cls.parse(text, source=str(installed))
        except (OSError, UnicodeDecodeError, CatalogError):
            return bundled
        return newer if newer.date >= bundled.date else bundled

    @classmethod
    def parse(cls, text: str, source: str = "bundled") -> Catalog:
        date, models = validate(text)
        return cls(models, date=date, source=source)

    def replace_models(self, other: Catalog) -> None:
        """Take another catalog's models and date (an update installed while running)."""
        self._models, self.date, self.source = dict(other._models), other.date, other.source

    def all(self) -> list[ModelInfo]:
        return list(self._models.values())

    def models(self) -> list[ModelInfo]:
        return self.all()

    def names(self) -> list[str]:
        return list(self._models)

    def __contains__(self, name: object) -> bool:
        return name in self._models

    def described(self, name: str) -> ModelInfo:
        return self._models[name]

    def get(self, name: str, region_id: str | None = None) -> ModelInfo:
        """The model as described, with what the service taught about it in ``region_id``."""
        info = self._models.get(name) or guess_model(name, self)
        if self.facts is None or region_id is None:
            return info
        return self.facts.apply(info, region_id)

    def estimate_cost(self, name: str, usage: Usage) -> float | None:
        return estimate_cost(self.get(name), usage)

    def thinking_request(
        self, name: str, mode: ThinkingMode, budget: int | None, region_id: str | None = None
    ) -> tuple[bool | None, int | None]:
        return thinking_request(self.get(name, region_id), mode, budget)


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REQUIRED = ("name", "context_window", "max_input", "max_output", "thinking", "vision")
_PRICES = ("price_input", "price_output", "price_thinking_output", "price_cached_input",
           "price_cache_creation", "price_explicit_cached")


def _entry(raw: Any, index: int) -> ModelInfo:
    if not isinstance(raw, dict):
        raise CatalogError(f"Entry {index + 1} of the catalog is not an object.")
    name = raw.get("name")
    label = f"the entry for {name}" if isinstance(name, str) and name else f"entry {index + 1}"
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise CatalogError(f"In the catalog, {label} lacks {', '.join(missing)}.")
    for key in ("context_window", "max_input", "max_output"):
        if not isinstance(raw[key], int) or isinstance(raw[key], bool) or raw[key] <= 0:
            raise CatalogError(f"In the catalog, {label} has a {key} that is not a positive whole number.")
    if raw["max_input"] > raw["context_window"]:
        raise CatalogError(f"In the catalog, {label} has max_input larger than its context_window.")
    if raw["thinking"] not in ("optional", "always", "never"):
        raise CatalogError(f"In the catalog, {label} has thinking {raw['thinking']!r} "
                           "(use optional, always or never).")
    if raw.get("native_path", "text") not in ("text", "multimodal"):
        raise CatalogError(f"In the catalog, {label} has a native_path other than text or multimodal.")
    for key in _PRICES:
        value = raw.get(key)
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0):
            raise CatalogError(f"In the catalog, {label} has a {key} that is not a price.")
    data = {"display_name": name, "family": "", "max_reasoning": None, "thinking_default": False, **raw}
    types = {f.name for f in fields(ModelInfo)}
    try:
        return ModelInfo.from_json({k: v for k, v in data.items() if k in types})
    except TypeError as exc:
        raise CatalogError(f"In the catalog, {label} cannot be read: {exc}.") from None


def validate(text: str) -> tuple[str, list[ModelInfo]]:
    """The catalog's date and models; raises CatalogError with one sentence when it is unusable."""
    try:
        data = json.loads(text)
    except ValueError:
        raise CatalogError("The catalog file is not valid JSON.") from None
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise CatalogError("The catalog file has no list of models.")
    date = data.get("date")
    if not isinstance(date, str) or not _DATE_RE.match(date):
        raise CatalogError("The catalog file has no date (YYYY-MM-DD) saying when it was compiled.")
    models = [_entry(raw, i) for i, raw in enumerate(data["models"])]
    if not models:
        raise CatalogError("The catalog file lists no models.")
    names = [m.name for m in models]
    if len(set(names)) != len(names):
        raise CatalogError("The catalog file lists a model twice.")
    return date, models



@functools.cache
def default_catalog() -> Catalog:
    return Catalog.load()


def _info(model: ModelInfo | str) -> ModelInfo:
    return model if isinstance(model, ModelInfo) else default_catalog().get(model)


def estimate_cost(model: ModelInfo | str, usage: Usage) -> float | None:
    """An estimate of one call's cost in the model's currency; None when its prices are unknown.

    ``input_tokens`` includes ``cached_tokens`` (cache hits) and ``cache_creation_tokens`` (input
    written to the explicit cache), and ``output_tokens`` includes ``reasoning_tokens``, as both
    protocols report them. Implicit-cache hits are billed at the cached price, explicit-cache hits
    at the explicit rate (10% of input unless the catalog says otherwise) and cache creation at the
    creation rate (125%). A call that produced reasoning is billed at the thinking output price for
    all of its output; without reasoning the normal output price applies. Prices of input tiers
    above the first are not applied, which is why it stays an estimate.
    """
    model = _info(model)
    if model.price_input is None or model.price_output is None:
        return None
    inputs = max(usage.input_tokens, 0)
    explicit = min(max(usage.explicit_cached_tokens, 0), inputs)
    cached = min(max(usage.cached_tokens - explicit, 0), inputs - explicit)
    creation = min(max(usage.cache_creation_tokens, 0), inputs - explicit - cached)
    fresh = inputs - explicit - cached - creation
    cached_price = model.price_cached_input if model.price_cached_input is not None else model.price_input
    explicit_price = model.price_explicit_cached
    if explicit_price is None:
        explicit_price = model.price_input * EXPLICIT_CACHE_HIT_FACTOR
    creation_price = model.price_cache_creation
    if creation_price is None:
        creation_price = model.price_input * EXPLICIT_CACHE_CREATION_FACTOR
    output_price = model.price_output
    if usage.reasoning_tokens > 0 and model.price_thinking_output is not None:
        output_price = model.price_thinking_output
    output = max(usage.output_tokens, usage.reasoning_tokens)
    total = (fresh * model.price_input + cached * cached_price + explicit * explicit_price
             + creation * creation_price + output * output_price)
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
    return True, min(budget, model.budget_cap)
