"""Keys stay secret: logs at DEBUG on both SDKs, crash reports, exports and backups; TLS stays on."""

from __future__ import annotations

import asyncio
import logging
import ssl
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox

from qwen_desktop.app import install_excepthook
from qwen_desktop.core import export as x
from qwen_desktop.core.client import ChatClient
from qwen_desktop.core.logs import setup_logging
from qwen_desktop.core.types import Endpoint
from tests.simulator import Reply, Simulator

from .harness import Harness

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
SDK_LOGGERS = ("openai", "httpx", "httpcore", "dashscope", "aiohttp")


@pytest.fixture
def debug_logs(data_dir: Path) -> Iterator[Path]:
    """The app's log file, with both SDKs turned up to DEBUG as a user chasing a problem would."""
    path = setup_logging(data_dir, logging.DEBUG)
    levels = {name: logging.getLogger(name).level for name in SDK_LOGGERS}
    for name in SDK_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield path
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", None) == str(path):
            root.removeHandler(handler)
            handler.close()


def use(window: Any, region: str, protocol: str) -> None:
    for name, value in (("regionSelector", region), ("protocolSelector", protocol)):
        combo = window.bar.findChild(QComboBox, name)
        index = combo.findData(value)
        combo.setCurrentIndex(index)
        combo.activated.emit(index)


def scan(roots: list[Path], keys: list[str]) -> tuple[int, list[str]]:
    """Files looked at, and those holding a key (inside zips too)."""
    blobs = [key.encode() for key in keys]
    seen, leaks = 0, []
    for root in roots:
        for path in [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]:
            seen += 1
            data = path.read_bytes()
            if any(blob in data for blob in blobs):
                leaks.append(str(path))
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    for name in archive.namelist():
                        if any(blob in archive.read(name) for blob in blobs):
                            leaks.append(f"{path}!{name}")
    return seen, leaks


def test_no_key_anywhere_after_a_full_run(harness: Harness, sim: Simulator, data_dir: Path,
                                          tmp_path: Path, debug_logs: Path,
                                          caplog: pytest.LogCaptureFixture,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    window = harness.open()
    sim.enqueue(Reply(content="compatible answer"))
    harness.send(window, "over the compatible protocol")
    harness.wait_idle(window)
    use(window, "cn", "dashscope")
    sim.enqueue(Reply(reasoning="hmm", content="native answer"), Reply(status=401))
    harness.send(window, "over the native protocol")
    harness.wait_idle(window)
    harness.send(window, "this one fails")
    harness.wait_idle(window)
    assert window.store.messages(window.current_id)[-1].error["kind"] == "invalid_key"
    exports = tmp_path / "exports"
    x.export_json(window.store, window.services.engine.attachments, exports / "all.json")
    x.export_markdown(window.store, window.services.engine.attachments, exports / "all.md", reasoning=True)
    backup = x.backup_data(data_dir, window.store, tmp_path / "backups")
    harness.close(window)

    log_text = debug_logs.read_text(encoding="utf-8")
    assert "Authorization" not in log_text or "Bearer sk-***" in log_text
    keys = list(sim.regions.values())
    seen, leaks = scan([data_dir, exports, backup], keys)
    assert leaks == [], leaks
    captured = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(key in captured for key in keys)
    with capsys.disabled():
        print(f"\nsecrets scan: {seen} files (data dir, logs, exports, backup zip), "
              f"{len(caplog.records)} log records, keys found: {len(leaks)}")


def test_a_crash_report_is_redacted_and_shown_without_blocking(qtbot: Any, data_dir: Path,
                                                                debug_logs: Path) -> None:
    key = "sk-crash0123456789abcdefABCDEF"
    previous = sys.excepthook
    install_excepthook()
    try:
        try:
            raise RuntimeError(f"request failed with headers {{'Authorization': 'Bearer {key}'}}")
        except RuntimeError as error:
            sys.excepthook(type(error), error, error.__traceback__)
    finally:
        sys.excepthook = previous
    box = next(w for w in qtbot_top_levels() if w.objectName() == "crashMessage")
    assert box.isVisible() and box.windowModality() is Qt.WindowModality.NonModal
    assert key not in box.detailedText() and "sk-***" in box.detailedText()
    box.close()
    text = debug_logs.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "Traceback" in text and key not in text


def qtbot_top_levels() -> list[Any]:
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def test_tls_verification_stays_on_for_both_transports(data_dir: Path) -> None:
    client = ChatClient()
    endpoint = Endpoint("intl", "https://dashscope-intl.aliyuncs.com", "sk-0123456789abcdef0123")
    openai_client = client._openai_client(endpoint)
    context = openai_client._client._transport._pool._ssl_context
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname

    from dashscope.api_entities.aio_session import close_shared_aio_session, get_shared_aio_session

    async def native_context() -> Any:
        session = await get_shared_aio_session()
        try:
            return session.connector._ssl
        finally:
            await close_shared_aio_session()
            await openai_client.close()

    native = asyncio.run(native_context())
    # The standard context or truststore's (which replaces ssl.SSLContext once the app injects it):
    # either way a verifying one.
    assert native is not None and native is not False
    assert native.verify_mode == ssl.CERT_REQUIRED and native.check_hostname
