"""A loopback HTTP/1.1 server that answers with scripted raw bytes.

Unlike ``tests/simulator.py`` (a well-behaved Model Studio), this server writes whatever a test
scripts: any status line and headers (including lying ones), body pieces with pauses between them,
then a clean close, a TCP reset, or a connection that stays open and silent. Both SDKs talk to
it as they would to the service.

A script is chosen per request by the token ``case-<n>`` found in the request body (the fuzzer
puts it in the question), so many streams can run at once; without a token the next script of
the shared queue is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import struct
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

End = Literal["close", "reset", "hang"]
Framing = Literal["eof", "chunked", "length"]

_CASE = re.compile(rb"case-(\d+)")


@dataclass
class Script:
    """What to answer: ``pieces`` are body bytes, written one by one with ``delay`` between them."""

    pieces: list[bytes] = field(default_factory=list)
    status: int = 200
    headers: list[tuple[str, str]] = field(
        default_factory=lambda: [("Content-Type", "text/event-stream;charset=UTF-8")]
    )
    delay: float = 0.0
    end: End = "close"
    framing: Framing = "eof"
    length: int | None = None
    """The Content-Length sent with ``framing="length"``; None sends the true length."""
    hang_for: float = 30.0
    """How long a ``hang`` end keeps the connection open (the client should give up first)."""
    head: bool = True
    """False: say nothing at all, not even a status line, then end as ``end`` says."""


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: bytes


class RawServer:
    """One asyncio server on its own thread; ``scripts[n]`` answers the request naming ``case-n``."""

    def __init__(self) -> None:
        self.port = 0
        self.scripts: dict[int, Script] = {}
        self.queue: deque[Script] = deque()
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._open: set[asyncio.Task[None]] = set()

    # -- lifecycle

    def start(self) -> RawServer:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="raw-server", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the raw server did not start")
        return self

    def _serve(self, ready: threading.Event) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)

        async def begin() -> None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, limit=1 << 26)
            self.port = self._server.sockets[0].getsockname()[1]

        loop.run_until_complete(begin())
        ready.set()
        loop.run_forever()
        loop.close()

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def end() -> None:
            if self._server is not None:
                self._server.close()
            for task in list(self._open):
                task.cancel()
            await asyncio.sleep(0)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(end(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        self._loop = self._thread = None

    def __enter__(self) -> RawServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def base_url(self, region: str = "fuzz") -> str:
        return f"http://127.0.0.1:{self.port}/r/{region}"

    def add(self, case: int, script: Script) -> None:
        with self._lock:
            self.scripts[case] = script

    def forget(self, case: int) -> None:
        with self._lock:
            self.scripts.pop(case, None)

    def enqueue(self, *scripts: Script) -> None:
        with self._lock:
            self.queue.extend(scripts)

    @property
    def open_connections(self) -> int:
        return len(self._open)

    # -- one connection

    def _script_for(self, body: bytes) -> Script:
        found = _CASE.search(body)
        with self._lock:
            if found is not None and int(found.group(1)) in self.scripts:
                return self.scripts[int(found.group(1))]  # a retry gets the same answer
            if self.queue:
                return self.queue.popleft()
        return Script(status=500, headers=[("Content-Type", "application/json")],
                      pieces=[b'{"code":"InternalError","message":"no script"}'], framing="length")

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._open.add(task)
        try:
            request = await self._read_request(reader)
            if request is None:
                return
            with self._lock:
                self.seen.append(request)
            await self._answer(self._script_for(request.body), writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._open.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    @staticmethod
    def _reset(writer: asyncio.StreamWriter) -> None:
        """Close with a TCP RST instead of a FIN."""
        sock = writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    async def _read_request(self, reader: asyncio.StreamReader) -> Seen | None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) < 2:
            return None
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        body = b""
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    await reader.readline()
                    break
                body += await reader.readexactly(size)
                await reader.readline()
        elif headers.get("content-length"):
            body = await reader.readexactly(int(headers["content-length"]))
        return Seen(parts[1], headers, body)

    async def _answer(self, script: Script, writer: asyncio.StreamWriter) -> None:
        if not script.head:
            if script.end == "hang":
                await asyncio.sleep(script.hang_for)
            elif script.end == "reset":
                self._reset(writer)
            return
        body_length = sum(len(piece) for piece in script.pieces)
        head = [f"HTTP/1.1 {script.status} Status"]
        head += [f"{name}: {value}" for name, value in script.headers]
        if script.framing == "chunked":
            head.append("Transfer-Encoding: chunked")
        elif script.framing == "length":
            head.append(f"Content-Length: {body_length if script.length is None else script.length}")
        head.append("Connection: close")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1", "replace"))
        await writer.drain()
        for index, piece in enumerate(script.pieces):
            if index and script.delay:
                await asyncio.sleep(script.delay)
            if script.framing == "chunked" and piece:
                writer.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            else:
                writer.write(piece)
            await writer.drain()
        if script.end == "reset":
            self._reset(writer)
            return
        if script.end == "hang":
            await asyncio.sleep(script.hang_for)
            return
        if script.framing == "chunked":
            writer.write(b"0\r\n\r\n")
        await writer.drain()
