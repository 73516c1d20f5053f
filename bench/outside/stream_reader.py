"""Reads one streamed reply in a process of its own and reports when it ended, for
``bench/outside_stream.py``. Two readers, the same request to the same server:

``floor``   the fair floor: the openai SDK's raw streaming response (the same HTTP stack the app
            uses), its lines (``iter_lines``), and ``json.loads`` of each ``data:`` line; no typed
            object per chunk.
``bytes``   a tighter floor: the same, the body's bytes split into lines by hand (the SDK's line
            iterator costs more than that).
``client``  the app's own client (``qwen_desktop.core.client.ChatClient.stream``), as the command
            line runs it: events with the text of each chunk, no window.

    python bench/outside/stream_reader.py floor|bytes|client BASE_URL KEY MODEL

Prints one JSON line: ``{"end": time.time() at the last chunk, "chars": characters of text read}``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "desktop"), str(ROOT)]

QUESTION = "Tell me everything."


def _text_of(data: bytes | str) -> str:
    chunk = json.loads(data)
    text = ""
    for choice in chunk.get("choices") or ():
        delta = choice.get("delta") or {}
        text += (delta.get("content") or "") + (delta.get("reasoning_content") or "")
    return text


async def floor(base_url: str, key: str, model: str, *, by_hand: bool = False) -> tuple[float, int]:
    import openai

    client = openai.AsyncOpenAI(api_key=key, base_url=base_url.rstrip("/") + "/compatible-mode/v1",
                                max_retries=0)
    chars = 0
    end = 0.0
    try:
        async with client.chat.completions.with_streaming_response.create(
            model=model, messages=[{"role": "user", "content": QUESTION}], stream=True,
            stream_options={"include_usage": True},
        ) as response:
            if by_hand:
                rest = b""
                async for piece in response.iter_bytes():
                    *lines, rest = (rest + piece).split(b"\n")
                    for line in lines:
                        if line.startswith(b"data:") and line != b"data: [DONE]" and (text := _text_of(line[5:])):
                            chars += len(text)
                            end = time.time()
            else:
                async for line in response.iter_lines():
                    if line.startswith("data:") and line != "data: [DONE]" and (text := _text_of(line[5:])):
                        chars += len(text)
                        end = time.time()
    finally:
        await client.close()
    return end, chars


async def bytes_floor(base_url: str, key: str, model: str) -> tuple[float, int]:
    return await floor(base_url, key, model, by_hand=True)


async def client(base_url: str, key: str, model: str) -> tuple[float, int]:
    from qwen_desktop.core.client import ChatClient
    from qwen_desktop.core.types import (
        ChatRequest, ContentDelta, Endpoint, Protocol, ReasoningDelta, Role, WireMessage,
    )

    chat = ChatClient(max_attempts=1)
    request = ChatRequest(Endpoint("bench", base_url, key), Protocol.OPENAI, model,
                          (WireMessage(Role.USER, QUESTION),))
    chars = 0
    end = 0.0
    try:
        async for event in chat.stream(request):
            if isinstance(event, (ContentDelta, ReasoningDelta)):
                chars += len(event.text)
                end = time.time()
    finally:
        await chat.aclose()
    return end, chars


def main(argv: list[str]) -> int:
    mode, base_url, key, model = argv
    reader = {"floor": floor, "bytes": bytes_floor, "client": client}[mode]
    if mode == "client":
        from qwen_desktop.core.client import preload_transports

        preload_transports()
    else:
        import openai  # noqa: F401 - imported before the clock starts, as the app has it by then
    print("ready", flush=True)
    sys.stdin.readline()
    end, chars = asyncio.run(reader(base_url, key, model))
    print(json.dumps({"end": end, "chars": chars}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
