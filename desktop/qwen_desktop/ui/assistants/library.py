"""The assistant library: browse and search, create, edit, duplicate, delete (with undo), set the
default, import and export JSON files. A window of its own that never blocks the main one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.assistants import Assistant
from ...core.types import ConversationSettings
from .editor import AssistantEditor
from .files import AssistantFiles
from .host import AssistantHost
from .look import assistant_icon, matches
from .service import Assistants

UNDO_MS = 10_000


class AssistantLibraryDialog(QDialog):
    """``startRequested`` carries the id of the assistant to start a new conversation with."""

    startRequested = Signal(str)

    def __init__(self, assistants: Assistants, host: AssistantHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("assistantLibrary")
        self.setWindowTitle(self.tr("Assistants"))
        self.setModal(False)
        self.assistants = assistants
        self.host = host
        self._editing: Assistant | None = None
        self._dirty = False
        self._deleted: Assistant | None = None
        self.files = AssistantFiles(assistants, self)

        self.search = QLineEdit(self)
        self.search.setObjectName("assistantSearch")
        self.search.setAccessibleName("assistantSearch")
        self.search.setPlaceholderText(self.tr("Search names and prompts"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("assistantList")
        self.list.setAccessibleName("assistantList")
        self.new_button = self._button("assistantNew", self.tr("New"), self.tr("A new assistant from scratch"))
        self.from_conversation_button = self._button(
            "assistantFromConversation", self.tr("From this conversation"),
            self.tr("A new assistant with the settings of the open conversation"))
        self.import_button = self._button("assistantImport", self.tr("Import…"),
                                          self.tr("Add the assistants of a JSON file"))
        self.export_button = self._button("assistantExport", self.tr("Export…"),
                                          self.tr("Write every assistant to a JSON file"))
        self.editor = AssistantEditor(host.regions, host.catalog, self)
        self.editor.bar.tools.set_servers(host.tool_servers())
        self.message = QLabel(self)
        self.message.setObjectName("assistantMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.undo_button = self._button("assistantUndo", self.tr("Undo"))
        self.undo_button.hide()
        self.start_button = self._button("assistantStart", self.tr("Start a conversation"),
                                         self.tr("A new conversation with this assistant"))
        self.duplicate_button = self._button("assistantDuplicate", self.tr("Duplicate"))
        self.delete_button = self._button("assistantDelete", self.tr("Delete"))
        self.default_button = self._button("assistantSetDefault", self.tr("Make default"),
                                           self.tr("New conversations (Ctrl+N) start from this assistant"))
        self.revert_button = self._button("assistantRevert", self.tr("Revert"))
        self.save_button = self._button("assistantSave", self.tr("Save"))
        self.save_button.setDefault(True)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_MS)
        self._undo_timer.timeout.connect(self._forget_deleted)
        self._layout()
        self._connect()
        self.resize(980, 640)

    def _button(self, name: str, text: str, tip: str | None = None) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        if tip:
            button.setToolTip(tip)
        return button

    def _layout(self) -> None:
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.from_conversation_button)
        column.addLayout(row)
        files = QHBoxLayout()
        files.addWidget(self.import_button)
        files.addWidget(self.export_button)
        column.addLayout(files)
        right = QWidget(self)
        form = QVBoxLayout(right)
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(self.editor, 1)
        notice = QHBoxLayout()
        notice.addWidget(self.message, 1)
        notice.addWidget(self.undo_button)
        form.addLayout(notice)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.duplicate_button, self.delete_button, self.default_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        form.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 680])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _connect(self) -> None:
        self.search.textChanged.connect(lambda _text: self.reload())
        self.list.currentItemChanged.connect(self._selected)
        self.list.itemActivated.connect(lambda _item: self.start())
        self.editor.edited.connect(self._edited)
        self.new_button.clicked.connect(self.create_new)
        self.from_conversation_button.clicked.connect(
            lambda: self.create_from(self.host.current_settings()))
        self.save_button.clicked.connect(lambda: self.save())
        self.revert_button.clicked.connect(self._revert)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button.clicked.connect(self.delete)
        self.default_button.clicked.connect(self.make_default)
        self.start_button.clicked.connect(self.start)
        self.undo_button.clicked.connect(self.undo_delete)
        self.import_button.clicked.connect(self.files.import_file)
        self.export_button.clicked.connect(self.files.export_file)
        self.files.said.connect(self.say)
        self.files.imported.connect(self._imported)
        self.assistants.failed.connect(self._refused)
        self.assistants.changed.connect(self._changed_elsewhere)

    # ---- the list

    def reload(self, select: str | None = None) -> None:
        """Lists the assistants matching the search; ``select`` (an id) or the one being edited stays chosen."""
        wanted = select or (self._editing.id if self._editing and self._editing.id else None)
        query = self.search.text()
        self.list.blockSignals(True)
        self.list.clear()
        chosen_row = -1
        for assistant in self.assistants.all():
            if not matches(query, f"{assistant.name} {assistant.system_prompt}"):
                continue
            label = assistant.name + ("  · " + self.tr("default") if assistant.is_default else "")
            item = QListWidgetItem(assistant_icon(assistant), label)
            item.setData(Qt.ItemDataRole.UserRole, assistant)
            item.setToolTip(assistant.system_prompt[:400])
            self.list.addItem(item)
            if assistant.id == wanted:
                chosen_row = self.list.count() - 1
        self.list.blockSignals(False)
        if self._editing is not None and not self._editing.id:
            self._sync_buttons()
            return  # a new assistant not yet saved stays in the form
        if chosen_row < 0 and self.list.count():
            chosen_row = 0 if not self._dirty else -1
        if chosen_row >= 0:
            self.list.setCurrentRow(chosen_row)
            if self._editing is None or self._editing.id != wanted or not self._dirty:
                self._load(self.list.item(chosen_row).data(Qt.ItemDataRole.UserRole))
        elif not self._dirty:
            self._load(None)
        self._sync_buttons()

    def _refused(self, sentence: str) -> None:
        """The form keeps what was typed, still unsaved, beside the reason."""
        self.say(sentence)
        if self._editing is not None:
            self._dirty = True
            self._sync_buttons()

    def _changed_elsewhere(self) -> None:
        """Another part of the window (the update offer) or a sync changed the library."""
        if self.isVisible() and not self._dirty:
            self.reload()

    def reject(self) -> None:
        """Esc or the close button: unsaved edits are saved first; a refused one keeps the window open."""
        if self._dirty and not self.save():
            return
        super().reject()

    def _selected(self, item: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        assistant = item.data(Qt.ItemDataRole.UserRole)
        if self._editing is not None and assistant.id == self._editing.id:
            return
        if self._dirty and not self.save():
            self.list.blockSignals(True)
            self.list.setCurrentItem(previous)
            self.list.blockSignals(False)
            return
        self._load(assistant)

    def _load(self, assistant: Assistant | None) -> None:
        self._editing = assistant
        self._dirty = False
        self.editor.setEnabled(assistant is not None)
        if assistant is not None:
            self.editor.set_assistant(assistant, self.host.defaults())
            self.editor.bar.set_listed(self.host.listed_models(self.editor.bar.settings().region_id))
        self._sync_buttons()

    def _edited(self) -> None:
        self._dirty = True
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        stored = self._editing is not None and bool(self._editing.id)
        for button in (self.start_button, self.duplicate_button, self.delete_button):
            button.setEnabled(stored)
        self.default_button.setEnabled(stored and not (self._editing and self._editing.is_default))
        self.save_button.setEnabled(self._editing is not None and (self._dirty or not stored))
        self.revert_button.setEnabled(self._dirty and stored)

    def current(self) -> Assistant | None:
        return self._editing

    # ---- changes

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _free_name(self, name: str) -> str:
        taken = {a.name.casefold() for a in self.assistants.all()}
        candidate, number = name, 2
        while candidate.casefold() in taken:
            candidate = f"{name} ({number})"
            number += 1
        return candidate

    def create_new(self) -> None:
        self._start_unsaved(Assistant(name=self._free_name(self.tr("New assistant"))))

    def create_from(self, settings: ConversationSettings) -> None:
        """A new assistant holding what the conversation's settings change from the defaults."""
        name = self._free_name(self.tr("My assistant"))
        self._start_unsaved(Assistant.from_settings(name, settings, self.host.defaults()))

    def _start_unsaved(self, assistant: Assistant) -> None:
        if self._dirty and not self.save():
            return
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self._load(assistant)
        self._dirty = True
        self._sync_buttons()
        self.say(self.tr("Name it, then Save."))
        self.editor.name.setFocus()
        self.editor.name.selectAll()

    def save(self) -> bool:
        """Stores the form; False when it is refused before anything is written (the reason is shown)."""
        if self._editing is None:
            return True
        edited = self.editor.assistant()
        library = self.assistants.library
        if edited.id:
            started = self.assistants.run(lambda: library.update(edited),
                                          lambda _r: self._saved(edited.id))
        else:
            started = self.assistants.run(lambda: library.create(edited), self._saved)
        if started:
            self._editing = edited
            self._dirty = False
            self._sync_buttons()
        return started

    def _saved(self, aid: str) -> None:
        self.say(self.tr("Saved."))
        self._editing = self.assistants.get(aid)
        self._dirty = False
        self.reload(aid)

    def _revert(self) -> None:
        if self._editing is not None and self._editing.id:
            self._load(self.assistants.get(self._editing.id))
            self.say("")

    def duplicate(self) -> None:
        if self._editing is None or not self._editing.id or (self._dirty and not self.save()):
            return
        aid = self._editing.id
        self.assistants.run(lambda: self.assistants.library.duplicate(aid), self._duplicated)

    def _duplicated(self, aid: str) -> None:
        self._editing = None
        self.reload(aid)
        self.say(self.tr("Copied: rename it and Save."))

    def delete(self) -> None:
        if self._editing is None or not self._editing.id:
            return
        gone = self.assistants.get(self._editing.id) or self._editing

        def deleted(_result: object) -> None:
            self._deleted = gone
            self._editing = None
            self._dirty = False
            self.reload()
            self.say(self.tr("Deleted “%1”.").replace("%1", gone.name))
            self.undo_button.show()
            self._undo_timer.start()

        self.assistants.run(lambda: self.assistants.library.delete(gone.id), deleted)

    def undo_delete(self) -> None:
        gone, self._deleted = self._deleted, None
        self.undo_button.hide()
        if gone is None:
            return
        library = self.assistants.library

        def restored(_result: object) -> None:
            self._editing = None
            self.reload(gone.id)
            self.say(self.tr("“%1” is back.").replace("%1", gone.name))

        # one writer, in order: the default mark comes back before the list is shown again
        if self.assistants.run(lambda: library.create(gone), None if gone.is_default else restored) \
                and gone.is_default:
            self.assistants.run(lambda: library.set_default(gone.id), restored)

    def _forget_deleted(self) -> None:
        self._deleted = None
        self.undo_button.hide()

    def make_default(self) -> None:
        if self._editing is None or not self._editing.id:
            return
        aid, name = self._editing.id, self._editing.name

        def done(_result: object) -> None:
            self._editing = None
            self.reload(aid)
            self.say(self.tr("New conversations now start from “%1”.").replace("%1", name))

        self.assistants.run(lambda: self.assistants.library.set_default(aid), done)

    def start(self) -> None:
        if self._editing is None or not self._editing.id:
            return
        aid = self._editing.id
        if self._dirty:
            if not self.assistants.run(lambda: self.assistants.library.update(self.editor.assistant()),
                                       lambda _r: self._started(aid)):
                return
            self._dirty = False
        else:
            self._started(aid)

    def _started(self, aid: str) -> None:
        self.startRequested.emit(aid)
        self.hide()

    def _imported(self) -> None:
        self._editing = None
        self.reload()

    # ---- files (kept in AssistantFiles)

    @property
    def file_dialog(self) -> QFileDialog | None:
        return self.files.dialog

    def import_from(self, path: Path) -> None:
        self.files.import_from(path)

    def export_to(self, path: Path) -> None:
        self.files.export_to(path)
