"""Render resources/icons/qwen-desktop.svg into the PNG sizes, the Windows .ico and the macOS .icns.

Run with ``uv run python packaging/icons.py`` after changing the SVG; the outputs are committed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SOURCE = ICONS / "qwen-desktop.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def png_path(size: int) -> Path:
    return ICONS / f"qwen-desktop-{size}.png"


def render_png(size: int, target: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target)):
        raise SystemExit(f"cannot write {target}")


def render_all(workdir: Path) -> dict[int, Path]:
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))
    rendered: dict[int, Path] = {}
    for size in sizes:
        target = png_path(size) if size in PNG_SIZES else workdir / f"{size}.png"
        render_png(size, target)
        rendered[size] = target
    return rendered


def write_ico(rendered: dict[int, Path]) -> Path:
    from PIL import Image

    target = ICONS / "qwen-desktop.ico"
    images = [Image.open(rendered[size]).convert("RGBA") for size in ICO_SIZES]
    largest = images[-1]
    largest.save(target, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=images[:-1])
    return target


def write_icns(rendered: dict[int, Path]) -> Path:
    from PIL import Image

    target = ICONS / "qwen-desktop.icns"
    images = [Image.open(rendered[size]).convert("RGBA") for size in ICNS_SIZES]
    images[-1].save(target, format="ICNS", append_images=images[:-1])
    return target


def main() -> int:
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        rendered = render_all(Path(tmp))
        outputs = [*(png_path(s) for s in PNG_SIZES), write_ico(rendered), write_icns(rendered)]
    for path in outputs:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:>8} bytes")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
