"""Splits a streaming Markdown reply into finished blocks and an unfinished tail.

A block is finished once nothing later can change how it renders (reference links aside, which
the final render fixes): when a blank line outside a code fence is followed by a line at the
margin, when a code fence opened at the margin closes, or after an ATX heading at the margin.
Each chunk costs O(chunk); a line is split off once, when its line break arrives.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^#{1,6}(\s|$)")


_FENCE_LINE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[^\n]*\n", re.MULTILINE)
_FENCE_START = re.compile(r"(?:^|\n) {0,3}(?:`+|~+)[\w+#.-]*$")


def without_fence_markers(tail: str) -> str:
    """The live tail as shown: code fence lines and a line that may still become one are left
    out; the block is rendered with its code header once it is complete."""
    if "`" not in tail and "~" not in tail:
        return tail
    return _FENCE_START.sub("", _FENCE_LINE.sub("", tail))


class BlockSplitter:
    def __init__(self) -> None:
        self._block: list[str] = []
        self._partial: list[str] = []
        self._fence: str | None = None
        self._fence_at_margin = False
        self._after_blank = False
        self._finished: list[str] = []

    @property
    def in_fence(self) -> bool:
        return self._fence is not None

    @property
    def tail(self) -> str:
        return "".join(self._block) + "".join(self._partial)

    @property
    def partial_may_open_fence(self) -> bool:
        """The unfinished line could still become a code fence (it starts with ` or ~)."""
        return bool(self._partial) and self._partial[0].lstrip(" ")[:1] in ("`", "~")

    def feed(self, text: str) -> list[str]:
        """Add text; return the blocks it completed, in order."""
        if "\n" in text:
            lines = ("".join(self._partial) + text).split("\n")
            last = lines.pop()
            self._partial = [last] if last else []
            for line in lines:
                self._take_line(line + "\n")
        elif text:
            self._partial.append(text)
        if self._partial and self._starts_new_block(self._partial[0]):
            self._finish()
        finished, self._finished = self._finished, []
        return finished

    def _take_line(self, line: str) -> None:
        if self._fence is not None:
            self._block.append(line)
            if self._closes_fence(line):
                self._fence = None
                if self._fence_at_margin:
                    self._finish()
            return
        if not line.strip():
            self._after_blank = True
            self._block.append(line)
            return
        if self._starts_new_block(line):
            self._finish()
        self._block.append(line)
        match = _FENCE.match(line)
        if match:
            self._fence = match.group(1)
            self._fence_at_margin = not line[0].isspace()
        elif _HEADING.match(line):
            self._finish()

    def _starts_new_block(self, line: str) -> bool:
        return self._fence is None and self._after_blank and bool(self._block) and not line[0].isspace()

    def _finish(self) -> None:
        block = "".join(self._block)
        self._after_blank = False
        if block.strip():
            self._finished.append(block)
            self._block = []

    def _closes_fence(self, line: str) -> bool:
        assert self._fence is not None
        stripped = line.strip()
        return (
            len(line) - len(line.lstrip(" ")) <= 3
            and len(stripped) >= len(self._fence)
            and stripped == self._fence[0] * len(stripped)
        )


LIVE_PARAGRAPH_CHARS = 1_200
"""Streamed text longer than this without a line break is shown continued in a new paragraph:
Qt lays a paragraph out again whole on every append, so an unbroken wall of text would cost
more with every chunk. The finished message is shown with its paragraphs as written."""

_SENTENCE_END = re.compile(r"[.!?](?=\s)|[。！？]")
_SPACE = re.compile(r"\s")


def live_breaks(text: str, used: int, limit: int = LIVE_PARAGRAPH_CHARS) -> list[int]:
    """Offsets in ``text`` at which to start a new paragraph while it streams in.

    ``used`` is how many characters the paragraph being appended to already holds. Once a
    paragraph is two thirds full, it ends after the next sentence end; once it is full, after its
    last space, else (text with no spaces, such as Chinese or Japanese) between two non-ASCII
    characters, else after the next space. Existing line breaks count.
    """
    breaks: list[int] = []
    start = -used
    pos = 0
    soft = limit * 2 // 3
    while True:
        newline = text.find("\n", pos)
        end = len(text) if newline == -1 else newline
        while end - start > soft:
            cut = _cut(text, max(pos, start + soft), max(pos, start + limit), end)
            if cut is None:
                break
            breaks.append(cut)
            start = pos = cut
        if newline == -1:
            return breaks
        start = pos = newline + 1


def _cut(text: str, low: int, high: int, end: int) -> int | None:
    # The search stops one past ``high`` (the look-ahead needs that character): a paragraph with
    # no sentence end must not be scanned to its end at every cut, which made an unbroken
    # megabyte cost seconds.
    sentence = _SENTENCE_END.search(text, low, min(end, high + 1))
    if sentence is not None and sentence.end() <= high:
        after = sentence.end()
        return after + 1 if after < end and text[after].isspace() else after
    if end <= high:
        return None
    space = max(text.rfind(" ", low, high), text.rfind("\t", low, high))
    if space != -1:
        return space + 1
    if 0 < high < end and not text[high - 1].isascii() and not text[high].isascii():
        return high
    following = _SPACE.search(text, high, end)
    return following.end() if following is not None else None
