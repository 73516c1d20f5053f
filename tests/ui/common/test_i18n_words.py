"""Wording checks on the translations that a reader noticed: distinct words for distinct buttons,
no English left in Chinese, no "(s)" plurals."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

I18N = Path(__file__).resolve().parents[3] / "resources" / "i18n"


def translations(language: str) -> dict[tuple[str, str], str]:
    tree = ET.parse(I18N / f"qwen_desktop_{language}.ts")
    found = {}
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message.findtext("translation") or ""
    return found


@pytest.mark.parametrize("language", ["zh_CN", "ja_JP"])
def test_more_and_details_read_differently(language: str) -> None:
    words = translations(language)
    more = {t for (_c, s), t in words.items() if s == "More"}
    details = {t for (_c, s), t in words.items() if s == "Details"}
    assert more and details and not more & details


def test_no_english_token_in_chinese() -> None:
    left = [t for t in translations("zh_CN").values() if re.search(r"\bTokens?\b", t)]
    assert left == []


@pytest.mark.parametrize("language", ["zh_CN", "ja_JP", None])
def test_no_parenthesised_plurals(language: str | None) -> None:
    if language is None:
        texts = [source for (_c, source) in translations("zh_CN")]
    else:
        texts = list(translations(language).values())
    assert [t for t in texts if "(s)" in t] == []
