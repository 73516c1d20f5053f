"""Images and documents waiting in the composer: thumbnails and cards with a remove button."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMimeData, QMimeDatabase, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.documents import Document
from ...core.images import PreparedImage
from ..common.documents import DocumentReader, summary
from ..common.error_text import translate_sentence

THUMB = 64


def image_sources(mime: QMimeData) -> list[Path | bytes]:
    """Local image files or raw image data carried by a drop or a paste; remote URLs are ignored."""
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    if paths:
        return list(paths)
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QImage) and not image.isNull():
            return [_png_bytes(image)]
    for fmt in ("image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp"):
        if mime.hasFormat(fmt):
            return [bytes(mime.data(fmt).data())]
    return []


def not_images(mime: QMimeData) -> list[str]:
    """Names of the dropped local files whose type (by name) is not an image."""
    types = QMimeDatabase()
    names = []
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            kind = types.mimeTypeForFile(str(path), QMimeDatabase.MatchMode.MatchExtension)
            if not kind.name().startswith("image/"):
                names.append(path.name)
    return names


def has_remote_images_only(mime: QMimeData) -> bool:
    urls = mime.urls()
    return bool(urls) and not any(url.isLocalFile() for url in urls) and not mime.hasImage()


def _png_bytes(image: QImage) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def pixmap_of(image: PreparedImage) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(image.data)
    return pixmap


class ImagePreview(QDialog):
    """A larger look at one image, with what was done to it before sending."""

    def __init__(self, image: PreparedImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imagePreview")
        self.setWindowTitle(image.name)
        picture = QLabel(self)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = pixmap_of(image)
        if pixmap.width() > 900 or pixmap.height() > 700:
            pixmap = pixmap.scaled(900, 700, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        picture.setPixmap(pixmap)
        caption = QLabel(f"{image.name} · {image.width}×{image.height} · {image.mime}", self)
        caption.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(picture, 1)
        layout.addWidget(caption)
        for note in image.notes:
            layout.addWidget(QLabel(note, self))


class _Thumb(QWidget):
    removeRequested = Signal(object)
    previewRequested = Signal(object)

    def __init__(self, image: PreparedImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = image
        self.setObjectName("attachmentThumb")
        button = QToolButton(self)
        button.setObjectName("thumbButton")
        button.setIconSize(QSize(THUMB, THUMB))
        button.setIcon(QIcon(pixmap_of(image).scaled(
            THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation)))
        tip = f"{image.name} — {image.width}×{image.height}"
        if image.notes:
            tip += "\n" + "\n".join(image.notes)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(lambda: self.previewRequested.emit(self.image))
        remove = QToolButton(self)
        remove.setObjectName("removeAttachment")
        remove.setText("×")
        remove.setToolTip(self.tr("Remove this image"))
        remove.setAccessibleName(self.tr("Remove %1").replace("%1", image.name))
        remove.setAutoRaise(True)
        remove.clicked.connect(lambda: self.removeRequested.emit(self.image))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(button)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)


@dataclass(frozen=True)
class PreparedDocument:
    """A document read locally, with the bytes it was read from (stored as they are when sent)."""

    document: Document
    data: bytes

    @property
    def name(self) -> str:
        return self.document.name

    @property
    def sha256(self) -> str:
        return self.document.sha256

    def ref(self) -> dict[str, object]:
        """What the card shows, in the shape of the reference the message will store."""
        from ...core.documents.library import estimate_tokens

        doc = self.document
        return {"name": doc.name, "format": doc.kind, "sections": len(doc.sections), "unit": doc.unit,
                "scanned": doc.scanned, "tokens": estimate_tokens(doc.text)}


class _DocumentCard(QWidget):
    removeRequested = Signal(object)
    openRequested = Signal(object)

    def __init__(self, item: PreparedDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName("documentCard")
        button = QToolButton(self)
        button.setObjectName("documentButton")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setIcon(self.style().standardIcon(self.style().StandardPixmap.SP_FileIcon))
        button.setText(f"{item.name}\n{summary(item.ref())}")
        button.setToolTip("\n".join([item.name, *item.document.notes]))
        button.setAccessibleName(item.name)
        button.setAutoRaise(True)
        button.setMinimumHeight(THUMB)
        button.clicked.connect(lambda: self.openRequested.emit(self.item))
        remove = QToolButton(self)
        remove.setObjectName("removeAttachment")
        remove.setText("×")
        remove.setToolTip(self.tr("Remove this document"))
        remove.setAccessibleName(self.tr("Remove %1").replace("%1", item.name))
        remove.setAutoRaise(True)
        remove.clicked.connect(lambda: self.removeRequested.emit(self.item))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(button)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)


class AttachmentTray(QWidget):
    """Holds the prepared images and documents of the message being written."""

    changed = Signal()
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentTray")
        self._images: list[PreparedImage] = []
        self._documents: list[PreparedDocument] = []
        self._reader: DocumentReader | None = None
        self._pending = 0
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        self._row.addStretch(1)
        strip = QWidget(self)
        strip.setLayout(self._row)
        scroller = QScrollArea(self)
        scroller.setWidget(strip)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        scroller.setFixedHeight(THUMB + 16)
        scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notes = QLabel(self)
        self.notes.setObjectName("attachmentNotes")
        self.notes.setWordWrap(True)
        self.notes.setEnabled(False)
        self.busy = QWidget(self)
        busy_row = QHBoxLayout(self.busy)
        busy_row.setContentsMargins(0, 0, 0, 0)
        busy_row.addWidget(QLabel(self.tr("Preparing attachments…"), self.busy))
        cancel = QToolButton(self.busy)
        cancel.setObjectName("cancelAttachments")
        cancel.setText(self.tr("Cancel"))
        cancel.setToolTip(self.tr("Stop reading the files still being prepared"))
        cancel.clicked.connect(self.cancelRequested.emit)
        busy_row.addWidget(cancel)
        busy_row.addStretch(1)
        self.busy.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(scroller)
        layout.addWidget(self.busy)
        layout.addWidget(self.notes)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._preview: ImagePreview | None = None
        self._sync()

    def images(self) -> list[PreparedImage]:
        return list(self._images)

    def documents(self) -> list[PreparedDocument]:
        return list(self._documents)

    def add_documents(self, items: Sequence[PreparedDocument]) -> None:
        for item in items:
            if any(kept.sha256 == item.sha256 for kept in self._documents):
                continue
            self._documents.append(item)
            card = _DocumentCard(item, self)
            card.removeRequested.connect(self.remove_document)
            card.openRequested.connect(self.read)
            self._row.insertWidget(self._row.count() - 1, card)
        self._sync()

    def remove_document(self, item: PreparedDocument) -> None:
        self._documents = [kept for kept in self._documents if kept is not item]
        for card in self.findChildren(_DocumentCard):
            if card.item is item:
                card.setParent(None)
                card.deleteLater()
        self._sync()

    def read(self, item: PreparedDocument) -> None:
        self._reader = DocumentReader(item.name, summary(item.ref()), self.window())
        self._reader.show_document(item.document)
        self._reader.open()

    def count(self) -> int:
        return len(self._images) + self._pending

    def add_pending(self, delta: int) -> None:
        """Count images still being prepared (negative to count them done)."""
        self._pending = max(0, self._pending + delta)
        self.busy.setVisible(self._pending > 0)
        self._sync()

    def add(self, images: Sequence[PreparedImage]) -> None:
        for image in images:
            if any(kept.sha256 == image.sha256 for kept in self._images):
                continue
            self._images.append(image)
            thumb = _Thumb(image, self)
            thumb.removeRequested.connect(self.remove)
            thumb.previewRequested.connect(self.preview)
            self._row.insertWidget(self._row.count() - 1, thumb)
        self._sync()

    def remove(self, image: PreparedImage) -> None:
        self._images = [kept for kept in self._images if kept is not image]
        for thumb in self.findChildren(_Thumb):
            if thumb.image is image:
                thumb.setParent(None)
                thumb.deleteLater()
        self._sync()

    def clear(self) -> None:
        for image in list(self._images):
            self.remove(image)
        for item in list(self._documents):
            self.remove_document(item)

    def preview(self, image: PreparedImage) -> None:
        self._preview = ImagePreview(image, self.window())
        self._preview.open()

    def _sync(self) -> None:
        notes = [f"{item.name}: {translate_sentence(note)}" for item in [*self._images, *self._documents]
                 for note in (item.notes if isinstance(item, PreparedImage) else item.document.notes)]
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self.setVisible(bool(self._images) or bool(self._documents) or self._pending > 0)
        self.changed.emit()


def file_url(path: Path) -> QUrl:
    return QUrl.fromLocalFile(str(path))
