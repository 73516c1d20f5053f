"""The main window's context features: meter, summary divider, inspector and retrieval indexing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtWidgets import QWidget

from ...core import errors as e
from ...core.context import DEFAULT_LAST_N, ContextManager
from ...core.context.tables import SummaryStatus
from ...core.storage import Store
from ...core.types import ContextPolicy, ConversationSettings, Role
from ..common.error_text import describe
from .inspector import ContextInspector, inspect_next, inspect_reply
from .meter import ContextMeterWidget, MeterController, RetrievalProgress
from .summary_divider import SummaryDivider

log = logging.getLogger(__name__)


class ExtrasView(Protocol):
    """The chat view's side of the summary divider: a widget placed after a given message."""

    def insert_extra(self, widget: QWidget, after_message_id: int) -> None: ...

    def remove_extra(self, widget: QWidget) -> None: ...


@dataclass(frozen=True)
class ContextHost:
    """What the context features need from the window that holds them, passed in by the window."""

    parent: QWidget
    store: Store
    view: ExtrasView
    draft_changed: SignalInstance
    draft: Callable[[], str]
    current_id: Callable[[], int | None]
    current_settings: Callable[[], ConversationSettings]
    show_settings: Callable[[ConversationSettings], None]
    """Shows settings in the conversation bar without treating them as the user's change."""
    change_settings: Callable[[ConversationSettings], None]
    """Applies settings as if the user had chosen them in the bar."""
    show_notice: Callable[[str], None]
    draft_attachments: Callable[[], list[dict[str, Any]]] = list
    """What waits to go with the draft (``ContextManager.attachment_counter`` says in what shape)."""
    attachments_changed: SignalInstance | None = None


