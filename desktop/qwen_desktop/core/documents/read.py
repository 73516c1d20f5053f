"""Reading a file into a :class:`Document`, locally and within bounds.

Everything here runs on a worker thread. The type is decided by the bytes (PDF and Office files
have signatures), the extension only tells text files apart. Office files are ZIP archives: their
declared sizes are checked before anything is unpacked, and every member is read with a bound,
so a crafted archive ("zip bomb") is refused instead of filling memory.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..files import FileRefusedError, read_bounded
from . import office, pdf, text
from .model import Document, DocumentError

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
TEXT_KINDS = {
    ".txt": "text", ".text": "text", ".log": "text", ".md": "markdown", ".markdown": "markdown",
    ".rst": "text", ".csv": "csv", ".tsv": "csv", ".html": "html", ".htm": "html",
}
CODE_SUFFIXES = frozenset(
    ".py .pyi .js .mjs .cjs .ts .tsx .jsx .c .h .cc .cpp .cxx .hpp .hh .java .kt .kts .go .rs .rb .php "
    ".sh .bash .zsh .fish .ps1 .bat .sql .css .scss .less .swift .m .mm .cs .fs .scala .clj .lua .pl .r "
    ".dart .ex .exs .erl .hs .ml .vue .svelte .json .jsonl .yaml .yml .toml .ini .cfg .conf .xml .proto "
    ".gradle .cmake .mk .dockerfile .tex .diff .patch .env.example .properties .ipynb".split()
)
OFFICE_SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".pptx": "pptx"}
OLD_OFFICE = frozenset({".doc", ".xls", ".ppt"})
PLAIN_NAMES = frozenset({"makefile", "dockerfile", "readme", "license", "changelog", "cmakelists.txt"})
DOCUMENT_SUFFIXES = frozenset({*TEXT_KINDS, *CODE_SUFFIXES, *OFFICE_SUFFIXES})
"""Extensions offered in the file dialog and taken from a drop (images are handled apart)."""

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def is_document_name(name: str) -> bool:
    path = Path(name)
    return path.suffix.lower() in DOCUMENT_SUFFIXES or path.name.lower() in PLAIN_NAMES


def load_document(path: Path, *, password: str | None = None) -> tuple[Document, bytes]:
    """Read the file at ``path``: the document and the bytes it was read from (to store as they are)."""
    data = _read(Path(path), Path(path).name)
    return read_document(data, Path(path).name, password=password), data


def read_document(source: Path | bytes, name: str | None = None, *, password: str | None = None) -> Document:
    """Read ``source`` (a path, or bytes with their ``name``); DocumentError says why not."""
    if isinstance(source, bytes):
        label, data = name or "document", source
    else:
        label = name or Path(source).name
        data = _read(Path(source), label)
    suffix = Path(label).suffix.lower()
    digest = Document.digest(data)
    if data.startswith(b"%PDF-") or (suffix == ".pdf" and b"%PDF-" in data[:1024]):
        return pdf.read(data, label, digest, password)
    if data.startswith(_CFB):
        if _ENCRYPTED_PACKAGE in data[:1 << 20] or suffix in (".docx", ".xlsx", ".pptx"):
            raise DocumentError(label, "is password-protected: save a copy without a password and attach that.",
                                needs_password=True)
        raise DocumentError(label, "is in an older Office format (.doc, .xls, .ppt): save it as "
                                   ".docx, .xlsx or .pptx and attach that.")
    if data.startswith(b"PK\x03\x04") or suffix in (".docx", ".xlsx", ".xlsm", ".pptx"):
        return _office(data, label, digest)
    if suffix in OLD_OFFICE:
        raise DocumentError(label, "is not a readable Office file.")
    kind = TEXT_KINDS.get(suffix) or ("code" if suffix in CODE_SUFFIXES else None)
    if kind is None and Path(label).name.lower() in PLAIN_NAMES:
        kind = "text"
    if kind is None:
        raise DocumentError(label, "is not a kind of document that can be read here (PDF, Word, "
                                   "Excel, PowerPoint, CSV, text, Markdown, HTML or source code).")
    return text.read(data, label, digest, kind)


def _read(path: Path, label: str) -> bytes:
    try:
        return read_bounded(path, MAX_DOCUMENT_BYTES)
    except FileRefusedError as refused:
        raise DocumentError(label, refused.reason) from None


def _office(data: bytes, label: str, digest: str) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DocumentError(label, "is damaged: it is not a readable Office file.") from None
    with archive:
        office.check_archive(archive, label)
        names = set(archive.namelist())
        if "word/document.xml" in names:
            return office.read_docx(archive, label, digest, len(data))
        if "xl/workbook.xml" in names:
            return office.read_xlsx(data, archive, label, digest)
        if "ppt/presentation.xml" in names:
            return office.read_pptx(archive, label, digest, len(data))
    raise DocumentError(label, "is a ZIP archive but not a Word, Excel or PowerPoint file.")
