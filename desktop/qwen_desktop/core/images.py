"""Turning a file the user picked into an image the models accept, or one sentence saying why not.

Accepted: PNG, JPEG and WEBP go out as they are when nothing needs changing; BMP, TIFF and GIF
become PNG. Every change made on the way (rotation, resizing, conversion, removed metadata) is
listed in ``PreparedImage.notes`` so the user sees what is sent.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .errors import QwenError
from .files import FileRefusedError, read_bounded

MAX_DATA_URL_BYTES = 10 * 1024 * 1024
MAX_RAW_BYTES = 7 * 1024 * 1024
"""Raw bytes kept well under the data-URL limit: base64 grows them by a third."""
MAX_SOURCE_BYTES = 200 * 1024 * 1024
MAX_SIDE = 4096
MIN_SIDE = 11
UPSCALE_TO = 28
MAX_ASPECT = 200
MAX_IMAGES_PER_MESSAGE = 10
JPEG_QUALITY = 88
JPEG_REENCODE_QUALITY = 92
WEBP_QUALITY = 90

ACCEPTED = ("PNG", "JPEG", "WEBP", "BMP", "TIFF", "GIF")
SENT_AS_IS = frozenset({"PNG", "JPEG", "WEBP"})
MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
ACCEPTED_LIST = "PNG, JPEG, WEBP, BMP, TIFF or GIF"
_ORIENTATION = 0x0112
_PLAIN_JPEG_MARKERS = frozenset({"APP0", "APP14"})
_PRIVATE_INFO = frozenset({"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop"})

T = TypeVar("T")


class ImageRejectedError(QwenError):
    kind = "image_rejected"
    sentence = "This file cannot be sent as an image."

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        super().__init__(f"{name} {reason}")


class TooManyImagesError(QwenError):
    kind = "too_many_images"
    sentence = f"At most {MAX_IMAGES_PER_MESSAGE} images can go in one message."


class VisionRequiredError(QwenError):
    """The conversation's model cannot see images; ``suggestion`` names one that can."""

    kind = "vision_required"
    sentence = "This model cannot see images."

    def __init__(self, model: str, suggestion: str) -> None:
        self.model = model
        self.suggestion = suggestion
        super().__init__(
            f"{model} cannot see images: switch this conversation to a vision model such as "
            f"{suggestion}, or remove the images."
        )


class AttachmentMissingError(QwenError):
    kind = "attachment_missing"
    sentence = "An attached image is no longer available."

    def __init__(self, name: str, reason: str = "is no longer on disk") -> None:
        self.name = name
        super().__init__(f"The attached image {name} {reason}: attach it again to send it.")


@dataclass(frozen=True)
class PreparedImage:
    sha256: str
    mime: str
    width: int
    height: int
    data: bytes
    name: str
    notes: tuple[str, ...] = ()

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height


def data_url(image: PreparedImage) -> str:
    return encode_data_url(image.mime, image.data)


def encode_data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def data_url_length(mime: str, raw_bytes: int) -> int:
    return len(f"data:{mime};base64,") + 4 * math.ceil(raw_bytes / 3)


def check_count(count: int) -> None:
    """Refuse a message with more images than one message may carry."""
    if count > MAX_IMAGES_PER_MESSAGE:
        extra = count - MAX_IMAGES_PER_MESSAGE
        raise TooManyImagesError(
            f"At most {MAX_IMAGES_PER_MESSAGE} images can go in one message: this one has {count}, "
            f"so remove {extra}."
        )


def keep_allowed(items: Sequence[T], already: int = 0) -> tuple[list[T], str | None]:
    """For a composer: the items that still fit beside ``already`` attached ones, and what was dropped."""
    room = max(0, MAX_IMAGES_PER_MESSAGE - already)
    if len(items) <= room:
        return list(items), None
    added = len(items)
    if room == 0:
        return [], (f"At most {MAX_IMAGES_PER_MESSAGE} images per message: {added} were added, "
                    "so none were kept.")
    return list(items[:room]), (
        f"At most {MAX_IMAGES_PER_MESSAGE} images per message: {added} were added, so the first "
        f"{room} were kept."
    )


