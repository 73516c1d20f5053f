from __future__ import annotations

import json
from importlib import resources

import pytest

from qwen_desktop.core.catalog import Catalog, ModelInfo, estimate_cost, guess_model, thinking_request
from qwen_desktop.core.types import ThinkingMode, Usage

REQUIRED = """
qwen3-max qwen3-max-preview qwen-max qwen-plus qwen-plus-latest qwen-flash qwen-turbo qwen-long
qwen3-coder-plus qwq-plus qwen3-235b-a22b qwen3-32b qwen3-30b-a3b qwen3-14b qwen3-8b qwen3-4b
qwen3-1.7b qwen3-0.6b qwen3-235b-a22b-thinking-2507 qwen3-235b-a22b-instruct-2507
qwen3-next-80b-a3b-thinking qwen3-vl-plus qwen3-vl-flash qwen-vl-max qwen-vl-plus qvq-max
""".split()
OPEN_QWEN3 = ["qwen3-235b-a22b", "qwen3-32b", "qwen3-30b-a3b", "qwen3-14b", "qwen3-8b", "qwen3-4b",
              "qwen3-1.7b", "qwen3-0.6b"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_every_required_model_is_listed(catalog: Catalog) -> None:
    assert set(REQUIRED) <= set(catalog.names())
    assert all(catalog.get(name).known for name in REQUIRED)


def test_entries_are_consistent(catalog: Catalog) -> None:
    raw = json.loads(resources.files("qwen_desktop.core").joinpath("catalog.json").read_text(encoding="utf-8"))
    assert len(raw["models"]) == len(catalog.all())
    for info in catalog.all():
        assert 0 < info.max_input <= info.context_window, info.name
        assert 0 < info.max_output < info.context_window, info.name
        assert info.thinking in ("optional", "always", "never")
        assert info.currency in ("USD", "CNY")
        thinks_first = info.name in OPEN_QWEN3 or info.family in ("qwen3.5", "qwen3.6", "qwen3.7", "qwen3.8")
        assert info.thinking_default == (info.thinking == "always") or thinks_first, info.name
        for price in (info.price_input, info.price_output, info.price_thinking_output, info.price_cached_input,
                      info.price_cache_creation, info.price_explicit_cached):
            assert price is None or price > 0
        if info.price_cached_input is not None:
            assert info.price_cached_input < info.price_input
        if info.price_cache_creation is not None:
            assert info.price_cache_creation == pytest.approx(info.price_input * 1.25)
        assert info.source and info.source_date[:4] in ("2025", "2026"), info.name
        assert info.native_path in ("text", "multimodal")
        assert info.native_path == "multimodal" or not info.vision, info.name
    assert catalog.date == raw["date"] >= "2026-12-01"


def test_known_figures(catalog: Catalog) -> None:
    plus = catalog.get("qwen-plus")
    assert (plus.context_window, plus.max_input, plus.max_output) == (1_000_000, 997_952, 32_768)
    assert (plus.price_input, plus.price_output, plus.price_thinking_output) == (0.4, 1.2, 4)
    assert (plus.thinking, plus.thinking_default, plus.vision) == ("optional", False, False)
    qwq = catalog.get("qwq-plus")
    assert (qwq.thinking, qwq.max_reasoning, qwq.stream_only) == ("always", 32_768, True)
    assert catalog.get("qwen-max").thinking == "never"
    assert catalog.get("qvq-max").vision and catalog.get("qvq-max").currency == "CNY"
    assert catalog.get("qwen3-1.7b").context_window == 32_768


@pytest.mark.parametrize("name", OPEN_QWEN3)
def test_open_qwen3_think_by_default_and_stream_only(catalog: Catalog, name: str) -> None:
    info = catalog.get(name)
    assert (info.thinking, info.thinking_default, info.stream_only) == ("optional", True, True)


@pytest.mark.parametrize(
    ("name", "thinking", "vision"),
    [
        ("qwq-32b", "always", True),
        ("qvq-72b-preview", "always", True),
        ("qwen3-coder-480b-thinking-x", "always", True),
        ("qwen3-omni-flash", "optional", True),
        ("qwen2.5-vl-72b-instruct", "optional", True),
        ("deepseek-v3", "optional", True),
    ],
)
def test_unknown_names_send_what_is_asked(catalog: Catalog, name: str, thinking: str, vision: bool) -> None:
    """No guess that blocks: images and thinking go as chosen, and the input window is generous."""
    info = catalog.get(name)
    assert not info.known and info.name == name
    assert (info.context_window, info.max_input, info.max_output) == (1_000_000, 983_616, 32_768)
    assert info.thinking == thinking and info.vision
    if name == "deepseek-v3":
        assert info.price_input is None and info.price_output is None
        assert estimate_cost(info, Usage(100, 100)) is None


def test_dated_snapshot_starts_from_its_alias(catalog: Catalog) -> None:
    """The deep-thinking page's own sample snapshot is sent thinking, not guessed "never thinks"."""
    info = catalog.get("qwen-plus-2025-04-28")
    assert not info.known and info.thinking == "optional"
    assert info.price_input == catalog.get("qwen-plus").price_input
    assert thinking_request(info, ThinkingMode.BUDGET, 100) == (True, 100)
    assert catalog.get("qwen3.9-plus").native_path == "multimodal"
    assert catalog.get("qwen2.5-72b-instruct").native_path == "text"


def test_estimate_cost(catalog: Catalog) -> None:
    plus = catalog.get("qwen-plus")
    assert estimate_cost(plus, Usage(input_tokens=1_000_000, output_tokens=1_000_000)) == pytest.approx(1.6)
    cached = Usage(input_tokens=1_000_000, output_tokens=0, cached_tokens=500_000)
    assert estimate_cost(plus, cached) == pytest.approx(0.5 * 0.4 + 0.5 * 0.08)
    thinking = Usage(input_tokens=0, output_tokens=1_000_000, reasoning_tokens=600_000)
    assert estimate_cost(plus, thinking) == pytest.approx(4.0)
    assert catalog.estimate_cost("qwen-plus", Usage()) == 0
    assert estimate_cost("qwen-plus", Usage(input_tokens=2_000_000)) == pytest.approx(0.8)


def test_explicit_cache_is_priced_at_its_own_rates(catalog: Catalog) -> None:
    plus = catalog.get("qwen3.6-plus")
    created = Usage(input_tokens=1_000_000, cache_creation_tokens=400_000)
    assert estimate_cost(plus, created) == pytest.approx(0.6 * 0.5 + 0.4 * 0.625)
    hit = Usage(input_tokens=1_000_000, cached_tokens=400_000, explicit_cached_tokens=400_000)
    assert estimate_cost(plus, hit) == pytest.approx(0.6 * 0.5 + 0.4 * 0.05)
    old = catalog.get("qwen-plus")
    assert estimate_cost(old, Usage(input_tokens=1_000_000, cache_creation_tokens=1_000_000)) == pytest.approx(0.5)
    assert estimate_cost(old, Usage(input_tokens=1_000_000, cached_tokens=1_000_000,
                                    explicit_cached_tokens=1_000_000)) == pytest.approx(0.04)


def test_estimate_cost_without_thinking_or_cached_price(catalog: Catalog) -> None:
    qwq = catalog.get("qwq-plus")
    usage = Usage(input_tokens=1_000_000, output_tokens=1_000_000, reasoning_tokens=900_000, cached_tokens=1_000_000)
    assert estimate_cost(qwq, usage) == pytest.approx(0.8 + 2.4)
    assert estimate_cost(catalog.get("qwen-vl-plus"), usage) is None


@pytest.mark.parametrize(
    ("name", "mode", "budget", "expected"),
    [
        ("qwen-plus", ThinkingMode.OFF, None, (False, None)),
        ("qwen-plus", ThinkingMode.ON, 500, (True, None)),
        ("qwen-plus", ThinkingMode.BUDGET, 500, (True, 500)),
        ("qwen-plus", ThinkingMode.BUDGET, None, (True, None)),
        ("qwen3-8b", ThinkingMode.OFF, None, (False, None)),
        ("qwen3-8b", ThinkingMode.BUDGET, 10**6, (True, 38_912)),
        ("qwen-max", ThinkingMode.ON, 500, (None, None)),
        ("qwen-vl-max", ThinkingMode.OFF, None, (None, None)),
        ("qwq-plus", ThinkingMode.OFF, None, (True, None)),
        ("qwq-plus", ThinkingMode.BUDGET, 500, (True, None)),
        ("qvq-max", ThinkingMode.BUDGET, 500, (True, None)),
        ("qwen3-next-80b-a3b-thinking", ThinkingMode.OFF, None, (True, None)),
        ("qwen3-next-80b-a3b-thinking", ThinkingMode.BUDGET, 500, (True, 500)),
        ("some-new-model", ThinkingMode.ON, None, (True, None)),
        ("qwen3-new", ThinkingMode.OFF, None, (False, None)),
        ("qwen-plus", ThinkingMode.BUDGET, 999_999, (True, 38_912)),
        ("qwen3.5-plus", ThinkingMode.BUDGET, 999_999, (True, 81_920)),
    ],
)
def test_thinking_request(catalog: Catalog, name: str, mode: ThinkingMode, budget: int | None,
                          expected: tuple[bool | None, int | None]) -> None:
    assert thinking_request(catalog.get(name), mode, budget) == expected
    assert thinking_request(name, mode, budget) == expected
    assert catalog.thinking_request(name, mode, budget) == expected


def test_model_info_is_frozen(catalog: Catalog) -> None:
    info = catalog.get("qwen-plus")
    with pytest.raises(AttributeError):
        info.name = "x"  # type: ignore[misc]
    assert guess_model("x") == ModelInfo.from_json({**guess_model("x").__dict__})
