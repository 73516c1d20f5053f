"""Continuing a reply that was cut off, so the new text joins the old seamlessly.

Model Studio's partial mode (documented at
https://www.alibabacloud.com/help/en/model-studio/partial-mode, read 2026-12-02) takes the cut-off
text as a final assistant message with ``"partial": true`` and generates only what follows it,
on the OpenAI-compatible and the DashScope protocol alike. It works for the Max, Plus, Flash,
Turbo, Coder and VL families and the open Qwen2.5/Qwen3 models, but not while thinking: such a
request goes out with thinking off. Thinking-only models (QwQ, QVQ, "-thinking" names) and
anything else get the old text as an ordinary assistant message and a request to carry on.
"""

from __future__ import annotations

import re

from .catalog import ModelInfo

_PREFIX_MODELS = re.compile(
    r"^(qwen[\d.]*-(max|plus|flash|turbo|math)"
    r"|qwen[\d.]*-?coder"
    r"|qwen[\d.]*-vl-(max|plus|flash)"
    r"|qwen(2\.5|3|3\.5|3\.6)-[\w.-]*\d+b[\w.-]*)"
)

CONTINUE_PROMPT = (
    "Your previous answer was cut off. Continue exactly where it stopped: do not repeat "
    "anything, do not add an introduction, start with the very next characters."
)


def supports_prefix(model: ModelInfo) -> bool:
    """Whether ``model`` can continue a prefix in partial mode (with thinking off)."""
    if model.thinking == "always" or "thinking" in model.name:
        return False
    return bool(_PREFIX_MODELS.match(model.name))

