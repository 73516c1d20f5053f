from __future__ import annotations

import json
import logging
import stat
from pathlib import Path

import pytest

from qwen_desktop.core.config import AppConfig, load_config, load_config_with_warnings, save_config
from qwen_desktop.core.errors import ConfigError
from qwen_desktop.core.paths import config_path
from qwen_desktop.core.types import ContextPolicy, ConversationSettings, Protocol, ThinkingMode


def test_missing_file_gives_defaults(data_dir: Path) -> None:
    cfg = load_config(config_path(data_dir))
    assert cfg == AppConfig()
    assert (cfg.default_region, cfg.default_model, cfg.default_thinking) == ("intl", "qwen-plus", ThinkingMode.OFF)
    assert cfg.default_context_policy is ContextPolicy.FULL
    assert (cfg.theme, cfg.send_with, cfg.language, cfg.read_timeout_s) == ("system", "enter", "system", 60)


def test_round_trip_keeps_unknown_keys(data_dir: Path) -> None:
    path = config_path(data_dir)
    path.write_text(json.dumps({"theme": "dark", "future_setting": {"a": 1}}), encoding="utf-8")
    cfg = load_config(path)
    assert cfg.theme == "dark" and cfg.extra == {"future_setting": {"a": 1}}
    cfg.default_model = "qwen3-max"
    cfg.default_thinking = ThinkingMode.BUDGET
    cfg.default_thinking_budget = 2048
    cfg.custom_regions = [{"id": "gw", "name": "Gateway", "base_url": "https://gw.example.com"}]
    save_config(path, cfg)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["future_setting"] == {"a": 1}
    assert data["default_thinking"] == "budget"
    assert load_config(path) == cfg


def test_saved_file_is_readable_json_and_private(data_dir: Path) -> None:
    path = config_path(data_dir)
    save_config(path, AppConfig(language="zh_CN"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("{\n") and '"language": "zh_CN"' in text
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
    assert [p.name for p in data_dir.iterdir()] == ["config.json"]


def test_broken_json_is_moved_aside(data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = config_path(data_dir)
    path.write_text("{ not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        cfg, warnings = load_config_with_warnings(path)
    assert cfg == AppConfig()
    assert len(warnings) == 1 and "moved to config.json.broken-" in warnings[0]
    assert not path.exists()
    broken = list(data_dir.glob("config.json.broken-*"))
    assert len(broken) == 1 and broken[0].read_text(encoding="utf-8") == "{ not json"
    assert warnings[0] in caplog.text


@pytest.mark.parametrize("content", ["[1, 2]", "\"text\"", "\udcff"])
def test_not_an_object_is_moved_aside(data_dir: Path, content: str) -> None:
    path = config_path(data_dir)
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    assert load_config(path) == AppConfig()
    assert list(data_dir.glob("config.json.broken-*"))


def test_bad_values_fall_back_with_warnings(data_dir: Path) -> None:
    path = config_path(data_dir)
    path.write_text(
        json.dumps({"theme": "neon", "send_with": "shift", "default_protocol": "grpc", "read_timeout_s": -1,
                    "default_thinking_budget": "lots", "custom_regions": "nope", "language": "ja_JP"}),
        encoding="utf-8",
    )
    cfg, warnings = load_config_with_warnings(path)
    assert (cfg.theme, cfg.send_with, cfg.default_protocol) == ("system", "enter", Protocol.OPENAI)
    assert cfg.read_timeout_s == 60 and cfg.default_thinking_budget is None and cfg.custom_regions == []
    assert cfg.language == "ja_JP"
    assert len(warnings) == 6
    assert path.exists()


def test_save_refuses_anything_shaped_like_a_key(data_dir: Path) -> None:
    path = config_path(data_dir)
    cfg = AppConfig(extra={"note": "sk-abcdefghijklmnop1234"})
    with pytest.raises(ConfigError):
        save_config(path, cfg)
    assert not path.exists()
    cfg = AppConfig(custom_regions=[{"id": "gw", "name": "x", "base_url": "https://sk-0123456789abcdef.example.com"}])
    with pytest.raises(ConfigError):
        save_config(path, cfg)
    assert list(data_dir.iterdir()) == []


def test_default_settings() -> None:
    cfg = AppConfig(default_region="cn", default_protocol=Protocol.DASHSCOPE, default_model="qwq-plus",
                    default_thinking=ThinkingMode.ON, default_context_policy=ContextPolicy.LAST_N,
                    default_context_params={"n": 6})
    settings = cfg.default_settings()
    assert settings == ConversationSettings(region_id="cn", protocol=Protocol.DASHSCOPE, model="qwq-plus",
                                            thinking=ThinkingMode.ON, context_policy=ContextPolicy.LAST_N,
                                            context_params={"n": 6})
    settings.context_params["n"] = 1
    assert cfg.default_context_params == {"n": 6}


def test_font_size_and_tray_setting_round_trip_and_bad_values_fall_back(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    cfg = AppConfig(font_size=14, keep_in_tray=True)
    save_config(path, cfg)
    loaded = load_config(path)
    assert (loaded.font_size, loaded.keep_in_tray) == (14, True)
    path.write_text(json.dumps({"font_size": 400, "keep_in_tray": "yes"}))
    loaded, warnings = load_config_with_warnings(path)
    assert (loaded.font_size, loaded.keep_in_tray) == (None, False)
    assert len(warnings) == 2
