"""The context meter counts what is sent: earlier images by their stored size (the simulator bills
them by the vision guide's rule), earlier documents by their stored count; and earlier documents
are read on a worker thread, never on the event loop."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core.attachments import AttachmentStore
from qwen_desktop.core.context import ContextManager
from qwen_desktop.core.documents import read_document
from qwen_desktop.core.documents.library import DocumentLibrary
from qwen_desktop.core.services import Services
from qwen_desktop.core.types import ConversationSettings, Protocol
from tests import documents_files as files
from tests import sim_images
from tests.core.test_engine_images import attach, image_urls, send, wire_messages
from tests.simulator import Simulator


def manager(services: Services) -> ContextManager:
    context = services.engine.context
    assert isinstance(context, ContextManager)
    return context


def reported_input(services: Services, cid: int) -> int:
    reply = services.store.messages(cid)[-1]
    assert reply.usage is not None
    return reply.usage.input_tokens


def new_conversation(services: Services, model: str, protocol: Protocol) -> tuple[int, ConversationSettings]:
    settings = ConversationSettings(model=model, protocol=protocol)
    return services.store.create_conversation(settings).result(), settings


@pytest.mark.parametrize(("protocol", "model", "size"), [(Protocol.OPENAI, "qwen-vl-max", (800, 600)),
                                                         (Protocol.DASHSCOPE, "qwen3-vl-plus", (1600, 1200))])
def test_the_meter_counts_earlier_images_as_the_service_bills_them(
        services: Services, sim: Simulator, protocol: Protocol, model: str, size: tuple[int, int]) -> None:
    cid, settings = new_conversation(services, model, protocol)
    send(services, cid, "What is in this picture?", [attach(services, "photo.png", size)])
    (sent_image,) = image_urls(wire_messages(sim, protocol)[-1])
    billed = sim_images.billed_tokens(sent_image, model)
    assert billed is not None and billed > 500
    assert reported_input(services, cid) >= billed, "the simulator bills the image by its size"

    draft = "And which colours does it use?"
    meter = manager(services).meter(cid, settings, draft)
    assert meter.sections["images"] == billed, "the meter and the service agree on the image"
    send(services, cid, draft)
    reported = reported_input(services, cid)
    assert abs(meter.total - reported) <= max(20, reported // 20), (meter.total, reported)


def test_images_a_text_model_does_not_get_are_counted_as_their_placeholder(
        services: Services, sim: Simulator) -> None:
    cid, settings = new_conversation(services, "qwen-vl-max", Protocol.OPENAI)
    send(services, cid, "Describe it.", [attach(services, "photo.png", (800, 600))])
    text_only = settings.with_(model="qwen-plus")
    services.store.update_settings(cid, text_only).result()
    meter = manager(services).meter(cid, text_only, "Thanks.")
    assert meter.sections["images"] == 0 and meter.total < 100
    send(services, cid, "Thanks.")
    assert "[image: photo.png, 800×600" in str(sim.requests[-1].body["messages"][0]["content"])
    assert reported_input(services, cid) < 100, "no image billed"


def prose(words: int) -> str:
    pool = ("the quarterly budget review covers travel office rent hiring plans and the new "
            "support contract with a regional partner").split()
    return " ".join(pool[i % len(pool)] for i in range(words)) + "."


def test_the_meter_counts_earlier_documents(services: Services, sim: Simulator, tmp_path: Path) -> None:
    protocol = Protocol.DASHSCOPE
    path = files.write(tmp_path, "notes.txt", "\n".join(prose(120) for _ in range(10)).encode())
    library = services.engine.documents
    assert library is not None
    ref = library.save(read_document(path), path.read_bytes())
    cid, settings = new_conversation(services, "qwen-plus", protocol)
    send(services, cid, "Summarise these notes.", [ref])
    draft = "Which costs grew the most?"
    meter = manager(services).meter(cid, settings, draft)
    assert meter.total > 1000
    send(services, cid, draft)
    reported = reported_input(services, cid)
    assert abs(meter.total - reported) <= reported // 20, (meter.total, reported)


class ReadWatch(DocumentLibrary):
    """A real library that notes the thread of every read that goes to the file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read_on: list[str] = []

    def load(self, ref: Any) -> Any:
        if str(ref.get("sha256")) not in self._cache:
            self.read_on.append(threading.current_thread().name)
        return super().load(ref)


def test_earlier_documents_are_read_on_a_worker_thread(services: Services, sim: Simulator, tmp_path: Path) -> None:
    assert services.engine.attachments is not None
    watch = ReadWatch(services.engine.attachments, cache_size=1)
    services.engine.documents = watch
    refs = []
    for number in range(3):
        path = files.write(tmp_path, f"memo{number}.txt", f"Memo {number}: {prose(40)}".encode())
        refs.append(watch.save(read_document(path), path.read_bytes()))
    cid, _settings = new_conversation(services, "qwen-plus", Protocol.OPENAI)
    send(services, cid, "Read these.", refs)
    watch.read_on.clear()
    send(services, cid, "Which memo mentions hiring?")
    assert len(watch.read_on) >= 2, "the cache of one held only the last memo"
    loop_thread = threading.main_thread().name
    assert loop_thread not in watch.read_on, watch.read_on
    history = wire_messages(sim, Protocol.OPENAI)
    assert all(f"Memo {n}:" in str(history[0]["content"]) for n in range(3))


def test_the_meter_counts_what_waits_to_go_with_the_draft(services: Services, sim: Simulator, tmp_path: Path) -> None:
    cid, settings = new_conversation(services, "qwen-vl-max", Protocol.OPENAI)
    path = files.write(tmp_path, "plan.txt", "\n".join(prose(100) for _ in range(6)).encode())
    document = read_document(path)
    waiting = [{"width": 800, "height": 600},
               {"kind": "document", "sha256": document.sha256, "name": "plan.txt", "format": document.kind,
                "sections": len(document.sections), "unit": document.unit, "text": document.text}]
    draft = "What do the picture and the plan have in common?"
    meter = manager(services).meter(cid, settings, draft, waiting)
    library = services.engine.documents
    assert library is not None
    send(services, cid, draft, [attach(services, "photo.png", (800, 600)),
                                library.save(document, path.read_bytes())])
    (sent_image,) = image_urls(wire_messages(sim, Protocol.OPENAI)[-1])
    assert meter.sections["images"] == sim_images.billed_tokens(sent_image, "qwen-vl-max")
    reported = reported_input(services, cid)
    assert abs(meter.total - reported) <= reported // 20, (meter.total, reported)
    text_only = manager(services).meter(cid, settings.with_(model="qwen-plus"), draft, waiting[:1])
    assert text_only.sections["images"] == 0, "a text model is never sent the image"


class DataUrlWatch(AttachmentStore):
    """A real attachment store that notes the thread of every image it reads and encodes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read_on: list[str] = []

    def data_url(self, ref: Any) -> str:
        self.read_on.append(threading.current_thread().name)
        return super().data_url(ref)


def test_earlier_images_are_read_on_a_worker_thread(services: Services, sim: Simulator) -> None:
    watch = DataUrlWatch(services.data_dir)
    services.engine.attachments = watch
    cid, _settings = new_conversation(services, "qwen-vl-max", Protocol.OPENAI)
    send(services, cid, "What is this?", [attach(services, "photo.png", (120, 90))])
    watch.read_on.clear()
    send(services, cid, "And its colours?")
    assert watch.read_on and threading.main_thread().name not in watch.read_on, watch.read_on
    assert image_urls(wire_messages(sim, Protocol.OPENAI)[0]), "the earlier image is still sent"
