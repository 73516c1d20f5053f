"""Local token estimates: the Qwen tokenizer for text, the Qwen-VL patch rule for images.

The dashscope SDK bundles the original Qwen vocabulary; newer models tokenize almost the same
way, so counts are close estimates, not the server's figures. When the tokenizer cannot be
loaded, a heuristic from the billing documentation takes over: one token per 1.5 CJK
characters and one per 3.5 other characters (a little above "about one English word").
"""

from __future__ import annotations

import base64
import importlib.util
import io
import logging
import math
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .types import WireMessage

log = logging.getLogger(__name__)

MESSAGE_OVERHEAD = 4
"""``<|im_start|>``, the role, a newline and ``<|im_end|>`` around every message."""
IMAGE_WRAPPER = 2
"""``<|vision_start|>`` and ``<|vision_end|>`` around every image."""
IMAGE_MIN_TOKENS = 4
IMAGE_MAX_TOKENS = 16_384
"""The most one image can take, with ``vl_high_resolution_images`` (which this client never sends)."""
IMAGE_DEFAULT_MAX_TOKENS = {28: 1_280, 32: 2_560}
"""The default cap by patch size: images above it are scaled down before they are encoded."""
DEFAULT_CACHE_SIZE = 20_000

QWEN_PATTERN = (r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
                r"""|\s*[\r\n]+|\s+(?!\S)|\s+""")
QWEN_SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>", *(f"<|extra_{i}|>" for i in range(205)))
QWEN_SPECIAL_START = 151643

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def heuristic_tokens(text: str) -> int:
    cjk = len(_CJK.findall(text))
    other = len(text) - cjk
    return math.ceil(cjk / 1.5) + math.ceil(other / 3.5)


def image_patch(model: str) -> int:
    """Qwen3-VL encodes 32×32-pixel patches per token; the Qwen2.5-VL era used 28×28."""
    return 32 if model.lower().startswith("qwen3-vl") else 28


def image_tokens(width: int, height: int, patch: int = 28, max_tokens: int | None = None) -> int:
    """Tokens the service bills for one image, by the rule Model Studio's vision guide gives
    (help.aliyun.com/zh/model-studio/vision, 2025; read 2026-12-02): each side rounded to a
    multiple of the patch, the whole scaled to stay within 4 and the model's cap of patches,
    one token per patch, plus ``<|vision_start|>`` and ``<|vision_end|>``."""
    cap = max_tokens or IMAGE_DEFAULT_MAX_TOKENS.get(patch, IMAGE_DEFAULT_MAX_TOKENS[28])
    width, height = max(width, 1), max(height, 1)
    area = patch * patch
    w_bar = max(patch, round(width / patch) * patch)
    h_bar = max(patch, round(height / patch) * patch)
    if w_bar * h_bar > cap * area:
        beta = math.sqrt(width * height / (cap * area))
        w_bar = max(patch, math.floor(width / beta / patch) * patch)
        h_bar = max(patch, math.floor(height / beta / patch) * patch)
    elif w_bar * h_bar < IMAGE_MIN_TOKENS * area:
        beta = math.sqrt(IMAGE_MIN_TOKENS * area / (width * height))
        w_bar = math.ceil(width * beta / patch) * patch
        h_bar = math.ceil(height * beta / patch) * patch
    return w_bar * h_bar // area + IMAGE_WRAPPER


def data_url_size(url: str) -> tuple[int, int] | None:
    """Pixel size of a ``data:image/...;base64,`` URL, read from the image header only."""
    if not url.startswith("data:") or "," not in url:
        return None
    try:
        from PIL import Image

        raw = base64.b64decode(url.split(",", 1)[1], validate=False)
        with Image.open(io.BytesIO(raw)) as image:
            return int(image.width), int(image.height)
    except Exception:  # noqa: BLE001 - an unreadable image is simply not measured
        return None


