"""MCP servers through the official SDK: started on first use, stopped on quit.

Each connection lives in its own task, because the SDK's transports are anyio context managers
that must be entered and left by the same task; calls reach the session from any task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from collections.abc import Callable
from typing import IO, Any

from .base import ToolError
from .mcp_config import McpServerSpec

log = logging.getLogger(__name__)

START_TIMEOUT = 30.0
CALL_TIMEOUT = 120.0
STOP_TIMEOUT = 8.0


class McpConnection:
    def __init__(self, spec: McpServerSpec, env: dict[str, str]) -> None:
        self.spec = spec
        self._env = env
        self._session: Any = None
        self._ready: asyncio.Future[None] | None = None
        self._closing = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._errlog: IO[str] | None = None
        self._broken = False

    @property
    def alive(self) -> bool:
        running = self._task is not None and not self._task.done()
        return running and self._session is not None and not self._broken

    async def start(self, timeout: float = START_TIMEOUT) -> None:
        self._ready = asyncio.get_running_loop().create_future()
        self._task = asyncio.create_task(self._serve(), name=f"mcp:{self.spec.name}")
        try:
            await asyncio.wait_for(asyncio.shield(self._ready), timeout)
        except asyncio.TimeoutError:
            await self.aclose()
            raise ToolError(f'The MCP server "{self.spec.name}" did not answer within {timeout:.0f} s.') from None
        except ToolError:
            await self.aclose()
            raise

    async def _serve(self) -> None:
        from mcp.client.session import ClientSession

        ready = self._ready
        assert ready is not None
        try:
            async with self._transport() as streams, ClientSession(streams[0], streams[1]) as session:
                await session.initialize()
                self._session = session
                ready.set_result(None)
                await self._closing.wait()
        except BaseException as exc:  # noqa: BLE001 - reported as a sentence
            if not ready.done():
                ready.set_exception(ToolError(self._start_failure(exc)))
            if isinstance(exc, asyncio.CancelledError):
                raise
            log.info("MCP server %s stopped: %s", self.spec.name, type(exc).__name__)
        finally:
            self._session = None

    def _transport(self) -> contextlib.AbstractAsyncContextManager[Any]:
        if self.spec.transport == "http":
            from mcp.client.streamable_http import streamable_http_client

            return streamable_http_client(self.spec.url)
        from mcp.client.stdio import StdioServerParameters, stdio_client

        self._errlog = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
        params = StdioServerParameters(command=self.spec.command, args=list(self.spec.args), env=self._env or None)
        return stdio_client(params, errlog=self._errlog)

    def _start_failure(self, exc: BaseException) -> str:
        name = self.spec.name
        if isinstance(exc, FileNotFoundError) or "No such file" in str(exc):
            return f'The MCP server "{name}" could not start: {self.spec.command!r} was not found.'
        detail = self.stderr_tail() or _first_line(exc)
        return f'The MCP server "{name}" could not start ({detail}).'

    def stderr_tail(self) -> str:
        if self._errlog is None:
            return ""
        with contextlib.suppress(OSError, ValueError):
            self._errlog.flush()
            self._errlog.seek(0)
            lines = [line.strip() for line in self._errlog.read().splitlines() if line.strip()]
            return lines[-1][:200] if lines else ""
        return ""

    async def list_tools(self) -> list[dict[str, Any]]:
        session = self._require()
        result = await asyncio.wait_for(session.list_tools(), CALL_TIMEOUT)
        return [
            {"name": t.name, "description": t.description or "", "input_schema": t.input_schema}
            for t in result.tools
        ]

    async def call(self, tool: str, arguments: dict[str, Any]) -> str:
        from mcp.shared.exceptions import MCPError

        session = self._require()
        try:
            result = await asyncio.wait_for(session.call_tool(tool, arguments), CALL_TIMEOUT)
        except asyncio.TimeoutError:
            raise ToolError(f'The MCP server "{self.spec.name}" did not finish {tool} in time.') from None
        except (MCPError, OSError) as exc:
            if not self.alive or "closed" in str(exc).lower():
                self._broken = True
                raise ToolError(
                    f'The MCP server "{self.spec.name}" stopped while running {tool}; '
                    "it will be started again on the next call."
                ) from None
            raise ToolError(f'The MCP server "{self.spec.name}" refused {tool}: {_first_line(exc)}') from None
        text = _result_text(result)
        if getattr(result, "is_error", False):
            raise ToolError(text or f"{tool} reported an error.")
        return text

    def _require(self) -> Any:
        if self._session is None:
            raise ToolError(f'The MCP server "{self.spec.name}" is not running.')
        return self._session

    async def aclose(self) -> None:
        self._closing.set()
        task = self._task
        if task is not None and not task.done():
            try:
                await asyncio.wait_for(asyncio.shield(task), STOP_TIMEOUT)
            except (asyncio.TimeoutError, Exception):
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
        if self._errlog is not None:
            self._errlog.close()
            self._errlog = None


def _result_text(result: Any) -> str:
    parts: list[str] = []
    for block in getattr(result, "content", None) or ():
        text = getattr(block, "text", None)
        parts.append(text if isinstance(text, str) else f"[{getattr(block, 'type', 'content')}]")
    if not parts and getattr(result, "structured_content", None) is not None:
        import json

        parts.append(json.dumps(result.structured_content, ensure_ascii=False))
    return "\n".join(parts)


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        return _first_line(exc.exceptions[0])
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


EnvFor = Callable[[McpServerSpec], dict[str, str]]


class McpHub:
    """The user's MCP servers; a connection starts on first use and is restarted after a crash."""

    def __init__(self, specs: list[McpServerSpec] | None = None, env_for: EnvFor | None = None) -> None:
        self._specs = {spec.name: spec for spec in specs or ()}
        self._env_for = env_for or (lambda spec: {})
        self._connections: dict[str, McpConnection] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def specs(self) -> list[McpServerSpec]:
        return list(self._specs.values())

    def spec(self, name: str) -> McpServerSpec | None:
        return self._specs.get(name)

    async def set_specs(self, specs: list[McpServerSpec]) -> None:
        """Replace the server list; servers whose launch settings changed are stopped."""
        new = {spec.name: spec for spec in specs}
        for name, connection in list(self._connections.items()):
            if new.get(name) != connection.spec:
                await self._drop(name)
        self._specs = new

    async def connection(self, name: str) -> McpConnection:
        spec = self._specs.get(name)
        if spec is None:
            raise ToolError(f'There is no MCP server named "{name}" any more.')
        async with self._locks.setdefault(name, asyncio.Lock()):
            current = self._connections.get(name)
            if current is not None and current.alive:
                return current
            if current is not None:
                await self._drop(name)
            try:
                env = self._env_for(spec)
            except Exception as exc:  # noqa: BLE001 - a keyring problem becomes a sentence
                raise ToolError(f'The settings of MCP server "{name}" could not be read: {exc}') from None
            connection = McpConnection(spec, env)
            await connection.start()
            self._connections[name] = connection
            return connection

    async def refresh_tools(self, name: str) -> McpServerSpec:
        """Connect (if needed) and remember the tools the server offers now."""
        connection = await self.connection(name)
        tools = await connection.list_tools()
        spec = self._specs[name].with_tools(tools)
        self._specs[name] = spec
        connection.spec = spec
        return spec

    async def call(self, server: str, tool: str, arguments: dict[str, Any]) -> str:
        connection = await self.connection(server)
        try:
            return await connection.call(tool, arguments)
        finally:
            if not connection.alive:
                await self._drop(server)

    async def _drop(self, name: str) -> None:
        connection = self._connections.pop(name, None)
        if connection is not None:
            await connection.aclose()

    async def aclose(self) -> None:
        for name in list(self._connections):
            await self._drop(name)
