"""What goes out is always 8-bit sRGB (RGB or RGBA): CMYK JPEGs, 16-bit PNGs, palettes,
grey with alpha and tRNS transparency are converted, keeping their colours."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from qwen_desktop.core.images import PreparedImage, prepare_image


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def raw_png(pixels: np.ndarray, color_type: int, depth: int) -> bytes:
    """A PNG written by hand (Pillow cannot write 16-bit colour PNGs)."""
    height, width = pixels.shape[:2]
    dtype = ">u2" if depth == 16 else "u1"
    rows = b"".join(b"\x00" + pixels[y].astype(dtype).tobytes() for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(rows))
            + png_chunk(b"IEND", b""))


def png_depth(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return data[24], data[25]


def sent(image: PreparedImage) -> Image.Image:
    opened = Image.open(io.BytesIO(image.data))
    opened.load()
    return opened


def check_8bit_srgb(image: PreparedImage) -> Image.Image:
    out = sent(image)
    assert out.mode in ("RGB", "RGBA"), out.mode
    if image.mime == "image/png":
        depth, color_type = png_depth(image.data)
        assert depth == 8 and color_type in (2, 6), (depth, color_type)
    return out


def test_cmyk_jpeg_becomes_rgb_with_its_colours(tmp_path: Path) -> None:
    cmyk = Image.new("CMYK", (64, 48), (255, 0, 0, 0))
    cmyk.paste(Image.new("CMYK", (32, 48), (0, 0, 0, 0)), (0, 0))
    path = tmp_path / "print.jpg"
    cmyk.save(path, "JPEG", quality=95)
    assert Image.open(path).mode == "CMYK"
    out = check_8bit_srgb(prepare_image(path))
    left, right = np.asarray(out.convert("RGB"))[24, 8], np.asarray(out.convert("RGB"))[24, 56]
    assert all(v > 235 for v in left), left
    assert right[0] < 30 and right[1] > 220 and right[2] > 220, right


@pytest.mark.parametrize("color_type, channels", [(0, 1), (2, 3), (4, 2), (6, 4)])
def test_16_bit_pngs_go_out_as_8_bit(tmp_path: Path, color_type: int, channels: int) -> None:
    ramp = np.linspace(0, 65535, 64, dtype=np.uint32)
    pixels = np.zeros((32, 64, channels), dtype=np.uint32)
    for c in range(channels):
        pixels[:, :, c] = ramp
    if channels in (2, 4):
        pixels[:, :, -1] = 65535
        pixels[:4, :4, -1] = 0
    path = tmp_path / "deep.png"
    path.write_bytes(raw_png(pixels, color_type, 16))
    prepared = prepare_image(path)
    out = check_8bit_srgb(prepared)
    values = np.asarray(out)
    assert values[10, 63, 0] > 245 and values[10, 0, 0] < 10
    if channels in (2, 4):
        assert out.mode == "RGBA" and values[0, 0, 3] == 0


def test_palette_and_grey_with_alpha_become_rgb_or_rgba(tmp_path: Path) -> None:
    palette = Image.new("RGB", (40, 40), (200, 30, 30)).convert("P", palette=Image.Palette.ADAPTIVE)
    path = tmp_path / "palette.png"
    palette.save(path)
    assert check_8bit_srgb(prepare_image(path)).mode == "RGB"

    clear = Image.new("P", (40, 40), 0)
    clear.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    clear.paste(1, (0, 0, 20, 40))
    path = tmp_path / "clear.png"
    clear.save(path, transparency=0)
    assert check_8bit_srgb(prepare_image(path)).mode == "RGBA"

    grey = Image.new("LA", (40, 40), (90, 255))
    grey.paste((200, 0), (0, 0, 10, 10))
    path = tmp_path / "grey.png"
    grey.save(path)
    out = check_8bit_srgb(prepare_image(path))
    assert out.mode == "RGBA" and out.getpixel((0, 0))[3] == 0 and out.getpixel((30, 30))[:3] == (90, 90, 90)

    rgb = Image.new("RGB", (40, 40), (10, 20, 30))
    path = tmp_path / "trns.png"
    rgb.save(path, transparency=(10, 20, 30))
    assert check_8bit_srgb(prepare_image(path)).mode == "RGBA"


def test_plain_grey_png_becomes_rgb(tmp_path: Path) -> None:
    path = tmp_path / "grey.png"
    Image.new("L", (40, 40), 77).save(path)
    out = check_8bit_srgb(prepare_image(path))
    assert out.getpixel((5, 5)) == (77, 77, 77)


def test_plain_rgb_png_and_jpeg_still_go_out_unchanged(tmp_path: Path) -> None:
    for name, fmt in (("a.png", "PNG"), ("a.jpg", "JPEG")):
        path = tmp_path / name
        Image.new("RGB", (40, 40), (1, 2, 3)).save(path, fmt)
        assert prepare_image(path).data == path.read_bytes()
