"""Token usage and estimated cost over time, per model or region, from the stored replies."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TextIO

from .catalog import Catalog
from .storage import Store
from .storage.models import UsageRecord
from .types import Usage
from .websearch import effective_strategy, strategy

CSV_HEADER = ("date", "conversation", "model", "region", "input_tokens", "output_tokens",
              "reasoning_tokens", "cached_tokens", "cost", "currency", "web_searches",
              "search_input_tokens")


class GroupBy(StrEnum):
    MODEL = "model"
    REGION = "region"


@dataclass(frozen=True)
class UsageRow:
    """One reply, priced: ``cost`` is None where the model's prices are unknown."""

    when: datetime
    conversation_id: int
    conversation: str
    model: str
    region_id: str
    usage: Usage
    cost: float | None
    currency: str

    def key(self, group: GroupBy) -> str:
        return self.model if group is GroupBy.MODEL else self.region_id


@dataclass
class Totals:
    input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    cached_tokens: int = 0
    search_calls: int = 0
    search_tokens: int = 0
    replies: int = 0
    cost: dict[str, float] = field(default_factory=dict)

    def add(self, row: UsageRow) -> None:
        u = row.usage
        self.input_tokens += u.input_tokens
        self.output_tokens += u.output_tokens
        self.reasoning_tokens += u.reasoning_tokens
        self.cached_tokens += u.cached_tokens
        self.search_calls += u.search_calls
        self.search_tokens += u.search_tokens
        self.replies += 1
        if row.cost is not None:
            self.cost[row.currency] = self.cost.get(row.currency, 0.0) + row.cost

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @property
    def cached_share(self) -> float:
        return self.cached_tokens / self.input_tokens if self.input_tokens else 0.0


@dataclass(frozen=True)
class UsageReport:
    """Per-day buckets from ``first`` to ``last`` inclusive, split by model or region."""

    days: tuple[date, ...]
    group: GroupBy
    by_day: dict[date, Totals]
    by_day_and_key: dict[date, dict[str, Totals]]
    by_key: dict[str, Totals]
    total: Totals

    @property
    def keys(self) -> list[str]:
        return sorted(self.by_key, key=lambda k: -self.by_key[k].total_tokens)

    @property
    def main_currency(self) -> str:
        costs = self.total.cost
        return max(costs, key=lambda c: costs[c]) if costs else "USD"


def usage_rows(store: Store, catalog: Catalog, since: datetime | None = None) -> list[UsageRow]:
    records = store.usage_records(since.timestamp() if since is not None else None)
    return [priced_row(record, catalog) for record in records]


def priced_row(record: UsageRecord, catalog: Catalog) -> UsageRow:
    info = catalog.get(record.model)
    cost = catalog.estimate_cost(record.model, record.usage)
    if cost is not None and record.usage.search_calls:
        cost += search_cost(record, info.currency) or 0.0
    return UsageRow(
        datetime.fromtimestamp(record.created_at), record.conversation_id, record.conversation_title,
        record.model, record.region_id, record.usage, cost, info.currency,
    )


def search_cost(record: UsageRecord, currency: str) -> float | None:
    """The per-search fee of a reply's searches, when it is listed in the model's currency."""
    used = strategy(record.search_strategy or effective_strategy(record.region_id, None))
    price = used.price(record.region_id) if used is not None else None
    if price is None or price[1] != currency:
        return None
    return price[0] * record.usage.search_calls


def start_of(days: int | None, today: date) -> datetime | None:
    """Midnight ``days - 1`` days before ``today``: the last 7 days include today."""
    if days is None:
        return None
    first = today - timedelta(days=days - 1)
    return datetime(first.year, first.month, first.day)


def report(rows: Sequence[UsageRow], group: GroupBy, first: date | None = None,
           last: date | None = None) -> UsageReport:
    by_day: dict[date, Totals] = defaultdict(Totals)
    by_day_and_key: dict[date, dict[str, Totals]] = defaultdict(lambda: defaultdict(Totals))
    by_key: dict[str, Totals] = defaultdict(Totals)
    total = Totals()
    for row in rows:
        day = row.when.date()
        key = row.key(group)
        for bucket in (by_day[day], by_day_and_key[day][key], by_key[key], total):
            bucket.add(row)
    known = [row.when.date() for row in rows]
    first = first or (min(known) if known else None)
    last = last or (max(known) if known else first)
    days: list[date] = []
    if first is not None and last is not None:
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return UsageReport(
        tuple(days), group, dict(by_day), {d: dict(v) for d, v in by_day_and_key.items()},
        dict(by_key), total,
    )


def write_csv(rows: Iterable[UsageRow], out: TextIO) -> int:
    """One line per reply; returns how many were written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    count = 0
    for row in rows:
        u = row.usage
        writer.writerow((
            row.when.isoformat(timespec="seconds"), row.conversation, row.model, row.region_id,
            u.input_tokens, u.output_tokens, u.reasoning_tokens, u.cached_tokens,
            "" if row.cost is None else f"{row.cost:.6f}", row.currency, u.search_calls, u.search_tokens,
        ))
        count += 1
    return count


def csv_text(rows: Iterable[UsageRow]) -> str:
    out = io.StringIO()
    write_csv(rows, out)
    return out.getvalue()
