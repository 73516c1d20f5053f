"""What every tool offers the registry: a schema for the model and a coroutine that runs it."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

from .. import errors as e
from .consent import ConsentRequest

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
    identify: Callable[[str], Hashable] | None = None
    """What the subject is right now (a file's device and inode), recorded with the prompt."""
    run_consented: Callable[[dict[str, Any], ConsentRequest], Awaitable[str]] | None = None
    """Runs on what the user allowed (the request's subject and identity) instead of reading the
    arguments again, so nothing swapped in after the prompt is used."""

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

    def identity(self, subject: str) -> Hashable:
        return self.identify(subject) if self.identify and subject else None

    async def run_after_consent(self, arguments: dict[str, Any], request: ConsentRequest | None) -> str:
        if request is not None and self.run_consented is not None:
            return await self.run_consented(arguments, request)
        return await self.run(arguments)


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