def prepare_image(source: Path | bytes, name: str | None = None) -> PreparedImage:
    """Read, check and if needed convert one image; raises ImageRejectedError with the reason."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        label = name or "The pasted image"
        raw = bytes(source)
    else:
        path = Path(source)
        label = name or path.name
        raw = _read(path, label)
    if not raw:
        raise ImageRejectedError(label, "is empty (0 bytes).")
    if len(raw) > MAX_SOURCE_BYTES:
        raise ImageRejectedError(
            label, f"is too large ({_megabytes(len(raw))}): images up to "
            f"{_megabytes(MAX_SOURCE_BYTES)} can be attached."
        )
    image = _open(raw, label)
    return _Preparation(raw, image, label).run()


def _read(path: Path, label: str) -> bytes:
    """A FIFO named ``x.png`` or a link to ``/dev/zero`` is refused before anything is read."""
    try:
        return read_bounded(path, MAX_SOURCE_BYTES)
    except FileRefusedError as exc:
        reason = _READ_REASONS.get(exc.reason, exc.reason)
        if reason.startswith("is too large"):
            reason = (f"is too large ({_megabytes(path.stat().st_size)}): images up to "
                      f"{_megabytes(MAX_SOURCE_BYTES)} can be attached.")
        raise ImageRejectedError(label, reason) from None


_READ_REASONS = {
    "does not exist.": "does not exist any more.",
    "is a folder, not a file.": "is a folder, not an image file.",
}


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB"


def _open(raw: bytes, label: str) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(raw), formats=ACCEPTED) as probe:
                _check_pixels(probe, label)
                probe.verify()
            image = Image.open(io.BytesIO(raw), formats=ACCEPTED)
            image.load()
        except UnidentifiedImageError:
            raise ImageRejectedError(label, _unreadable_reason(raw)) from None
        except Image.DecompressionBombError:
            raise ImageRejectedError(label, "has too many pixels to open safely.") from None
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
            raise ImageRejectedError(label, "is damaged or incomplete, so it cannot be read.") from None
    return image


def _check_pixels(image: Image.Image, label: str) -> None:
    width, height = image.size
    limit = Image.MAX_IMAGE_PIXELS
    if limit and width * height > limit:
        raise ImageRejectedError(
            label, f"is {width}×{height} pixels, too many to open safely."
        )
    if width < 1 or height < 1:
        raise ImageRejectedError(label, "has no pixels.")
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise ImageRejectedError(
            label, f"is {width}×{height} pixels: its aspect ratio is over the "
            f"{MAX_ASPECT}:1 the models accept."
        )


def _unreadable_reason(raw: bytes) -> str:
    head = raw[:512]
    lowered = head.lower()
    if head.startswith(b"%PDF"):
        return "is a PDF document, not an image: export the page as PNG or JPEG first."
    if b"<svg" in lowered or (lowered.lstrip().startswith(b"<?xml") and b"svg" in lowered):
        return "is an SVG drawing, which cannot be sent: export it as PNG first."
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "is an AVIF image, which this app cannot read: export it as JPEG or PNG first."
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
            return "is a HEIC photo, which this app cannot read: export it as JPEG first."
        return "is a video or other media file, not an image."
    if _looks_like_text(head):
        return "is not an image (its content is text)."
    return f"is not an image this app can read: use {ACCEPTED_LIST}."


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3
    return True


class _Preparation:
    """One image's way from the opened file to the bytes that are sent."""

    def __init__(self, raw: bytes, image: Image.Image, label: str) -> None:
        self.raw = raw
        self.source = image
        self.label = label
        self.format = str(image.format)
        self.notes: list[str] = []

    def run(self) -> PreparedImage:
        if self._sendable_as_is():
            width, height = self.source.size
            return self._result(self.raw, self.format, width, height)
        image = self._upright(self._first_frame(self.source))
        image = self._plain(image)
        return self._encoded(image)

    def _sendable_as_is(self) -> bool:
        return (
            self.format in SENT_AS_IS
            and not getattr(self.source, "is_animated", False)
            and self._orientation() in (0, 1)
            and not _has_private_metadata(self.source)
            and _fits_sides(*self.source.size)
            and len(self.raw) <= MAX_RAW_BYTES
            and _is_8bit_rgb(self.source, self.raw)
        )

    def _orientation(self) -> int:
        try:
            return int(self.source.getexif().get(_ORIENTATION) or 0)
        except Exception:
            return 0

    def _first_frame(self, image: Image.Image) -> Image.Image:
        frames = int(getattr(image, "n_frames", 1) or 1)
        if frames > 1:
            image.seek(0)
            self.notes.append(f"Only the first of its {frames} frames is sent.")
            return image.copy()
        return image

    def _upright(self, image: Image.Image) -> Image.Image:
        if self._orientation() in (0, 1):
            return image
        self.notes.append("Turned upright as its EXIF orientation tag says.")
        return ImageOps.exif_transpose(image)

    def _plain(self, image: Image.Image) -> Image.Image:
        if _has_private_metadata(self.source):
            self.notes.append("Removed its metadata (camera, location and other details).")
        if image.mode == "CMYK":
            self.notes.append("Converted its CMYK (print) colours to RGB.")
        elif _png_bit_depth(self.raw) == 16:
            self.notes.append("Reduced from 16 to 8 bits per channel.")
        image = _in_srgb(image, self.source.info.get("icc_profile"), self.notes)
        image = _normalized_mode(image)
        if image is self.source:
            image = image.copy()
        image.info = {}
        return image

    def _encoded(self, image: Image.Image) -> PreparedImage:
        original = image.size
        resized = _resized(image, _fitted_size(*original))
        fmt = self._preferred_format(resized)
        data = _encode(resized, fmt, same_size=resized.size == original)
        for_bytes = False
        while len(data) > MAX_RAW_BYTES:
            for_bytes = True
            if fmt != "JPEG" and not _has_alpha(resized):
                fmt = "JPEG"
            else:
                target = _shrunk(resized.size, len(data))
                if min(target) < MIN_SIDE:
                    raise ImageRejectedError(self.label, "cannot be made small enough to send.")
                resized = _resized(image, target)
            data = _encode(resized, fmt, same_size=resized.size == original)
        self._note_changes(original, resized.size, fmt, for_bytes)
        return self._result(data, fmt, *resized.size)

    def _preferred_format(self, image: Image.Image) -> str:
        return self.format if self.format in SENT_AS_IS else "PNG"

    def _note_changes(
        self, original: tuple[int, int], final: tuple[int, int], fmt: str, for_bytes: bool
    ) -> None:
        old, new = _dimensions(original), _dimensions(final)
        if final[0] < original[0]:
            reason = (f"to fit the {MAX_DATA_URL_BYTES // (1024 * 1024)} MB limit" if for_bytes
                      else f"to stay within {MAX_SIDE} pixels per side")
            self.notes.append(f"Downscaled from {old} to {new} {reason}.")
        elif final[0] > original[0]:
            self.notes.append(
                f"Enlarged from {old} to {new}: the models need more than {MIN_SIDE - 1} pixels per side."
            )
        if fmt != self.format:
            why = f" to fit the {MAX_DATA_URL_BYTES // (1024 * 1024)} MB limit" if (
                for_bytes and fmt == "JPEG") else ""
            self.notes.append(f"Converted from {self.format} to {fmt}{why}.")

    def _result(self, data: bytes, fmt: str, width: int, height: int) -> PreparedImage:
        if data_url_length(MIME[fmt], len(data)) > MAX_DATA_URL_BYTES:
            raise ImageRejectedError(self.label, "cannot be made small enough to send.")
        return PreparedImage(
            sha256=hashlib.sha256(data).hexdigest(), mime=MIME[fmt], width=width, height=height,
            data=data, name=self.label, notes=tuple(self.notes),
        )


