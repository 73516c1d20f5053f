"""User settings kept as a small, human-editable JSON file in the data directory."""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from qwen_desktop.core.errors import ConfigError
from qwen_desktop.core.files import FileRefusedError, read_bounded, write_atomically
from qwen_desktop.core.redact import contains_secret
from qwen_desktop.core.regions import has_user_info, without_user_info
from qwen_desktop.core.types import (
    ContextPolicy,
    ConversationSettings,
    Protocol,
    SearchMode,
    ThinkingMode,
)

log = logging.getLogger(__name__)

THEMES = ("system", "light", "dark")
SEND_WITH = ("enter", "ctrl_enter")
LANGUAGES = ("system", "en", "zh_CN", "ja_JP")
MAX_CONFIG_BYTES = 4 * 1024 * 1024
MIN_FONT, MAX_FONT = 7, 28


@dataclass
class AppConfig:
    default_region: str = "intl"
    default_protocol: Protocol = Protocol.OPENAI
    default_model: str = "qwen-plus"
    default_thinking: ThinkingMode = ThinkingMode.OFF
    default_thinking_budget: int | None = None
    default_context_policy: ContextPolicy = ContextPolicy.FULL
    default_context_params: dict[str, Any] = field(default_factory=dict)
    default_search: SearchMode = SearchMode.OFF
    theme: str = "system"
    send_with: str = "enter"
    language: str = "system"
    custom_regions: list[dict[str, str]] = field(default_factory=list)
    read_timeout_s: float = 60
    font_size: int | None = None
    """Points for the whole window (zoom); None follows the system."""
    keep_in_tray: bool = False
    """Closing the window hides it to the tray, so replies finish in the background."""
    trash_days: int = 30
    """Deleted conversations and messages are purged for good after this many days."""
    idle_timeout_s: float = 120
    """A reply that sends nothing new (no text, usage or finish) for this long is given up."""
    total_timeout_s: float = 1800
    """The longest one reply may take from the request to its end."""
    extra: dict[str, Any] = field(default_factory=dict)

    def default_settings(self) -> ConversationSettings:
        return ConversationSettings(
            region_id=self.default_region,
            protocol=self.default_protocol,
            model=self.default_model,
            thinking=self.default_thinking,
            thinking_budget=self.default_thinking_budget,
            context_policy=self.default_context_policy,
            context_params=dict(self.default_context_params),
            search=self.default_search,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "default_region": self.default_region,
            "default_protocol": self.default_protocol.value,
            "default_model": self.default_model,
            "default_thinking": self.default_thinking.value,
            "default_thinking_budget": self.default_thinking_budget,
            "default_context_policy": self.default_context_policy.value,
            "default_context_params": dict(self.default_context_params),
            "default_search": self.default_search.value,
            "theme": self.theme,
            "send_with": self.send_with,
            "language": self.language,
            "custom_regions": [dict(region) for region in self.custom_regions],
            "read_timeout_s": self.read_timeout_s,
            "font_size": self.font_size,
            "keep_in_tray": self.keep_in_tray,
            "trash_days": self.trash_days,
            "idle_timeout_s": self.idle_timeout_s,
            "total_timeout_s": self.total_timeout_s,
        }
        for key, value in self.extra.items():
            data.setdefault(key, value)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> tuple[AppConfig, list[str]]:
        """Build a config from parsed JSON; bad values fall back to defaults with a warning each."""
        default = cls()
        known = {f.name for f in fields(cls)} - {"extra"}
        warnings: list[str] = []

        def pick(key: str, convert: Any, allowed: tuple[str, ...] | None = None) -> Any:
            if key not in data:
                return getattr(default, key)
            try:
                value = convert(data[key])
                if allowed is not None and value not in allowed:
                    raise ValueError(value)
            except (TypeError, ValueError):
                shown = without_user_info(repr(data[key]))
                warnings.append(f"Ignored the setting {key}={shown}: it is not valid.")
                return getattr(default, key)
            return value

        cfg = cls(
            default_region=pick("default_region", _text),
            default_protocol=pick("default_protocol", Protocol),
            default_model=pick("default_model", _text),
            default_thinking=pick("default_thinking", ThinkingMode),
            default_thinking_budget=pick("default_thinking_budget", _optional_positive_int),
            default_context_policy=pick("default_context_policy", ContextPolicy),
            default_context_params=pick("default_context_params", _dict),
            default_search=pick("default_search", SearchMode),
            theme=pick("theme", str, THEMES),
            send_with=pick("send_with", str, SEND_WITH),
            language=pick("language", str, LANGUAGES),
            custom_regions=pick("custom_regions", lambda value: _region_list(value, warnings)),
            read_timeout_s=pick("read_timeout_s", _positive_number),
            font_size=pick("font_size", _font_size),
            keep_in_tray=pick("keep_in_tray", _flag),
            trash_days=pick("trash_days", _days),
            idle_timeout_s=pick("idle_timeout_s", _positive_number),
            total_timeout_s=pick("total_timeout_s", _positive_number),
            extra={k: v for k, v in data.items() if k not in known},
        )
        return cfg, warnings


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(value)
    return value.strip()


