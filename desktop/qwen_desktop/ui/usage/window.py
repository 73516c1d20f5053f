"""The Usage window: tokens, cost and cache hits per day, by model or region, and a CSV export."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import errors as e
from ...core.services import Services
from ...core.usage import GroupBy, UsageReport, UsageRow, report, start_of, usage_rows, write_csv
from ..common.formatting import Cost, money, month_day, number, region_name
from .charts import PALETTE, Chart, Series, compact_number

CONTEXT = "UsageWindow"
RANGES = (
    (QT_TRANSLATE_NOOP("UsageWindow", "Last 7 days"), 7),
    (QT_TRANSLATE_NOOP("UsageWindow", "Last 30 days"), 30),
    (QT_TRANSLATE_NOOP("UsageWindow", "Last 90 days"), 90),
    (QT_TRANSLATE_NOOP("UsageWindow", "All time"), 0),
)
GROUPS = (
    (QT_TRANSLATE_NOOP("UsageWindow", "By model"), GroupBy.MODEL),
    (QT_TRANSLATE_NOOP("UsageWindow", "By region"), GroupBy.REGION),
)
KIND_COLORS = {"input": "#3b82f6", "cached": "#93c5fd", "output": "#10b981", "reasoning": "#8b5cf6"}
MAX_GROUPS = 6


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def csv_dialog(parent: QWidget) -> QFileDialog:
    dialog = QFileDialog(parent, QCoreApplication.translate("UsageWindow", "Export usage"))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("csv")
    dialog.setNameFilter(QCoreApplication.translate("UsageWindow", "CSV files (*.csv)"))
    dialog.selectFile(f"qwen-usage-{date.today():%Y-%m-%d}.csv")
    return dialog


class UsageWindow(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.services = services
        self._today = today
        self.rows: list[UsageRow] = []
        self.current: UsageReport | None = None
        self.dialog_factory: Callable[[QWidget], QFileDialog] = csv_dialog
        self._dialog: QFileDialog | None = None
        self.setObjectName("usageWindow")
        self.setWindowTitle(self.tr("Usage — Qwen Desktop"))
        self.range = QComboBox(self)
        self.range.setObjectName("usageRange")
        for text, days in RANGES:
            self.range.addItem(tr(text), days)
        self.range.setCurrentIndex(1)
        self.group = QComboBox(self)
        self.group.setObjectName("usageGroup")
        for text, group in GROUPS:
            self.group.addItem(tr(text), group.value)
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.setObjectName("exportUsage")
        self.summary = QLabel(self)
        self.summary.setObjectName("usageSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setObjectName("usageStatus")
        self.tokens_chart = Chart(self.tr("Tokens per day"), self)
        self.cost_chart = Chart(self.tr("Estimated cost per day"), self)
        self.cache_chart = Chart(self.tr("Cached share of input"), self, stacked=False)
        self.table = QTreeWidget(self)
        self.table.setObjectName("usageTable")
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setHeaderLabels([self.tr("Model"), self.tr("Replies"), self.tr("Input"),
                                    self.tr("Output"), self.tr("Cached"), self.tr("Cost")])
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            self.table.headerItem().setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
        self._layout()
        self.range.currentIndexChanged.connect(lambda _i: self.refresh())
        self.group.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button.clicked.connect(self.export_csv)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        self.resize(940, 720)

    def _layout(self) -> None:
        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.range)
        filters.addWidget(self.group)
        filters.addSpacing(12)
        filters.addWidget(self.summary, 1)
        filters.addWidget(self.export_button)
        charts = QGridLayout()
        charts.setHorizontalSpacing(24)
        charts.setVerticalSpacing(18)
        charts.addWidget(self.tokens_chart, 0, 0, 1, 2)
        charts.addWidget(self.cost_chart, 1, 0)
        charts.addWidget(self.cache_chart, 1, 1)
        charts.setRowStretch(0, 3)
        charts.setRowStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 12)
        layout.setSpacing(12)
        layout.addLayout(filters)
        layout.addLayout(charts, 1)
        layout.addWidget(self.table)
        layout.addWidget(self.status)

    def days(self) -> int | None:
        return int(self.range.currentData()) or None

    def grouping(self) -> GroupBy:
        return GroupBy(self.group.currentData())

    def refresh(self) -> None:
        today = self._today()
        since = start_of(self.days(), today)
        try:
            self.rows = usage_rows(self.services.store, self.services.catalog, since)
        except e.QwenError as error:
            self.status.setText(error.sentence)
            return
        first = since.date() if since is not None else None
        self.current = report(self.rows, self.grouping(), first, today)
        self._show(self.current)

    def _label(self, key: str, group: GroupBy) -> str:
        if group is GroupBy.MODEL:
            return key or self.tr("unknown model")
        try:
            return region_name(self.services.regions.get(key))
        except e.QwenError:
            return key

    def _show(self, data: UsageReport) -> None:
        labels = [month_day(datetime(d.year, d.month, d.day)) for d in data.days]
        days = data.days
        totals = [data.by_day.get(d) for d in days]
        self.tokens_chart.set_data(labels, [
            Series(self.tr("Input"), tuple(float(t.input_tokens - t.cached_tokens) if t else 0.0 for t in totals),
                   KIND_COLORS["input"]),
            Series(self.tr("Cached input"), tuple(float(t.cached_tokens) if t else 0.0 for t in totals),
                   KIND_COLORS["cached"]),
            Series(self.tr("Output"), tuple(float(t.output_tokens - t.reasoning_tokens) if t else 0.0
                                            for t in totals), KIND_COLORS["output"]),
            Series(self.tr("Reasoning"), tuple(float(t.reasoning_tokens) if t else 0.0 for t in totals),
                   KIND_COLORS["reasoning"]),
        ])
        currency = data.main_currency
        keys = data.keys[:MAX_GROUPS]
        cost_series = []
        share_series = []
        for index, key in enumerate(keys):
            color = PALETTE[index % len(PALETTE)]
            name = self._label(key, data.group)
            cells = [data.by_day_and_key.get(d, {}).get(key) for d in days]
            cost_series.append(Series(name, tuple(c.cost.get(currency, 0.0) if c else 0.0 for c in cells), color))
            share_series.append(Series(name, tuple(c.cached_share * 100 if c else math.nan for c in cells), color))
        self.cost_chart.set_data(labels, cost_series, formatter=lambda v: _money_axis(v, currency))
        self.cache_chart.set_data(labels, share_series, formatter=lambda v: f"{v:.0f}%", maximum=100.0)
        self._fill_table(data)
        total = data.total
        parts = [self.tr("%1 tokens").replace("%1", number(total.total_tokens)),
                 self.tr("%1 replies").replace("%1", number(total.replies))]
        parts += [money(Cost(amount, cur)) for cur, amount in sorted(total.cost.items())]
        if total.input_tokens:
            parts.append(self.tr("%1% of input cached").replace("%1", f"{total.cached_share * 100:.0f}"))
        if total.search_calls or total.search_tokens:
            parts.append(self.tr("%1 web searches, ~%2 input tokens from their results")
                         .replace("%1", number(total.search_calls)).replace("%2", number(total.search_tokens)))
        self.summary.setText(" · ".join(parts))
        self.status.setText("" if total.replies else self.tr("No replies with usage in this range yet."))

    def _fill_table(self, data: UsageReport) -> None:
        self.table.clear()
        self.table.headerItem().setText(0, self.tr("Model") if data.group is GroupBy.MODEL else self.tr("Region"))
        for key in data.keys:
            t = data.by_key[key]
            cost = " + ".join(money(Cost(a, c)) for c, a in sorted(t.cost.items())) or "—"
            item = QTreeWidgetItem([
                self._label(key, data.group), number(t.replies), number(t.input_tokens),
                number(t.output_tokens), f"{t.cached_share * 100:.0f}%", cost,
            ])
            for column in range(1, 6):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.addTopLevelItem(item)
        rows = max(1, min(6, self.table.topLevelItemCount()))
        row_height = self.table.sizeHintForRow(0) if self.table.topLevelItemCount() else 20
        self.table.setFixedHeight(self.table.header().sizeHint().height() + rows * row_height + 6)

    def export_csv(self) -> None:
        self._dialog = self.dialog_factory(self)
        self._dialog.fileSelected.connect(self.write_csv)
        self._dialog.open()

    def write_csv(self, path: str) -> None:
        try:
            with Path(path).open("w", encoding="utf-8", newline="") as out:
                count = write_csv(self.rows, out)
        except OSError as error:
            self.status.setText(self.tr("Could not write %1: %2").replace("%1", path)
                                .replace("%2", error.strerror or str(error)))
            return
        self.status.setText(self.tr("Exported %1 replies to %2").replace("%1", number(count))
                            .replace("%2", Path(path).name))

    def showEvent(self, event: object) -> None:
        self.refresh()
        super().showEvent(event)  # type: ignore[arg-type]


def _money_axis(value: float, currency: str) -> str:
    symbol = {"USD": "$", "CNY": "¥"}.get(currency, "")
    if value == 0:
        return f"{symbol}0"
    if value < 0.01:
        return f"{symbol}{value:.4f}".rstrip("0")
    if value < 0.1:
        return f"{symbol}{value:.3f}".rstrip("0")
    return f"{symbol}{compact_number(value)}" if value >= 1000 else f"{symbol}{value:.2f}"
