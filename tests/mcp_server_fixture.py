"""A small stdio MCP server for the tests, built with the SDK's own server."""

from __future__ import annotations

import os

from mcp.server.mcpserver import MCPServer

app = MCPServer("fixture")


@app.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@app.tool()
def shout(text: str) -> str:
    """Upper-case the text."""
    return text.upper()


@app.tool()
def crash() -> str:
    """Stop the server process at once."""
    os._exit(3)


if __name__ == "__main__":
    app.run()
