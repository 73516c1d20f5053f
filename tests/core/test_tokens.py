"""Local token counts: tokenizer, heuristic fallback, image patches and the per-message cache."""

from __future__ import annotations

import base64
import io
import threading

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
    assert image_patch("qwen3-vl-plus") == 32 and image_patch("qwen-vl-max") == 28
    assert image_tokens(320, 320, 32) == 100 + IMAGE_WRAPPER
    assert image_tokens(290, 130) == 10 * 5 + IMAGE_WRAPPER, "each side rounded to the nearest patch"
    # above the default cap (1,280 patches of 28 px) the image is scaled down first:
    # 1024×1024 → 980×980
    assert image_tokens(1024, 1024) == 35 * 35 + IMAGE_WRAPPER
    assert image_tokens(100_000, 100_000) <= 1_280 + IMAGE_WRAPPER
    assert image_tokens(4000, 3000, 32) <= 2_560 + IMAGE_WRAPPER
    assert image_tokens(4000, 3000, 28, max_tokens=IMAGE_MAX_TOKENS) == 143 * 107 + IMAGE_WRAPPER


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


def test_loaded_in_the_background_counts_are_estimates_until_then_and_are_not_kept() -> None:
    counter = TokenCounter()
    counter.load_in_background()
    message = WireMessage(Role.USER, "hello world " * 20)
    estimate = counter.count_message(message, key="greeting")
    assert estimate == MESSAGE_OVERHEAD + heuristic_tokens(message.content)
    assert counter.cached("greeting") is None
    assert not counter.settled
    counter.preload()
    exact = counter.count_message(message, key="greeting")
    assert counter.settled
    assert exact == MESSAGE_OVERHEAD + 41 != estimate
    assert counter.cached("greeting") == exact


def test_a_count_while_another_thread_loads_the_tokenizer_does_not_wait_for_it() -> None:
    counter = TokenCounter()
    loading, release = threading.Event(), threading.Event()
    real_open = counter._open_tokenizer

    def slow_open() -> object:
        loading.set()
        release.wait(30)
        return real_open()

    counter._open_tokenizer = slow_open  # type: ignore[method-assign]
    loader = threading.Thread(target=counter.preload)
    loader.start()
    try:
        assert loading.wait(10)
        assert counter.count_text("hello world") == heuristic_tokens("hello world")
    finally:
        release.set()
        loader.join(30)
    assert counter.count_text("hello world") == 2
