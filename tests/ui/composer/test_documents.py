"""Documents into the real window: drop a PDF, see its card, send, read the reply; after a restart
the card is still there and opens the text that was read."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QPlainTextEdit, QToolButton

from tests import documents_files as files
from tests.simulator import Reply, Simulator
from tests.ui.composer.test_images import drop, file_mime, vision
from tests.ui.harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def wait_documents(harness: Harness, window, count: int) -> None:  # type: ignore[no-untyped-def]
    tray = window.composer.tray
    harness.qtbot.waitUntil(lambda: len(tray.documents()) == count and tray.count() == 0, timeout=20000)


def last_user_text(sim: Simulator) -> str:
    content = sim.requests[-1].body["messages"][-1]["content"]
    return content if isinstance(content, str) else "".join(p.get("text", "") for p in content)


def test_drop_a_pdf_send_it_and_find_it_after_a_restart(harness: Harness, sim: Simulator, tmp_path: Path) -> None:
    window = harness.open()
    pdf = files.write(tmp_path, "lease.pdf", files.text_pdf([["Rent is due on the 5th."], ["Pets allowed."]]))
    drop(window, file_mime(pdf))
    wait_documents(harness, window, 1)
    card = window.composer.tray.findChild(QToolButton, "documentButton")
    assert card is not None and "lease.pdf" in card.text() and "2 pages" in card.text()

    sim.enqueue(Reply(content="Rent is due on the 5th."))
    harness.send(window, "When is rent due?")
    harness.wait_idle(window, timeout=30000)
    sent = last_user_text(sim)
    assert "Rent is due on the 5th." in sent and sent.endswith("When is rent due?")
    assert window.composer.tray.documents() == []
    messages = window.store.messages(window.current_id)
    assert messages[0].attachments[0]["name"] == "lease.pdf"
    assert messages[1].content == "Rent is due on the 5th."
    harness.close(window)

    again = harness.open()
    sent_cards = again.view.findChildren(QToolButton, "sentDocument")
    assert len(sent_cards) == 1 and "lease.pdf" in sent_cards[0].text() and sent_cards[0].isEnabled()
    sent_cards[0].click()
    reader = again.view.findChild(QToolButton, "sentDocument").parent().reader  # type: ignore[union-attr]
    harness.qtbot.waitUntil(lambda: "Pets allowed." in reader.findChild(QPlainTextEdit, "documentText").toPlainText())
    reader.close()


def test_bad_documents_are_named_and_the_draft_stays(harness: Harness, tmp_path: Path) -> None:
    window = harness.open()
    window.composer.set_text("my draft")
    bomb = files.write(tmp_path, "bomb.xlsx", files.zip_bomb("xlsx"))
    binary = files.write(tmp_path, "data.txt", b"\x00\x01\x02binary")
    good = files.write(tmp_path, "notes.md", b"# Notes\nShip it.")
    drop(window, file_mime(bomb, binary, good))
    wait_documents(harness, window, 1)
    harness.qtbot.waitUntil(window.notice.isVisible)
    for name in ("bomb.xlsx", "data.txt"):
        assert name in window.notice.text()
    assert window.composer.text() == "my draft"
    assert [d.name for d in window.composer.tray.documents()] == ["notes.md"]


def test_a_scan_on_a_text_model_offers_a_vision_model(harness: Harness, sim: Simulator, tmp_path: Path) -> None:
    window = harness.open()
    drop(window, file_mime(files.write(tmp_path, "scan.pdf", files.scanned_pdf(1))))
    wait_documents(harness, window, 1)
    before = len(sim.requests)
    harness.send(window, "What does it say?")
    harness.qtbot.waitUntil(window.vision_banner.isVisible)
    assert len(sim.requests) == before
    vision(window)
    assert window.composer.tray.documents()


def test_a_locked_pdf_asks_for_its_password(harness: Harness, tmp_path: Path) -> None:
    window = harness.open()
    locked = files.write(tmp_path, "payslip.pdf", files.encrypted_pdf(["Net pay: 4,200"], "tiger"))
    drop(window, file_mime(locked))
    intake = window.images
    harness.qtbot.waitUntil(lambda: intake.password_dialog is not None and intake.password_dialog.isVisible(),
                            timeout=20000)
    assert "payslip.pdf" in intake.password_dialog.labelText()
    first = intake.password_dialog
    first.setTextValue("lion")
    first.accept()
    harness.qtbot.waitUntil(lambda: intake.password_dialog is not first and intake.password_dialog.isVisible(),
                            timeout=20000)
    assert "does not open" in intake.password_dialog.labelText()
    intake.password_dialog.setTextValue("tiger")
    intake.password_dialog.accept()
    wait_documents(harness, window, 1)
    assert "Net pay: 4,200" in window.composer.tray.documents()[0].document.text


def test_cancel_stops_waiting_for_a_long_read(harness: Harness, tmp_path: Path) -> None:
    window = harness.open()
    pages = [[f"Page {n}", "text " * 40] for n in range(1, 1501)]
    drop(window, file_mime(files.write(tmp_path, "huge.pdf", files.text_pdf(pages))))
    tray = window.composer.tray
    harness.qtbot.waitUntil(lambda: tray.busy.isVisible())
    tray.findChild(QToolButton, "cancelAttachments").click()
    harness.qtbot.waitUntil(lambda: not tray.busy.isVisible() and tray.count() == 0)
    harness.qtbot.wait(200)
    assert tray.documents() == [] and not window.notice.isVisible()
