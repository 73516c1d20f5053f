"""Splits a streaming Markdown reply into finished blocks and an unfinished tail.

A block is finished once nothing later can change how it renders (reference links aside, which
the final render fixes): when a blank line outside a code fence is followed by a line at the
margin, when a code fence opened at the margin closes, or after an ATX heading at the margin.
Each chunk costs O(chunk) plus the length of the last partial line.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^#{1,6}(\s|$)")


class BlockSplitter:
    def __init__(self) -> None:
        self._block: list[str] = []
        self._partial = ""
        self._fence: str | None = None
        self._fence_at_margin = False
        self._after_blank = False
        self._finished: list[str] = []

    @property
    def in_fence(self) -> bool:
        return self._fence is not None

    @property
    def tail(self) -> str:
        return "".join(self._block) + self._partial

    def feed(self, text: str) -> list[str]:
        """Add text; return the blocks it completed, in order."""
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        for line in lines:
            self._take_line(line + "\n")
        if self._partial and self._starts_new_block(self._partial):
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