def _dimensions(size: tuple[int, int]) -> str:
    return f"{size[0]}×{size[1]}"


def _has_private_metadata(image: Image.Image) -> bool:
    if any(key in image.info for key in _PRIVATE_INFO):
        return True
    if image.format == "JPEG":
        markers = {marker for marker, _ in getattr(image, "applist", [])}
        return bool(markers - _PLAIN_JPEG_MARKERS)
    if image.format == "PNG":
        return bool(getattr(image, "text", None))
    return False


def _fits_sides(width: int, height: int) -> bool:
    return MIN_SIDE <= min(width, height) and max(width, height) <= MAX_SIDE


def _fitted_size(width: int, height: int) -> tuple[int, int]:
    scale = 1.0
    if max(width, height) > MAX_SIDE:
        scale = MAX_SIDE / max(width, height)
    elif min(width, height) < MIN_SIDE:
        scale = min(UPSCALE_TO / min(width, height), MAX_SIDE / max(width, height))
    if scale == 1.0:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def _shrunk(size: tuple[int, int], encoded_bytes: int) -> tuple[int, int]:
    factor = min(0.9, max(0.35, math.sqrt(MAX_RAW_BYTES / encoded_bytes) * 0.95))
    return max(1, int(size[0] * factor)), max(1, int(size[1] * factor))


