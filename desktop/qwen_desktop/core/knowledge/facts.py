"""What the service's own answers say about a model, remembered per region and model.

Each lesson comes from one answer: an error the service gave (the model's native path, that it
only thinks, its budget cap, its input window, that it cannot see images) or reasoning arriving
unasked (it thinks by default). A lesson is stored once, shown to the user once, and used from the
next request on. The messages matched are the service's (see ``tests/sim_models.py`` for sources).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from .. import errors as e
from ..types import ChatRequest, Protocol

if TYPE_CHECKING:
    from ..catalog import ModelInfo
    from .tables import ModelTables

log = logging.getLogger(__name__)


class FactKind(StrEnum):
    NATIVE_PATH = "native_path"
    THINKING_ONLY = "thinking_only"
    THINKS_BY_DEFAULT = "thinks_by_default"
    BUDGET_CAP = "budget_cap"
    MAX_INPUT = "max_input"
    TEXT_ONLY = "text_only"
    NO_RESPONSES = "no_responses_api"


_BUDGET_RE = re.compile(r"thinking_budget parameter must be a positive integer and not greater than\s*(\d+)", re.I)
_INPUT_RE = re.compile(r"range of input length should be\s*\[\s*1\s*,\s*(\d+)\s*\]", re.I)
_THINKING_ONLY_RE = re.compile(r"enable_thinking parameter is restricted to true", re.I)
_URL_RE = re.compile(r"url error", re.I)
_NOT_IMAGE_PROBLEMS = ("data-uri", "length and width", "download", "not a valid url", "too large")


@dataclass(frozen=True)
class Lesson:
    kind: FactKind
    value: str
    retry: bool
    """Whether one automatic retry of the same question can now succeed."""


def uses_multimodal_path(request: ChatRequest) -> bool:
    return request.vision or any(m.images for m in request.messages)


def lesson_from_error(error: e.QwenError, request: ChatRequest) -> Lesson | None:
    """What a refused request teaches, or None when the error says nothing about the model."""
    if not isinstance(error, e.ApiError):
        return None
    text = error.server_message or ""
    if _URL_RE.search(text) and request.protocol is Protocol.DASHSCOPE:
        if any(m.images for m in request.messages):
            return Lesson(FactKind.TEXT_ONLY, "1", retry=False)
        other = "text" if uses_multimodal_path(request) else "multimodal"
        return Lesson(FactKind.NATIVE_PATH, other, retry=True)
    if _THINKING_ONLY_RE.search(text):
        return Lesson(FactKind.THINKING_ONLY, "1", retry=True)
    if match := _BUDGET_RE.search(text):
        cap = int(match.group(1))
        return Lesson(FactKind.BUDGET_CAP, str(cap), retry=True) if cap > 0 else None
    if match := _INPUT_RE.search(text):
        return Lesson(FactKind.MAX_INPUT, match.group(1), retry=True)
    lowered = text.lower()
    if (
        any(m.images for m in request.messages) and "image" in lowered
        and error.status in (None, 400) and not any(p in lowered for p in _NOT_IMAGE_PROBLEMS)
    ):
        return Lesson(FactKind.TEXT_ONLY, "1", retry=False)
    return None


def describe(model: str, kind: FactKind | str, value: str) -> str:
    """The lesson in plain words, for the notice shown once and for the inspector."""
    kind = FactKind(kind)
    if kind is FactKind.NATIVE_PATH:
        return (f"{model} is served on the native {value} path: the reply was asked for there, "
                "and the app will go there first from now on.")
    if kind is FactKind.THINKING_ONLY:
        return f"{model} always thinks: the service does not let thinking be turned off for it."
    if kind is FactKind.THINKS_BY_DEFAULT:
        return (f"{model} thinks unless told not to: its thinking is shown, and when thinking is "
                "off the app now asks it not to think.")
    if kind is FactKind.BUDGET_CAP:
        return f"{model} accepts a thinking budget of at most {int(value):,} tokens: the budget was lowered to that."
    if kind is FactKind.NO_RESPONSES:
        return (f"{model} does not take the Responses API here: switch its conversations to the "
                "OpenAI-compatible protocol.")
    if kind is FactKind.MAX_INPUT:
        return (f"{model} reads at most {int(value):,} tokens of input: the conversation was fitted "
                "to that under its context policy.")
    return f"{model} cannot see images: the images are kept with your message; pick a vision model to send them."


@dataclass(frozen=True)
class Learned:
    region_id: str
    model: str
    kind: FactKind
    value: str
    sentence: str


class ModelFacts:
    """Learned facts in memory (read on any thread), written through to the database."""

    def __init__(self, tables: ModelTables | None = None, clock: Callable[[], float] = time.time) -> None:
        self.tables = tables
        self._clock = clock
        self._lock = threading.Lock()
        self._facts: dict[tuple[str, str], dict[FactKind, str]] = {}
        if tables is not None:
            for fact in tables.facts():
                try:
                    kind = FactKind(fact.kind)
                except ValueError:
                    continue
                self._facts.setdefault((fact.region_id, fact.model), {})[kind] = fact.value

    def of(self, region_id: str | None, model: str) -> dict[FactKind, str]:
        if region_id is None:
            return {}
        with self._lock:
            return dict(self._facts.get((region_id, model), {}))

    def learn(self, region_id: str, model: str, kind: FactKind, value: str) -> Learned | None:
        """Stores the fact; None when it was already known with this value."""
        with self._lock:
            known = self._facts.setdefault((region_id, model), {})
            if known.get(kind) == value:
                return None
            known[kind] = value
        if self.tables is not None:
            from .tables import StoredFact

            self.tables.save_fact(StoredFact(region_id, model, kind.value, value, self._clock()))
        log.info("learned about %s in %s: %s = %s", model, region_id, kind.value, value)
        return Learned(region_id, model, kind, value, describe(model, kind, value))

    def forget(self, region_id: str, model: str) -> None:
        with self._lock:
            self._facts.pop((region_id, model), None)
        if self.tables is not None:
            self.tables.forget(region_id, model)

    def apply(self, info: ModelInfo, region_id: str) -> ModelInfo:
        return apply_facts(info, self.of(region_id, info.name))

    def sentences(self, region_id: str | None, model: str) -> list[str]:
        return [describe(model, kind, value) for kind, value in self.of(region_id, model).items()]


def apply_facts(info: ModelInfo, facts: dict[FactKind, str]) -> ModelInfo:
    """The catalog's (or guessed) description with what the service taught laid over it."""
    if not facts:
        return info
    changes: dict[str, object] = {"learned": tuple(sorted(k.value for k in facts))}
    if path := facts.get(FactKind.NATIVE_PATH):
        changes["native_path"] = path
    if FactKind.THINKS_BY_DEFAULT in facts:
        changes["thinking_default"] = True
        if info.thinking == "never":
            changes["thinking"] = "optional"
    if FactKind.THINKING_ONLY in facts:
        changes["thinking"] = "always"
        changes["thinking_default"] = True
    if cap := facts.get(FactKind.BUDGET_CAP):
        changes["max_reasoning"] = int(cap)
    if limit := facts.get(FactKind.MAX_INPUT):
        n = int(limit)
        changes["max_input"] = n
        changes["context_window"] = max(n, info.context_window) if info.known else n + info.max_output
    if FactKind.TEXT_ONLY in facts:
        changes["vision"] = False
    return replace(info, **changes)  # type: ignore[arg-type]
