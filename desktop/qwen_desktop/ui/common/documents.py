"""How an attached document looks wherever it appears: a one-line summary and a reader for its text."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ...core.documents import Document
from .formatting import number

KINDS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "pptx": "PowerPoint", "csv": "CSV",
         "markdown": "Markdown", "html": "HTML"}


def _kind(kind: str) -> str:
    if kind == "text":
        return QCoreApplication.translate("DocumentSummary", "Text")
    if kind == "code":
        return QCoreApplication.translate("DocumentSummary", "Code")
    return KINDS.get(kind) or QCoreApplication.translate("DocumentSummary", "Document")


def _count(unit: str, count: int) -> str | None:
    if unit == "page":
        text = QCoreApplication.translate("DocumentSummary", "1 page") if count == 1 else QCoreApplication.translate("DocumentSummary", "%1 pages")
    elif unit == "sheet":
        text = QCoreApplication.translate("DocumentSummary", "1 sheet") if count == 1 else QCoreApplication.translate("DocumentSummary", "%1 sheets")
    elif unit == "slide":
        text = QCoreApplication.translate("DocumentSummary", "1 slide") if count == 1 else QCoreApplication.translate("DocumentSummary", "%1 slides")
    else:
        return None
    return text.replace("%1", number(count))


def summary(ref: Mapping[str, Any]) -> str:
    """``PDF · 12 pages · about 3,400 tokens`` for a stored document reference."""
    parts = [_kind(str(ref.get("format") or ""))]
    count = int(ref.get("sections") or 0)
    if ref.get("unit") and count:
        counted = _count(str(ref["unit"]), count)
        if counted:
            parts.append(counted)
    if ref.get("scanned"):
        parts.append(QCoreApplication.translate("DocumentSummary", "scanned, no text layer"))
    elif ref.get("tokens"):
        parts.append(QCoreApplication.translate("DocumentSummary", "about %1 tokens")
                     .replace("%1", number(int(ref["tokens"]))))
    return " · ".join(parts)


class DocumentReader(QDialog):
    """The text the app read from a document: exactly what a request can carry of it."""

    def __init__(self, name: str, detail: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentReader")
        self.setWindowTitle(name)
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        self.detail = QLabel(detail, self)
        self.detail.setEnabled(False)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("documentText")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
        self.text.setPlaceholderText(self.tr("Reading…"))
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.detail)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self._task: asyncio.Future[Document] | None = None

    def show_document(self, document: Document) -> None:
        self.text.setPlainText(document.text or self.tr("(This document has no text.)"))

    def load(self, read: Callable[[], Document]) -> None:
        """Read the document on a worker thread and show it when ready."""
        self._task = asyncio.ensure_future(asyncio.to_thread(read))
        self._task.add_done_callback(self._loaded)

    def _loaded(self, task: asyncio.Future[Document]) -> None:
        import shiboken6

        if task.cancelled() or not shiboken6.isValid(self):
            return
        error = task.exception()
        if error is not None:
            sentence = getattr(error, "sentence", None) or self.tr("The document could not be read.")
            self.text.setPlaceholderText(sentence)
            return
        self.show_document(task.result())

    def done(self, result: int) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().done(result)
