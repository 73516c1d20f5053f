"""What the simulated service bills for an image, by the rule Model Studio's vision guide states
(help.aliyun.com/zh/model-studio/vision, 2025): each side rounded to a multiple of the model's
patch (32 px for Qwen3-VL, 28 px before it), the image scaled into [4, cap] patches (cap 1,280
patches of 28 px, 2,560 of 32 px unless ``vl_high_resolution_images``, then 16,384), one token
per patch, and two tokens around it. Written apart from the app's counting so a test compares
two readings of the rule, not one with itself."""

from __future__ import annotations

import base64
import binascii
import io
import math

from PIL import Image, UnidentifiedImageError

HIGH_RESOLUTION_CAP = 16_384
WRAPPER_TOKENS = 2


def patch_of(model: str) -> int:
    return 32 if model.startswith("qwen3-vl") else 28


def pixel_size(ref: str) -> tuple[int, int] | None:
    """Width and height of a base64 data URL's image; None for anything else (a URL, oss://, junk)."""
    if not ref.startswith("data:") or "," not in ref:
        return None
    try:
        with Image.open(io.BytesIO(base64.b64decode(ref.split(",", 1)[1]))) as image:
            return image.width, image.height
    except (binascii.Error, UnidentifiedImageError, OSError, ValueError):
        return None


def billed_tokens(ref: str, model: str, high_resolution: bool = False) -> int | None:
    size = pixel_size(ref)
    if size is None:
        return None
    width, height = size
    patch = patch_of(model)
    cap = HIGH_RESOLUTION_CAP if high_resolution else (2_560 if patch == 32 else 1_280)
    low, high = 4 * patch * patch, cap * patch * patch
    rows, columns = round(height / patch) * patch, round(width / patch) * patch
    if rows * columns > high:
        scale = math.sqrt(width * height / high)
        rows, columns = math.floor(height / scale / patch) * patch, math.floor(width / scale / patch) * patch
    elif rows * columns < low:
        scale = math.sqrt(low / (width * height))
        rows, columns = math.ceil(height * scale / patch) * patch, math.ceil(width * scale / patch) * patch
    return max(rows, patch) * max(columns, patch) // (patch * patch) + WRAPPER_TOKENS
