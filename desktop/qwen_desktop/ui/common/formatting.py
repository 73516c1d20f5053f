"""Numbers, money, times and region names in the user's locale."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QLocale, QTime

from qwen_desktop.core.types import Usage

REGION_NAMES = {
    "intl": QT_TRANSLATE_NOOP("Regions", "Singapore"),
    "cn": QT_TRANSLATE_NOOP("Regions", "China (Beijing)"),
    "us": QT_TRANSLATE_NOOP("Regions", "US (Virginia)"),
    "hk": QT_TRANSLATE_NOOP("Regions", "China (Hong Kong)"),
}
_YEAR = re.compile(r"[^dMy]*y+[^dMy]*")


class Cost(NamedTuple):
    amount: float
    currency: str = "USD"


CostFunction = Callable[[str, Usage], "Cost | float | None"]


def as_cost(value: Cost | float | None) -> Cost | None:
    if value is None or isinstance(value, Cost):
        return value
    return Cost(float(value))


def priced(catalog: Any) -> Callable[[str, Usage], Cost | None]:
    """A cost function that names each model's currency (USD, or CNY for Beijing prices)."""

    def cost(model: str, usage: Usage) -> Cost | None:
        amount = catalog.estimate_cost(model, usage)
        return None if amount is None else Cost(amount, catalog.get(model).currency)

    return cost


def locale() -> QLocale:
    """The formatting locale; the bare C locale formats like US English, with a 24-hour clock."""
    current = QLocale()
    if current.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return current


def _is_c() -> bool:
    return QLocale().language() == QLocale.Language.C


def number(value: int | float) -> str:
    return locale().toString(value)


def currency_symbol(currency: str) -> str:
    if currency == "USD":
        return "$"
    if currency == "CNY":
        return "¥" if locale().language() == QLocale.Language.Chinese else "CN¥"
    return f"{currency} "


def money(cost: Cost) -> str:
    """An estimate: "≈ $0.0012", "< $0.0001", "≈ ¥1,234.50"."""
    symbol = currency_symbol(cost.currency)
    loc = locale()
    if cost.amount <= 0:
        return "≈ " + loc.toCurrencyString(0.0, symbol, 0)
    if cost.amount < 0.0001:
        return "< " + loc.toCurrencyString(0.0001, symbol, 4)
    return "≈ " + loc.toCurrencyString(cost.amount, symbol, 4 if cost.amount < 1 else 2)


def _qdate(moment: datetime) -> QDate:
    return QDate(moment.year, moment.month, moment.day)


def clock(moment: datetime) -> str:
    if _is_c():
        return f"{moment:%H:%M}"
    return locale().toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)


def weekday(moment: datetime) -> str:
    if _is_c():
        return f"{moment:%a}"
    loc = locale()
    style = (QLocale.FormatType.LongFormat if loc.language() == QLocale.Language.Japanese
             else QLocale.FormatType.ShortFormat)
    return loc.dayName(moment.isoweekday(), style)


def month_day(moment: datetime) -> str:
    loc = locale()
    if loc.language() in (QLocale.Language.Chinese, QLocale.Language.Japanese):
        pattern = "M月d日"
    elif loc.language() == QLocale.Language.English:
        pattern = "MMM d"
    else:
        pattern = _YEAR.sub("", loc.dateFormat(QLocale.FormatType.ShortFormat)) or "MMM d"
    return loc.toString(_qdate(moment), pattern)


def full_date(moment: datetime) -> str:
    if _is_c():
        return f"{moment:%Y-%m-%d}"
    return locale().toString(_qdate(moment), QLocale.FormatType.ShortFormat)


def region_name(region: Any) -> str:
    """Built-in regions in the interface language; custom regions as their owner named them."""
    source = REGION_NAMES.get(region.id) if getattr(region, "builtin", False) else None
    return QCoreApplication.translate("Regions", source) if source else region.name
