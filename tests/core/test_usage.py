"""Usage totals and CSV export read straight from the store, without Qt."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from qwen_desktop.core.catalog import Catalog
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, Role, Usage
from qwen_desktop.core.usage import CSV_HEADER, GroupBy, csv_text, report, start_of, usage_rows

DAY = 86_400.0
START = datetime(2025, 3, 10, 12, 0).timestamp()


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[Store]:
    with Store(tmp_path / "usage.db", clock=clock) as opened:
        yield opened


def reply(store: Store, cid: int, model: str, usage: Usage | None) -> None:
    store.add_message(cid, Role.USER, "question")
    mid = store.add_message(cid, Role.ASSISTANT, "answer", model=model).result()
    if usage is not None:
        store.update_message(mid, usage=usage).result()


@pytest.fixture
def filled(store: Store, clock: Clock) -> Store:
    plus = store.create_conversation(ConversationSettings(model="qwen-plus"), "Plus talk").result()
    beijing = store.create_conversation(
        ConversationSettings(region_id="cn", model="qwen-max"), "Beijing talk").result()
    gone = store.create_conversation(ConversationSettings(), "Deleted").result()
    reply(store, plus, "qwen-plus", Usage(1000, 200, 0, 400))
    reply(store, plus, "qwen-plus", None)
    clock.now = START + DAY
    reply(store, beijing, "qwen-max", Usage(2000, 500, 100, 0))
    reply(store, gone, "qwen-plus", Usage(9999, 9999))
    store.delete_conversation(gone).result()
    clock.now = START + 3 * DAY
    reply(store, plus, "qwen-plus", Usage(3000, 100, 0, 3000))
    return store


def test_rows_skip_replies_without_usage_and_deleted_conversations(filled: Store) -> None:
    rows = usage_rows(filled, Catalog.load())
    assert [(r.conversation, r.model, r.region_id, r.usage.input_tokens) for r in rows] == [
        ("Plus talk", "qwen-plus", "intl", 1000),
        ("Beijing talk", "qwen-max", "cn", 2000),
        ("Plus talk", "qwen-plus", "intl", 3000),
    ]
    assert all(r.cost is not None and r.cost > 0 for r in rows)


def test_since_limits_the_range(filled: Store) -> None:
    since = start_of(2, datetime.fromtimestamp(START + 3 * DAY).date())
    assert [r.usage.input_tokens for r in usage_rows(filled, Catalog.load(), since)] == [3000]


def test_report_buckets_by_day_and_group(filled: Store) -> None:
    rows = usage_rows(filled, Catalog.load())
    by_model = report(rows, GroupBy.MODEL)
    assert by_model.days == (date(2025, 3, 10), date(2025, 3, 11), date(2025, 3, 12), date(2025, 3, 13))
    assert by_model.by_day.get(date(2025, 3, 12)) is None
    assert by_model.by_key["qwen-plus"].input_tokens == 4000
    assert by_model.by_key["qwen-plus"].cached_share == pytest.approx(3400 / 4000)
    assert by_model.total.replies == 3 and by_model.total.reasoning_tokens == 100
    assert by_model.keys == ["qwen-plus", "qwen-max"]
    by_region = report(rows, GroupBy.REGION)
    assert set(by_region.by_key) == {"intl", "cn"}
    assert by_region.by_day_and_key[date(2025, 3, 11)]["cn"].output_tokens == 500


def test_cached_tokens_make_a_reply_cheaper(filled: Store) -> None:
    catalog = Catalog.load()
    cached = catalog.estimate_cost("qwen-plus", Usage(3000, 100, 0, 3000))
    uncached = catalog.estimate_cost("qwen-plus", Usage(3000, 100, 0, 0))
    assert cached is not None and uncached is not None and cached < uncached


def test_csv_has_one_row_per_reply(filled: Store) -> None:
    rows = usage_rows(filled, Catalog.load())
    parsed = list(csv.reader(io.StringIO(csv_text(rows))))
    assert tuple(parsed[0]) == CSV_HEADER
    assert len(parsed) == 4
    first = dict(zip(CSV_HEADER, parsed[1]))
    assert first["date"].startswith("2025-03-10T12:00")
    assert (first["conversation"], first["model"], first["region"]) == ("Plus talk", "qwen-plus", "intl")
    assert (first["input_tokens"], first["output_tokens"], first["cached_tokens"]) == ("1000", "200", "400")
    assert float(first["cost"]) == pytest.approx(rows[0].cost) and first["currency"] == "USD"