class QwenEncoding:
    """The Qwen vocabulary bundled with the dashscope SDK, read straight into ``tiktoken``.

    Counts are the SDK tokenizer's; its own loader imports the whole SDK and keeps a reverse
    vocabulary for decoding, which counting needs neither of (about 40 MB less).
    """

    def __init__(self, vocabulary: Path) -> None:
        import tiktoken

        ranks = {base64.b64decode(token): int(rank)
                 for token, rank in (line.split() for line in vocabulary.read_bytes().splitlines() if line)}
        special = {token: QWEN_SPECIAL_START + i for i, token in enumerate(QWEN_SPECIAL_TOKENS)}
        self._encoding = tiktoken.Encoding("Qwen", pat_str=QWEN_PATTERN, mergeable_ranks=ranks,
                                           special_tokens=special)

    @staticmethod
    def bundled() -> QwenEncoding | None:
        spec = importlib.util.find_spec("dashscope")
        for folder in (spec.submodule_search_locations or []) if spec else []:
            vocabulary = Path(folder) / "resources" / "qwen.tiktoken"
            if vocabulary.is_file():
                return QwenEncoding(vocabulary)
        return None

    def encode(self, text: str) -> list[int]:
        return self._encoding.encode(unicodedata.normalize("NFC", text), allowed_special="all")


class TokenCounter:
    """Counts tokens of text and messages; keyed message counts are kept in an LRU cache."""

    def __init__(self, *, cache_size: int = DEFAULT_CACHE_SIZE, use_tokenizer: bool = True) -> None:
        self._cache: OrderedDict[Hashable, int] = OrderedDict()
        self._cache_size = cache_size
        self._use_tokenizer = use_tokenizer
        self._tokenizer: Any = None
        self._loaded = False
        self._on_demand = True
        self._lock = threading.Lock()

    @property
    def exact(self) -> bool:
        """True when the Qwen tokenizer is in use rather than the heuristic."""
        return self._load() is not None

    @property
    def settled(self) -> bool:
        """True once counts no longer change: the tokenizer is loaded (or will never be)."""
        return self._loaded

    def load_in_background(self) -> None:
        """Never load the tokenizer on a counting call: count with the heuristic until
        ``preload`` (run on a background thread) has loaded it.

        Building the vocabulary holds the GIL for a few hundred milliseconds (tiktoken's
        constructor is one native call), so whichever thread loads it, the window stalls that
        long; the app chooses when. Counts made meanwhile are estimates and are not cached.
        """
        self._on_demand = False

    def preload(self) -> None:
        """Load the tokenizer now (seconds, once): meant for a background thread."""
        self._load(wait=True)

    def _load(self, wait: bool = False) -> Any:
        if self._loaded:
            return self._tokenizer
        if not wait and not self._on_demand:
            return None
        # a load under way on another thread is not waited for: estimate meanwhile
        if not self._lock.acquire(blocking=wait):
            return None
        try:
            if not self._loaded:
                self._tokenizer = self._open_tokenizer() if self._use_tokenizer else None
                self._loaded = True
        finally:
            self._lock.release()
        return self._tokenizer

    @staticmethod
    def _open_tokenizer() -> Any:
        try:
            bundled = QwenEncoding.bundled()
            if bundled is not None:
                return bundled
            from dashscope.tokenizers import get_tokenizer

            return get_tokenizer("qwen-turbo")
        except Exception as exc:  # noqa: BLE001 - any failure means: use the heuristic
            log.warning("Qwen tokenizer unavailable, estimating tokens instead: %s", exc)
            return None

    def count_text(self, text: str) -> int:
        if not text:
            return 0
        tokenizer = self._load()
        if tokenizer is None:
            return heuristic_tokens(text)
        try:
            return len(tokenizer.encode(text))
        except Exception:  # noqa: BLE001 - e.g. special-token text the encoder refuses
            return heuristic_tokens(text)

    def count_message(
        self,
        message: WireMessage,
        image_sizes: Sequence[tuple[int, int]] = (),
        *,
        key: Hashable | None = None,
        patch: int = 28,
    ) -> int:
        if key is not None:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        total = MESSAGE_OVERHEAD + self.count_text(message.content)
        total += sum(image_tokens(w, h, patch) for w, h in image_sizes)
        total += sum(self.count_text(c.name) + self.count_text(c.arguments) for c in message.tool_calls)
        if key is not None and self._loaded:
            self.remember(key, total)
        return total

    def count_messages(self, messages: Iterable[WireMessage]) -> int:
        return sum(self.count_message(m) for m in messages)

    def remember(self, key: Hashable, value: int) -> None:
        self._cache[key] = value
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def cached(self, key: Hashable) -> int | None:
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
        return found
