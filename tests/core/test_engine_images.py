"""Images through the engine: stored references, what reaches the wire on both protocols, history."""

from __future__ import annotations

import asyncio
import base64
import io
import os
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from qwen_desktop.core.engine import ReplyFinished, UserMessageAdded
from qwen_desktop.core.images import (
    AttachmentMissingError, TooManyImagesError, VisionRequiredError, prepare_image,
)
from qwen_desktop.core.services import Services
from qwen_desktop.core.storage import Store
from qwen_desktop.core.types import ConversationSettings, Protocol, ThinkingMode
from tests.core.test_images import encoded, picture
from tests.simulator import Simulator

PROTOCOLS = [Protocol.OPENAI, Protocol.DASHSCOPE]
VISION = "qwen3-vl-plus"


def new_conversation(services: Services, **changes: Any) -> int:
    settings = ConversationSettings(model=VISION).with_(**changes)
    return services.store.create_conversation(settings).result()


def attach(services: Services, name: str = "photo.png", size: tuple[int, int] = (64, 48),
           fmt: str = "PNG") -> dict[str, Any]:
    assert services.engine.attachments is not None
    return services.engine.attachments.save(prepare_image(encoded(picture(size), fmt), name))


def run(services: Services, agen: Any) -> list[Any]:
    async def go() -> list[Any]:
        try:
            return [event async for event in agen]
        finally:
            await services.client.aclose()

    return asyncio.run(go())


def send(services: Services, cid: int, text: str, refs: list[dict[str, Any]] | None = None) -> list[Any]:
    return run(services, services.engine.send(cid, text, refs or ()))


def wire_messages(sim: Simulator, protocol: Protocol) -> list[dict[str, Any]]:
    body = sim.requests[-1].body
    return body["messages"] if protocol is Protocol.OPENAI else body["input"]["messages"]


def image_urls(message: dict[str, Any]) -> list[str]:
    content = message["content"]
    if isinstance(content, str):
        return []
    found = []
    for part in content:
        if part.get("type") == "image_url":
            found.append(part["image_url"]["url"])
        elif "image" in part:
            found.append(part["image"])
    return found


def text_of(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if "text" in part)


def decoded(url: str) -> tuple[str, Image.Image]:
    head, payload = url.split(",", 1)
    assert head.startswith("data:") and head.endswith(";base64")
    image = Image.open(io.BytesIO(base64.b64decode(payload)))
    image.load()
    return head[len("data:"):-len(";base64")], image


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_images_reach_the_wire_decodable_on_both_protocols(
    services: Services, sim: Simulator, protocol: Protocol
) -> None:
    cid = new_conversation(services, protocol=protocol)
    png = attach(services, "chart.png", (64, 48))
    jpeg = attach(services, "photo.jpg", (120, 90), "JPEG")
    events = send(services, cid, "What do these show?", [png, jpeg])
    assert isinstance(events[-1], ReplyFinished)
    request = sim.requests[-1]
    if protocol is Protocol.DASHSCOPE:
        assert request.path.endswith("/multimodal-generation/generation")
        assert {"text": "What do these show?"} in request.body["input"]["messages"][-1]["content"]
    (user,) = wire_messages(sim, protocol)
    urls = image_urls(user)
    assert [decoded(url)[0] for url in urls] == ["image/png", "image/jpeg"]
    assert [decoded(url)[1].size for url in urls] == [(64, 48), (120, 90)]
    assert [decoded(url)[1].format for url in urls] == ["PNG", "JPEG"]
    assert text_of(user) == "What do these show?"


def test_the_user_message_keeps_the_references(services: Services, data_dir: Path) -> None:
    cid = new_conversation(services)
    ref = attach(services)
    events = send(services, cid, "Look", [ref])
    added = next(ev for ev in events if isinstance(ev, UserMessageAdded))
    assert added.message.attachments == [ref]
    services.store.close()
    with Store(services.store.path) as reopened:
        user = reopened.messages(cid)[0]
        assert user.attachments == [ref]
        assert user.attachments[0]["name"] == "photo.png"


