"""Text preparation for full-text search.

SQLite's unicode61 tokenizer treats a run of Han or Kana characters as one token, so a
two-character word inside a Chinese sentence would never match, and the trigram tokenizer
needs at least three characters. Both the indexed copy and the query therefore put spaces
around every CJK character: each one becomes a token, and a word becomes a phrase of
consecutive tokens, which matches anywhere inside a sentence.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK_RANGES = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fdf"  # CJK and Kangxi radicals
    "\u3005-\u3007\u3021-\u3029\u3038-\u303b"
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff\u31f0-\u31ff"  # Katakana
    "\u3130-\u318f"  # Hangul compatibility Jamo
    "\u3400-\u4dbf\u4e00-\u9fff"  # Han
    "\ua960-\ua97f\uac00-\ud7ff"  # Hangul
    "\uf900-\ufaff"  # Han compatibility
    "\uff66-\uff9f"  # half-width Katakana
    "\U00020000-\U0003134f"  # Han extensions
)
_CJK = re.compile(f"[{_CJK_RANGES}]")
_WORD = f"[^\\W_{_CJK_RANGES}]"
_TOKEN = re.compile(f"[{_CJK_RANGES}]|{_WORD}+")
_SEPARATORS = r"[\W_]*"


def segment(text: str) -> str:
    """The copy of ``text`` that goes into the index: CJK characters spaced apart."""
    return _CJK.sub(r" \g<0> ", text)


MAX_QUERY_CHARS = 256
MAX_TERMS = 12
"""What a search looks for is bounded: a pasted essay or a word typed 200 times costs no more than
a dozen distinct words (each term is a regex alternative run over every matching message)."""


def _chunks(query: str) -> list[list[str]]:
    """Distinct pieces of the query, at most MAX_TERMS of them, from its first MAX_QUERY_CHARS."""
    seen: set[tuple[str, ...]] = set()
    chunks = []
    head = query[:MAX_QUERY_CHARS]
    if len(query) > MAX_QUERY_CHARS and not query[MAX_QUERY_CHARS].isspace() and len(head.split()) > 1:
        head = head.rsplit(maxsplit=1)[0]  # not a word cut in half
    for chunk in head.split():
        tokens = _TOKEN.findall(chunk)
        key = tuple(t.casefold() for t in tokens)
        if tokens and key not in seen:
            seen.add(key)
            chunks.append(tokens)
            if len(chunks) == MAX_TERMS:
                break
    return chunks


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression for what a user typed, or None if it has nothing to look for.

    Every whitespace-separated piece becomes a quoted phrase (so operators and punctuation
    are plain text) and all pieces must match. A piece ending in a non-CJK word is a prefix.
    """
    phrases = []
    for tokens in _chunks(query):
        body = " ".join(tokens).replace('"', '""')
        prefix = "" if _CJK.fullmatch(tokens[-1]) else "*"
        phrases.append(f'"{body}"{prefix}')
    return " ".join(phrases) or None


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return base if len(base) == 1 else char


def _fold(text: str) -> str:
    """Strip diacritics without changing the length, so offsets stay valid."""
    if text.isascii():
        return text
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=256)
def _pattern(query: str) -> re.Pattern[str] | None:
    alternatives = []
    for tokens in _chunks(_fold(query)):
        parts = [re.escape(t) for t in tokens]
        head = "" if _CJK.fullmatch(tokens[0]) else f"(?<!{_WORD})"
        tail = "" if _CJK.fullmatch(tokens[-1]) else f"{_WORD}*"
        alternatives.append(head + _SEPARATORS.join(parts) + tail)
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


LOCATE_CHARS = 200_000
"""A snippet is looked for in the start of a message only; a match further in shows the start."""


def locate(text: str, query: str) -> tuple[int, int] | None:
    """Where the first match of ``query`` is in ``text``, ignoring case and diacritics."""
    pattern = _pattern(query)
    if pattern is None:
        return None
    text = text[:LOCATE_CHARS]
    found = pattern.search(text) or pattern.search(_fold(text))
    return found.span() if found else None


def _flatten(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def snippet(text: str, span: tuple[int, int] | None, width: int = 80) -> tuple[str, int, int]:
    """About ``width`` characters of ``text`` around ``span``, with the span's new offsets."""
    start, end = span or (0, 0)
    end = min(end, start + width)
    lead = max(0, (width - (end - start)) // 3)
    left = max(0, start - lead)
    right = min(len(text), max(end, left + width))
    left = max(0, min(left, right - width))
    before = ("…" if left > 0 else "") + _flatten(text[left:start]).lstrip()
    middle = _flatten(text[start:end])
    after = _flatten(text[end:right]).rstrip() + ("…" if right < len(text) else "")
    return before + middle + after, len(before), len(before) + len(middle)
