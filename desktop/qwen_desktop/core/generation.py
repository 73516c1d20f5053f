"""Generation parameters beyond temperature: what each means, the ranges the service accepts, and
the field names each protocol uses. ``None`` (or an empty list) is the model's default: not sent.

Ranges are those Model Studio states in its own errors and parameter reference (checked 2026-12):
temperature [0, 2), top_p (0, 1], max_tokens [1, the model's output limit], presence_penalty
[-2, 2], seed [0, 2^31 - 1], top_k a positive integer (above 100 it no longer narrows anything),
repetition_penalty above 0 (1.0 is none). JSON mode is ``response_format: {"type": "json_object"}``
and is not available while the model thinks; the prompt itself must ask for JSON.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

from .errors import ConfigError

SEED_MAX = 2**31 - 1
MAX_STOP_SEQUENCES = 16
JSON_MODE = {"type": "json_object"}
WIRE_NAMES = frozenset({"top_p", "top_k", "seed", "presence_penalty", "repetition_penalty", "stop",
                        "response_format", "max_output_tokens", "text"})


@dataclass(frozen=True)
class GenerationParams:
    top_p: float | None = None
    top_k: int | None = None
    max_tokens: int | None = None
    seed: int | None = None
    presence_penalty: float | None = None
    repetition_penalty: float | None = None
    stop: tuple[str, ...] = field(default=())
    json_mode: bool = False

    def with_(self, **changes: Any) -> GenerationParams:
        return replace(self, **changes)

    @property
    def is_default(self) -> bool:
        return self == GenerationParams()

    def to_json(self) -> dict[str, Any]:
        """Only what is set: a parameter at the model's default is absent."""
        out: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "stop":
                if value:
                    out["stop"] = list(value)
            elif item.name == "json_mode":
                if value:
                    out["json_mode"] = True
            elif value is not None:
                out[item.name] = value
        return out

    @classmethod
    def from_json(cls, data: Any) -> GenerationParams:
        """Lenient reading of stored settings: a value of the wrong type is the model's default."""
        if not isinstance(data, dict):
            return cls()

        def number(name: str, kind: type) -> Any:
            value = data.get(name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return None
            if kind is int:
                return int(value) if float(value).is_integer() else None
            return float(value) if math.isfinite(value) else None

        stop = data.get("stop")
        return cls(
            top_p=number("top_p", float), top_k=number("top_k", int), max_tokens=number("max_tokens", int),
            seed=number("seed", int), presence_penalty=number("presence_penalty", float),
            repetition_penalty=number("repetition_penalty", float),
            stop=tuple(s for s in stop if isinstance(s, str) and s) if isinstance(stop, list) else (),
            json_mode=data.get("json_mode") is True,
        )


def check(params: GenerationParams, *, temperature: float | None = None, thinking: bool = False,
          max_output: int | None = None) -> None:
    """One sentence for the first value the service would refuse, before anything is sent."""
    if temperature is not None and not 0 <= temperature < 2:
        raise ConfigError(f"Temperature must be from 0 up to (not including) 2; {temperature:g} is outside that.")
    if params.top_p is not None and not 0 < params.top_p <= 1:
        raise ConfigError(f"Top P must be above 0 and at most 1; {params.top_p:g} is outside that.")
    if params.top_k is not None and params.top_k < 1:
        raise ConfigError(f"Top K must be a whole number of at least 1; {params.top_k} is not.")
    if params.max_tokens is not None:
        limit = max_output or 2**31
        if not 1 <= params.max_tokens <= limit:
            raise ConfigError(f"The reply length limit must be from 1 to {limit:,} tokens for this model; "
                              f"{params.max_tokens:,} is outside that.")
    if params.seed is not None and not 0 <= params.seed <= SEED_MAX:
        raise ConfigError(f"The seed must be a whole number from 0 to {SEED_MAX:,}; {params.seed} is outside that.")
    if params.presence_penalty is not None and not -2 <= params.presence_penalty <= 2:
        raise ConfigError(f"The presence penalty must be from -2 to 2; {params.presence_penalty:g} is outside that.")
    if params.repetition_penalty is not None and not params.repetition_penalty > 0:
        raise ConfigError("The repetition penalty must be above 0 (1.0 means none); "
                          f"{params.repetition_penalty:g} is not.")
    if len(params.stop) > MAX_STOP_SEQUENCES:
        raise ConfigError(f"At most {MAX_STOP_SEQUENCES} stop sequences can be set; there are {len(params.stop)}.")
    if params.json_mode and thinking:
        raise ConfigError("JSON mode works only with thinking off: turn thinking off for this conversation, "
                          "or JSON mode off.")


def wire_fields(params: GenerationParams, protocol: str) -> dict[str, Any]:
    """The request fields for ``params`` on ``protocol``, merged by each transport where its extras go:
    the top level of the JSON body in compatible mode and for the Responses API, ``parameters`` on the
    native protocol (the DashScope SDK moves them there). ``max_tokens`` travels as the request's own
    field on the two chat protocols, as ``max_output_tokens`` on the Responses API."""
    out: dict[str, Any] = {}
    for name in ("top_p", "top_k", "seed", "presence_penalty", "repetition_penalty"):
        value = getattr(params, name)
        if value is not None:
            out[name] = value
    if params.stop:
        out["stop"] = list(params.stop)
    if protocol == "responses":  # types.Protocol.RESPONSES; types imports this module
        if params.max_tokens is not None:
            out["max_output_tokens"] = params.max_tokens
        if params.json_mode:
            out["text"] = {"format": dict(JSON_MODE)}
        return out
    if params.json_mode:
        out["response_format"] = dict(JSON_MODE)
    return out
