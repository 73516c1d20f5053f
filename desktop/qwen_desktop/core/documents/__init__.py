"""Documents in chats: text read locally from PDF, Word, spreadsheets, slides, text and code files."""

from .model import Document, DocumentError, Section
from .read import DOCUMENT_SUFFIXES, MAX_DOCUMENT_BYTES, is_document_name, load_document, read_document

__all__ = [
    "DOCUMENT_SUFFIXES",
    "MAX_DOCUMENT_BYTES",
    "Document",
    "DocumentError",
    "Section",
    "is_document_name",
    "load_document",
    "read_document",
]
