"""An Xvfb server and a watcher that sees windows map and get painted, and types into them.

How "painted" is decided, from outside the process: the watcher listens on the root window for
new top-level windows (``SubstructureNotify``) and, as soon as one is created, attaches an X
DAMAGE object to it. Xvfb starts with a black root (``-br``) and Qt creates its windows without a
background (``back_pixmap None``), so mapping a window draws nothing; the first damage is Qt's
first paint reaching the server. Each damage report is confirmed by reading the window's pixels
(``GetImage``) and counting distinct colours: a painted window has several, an unpainted one is
uniformly black. The moment is taken when the damage event is read, so the figure includes the
time for Qt to push the frame to the server, as a user would see it.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from Xlib import X, XK, display as xdisplay
from Xlib.error import XError
from Xlib.ext import damage, xtest

SCREEN = "1400x960x24"


def xvfb_missing() -> str | None:
    """Why the outside measurements cannot run here, or None."""
    if shutil.which("Xvfb") is None:
        return "Xvfb is not installed (apt-get install xvfb)"
    return None


class Xvfb:
    """``Xvfb`` on a free display number (chosen by the server itself through ``-displayfd``)."""

    def __init__(self, screen: str = SCREEN) -> None:
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", screen, "-br", "-nolisten", "tcp",
             "+extension", "DAMAGE", "+extension", "XTEST"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(write)
        number = b""
        with os.fdopen(read, "rb") as pipe:
            while not number.endswith(b"\n"):
                chunk = pipe.read(1)
                if not chunk:
                    raise RuntimeError("Xvfb did not start")
                number += chunk
        self.display = f":{int(number)}"

    def close(self) -> None:
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Xvfb:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass
class Seen:
    """What the watcher saw of one top-level window (``time.time()`` seconds)."""

    window: int
    created: float
    mapped: float | None = None
    painted: float | None = None
    damage: int | None = field(default=None, repr=False)


class Watcher:
    """One X connection that follows top-level windows and sends synthetic input (XTEST)."""

    def __init__(self, display_name: str) -> None:
        self.display = xdisplay.Display(display_name)
        self.display.set_error_handler(lambda *_: None)  # a window may be gone before we look at it
        if not self.display.has_extension("DAMAGE"):
            raise RuntimeError("the X server has no DAMAGE extension")
        self.display.damage_query_version()
        self.root = self.display.screen().root
        self.root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self.display.sync()
        self.windows: dict[int, Seen] = {}
        self._damage_event = self.display.extension_event.DamageNotify

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.display.close()

    def forget(self) -> None:
        """Drop what was seen so far (between runs on the same server)."""
        self.pump(0)
        self.windows.clear()

    # -- events

    def pump(self, timeout: float) -> None:
        """Handle the events that arrive within ``timeout`` seconds (at least those pending)."""
        deadline = time.monotonic() + timeout
        while True:
            while self.display.pending_events():
                self._handle(self.display.next_event())
            left = deadline - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([self.display.fileno()], [], [], left)
            if ready:
                # read what arrived; pending_events() pulls it off the socket
                self.display.pending_events()

    def _handle(self, event: object) -> None:
        now = time.time()
        kind = event.type  # type: ignore[attr-defined]
        if kind == X.CreateNotify:
            if event.parent == self.root and not event.override:  # type: ignore[attr-defined]
                seen = Seen(event.window.id, now)  # type: ignore[attr-defined]
                self.windows[seen.window] = seen
                with contextlib.suppress(XError):
                    seen.damage = event.window.damage_create(damage.DamageReportNonEmpty)  # type: ignore[attr-defined]
        elif kind == X.MapNotify:
            seen = self.windows.get(event.window.id)  # type: ignore[attr-defined]
            if seen is not None and seen.mapped is None:
                seen.mapped = now
                self._check_painted(seen, now)
        elif kind == X.DestroyNotify:
            self.windows.pop(event.window.id, None)  # type: ignore[attr-defined]
        elif kind == self._damage_event:
            seen = self.windows.get(event.drawable.id)  # type: ignore[attr-defined]
            if seen is not None:
                self._check_painted(seen, now)

    def _check_painted(self, seen: Seen, now: float) -> None:
        if seen.painted is not None or seen.mapped is None:
            return
        if seen.damage is not None:
            with contextlib.suppress(XError):
                self.display.damage_subtract(seen.damage)
        if colours(self.display, seen.window) >= 3:
            seen.painted = now

    def wait_painted(self, pid: int | None = None, timeout: float = 60,
                     alive: subprocess.Popen | None = None) -> Seen:
        """The first top-level window (of ``pid``, when given) that is mapped and painted."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for seen in self.windows.values():
                if seen.painted is not None and (pid is None or window_pid(self.display, seen.window) == pid):
                    return seen
            if alive is not None and alive.poll() is not None:
                raise RuntimeError(f"the process ended (exit {alive.returncode}) before painting a window")
            self.pump(0.05)
        raise TimeoutError("no painted window")

    # -- input

    def focus(self, window: int) -> None:
        target = self.display.create_resource_object("window", window)
        geometry = target.get_geometry()
        self.root.warp_pointer(geometry.x + geometry.width // 2, geometry.y + geometry.height // 2)
        target.set_input_focus(X.RevertToParent, X.CurrentTime)
        self.display.sync()

    def key(self, name: str, shift: bool = False) -> float:
        """Press and release one key (an X keysym name: ``Return``, ``a``…); returns the moment
        the press was flushed to the server."""
        code = self.display.keysym_to_keycode(XK.string_to_keysym(name))
        if not code:
            raise ValueError(f"no key for {name!r}")
        shift_code = self.display.keysym_to_keycode(XK.XK_Shift_L)
        if shift:
            xtest.fake_input(self.display, X.KeyPress, shift_code)
        xtest.fake_input(self.display, X.KeyPress, code)
        self.display.flush()
        pressed = time.time()
        xtest.fake_input(self.display, X.KeyRelease, code)
        if shift:
            xtest.fake_input(self.display, X.KeyRelease, shift_code)
        self.display.sync()
        return pressed

    def type_text(self, text: str, gap: float = 0.03) -> None:
        """Type letters, digits and spaces, ``gap`` seconds apart (watching events meanwhile)."""
        for char in text:
            name = "space" if char == " " else char
            self.key(name.lower() if char.isalpha() else name, shift=char.isupper())
            self.pump(gap)


def colours(display: xdisplay.Display, window: int, limit: int = 3) -> int:
    """How many distinct pixel values a grid of samples over the window holds (up to ``limit``)."""
    target = display.create_resource_object("window", window)
    try:
        geometry = target.get_geometry()
        image = target.get_image(0, 0, geometry.width, geometry.height, X.ZPixmap, 0xFFFFFFFF)
    except XError:
        return 0
    data = image.data
    width, height = geometry.width, geometry.height
    stride = len(data) // max(1, height)
    found: set[bytes] = set()
    for y in range(0, height, max(1, height // 40)):
        row = y * stride
        for x in range(0, width, max(1, width // 40)):
            found.add(bytes(data[row + 4 * x: row + 4 * x + 3]))
            if len(found) >= limit:
                return len(found)
    return len(found)


def window_pid(display: xdisplay.Display, window: int) -> int | None:
    atom = display.intern_atom("_NET_WM_PID")
    try:
        prop = display.create_resource_object("window", window).get_full_property(atom, X.AnyPropertyType)
    except XError:
        return None
    return int(prop.value[0]) if prop is not None and len(prop.value) else None


@contextlib.contextmanager
def x_session() -> Iterator[tuple[Xvfb, Watcher]]:
    """An Xvfb server and a watcher on it, both closed afterwards."""
    with Xvfb() as server:
        watcher = Watcher(server.display)
        try:
            yield server, watcher
        finally:
            watcher.close()
