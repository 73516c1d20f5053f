"""Text, Markdown, CSV, HTML and source code: decoded by BOM, UTF-8, or a detected encoding."""

from __future__ import annotations

import codecs
from html.parser import HTMLParser

from .model import Document, DocumentError, Section

BINARY_SAMPLE = 8192


def read(data: bytes, label: str, digest: str, kind: str) -> Document:
    content = decode(data, label)
    if kind == "html":
        content = html_text(content)
    return Document(label, kind, (Section(1, content.replace("\r\n", "\n")),), digest, len(data))


def decode(data: bytes, label: str) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:BINARY_SAMPLE]:
        raise DocumentError(label, "holds binary data, not text, whatever its name says.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    if best is None:
        raise DocumentError(label, "is not text in any encoding that could be recognised.")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise DocumentError(label, "is not text in any encoding that could be recognised.") from None


class _TextOnly(HTMLParser):
    SKIP = frozenset({"script", "style", "noscript", "template", "svg"})
    BREAKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
                        "article", "pre", "blockquote", "table", "ul", "ol", "header", "footer"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