def _optional_positive_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(value)
    return value


def _font_size(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_FONT <= value <= MAX_FONT:
        raise ValueError(value)
    return value


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3650:
        raise ValueError(value)
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(value)
    return value


def _positive_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(value)
    return value


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(value)
    return dict(value)


def _region_list(value: Any, warnings: list[str]) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise ValueError("custom_regions")
    regions = []
    for item in value:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("id", "name", "base_url")):
            raise ValueError("custom_regions")
        if has_user_info(item["base_url"]):
            warnings.append(
                f"Ignored the custom region {item['id']!r}: its address holds a user name or "
                "password, which is not kept in the settings file."
            )
            continue
        regions.append({"id": item["id"], "name": item["name"], "base_url": item["base_url"]})
    return regions


def load_config(path: Path) -> AppConfig:
    """Read the config; problems are logged and never stop the app from starting."""
    return load_config_with_warnings(path)[0]


def load_config_with_warnings(path: Path) -> tuple[AppConfig, list[str]]:
    """Read the config and return the warnings worth showing to the user (they are also logged).

    A missing file gives defaults; a file that is not a JSON object is moved aside as
    ``config.json.broken-<timestamp>`` so the user's edits are not lost, and defaults are used.
    """
    path = Path(path)
    try:
        raw = read_bounded(path, MAX_CONFIG_BYTES)
    except FileRefusedError as exc:
        if not path.exists() and not path.is_symlink():
            return AppConfig(), []
        return AppConfig(), _warn([f"Could not read the settings file {path}: it {exc.reason} Using defaults."])
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("the top level is not an object")
    except ValueError as exc:
        return AppConfig(), _warn([_move_aside(path, exc)])
    cfg, warnings = AppConfig.from_json(data)
    return cfg, _warn(warnings)


def _move_aside(path: Path, problem: Exception) -> str:
    broken = path.with_name(f"{path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        os.replace(path, broken)
    except OSError as exc:
        return f"The settings file is not valid ({problem}) and could not be moved aside ({exc}): using defaults."
    return f"The settings file was not valid ({problem}); it was moved to {broken.name} and defaults are used."


def _warn(warnings: list[str]) -> list[str]:
    for warning in warnings:
        log.warning(warning)
    return warnings


def save_config(path: Path, cfg: AppConfig) -> None:
    """Write the config atomically. Refuses to write anything shaped like an API key."""
    path = Path(path)
    text = json.dumps(cfg.to_json(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if contains_secret(text):
        raise ConfigError("The settings contain something shaped like an API key, so they were not saved.")
    if any(has_user_info(str(region.get("base_url", ""))) for region in cfg.custom_regions):
        raise ConfigError(
            "A custom region's address holds a user name or password, so the settings were not saved."
        )
    write_atomically(path, text.encode("utf-8"))
