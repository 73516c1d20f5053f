"""Function calling: the tools a conversation may use, asking before risky ones, and running them."""

from .base import Tool, ToolError, parse_arguments
from .builtins import BUILTIN_NAMES, CALCULATOR, CLOCK, READ_FILE, builtin_tools
from .consent import ConsentGate, ConsentRequest, Decision
from .execute import (
    DECLINED, ToolCallFinished, ToolCallStarted, ToolConsentRequested, ToolEvent, run_calls,
)
from .mcp_bridge import McpConnection, McpHub
from .mcp_config import McpSecrets, McpServerSpec, specs_from_config, specs_to_config
from .registry import ToolBox
from .selection import enabled, mcp_id, toggled, with_enabled

__all__ = [
    "BUILTIN_NAMES", "CALCULATOR", "CLOCK", "DECLINED", "READ_FILE",
    "ConsentGate", "ConsentRequest", "Decision", "McpConnection", "McpHub", "McpSecrets",
    "McpServerSpec", "Tool", "ToolBox", "ToolCallFinished", "ToolCallStarted",
    "ToolConsentRequested", "ToolError", "ToolEvent", "builtin_tools", "enabled", "mcp_id",
    "parse_arguments", "run_calls", "specs_from_config", "specs_to_config", "toggled",
    "with_enabled",
]
