"""One async client for Model Studio over three transports (chat completions, native, Responses).

The endpoint (base URL and key) travels with each request, so two conversations on two
regions can stream at the same time. Nothing here touches SDK globals.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib
import random
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING

from .. import errors as e
from ..redact import remember_secret
from ..types import ChatRequest, ContentDelta, Endpoint, Protocol, ReasoningDelta, StreamEvent
from .deadline import StreamDeadline

if TYPE_CHECKING:
    import openai

KeyHint = Callable[[Endpoint], str | None]
Sleep = Callable[[float], Awaitable[None]]

__all__ = ["ChatClient", "KeyHint", "preload_transports"]


def _seconds(value: float) -> str:
    return f"{value:g} s" if value < 120 else f"{value / 60:g} min"


TRANSPORTS = {Protocol.DASHSCOPE: "native_transport", Protocol.OPENAI: "openai_transport",
              Protocol.RESPONSES: "responses_transport"}
"""The module that speaks each protocol (each imports its SDK)."""


_importing = threading.Lock()
"""One thread imports the SDKs at a time: two importing the same package graph in different
orders can each find a module the other has only half initialized."""


def preload_transports() -> None:
    """Import both SDKs ahead of the first request (they take seconds to import)."""
    with _importing:
        from . import embeddings, native_transport, openai_transport, responses_transport  # noqa: F401


def _import(name: str) -> None:
    with _importing:
        importlib.import_module(name)


async def import_off_the_loop(name: str) -> None:
    """Import one of this package's modules on a worker thread unless it is already imported.

    An SDK takes a second or more to import. Done on the event loop's thread, the window would
    freeze that long on the first request (or wait there for a background import holding the
    module's lock); on a worker the loop keeps running and only this request waits.
    """
    if name not in sys.modules:
        await asyncio.to_thread(_import, name)


class ChatClient:
    def __init__(
        self,
        *,
        read_timeout: float = 60.0,
        connect_timeout: float = 10.0,
        max_attempts: int = 3,
        key_hint: KeyHint | None = None,
        sleep: Sleep = asyncio.sleep,
        max_backoff: float = 30.0,
        idle_timeout: float = 120.0,
        total_timeout: float = 1800.0,
    ) -> None:
        self.read_timeout = read_timeout
        self.idle_timeout = idle_timeout
        """Seconds a stream may go without a new event (text, usage, finish) before it is given up."""
        self.total_timeout = total_timeout
        """Seconds one reply may take from the request to its end, however busy the stream."""
        self.connect_timeout = connect_timeout
        self.max_attempts = max(1, max_attempts)
        self.key_hint = key_hint
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._openai: dict[tuple[str, str], openai.AsyncOpenAI] = {}

    @staticmethod
    def _client_key(endpoint: Endpoint) -> tuple[str, str]:
        return endpoint.compatible_url, hashlib.sha256(endpoint.api_key.encode()).hexdigest()

    def _new_openai_client(self, endpoint: Endpoint, warm: Protocol | None = None) -> openai.AsyncOpenAI:
        import openai

        client = openai.AsyncOpenAI(
            api_key=endpoint.api_key,
            base_url=endpoint.compatible_url,
            max_retries=0,
            timeout=openai.Timeout(self.read_timeout, connect=self.connect_timeout, read=self.read_timeout),
        )
        # the SDK imports each resource (and its types) on first use: here, not on the loop
        if warm is Protocol.OPENAI:
            client.chat.completions  # noqa: B018
        elif warm is Protocol.RESPONSES:
            client.responses  # noqa: B018
        return client

    def _openai_client(self, endpoint: Endpoint) -> openai.AsyncOpenAI:
        key = self._client_key(endpoint)
        client = self._openai.get(key)
        if client is None:
            client = self._openai[key] = self._new_openai_client(endpoint)
        return client

    async def _prepare(self, endpoint: Endpoint, protocol: Protocol, module: str) -> None:
        """The transport's module and, for the OpenAI protocols, the endpoint's client, made on a
        worker thread the first time (SDK imports; the HTTP client loads its certificates)."""
        await import_off_the_loop(f"{__name__}.{module}")
        if protocol is Protocol.DASHSCOPE:
            return
        key = self._client_key(endpoint)
        if key in self._openai:
            return
        client = await asyncio.to_thread(self._new_openai_client, endpoint, protocol)
        if self._openai.setdefault(key, client) is not client:
            await client.close()  # another request made one meanwhile

    def _hint(self, endpoint: Endpoint) -> str | None:
        return self.key_hint(endpoint) if self.key_hint else None

    def _open(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        remember_secret(request.endpoint.api_key)
        hint = self._hint(request.endpoint)
        if request.protocol is Protocol.DASHSCOPE:
            from .native_transport import stream_native

            return stream_native(request, hint, self.read_timeout)
        if request.protocol is Protocol.RESPONSES:
            from .responses_transport import stream_responses

            return stream_responses(self._openai_client(request.endpoint), request, hint)
        from .openai_transport import FINISH_GRACE, stream_openai

        # once the finish is in, the wait for usage must end before the idle deadline would
        grace = min(FINISH_GRACE, self.idle_timeout / 2)
        return stream_openai(self._openai_client(request.endpoint), request, hint, grace)

    def backoff(self, attempt: int, error: e.QwenError) -> float:
        if error.retry_after is not None:
            return min(error.retry_after, self.max_backoff)
        return min(self.max_backoff, 0.5 * 2**attempt) * (0.8 + 0.4 * random.random())

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """Stream one reply. Retries only retryable errors, and only before any text arrived.

        Every wait for the next event is bounded by the idle deadline and by what is left of the
        total deadline (a server sending one byte a second never keeps a request alive forever).
        """
        attempt = 0
        loop = asyncio.get_running_loop()
        total_end = loop.time() + self.total_timeout
        await self._prepare(request.endpoint, request.protocol, TRANSPORTS[request.protocol])
        deadline = StreamDeadline(self.idle_timeout, total_end)
        try:
            while True:
                produced = False
                events = self._open(request)
                try:
                    while True:
                        left = deadline.left()
                        try:
                            event = await deadline.wait(anext(events))
                        except StopAsyncIteration:
                            if deadline.expired:
                                raise self._timeout(left) from None
                            return
                        except TimeoutError:
                            raise self._timeout(left) from None
                        except e.QwenError:
                            # an SDK may turn the cancellation of a read into an error of its own
                            if deadline.expired:
                                raise self._timeout(left) from None
                            raise
                        if isinstance(event, (ReasoningDelta, ContentDelta)):
                            produced = True
                        yield event
                except e.QwenError as error:
                    attempt += 1
                    if produced or not error.retryable or attempt >= self.max_attempts \
                            or loop.time() >= total_end:
                        raise
                    delay = self.backoff(attempt, error)
                finally:
                    with contextlib.suppress(Exception):
                        async with asyncio.timeout(5):
                            await events.aclose()  # type: ignore[attr-defined]
                await self._sleep(min(delay, max(0.0, total_end - loop.time())))
        finally:
            deadline.close()

    def _timeout(self, left: float) -> e.TimeoutError_:
        if left > self.idle_timeout:
            return e.TimeoutError_(
                f"The service stopped sending the reply (no progress for {_seconds(self.idle_timeout)})."
            )
        return e.TimeoutError_(
            f"The reply took longer than the time allowed for one reply ({_seconds(self.total_timeout)})."
        )

    async def complete(self, request: ChatRequest) -> str:
        """Collect a whole reply (summaries, titles)."""
        parts: list[str] = []
        async for event in self.stream(request):
            if isinstance(event, ContentDelta):
                parts.append(event.text)
        return "".join(parts)

    async def embed(
        self, endpoint: Endpoint, protocol: Protocol, model: str, texts: list[str],
        dimensions: int = 1024,
    ) -> list[list[float]]:
        await self._prepare(endpoint, protocol, "embeddings")
        from .embeddings import embed_native, embed_openai

        if protocol is Protocol.DASHSCOPE:
            return await embed_native(endpoint, model, texts, dimensions, self._hint(endpoint))
        return await embed_openai(
            self._openai_client(endpoint), model, texts, dimensions, self._hint(endpoint)
        )

    async def aclose(self) -> None:
        clients, self._openai = list(self._openai.values()), {}
        for client in clients:
            await client.close()
        if "dashscope" not in sys.modules:
            return
        from dashscope.api_entities.aio_session import close_shared_aio_session

        await close_shared_aio_session()

    def __repr__(self) -> str:
        return f"ChatClient(read_timeout={self.read_timeout}, clients={len(self._openai)})"


