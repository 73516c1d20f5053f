"""Preparing images: what is accepted, what is changed (and said so), what is refused and why."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from qwen_desktop.core.images import (
    MAX_DATA_URL_BYTES, MAX_IMAGES_PER_MESSAGE, MAX_SIDE, ImageRejectedError, PreparedImage,
    TooManyImagesError, check_count, data_url, keep_allowed, prepare_image,
)

ORIENTATION = 0x0112


def encoded(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def picture(size: tuple[int, int] = (64, 48), mode: str = "RGB") -> Image.Image:
    """Two colours split down the middle, so turning and flipping are visible."""
    image = Image.new(mode, size, "red" if mode != "L" else 80)
    half = Image.new(mode, (size[0] // 2, size[1]), "blue" if mode != "L" else 200)
    image.paste(half, (size[0] // 2, 0))
    return image


def noise(size: tuple[int, int], channels: int, seed: int = 7) -> Image.Image:
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], channels), dtype=np.uint8)
    return Image.fromarray(pixels)


def reopened(image: PreparedImage) -> Image.Image:
    opened = Image.open(io.BytesIO(image.data))
    opened.load()
    return opened


@pytest.mark.parametrize("fmt, mime", [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")])
def test_plain_png_jpeg_webp_go_out_unchanged(tmp_path: Path, fmt: str, mime: str) -> None:
    raw = encoded(picture(), fmt)
    image = prepare_image(write(tmp_path / f"picture.{fmt.lower()}", raw))
    assert image.data == raw
    assert (image.mime, image.width, image.height) == (mime, 64, 48)
    assert image.notes == ()
    assert image.name == f"picture.{fmt.lower()}"


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "GIF"])
def test_bmp_tiff_gif_become_png_and_say_so(tmp_path: Path, fmt: str) -> None:
    image = prepare_image(write(tmp_path / "old.img", encoded(picture(), fmt)))
    assert image.mime == "image/png"
    assert reopened(image).format == "PNG"
    assert image.size == (64, 48)
    assert image.notes == (f"Converted from {fmt} to PNG.",)


def test_animated_gif_sends_its_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (30, 30), (40 * i, 0, 0)) for i in range(4)]
    raw = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:])
    image = prepare_image(write(tmp_path / "wave.gif", raw))
    assert image.mime == "image/png"
    assert reopened(image).convert("RGB").getpixel((5, 5)) == (0, 0, 0)
    assert "Only the first of its 4 frames is sent." in image.notes


def test_the_real_format_counts_not_the_name(tmp_path: Path) -> None:
    image = prepare_image(write(tmp_path / "photo.png", encoded(picture(), "JPEG")))
    assert image.mime == "image/jpeg"


@pytest.mark.parametrize("name, data, reason", [
    ("report.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n",
     "is a PDF document, not an image"),
    ("notes.png", "Shopping list:\n- milk\n- bread ☕\n".encode(), "is not an image (its content is text)"),
    ("logo.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
     "is an SVG drawing"),
    ("IMG_0001.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64),
     "is a HEIC photo"),
    ("blob.bin", bytes(range(256)) * 4, "is not an image this app can read"),
    ("empty.png", b"", "is empty (0 bytes)"),
])
def test_what_is_not_an_image_is_refused_with_its_name(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    with pytest.raises(ImageRejectedError) as caught:
        prepare_image(write(tmp_path / name, data))
    assert str(caught.value).startswith(f"{name} {reason}")
    assert caught.value.name == name


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_images_are_refused(tmp_path: Path, fmt: str) -> None:
    raw = encoded(noise((300, 200), 3), fmt)
    name = f"cut.{fmt.lower()}"
    with pytest.raises(ImageRejectedError, match=f"^{name} is damaged or incomplete"):
        prepare_image(write(tmp_path / name, raw[: len(raw) // 2]))


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ImageRejectedError, match="^gone.png does not exist any more"):
        prepare_image(tmp_path / "gone.png")
    (tmp_path / "album").mkdir()
    with pytest.raises(ImageRejectedError, match="^album is a folder, not an image file"):
        prepare_image(tmp_path / "album")


def test_a_30_mb_photo_is_downscaled_not_refused(tmp_path: Path) -> None:
    raw = encoded(noise((7000, 5000), 3), "JPEG", quality=95)
    assert len(raw) > 30 * 1024 * 1024
    image = prepare_image(write(tmp_path / "huge.jpg", raw))
    assert max(image.size) <= MAX_SIDE
    assert image.width / image.height == pytest.approx(7000 / 5000, rel=0.01)
    assert len(data_url(image)) <= MAX_DATA_URL_BYTES
    assert reopened(image).size == image.size
    assert image.notes[0].startswith(f"Downscaled from 7000×5000 to {image.width}×{image.height}")


def test_too_many_bytes_downscale_with_the_reason(tmp_path: Path) -> None:
    raw = encoded(noise((2200, 1700), 4), "PNG", compress_level=1)
    image = prepare_image(write(tmp_path / "static.png", raw))
    assert image.mime == "image/png"
    assert image.width < 2200
    assert image.notes == (
        f"Downscaled from 2200×1700 to {image.width}×{image.height} to fit the 10 MB limit.",
    )
    assert len(data_url(image)) <= MAX_DATA_URL_BYTES


def test_opaque_noise_png_turns_into_jpeg_when_too_big(tmp_path: Path) -> None:
    raw = encoded(noise((3000, 2000), 3), "PNG", compress_level=1)
    image = prepare_image(write(tmp_path / "screen.png", raw))
    assert image.mime == "image/jpeg"
    assert "Converted from PNG to JPEG to fit the 10 MB limit." in image.notes


def test_a_1_by_3000_strip_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImageRejectedError) as caught:
        prepare_image(write(tmp_path / "strip.png", encoded(Image.new("L", (1, 3000)), "PNG")))
    assert str(caught.value) == (
        "strip.png is 1×3000 pixels: its aspect ratio is over the 200:1 the models accept."
    )


def test_tiny_images_are_enlarged(tmp_path: Path) -> None:
    image = prepare_image(write(tmp_path / "dot.png", encoded(picture((6, 6)), "PNG")))
    assert image.size == (28, 28)
    assert image.notes == (
        "Enlarged from 6×6 to 28×28: the models need more than 10 pixels per side.",
    )


def test_narrow_image_enlarged_within_the_side_limit(tmp_path: Path) -> None:
    image = prepare_image(write(tmp_path / "bar.png", encoded(picture((5, 1000)), "PNG")))
    assert min(image.size) > 10 and max(image.size) <= MAX_SIDE


def test_exif_orientation_is_applied_and_metadata_removed(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"
    raw = encoded(picture((40, 20)), "JPEG", exif=exif.tobytes(), quality=95)
    image = prepare_image(write(tmp_path / "sideways.jpg", raw))
    assert image.size == (20, 40)
    upright = reopened(image).convert("RGB")
    top, bottom = upright.getpixel((10, 2)), upright.getpixel((10, 37))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60
    assert "exif" not in upright.info and not upright.getexif()
    assert image.notes == (
        "Turned upright as its EXIF orientation tag says.",
        "Removed its metadata (camera, location and other details).",
    )


def test_png_text_chunks_are_removed(tmp_path: Path) -> None:
    info = PngInfo()
    info.add_text("Author", "Jane Doe")
    image = prepare_image(write(tmp_path / "signed.png", encoded(picture(), "PNG", pnginfo=info)))
    assert "Author" not in reopened(image).info
    assert image.notes == ("Removed its metadata (camera, location and other details).",)


def test_pasted_bytes_have_a_name_for_sentences() -> None:
    with pytest.raises(ImageRejectedError, match="^The pasted image is empty"):
        prepare_image(b"")
    assert prepare_image(encoded(picture(), "PNG"), "clip.png").name == "clip.png"


def test_data_url_decodes_to_the_same_bytes() -> None:
    image = prepare_image(encoded(picture(), "PNG"), "x.png")
    head, payload = data_url(image).split(",", 1)
    assert head == "data:image/png;base64"
    assert base64.b64decode(payload) == image.data


def test_sha256_names_the_bytes_that_are_sent() -> None:
    import hashlib

    image = prepare_image(encoded(picture(), "BMP"), "x.bmp")
    assert image.sha256 == hashlib.sha256(image.data).hexdigest()


def test_more_than_ten_images_per_message() -> None:
    check_count(MAX_IMAGES_PER_MESSAGE)
    with pytest.raises(TooManyImagesError) as caught:
        check_count(50)
    assert str(caught.value) == (
        "At most 10 images can go in one message: this one has 50, so remove 40."
    )
    kept, sentence = keep_allowed(list(range(50)))
    assert kept == list(range(10))
    assert sentence == "At most 10 images per message: 50 were added, so the first 10 were kept."
    kept, sentence = keep_allowed(list(range(5)), already=8)
    assert kept == [0, 1] and sentence is not None and "the first 2 were kept" in sentence
    assert keep_allowed([1, 2], already=3) == ([1, 2], None)
