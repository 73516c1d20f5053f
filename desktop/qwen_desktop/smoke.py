"""``qwen-desktop --smoke-test URL``: prove a build works end to end, one line per check.

The window is shown (offscreen unless a platform is chosen), one message is typed into the
composer and sent with the Send button to region ``intl`` pointed at URL, and the reply is
awaited in the message view. A throwaway key is written to, read from and deleted from the
active keyring backend. Exit status 0 means every check passed.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .core.errors import KeyringUnavailableError
from .core.secrets import KeySource, KeyStore

SMOKE_KEY_ENV = "QWEN_DESKTOP_SMOKE_KEY"
SMOKE_REGION = "intl"
KEYRING_PROBE_ID = "qwen-desktop-smoke-test"
DEFAULT_TIMEOUT_S = 30.0


class SmokeFailure(Exception):
    """A check failed; the message is the reason printed for it."""


@dataclass
class Report:
    out: TextIO = sys.stdout
    failures: list[str] = field(default_factory=list)

    def passed(self, check: str, detail: str) -> None:
        print(f"ok    {check}: {detail}", file=self.out, flush=True)

    def failed(self, check: str, reason: str) -> None:
        self.failures.append(check)
        print(f"FAIL  {check}: {reason}", file=self.out, flush=True)


class SmokeKeys(KeyStore):
    """The key from ``QWEN_DESKTOP_SMOKE_KEY`` wins for the smoke region; otherwise the keyring's."""

    def __init__(self, smoke_key: str | None, env: Mapping[str, str]) -> None:
        super().__init__(env=env)
        self.smoke_key = smoke_key

    def get(self, region_id: str) -> tuple[str, KeySource] | None:
        if not self.smoke_key:
            return super().get(region_id)
        if region_id == SMOKE_REGION:
            return self.smoke_key, "environment"
        try:
            return super().get(region_id)
        except KeyringUnavailableError:
            return None


def run_smoke_test(app: Any, url: str, data_dir: str | None = None,
                   timeout: float = DEFAULT_TIMEOUT_S, out: TextIO = sys.stdout) -> int:
    import qasync

    report = Report(out)
    app.setQuitOnLastWindowClosed(False)
    with tempfile.TemporaryDirectory(prefix="qwen-desktop-smoke-") as scratch:
        root = Path(data_dir) if data_dir else Path(scratch)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        try:
            with loop:
                loop.run_until_complete(_bounded(_all_checks(url, root, report), timeout, report))
        finally:
            asyncio.set_event_loop(None)
    if report.failures:
        print(f"smoke test failed: {', '.join(report.failures)}", file=out, flush=True)
        return 1
    print("smoke test passed", file=out, flush=True)
    return 0


async def _bounded(checks: Awaitable[None], timeout: float, report: Report) -> None:
    try:
        await asyncio.wait_for(checks, timeout)
    except TimeoutError:
        report.failed("time", f"the checks took longer than {timeout:g} s")


async def _all_checks(url: str, data_dir: Path, report: Report) -> None:
    _check(report, "version", _version)
    _check(report, "resources", _resources)
    _check(report, "modules", _modules)
    _check(report, "certificates", _certificates)
    _check(report, "tokenizer", _tokenizer)
    _check(report, "keyring", _keyring_round_trip)
    await _window_checks(url, data_dir, report)


def _check(report: Report, name: str, probe: Callable[[], str]) -> None:
    try:
        report.passed(name, probe())
    except Exception as error:  # noqa: BLE001 - every failure becomes one reported line
        report.failed(name, _reason(error))


