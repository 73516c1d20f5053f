"""Documents through the engine: what reaches the wire on both protocols, whole or by excerpts."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core.documents import read_document
from qwen_desktop.core.images import VisionRequiredError
from qwen_desktop.core.services import Services
from qwen_desktop.core.types import ConversationSettings, Protocol
from tests import documents_files as files
from tests.core.test_engine_images import image_urls, run, send, text_of, wire_messages
from tests.simulator import Reply, Simulator

PROTOCOLS = [Protocol.OPENAI, Protocol.DASHSCOPE]


def attach(services: Services, path: Path) -> dict[str, Any]:
    library = services.engine.documents
    assert library is not None
    return library.save(read_document(path), path.read_bytes())


def conversation(services: Services, protocol: Protocol, model: str = "qwen-plus", window: int | None = None) -> int:
    settings = ConversationSettings(model=model, protocol=protocol)
    if window is not None:
        settings = settings.with_(context_params={"max_input": window})
    return services.store.create_conversation(settings).result()


def user_text(sim: Simulator, protocol: Protocol) -> str:
    return text_of([m for m in wire_messages(sim, protocol) if m["role"] == "user"][-1])


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize(("name", "make", "expected"), [
    ("terms.pdf", lambda: files.text_pdf([["Clause 1: payment within 30 days."], ["Clause 2: no refunds."]]),
     ["Clause 1: payment within 30 days.", "[page 2]"]),
    ("memo.docx", lambda: files.docx(["Ship on Friday."], heading="Memo"), ["# Memo", "Ship on Friday."]),
    ("sales.xlsx", lambda: files.xlsx({"Q1": [["Region", "Sales"], ["North", 42]]}), ["North\t42", "sheet 1: Q1"]),
    ("deck.pptx", lambda: files.pptx([("Roadmap", ["Beta in May"])]), ["slide 1: Roadmap", "Beta in May"]),
    ("data.csv", lambda: "city,temp\nOslo,-3\n".encode(), ["Oslo,-3"]),
    ("app.py", lambda: "# 这个函数返回问候语，用于测试编码识别\ndef hello():\n    return '你好，世界'\n".encode("gbk"),
     ["return '你好，世界'"]),
])
def test_a_document_that_fits_goes_whole(
    services: Services, sim: Simulator, tmp_path: Path, protocol: Protocol, name: str, make: Any,
    expected: list[str],
) -> None:
    sim.reset()
    sim.enqueue(Reply(content="A summary."), Reply(content="Done."))
    ref = attach(services, files.write(tmp_path, name, make()))
    cid = conversation(services, protocol)
    send(services, cid, "Summarise this.", [ref])
    sent = user_text(sim, protocol)
    assert f'<document name="{name}"' in sent and sent.endswith("Summarise this.")
    for fragment in expected:
        assert fragment in sent
    stored = services.store.messages(cid)[0]
    assert stored.content == "Summarise this." and stored.attachments[0]["name"] == name

    send(services, cid, "And in one word?")
    history = [m for m in wire_messages(sim, protocol) if m["role"] == "user"]
    assert expected[0] in text_of(history[0]), "the document stays in the history"


def long_pdf(pages: int = 300) -> bytes:
    rng = random.Random(7)
    filler = ("budget review meeting schedule quarterly figures office supplies travel policy "
              "parking rules holiday calendar printer toner coffee machine").split()
    content = []
    for number in range(1, pages + 1):
        lines = [" ".join(rng.choice(filler) for _ in range(12)) for _ in range(18)]
        if number == 137:
            lines[5] = "The maintenance log for the north pump lists access code ZEBRA-4471."
        content.append([f"Page {number}", *lines])
    return files.text_pdf(content)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_long_pdf_sends_only_the_relevant_pages(
    services: Services, sim: Simulator, tmp_path: Path, protocol: Protocol,
) -> None:
    sim.reset()
    path = files.write(tmp_path, "manual.pdf", long_pdf())
    ref = attach(services, path)
    document = read_document(path)
    sim.enqueue(Reply(content="ZEBRA-4471."), Reply(content="Page 137."))
    assert ref["tokens"] > 60_000
    cid = conversation(services, protocol, window=98_304)
    send(services, cid, "What access code does the maintenance log give for the north pump?", [ref])
    sent = user_text(sim, protocol)
    assert "ZEBRA-4471" in sent and "page 137" in sent
    assert 'excerpts="' in sent
    assert len(sent) < len(document.text) / 5, "only excerpts, not the whole manual"
    embedded = [r for r in sim.requests if "embedding" in r.path]
    assert embedded, "chunks were ranked with the embedding model"
    vectors = list(path.parent.glob("*.npy")) + list(services.data_dir.rglob("*.npy"))
    assert vectors, "the chunk vectors are kept beside the document"

    calls = len([r for r in sim.requests if "embedding" in r.path])
    send(services, cid, "Which page mentions the north pump?")
    again = user_text(sim, protocol)
    assert "ZEBRA-4471" in again, "a long document from an earlier message is searched for each question"
    assert len([r for r in sim.requests if "embedding" in r.path]) == calls + 1, "only the question is embedded"
    history_first = text_of([m for m in wire_messages(sim, protocol) if m["role"] == "user"][0])
    assert "too long to send whole" in history_first


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_scan_goes_as_page_images_to_a_vision_model(
    services: Services, sim: Simulator, tmp_path: Path, protocol: Protocol,
) -> None:
    sim.reset()
    ref = attach(services, files.write(tmp_path, "scan.pdf", files.scanned_pdf(2)))
    assert ref["scanned"]
    cid = conversation(services, protocol, model="qwen3-vl-plus")
    send(services, cid, "What does it say?", [ref])
    user = [m for m in wire_messages(sim, protocol) if m["role"] == "user"][-1]
    assert len(image_urls(user)) == 2
    assert "a scan, its pages are attached as images" in text_of(user)


def test_a_scan_on_a_text_model_offers_a_vision_model(services: Services, tmp_path: Path) -> None:
    ref = attach(services, files.write(tmp_path, "scan.pdf", files.scanned_pdf(1)))
    cid = conversation(services, Protocol.OPENAI, model="qwen-plus")
    with pytest.raises(VisionRequiredError):
        run(services, services.engine.send(cid, "Read it", [ref]))
    assert services.store.messages(cid) == [], "nothing is stored when the send is refused"


def test_documents_travel_in_exports_and_come_back(services: Services, sim: Simulator, tmp_path: Path) -> None:
    from qwen_desktop.core.attachments import AttachmentStore
    from qwen_desktop.core.export import export_json, export_markdown, import_json
    from qwen_desktop.core.storage import Store

    sim.enqueue(Reply(content="Noted."))
    data = files.docx(["Renewal is due in March."])
    ref = attach(services, files.write(tmp_path, "contract.docx", data))
    cid = conversation(services, Protocol.OPENAI)
    send(services, cid, "Remember this.", [ref])
    attachments = services.engine.attachments
    export_json(services.store, attachments, tmp_path / "out.json", cid)
    export_markdown(services.store, attachments, tmp_path / "out.md", cid)
    markdown = (tmp_path / "out.md").read_text()
    assert "[Document: contract.docx](" in markdown and "![contract.docx]" not in markdown

    other = tmp_path / "other"
    other.mkdir()
    with Store(other / "db.sqlite3") as store:
        other_files = AttachmentStore(other)
        imported = import_json(store, other_files, tmp_path / "out.json")
        new_id = list(getattr(imported, "ids", imported))[0]
        message = store.messages(new_id)[0]
        assert message.attachments[0]["name"] == "contract.docx"
        assert other_files.load(message.attachments[0]) == data
