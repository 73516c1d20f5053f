"""What a read document is: its sections (pages, sheets or slides) of plain text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from ..errors import QwenError

KIND_NAMES = {
    "pdf": "PDF", "docx": "Word document", "xlsx": "spreadsheet", "csv": "CSV table",
    "pptx": "slides", "text": "text", "markdown": "Markdown", "code": "source code", "html": "web page",
}
UNITS = {"pdf": "page", "xlsx": "sheet", "pptx": "slide"}


class DocumentError(QwenError):
    """A file that cannot be read as a document; the sentence names it and says why."""

    kind = "document_rejected"
    sentence = "This file cannot be read as a document."

    def __init__(self, name: str, reason: str, *, needs_password: bool = False) -> None:
        self.name = name
        self.needs_password = needs_password
        super().__init__(f"{name} {reason}")


@dataclass(frozen=True)
class Section:
    """One page, sheet or slide (or the whole text, for files without pages)."""

    number: int
    text: str
    title: str = ""


@dataclass(frozen=True)
class Document:
    name: str
    kind: str
    sections: tuple[Section, ...]
    sha256: str
    size: int
    scanned: bool = False
    """A PDF whose pages carry no text layer: only images of text."""
    notes: tuple[str, ...] = field(default=())

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    @property
    def unit(self) -> str | None:
        return UNITS.get(self.kind)

    @property
    def text(self) -> str:
        """The whole text, each page, sheet or slide headed by its label."""
        if self.unit is None:
            return "\n".join(s.text for s in self.sections)
        return "\n\n".join(f"[{self.label(s)}]\n{s.text}" for s in self.sections)

    def label(self, section: Section) -> str:
        unit = self.unit or "part"
        return f"{unit} {section.number}" + (f": {section.title}" if section.title else "")

    @property
    def chars(self) -> int:
        return sum(len(s.text) for s in self.sections)

    def describe(self) -> str:
        parts = [KIND_NAMES.get(self.kind, self.kind)]
        if self.unit:
            count = len(self.sections)
            parts.append(f"{count} {self.unit}{'' if count == 1 else 's'}")
        if self.scanned:
            parts.append("scanned, no text layer")
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "sha256": self.sha256, "size": self.size,
            "scanned": self.scanned, "notes": list(self.notes),
            "sections": [{"number": s.number, "title": s.title, "text": s.text} for s in self.sections],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        sections = tuple(
            Section(int(s["number"]), str(s["text"]), str(s.get("title") or ""))
            for s in data["sections"]
        )
        return cls(str(data["name"]), str(data["kind"]), sections, str(data["sha256"]),
                   int(data["size"]), bool(data.get("scanned")), tuple(map(str, data.get("notes") or ())))
