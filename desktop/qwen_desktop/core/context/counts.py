"""Token counts of history items, cached by message id so long conversations recount only new text."""

from __future__ import annotations

from ..tokens import TokenCounter, data_url_size, image_tokens
from ..types import WireMessage
from .history import HistoryItem

UNKNOWN_IMAGE_SIZE = (1024, 1024)


class MessageCounts:
    def __init__(self, counter: TokenCounter, patch: int = 28) -> None:
        self.counter = counter
        self.patch = patch
        self._memo: dict[int, tuple[tuple[int, int, int], int]] = {}

    def _sizes(self, images: tuple[str, ...]) -> list[tuple[int, int]]:
        return [data_url_size(url) or UNKNOWN_IMAGE_SIZE for url in images]

    def _item_sizes(self, item: HistoryItem) -> list[tuple[int, int]]:
        return list(item.image_sizes) if item.image_sizes else self._sizes(item.images)

    def item(self, item: HistoryItem) -> int:
        shape = (len(item.content), len(item.images) or len(item.image_sizes), item.extra_tokens)
        memo = self._memo.get(item.message_id)
        if memo is not None and memo[0] == shape:
            return memo[1]
        key = ("item", item.message_id, *shape, self.patch)
        found = self.counter.cached(key)
        if found is None:
            message = WireMessage(item.role, item.content, tool_calls=item.tool_calls)
            found = self.counter.count_message(message, self._item_sizes(item), patch=self.patch)
            found += item.extra_tokens
            if self.counter.settled:
                self.counter.remember(key, found)
        if self.counter.settled:  # an estimate made while the tokenizer loads is not kept
            self._memo[item.message_id] = (shape, found)
        return found

    def images(self, item: HistoryItem) -> int:
        if not item.images and not item.image_sizes:
            return 0
        key = ("images", item.message_id, len(item.images) or len(item.image_sizes), self.patch)
        found = self.counter.cached(key)
        if found is None:
            found = sum(image_tokens(w, h, self.patch) for w, h in self._item_sizes(item))
            self.counter.remember(key, found)
        return found

    def message(self, message: WireMessage) -> int:
        return self.counter.count_message(message, self._sizes(message.images), patch=self.patch)
