from __future__ import annotations

import pytest

from qwen_desktop.core.errors import ConfigError
from qwen_desktop.core.regions import BUILTIN_IDS, Region, RegionRegistry, normalize_base_url


def test_builtin_regions() -> None:
    registry = RegionRegistry()
    assert [r.id for r in registry.all()] == ["intl", "cn", "us", "hk"]
    intl = registry.get("intl")
    assert intl.name == "Singapore"
    assert intl.compatible_url == "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"
    assert intl.native_url == "https://dashscope-intl.aliyuncs.com/api/v1"
    assert intl.counterpart == "cn" and registry.get("cn").counterpart == "intl"
    assert registry.get("cn").base_url == "https://dashscope.aliyuncs.com"
    assert registry.get("us").base_url == "https://dashscope-us.aliyuncs.com"
    assert registry.get("hk").base_url == "https://cn-hongkong.dashscope.aliyuncs.com"
    assert "bailian.console.aliyun.com" in registry.get("cn").key_page
    assert all(r.key_page and r.key_page.startswith("https://") for r in registry.all())
    assert all(r.builtin for r in registry.all())


def test_unknown_region_is_a_sentence() -> None:
    with pytest.raises(ConfigError, match="no region called 'mars'"):
        RegionRegistry().get("mars")


def test_overrides_point_builtins_elsewhere() -> None:
    registry = RegionRegistry(overrides={"intl": "http://127.0.0.1:8123/compatible-mode/v1/"})
    intl = registry.get("intl")
    assert intl.base_url == "http://127.0.0.1:8123"
    assert intl.compatible_url == "http://127.0.0.1:8123/compatible-mode/v1"
    assert intl.builtin and intl.counterpart == "cn"
    assert registry.get("cn").base_url == "https://dashscope.aliyuncs.com"


def test_custom_regions() -> None:
    registry = RegionRegistry(custom=[Region("gw", "Gateway", "https://gw.example.com/")])
    assert registry.get("gw").base_url == "https://gw.example.com"
    region, warnings = registry.add_custom("proxy-1", "Proxy", "https://proxy.example.com/api/v1")
    assert region.base_url == "https://proxy.example.com" and not region.builtin
    assert warnings and "/api/v1" in warnings[0]
    assert [r.id for r in registry.custom()] == ["gw", "proxy-1"]
    registry.remove_custom("gw")
    assert "gw" not in registry
    with pytest.raises(ConfigError):
        registry.remove_custom("gw")


@pytest.mark.parametrize("region_id", sorted(BUILTIN_IDS))
def test_builtins_cannot_be_removed_or_shadowed(region_id: str) -> None:
    registry = RegionRegistry()
    with pytest.raises(ConfigError, match="cannot be removed"):
        registry.remove_custom(region_id)
    with pytest.raises(ConfigError, match="built-in"):
        registry.add_custom(region_id, "Mine", "https://example.com")


@pytest.mark.parametrize("region_id", ["", "Upper", "with space", "x" * 33, "under_score", "dot.id"])
def test_bad_custom_ids(region_id: str) -> None:
    with pytest.raises(ConfigError):
        RegionRegistry().add_custom(region_id, "x", "https://example.com")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com", "https://example.com"),
        ("https://example.com/", "https://example.com"),
        ("  https://example.com/prefix/  ", "https://example.com/prefix"),
        ("HTTPS://example.com", "https://example.com"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://[::1]:9/", "http://[::1]:9"),
    ],
)
def test_normalize_base_url(url: str, expected: str) -> None:
    assert normalize_base_url(url) == (expected, [])


@pytest.mark.parametrize("suffix", ["/compatible-mode/v1", "/compatible-mode/v1/", "/api/v1", "/api/v1/"])
def test_normalize_strips_protocol_path_with_warning(suffix: str) -> None:
    normalized, warnings = normalize_base_url("https://gw.example.com/qwen" + suffix)
    assert normalized == "https://gw.example.com/qwen"
    assert len(warnings) == 1 and "Removed" in warnings[0]


def test_plain_http_warns_off_loopback() -> None:
    normalized, warnings = normalize_base_url("http://gw.example.com")
    assert normalized == "http://gw.example.com"
    assert any("unencrypted" in w for w in warnings)
    assert normalize_base_url("http://127.0.0.5:1234")[1] == []


@pytest.mark.parametrize("url", ["", "example.com", "ftp://example.com", "https://", "file:///etc/passwd", "http:///x"])
def test_invalid_urls(url: str) -> None:
    with pytest.raises(ConfigError, match="not valid"):
        normalize_base_url(url)