def test_an_image_alone_is_a_message(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    events = send(services, cid, "", [attach(services)])
    assert isinstance(events[-1], ReplyFinished)
    assert len(image_urls(wire_messages(sim, Protocol.OPENAI)[-1])) == 1


def test_a_text_only_model_refuses_images_before_storing(
    services: Services, sim: Simulator
) -> None:
    cid = new_conversation(services, model="qwen-plus")
    with pytest.raises(VisionRequiredError) as caught:
        send(services, cid, "What is this?", [attach(services)])
    assert str(caught.value) == (
        "qwen-plus cannot see images: switch this conversation to a vision model such as "
        "qwen3-vl-plus, or remove the images."
    )
    assert caught.value.suggestion == "qwen3-vl-plus"
    assert services.store.messages(cid) == []
    assert sim.requests == []
    assert not services.engine.is_streaming(cid)


def test_a_file_deleted_before_sending_loses_nothing(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services)
    send(services, cid, "hello")
    before = services.store.messages(cid)
    ref = attach(services, "gone.png")
    assert services.engine.attachments is not None
    services.engine.attachments.path(ref).unlink()
    with pytest.raises(AttachmentMissingError) as caught:
        send(services, cid, "What is in it?", [ref])
    assert str(caught.value) == (
        "The attached image gone.png is no longer on disk: attach it again to send it."
    )
    assert services.store.messages(cid) == before
    assert len(sim.requests) == 1
    assert not services.engine.is_streaming(cid)


def test_more_than_ten_images_are_refused(services: Services) -> None:
    cid = new_conversation(services)
    ref = attach(services)
    with pytest.raises(TooManyImagesError):
        send(services, cid, "many", [ref] * 11)
    assert services.store.messages(cid) == []


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_history_keeps_images_of_the_last_k_turns_only(
    services: Services, sim: Simulator, protocol: Protocol
) -> None:
    cid = new_conversation(services, protocol=protocol, context_params={"images_in_history": 2})
    for turn in range(4):
        send(services, cid, f"turn {turn}", [attach(services, f"p{turn}.png", (40 + turn, 30))])
    send(services, cid, "compare them")
    users = [m for m in wire_messages(sim, protocol) if m["role"] == "user"]
    assert [len(image_urls(m)) for m in users] == [0, 0, 1, 1, 0]
    assert text_of(users[0]) == "[image: p0.png, 40×30 — omitted from history]\nturn 0"
    assert text_of(users[1]).startswith("[image: p1.png, 41×30 — omitted from history]")
    assert [decoded(image_urls(m)[0])[1].size for m in users[2:4]] == [(42, 30), (43, 30)]
    assert services.store.messages(cid)[0].content == "turn 0"


def test_switching_to_a_text_model_keeps_the_conversation_going(
    services: Services, sim: Simulator
) -> None:
    cid = new_conversation(services)
    send(services, cid, "What is this?", [attach(services)])
    settings = services.store.conversation(cid).settings.with_(model="qwen-plus")
    services.store.update_settings(cid, settings).result()
    events = send(services, cid, "Summarize what you said")
    assert isinstance(events[-1], ReplyFinished)
    first = wire_messages(sim, Protocol.OPENAI)[0]
    assert image_urls(first) == []
    assert text_of(first).startswith("[image: photo.png, 64×48 — omitted from history]")


def test_vision_model_with_thinking_asks_for_it(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, thinking=ThinkingMode.ON)
    send(services, cid, "Think about it", [attach(services)])
    assert sim.requests[-1].body["enable_thinking"] is True


def test_regenerate_keeps_the_images(services: Services, sim: Simulator) -> None:
    cid = new_conversation(services, protocol=Protocol.DASHSCOPE)
    send(services, cid, "What is this?", [attach(services, size=(70, 50))])
    reply = services.store.messages(cid)[-1]
    run(services, services.engine.regenerate(cid, reply.id))
    (user,) = wire_messages(sim, Protocol.DASHSCOPE)
    assert [decoded(url)[1].size for url in image_urls(user)] == [(70, 50)]
    assert len(services.store.messages(cid)) == 2


def test_edit_and_resend_keeps_the_images_unless_replaced(
    services: Services, sim: Simulator
) -> None:
    cid = new_conversation(services)
    ref = attach(services, size=(70, 50))
    send(services, cid, "What is this?", [ref])
    first = services.store.messages(cid)[0]
    run(services, services.engine.edit_and_resend(cid, first.id, "What colour is this?"))
    edited = services.store.messages(cid)[0]
    assert edited.content == "What colour is this?" and edited.attachments == [ref]
    assert len(image_urls(wire_messages(sim, Protocol.OPENAI)[-1])) == 1
    run(services, services.engine.edit_and_resend(cid, edited.id, "Never mind", []))
    assert services.store.messages(cid)[0].attachments == []
    assert image_urls(wire_messages(sim, Protocol.OPENAI)[-1]) == []


def test_edit_on_a_text_model_refuses_before_deleting(services: Services) -> None:
    cid = new_conversation(services)
    send(services, cid, "What is this?", [attach(services)])
    settings = services.store.conversation(cid).settings.with_(model="qwen-plus")
    services.store.update_settings(cid, settings).result()
    before = services.store.messages(cid)
    with pytest.raises(VisionRequiredError):
        run(services, services.engine.edit_and_resend(cid, before[0].id, "again"))
    assert services.store.messages(cid) == before


def test_purging_collects_unused_files(services: Services) -> None:
    attachments = services.engine.attachments
    assert attachments is not None
    keep_cid, drop_cid = new_conversation(services), new_conversation(services)
    kept, dropped = attach(services, "keep.png", (50, 50)), attach(services, "drop.png", (60, 60))
    send(services, keep_cid, "one", [kept])
    send(services, drop_cid, "two", [dropped])
    for ref in (kept, dropped):
        old = attachments.path(ref).stat().st_mtime - 3 * 24 * 3600
        os.utime(attachments.path(ref), (old, old))
    services.store.delete_conversation(drop_cid).result()
    assert asyncio.run(services.engine.purge_deleted()) == 1
    assert attachments.exists(kept)
    assert not attachments.exists(dropped)
    assert services.store.messages(keep_cid)[0].attachments == [kept]
