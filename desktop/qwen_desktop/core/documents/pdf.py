"""PDF text layers through PDFium (pypdfium2), and page images for scanned PDFs."""

from __future__ import annotations

from .model import Document, DocumentError, Section

MAX_PAGES = 3000
SCANNED_CHARS_PER_PAGE = 16
"""Fewer characters than this per page on average, with images on the pages: a scan."""
RENDER_SCALE = 150 / 72


def _open(data: bytes, label: str, password: str | None):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            if password:
                raise DocumentError(label, "needs a password, and the one given is not it.",
                                    needs_password=True) from None
            raise DocumentError(label, "is protected by a password: the window asks for it; elsewhere, save a copy without one.",
                                needs_password=True) from None
        raise DocumentError(label, "is damaged: it is not a readable PDF.") from None


def read(data: bytes, label: str, digest: str, password: str | None = None) -> Document:
    document = _open(data, label, password)
    try:
        count = len(document)
        if count == 0:
            raise DocumentError(label, "has no pages.")
        if count > MAX_PAGES:
            raise DocumentError(label, f"has {count:,} pages: documents of up to {MAX_PAGES:,} pages are read.")
        sections = []
        images = 0
        for index in range(count):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    content = textpage.get_text_range()
                finally:
                    textpage.close()
                if len(content.strip()) < SCANNED_CHARS_PER_PAGE:
                    images += _has_images(page)
            finally:
                page.close()
            sections.append(Section(index + 1, _tidy(content)))
    finally:
        document.close()
    chars = sum(len(s.text.strip()) for s in sections)
    scanned = chars < SCANNED_CHARS_PER_PAGE * count and images > 0
    notes = ("This PDF has no text layer (a scan): its pages can be sent as images to a model "
             "that sees images.",) if scanned else ()
    return Document(label, "pdf", tuple(sections), digest, len(data), scanned, notes)


def _has_images(page) -> int:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as raw

    return int(any(obj.type == raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2)))


def _tidy(content: str) -> str:
    content = content.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return "\n".join(line.rstrip() for line in content.split("\n")).strip()


def render_pages(data: bytes, label: str, pages: list[int], password: str | None = None) -> list[bytes]:
    """PNG images of the given 1-based pages, for a model that reads scans itself."""
    import io

    document = _open(data, label, password)
    out = []
    try:
        for number in pages:
            page = document[number - 1]
            try:
                image = page.render(scale=RENDER_SCALE).to_pil()
            finally:
                page.close()
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "PNG", optimize=False)
            out.append(buffer.getvalue())
    finally:
        document.close()
    return out
