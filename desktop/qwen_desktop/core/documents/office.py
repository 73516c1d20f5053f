"""Word, Excel and PowerPoint files (Office Open XML), read as text.

Word and PowerPoint text is taken straight from their XML with the standard library: the text
needs nothing more, and python-docx / python-pptx would add lxml (about 10 MB) to the packaged
app. Spreadsheets go through openpyxl, which knows shared strings, dates and number formats.
"""

from __future__ import annotations

import io
import posixpath
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime, time

from .model import Document, DocumentError, Section

MAX_MEMBERS = 5000
MAX_UNPACKED = 256 * 1024 * 1024
MAX_MEMBER = 64 * 1024 * 1024
MAX_RATIO = 200
"""Deflate compresses ordinary XML 10-30 times; a member far beyond that is built to explode."""
MAX_SHEET_ROWS = 100_000
MAX_SHEET_CELLS = 2_000_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def check_archive(archive: zipfile.ZipFile, label: str) -> None:
    """Refuse archives whose declared sizes or ratios would exhaust memory, before unpacking."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise DocumentError(label, f"holds {len(members):,} parts, more than an Office file ever needs.")
    total = 0
    for info in members:
        total += info.file_size
        if info.flag_bits & 0x1:
            raise DocumentError(label, "is password-protected: save a copy without a password and attach that.",
                                needs_password=True)
        if info.file_size > MAX_MEMBER or (
            info.compress_size and info.file_size > 1 << 20 and info.file_size / info.compress_size > MAX_RATIO
        ):
            raise DocumentError(label, "unpacks to far more data than it holds (a \"zip bomb\"), so it is not opened.")
    if total > MAX_UNPACKED:
        raise DocumentError(label, "unpacks to far more data than it holds (a \"zip bomb\"), so it is not opened.")


def _member(archive: zipfile.ZipFile, name: str, label: str) -> bytes:
    try:
        with archive.open(name) as stream:
            data = stream.read(MAX_MEMBER + 1)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise DocumentError(label, "is damaged: part of it cannot be unpacked.") from None
    if len(data) > MAX_MEMBER:
        raise DocumentError(label, "unpacks to far more data than it holds (a \"zip bomb\"), so it is not opened.")
    return data


def _xml(archive: zipfile.ZipFile, name: str, label: str) -> ET.Element:
    try:
        return ET.fromstring(_member(archive, name, label))
    except ET.ParseError:
        raise DocumentError(label, "is damaged: its content is not well-formed.") from None


# ---- Word

def read_docx(archive: zipfile.ZipFile, label: str, digest: str, size: int) -> Document:
    body = _xml(archive, "word/document.xml", label).find(f"{W}body")
    lines: list[str] = []
    for block in ([] if body is None else list(body)):
        if block.tag == f"{W}p":
            lines.append(_paragraph(block))
        elif block.tag == f"{W}tbl":
            for row in block.iter(f"{W}tr"):
                cells = [" ".join(_paragraph(p) for p in cell.iter(f"{W}p")).strip()
                         for cell in row.iter(f"{W}tc")]
                lines.append(" | ".join(cells))
            lines.append("")
    return Document(label, "docx", (Section(1, _joined(lines)),), digest, size)


def _paragraph(p: ET.Element) -> str:
    parts: list[str] = []
    for node in p.iter():
        if node.tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{W}tab":
            parts.append("\t")
        elif node.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    text = "".join(parts)
    style = p.find(f"{W}pPr/{W}pStyle")
    name = (style.get(f"{W}val") or "") if style is not None else ""
    if text and name.lower().startswith("heading") and name[-1:].isdigit():
        text = "#" * int(name[-1]) + " " + text
    elif text and name.lower() == "title":
        text = "# " + text
    return text


def _joined(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line.rstrip())
    return "\n".join(out).strip()


# ---- PowerPoint

def read_pptx(archive: zipfile.ZipFile, label: str, digest: str, size: int) -> Document:
    sections = []
    for number, name in enumerate(_slide_names(archive, label), start=1):
        slide = _xml(archive, name, label)
        title, lines = "", []
        for shape in slide.iter(f"{P}sp"):
            placeholder = shape.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
            paragraphs = ["".join(t.text or "" for t in para.iter(f"{A}t")) for para in shape.iter(f"{A}p")]
            paragraphs = [p for p in paragraphs if p.strip()]
            if placeholder is not None and placeholder.get("type") in ("title", "ctrTitle") and not title:
                title = " ".join(paragraphs)
                continue
            lines.extend(paragraphs)
        for frame in slide.iter(f"{A}tbl"):
            for row in frame.iter(f"{A}tr"):
                lines.append(" | ".join("".join(t.text or "" for t in cell.iter(f"{A}t")) for cell in row.iter(f"{A}tc")))
        sections.append(Section(number, "\n".join(lines).strip(), title))
    if not sections:
        raise DocumentError(label, "has no slides.")
    return Document(label, "pptx", tuple(sections), digest, size)


def _slide_names(archive: zipfile.ZipFile, label: str) -> list[str]:
    presentation = _xml(archive, "ppt/presentation.xml", label)
    try:
        rels = _xml(archive, "ppt/_rels/presentation.xml.rels", label)
    except DocumentError:
        rels = None
    targets = {} if rels is None else {r.get("Id"): r.get("Target") for r in rels.iter(f"{REL}Relationship")}
    names = []
    for slide in presentation.iter(f"{P}sldId"):
        target = targets.get(slide.get(f"{R}id"))
        if target:
            names.append(posixpath.normpath(posixpath.join("ppt", target)))
    existing = set(archive.namelist())
    ordered = [n for n in names if n in existing]
    if ordered:
        return ordered
    slides = [n for n in existing if n.startswith("ppt/slides/slide") and n.endswith(".xml")]
    return sorted(slides, key=lambda n: int("".join(c for c in n if c.isdigit()) or 0))


# ---- Excel

def read_xlsx(data: bytes, archive: zipfile.ZipFile, label: str, digest: str) -> Document:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise DocumentError(label, "is damaged: it is not a readable spreadsheet.") from None
    sections = []
    cells = 0
    try:
        for number, sheet in enumerate(book.worksheets, start=1):
            rows: list[str] = []
            for row in sheet.iter_rows(values_only=True):
                values = [_cell(v) for v in row]
                while values and values[-1] == "":
                    values.pop()
                cells += len(values)
                if values:
                    rows.append("\t".join(values))
                if len(rows) >= MAX_SHEET_ROWS or cells > MAX_SHEET_CELLS:
                    raise DocumentError(label, "is too large a spreadsheet to send as text "
                                               f"(more than {MAX_SHEET_ROWS:,} rows or {MAX_SHEET_CELLS:,} cells).")
            sections.append(Section(number, "\n".join(rows), sheet.title))
    except DocumentError:
        raise
    except Exception:  # noqa: BLE001
        raise DocumentError(label, "is damaged: it is not a readable spreadsheet.") from None
    finally:
        book.close()
    return Document(label, "xlsx", tuple(sections), digest, len(data))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds").removesuffix(" 00:00:00")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\t", " ").replace("\n", " ")
