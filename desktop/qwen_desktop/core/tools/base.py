"""What every tool offers the registry: a schema for the model and a coroutine that runs it."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .. import errors as e

Runner = Callable[[dict[str, Any]], Awaitable[str]]


class ToolError(e.QwenError):
    """A tool could not do what was asked; the sentence goes to the user and to the model."""

    kind = "tool"
    sentence = "The tool failed."


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    parameters: dict[str, Any]
    run: Runner
    needs_consent: bool = False
    title: str = ""
    consent_subject: Callable[[dict[str, Any]], str] | None = None
    """Names what a consent prompt is about (the file asked for); "always" then covers only that."""
    source: str = "built-in"

    def definition(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters or {"type": "object", "properties": {}},
            },
        }

    def subject(self, arguments: dict[str, Any]) -> str:
        return self.consent_subject(arguments) if self.consent_subject else ""


def parse_arguments(text: str) -> dict[str, Any]:
    """Tool-call arguments arrive as JSON text; an empty string means no arguments."""
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        raise ToolError("The tool's arguments were not valid JSON.") from None
    if not isinstance(value, dict):
        raise ToolError("The tool's arguments must be a JSON object.")
    return value
