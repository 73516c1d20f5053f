"""LaTeX formulas in replies, drawn by ziamath (pure Python, LaTeX → SVG) and Qt's SVG renderer.

ziamath with its one math font and latex2mathml weigh about 3 MB installed; matplotlib's mathtext,
the usual alternative, brings matplotlib itself (tens of MB with its fonts and compiled parts) for
one feature. Importing ziamath parses its font: 0.3 s on an idle machine, 1.7 s on a busy one, and
26 MB. So nothing loads it at start-up: the first formula met starts the import on a background
thread and is shown as its source meanwhile; ``MathLoader.loaded`` then asks the views to draw
again.

A formula travels inside the HTML as an image address ``math:<i|d><colour>/<base64 source>``, so
the text view can draw it at its own font size and pixel ratio, and copying a selection gives the
source back.
"""

from __future__ import annotations

import base64
import logging
import threading
import warnings
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QByteArray, QObject, QRectF, QUrl, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

log = logging.getLogger(__name__)

SCHEME = "math"
MAX_SOURCE = 2000
"""Longer "formulas" are shown as text: most likely a stray dollar sign, not maths."""

_import_lock = threading.Lock()
_ready = threading.Event()
_started = False


class MathLoader(QObject):
    loaded = Signal()


_loader: MathLoader | None = None


def math_loader() -> MathLoader:
    """Created on the Qt thread (the first renderer does), so ``loaded`` arrives there."""
    global _loader
    if _loader is None:
        _loader = MathLoader()
    return _loader


@dataclass(frozen=True)
class Formula:
    latex: str
    display: bool
    color: str = "#000000"

    @property
    def source(self) -> str:
        mark = "$$" if self.display else "$"
        return f"{mark}{self.latex}{mark}"

    @property
    def url(self) -> str:
        encoded = base64.urlsafe_b64encode(self.latex.encode("utf-8")).decode("ascii")
        return f"{SCHEME}:{'d' if self.display else 'i'}{self.color}/{encoded}"

    @classmethod
    def from_url(cls, url: str) -> Formula | None:
        if not url.startswith(f"{SCHEME}:"):
            return None
        head, _, encoded = url[len(SCHEME) + 1:].partition("/")
        try:
            latex = base64.urlsafe_b64decode(encoded.encode("ascii")).decode("utf-8")
        except (ValueError, UnicodeError):
            return None
        if not head or head[0] not in "di":
            return None
        return cls(latex, head[0] == "d", head[1:] or "#000000")


def preload_math() -> None:
    with _import_lock, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # its font lookup uses an old importlib API
        import ziamath

        ziamath.config.svg2 = False  # glyphs as plain paths: Qt's SVG renderer ignores SVG 2 <use href>
    _ready.set()


def math_ready() -> bool:
    """True once ziamath is loaded; the first call starts loading it in the background."""
    global _started
    if _ready.is_set():
        return True
    if not _started:
        _started = True
        loader = math_loader()

        def load() -> None:
            try:
                preload_math()
            except Exception:  # noqa: BLE001 - formulas then stay as their source
                log.exception("the formula renderer could not be loaded")
                return
            loader.loaded.emit()

        threading.Thread(target=load, name="math-import", daemon=True).start()
    return False


@lru_cache(maxsize=512)
def formula_svg(formula: Formula, size_px: float = 16.0) -> str | None:
    """The SVG of ``formula``, or None when ziamath cannot read it (shown as its source then)."""
    if not formula.latex.strip() or len(formula.latex) > MAX_SOURCE:
        return None
    preload_math()
    import ziamath

    try:
        return str(ziamath.Latex(formula.latex, size=size_px, inline=not formula.display,
                                 color=formula.color).svg())
    except Exception as error:  # noqa: BLE001 - ziamath raises assertions and key errors on bad input
        log.debug("formula not drawn (%s): %.80s", type(error).__name__, formula.latex)
        return None


@lru_cache(maxsize=256)
def formula_image(formula: Formula, size_px: float, ratio: float) -> QImage | None:
    svg = formula_svg(formula, size_px)
    if svg is None:
        return None
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not renderer.isValid():
        return None
    size = renderer.defaultSize()
    image = QImage(max(1, round(size.width() * ratio)), max(1, round(size.height() * ratio)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    image.setDevicePixelRatio(ratio)
    return image


def formula_for(url: QUrl | str) -> Formula | None:
    return Formula.from_url(url.toString() if isinstance(url, QUrl) else url)
