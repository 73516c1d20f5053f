"""Sync in the window: rounds run on worker threads from the asyncio loop, never on the Qt thread.

A round runs when the window has painted (``start``), every few minutes, and a few seconds after
local changes settle (the count of changes waiting stays the same for one check, and no reply is
streaming). Offline, a round fails with its sentence and the changes stay waiting for the next one.
The sync modules (the engine, its cryptography, httpx for WebDAV) are imported on the worker thread
by the first round, never on the way to the first paint.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QTimer, Signal

from qwen_desktop.core.errors import ConfigError, QwenError
from qwen_desktop.core.services import Services

if TYPE_CHECKING:
    from qwen_desktop.core.sync.engine import Syncer
    from qwen_desktop.core.sync.settings import SyncSettings

log = logging.getLogger(__name__)

ROUND_EVERY_S = 300.0
CHECK_EVERY_S = 5.0
SHUTDOWN_WAIT_S = 3.0
"""How long closing the window waits for a round in flight (a server that stopped answering must
not keep the app from quitting); the round's thread is a daemon and its merge is one transaction."""
RETRY_AFTER_FAILURE_S = 60.0
"""After a failed round (offline, server down) local changes wait this long before the next try."""
MIN_PASSPHRASE = 8
NO_PASSPHRASE = QT_TRANSLATE_NOOP(
    "SyncErrors", "The sync passphrase is not in the system keyring: set sync up again in Settings.")
UNEXPECTED = QT_TRANSLATE_NOOP(
    "SyncErrors", "Sync stopped because of an unexpected problem; the details are in the log file.")
SHORT_PASSPHRASE = QT_TRANSLATE_NOOP("SyncErrors", "The sync passphrase needs at least 8 characters.")
NO_FOLDER = QT_TRANSLATE_NOOP(
    "SyncErrors", "The sync folder does not exist: create it (or let your sync engine create it) first.")


@dataclass(frozen=True)
class SyncState:
    configured: bool = False
    paused: bool = False
    running: bool = False
    last_synced_at: float | None = None
    pending: int = 0
    error: str | None = None
    where: str = ""
    problems: tuple[str, ...] = ()
    """Files the last round skipped (damaged, cut short, foreign), one sentence each; tried again next time."""


def sync_settings(services: Services) -> SyncSettings:
    from qwen_desktop.core.sync.settings import CONFIG_KEY, SyncSettings

    return SyncSettings.from_json(services.config.extra.get(CONFIG_KEY))


def open_location(settings: SyncSettings, password: str) -> Any:
    """The folder or WebDAV location the settings name (blocking imports: call off the Qt thread)."""
    if settings.kind == "webdav":
        from qwen_desktop.core.sync.webdav import WebDavLocation
        from qwen_desktop.startup import use_system_certificates

        use_system_certificates()  # the server is checked against the system's store, company CAs included
        return WebDavLocation(settings.url, settings.username, password)
    from qwen_desktop.core.sync.folder import FolderLocation

    folder = Path(settings.folder)
    if not folder.is_dir():
        raise ConfigError(NO_FOLDER)
    return FolderLocation(folder)