class ContextActions(QObject):
    def __init__(self, host: ContextHost, manager: ContextManager) -> None:
        super().__init__(host.parent)
        self.host = host
        self.manager = manager
        self.meter = ContextMeterWidget(host.parent)
        self.progress = RetrievalProgress(host.parent)
        self.controller = MeterController(manager, self.meter, self._source)
        self.divider: SummaryDivider | None = None
        self.inspector: ContextInspector | None = None
        self.indexing: asyncio.Task[None] | None = None
        self._indexing_id: int | None = None
        self._jobs: set[asyncio.Future[object]] = set()
        self.meter.inspectRequested.connect(self.inspect_next)
        self.meter.switchRequested.connect(self.switch_policy)
        self.progress.cancelled.connect(self.cancel_indexing)
        host.draft_changed.connect(self.controller.schedule)
        if host.attachments_changed is not None:
            host.attachments_changed.connect(self.controller.schedule)

    def _source(self) -> tuple[int | None, ConversationSettings, str, list[dict[str, Any]]]:
        return self.host.current_id(), self.host.current_settings(), self.host.draft(), self.host.draft_attachments()

    # ---- hooks the window calls

    def conversation_shown(self) -> None:
        self.meter.warning.hide()
        self.controller.schedule()
        self.show_summary()
        if self.indexing is not None and not self.indexing.done():
            self.progress.setVisible(self._indexing_id == self.host.current_id())

    def reply_done(self, cid: int) -> None:
        self.controller.schedule()
        self._spawn(self._after_background(cid))

    def settings_changed(self, before: ConversationSettings, after: ConversationSettings) -> None:
        self.controller.schedule()
        cid = self.host.current_id()
        if (cid is not None and after.context_policy is ContextPolicy.RETRIEVAL
                and before.context_policy is not ContextPolicy.RETRIEVAL
                and any(m.role is Role.USER for m in self.host.store.messages(cid))):
            self.start_indexing(cid)
        self.show_summary()

    def refused(self, error: e.QwenError) -> None:
        self.meter.show_refused(describe(error))

    # ---- the meter's offer

    def switch_policy(self, value: str) -> None:
        policy = ContextPolicy(value)
        settings = self.host.current_settings()
        params = dict(settings.context_params)
        if policy is ContextPolicy.LAST_N:
            params.setdefault("n", DEFAULT_LAST_N)
        updated = settings.with_(context_policy=policy, context_params=params)
        self.host.change_settings(updated)
        self.meter.warning.hide()

    # ---- rolling summary

    def show_summary(self) -> None:
        cid = self.host.current_id()
        view = self.host.view
        if self.divider is not None:
            view.remove_extra(self.divider)
            self.divider = None
        if cid is None or self.host.current_settings().context_policy is not ContextPolicy.SUMMARY:
            return
        try:
            records = self.manager.summaries(cid)
        except e.QwenError:
            return
        ready = [r for r in records if r.status is SummaryStatus.READY]
        if not ready:
            return
        record = ready[-1]
        self.divider = SummaryDivider(record)
        self.divider.editSaved.connect(self.save_summary)
        self.divider.regenerateRequested.connect(self.regenerate_summary)
        view.insert_extra(self.divider, record.last_message_id)

    def save_summary(self, summary_id: int, text: str) -> None:
        self._spawn(self._save(summary_id, text))

    async def _save(self, summary_id: int, text: str) -> None:
        await self.manager.edit_summary(summary_id, text)
        self.show_summary()
        self.controller.schedule()

    def regenerate_summary(self) -> None:
        cid = self.host.current_id()
        if cid is None:
            return
        task = self.manager.regenerate_summary(cid)
        if task is not None:
            self._spawn(self._after_background(cid))

    async def _after_background(self, cid: int) -> None:
        await self.manager.idle()
        if cid == self.host.current_id():
            self.show_summary()
            self.controller.schedule()

    # ---- retrieval

    def start_indexing(self, cid: int) -> None:
        self.cancel_indexing()
        self._indexing_id = cid
        self.progress.start()
        self.indexing = asyncio.ensure_future(self._index(cid))
        self.indexing.add_done_callback(lambda _t: self.progress.hide())

    def cancel_indexing(self) -> None:
        if self.indexing is not None and not self.indexing.done():
            self.indexing.cancel()

    async def _index(self, cid: int) -> None:
        host = self.host
        await asyncio.wrap_future(host.store.flush())
        try:
            count = await self.manager.embed_history(cid, self._progress)
        except asyncio.CancelledError:
            if cid == host.current_id():
                host.show_notice(self.tr("Indexing stopped: rounds not yet indexed cannot be "
                                           "retrieved until it runs again."))
            raise
        except e.QwenError as error:
            self._fall_back(cid, error)
            return
        if cid == host.current_id():
            host.show_notice(self.tr("Retrieval is ready: %1 earlier rounds indexed.")
                               .replace("%1", str(count)))
        self.controller.schedule()

    def _progress(self, done: int, total: int) -> None:
        if self._indexing_id == self.host.current_id():
            self.progress.progress(done, total)

    def _fall_back(self, cid: int, error: e.QwenError) -> None:
        conversation = self.host.store.conversation(cid)
        if conversation is None:
            return
        params = {**conversation.settings.context_params}
        params.setdefault("n", DEFAULT_LAST_N)
        settings = conversation.settings.with_(context_policy=ContextPolicy.LAST_N, context_params=params)
        self.host.store.update_settings(cid, settings)
        if cid == self.host.current_id():
            self.host.show_settings(settings)
            self.host.show_notice(
                self.tr("Indexing for retrieval failed: %1 This conversation now sends the last %2 rounds.")
                .replace("%1", describe(error)).replace("%2", str(params["n"])))
        self.controller.schedule()

    # ---- inspector

    def inspect_next(self) -> None:
        cid, settings, draft, attachments = self._source()
        try:
            inspection = inspect_next(self.manager, cid, settings, draft, attachments)
        except e.QwenError as error:
            self.host.show_notice(describe(error))
            return
        self._open(self.tr("What will be sent"), inspection)

    def inspect_reply(self, message_id: int) -> None:
        cid = self.host.current_id()
        if cid is None:
            return
        messages = self.host.store.messages(cid)
        reply = next((m for m in messages if m.id == message_id), None)
        inspection = None if reply is None else inspect_reply(
            self.manager, reply, messages, self.host.current_settings())
        if inspection is None:
            self.host.show_notice(self.tr("This reply has no record of what was sent."))
            return
        self._open(self.tr("Context of this reply"), inspection)

    def _open(self, title: str, inspection: object) -> None:
        if self.inspector is not None:
            self.inspector.close()
            self.inspector.deleteLater()
        self.inspector = ContextInspector(title, inspection, self.host.parent)  # type: ignore[arg-type]
        self.inspector.open()

    def _spawn(self, job: object) -> None:
        future = asyncio.ensure_future(job)  # type: ignore[arg-type]
        self._jobs.add(future)
        future.add_done_callback(self._finished)

    def _finished(self, future: asyncio.Future[object]) -> None:
        self._jobs.discard(future)
        if not future.cancelled() and future.exception() is not None:
            log.error("context job failed", exc_info=future.exception())
