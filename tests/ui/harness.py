"""Drives the real main window against the simulator, as a user would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from qwen_desktop.core.client import ChatClient
from qwen_desktop.core.secrets import KeyStore
from qwen_desktop.core.services import Services, build_services
from qwen_desktop.ui.main_window import MainWindow

from tests.simulator import Simulator


class Harness:
    def __init__(self, qtbot: Any, run_async: Callable[..., Any], sim: Simulator, data_dir: Path):
        self.qtbot = qtbot
        self.run_async = run_async
        self.sim = sim
        self.data_dir = data_dir
        self.opened: list[tuple[MainWindow, Services]] = []

    def services(self, **client: Any) -> Services:
        return build_services(
            self.data_dir,
            region_overrides={r: self.sim.base_url(r) for r in self.sim.regions},
            env={}, keys=KeyStore(env={}), client=ChatClient(max_attempts=1, **client),
        )

    def open(self, *, with_keys: bool = True, services: Services | None = None,
             **client: Any) -> MainWindow:
        services = services or self.services(**client)
        if with_keys:
            for region, key in self.sim.regions.items():
                services.keys.set(region, key)
        window = MainWindow(services)
        window.show()
        self.opened.append((window, services))
        return window

    def close(self, window: MainWindow) -> None:
        services = next(s for w, s in self.opened if w is window)
        self.opened = [(w, s) for w, s in self.opened if w is not window]
        self.run_async(window.shutdown())
        window.close()
        window.deleteLater()
        self.run_async(services.aclose())

    def close_all(self) -> None:
        for window, _services in list(self.opened):
            self.close(window)

    def send(self, window: MainWindow, text: str) -> None:
        window.composer.set_text(text)
        self.qtbot.mouseClick(window.composer.send_button, Qt.MouseButton.LeftButton)

    def wait_idle(self, window: MainWindow, timeout: int = 10000) -> None:
        self.qtbot.waitUntil(lambda: not window.is_streaming(), timeout=timeout)
        window.view.flush()


def replies(window: MainWindow) -> list[Any]:
    return [w for w in window.view.message_widgets() if hasattr(w, "thinking")]


def answer_text(widget: Any) -> str:
    return widget.text_view.toPlainText()
