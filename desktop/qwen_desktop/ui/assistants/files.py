"""Import and export of assistants files: file dialogs that start in Documents, the work off the Qt thread."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from ...core.library_files import ImportResult
from .service import Assistants

_files: ThreadPoolExecutor | None = None


def _in_background(job: Any) -> Future[Any]:
    """Reading and writing assistants files happens off the Qt thread, one at a time."""
    global _files
    if _files is None:
        _files = ThreadPoolExecutor(1, thread_name_prefix="assistant-files")
    return _files.submit(job)


def documents_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


class AssistantFiles(QObject):
    """``said`` carries the sentence of what was done; ``imported`` fires once assistants came in.

    Refusals (a broken file, a folder that cannot be written) arrive through the service's ``failed``.
    """

    said = Signal(str)
    imported = Signal()

    def __init__(self, assistants: Assistants, parent: QWidget) -> None:
        super().__init__(parent)
        self.assistants = assistants
        self.dialog: QFileDialog | None = None
        self._folder: Path | None = None

    @property
    def folder(self) -> Path:
        """Where the file dialogs open: the folder used last, else Documents, else home."""
        if self._folder is not None and self._folder.is_dir():
            return self._folder
        return documents_folder()

    def _file_dialog(self, name: str, title: str) -> QFileDialog:
        parent = self.parent()
        assert isinstance(parent, QWidget)
        dialog = QFileDialog(parent, title)
        dialog.setObjectName(name)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setDirectory(str(self.folder))
        dialog.setNameFilters([self.tr("Assistants (*.json)")])
        dialog.finished.connect(dialog.deleteLater)
        dialog.fileSelected.connect(lambda path: setattr(self, "_folder", Path(path).parent))
        self.dialog = dialog
        return dialog

    def export_file(self) -> None:
        dialog = self._file_dialog("assistantExportDialog", self.tr("Export assistants"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.selectFile(self.tr("assistants") + ".json")
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.open()

    def export_to(self, path: Path) -> None:
        library = self.assistants.library
        self.assistants.run(lambda: _in_background(lambda: library.export_json(path)),
                            lambda count: self.said.emit(self.tr("Exported %1 assistants to %2.")
                                                         .replace("%1", str(count)).replace("%2", path.name)))

    def import_file(self) -> None:
        dialog = self._file_dialog("assistantImportDialog", self.tr("Import assistants"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.import_from(Path(path)))
        dialog.open()

    def import_from(self, path: Path) -> None:
        library = self.assistants.library

        def done(result: ImportResult) -> None:
            self.imported.emit()
            text = self.tr("Imported %1 assistants from %2.").replace("%1", str(result.added)).replace(
                "%2", path.name)
            if result.replaced:
                text += " " + self.tr("%1 already here were replaced.").replace("%1", str(result.replaced))
            self.said.emit(text)

        self.assistants.run(lambda: _in_background(lambda: library.import_json(path).result()), done)
