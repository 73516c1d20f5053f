"""The message composer: grows with its text, Enter sends (switchable), IME-safe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFontMetrics, QInputMethodEvent, QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.documents import DOCUMENT_SUFFIXES
from ...core.prompts import Prompt, fields, matching
from .attachments import AttachmentTray, image_sources
from .fields import FieldWalk
from .prompt_menu import PromptMenu

MAX_LINES = 10


IMAGE_PATTERNS = "*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff *.gif"
DOCUMENT_PATTERNS = " ".join(f"*{suffix}" for suffix in sorted(DOCUMENT_SUFFIXES))


def image_file_dialog(parent: QWidget) -> QFileDialog:
    """Attach files: images and documents, starting in the user's documents folder."""
    dialog = QFileDialog(parent, QCoreApplication.translate("Composer", "Attach files"))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    both = QCoreApplication.translate("Composer", "Images and documents (%1)").replace(
        "%1", f"{IMAGE_PATTERNS} {DOCUMENT_PATTERNS}")
    images = QCoreApplication.translate("Composer", "Images (%1)").replace("%1", IMAGE_PATTERNS)
    documents = QCoreApplication.translate("Composer", "Documents (%1)").replace("%1", DOCUMENT_PATTERNS)
    every = QCoreApplication.translate("Composer", "All files (*)")
    dialog.setNameFilters([both, images, documents, every])
    return dialog