def _resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if size == image.size:
        return image
    if size[0] > image.size[0]:
        return image.resize(size, Image.Resampling.NEAREST)
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA")


def _png_bit_depth(raw: bytes) -> int | None:
    """Bits per channel from a PNG's header (Pillow opens 16-bit colour PNGs as 8-bit RGB)."""
    if raw[:8] == b"\x89PNG\r\n\x1a\n" and raw[12:16] == b"IHDR" and len(raw) > 24:
        return raw[24]
    return None


def _is_8bit_rgb(image: Image.Image, raw: bytes) -> bool:
    """What the service takes as it is: 8 bits per channel, RGB or RGBA, no palette or tRNS."""
    if image.mode not in ("RGB", "RGBA") or "transparency" in image.info:
        return False
    return image.format != "PNG" or _png_bit_depth(raw) == 8


def _normalized_mode(image: Image.Image) -> Image.Image:
    """8-bit RGB or RGBA; an alpha channel that hides nothing is dropped."""
    mode = image.mode
    if mode in ("P", "PA"):
        has_transparency = mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if has_transparency else "RGB")
    elif mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L").convert("RGB")
    elif mode in ("F", "1", "L"):
        image = image.convert("L").convert("RGB")
    elif mode in ("LA", "La", "RGBa"):
        image = image.convert("RGBA")
    elif mode == "RGB" and "transparency" in image.info:
        image = image.convert("RGBA")
    elif mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    if _has_alpha(image) and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    return image


def _in_srgb(image: Image.Image, icc: bytes | None, notes: list[str]) -> Image.Image:
    """Colours from an embedded profile that is not sRGB are converted, so dropping it changes nothing."""
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (ImageCms.getProfileDescription(profile) or "").lower():
            return image
        converted = ImageCms.profileToProfile(
            image, profile, ImageCms.createProfile("sRGB"),
            outputMode="RGB" if image.mode == "CMYK" else image.mode,
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    if converted is None:
        return image
    notes.append("Converted its colours to sRGB.")
    return converted


def _encode(image: Image.Image, fmt: str, *, same_size: bool) -> bytes:
    """JPEG re-encoded at its own size gets a higher quality, to lose as little as possible."""
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        quality = JPEG_REENCODE_QUALITY if same_size else JPEG_QUALITY
        image.save(out, "JPEG", quality=quality, optimize=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(out, "PNG", compress_level=6)
    return out.getvalue()
