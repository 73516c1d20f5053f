"""Before Qt starts on Linux: name the missing system library and its package, in one sentence.

Without this, a missing ``libglib-2.0.so.0`` is an ImportError traceback and a missing
``libxcb-cursor.so.0`` is Qt's abort ("xcb-cursor0 is needed", which hides the other gaps).
The libraries and their Debian/Ubuntu packages are listed in ``system_libraries.txt`` (also
read by ``./run`` and the .deb's Depends).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Library:
    soname: str
    package: str
    needed_for: str


def libraries() -> list[Library]:
    text = resources.files("qwen_desktop").joinpath("system_libraries.txt").read_text(encoding="utf-8")
    rows = (line.split() for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return [Library(*row[:3]) for row in rows]


def platform_in_use(env: Mapping[str, str]) -> str:
    """The Qt platform plugin Qt will pick: QT_QPA_PLATFORM, else Wayland or X11 by session."""
    requested = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if requested:
        return "wayland" if requested.startswith("wayland") else requested
    if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    return "xcb"


def loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing(env: Mapping[str, str], load: Callable[[str], bool] = loadable) -> list[Library]:
    wanted = {"qt", platform_in_use(env)}
    return [lib for lib in libraries() if lib.needed_for in wanted and not load(lib.soname)]


def apt_line(packages: list[str]) -> str:
    return "sudo apt-get install " + " ".join(packages)


def problem(env: Mapping[str, str], load: Callable[[str], bool] = loadable) -> str | None:
    """The sentence to print when Qt cannot start here, or None (also None off Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    gaps = missing(env, load)
    if not gaps:
        return None
    names = ", ".join(lib.soname for lib in gaps)
    packages = sorted({lib.package for lib in gaps})
    noun = "library is" if len(gaps) == 1 else "libraries are"
    return (f"Qwen Desktop cannot start: the system {noun} missing ({names}). "
            f"On Debian or Ubuntu install {' '.join(packages)}: {apt_line(packages)}")
