"""Getting images and documents into the composer: limits, reading off the Qt thread, and sending them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QWidget

from ...core import errors as e
from ...core.engine import ChatEngine, EngineEvent
from ...core.documents import DocumentError, is_document_name, load_document
from ...core.images import PreparedImage, keep_allowed, prepare_image
from ..common.error_text import describe, translate_text
from .attachments import AttachmentTray, PreparedDocument, has_remote_images_only, image_sources, not_images



class ImageIntake(QObject):
    def __init__(self, engine: ChatEngine, tray: AttachmentTray, notify: Callable[[str], None],
                 clear_notice: Callable[[], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.engine = engine
        self.tray = tray
        self._notify = notify
        self._clear_notice = clear_notice
        self._tasks: set[asyncio.Future[None]] = set()
        self.password_dialog: QInputDialog | None = None
        tray.cancelRequested.connect(self.cancel)
        self.overlay = QLabel(self.tr("Drop images or documents to attach them"), parent)
        self.overlay.setObjectName("dropOverlay")
        self.overlay.hide()

    def offer(self, sources: list[object]) -> None:
        documents = [s for s in sources if isinstance(s, Path) and is_document_path(s)]
        sources = [s for s in sources if not (isinstance(s, Path) and is_document_path(s))]
        kept, dropped = keep_allowed(sources, already=self.tray.count()) if sources else ([], None)
        problems = [translate_text(dropped)] if dropped else []
        if not kept and not documents:
            self._notify("\n".join(problems))
            return
        task = asyncio.ensure_future(self._prepare(kept, problems, documents))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _prepare(self, sources: list[object], problems: list[str],
                       documents: list[Path] | None = None) -> None:
        """Read documents and prepare images on worker threads; one notice for all that failed."""
        documents = documents or []
        self.tray.add_pending(len(sources) + len(documents))
        prepared: list[PreparedImage] = []
        ready: list[PreparedDocument] = []
        try:
            for path in documents:
                try:
                    document, data = await asyncio.to_thread(load_document, path)
                except DocumentError as error:
                    if error.needs_password and path.suffix.lower() == ".pdf":
                        self.ask_password(path)
                    else:
                        problems.append(describe(error))
                    continue
                ready.append(PreparedDocument(document, data))
            for source in sources:
                name = source.name if isinstance(source, Path) else None
                try:
                    prepared.append(await asyncio.to_thread(prepare_image, source, name))
                except e.QwenError as error:
                    problems.append(describe(error))
        finally:
            self.tray.add_pending(-(len(sources) + len(documents)))
        self.tray.add_documents(ready)
        self.tray.add(prepared)
        if problems:
            self._notify("\n".join(problems))
        else:
            self._clear_notice()

    def cancel(self) -> None:
        """Stop waiting for files still being read; what is already in the tray stays."""
        for task in list(self._tasks):
            task.cancel()

    def ask_password(self, path: Path, wrong: bool = False) -> None:
        """A PDF locked with a password: ask for it without blocking, then read it again."""
        parent = self.parent()
        dialog = QInputDialog(parent if isinstance(parent, QWidget) else None)
        dialog.setObjectName("documentPassword")
        dialog.setWindowTitle(self.tr("Password needed"))
        label = self.tr("%1 is protected by a password. Enter it to read the document here:")
        if wrong:
            label = self.tr("That password does not open %1. Try again:")
        dialog.setLabelText(label.replace("%1", path.name))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.textValueSelected.connect(lambda password: self._unlock(path, password))
        self.password_dialog = dialog
        dialog.open()

    def _unlock(self, path: Path, password: str) -> None:
        async def read() -> None:
            self.tray.add_pending(1)
            try:
                document, data = await asyncio.to_thread(load_document, path, password=password)
            except DocumentError as error:
                if error.needs_password:
                    self.ask_password(path, wrong=True)
                else:
                    self._notify(describe(error))
                return
            finally:
                self.tray.add_pending(-1)
            self.tray.add_documents([PreparedDocument(document, data)])

        task = asyncio.ensure_future(read())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def send(self, cid: int, text: str, images: list[PreparedImage],
                   documents: list[PreparedDocument] | None = None) -> AsyncIterator[EngineEvent]:
        store, library = self.engine.attachments, self.engine.documents
        assert store is not None and library is not None
        refs = await asyncio.to_thread(lambda: [store.save(image) for image in images]
                                       + [library.save(item.document, item.data) for item in documents or ()])
        async for event in self.engine.send(cid, text, attachments=refs):
            yield event

    def attachment_path(self, ref: dict[str, object]) -> Path | None:
        store = self.engine.attachments
        if store is None or not store.exists(ref):
            return None
        return store.path(ref)

    def drag_enter(self, event: QDragEnterEvent, area: QRect) -> None:
        """Accepted as a copy (the source keeps its file); the overlay says what will happen."""
        mime = event.mimeData()
        if image_sources(mime) or has_remote_images_only(mime):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            others = [name for name in not_images(mime) if not is_document_name(name)]
            if others:
                self.overlay.setText(self.tr("%1 cannot be attached: images and documents (PDF, Word, Excel, "
                                             "PowerPoint, text, code) can.").replace("%1", ", ".join(others)))
            else:
                self.overlay.setText(self.tr("Drop images or documents to attach them"))
            self.overlay.setGeometry(area)
            self.overlay.raise_()
            self.overlay.show()

    def drop(self, event: QDropEvent) -> None:
        self.overlay.hide()
        mime = event.mimeData()
        sources = image_sources(mime)
        if sources:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.offer(sources)
        elif has_remote_images_only(mime):
            self._notify(self.tr("Images from web pages are not downloaded: drag the picture "
                                 "itself or save it first."))


IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".gif"})


def is_document_path(path: Path) -> bool:
    """Anything but an image file is read as a document (which names what it can read if it can't)."""
    return path.suffix.lower() not in IMAGE_SUFFIXES and (is_document_name(path.name) or path.is_file())
