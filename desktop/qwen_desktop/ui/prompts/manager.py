"""Prompt library…: add, edit and delete saved prompts; import and export them as JSON files.

Writes go to the store's writer and are awaited on the asyncio loop; the list is read again
when one finishes. A refused prompt or file is told in one sentence under the editor.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import QwenError
from ...core.prompts import Prompt, PromptLibrary, matching
from ..common.error_text import describe


class PromptManager(QDialog):
    """``changed`` is emitted after every stored change (the composer reads the library again)."""

    changed = Signal()
    _finished = Signal(object, object)

    def __init__(self, library: PromptLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.setObjectName("promptManager")
        self.setWindowTitle(self.tr("Prompt library"))
        self.file_dialog: QFileDialog | None = None
        self._editing: Prompt | None = None

        self.search = QLineEdit(self)
        self.search.setObjectName("promptSearch")
        self.search.setPlaceholderText(self.tr("Search prompts"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("promptList")
        self.list.setAccessibleName("promptList")
        self.new_button = QPushButton(self.tr("New"), self)
        self.new_button.setObjectName("newPromptButton")
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setObjectName("deletePromptButton")
        self.import_button = QPushButton(self.tr("Import…"), self)
        self.import_button.setObjectName("importPromptsButton")
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setObjectName("exportPromptsButton")
        self.name = QLineEdit(self)
        self.name.setObjectName("promptName")
        self.name.setPlaceholderText(self.tr("Name (type / and part of it in the message box)"))
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("promptText")
        self.text.setPlaceholderText(self.tr("The prompt. Write {{name}} where something is to be filled in; "
                                             "Tab moves from one to the next after inserting it."))
        self.variables = QLabel(self)
        self.variables.setObjectName("promptVariables")
        self.variables.setTextFormat(Qt.TextFormat.PlainText)
        self.variables.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("promptMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("savePromptButton")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        for button in (self.new_button, self.delete_button, self.import_button, self.export_button,
                       *close.buttons()):
            button.setAutoDefault(False)
        self.save_button.setDefault(True)  # Enter in the name field saves, never clears

        left = QWidget(self)
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.search)
        left_column.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.delete_button, self.import_button, self.export_button):
            buttons.addWidget(button)
        left_column.addLayout(buttons)
        right = QWidget(self)
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.name)
        right_column.addWidget(self.text, 1)
        right_column.addWidget(self.variables)
        save_row = QHBoxLayout()
        save_row.addWidget(self.message, 1)
        save_row.addWidget(self.save_button)
        right_column.addLayout(save_row)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([260, 460])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        self.resize(760, 460)

        self.search.textChanged.connect(lambda _text: self.reload())
        self.list.currentItemChanged.connect(lambda item, _before: self._show(item))
        self.new_button.clicked.connect(self.new_prompt)
        self.delete_button.clicked.connect(self.delete_current)
        self.save_button.clicked.connect(self.save)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export_file)
        self.text.textChanged.connect(self._show_variables)
        self._finished.connect(self._write_done, Qt.ConnectionType.QueuedConnection)
        self.reload()

    # ---- the list

    def reload(self, select: str | None = None) -> None:
        current = select or (self._editing.id if self._editing is not None else None)
        self.list.blockSignals(True)
        self.list.clear()
        for prompt in matching(self.library.all(), self.search.text()):
            item = QListWidgetItem(prompt.name)
            item.setData(Qt.ItemDataRole.UserRole, prompt)
            self.list.addItem(item)
            if prompt.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentItem() is None and self.list.count() and (current or self._editing is None):
            self.list.setCurrentRow(0)
        self._show(self.list.currentItem())

    def prompts(self) -> list[Prompt]:
        return [self.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.list.count())]

    def _show(self, item: QListWidgetItem | None) -> None:
        prompt = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if prompt is None and self._editing is not None and not self._editing.id:
            return
        self._editing = prompt
        self.name.setText(prompt.name if prompt else "")
        self.text.setPlainText(prompt.text if prompt else "")
        self.delete_button.setEnabled(prompt is not None)

    def _show_variables(self) -> None:
        found = Prompt(name="", text=self.text.toPlainText()).variables()
        self.variables.setText(self.tr("Variables: %1").replace("%1", ", ".join(found)) if found
                               else self.tr("No variables: write {{name}} to add one."))

    # ---- editing

    def new_prompt(self) -> None:
        self.list.clearSelection()
        self.list.setCurrentItem(None)
        self._editing = Prompt(name="", text="")
        self.name.clear()
        self.text.clear()
        self.message.clear()
        self.delete_button.setEnabled(False)
        self.name.setFocus()

    def save(self) -> None:
        base = self._editing or Prompt(name="", text="")
        prompt = base.with_(name=self.name.text(), text=self.text.toPlainText())
        self._run(lambda: self.library.update(prompt) if prompt.id else self.library.create(prompt),
                  lambda result: self._saved(prompt, result))

    def _saved(self, prompt: Prompt, result: Any) -> None:
        pid = prompt.id or str(result)
        self._editing = prompt.with_(id=pid)
        self.message.setText(self.tr("Saved."))
        self.reload(select=pid)

    def delete_current(self) -> None:
        prompt = self._editing
        if prompt is None or not prompt.id:
            return
        self._editing = None
        def done(_result: Any) -> None:
            self.message.setText(self.tr("Deleted “%1”.").replace("%1", prompt.name))
            self.reload()

        self._run(lambda: self.library.delete(prompt.id), done)

    # ---- files

    def _file_dialog(self, title: str, mode: QFileDialog.AcceptMode) -> QFileDialog:
        dialog = QFileDialog(self, title)
        dialog.setObjectName("promptFileDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(mode)
        dialog.setNameFilters([self.tr("Prompt files (*.json)"), self.tr("All files (*)")])
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialog.setDirectory(folder if folder and Path(folder).is_dir() else str(Path.home()))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        return dialog

    def import_file(self) -> None:
        dialog = self._file_dialog(self.tr("Import prompts"), QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.import_path)
        dialog.open()

    def export_file(self) -> None:
        dialog = self._file_dialog(self.tr("Export prompts"), QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.selectFile("prompts.json")
        dialog.fileSelected.connect(self.export_path)
        dialog.open()

    def import_path(self, path: str) -> None:
        def done(result: Any) -> None:
            self.message.setText(self.tr("Imported %1 new and replaced %2 prompts.")
                                 .replace("%1", str(result.added)).replace("%2", str(result.replaced)))
            self.reload()

        self._run(lambda: self.library.import_json(Path(path)), done)

    def export_path(self, path: str) -> None:
        try:
            count = self.library.export_json(Path(path))
        except QwenError as error:
            self.message.setText(describe(error))
            return
        self.message.setText(self.tr("Exported %1 prompts to %2.").replace("%1", str(count))
                             .replace("%2", Path(path).name))

    # ---- running writes

    def _run(self, start: Callable[[], Future[Any]], then: Callable[[Any], None]) -> None:
        """Starts a write (a sentence if it is refused at once) and calls ``then`` once it is stored.

        The writer thread's Future is handed back through a queued signal, so ``then`` runs on
        the Qt thread whether the write finishes before or after this returns.
        """
        try:
            future = start()
        except QwenError as error:
            self.message.setText(describe(error))
            return
        future.add_done_callback(lambda done: self._finished.emit(done, then))

    def _write_done(self, done: Future[Any], then: Callable[[Any], None]) -> None:
        try:
            result = done.result()
        except QwenError as error:
            self.message.setText(describe(error))
            return
        then(result)
        self.changed.emit()
