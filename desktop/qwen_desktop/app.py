"""Wiring: QApplication, the qasync loop, services and the main window."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from .core import errors as e
from .core.logs import setup_logging
from .core.paths import resolve_data_dir
from .core.redact import redact
from .core.services import Services, build_services, region_overrides_from_env

log = logging.getLogger(__name__)

APP_NAME = "Qwen Desktop"


def ensure_qapplication(argv: Sequence[str] = ()) -> object:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0], *argv])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("qwen-desktop")
    app.setApplicationDisplayName(APP_NAME)
    from .ui.common.about import app_icon, app_version

    app.setApplicationVersion(app_version())
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("qwen-desktop")
    return app


def create_window(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    region_urls: Mapping[str, str] | None = None,
    services: Services | None = None,
) -> object:
    """Build the real main window in-process (tests and outside harnesses use this).

    The keyring backend is whatever ``keyring`` is set to (``keyring.set_keyring`` or
    ``PYTHON_KEYRING_BACKEND``). A qasync loop must be the current event loop.
    """
    from .ui.common.i18n import install_translators
    from .ui.main_window import MainWindow

    ensure_qapplication()
    services = services or build_services(data_dir, region_overrides=region_urls)
    install_translators(services.config.language)
    return MainWindow(services)


def bring_forward(window: Any) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()


def install_excepthook() -> None:
    """Unexpected errors are logged (redacted, like every log line) and shown without blocking."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, tb)
            return
        log.error("Unexpected error", exc_info=(kind, error, tb))
        show_crash_message(error)

    sys.excepthook = hook


def show_crash_message(error: BaseException) -> Any:
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        return None
    summary = redact(f"{type(error).__name__}: {error}")[:500]
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME,
                      QCoreApplication.translate(
                          "App", "Something unexpected went wrong. Your conversations are saved; "
                          "the details are in the log file."),
                      QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    box.setObjectName("crashMessage")
    box.setDetailedText(summary)
    box.setWindowModality(Qt.WindowModality.NonModal)
    _crash_boxes.add(box)
    box.finished.connect(lambda _result: _crash_boxes.discard(box))
    box.show()
    return box


_crash_boxes: set[Any] = set()
"""Open crash messages: a parentless box whose Python wrapper is dropped would vanish at once."""


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="qwen-desktop", description="Qwen Desktop")
    p.add_argument("--data-dir")
    p.add_argument("--theme", choices=["system", "light", "dark"])
    p.add_argument("--smoke-test", metavar="URL",
                   help="check this build against a Model Studio simulator at URL, then exit")
    p.add_argument("--smoke-timeout", type=float, default=30.0, metavar="SECONDS")
    return p.parse_args(list(argv))


def open_window(args: Sequence[str]) -> int:
    """The window, without importing the terminal commands' modules (sync, export…): the
    first paint does not need them."""
    from .system_libraries import problem

    if (missing_libraries := problem(os.environ)) is not None:
        print(missing_libraries, file=sys.stderr)
        return 1
    from .input_method import prefer_ibus_for_fcitx

    prefer_ibus_for_fcitx(os.environ)
    return run_app(args)


def run_app(argv: Sequence[str]) -> int:
    args = _parse(argv)
    import qasync

    if args.smoke_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = ensure_qapplication(argv)
    if args.smoke_test:
        from .smoke import run_smoke_test

        return run_smoke_test(app, args.smoke_test, args.data_dir, args.smoke_timeout)
    from .startup import log_level
    from .ui.common.i18n import install_translators

    install_translators("system")

    try:
        data_dir = resolve_data_dir(args.data_dir)
        setup_logging(data_dir, log_level(os.environ))
        from .ui.common.single_instance import InstanceGuard

        guard = InstanceGuard.claim(data_dir)
        if guard is None:
            log.info("Another window already uses %s: asked it to come forward", data_dir)
            return 0
        from .ui.shell.quit_signals import QuitSignals

        signals = QuitSignals()
        services = build_services(data_dir, region_overrides=region_overrides_from_env(os.environ))
    except e.QwenError as error:
        return _fatal(str(error))
    except OSError as error:
        from .startup import data_dir_problem

        return _fatal(data_dir_problem(error))
    install_translators(services.config.language)
    counter = getattr(services.engine.context, "counter", None)
    if counter is not None:
        counter.load_in_background()  # estimates until then: see prewarm_after_paint
    install_excepthook()
    if args.theme:
        services.config.theme = args.theme
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    from .ui.common.theme import apply_theme
    from .ui.main_window import MainWindow

    apply_theme(app, services.config.theme)  # before any widget: messages render once, not twice
    window = MainWindow(services)
    guard.activated.connect(lambda: bring_forward(window))
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    signals.received.connect(lambda number: _quit_on_signal(window, number))
    _after_first_paint(window, _BenchReport(window) if os.environ.get(BENCH_EXIT_ENV) == "1" else None)
    window.show()
    try:
        with loop:
            loop.run_until_complete(closed.wait())
            loop.run_until_complete(window.shutdown())
            loop.run_until_complete(services.aclose())
    finally:
        asyncio.set_event_loop(None)
        signals.uninstall()
        guard.close()
    if window.restart_requested:
        relaunch()
    return 0