class ComposerEdit(QPlainTextEdit):
    """``/`` typed at the very start lists the saved prompts (``prompt_source``); the one chosen
    replaces the ``/`` and what was typed after it, and Tab then walks its ``{{variables}}``."""

    submitted = Signal()
    stopRequested = Signal()
    imagesOffered = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.send_with_enter = True
        self.prompt_source: Callable[[], list[Prompt]] | None = None
        self._preedit = ""
        self._prompts: list[Prompt] | None = None
        """The saved prompts while the ``/`` list is open (read once when it opens)."""
        self._menu: PromptMenu | None = None
        self.walk: FieldWalk | None = None
        self.setObjectName("composer")
        self.setAccessibleName("composer")
        self.setTabChangesFocus(True)
        self.setPlaceholderText(self.tr("Message Qwen… (Enter to send, Shift+Enter for a new line)"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().contentsChanged.connect(self._fit_height)
        self.textChanged.connect(self._follow_slash)
        self.cursorPositionChanged.connect(self._follow_slash)
        self._fit_height()

    def composing(self) -> bool:
        return bool(self._preedit)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return bool(image_sources(source)) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        images = image_sources(source) if not source.hasText() or source.hasImage() or (
            source.hasUrls() and all(u.isLocalFile() for u in source.urls())) else []
        if images:
            self.imagesOffered.emit(images)
            return
        super().insertFromMimeData(source)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        self._preedit = event.preeditString()
        super().inputMethodEvent(event)

    # ---- saved prompts: the ``/`` list and walking the variables

    def prompt_menu(self) -> PromptMenu | None:
        """The ``/`` list while it is shown."""
        return self._menu if self._menu is not None and self._menu.isVisible() else None

    def _open_prompts(self) -> None:
        prompts = self.prompt_source() if self.prompt_source is not None else []
        if not prompts:
            return
        self._prompts = prompts
        if self._menu is None:
            self._menu = PromptMenu(self.window())
        self._follow_slash()

    def close_prompts(self) -> None:
        self._prompts = None
        if self._menu is not None:
            self._menu.hide()

    def _slash_query(self) -> str | None:
        """What follows the ``/`` at the start, up to the cursor; None once that is no longer so."""
        cursor = self.textCursor()
        text = self.toPlainText()
        if not text.startswith("/") or cursor.hasSelection() or cursor.position() < 1:
            return None
        query = text[1:cursor.position()]
        return None if "\n" in query or "\u2029" in query else query

    def _follow_slash(self) -> None:
        if self.walk is not None and self.document().isEmpty():
            self.walk = None
        if self._prompts is None or self._menu is None:
            return
        query = self._slash_query()
        if query is None:
            self.close_prompts()
            return
        found = matching(self._prompts, query)
        if not found:
            self._menu.hide()
            return
        if [p.name for p in found] != self._menu.names():
            self._menu.set_prompts(found)
        self._menu.place_above(self)

    def insert_prompt(self, prompt: Prompt) -> None:
        """Replaces the ``/`` and its query with the prompt, its first variable selected."""
        self.close_prompts()
        cursor = self.textCursor()
        end = cursor.position() if self._slash_query() is not None else 0
        cursor.beginEditBlock()
        cursor.setPosition(0)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(prompt.text)
        cursor.endEditBlock()
        walk = FieldWalk(self.document(), 0, fields(prompt.text))
        self.walk = walk if len(walk) else None
        if self.walk is not None:
            self._step_field(True)
        else:
            self.setTextCursor(cursor)

    def _step_field(self, forward: bool) -> None:
        assert self.walk is not None
        selection = self.walk.step(forward)
        if selection is None:
            cursor = self.textCursor()
            cursor.setPosition(self.walk.end())
            self.walk = None
            self.setTextCursor(cursor)
            return
        self.setTextCursor(selection)
        self.ensureCursorVisible()

    def _handles(self, event: QKeyEvent) -> bool:
        """Whether the prompt list or the variable walk takes this key instead of the window."""
        key = event.key()
        if self.prompt_menu() is not None:
            return key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter,
                           Qt.Key.Key_Tab, Qt.Key.Key_Escape)
        if self.walk is not None:
            return key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape)
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and not self.composing():
            assert isinstance(event, QKeyEvent)
            mods = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
            if not mods and self._handles(event):
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()
                else:
                    self._prompt_key(event)
                return True
        return super().event(event)

    def _prompt_key(self, event: QKeyEvent) -> None:
        key = event.key()
        menu = self.prompt_menu()
        if menu is not None:
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                menu.step(1 if key == Qt.Key.Key_Down else -1)
            elif key == Qt.Key.Key_Escape:
                self.close_prompts()
            else:
                chosen = menu.current()
                if chosen is not None:
                    self.insert_prompt(chosen)
            return
        if key == Qt.Key.Key_Escape:
            self.walk = None
        else:
            self._step_field(key == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.close_prompts()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.text() == "/" and self._prompts is None and self.textCursor().position() == 0 \
                and not self.textCursor().hasSelection():
            super().keyPressEvent(event)
            self._open_prompts()
            return
        if key == Qt.Key.Key_Escape:
            self.stopRequested.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.composing():
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            mods = event.modifiers()
            ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
            shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
            sends = (not shift and not ctrl) if self.send_with_enter else ctrl
            if sends:
                self.submitted.emit()
                return
            if not self.send_with_enter and not shift:
                self.insertPlainText("\n")
                return
        super().keyPressEvent(event)

    def _fit_height(self) -> None:
        metrics = QFontMetrics(self.font())
        lines = max(1, min(MAX_LINES, int(self.document().size().height())))
        margins = self.contentsMargins()
        doc_margin = int(self.document().documentMargin()) * 2
        height = lines * metrics.lineSpacing() + doc_margin + margins.top() + margins.bottom() + 4
        self.setFixedHeight(max(height, metrics.lineSpacing() * 2 + doc_margin + 8))

    def sizeHint(self) -> QSize:
        return QSize(400, self.height())


class Composer(QWidget):
    """Edit field, Send/Stop button and a status line naming model, region and thinking."""

    sendRequested = Signal(str)
    stopRequested = Signal()
    imagesOffered = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerPanel")
        self.file_dialog_factory: Callable[[QWidget], QFileDialog] = image_file_dialog
        self._dialog: QFileDialog | None = None
        self.edit = ComposerEdit(self)
        self.tray = AttachmentTray(self)
        self.attach_button = QToolButton(self)
        self.attach_button.setObjectName("attachButton")
        self.attach_button.setAccessibleName("attachButton")
        self.attach_button.setText(self.tr("Attach"))
        self.attach_button.setToolTip(self.tr("Attach images or documents (or paste or drop them here)"))
        self.attach_button.setAutoRaise(True)
        self.send_button = QPushButton(self.tr("Send"), self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setAccessibleName("sendButton")
        self.send_button.setDefault(True)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setAccessibleName("stopButton")
        self.stop_button.setToolTip(self.tr("Stop the reply (Esc)"))
        self.stop_button.hide()
        self.status = QLabel(self)
        self.status.setObjectName("composerStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.reason = QLabel(self)
        self.reason.setObjectName("composerReason")
        self.reason.setWordWrap(True)
        self.reason.hide()
        self.thinking_hint = QLabel(self)
        self.thinking_hint.setObjectName("thinkingHint")
        self.thinking_hint.setWordWrap(True)
        self.thinking_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.thinking_hint.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        attach_column = QVBoxLayout()
        attach_column.addStretch(1)
        attach_column.addWidget(self.attach_button)
        row.addLayout(attach_column)
        row.addWidget(self.edit, 1)
        buttons = QVBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 8)
        layout.setSpacing(4)
        layout.addWidget(self.reason)
        layout.addWidget(self.tray)
        layout.addLayout(row)
        layout.addWidget(self.thinking_hint)
        layout.addWidget(self.status)

        self.edit.submitted.connect(self._submit)
        self.edit.imagesOffered.connect(self.imagesOffered)
        self.attach_button.clicked.connect(self.open_file_dialog)
        self.edit.stopRequested.connect(self.stopRequested)
        self.send_button.clicked.connect(self._submit)
        self.stop_button.clicked.connect(self.stopRequested)
        self._streaming = False
        self._blocked_reason = ""

    def text(self) -> str:
        return self.edit.toPlainText()

    def open_file_dialog(self) -> None:
        self._dialog = self.file_dialog_factory(self)
        self._dialog.filesSelected.connect(
            lambda files: self.imagesOffered.emit([Path(f) for f in files]))
        self._dialog.open()

    def set_text(self, text: str) -> None:
        self.edit.walk = None
        self.edit.setPlainText(text)
        cursor = self.edit.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.edit.setTextCursor(cursor)

    def clear(self) -> None:
        self.edit.walk = None
        self.edit.close_prompts()
        self.edit.clear()

    def set_send_with_enter(self, enabled: bool) -> None:
        self.edit.send_with_enter = enabled
        hint = (self.tr("Message Qwen… (Enter to send, Shift+Enter for a new line)") if enabled
                else self.tr("Message Qwen… (Ctrl+Enter to send)"))
        self.edit.setPlaceholderText(hint)

    def add_meter(self, widget: QWidget) -> None:
        """A line under the edit field, above the status (the context meter)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.status), widget)

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def set_thinking_hint(self, text: str) -> None:
        """What thinking the message being typed will get, shown only when it needs saying."""
        self.thinking_hint.setText(text)
        self.thinking_hint.setVisible(bool(text))

    def set_streaming(self, streaming: bool) -> None:
        self._streaming = streaming
        self.send_button.setVisible(not streaming)
        self.stop_button.setVisible(streaming)
        self._update_enabled()

    def set_blocked(self, reason: str) -> None:
        """Disable sending with a visible reason; an empty reason enables it again."""
        self._blocked_reason = reason
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.send_button.setEnabled(not self._blocked_reason and not self._streaming)
        self.send_button.setToolTip(self._blocked_reason or self.tr("Send (Enter)"))

    def _submit(self) -> None:
        if self._streaming or self._blocked_reason:
            return
        text = self.text()
        if not text.strip() and not self.tray.images():
            return
        self.sendRequested.emit(text)
