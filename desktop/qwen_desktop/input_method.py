"""fcitx5 under X11: talk to it over the IBus protocol, since no fcitx plugin fits our Qt.

Qt loads an input-method plugin named by ``QT_IM_MODULE``. PySide6's Qt (and so the bundle)
ships only the ``ibus`` and ``compose`` plugins, and the fcitx5 plugin a distribution builds
is tied to that distribution's Qt private ABI (Debian 12's, built for Qt 6.4, does not even
link against Qt 6.11: ``QWindowSystemInterface::handleExtendedKeyEvent`` changed). Left alone,
``QT_IM_MODULE=fcitx`` loads nothing and fcitx5 users cannot type Chinese or Japanese. fcitx5
answers the IBus D-Bus protocol itself (its ``ibusfrontend`` addon, on by default), so asking Qt
for ``ibus`` reaches fcitx5. Under Wayland, Qt talks to the compositor's text-input protocol
and needs no plugin; a session that asks for an fcitx plugin there gets ``ibus`` too.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, MutableMapping
from pathlib import Path

FCITX_NAMES = {"fcitx", "fcitx5"}


def qt_input_plugins() -> list[str]:
    """File names of the input-method plugins our Qt can load."""
    try:
        import PySide6
    except ImportError:
        return []
    folder = Path(PySide6.__file__).resolve().parent / "Qt" / "plugins" / "platforminputcontexts"
    return sorted(path.name for path in folder.glob("*.so"))


def choose(env: MutableMapping[str, str], plugins: Iterable[str]) -> str | None:
    """Set ``QT_IM_MODULE=ibus`` when fcitx is asked for and no fcitx plugin is present.

    Returns the module chosen, or None when the environment is left as it was.
    """
    names = list(plugins)
    if any("fcitx" in name for name in names) or not any("ibus" in name for name in names):
        return None
    requested = env.get("QT_IM_MODULE", "").strip().lower()
    modules = [m.strip().lower() for m in env.get("QT_IM_MODULES", "").split(";") if m.strip()]
    from_xim = "fcitx" in env.get("XMODIFIERS", "").lower() and not requested and not modules
    if requested in FCITX_NAMES or (modules and modules[0] in FCITX_NAMES) or from_xim:
        env["QT_IM_MODULE"] = "ibus"
        env.pop("QT_IM_MODULES", None)
        return "ibus"
    return None


def prefer_ibus_for_fcitx(env: MutableMapping[str, str]) -> str | None:
    if not sys.platform.startswith("linux"):
        return None
    return choose(env, qt_input_plugins())
