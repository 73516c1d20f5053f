"""Checking and installing a catalog file, so model knowledge can be updated without a release."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

from ..catalog import CatalogError, ModelInfo

INSTALLED_NAME = "catalog.json"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REQUIRED = ("name", "context_window", "max_input", "max_output", "thinking", "vision")
_PRICES = ("price_input", "price_output", "price_thinking_output", "price_cached_input",
           "price_cache_creation", "price_explicit_cached")


def _entry(raw: Any, index: int) -> ModelInfo:
    if not isinstance(raw, dict):
        raise CatalogError(f"Entry {index + 1} of the catalog is not an object.")
    name = raw.get("name")
    label = f"the entry for {name}" if isinstance(name, str) and name else f"entry {index + 1}"
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise CatalogError(f"In the catalog, {label} lacks {', '.join(missing)}.")
    for key in ("context_window", "max_input", "max_output"):
        if not isinstance(raw[key], int) or isinstance(raw[key], bool) or raw[key] <= 0:
            raise CatalogError(f"In the catalog, {label} has a {key} that is not a positive whole number.")
    if raw["max_input"] > raw["context_window"]:
        raise CatalogError(f"In the catalog, {label} has max_input larger than its context_window.")
    if raw["thinking"] not in ("optional", "always", "never"):
        raise CatalogError(f"In the catalog, {label} has thinking {raw['thinking']!r} "
                           "(use optional, always or never).")
    if raw.get("native_path", "text") not in ("text", "multimodal"):
        raise CatalogError(f"In the catalog, {label} has a native_path other than text or multimodal.")
    for key in _PRICES:
        value = raw.get(key)
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0):
            raise CatalogError(f"In the catalog, {label} has a {key} that is not a price.")
    data = {"display_name": name, "family": "", "max_reasoning": None, "thinking_default": False, **raw}
    types = {f.name for f in fields(ModelInfo)}
    try:
        return ModelInfo.from_json({k: v for k, v in data.items() if k in types})
    except TypeError as exc:
        raise CatalogError(f"In the catalog, {label} cannot be read: {exc}.") from None


def validate(text: str) -> tuple[str, list[ModelInfo]]:
    """The catalog's date and models; raises CatalogError with one sentence when it is unusable."""
    try:
        data = json.loads(text)
    except ValueError:
        raise CatalogError("The catalog file is not valid JSON.") from None
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise CatalogError("The catalog file has no list of models.")
    date = data.get("date")
    if not isinstance(date, str) or not _DATE_RE.match(date):
        raise CatalogError("The catalog file has no date (YYYY-MM-DD) saying when it was compiled.")
    models = [_entry(raw, i) for i, raw in enumerate(data["models"])]
    if not models:
        raise CatalogError("The catalog file lists no models.")
    names = [m.name for m in models]
    if len(set(names)) != len(names):
        raise CatalogError("The catalog file lists a model twice.")
    return date, models


def install(source: Path, data_dir: Path, bundled_date: str) -> tuple[str, int]:
    """Validate ``source`` and install it in the data folder; returns (date, model count).

    A broken file, or one older than the bundled catalog, is refused and the current one kept.
    """
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"The catalog file cannot be read: {getattr(exc, 'strerror', None) or exc}.") from None
    date, models = validate(text)
    if date < bundled_date:
        raise CatalogError(f"That catalog ({date}) is older than the one built into the app ({bundled_date}).")
    target = data_dir / INSTALLED_NAME
    from ..files import write_atomically

    write_atomically(target, text.encode("utf-8"))
    return date, len(models)
