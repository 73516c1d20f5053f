"""Export…, Import… and Back up data…: file dialogs opened without blocking, work off the UI thread."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget

from ...core import export as x
from ...core.backup import stage_restore
from ...core.errors import QwenError
from ...core.services import Services
from ..common.error_text import describe

log = logging.getLogger(__name__)

MARKDOWN_FILTER = QT_TRANSLATE_NOOP("DataActions", "Markdown, to read (*.md)")
VERSIONS_FILTER = QT_TRANSLATE_NOOP("DataActions", "Markdown with every version of replies (*.md)")
JSON_FILTER = QT_TRANSLATE_NOOP("DataActions", "JSON, to import again (*.json)")
BACKUP_FILTER = QT_TRANSLATE_NOOP("DataActions", "Qwen Desktop backups (*.zip)")


class DataActions(QObject):
    """``done`` carries the sentence to show; ``imported`` the new conversation ids."""

    done = Signal(str)
    imported = Signal(list)

    def __init__(self, services: Services, current: Callable[[], int | None], parent: QWidget) -> None:
        super().__init__(parent)
        self.services = services
        self.current = current
        self.dialog: QFileDialog | None = None
        self.task: asyncio.Future[Any] | None = None
        self._imported_ids: list[int] = []
        self._folder: Path | None = None

    def menu_button(self, parent: QWidget) -> QToolButton:
        menu = QMenu(parent)
        menu.setObjectName("dataMenu")
        self.export_action = menu.addAction(self.tr("Export…"), self.export)
        self.export_all_action = menu.addAction(self.tr("Export all conversations…"),
                                                lambda: self.export(everything=True))
        self.import_action = menu.addAction(self.tr("Import…"), self.import_file)
        self.backup_action = menu.addAction(self.tr("Back up data…"), self.backup)
        self.restore_action = menu.addAction(self.tr("Restore from a backup…"), self.restore)
        button = QToolButton(parent)
        button.setObjectName("dataMenuButton")
        button.setAccessibleName("dataMenuButton")
        button.setText(self.tr("Data"))
        button.setToolTip(self.tr("Export, import, back up and restore"))
        button.setAutoRaise(True)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setMenu(menu)
        return button

    def _dialog(self, name: str, title: str) -> QFileDialog:
        parent = self.parent()
        assert isinstance(parent, QWidget)
        dialog = QFileDialog(parent, title)
        dialog.setObjectName(name)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.finished.connect(dialog.deleteLater)
        dialog.setDirectory(str(self.folder))
        dialog.fileSelected.connect(self._remember_folder)
        self.dialog = dialog
        return dialog

    @property
    def folder(self) -> Path:
        """Where file dialogs open: the folder used last, else Documents, else home."""
        if self._folder is not None and self._folder.is_dir():
            return self._folder
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def _remember_folder(self, path: str) -> None:
        chosen = Path(path)
        self._folder = chosen if chosen.is_dir() else chosen.parent

    def suggested_name(self, cid: int | None) -> str:
        if cid is None:
            return f"qwen-desktop-{time.strftime('%Y-%m-%d')}.md"
        conversation = self.services.store.conversation(cid)
        title = conversation.title if conversation is not None else ""
        safe = " ".join(re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title).split()).strip(" .")[:80].strip()
        return f"{safe or self.tr('conversation')}.md"

    def export(self, everything: bool = False) -> None:
        cid = None if everything else self.current()
        scope = self.tr("this conversation") if cid is not None else self.tr("all conversations")
        dialog = self._dialog("exportDialog", self.tr("Export %1").replace("%1", scope))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([self.tr(MARKDOWN_FILTER), self.tr(JSON_FILTER), self.tr(VERSIONS_FILTER)])
        dialog.selectFile(self.suggested_name(cid))
        dialog.filterSelected.connect(lambda chosen: self._match_suffix(dialog, chosen))
        dialog.fileSelected.connect(
            lambda path: self._start(self._export, Path(path), dialog.selectedNameFilter(), cid))
        dialog.open()

    def _match_suffix(self, dialog: QFileDialog, name_filter: str) -> None:
        """Switching between Markdown and JSON changes the suggested name's extension too."""
        suffix = ".json" if name_filter == self.tr(JSON_FILTER) else ".md"
        chosen = dialog.selectedFiles()
        if chosen:
            dialog.selectFile(Path(chosen[0]).with_suffix(suffix).name)

    def import_file(self) -> None:
        dialog = self._dialog("importDialog", self.tr("Import conversations"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr(JSON_FILTER)])
        dialog.fileSelected.connect(lambda path: self._start(self._import, Path(path)))
        dialog.open()

    def backup(self) -> None:
        dialog = self._dialog("backupDialog", self.tr("Back up data into a folder"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda path: self._start(self._backup, Path(path)))
        dialog.open()

    def restore(self) -> None:
        dialog = self._dialog("restoreDialog", self.tr("Restore from a backup"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr(BACKUP_FILTER)])
        dialog.fileSelected.connect(lambda path: self._start(self._restore, Path(path)))
        dialog.open()

    def _restore(self, path: Path) -> str:
        """The window holds the database open: the archive is checked now and restored at the next start."""
        count = stage_restore(path, self.services.data_dir)
        return self.tr(
            "The backup is ready (conversations in it: %1): restart Qwen Desktop to restore it. "
            "The current data will be kept beside it, not deleted."
        ).replace("%1", str(count))

    def _export(self, path: Path, name_filter: str, cid: int | None) -> str:
        versions = name_filter in (VERSIONS_FILTER, self.tr(VERSIONS_FILTER))
        markdown = (versions or name_filter in (MARKDOWN_FILTER, self.tr(MARKDOWN_FILTER))) and (
            path.suffix.lower() != ".json")
        if markdown and path.suffix.lower() != ".md":
            path = path.with_suffix(".md")
        if not markdown and path.suffix.lower() != ".json":
            path = path.with_suffix(".json")
        store, files = self.services.store, self.services.engine.attachments
        result = (x.export_markdown(store, files, path, cid, reasoning=True, versions=versions) if markdown
                  else x.export_json(store, files, path, cid))
        return self.tr("Exported %1 to %2.").replace(
            "%1", self.conversations(result.conversations)).replace("%2", str(result.path))

    def _import(self, path: Path) -> str:
        ids = x.import_json(self.services.store, self.services.engine.attachments, path)
        self._imported_ids = ids
        return self.tr("Imported %1.").replace("%1", self.conversations(len(ids)))

    def conversations(self, count: int) -> str:
        """"1 conversation", "3 conversations": English needs both forms, Chinese and Japanese one."""
        return self.tr("1 conversation") if count == 1 else self.tr("%1 conversations").replace("%1", str(count))

    def _backup(self, folder: Path) -> str:
        target = x.backup_data(self.services.data_dir, self.services.store, folder)
        return self.tr("Backed up to %1 (API keys are never included).").replace("%1", str(target))

    def _start(self, work: Callable[..., str], *args: Any) -> None:
        self.task = asyncio.ensure_future(asyncio.to_thread(work, *args))
        self.task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Future[str]) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            ids, self._imported_ids = self._imported_ids, []
            if ids:
                self.imported.emit(ids)
            self.done.emit(task.result())
        elif isinstance(error, (QwenError, OSError)):
            log.warning("data action failed: %s", error)
            self.done.emit(describe(error) if isinstance(error, QwenError)
                           else self.tr("The file could not be written or read: %1").replace("%1", str(error)))
        else:
            log.error("data action failed", exc_info=error)
            self.done.emit(self.tr("That did not work: %1").replace("%1", type(error).__name__))

