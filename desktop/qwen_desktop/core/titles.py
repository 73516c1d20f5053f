"""Local titles from the first message: cut at grapheme and word boundaries, never bytes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_SPACE = re.compile(r"\s+")
_WIDE = ("W", "F")
_ZWJ = "\u200d"
_KEPT_FORMAT = frozenset({"\u200c", _ZWJ})


def _is_tag(ch: str) -> bool:
    return 0xE0020 <= ord(ch) <= 0xE007F


def _is_regional_indicator(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _extends(ch: str) -> bool:
    """Characters that belong to the cluster before them: marks, selectors, skin tones, tags."""
    code = ord(ch)
    return (
        unicodedata.category(ch).startswith("M")
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF
        or _is_tag(ch)
        or ch in _KEPT_FORMAT
    )


def graphemes(text: str) -> Iterator[str]:
    """User-perceived characters: combining sequences, emoji ZWJ sequences and flags stay whole."""
    cluster = ""
    for ch in text:
        if cluster and (
            _extends(ch)
            or cluster.endswith(_ZWJ)
            or (_is_regional_indicator(ch) and _is_regional_indicator(cluster[-1])
                and sum(map(_is_regional_indicator, cluster)) % 2 == 1)
        ):
            cluster += ch
            continue
        if cluster:
            yield cluster
        cluster = ch
    if cluster:
        yield cluster


def _visible(ch: str) -> bool:
    """Drops control, surrogate, private and unassigned characters, and format characters such as
    bidi overrides, but keeps the joiners and tags emoji sequences are made of."""
    if ch in "\n\t " or ch in _KEPT_FORMAT or _is_tag(ch):
        return True
    return unicodedata.category(ch)[0] != "C"


def _width(cluster: str) -> int:
    return 2 if unicodedata.east_asian_width(cluster[0]) in _WIDE else 1


def local_title(text: str, limit: int = 48) -> str:
    """First words of ``text``; ``limit`` counts wide (CJK, emoji) characters as two columns."""
    cleaned = "".join(ch for ch in text if _visible(ch))
    flat = _SPACE.sub(" ", cleaned).strip().lstrip("#>*-` ").strip()
    if not flat:
        return ""
    out: list[str] = []
    used = 0
    for cluster in graphemes(flat):
        w = _width(cluster)
        if used + w > limit:
            break
        out.append(cluster)
        used += w
    title = "".join(out)
    if len(title) < len(flat):
        cut = title.rfind(" ")
        if cut > len(title) // 2:
            title = title[:cut]
        title = title.rstrip(" ,.;:，。、；：") + "…"
    return title
