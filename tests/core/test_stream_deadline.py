"""The idle and total deadlines of a stream cost one timer, not one per event, and still end a
silent wait, let a Stop through as a cancellation, and count only time spent waiting."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from qwen_desktop.core.client import ChatClient
from qwen_desktop.core.client.deadline import StreamDeadline
from qwen_desktop.core.types import ChatRequest, ContentDelta, Endpoint, Protocol, Role, WireMessage
from tests.simulator import Reply, Simulator


def test_a_fast_stream_arms_a_handful_of_timers_not_one_per_event(sim: Simulator) -> None:
    """On the compatible protocol (the native SDK arms read timeouts of its own)."""
    protocol = Protocol.OPENAI
    sim.enqueue(Reply(content="word " * 1_500, chunk_chars=5))
    armed: list[float] = []

    async def main() -> str:
        loop = asyncio.get_running_loop()
        call_at = loop.call_at

        def counting(when: float, callback: Any, *args: Any, **kw: Any) -> asyncio.TimerHandle:
            # The HTTP stack's own read timeouts (anyio's, one a network read) depend on how the
            # bytes happen to arrive; only the timers the client's deadlines arm are counted.
            if not getattr(callback, "__module__", "").startswith("anyio"):
                armed.append(when)
            return call_at(when, callback, *args, **kw)

        loop.call_at = counting  # type: ignore[method-assign]
        client = ChatClient(max_attempts=1)
        request = ChatRequest(Endpoint("intl", sim.base_url("intl"), sim.regions["intl"]), protocol,
                              "qwen-plus", (WireMessage(Role.USER, "count"),))
        try:
            text = "".join([e.text async for e in client.stream(request) if isinstance(e, ContentDelta)])
        finally:
            loop.call_at = call_at  # type: ignore[method-assign]
            await client.aclose()
        return text

    assert asyncio.run(main()) == "word " * 1_500
    assert len(armed) < 100, f"{len(armed)} timers for 1,500 events"


def test_a_silent_wait_ends_at_the_idle_deadline() -> None:
    async def main() -> bool:
        deadline = StreamDeadline(0.05, asyncio.get_running_loop().time() + 60)
        try:
            with pytest.raises(TimeoutError):
                await deadline.wait(asyncio.sleep(30))
            return deadline.expired
        finally:
            deadline.close()

    assert asyncio.run(main())


def test_the_total_deadline_ends_a_stream_that_keeps_trickling() -> None:
    async def main() -> int:
        loop = asyncio.get_running_loop()
        deadline = StreamDeadline(10, loop.time() + 0.3)
        waits = 0
        try:
            with pytest.raises(TimeoutError):
                while True:
                    await deadline.wait(asyncio.sleep(0.02))
                    waits += 1
        finally:
            deadline.close()
        return waits

    assert asyncio.run(main()) >= 1


def test_time_between_waits_does_not_count_as_idle() -> None:
    async def main() -> None:
        deadline = StreamDeadline(0.3, asyncio.get_running_loop().time() + 60)
        try:
            for _ in range(3):
                await deadline.wait(asyncio.sleep(0.01))
                await asyncio.sleep(0.5)  # the consumer is busy, the stream is not silent
            assert not deadline.expired
        finally:
            deadline.close()

    asyncio.run(main())


def test_a_stop_during_a_wait_is_a_cancellation_not_a_timeout() -> None:
    async def main() -> None:
        deadline = StreamDeadline(30, asyncio.get_running_loop().time() + 60)
        task = asyncio.ensure_future(deadline.wait(asyncio.sleep(30)))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not deadline.expired
        deadline.close()

    asyncio.run(main())
