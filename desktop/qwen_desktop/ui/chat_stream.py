"""Splits a streaming Markdown reply into finished blocks and an unfinished tail.

A block is finished once a blank line outside a code fence is followed by a line that starts
at the margin: nothing later can change how that block renders (reference links aside, which
the final render fixes). Each chunk costs O(chunk) plus the length of the last partial line.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


class BlockSplitter:
    def __init__(self) -> None:
        self._block: list[str] = []
        self._partial = ""
        self._fence: str | None = None
        self._after_blank = False

    @property
    def tail(self) -> str:
        return "".join(self._block) + self._partial

    def feed(self, text: str) -> list[str]:
        """Add text; return the blocks it completed, in order."""
        finished: list[str] = []
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        for line in lines:
            block = self._take_line(line + "\n")
            if block is not None:
                finished.append(block)
        if self._partial and self._starts_new_block(self._partial):
            finished.append("".join(self._block))
            self._block = []
            self._after_blank = False
        return finished

    def _starts_new_block(self, line: str) -> bool:
        return self._fence is None and self._after_blank and bool(self._block) and not line[0].isspace()

    def _take_line(self, line: str) -> str | None:
        done: str | None = None
        if self._fence is not None:
            if self._closes_fence(line):
                self._fence = None
        elif not line.strip():
            self._after_blank = True
        else:
            if self._starts_new_block(line):
                done = "".join(self._block)
                self._block = []
            self._after_blank = False
            match = _FENCE.match(line)
            if match:
                self._fence = match.group(1)
        self._block.append(line)
        return done

    def _closes_fence(self, line: str) -> bool:
        assert self._fence is not None
        stripped = line.strip()
        marker = self._fence[0]
        return (
            len(line) - len(line.lstrip(" ")) <= 3
            and len(stripped) >= len(self._fence)
            and stripped == marker * len(stripped)
        )
