"""Images into the real window: drop, paste, attach; what reaches the simulator."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl, Signal
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QToolButton
from qwen_desktop.ui.main_window import MainWindow

from tests.simulator import Simulator
from tests.ui.harness import Harness
from tests.ui.test_main_window import choose

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def picture(path: Path, size: tuple[int, int] = (320, 200), fmt: str = "PNG",
            colour: str = "teal") -> Path:
    Image.new("RGB", size, colour).save(path, fmt)
    return path


def drop(window: MainWindow, mime: QMimeData) -> None:
    event = QDropEvent(QPointF(400, 300), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(event)  # type: ignore[arg-type]
    assert window.drop_overlay.isVisible()
    window.dropEvent(event)
    assert not window.drop_overlay.isVisible()


def file_mime(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def wait_tray(harness: Harness, window: MainWindow, count: int) -> None:
    tray = window.composer.tray
    harness.qtbot.waitUntil(lambda: len(tray.images()) == count and tray.count() == count)


def sent_images(body: dict[str, Any], protocol: str) -> list[tuple[str, Image.Image]]:
    if protocol == "openai":
        parts = body["messages"][-1]["content"]
        urls = [p["image_url"]["url"] for p in parts if p.get("type") == "image_url"]
    else:
        items = body["input"]["messages"][-1]["content"]
        urls = [item["image"] for item in items if "image" in item]
    out = []
    for url in urls:
        header, data = url.split(",", 1)
        out.append((header, Image.open(io.BytesIO(base64.b64decode(data)))))
    return out


def vision(window: MainWindow, protocol: str = "openai") -> None:
    choose(window.bar.findChild(QComboBox, "protocolSelector"), protocol)
    model = window.bar.findChild(QComboBox, "modelSelector")
    model.setEditText("qwen3-vl-plus")
    model.lineEdit().editingFinished.emit()
    assert window.current_settings().model == "qwen3-vl-plus"


@pytest.mark.parametrize("protocol", ["openai", "dashscope"])
def test_dropped_files_reach_the_wire_as_decodable_images(
    harness: Harness, sim: Simulator, tmp_path: Path, protocol: str
) -> None:
    window = harness.open()
    vision(window, protocol)
    drop(window, file_mime(picture(tmp_path / "a.png"),
                           picture(tmp_path / "b.jpg", (640, 480), "JPEG", "orange")))
    wait_tray(harness, window, 2)
    harness.send(window, "What colours are these?")
    harness.wait_idle(window)
    images = sent_images(sim.requests[-1].body, protocol)
    assert [(h, im.size) for h, im in images] == [
        ("data:image/png;base64", (320, 200)), ("data:image/jpeg;base64", (640, 480))]
    assert window.composer.tray.images() == []
    user = window.store.messages(window.current_id)[0]
    assert [ref["name"] for ref in user.attachments] == ["a.png", "b.jpg"]
    assert user.content == "What colours are these?"


def test_drop_of_raw_image_data(harness: Harness, sim: Simulator) -> None:
    window = harness.open()
    vision(window)
    image = QImage(120, 90, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkGreen)
    mime = QMimeData()
    mime.setImageData(image)
    drop(window, mime)
    wait_tray(harness, window, 1)
    harness.send(window, "describe")
    harness.wait_idle(window)
    [(header, sent)] = sent_images(sim.requests[-1].body, "openai")
    assert header == "data:image/png;base64" and sent.size == (120, 90)


def test_paste_from_the_clipboard(harness: Harness, tmp_path: Path) -> None:
    window = harness.open()
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.blue)
    QApplication.clipboard().setImage(image)
    window.composer.edit.paste()
    wait_tray(harness, window, 1)
    assert window.composer.text() == ""
    QApplication.clipboard().setMimeData(file_mime(picture(tmp_path / "copied.png")))
    window.composer.edit.paste()
    wait_tray(harness, window, 2)
    QApplication.clipboard().setText("plain words")
    window.composer.edit.paste()
    assert window.composer.text() == "plain words"


class FakeFileDialog(QFileDialog):
    """A real QFileDialog that answers at once instead of waiting for a person."""

    chosen: list[str] = []
    filesSelected = Signal(list)

    def open(self) -> None:  # type: ignore[override]
        self.filesSelected.emit(list(self.chosen))


def test_attach_button_and_thumbnail_removal(harness: Harness, tmp_path: Path) -> None:
    window = harness.open()
    FakeFileDialog.chosen = [str(picture(tmp_path / "one.png")),
                             str(picture(tmp_path / "two.png", colour="red"))]
    window.composer.file_dialog_factory = FakeFileDialog
    window.composer.attach_button.click()
    wait_tray(harness, window, 2)
    removes = window.composer.tray.findChildren(QToolButton, "removeAttachment")
    assert len(removes) == 2
    removes[0].click()
    assert [im.name for im in window.composer.tray.images()] == ["two.png"]


def test_bad_files_are_refused_by_name_and_nothing_is_lost(harness: Harness, sim: Simulator,
                                                         tmp_path: Path) -> None:
    window = harness.open()
    harness.send(window, "earlier message")
    harness.wait_idle(window)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    fake = tmp_path / "notes.png"
    fake.write_text("just some text, not a picture")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    window.composer.set_text("draft text stays")
    drop(window, file_mime(pdf, fake, empty, picture(tmp_path / "fine.png")))
    wait_tray(harness, window, 1)
    notice = window.notice.text()
    assert window.notice.isVisible()
    for name in ("report.pdf", "notes.png", "empty.jpg"):
        assert name in notice
    assert window.composer.text() == "draft text stays"
    assert [m.content for m in window.store.messages(window.current_id)][0] == "earlier message"


def test_fifty_images_keep_ten_and_say_so(harness: Harness, tmp_path: Path) -> None:
    window = harness.open()
    paths = [picture(tmp_path / f"p{i}.png", (40 + i, 30)) for i in range(50)]
    drop(window, file_mime(*paths))
    wait_tray(harness, window, 10)
    assert "first 10 were kept" in window.notice.text()


def test_text_only_model_offers_a_vision_model(harness: Harness, sim: Simulator,
                                               tmp_path: Path) -> None:
    window = harness.open()
    assert not window.services.catalog.get(window.current_settings().model).vision
    drop(window, file_mime(picture(tmp_path / "chart.png")))
    wait_tray(harness, window, 1)
    window.composer.set_text("What does this chart show?")
    window.composer.send_button.click()
    assert window.vision_banner.isVisible()
    assert window.store.conversation_ids() == [], "nothing is stored or sent yet"
    assert sim.requests == []
    window.vision_banner.findChild(QToolButton, "switchToVision").click()
    harness.wait_idle(window)
    recorded = sim.requests[-1]
    assert recorded.body["model"] == "qwen3-vl-plus"
    assert len(sent_images(recorded.body, "openai")) == 1


def test_remove_images_instead_of_switching(harness: Harness, sim: Simulator,
                                            tmp_path: Path) -> None:
    window = harness.open()
    drop(window, file_mime(picture(tmp_path / "x.png")))
    wait_tray(harness, window, 1)
    window.composer.set_text("never mind the picture")
    window.composer.send_button.click()
    window.vision_banner.findChild(QToolButton, "removeImages").click()
    assert window.composer.tray.images() == []
    window.composer.send_button.click()
    harness.wait_idle(window)
    assert sim.requests[-1].body["messages"][-1]["content"] == "never mind the picture"


def test_file_deleted_between_attach_and_send(harness: Harness, sim: Simulator,
                                              tmp_path: Path) -> None:
    window = harness.open()
    vision(window)
    path = picture(tmp_path / "gone.png", (200, 100))
    drop(window, file_mime(path))
    wait_tray(harness, window, 1)
    path.unlink()
    harness.send(window, "still there?")
    harness.wait_idle(window)
    [(_, sent)] = sent_images(sim.requests[-1].body, "openai")
    assert sent.size == (200, 100), "the image was captured when attached"


def test_reopened_conversation_shows_its_images(harness: Harness, tmp_path: Path) -> None:
    window = harness.open()
    vision(window)
    drop(window, file_mime(picture(tmp_path / "keep.png", (150, 150))))
    wait_tray(harness, window, 1)
    harness.send(window, "remember this")
    harness.wait_idle(window)
    harness.close(window)
    again = harness.open()
    thumbs = again.view.findChildren(QToolButton, "sentImage")
    assert len(thumbs) == 1 and not thumbs[0].icon().isNull()


def test_dropping_a_file_that_cannot_be_attached_says_so_and_is_a_copy(harness: Harness, tmp_path: Path) -> None:
    window = harness.open()
    notes = tmp_path / "archive.bin"
    notes.write_bytes(b"\x00\x01 not a picture, not a document")
    mime = file_mime(notes)
    event = QDropEvent(QPointF(400, 300), Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(event)  # type: ignore[arg-type]
    assert event.isAccepted() and event.dropAction() == Qt.DropAction.CopyAction
    assert "archive.bin" in window.drop_overlay.text() and "cannot be attached" in window.drop_overlay.text()
    window.dropEvent(event)
    assert event.dropAction() == Qt.DropAction.CopyAction
    harness.qtbot.waitUntil(lambda: window.notice.isVisible())
    assert "archive.bin" in window.notice.text() and "not a kind of document" in window.notice.text()
    assert window.composer.tray.count() == 0
