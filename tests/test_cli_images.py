"""``qwen-desktop ask --image``, run as a real subprocess against the simulator."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image

from tests.core.test_images import encoded, picture
from tests.simulator import Reply, Simulator
from tests.test_cli import cli, sim  # noqa: F401  (fixtures)


def image_parts(sim: Simulator) -> list[Image.Image]:
    content = sim.requests[-1].body["messages"][-1]["content"]
    urls = [part["image_url"]["url"] for part in content if part.get("type") == "image_url"]
    return [Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))) for url in urls]


def test_ask_with_images(cli, sim: Simulator, tmp_path: Path) -> None:  # noqa: F811
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(encoded(picture((80, 60)), "JPEG"))
    scan = tmp_path / "scan.bmp"
    scan.write_bytes(encoded(picture((30, 20)), "BMP"))
    sim.enqueue(Reply(content="A red and blue square."))
    done = cli("ask", "What is this?", "--model", "qwen3-vl-plus",
               "--image", str(photo), "--image", str(scan))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "A red and blue square."
    assert "scan.bmp: Converted from BMP to PNG." in done.stderr
    assert [(i.format, i.size) for i in image_parts(sim)] == [("JPEG", (80, 60)), ("PNG", (30, 20))]
    stored = list((cli.data / "attachments").rglob("*.*"))
    assert sorted(p.suffix for p in stored) == [".jpg", ".png"]


def test_ask_refuses_a_bad_image_with_exit_code_2(cli, sim: Simulator, tmp_path: Path) -> None:  # noqa: F811
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    fake = tmp_path / "notes.png"
    fake.write_text("just some notes\n")
    done = cli("ask", "What is this?", "--model", "qwen3-vl-plus", "--image", str(fake))
    assert done.returncode == 2
    assert "notes.png is not an image (its content is text)." in done.stderr
    assert sim.requests == []


def test_ask_refuses_images_on_a_text_model(cli, sim: Simulator, tmp_path: Path) -> None:  # noqa: F811
    cli("keys", "set", "intl", stdin=sim.regions["intl"])
    photo = tmp_path / "photo.png"
    photo.write_bytes(encoded(picture(), "PNG"))
    done = cli("ask", "What is this?", "--model", "qwen-plus", "--image", str(photo))
    assert done.returncode == 2
    assert "qwen-plus cannot see images: switch this conversation to a vision model" in done.stderr
    assert sim.requests == []


def test_ask_refuses_more_than_ten_images(cli, sim: Simulator, tmp_path: Path) -> None:  # noqa: F811
    photo = tmp_path / "photo.png"
    photo.write_bytes(encoded(picture(), "PNG"))
    done = cli("ask", "many", "--model", "qwen3-vl-plus", *["--image", str(photo)] * 11)
    assert done.returncode == 2
    assert "At most 10 images can go in one message: this one has 11" in done.stderr
