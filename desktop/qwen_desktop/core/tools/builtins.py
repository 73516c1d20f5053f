"""The tools that ship with the app; each is switched on per conversation."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .base import Tool, ToolError
from .calculator import CalculatorError, evaluate, format_number
from .clock import Now, describe_now, local_zone_name
from .consent import ConsentRequest
from .files import file_identity, read_allowed, read_text_file, resolve_path

CLOCK = "current_time"
CALCULATOR = "calculator"
READ_FILE = "read_local_file"
BUILTIN_NAMES = (CLOCK, CALCULATOR, READ_FILE)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def builtin_tools(now: Now = _utc_now, zone_name: str | None = None) -> dict[str, Tool]:
    zone = zone_name if zone_name is not None else local_zone_name()

    async def clock(_: dict[str, Any]) -> str:
        return describe_now(now(), zone)

    async def calculate(arguments: dict[str, Any]) -> str:
        expression = str(arguments.get("expression", ""))
        try:
            return format_number(evaluate(expression))
        except CalculatorError as exc:
            raise ToolError(str(exc)) from None

    async def read_file(arguments: dict[str, Any]) -> str:
        path = resolve_path(str(arguments.get("path", "")))
        return await asyncio.to_thread(read_text_file, path)

    async def read_allowed_file(_: dict[str, Any], request: ConsentRequest) -> str:
        return await asyncio.to_thread(read_allowed, Path(request.subject), request.identity)

    return {
        CLOCK: Tool(
            CLOCK, "The current local date, time and time zone (IANA name and UTC offset).",
            {"type": "object", "properties": {}}, clock, title="Date and time",
        ),
        CALCULATOR: Tool(
            CALCULATOR,
            "Evaluate an arithmetic expression exactly. Supports + - * / // % **, parentheses, "
            "pi, e and sqrt, sin, cos, tan, log, log10, exp, abs, round.",
            {
                "type": "object",
                "properties": {"expression": {"type": "string", "description": "e.g. (2+3)*sqrt(16)"}},
                "required": ["expression"],
            },
            calculate, title="Calculator",
        ),
        READ_FILE: Tool(
            READ_FILE,
            "Read a UTF-8 text file from the user's computer (up to 200 KB). The user is asked "
            "to approve each file before it is read.",
            {
                "type": "object",
                "properties": {"path": {"type": "string", "description": "Path of the file to read"}},
                "required": ["path"],
            },
            read_file, needs_consent=True, title="Read a local file",
            consent_subject=lambda arguments: str(resolve_path(str(arguments.get("path", "")) or ".")),
            identify=file_identity, run_consented=read_allowed_file,
        ),
    }
