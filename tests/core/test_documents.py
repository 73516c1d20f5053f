"""Documents read locally: every kind of file, and every kind of bad file refused with a sentence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qwen_desktop.core.documents import DocumentError, read_document
from qwen_desktop.core.documents.pdf import render_pages
from tests import documents_files as files


def test_pdf_text_layer_is_read_page_by_page(tmp_path: Path) -> None:
    pdf = files.write(tmp_path, "report.pdf", files.text_pdf([["Quarterly report", "Revenue grew 12%."],
                                                              ["Outlook (2027)", "Hiring continues."]]))
    document = read_document(pdf)
    assert document.kind == "pdf" and not document.scanned
    assert [s.number for s in document.sections] == [1, 2]
    assert "Revenue grew 12%." in document.sections[0].text
    assert "Outlook (2027)" in document.sections[1].text
    assert "[page 2]" in document.text and document.describe() == "PDF, 2 pages"


def test_a_scan_is_recognised_and_its_pages_render(tmp_path: Path) -> None:
    data = files.scanned_pdf(2)
    document = read_document(files.write(tmp_path, "scan.pdf", data))
    assert document.scanned and document.notes
    assert "scanned" in document.describe()
    pngs = render_pages(data, "scan.pdf", [1, 2])
    assert len(pngs) == 2 and all(p.startswith(b"\x89PNG") for p in pngs)


def test_word_paragraphs_headings_and_tables(tmp_path: Path) -> None:
    data = files.docx(["The tenant pays rent monthly.", "Notice period: 3 months."],
                      table=[["Item", "Cost"], ["Rent", "1,200"]], heading="Lease")
    document = read_document(files.write(tmp_path, "lease.docx", data))
    assert document.kind == "docx"
    assert document.text.splitlines()[:3] == ["# Lease", "The tenant pays rent monthly.", "Notice period: 3 months."]
    assert "Rent | 1,200" in document.text


def test_slides_in_the_presentations_order_with_titles(tmp_path: Path) -> None:
    data = files.pptx([("Intro", ["Why we ship"]), ("Plan", ["Q1: beta", "Q2: launch"])])
    document = read_document(files.write(tmp_path, "deck.pptx", data))
    assert [(s.number, s.title) for s in document.sections] == [(1, "Intro"), (2, "Plan")]
    assert document.sections[1].text == "Q1: beta\nQ2: launch"
    assert "[slide 2: Plan]" in document.text


def test_spreadsheet_sheets_dates_and_numbers(tmp_path: Path) -> None:
    import datetime

    data = files.xlsx({"Budget": [["Item", "Amount", "Due"], ["Rent", 1200.0, datetime.date(2026, 3, 1)]],
                       "Notes": [["ok"]]})
    document = read_document(files.write(tmp_path, "budget.xlsx", data))
    assert [s.title for s in document.sections] == ["Budget", "Notes"]
    assert document.sections[0].text.splitlines() == ["Item\tAmount\tDue", "Rent\t1200\t2026-03-01"]
    assert document.describe() == "spreadsheet, 2 sheets"


@pytest.mark.parametrize(("name", "text", "encoding"), [
    ("notes.txt", "plain notes ✓", "utf-8"),
    ("main.py", "# 中文注释\nprint('你好，世界')\n", "gbk"),
    ("readme.md", "# 日本語のテキスト\n本文です。これは長めの文章で、文字コードの判定に十分な量があります。\n", "shift_jis"),
    ("data.csv", "name,city\nZoë,Zürich\n", "utf-16"),
    ("legacy.c", "/* café crème brûlée à la française, naïve façade */\nint main(void) { return 0; }\n", "cp1252"),
])
def test_text_and_code_in_several_encodings(tmp_path: Path, name: str, text: str, encoding: str) -> None:
    document = read_document(files.write(tmp_path, name, text.encode(encoding)))
    assert document.text.strip() == text.strip()


def test_html_keeps_text_and_drops_scripts(tmp_path: Path) -> None:
    page = b"<html><head><style>p{}</style><script>alert(1)</script></head><body><h1>Title</h1><p>Body &amp; more</p></body></html>"
    document = read_document(files.write(tmp_path, "page.html", page))
    assert document.text == "Title\n\nBody & more"


def test_encrypted_pdf_asks_for_its_password_and_opens_with_it(tmp_path: Path) -> None:
    path = files.write(tmp_path, "locked.pdf", files.encrypted_pdf(["Salary: 5,000"], "s3cret"))
    with pytest.raises(DocumentError) as refused:
        read_document(path)
    assert refused.value.needs_password and "password" in str(refused.value)
    with pytest.raises(DocumentError, match="not it"):
        read_document(path, password="wrong")
    assert "Salary: 5,000" in read_document(path, password="s3cret").text


@pytest.mark.parametrize(("name", "data", "words"), [
    ("broken.pdf", b"%PDF-1.7\n" + os.urandom(2000), "damaged"),
    ("broken.docx", b"PK\x03\x04" + os.urandom(500), "damaged"),
    ("bomb.docx", None, "zip bomb"),
    ("bomb.xlsx", None, "zip bomb"),
    ("bomb.pptx", None, "zip bomb"),
    ("random.zip.docx", b"", "not a Word"),
    ("binary.txt", b"ELF\x00\x01\x02" + os.urandom(100), "binary"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "older Office format"),
    ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "password"),
    ("photo.exe", b"MZ\x90\x00", "not a kind of document"),
])
def test_bad_files_are_refused_with_a_sentence(tmp_path: Path, name: str, data: bytes | None, words: str) -> None:
    if data is None:
        data = files.zip_bomb(name.rsplit(".", 1)[1])
    elif name == "random.zip.docx":
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hi")
        data = buffer.getvalue()
    with pytest.raises(DocumentError) as refused:
        read_document(files.write(tmp_path, name, data))
    assert words in str(refused.value) and str(refused.value).startswith(name)


def test_special_files_are_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(DocumentError, match="not a regular file"):
        read_document(fifo)
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(DocumentError, match="not a regular file"):
        read_document(link)
    with pytest.raises(DocumentError, match="folder"):
        read_document(tmp_path)


def test_a_thousand_page_pdf_is_read(tmp_path: Path) -> None:
    pages = [[f"Page {n} says item {n * 7}."] for n in range(1, 1001)]
    document = read_document(files.write(tmp_path, "long.pdf", files.text_pdf(pages)))
    assert len(document.sections) == 1000
    assert document.sections[998].text == "Page 999 says item 6993."
