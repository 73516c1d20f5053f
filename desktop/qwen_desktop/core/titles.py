"""Local titles from the first message: cut at character and word boundaries, never bytes."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_WIDE = ("W", "F")


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in _WIDE else 1


def local_title(text: str, limit: int = 48) -> str:
    """First words of ``text``; ``limit`` counts wide (CJK) characters as two columns."""
    cleaned = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t ")
    flat = _SPACE.sub(" ", cleaned).strip().lstrip("#>*-` ").strip()
    if not flat:
        return ""
    out: list[str] = []
    used = 0
    for ch in flat:
        w = _width(ch)
        if used + w > limit:
            break
        out.append(ch)
        used += w
    title = "".join(out)
    if len(title) < len(flat):
        cut = title.rfind(" ")
        if cut > len(title) // 2:
            title = title[:cut]
        title = title.rstrip(" ,.;:，。、；：") + "…"
    return title