def _quit_on_signal(window: Any, number: int) -> None:
    """Stop as Quit does: replies stopped with their text kept, the database closed, the socket freed."""
    import signal

    log.info("%s received: quitting", signal.Signals(number).name)
    window.quit()


def relaunch() -> None:
    """Start the app again with the same arguments (a packaged build is its own executable)."""
    from PySide6.QtCore import QProcess

    if getattr(sys, "frozen", False):
        QProcess.startDetached(sys.executable, sys.argv[1:])
    else:
        QProcess.startDetached(sys.executable, ["-m", "qwen_desktop", *sys.argv[1:]])


BENCH_EXIT_ENV = "QWEN_DESKTOP_BENCH_EXIT_AFTER_PAINT"
"""Set to ``1`` (bench/startup.py does): at the main window's first paint, print one JSON line
(seconds since the process started, the wall-clock time, RSS; then RSS once the SDKs are
imported) and quit."""


def _after_first_paint(window: object, report: _BenchReport | None) -> None:
    """Import the SDKs on a background thread once the window is on screen, not before.

    They take seconds to import; done here, the first request does not wait for them.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: object, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)  # type: ignore[attr-defined]
                QTimer.singleShot(0, painted)
            return False

    def painted() -> None:
        if report is not None:
            report.painted()
        _probes.append(start_lag_probe_if_asked(os.environ))
        freeze_startup_heap()
        if report is None:
            prewarm_after_paint(window)
        else:  # the start-up benchmark waits for all of it: no need to wait for idleness first
            prewarm_after_paint(window, report.prewarmed, idle_ms=0)

    watcher = FirstPaint(window)  # type: ignore[arg-type]
    window.installEventFilter(watcher)  # type: ignore[attr-defined]


_probes: list[object] = []
"""The event-loop lag probe, when a benchmark asked for one (``QWEN_DESKTOP_LAG_PROBE``)."""


def start_lag_probe_if_asked(env: Mapping[str, str]) -> object:
    if not env.get("QWEN_DESKTOP_LAG_PROBE"):
        return None
    from .ui.common.lag_probe import start_if_asked

    return start_if_asked(env)


def freeze_startup_heap() -> None:
    """Exempt everything allocated while starting from the cyclic garbage collector.

    Those objects live as long as the app; without this, each full collection walks all of them
    again, a pause of 40–100 ms in the middle of scrolling or streaming.
    """
    import gc

    gc.freeze()


IDLE_MS = 4000
"""Loading that can wait (the tokenizer, lexers) starts once nobody has typed for this long and
no reply is streaming: long enough that it rarely lands while someone types the next question."""


def prewarm_after_paint(window: Any, done: Callable[[], None] | None = None, idle_ms: int = IDLE_MS) -> None:
    """What the first paint did not need, on background threads, each when it is due.

    At once: the certificate settings are checked and the system store put in place (before any
    SDK builds a client). Once the window is idle: expired trash is purged, the usual code
    lexers are looked up and the tokenizer is loaded (token counts are estimates until then).
    Once the user starts typing: the SDKs are imported; they add ~70 MB that a user who only
    reads never needs. ``done`` runs when all but the SDKs are loaded; ``idle_ms`` is how long
    the window must be idle first.
    """
    from .ui.chat.markdown import preload_lexers

    from .core.trash import purge_expired

    services = window.services
    counter = getattr(services.engine.context, "counter", None)
    pending = {"network", "idle"}

    def finished(part: str) -> None:
        pending.discard(part)
        if not pending and done is not None:
            done()

    loop = asyncio.get_event_loop()
    _in_background("network", [lambda: _check_certificates(window, loop)], lambda: finished("network"))
    idle_jobs: list[Callable[[], object]] = [
        lambda: purge_expired(services.store, services.engine.attachments, services.config.trash_days),
        preload_lexers,
    ]
    if counter is not None:
        counter.load_in_background()
        idle_jobs.append(counter.preload)
    when_idle(window, lambda: _in_background("idle-preload", idle_jobs, lambda: finished("idle")), idle_ms)
    edit = window.composer.edit

    def typing_started() -> None:
        edit.textChanged.disconnect(typing_started)
        from .core.client import preload_transports

        _in_background("sdk-prewarm", [preload_transports], None)

    edit.textChanged.connect(typing_started)


def _check_certificates(window: Any, loop: asyncio.AbstractEventLoop) -> None:
    """A broken ``SSL_CERT_FILE``/``SSL_CERT_DIR`` is dropped with a sentence in the window;
    then the operating system's certificate store is used. Loading a certificate file takes
    tens of milliseconds, so it happens after the first paint (on a background thread)."""
    from .startup import check_certificate_settings, use_system_certificates
    from .ui.common.error_text import translate_text

    sentence = check_certificate_settings(os.environ)
    use_system_certificates()
    if sentence:
        log.warning(sentence)
        _to_loop(loop, lambda: window.show_notice(translate_text(sentence)))


def _to_loop(loop: asyncio.AbstractEventLoop, callback: Callable[[], object]) -> None:
    """Hand ``callback`` from a background thread to the loop, unless the app has quit meanwhile
    (the loop closed, or its Qt signal source deleted): then nobody is waiting for it."""
    try:
        loop.call_soon_threadsafe(callback)
    except RuntimeError:
        log.debug("the app quit before a background job finished")


def when_idle(window: Any, job: Callable[[], None], idle_ms: int = IDLE_MS) -> None:
    """Run ``job`` once, after ``idle_ms`` without typing in the composer and with no reply
    streaming. Background threads still take the GIL from the window: building the tokenizer's
    vocabulary holds it for a few hundred ms (one native call), compiling lexers for tens of
    ms at a time; nobody notices while nothing moves."""
    from PySide6.QtCore import QTimer

    timer = QTimer(window)
    timer.setSingleShot(True)
    timer.setInterval(idle_ms)
    edit = window.composer.edit

    def restart() -> None:
        timer.start()

    def fire() -> None:
        if window.replies_streaming():
            timer.start()
            return
        edit.textChanged.disconnect(restart)
        timer.deleteLater()
        job()

    timer.timeout.connect(fire)
    edit.textChanged.connect(restart)
    timer.start()


def _in_background(name: str, jobs: Sequence[Callable[[], object]], done: Callable[[], None] | None) -> None:
    import threading

    loop = asyncio.get_event_loop()

    def work() -> None:
        for job in jobs:
            try:
                job()
            except Exception:  # noqa: BLE001 - whoever needs it loads it again and reports
                log.exception("preloading %s in the background failed", getattr(job, "__qualname__", job))
        if done is not None:
            _to_loop(loop, done)

    threading.Thread(target=work, name=name, daemon=True).start()


class _BenchReport:
    def __init__(self, window: object) -> None:
        self.window = window
        self.figures: dict[str, object] = {}

    def painted(self) -> None:
        import time

        view = getattr(self.window, "view", None)
        self.figures.update(
            first_paint_s=_seconds_since_process_start(),
            cpu_s=time.process_time(),
            painted_at=time.time(),
            rss_mb=_rss_mb(),
            messages_shown=len(view.message_widgets()) if view is not None else 0,
        )

    def prewarmed(self) -> None:
        """Once the after-paint preload is done and at least 1 s has passed since the paint."""
        import time

        from PySide6.QtCore import QTimer

        self.figures["preload_s"] = time.time() - float(self.figures["painted_at"])  # type: ignore[arg-type]
        wait = max(0.0, 1.0 - float(self.figures["preload_s"]))  # type: ignore[arg-type]
        QTimer.singleShot(round(wait * 1000), self._settled)

    def _settled(self) -> None:
        import json

        self.figures["rss_settled_mb"] = _rss_mb()
        print(json.dumps(self.figures), flush=True)
        self.window.close()  # type: ignore[attr-defined]


def _seconds_since_process_start() -> float | None:
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, IndexError, ValueError):
        return None
    return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")


def _rss_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _fatal(sentence: str) -> int:
    from PySide6.QtWidgets import QMessageBox

    log.error("start-up failed: %s", sentence)
    from .ui.common.error_text import translate_text

    QMessageBox.critical(None, APP_NAME, translate_text(sentence))
    return 1