class SyncService(QObject):
    stateChanged = Signal(object)
    pulled = Signal()
    """A round merged changes from other devices: the lists on screen are out of date."""
    settingsPulled = Signal()
    """Settings that follow the user changed on another device and are now in ``services.config``."""

    def __init__(self, services: Services, *, busy: Callable[[], bool] = lambda: False,
                 round_every_s: float = ROUND_EVERY_S, check_every_s: float = CHECK_EVERY_S,
                 retry_after_failure_s: float = RETRY_AFTER_FAILURE_S, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._busy = busy
        self._round_every_s = round_every_s
        self.retry_after_failure_s = retry_after_failure_s
        self._syncer: Syncer | None = None
        self._round: asyncio.Task[None] | None = None
        self._check: asyncio.Task[None] | None = None
        self._last_round = 0.0
        self._last_pending: int | None = None
        self._started = False
        self._timer = QTimer(self)
        self._timer.setInterval(round(check_every_s * 1000))
        self._timer.timeout.connect(self._tick)
        self.state = SyncState()

    # ---- what the window and the Settings page call

    def settings(self) -> SyncSettings:
        return sync_settings(self._services)

    def start(self) -> None:
        """Show the state and, when sync is set up and not paused, sync now and keep syncing."""
        if self._started:
            return
        self._started = True
        settings = self.settings()
        self._show(configured=settings.configured, paused=settings.paused, where=_where(settings))
        if not settings.configured:
            return
        self._timer.start()
        asyncio.ensure_future(self._load_status())
        if not settings.paused:
            self.sync_now()

    def sync_now(self) -> asyncio.Task[None] | None:
        if self._round is not None and not self._round.done():
            return self._round
        if not self.state.configured:
            return None
        self._round = asyncio.ensure_future(self._run_round())
        return self._round

    def pause(self, paused: bool) -> None:
        self._save(self.settings().with_(paused=paused))
        self._show(paused=paused)
        if not paused:
            self.sync_now()

    async def set_up(self, settings: SyncSettings, passphrase: str, password: str = "") -> None:
        """Check the location and the passphrase, keep the secrets, then sync; raises QwenError."""
        if len(passphrase) < MIN_PASSPHRASE:
            raise ConfigError(SHORT_PASSPHRASE)
        await self._wait_round()
        services = self._services

        def work() -> tuple[Syncer, SyncSettings]:
            from qwen_desktop.core.sync.engine import Syncer
            from qwen_desktop.core.sync.settings import SyncSecrets

            chosen = settings
            if settings.kind == "webdav":
                from qwen_desktop.core.sync.webdav import normalize_webdav_url

                chosen = settings.with_(url=normalize_webdav_url(settings.url))
            location = open_location(chosen, password)
            syncer = Syncer(services.data_dir, location, passphrase, chosen.device_id, store=services.store)
            try:
                syncer.check()
                secrets = SyncSecrets()
                secrets.set_passphrase(passphrase)
                if chosen.kind == "webdav":
                    secrets.set_webdav_password(password)
            except BaseException:
                _close(syncer)
                raise
            return syncer, chosen

        syncer, settings = await _on_daemon_thread(work)
        self._started = True
        self._replace_syncer(syncer)
        self._save(settings.with_(paused=False))
        self._show(configured=True, paused=False, error=None, where=_where(settings))
        self._timer.start()
        self.sync_now()

    async def leave(self) -> None:
        """Stop syncing and forget the location and its secrets; every conversation stays here."""
        self._timer.stop()
        await self._wait_round()
        self._replace_syncer(None)
        settings = self.settings()
        self._save(settings.with_(kind=None, folder="", url="", username="", paused=False))

        def forget() -> None:
            from qwen_desktop.core.sync.settings import SyncSecrets

            SyncSecrets().forget()

        try:
            await asyncio.to_thread(forget)
        except QwenError as error:
            log.warning("The sync secrets could not be removed from the keyring: %s", error)
        self._show(configured=False, paused=False, error=None, where="", last_synced_at=None, pending=0)

    async def shutdown(self, wait_s: float = SHUTDOWN_WAIT_S) -> None:
        self._timer.stop()
        if self._round is not None and not self._round.done():
            done, _pending = await asyncio.wait({self._round}, timeout=wait_s)
            if not done:
                log.warning("A sync round was still running when the window closed; it was left to end alone")
                self._round.cancel()
                await asyncio.gather(self._round, return_exceptions=True)
                self._syncer = None
                return
        if self._check is not None:
            await asyncio.gather(self._check, return_exceptions=True)
        syncer, self._syncer = self._syncer, None
        if syncer is not None:
            await asyncio.to_thread(_close, syncer)

    # ---- rounds

    async def _run_round(self) -> None:
        self._show(running=True)
        self._last_round = time.monotonic()
        error: str | None = None
        pulled = 0
        status = None
        settings_changed = False
        problems: tuple[str, ...] = ()
        try:
            report, status = await _on_daemon_thread(self._round_on_worker)
            pulled, error, problems = report.pulled, report.error, tuple(report.problems)
            if getattr(report, "settings_changed", False):
                await self._adopt_settings()
                settings_changed = True
        except QwenError as failure:
            error = failure.sentence
        except Exception:
            log.exception("A sync round failed")
            error = UNEXPECTED
        finally:
            self._last_pending = None
            changes: dict[str, Any] = {"running": False, "error": error, "problems": problems}
            if status is not None:
                changes.update(last_synced_at=status.last_synced_at, pending=status.pending)
            self._show(**changes)
        if settings_changed:
            self.settingsPulled.emit()
        if pulled:
            self.pulled.emit()

    async def _adopt_settings(self) -> None:
        """Take the roaming settings the round wrote to config.json into the running config, so the
        window's next save keeps them instead of sending its old values back as news."""
        from qwen_desktop.core.config import load_config
        from qwen_desktop.core.paths import config_path
        from qwen_desktop.core.sync.changes import ROAMING_SETTINGS

        fresh = await asyncio.to_thread(load_config, config_path(self._services.data_dir))
        config = self._services.config
        for name in ROAMING_SETTINGS:
            if hasattr(fresh, name):
                setattr(config, name, getattr(fresh, name))
        regions = self._services.regions
        wanted = {str(r.get("id")): r for r in config.custom_regions}
        for region in regions.custom():
            if region.id not in wanted:
                regions.remove_custom(region.id)
        for region_id, region in wanted.items():
            try:
                regions.add_custom(region_id, str(region.get("name") or region_id), str(region.get("base_url", "")))
            except QwenError as problem:
                log.warning("A synced custom region was not added: %s", problem)

    def _round_on_worker(self) -> tuple[Any, Any]:
        syncer = self._syncer
        if syncer is None:
            syncer = self._syncer = self._build()
        report = syncer.sync_once()
        return report, syncer.status()

    def _build(self) -> Syncer:
        from qwen_desktop.core.sync.engine import Syncer
        from qwen_desktop.core.sync.settings import SyncSecrets

        settings = self.settings()
        secrets = SyncSecrets()
        passphrase = secrets.passphrase()
        if not passphrase:
            raise ConfigError(NO_PASSPHRASE)
        password = (secrets.webdav_password() or "") if settings.kind == "webdav" else ""
        location = open_location(settings, password)
        return Syncer(self._services.data_dir, location, passphrase, settings.device_id,
                      store=self._services.store)

    def _tick(self) -> None:
        if not self.state.configured or self.state.running:
            return
        if not self.state.paused and time.monotonic() - self._last_round >= self._round_every_s:
            self.sync_now()
        elif self._check is None or self._check.done():
            self._check = asyncio.ensure_future(self._check_pending())

    async def _check_pending(self) -> None:
        from qwen_desktop.core.sync.engine import pending_count

        try:
            pending = await asyncio.to_thread(self._services.store.run_read, pending_count)
        except QwenError:
            return
        settled = pending > 0 and pending == self._last_pending
        self._last_pending = pending
        if pending != self.state.pending:
            self._show(pending=pending)
        waiting = self.state.error is not None and (
            time.monotonic() - self._last_round < self.retry_after_failure_s)
        if settled and not waiting and not self._busy() and not self.state.paused:
            self.sync_now()

    async def _load_status(self) -> None:
        from qwen_desktop.core.sync.engine import read_status

        try:
            status = await asyncio.to_thread(read_status, self._services.store)
        except QwenError:
            return
        if not self.state.running:
            self._show(last_synced_at=status.last_synced_at, pending=status.pending,
                       error=self.state.error or status.last_error)

    async def _wait_round(self) -> None:
        if self._round is not None and not self._round.done():
            await asyncio.gather(self._round, return_exceptions=True)

    def _replace_syncer(self, syncer: Syncer | None) -> None:
        old, self._syncer = self._syncer, syncer
        if old is not None:
            _close(old)

    def _save(self, settings: SyncSettings) -> None:
        from qwen_desktop.core.sync.settings import CONFIG_KEY

        self._services.config.extra[CONFIG_KEY] = settings.to_json()
        self._services.save_config()

    def _show(self, **changes: Any) -> None:
        self.state = replace(self.state, **changes)
        self.stateChanged.emit(self.state)


def _on_daemon_thread(job: Callable[[], Any]) -> asyncio.Future[Any]:
    """``job`` on a thread of its own that never holds up the process's exit (asyncio's default
    executor joins its threads at exit, so a round stuck on an unanswering server would)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not future.done():
            outcome()

    def run() -> None:
        try:
            result = job()
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
            error = exc
            deliver: Callable[[], None] = lambda: future.set_exception(error)
        else:
            deliver = lambda: future.set_result(result)
        try:
            loop.call_soon_threadsafe(settle, deliver)
        except RuntimeError:  # the loop is gone: the window has closed
            pass

    threading.Thread(target=run, name="sync-round", daemon=True).start()
    return future


def _where(settings: SyncSettings) -> str:
    return settings.url if settings.kind == "webdav" else settings.folder


def _close(syncer: Syncer) -> None:
    syncer.close()
    close = getattr(syncer.location, "close", None)
    if close is not None:
        close()
