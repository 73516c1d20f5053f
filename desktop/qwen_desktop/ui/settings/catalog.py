"""Settings row for the model catalog: its date, and installing a newer file without a release."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from qwen_desktop.core.catalog import Catalog, CatalogError
from qwen_desktop.core.knowledge.catalog_file import INSTALLED_NAME, install
from qwen_desktop.core.services import Services
from qwen_desktop.ui.common.choices import named
from qwen_desktop.ui.settings.key_test import StatusLine


class CatalogRow(QWidget):
    """``installed`` fires after a newer catalog replaced the one in use."""

    installed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.dialog_factory: Callable[[QWidget], QFileDialog] = self._file_dialog
        self._dialog: QFileDialog | None = None
        self.task: asyncio.Future[tuple[str, int]] | None = None
        self.label = named(QLabel(self), "catalogDate")
        self.button = named(QPushButton(self.tr("Install a newer catalog…"), self), "catalogUpdate")
        self.status = named(StatusLine(self), "catalogStatus")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.button)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.status)
        self.button.clicked.connect(self.choose_file)
        self._show_date()

    def _show_date(self) -> None:
        catalog = self._services.catalog
        self.label.setText(self.tr("Catalog of %1 (%2 models)").replace("%1", catalog.date)
                           .replace("%2", str(len(catalog.names()))))

    def _file_dialog(self, parent: QWidget) -> QFileDialog:
        dialog = QFileDialog(parent, self.tr("Choose a model catalog file"))
        dialog.setNameFilter(self.tr("Model catalog (*.json)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        return dialog

    def choose_file(self) -> None:
        self._dialog = self.dialog_factory(self)
        self._dialog.fileSelected.connect(lambda name: self.install_file(Path(name)))
        self._dialog.open()

    def install_file(self, path: Path) -> None:
        """Check and install ``path`` off the window's thread; the result shows under the row."""
        bundled = Catalog.load().date
        self.status.show_busy(self.tr("Checking the catalog…"))
        self.task = asyncio.ensure_future(asyncio.to_thread(install, path, self._services.data_dir, bundled))
        self.task.add_done_callback(self._installed)

    def _installed(self, task: asyncio.Future[tuple[str, int]]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if isinstance(error, CatalogError):
            self.status.show_failure(self.tr("%1 The current catalog (%2) is kept.").replace("%1", str(error))
                                     .replace("%2", self._services.catalog.date))
            return
        if error is not None:
            self.status.show_failure(str(error))
            return
        date, count = task.result()
        self._services.catalog.replace_models(Catalog.load(self._services.data_dir / INSTALLED_NAME))
        self._show_date()
        self.status.show_success(self.tr("Installed the model catalog of %1 (%2 models).")
                                 .replace("%1", date).replace("%2", str(count)))
        self.installed.emit()