def _reason(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _version() -> str:
    from .ui.common.about import app_version

    version = app_version()
    if version == "unknown":
        raise SmokeFailure("no package metadata for qwen-desktop in this build")
    frozen = "packaged" if getattr(sys, "frozen", False) else "from source"
    return f"{version} ({frozen}, Python {sys.version.split()[0]})"


def _resources() -> str:
    from .core.catalog import Catalog
    from .ui.common.about import app_icon, resources_dir, third_party_licenses

    icon = app_icon()
    if icon.isNull():
        raise SmokeFailure(f"no icon under {resources_dir() / 'icons'}")
    licences = third_party_licenses()
    if "PySide6" not in licences:
        raise SmokeFailure("third_party_licenses.txt is missing")
    models = len(Catalog.load().models())
    translations = _translations(resources_dir() / "i18n")
    return (f"icon in {len(icon.availableSizes())} sizes, licences {len(licences)} chars, "
            f"{models} models, translations: {', '.join(translations) or 'none'}")


def _translations(folder: Path) -> list[str]:
    from PySide6.QtCore import QTranslator

    loaded = []
    for path in sorted(folder.glob("*.qm")):
        if not QTranslator().load(str(path)):
            raise SmokeFailure(f"cannot load the translation {path.name}")
        loaded.append(path.stem.removeprefix("qwen_desktop_"))
    return loaded


def _modules() -> str:
    """Every module of the app imports: a packaged build missing a dependency fails here."""
    import importlib
    import pkgutil

    import qwen_desktop

    names = [info.name for info in pkgutil.walk_packages(qwen_desktop.__path__, "qwen_desktop.")]
    if len(names) < 10:
        raise SmokeFailure(f"only {len(names)} modules of the app were found")
    for name in names:
        if name.endswith("__main__"):
            continue
        importlib.import_module(name)
    return f"{len(names)} modules of the app import"


def _certificates() -> str:
    import ssl

    import certifi

    bundle = Path(certifi.where())
    context = ssl.create_default_context(cafile=str(bundle))
    count = len(context.get_ca_certs())
    if count == 0:
        raise SmokeFailure(f"no CA certificates in {bundle}")
    return f"{count} CA certificates from certifi"


def _tokenizer() -> str:
    from dashscope.tokenizers import get_tokenizer

    tokens = get_tokenizer("qwen-turbo").encode("Hello, 通义千问!")
    if not tokens:
        raise SmokeFailure("the Qwen tokenizer returned no tokens")
    return f"Qwen tokenizer loaded ({len(tokens)} tokens for a sample)"


def _keyring_round_trip() -> str:
    store = KeyStore(env={})
    throwaway = "sk-smoke" + secrets.token_hex(16)
    store.delete(KEYRING_PROBE_ID)
    store.set(KEYRING_PROBE_ID, throwaway)
    try:
        found = store.get(KEYRING_PROBE_ID)
        if found != (throwaway, "keyring"):
            raise SmokeFailure("the key read back differs from the key written")
    finally:
        deleted = store.delete(KEYRING_PROBE_ID)
    if not deleted or store.get(KEYRING_PROBE_ID) is not None:
        raise SmokeFailure("the throwaway key could not be deleted")
    return f"wrote, read and deleted a key with {store.backend_name()}"


async def _window_checks(url: str, data_dir: Path, report: Report) -> None:
    from PySide6.QtGui import QGuiApplication

    from .core.services import build_services
    from .ui.main_window import MainWindow

    smoke_key = (os.environ.get(SMOKE_KEY_ENV) or "").strip() or None
    services = build_services(data_dir, region_overrides={SMOKE_REGION: url},
                              keys=SmokeKeys(smoke_key, os.environ))
    services.config.default_region = SMOKE_REGION
    try:
        window = MainWindow(services)
    except Exception as error:  # noqa: BLE001
        report.failed("window", _reason(error))
        await services.aclose()
        return
    try:
        window.show()
        await asyncio.sleep(0)
        if not window.isVisible():
            report.failed("window", "the main window did not show")
            return
        report.passed("window", f"shown on the '{QGuiApplication.platformName()}' platform")
        try:
            report.passed("reply", await _send_and_wait(window))
        except Exception as error:  # noqa: BLE001
            report.failed("reply", _reason(error))
    finally:
        await window.shutdown()
        window.close()
        await services.aclose()


async def _send_and_wait(window: Any) -> str:
    from .core.types import MessageStatus, Role

    window.new_conversation()
    composer = window.composer
    if not composer.send_button.isEnabled():
        reason = composer.reason.text() or "the Send button is disabled"
        raise SmokeFailure(f"{reason} (set {SMOKE_KEY_ENV} or store a key for '{SMOKE_REGION}')")
    prompt = f"Smoke test {secrets.token_hex(4)}"
    composer.edit.setFocus()
    composer.edit.insertPlainText(prompt)
    started = time.monotonic()
    composer.send_button.click()
    await asyncio.sleep(0)
    if window.current_id is None:
        raise SmokeFailure(window.notice.text() or "clicking Send started no conversation")
    while window.is_streaming():
        await asyncio.sleep(0.05)
    window.view.flush()
    messages = window.store.messages(window.current_id)
    replies = [m for m in messages if m.role is Role.ASSISTANT]
    if not replies:
        raise SmokeFailure(window.notice.text() or "no reply was stored")
    reply = replies[-1]
    if reply.status is not MessageStatus.COMPLETE or not reply.content:
        detail = (reply.error or {}).get("message") or reply.status.value
        raise SmokeFailure(f"the reply did not complete: {detail}")
    shown = [w.text_view.toPlainText() for w in window.view.message_widgets()
             if hasattr(w, "text_view") and hasattr(w, "thinking")]
    if not any(reply.content.strip()[:40] in text for text in shown):
        raise SmokeFailure("the reply was stored but is not shown in the message view")
    elapsed = time.monotonic() - started
    return f"{len(reply.content)} characters from {reply.model} in {elapsed:.2f} s"
