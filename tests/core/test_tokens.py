"""Local token counts: tokenizer, heuristic fallback, image patches and the per-message cache."""

from __future__ import annotations

import base64
import io

from PIL import Image

from qwen_desktop.core.tokens import (
    IMAGE_MAX_TOKENS, IMAGE_WRAPPER, MESSAGE_OVERHEAD, TokenCounter, data_url_size,
    heuristic_tokens, image_patch, image_tokens,
)
from qwen_desktop.core.types import Role, WireMessage


def test_tokenizer_counts_text_and_message_overhead() -> None:
    counter = TokenCounter()
    assert counter.exact
    assert counter.count_text("Hello world, 你好世界") == 6
    message = WireMessage(Role.USER, "Hello world")
    assert counter.count_message(message) == counter.count_text("Hello world") + MESSAGE_OVERHEAD
    assert counter.count_messages([message, message]) == 2 * counter.count_message(message)


def test_heuristic_when_the_tokenizer_is_unavailable() -> None:
    counter = TokenCounter(use_tokenizer=False)
    assert not counter.exact
    assert counter.count_text("abcdefg") == heuristic_tokens("abcdefg") == 2
    assert heuristic_tokens("你好世") == 2
    assert counter.count_text("") == 0


def test_image_tokens_follow_the_patch_rule() -> None:
    assert image_tokens(28 * 10, 28 * 5) == 50 + IMAGE_WRAPPER
    assert image_tokens(10, 10) == 4 + IMAGE_WRAPPER
    assert image_tokens(100_000, 100_000) == IMAGE_MAX_TOKENS + IMAGE_WRAPPER
    assert image_patch("qwen3-vl-plus") == 32 and image_patch("qwen-vl-max") == 28
    assert image_tokens(320, 320, 32) == 100 + IMAGE_WRAPPER


def test_data_url_size_reads_the_header() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (57, 30)).save(buffer, "PNG")
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    assert data_url_size(url) == (57, 30)
    assert data_url_size("data:image/png;base64,AAAA") is None
    assert data_url_size("https://example.com/x.png") is None


def test_keyed_counts_are_cached_and_bounded() -> None:
    counter = TokenCounter(cache_size=2)
    calls = []
    original = counter.count_text

    def counting(text: str) -> int:
        calls.append(text)
        return original(text)

    counter.count_text = counting  # type: ignore[method-assign]
    message = WireMessage(Role.USER, "one two three")
    first = counter.count_message(message, key=1)
    assert counter.count_message(message, key=1) == first
    assert len(calls) == 1
    counter.count_message(message, key=2)
    counter.count_message(message, key=3)
    assert counter.cached(1) is None and counter.cached(3) == first
