"""The built-in tools: a calculator that evaluates nothing, a clock, a careful file reader."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from pathlib import Path

import pytest

from qwen_desktop.core.tools import ToolError, builtin_tools
from qwen_desktop.core.tools.calculator import CalculatorError, evaluate
from qwen_desktop.core.tools.files import read_text_file
from qwen_desktop.core.tools.mcp_config import McpServerSpec, specs_from_config, specs_to_config
from qwen_desktop.core.tools.selection import enabled, toggled
from qwen_desktop.core.types import ConversationSettings


@pytest.mark.parametrize(("expression", "value"), [
    ("2 + 3 * 4", 14), ("(2 + 3) * 4", 20), ("-2 ** 2", -4), ("7 // 2", 3), ("7 % 4", 3),
    ("sqrt(16) + cos(0)", 5.0), ("2 ** -1", 0.5), ("round(pi, 3)", 3.142), ("log(e)", 1.0),
])
def test_arithmetic(expression: str, value: float) -> None:
    assert evaluate(expression) == pytest.approx(value)


@pytest.mark.parametrize("expression", [
    "__import__('os')", "__import__('os').system('true')", "(1).__class__", "().__class__",
    "open('x')", "x", "[1, 2]", "'a' * 3", "lambda: 1", "sqrt.__doc__", "2 ** 100000",
    "9 ** 9 ** 9", "10 ** 200", "1 / 0", "f'{1}'", "1 if 1 else 2", "True + 1", "sqrt(x=4)",
])
def test_refusals(expression: str) -> None:
    with pytest.raises(CalculatorError):
        evaluate(expression)


def test_refusal_of_a_long_expression() -> None:
    with pytest.raises(CalculatorError, match="longer than"):
        evaluate("1+" * 400 + "1")


def test_clock_names_the_zone_and_offset() -> None:
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    tools = builtin_tools(now=lambda: moment, zone_name="Europe/Berlin")
    text = asyncio.run(tools["current_time"].run({}))
    assert "2026-03-01 13:00:00" in text and "Europe/Berlin" in text and "UTC+01:00" in text


def test_file_reader_reads_text_and_refuses_the_rest(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("héllo", encoding="utf-8")
    assert read_text_file(text) == "héllo"
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(ToolError, match="not a text file"):
        read_text_file(binary)
    big = tmp_path / "big.txt"
    big.write_text("x" * 300_000)
    with pytest.raises(ToolError, match="not read"):
        read_text_file(big)
    with pytest.raises(ToolError, match="not a file"):
        read_text_file(tmp_path / "missing.txt")
    reader = builtin_tools(zone_name="UTC")["read_local_file"]
    assert reader.needs_consent and reader.subject({"path": str(text)}) == str(text.resolve())


def test_selection_and_config_round_trip() -> None:
    settings = toggled(ConversationSettings(), "calculator", True)
    settings = toggled(settings, "mcp:files", True)
    assert enabled(settings) == ["calculator", "mcp:files"]
    again = ConversationSettings.from_json(settings.to_json())
    assert enabled(toggled(again, "calculator", False)) == ["mcp:files"]
    extra: dict[str, object] = {}
    spec = McpServerSpec(name="files", command="npx", args=("server",), env_names=("TOKEN",))
    specs_to_config(extra, [spec])
    assert "secret" not in str(extra)
    assert specs_from_config(extra) == [spec]
