"""Real documents made by the tests: PDFs with and without a text layer, Word, Excel, PowerPoint."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with a real text layer: each page's lines drawn in Helvetica."""
    objects: list[bytes] = []
    font_id, pages_id = 3, 2
    kids = []
    body_objects: list[tuple[int, bytes]] = []
    next_id = 4
    for lines in pages:
        page_id, content_id = next_id, next_id + 1
        next_id += 2
        kids.append(page_id)
        stream = "BT /F1 12 Tf 14 TL 72 760 Td " + " ".join(f"({_escape(line)}) '" for line in lines) + " ET"
        data = stream.encode("latin-1")
        body_objects.append((page_id, (f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 612 792] "
                                       f"/Resources << /Font << /F1 {font_id} 0 R >> >> "
                                       f"/Contents {content_id} 0 R >>").encode()))
        body_objects.append((content_id, b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"))
    objects = [
        (1, f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()),
        (pages_id, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()),
        (font_id, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        *body_objects,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    count = max(offsets) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % count)
    for number in range(1, count):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, xref))
    return out.getvalue()


def scanned_pdf(pages: int = 2) -> bytes:
    """A PDF whose pages are only pictures of text, as a scanner makes them."""
    from PIL import Image, ImageDraw

    images = []
    for number in range(pages):
        image = Image.new("RGB", (850, 1100), "white")
        draw = ImageDraw.Draw(image)
        draw.text((80, 80), f"Scanned page {number + 1}: the contract renews every March.", fill="black")
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=100)
    return out.getvalue()


def _zip(parts: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(paragraphs: list[str], table: list[list[str]] | None = None, heading: str | None = None) -> bytes:
    from xml.sax.saxutils import escape

    body = ""
    if heading:
        body += (f'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>{escape(heading)}</w:t></w:r></w:p>')
    body += "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    if table:
        rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in row)
                       + "</w:tr>" for row in table)
        body += f"<w:tbl>{rows}</w:tbl>"
    return _zip({
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>{body}</w:body></w:document>',
    })


def pptx(slides: list[tuple[str, list[str]]]) -> bytes:
    from xml.sax.saxutils import escape

    p = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
    a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    r = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts: dict[str, str | bytes] = {}
    ids, rels = "", ""
    # written in reverse file order, so reading them in the presentation's order is what is tested
    for index, (title, lines) in enumerate(slides, start=1):
        file_number = len(slides) - index + 1
        ids += f'<p:sldId id="{255 + index}" r:id="rId{index}"/>'
        rels += (f'<Relationship Id="rId{index}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 f'relationships/slide" Target="slides/slide{file_number}.xml"/>')
        body = "".join(f"<a:p><a:r><a:t>{escape(line)}</a:t></a:r></a:p>" for line in lines)
        parts[f"ppt/slides/slide{file_number}.xml"] = (
            f'<?xml version="1.0"?><p:sld {p} {a}><p:cSld><p:spTree>'
            f'<p:sp><p:nvSpPr><p:cNvPr id="1" name="Title"/><p:cNvSpPr/><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr>'
            f'<p:txBody><a:p><a:r><a:t>{escape(title)}</a:t></a:r></a:p></p:txBody></p:sp>'
            f'<p:sp><p:nvSpPr><p:cNvPr id="2" name="Body"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
            f'<p:txBody>{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>')
    parts["ppt/presentation.xml"] = f'<?xml version="1.0"?><p:presentation {p} {r}><p:sldIdLst>{ids}</p:sldIdLst></p:presentation>'
    parts["ppt/_rels/presentation.xml.rels"] = (
        f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{rels}</Relationships>')
    parts["[Content_Types].xml"] = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    return _zip(parts)


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(kind: str = "docx") -> bytes:
    """An Office-looking archive whose one member unpacks to 300 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        name = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}[kind]
        with archive.open(name, "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    return out.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(lines: list[str], password: str) -> bytes:
    """A one-page PDF locked with a user password (standard security handler, revision 2, RC4-40)."""
    import hashlib

    def padded(text: str) -> bytes:
        return (text.encode("latin-1") + _PAD)[:32]

    file_id = bytes(range(16))
    permissions = -4
    owner = _rc4(hashlib.md5(padded(password + "-owner")).digest()[:5], padded(password))
    key = hashlib.md5(padded(password) + owner + permissions.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
    user = _rc4(key, _PAD)

    def sealed(number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(key + number.to_bytes(3, "little") + b"\0\0").digest()[:10]
        return _rc4(object_key, data)

    stream = sealed(4, ("BT /F1 12 Tf 14 TL 72 760 Td " + " ".join(f"({_escape(x)}) '" for x in lines) + " ET").encode())
    objects = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R >>"),
        (4, b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"),
        (5, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        (6, b"<< /Filter /Standard /V 1 /R 2 /O <" + owner.hex().encode() + b"> /U <" + user.hex().encode()
            + b"> /P %d >>" % permissions),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for number, body in objects:
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 7\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, 7)))
    out.write(b"trailer\n<< /Size 7 /Root 1 0 R /Encrypt 6 0 R /ID [<" + file_id.hex().encode() + b"> <"
              + file_id.hex().encode() + b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()
