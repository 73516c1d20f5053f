"""Model behaviours of the 2026 service, for the simulator.

Model Studio now serves models whose behaviour no name reveals: unified text+image+video models
served only on the native multimodal path, thinking-only flagships, models that think unless told
not to, per-model thinking-budget caps and input windows. The simulator answers each of them the
way the service does, with the service's own messages:

* native text path for a unified model: HTTP 400 ``InvalidParameter``
  "url error, please check url！ For details, see: …#error-url" (agentscope #1295, #1394;
  spring-ai-alibaba #4355; note the full-width exclamation mark);
* ``enable_thinking: false`` to a thinking-only model: "The value of the enable_thinking parameter
  is restricted to True." (Model Studio error-code page, Dec 2025);
* a budget over the cap: "The thinking_budget parameter must be a positive integer and not greater
  than N" (error-code page; Qwen-Agent PR #942 shows the compatible-mode prefix);
* input over the window: "Range of input length should be [1, N]";
* an image sent to a text-only model: no public sample of this message was found, so the wording
  here is the simulator's own (the client matches on "image" in a 400, not on this sentence).

It also lists models: ``GET {base}/compatible-mode/v1/models`` answers ``{"object": "list",
"data": [{"id", "object": "model", "created", "owned_by"}]}`` (OpenAI shape, ids only), or 404 for a
region set up like a workspace-dedicated domain that does not serve the listing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

URL_ERROR = (
    "url error, please check url\uff01 For details, see: "
    "https://help.aliyun.com/zh/model-studio/error-code#error-url"
)
THINKING_ONLY = "The value of the enable_thinking parameter is restricted to True."
BUDGET_CAP = "The thinking_budget parameter must be a positive integer and not greater than {cap}"
INPUT_RANGE = "Range of input length should be [1, {limit}]"
NO_IMAGES = "The model does not accept image input."


@dataclass(frozen=True)
class ModelProfile:
    """How one model behaves. ``native_path`` None accepts either native path."""

    native_path: str | None = None
    thinking: str = "optional"  # optional | always | never
    thinks_by_default: bool = False
    budget_cap: int | None = None
    vision: bool = True
    input_limit: int | None = None


# Names the bundled catalog does not describe, each showing one of the newer behaviours.
PROFILES: dict[str, ModelProfile] = {
    # A unified model: multimodal path only, thinks by default, budget capped.
    "qwen3.9-plus": ModelProfile(native_path="multimodal", thinks_by_default=True, budget_cap=81_920),
    # A thinking-only flagship: rejects enable_thinking:false; budget capped lower.
    "qwen3.9-max": ModelProfile(thinking="always", budget_cap=32_768, vision=False),
    # A dated snapshot with a small window.
    "qwen3.9-flash-2026-11-20": ModelProfile(native_path="text", input_limit=60, vision=False),
    # An older text model that refuses images.
    "qwen-legacy-turbo": ModelProfile(native_path="text", vision=False),
    # A unified model whose name does not say so: the native text path answers "url error".
    "qwen3-unified-plus": ModelProfile(native_path="multimodal"),
    # Catalogued as never thinking, but this release thinks unless told not to.
    "qwen3-coder-plus": ModelProfile(thinks_by_default=True, vision=False),
}

LISTED: tuple[str, ...] = (
    "qwen-plus", "qwen-flash", "qwen3-max", "qwen3.5-plus", "qwen3.6-plus", "qwen3-vl-plus",
    "qwq-plus", "text-embedding-v4", *PROFILES,
)


def profile(model: str) -> ModelProfile | None:
    return PROFILES.get(model)


def _has_images(messages: list[dict]) -> bool:
    for message in messages:
        content = message.get("content")
        if isinstance(content, list) and any(
            isinstance(part, dict) and ("image" in part or part.get("type") == "image_url")
            for part in content
        ):
            return True
    return False


def check(
    model: str, native_path: str | None, params: dict, messages: Any, input_units: int,
) -> tuple[str, str] | None:
    """The service's refusal of this request as ``(kind, message)``, or None when it is served.

    ``native_path`` is "text" or "multimodal" for native calls, None for compatible mode. Checks
    run in the service's apparent order: path, thinking flag, budget, images, input length.
    """
    found = profile(model)
    if found is None:
        return None
    if native_path is not None and found.native_path not in (None, native_path):
        return "url", URL_ERROR
    if found.thinking == "always" and params.get("enable_thinking") is False:
        return "thinking", THINKING_ONLY
    budget = params.get("thinking_budget")
    if found.budget_cap is not None and isinstance(budget, int) and budget > found.budget_cap:
        return "budget", BUDGET_CAP.format(cap=found.budget_cap)
    if not found.vision and isinstance(messages, list) and _has_images(messages):
        return "images", NO_IMAGES
    if found.input_limit is not None and input_units > found.input_limit:
        return "input", INPUT_RANGE.format(limit=found.input_limit)
    return None


def thinks(model: str, params: dict) -> bool | None:
    """Whether the model thinks for these parameters; None leaves it to the simulator's rules."""
    found = profile(model)
    if found is None:
        return None
    if found.thinking == "always":
        return True
    if found.thinking == "never":
        return False
    flag = params.get("enable_thinking")
    return found.thinks_by_default if flag is None else flag is True


EXPLICIT_CACHE_MIN = 1024
"""Explicit caching needs at least 1,024 tokens before the marker (context-cache page)."""


def explicit_prefix(messages: list[dict], units_of: Any) -> int:
    """Prompt units up to the end of the last message carrying a ``cache_control`` marker."""
    last = -1
    for i, message in enumerate(messages):
        content = message.get("content")
        if isinstance(content, list) and any(
            isinstance(part, dict) and part.get("cache_control") for part in content
        ):
            last = i
    return len(units_of(messages[: last + 1])) if last >= 0 else 0


def model_list(ids: list[str] | tuple[str, ...]) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [
            {"id": model_id, "object": "model", "created": 1_764_547_200, "owned_by": "system"}
            for model_id in ids
        ],
    }
