"""The Usage window against real replies from the simulator: charts, table, CSV export."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget
from qwen_desktop.core.usage import CSV_HEADER

from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_usage_window_charts_and_exports_one_row_per_reply(
    harness: Harness, qtbot: Any, tmp_path: Path,
) -> None:
    window = harness.open()
    for text in ("First question about usage", "Second question about usage"):
        harness.send(window, text)
        harness.wait_idle(window)
    assert "in ·" in window.header.totals.text()
    window.usage_action.trigger()
    usage = window._usage
    assert usage is not None and usage.isVisible()
    assert not usage.tokens_chart.is_empty() and not usage.cost_chart.is_empty()
    assert usage.table.topLevelItemCount() == 1 and usage.table.topLevelItem(0).text(1) == "2"
    assert "2 replies" in usage.summary.text()
    usage.group.setCurrentIndex(1)
    assert usage.table.headerItem().text(0) == "Region"
    assert usage.tokens_chart.grab().width() > 0

    target = tmp_path / "usage.csv"

    def dialog(parent: QWidget) -> QFileDialog:
        made = QFileDialog(parent)
        made.setOption(QFileDialog.Option.DontUseNativeDialog)
        made.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        return made

    usage.dialog_factory = dialog
    usage.export_button.click()
    assert usage._dialog is not None and usage._dialog.isVisible()
    usage._dialog.selectFile(str(target))
    usage._dialog.accept()
    qtbot.waitUntil(target.exists, timeout=3000)
    with target.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == CSV_HEADER and len(rows) == 3
    stored = [m for m in window.store.messages(window.current_id) if m.usage]
    assert [int(r[4]) for r in rows[1:]] == [m.usage.input_tokens for m in stored]
    assert {r[2] for r in rows[1:]} == {stored[0].model} and rows[1][9] == "USD"
    assert "Exported 2 replies" in usage.status.text()
    usage.close()
