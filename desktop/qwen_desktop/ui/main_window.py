"""The main window: sidebar | chat, one streaming task per conversation."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core import errors as e
from ..core.context import ContextManager, ContextTooLongError, MessageTooLongError
from ..core.engine import (
    EngineEvent,
    ModelNotice,
    ReplyFailed,
    ReplyFinished,
    ReplyStarted,
    TitleChanged,
    UserMessageAdded,
)
from ..core.images import VisionRequiredError
from ..core.prompts import PromptLibrary
from ..core.knowledge.thinking import plan_thinking
from ..core.services import Services
from ..core.tools import Decision, ToolCallFinished, ToolCallStarted, ToolConsentRequested
from ..core.storage import Conversation, Outline
from ..core.types import (
    ContentDelta, ConversationSettings, MessageStatus, Protocol, ReasoningDelta, Role, SourcesFound,
)
from ..startup import use_system_certificates
from .assistants.actions import AssistantActions
from .assistants.host import AssistantHost
from .chat.view import MessageView
from .common.about import AboutDialog, app_icon
from .common.error_text import describe, error_sentence, translate_text
from .common.formatting import number, priced, region_name
from .common.model_text import lesson_text, thinking_hint
from .common.theme import apply_theme
from .composer.banners import VISION_DEFAULT, EditBanner, VisionBanner
from .composer.editor import Composer
from .prompts.manager import PromptManager
from .composer.image_intake import ImageIntake
from .context.actions import ContextActions, ContextHost
from .conversation.bar import ConversationSettingsBar
from .conversation.header import ConversationHeader, Totals
from .data.actions import DataActions
from .settings.welcome import WelcomePanel
from .sync.page import SyncPage
from .sync.service import SyncService
from .sync.status import SyncStatusLine
from .shell.focus_ring import FocusRing
from .shell.menus import MenuEntry, action, build_menu_bar, plain_label
from .shell.menus import entries as menu_entries
from .shell.palette import CommandPalette
from .shell.recent import RecentConversations
from .shell.shortcut_sheet import ShortcutSheet
from .shell.tray import Tray
from .shell.zoom import Zoom
from .sidebar.panel import Sidebar, UndoBar

if TYPE_CHECKING:  # imported when first opened: the first paint does not need them
    from .settings.dialog import SettingsDialog
    from .usage.window import UsageWindow

log = logging.getLogger(__name__)


def _log_failure(done: Future[Any]) -> None:
    error = done.exception()
    if error is not None:
        log.warning("The starter prompts could not be added: %s", error)

CONSUME_SLICE_S = 0.004
"""Longest run of stream events handled before Qt gets a turn: buffered chunks arrive without
the loop ever waiting, and would otherwise starve painting and input."""
SYNC_START_DELAY_MS = 800
"""After the window is shown: its first paint is not shared with sync's first imports."""
EAGER_TOTALS = 1_000
"""Up to this many replies, a conversation's header totals are added up at once when it opens."""
TOTALS_BATCH = 250



PALETTE_CONVERSATIONS = 2000
"""The palette matches the titles of this many recent conversations (each keystroke filters them
on the Qt thread); the sidebar's search finds any conversation."""


class MainWindow(QMainWindow):
    closed = Signal()
    restart_requested = False
    """Set by Settings' "Restart now": the app starts again once this window has closed."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.store = services.store
        self.engine = services.engine
        self.current_id: int | None = None
        self.draft_settings: ConversationSettings = services.config.default_settings()
        self.editing_message_id: int | None = None
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._background: set[asyncio.Task[None]] = set()
        self._deleted_messages: list[int] | None = None
        self._totals_job: tuple[Totals, list[int], int] | None = None
        self._totals_timer = QTimer(self)
        self._totals_timer.setSingleShot(True)
        self._totals_timer.setInterval(0)
        self._totals_timer.timeout.connect(self._add_totals_batch)
        self._streaming_ids: dict[int, int] = {}
        self._consents: dict[tuple[int, str], ToolConsentRequested] = {}
        """Consent prompts waiting, by reply and call id (asked or not, visible or not)."""
        self._state = QSettings(str(Path(services.data_dir) / "window.ini"), QSettings.Format.IniFormat)
        self._dialog: SettingsDialog | None = None
        self._about: AboutDialog | None = None
        self._usage: UsageWindow | None = None
        self._prompt_manager: PromptManager | None = None
        self.prompts = PromptLibrary(self.store)
        self.prompts.ensure_starters(services.config.language).add_done_callback(_log_failure)
        self.context_actions: ContextActions | None = None
        self.setObjectName("mainWindow")
        self.setWindowTitle("Qwen Desktop")
        self._quitting = False
        self._sync_started = False
        self._list_task: asyncio.Future[Any] | None = None
        self.recent = RecentConversations()
        self.zoom = Zoom(services.config.font_size, self._remember_font_size)
        self.palette: CommandPalette | None = None
        self.shortcut_sheet: ShortcutSheet | None = None
        self._build()
        self.focus_ring = FocusRing(self)
        self._actions()
        self.apply_preferences()
        self._restore_state()
        if not self.composer.isHidden():
            # typing at once goes to the composer: else the window's first button had the focus,
            # the first letters went nowhere and Space started a new conversation
            self.composer.edit.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        self.assistant_actions.start()
        if services.notice:
            self.show_notice(translate_text(services.notice))
        QTimer.singleShot(0, self.refresh_model_list)

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        self.sidebar = Sidebar(self.store, self)
        self.header = ConversationHeader(self)
        self.bar = ConversationSettingsBar(self.services.regions, self.services.catalog, self)
        self.bar.tools.set_servers([spec.name for spec in self.services.tools.hub.specs()])
        self.bar.search_refused = self.engine.search_refused
        self.assistant_actions = AssistantActions(AssistantHost(
            parent=self, store=self.store, catalog=self.services.catalog, regions=self.services.regions,
            defaults=self.services.config.default_settings, language=lambda: self.services.config.language,
            current_id=lambda: self.current_id, current_settings=self.bar.settings,
            change_settings=self._apply_settings,
            start_conversation=self.new_conversation_from, show_notice=self.show_notice,
            tool_servers=lambda: [spec.name for spec in self.services.tools.hub.specs()],
            listed_models=lambda region: (self.services.model_lists.cached(region)
                                          if self.services.model_lists is not None else None),
        ))
        self.header.add_after_title(self.assistant_actions.chip)
        self.view = MessageView(self)
        self.view.cost_function = priced(self.services.catalog)
        self.welcome = WelcomePanel(self.services, parent=self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.welcome)
        self.notice = QLabel(self)
        self.notice.setObjectName("noticeBar")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setStyleSheet(
            "QLabel#noticeBar { background: rgba(230, 160, 0, 0.14);"
            " border: 1px solid rgba(230, 160, 0, 0.55); border-radius: 6px;"
            " padding: 6px 10px; margin: 4px 12px; }"
        )
        self.notice.hide()
        self.undo_bar = UndoBar(self)
        self.composer = Composer(self)
        self.composer.edit.prompt_source = self.prompts.all
        self.edit_banner = EditBanner(self)
        self.vision_banner = VisionBanner(self)
        self.images = ImageIntake(self.engine, self.composer.tray, self.show_notice,
                                  self.notice.hide, self)
        self.drop_overlay = self.images.overlay
        self.drop_overlay.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAcceptDrops(True)

        chat = QWidget(self)
        chat.setObjectName("chatPanel")
        column = QVBoxLayout(chat)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.header)
        column.addWidget(self.bar)
        column.addWidget(self.assistant_actions.offer)
        column.addWidget(self.notice)
        column.addWidget(self.stack, 1)
        column.addWidget(self.undo_bar)
        column.addWidget(self.edit_banner)
        column.addWidget(self.vision_banner)
        if isinstance(self.engine.context, ContextManager):
            self.context_actions = ContextActions(ContextHost(
                parent=self, store=self.store, view=self.view,
                draft_changed=self.composer.edit.textChanged, draft=self.composer.text,
                current_id=lambda: self.current_id, current_settings=self.current_settings,
                show_settings=self.bar.set_settings, change_settings=self._apply_settings,
                show_notice=self.show_notice, draft_attachments=self._draft_attachments,
                attachments_changed=self.composer.tray.changed,
            ), self.engine.context)
            self.composer.add_meter(self.context_actions.meter)
            column.addWidget(self.context_actions.progress)
            self.view.contextRequested.connect(self.context_actions.inspect_reply)
        column.addWidget(self.composer)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(chat)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([250, 990])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.resize(1240, 800)

        self.sidebar.conversationActivated.connect(self.open_conversation)
        self.sidebar.searchHitMessage.connect(self._reveal_message)
        self.sidebar.searchHitActivated.connect(self._open_search_hit)
        self.sidebar.newConversationRequested.connect(self.new_conversation)
        self.sidebar.newWithRequested.connect(self.assistant_actions.open_picker)
        self.sidebar.deleteRequested.connect(self.delete_conversation)
        self.sidebar.renamed.connect(self._renamed)
        self.sidebar.pinToggled.connect(self._pin_toggled)
        self.undo_bar.undoRequested.connect(self.undo_delete)
        self.bar.settingsChanged.connect(self._settings_changed)
        self.composer.sendRequested.connect(self.send)
        self.composer.edit.textChanged.connect(self._update_thinking_hint)
        self.composer.imagesOffered.connect(self.offer_images)
        self.vision_banner.switchRequested.connect(self._switch_to_vision)
        self.vision_banner.removeRequested.connect(self._remove_images)
        self.view.image_path_function = self.images.attachment_path
        self.composer.stopRequested.connect(self.stop)
        self.view.regenerateRequested.connect(self.regenerate)
        self.view.retryRequested.connect(self.regenerate)
        self.view.continueRequested.connect(self.continue_reply)
        self.view.checkAddressRequested.connect(self.open_region_settings)
        self.view.editRequested.connect(self.begin_edit)
        self.view.linkActivated.connect(self.open_link)
        self.view.switchProtocolRequested.connect(self._switch_to_native)
        self.view.leaveResponsesRequested.connect(self._leave_responses)
        self.view.toolDecision.connect(self._answer_tool)
        self.view.versionSelected.connect(self.select_version)
        self.view.forkRequested.connect(self.fork_from)
        self.view.deleteRequested.connect(self.delete_message)
        self.sync = SyncService(self.services, busy=lambda: bool(self._tasks), parent=self)
        self.sync_status = SyncStatusLine(self.sidebar)
        self.sidebar.add_footer(self.sync_status)
        self.sync.stateChanged.connect(self.sync_status.show_state)
        self.sync.pulled.connect(self._after_pull)
        self.sync.settingsPulled.connect(self.apply_preferences)
        self.sync_status.clicked.connect(self.open_sync_settings)
        self.sidebar.trash.set_retention(self.services.config.trash_days)
        self.sidebar.trash.restoreRequested.connect(self.restore_from_trash)
        self.sidebar.trash.purgeRequested.connect(self.purge_from_trash)
        self.sidebar.trash.emptyRequested.connect(self.empty_trash)
        self.sidebar.trash.retentionChanged.connect(self._trash_days_changed)
        self.edit_banner.cancelled.connect(self.cancel_edit)
        self.welcome.completed.connect(self._welcome_done)
        self.welcome.customRegionRequested.connect(self.add_custom_region)

    def _actions(self) -> None:
        def add(name: str, text: str, keys: list[str], slot: object) -> QAction:
            made = action(self, name, text, keys)
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            made.triggered.connect(slot)
            self.addAction(made)
            return made

        self.new_action = add("newAction", self.tr("&New conversation"), ["Ctrl+N"], self.new_conversation)
        self.search_action = add("searchAction", self.tr("&Search conversations"), ["Ctrl+K", "Ctrl+F"],
                                 self.focus_search)
        self.stop_action = add("stopAction", self.tr("S&top reply"), ["Esc"], self.stop)
        self.settings_action = add("settingsAction", self.tr("Se&ttings…"), ["Ctrl+,"], self.open_settings)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit_action = add("quitAction", self.tr("&Quit"), ["Ctrl+Q"], self.quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.palette_action = add("paletteAction", self.tr("&Command palette…"), ["Ctrl+Shift+P"],
                                  self.open_palette)
        self.shortcuts_action = add("shortcutsAction", self.tr("&Keyboard shortcuts"), ["Ctrl+/"],
                                    self.open_shortcuts)
        self.zoom_in_action = add("zoomInAction", self.tr("Zoom &in"), ["Ctrl+=", "Ctrl++"], self.zoom.zoom_in)
        self.zoom_out_action = add("zoomOutAction", self.tr("Zoom &out"), ["Ctrl+-"], self.zoom.zoom_out)
        self.zoom_reset_action = add("zoomResetAction", self.tr("&Actual size"), ["Ctrl+0"], self.zoom.reset)
        self.next_conversation_action = add(
            "nextConversationAction", self.tr("&Next recent conversation"), ["Ctrl+Tab"],
            lambda: self.step_recent(True))
        self.previous_conversation_action = add(
            "previousConversationAction", self.tr("&Previous recent conversation"),
            ["Ctrl+Shift+Tab", "Ctrl+Shift+Backtab"], lambda: self.step_recent(False))
        self.previous_message_action = add("previousMessageAction", self.tr("Previous &message"), ["Alt+Up"],
                                           lambda: self.view.step_focus(False))
        self.next_message_action = add("nextMessageAction", self.tr("Ne&xt message"), ["Alt+Down"],
                                       lambda: self.view.step_focus(True))
        self.composer_action = add("composerAction", self.tr("&Write a message"), ["Ctrl+L"],
                                   lambda: self.composer.edit.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self.prompts_action = add("promptsAction", self.tr("&Prompt library…"), [], self.open_prompts)
        gear = QToolButton(self)
        gear.setObjectName("settingsButton")
        gear.setText(self.tr("Settings"))
        gear.setToolTip(self.tr("Settings (Ctrl+,)"))
        gear.setAutoRaise(True)
        gear.clicked.connect(self.open_settings)
        self.data_actions = DataActions(self.services, lambda: self.current_id, self)
        self.data_actions.done.connect(self.show_notice)
        self.data_actions.imported.connect(lambda _ids: self.refresh_sidebar())
        self.header.add_trailing(self.data_actions.menu_button(self))
        self.header.add_trailing(gear)
        self.usage_action = add("usageAction", self.tr("&Usage"), ["Ctrl+Shift+U"], self.open_usage)
        usage = QToolButton(self)
        usage.setObjectName("usageButton")
        usage.setDefaultAction(self.usage_action)
        usage.setText(self.tr("Usage"))
        usage.setToolTip(self.tr("Tokens and cost over time (Ctrl+Shift+U)"))
        usage.setAutoRaise(True)
        self.header.add_trailing(usage)
        self.about_action = add("aboutAction", self.tr("&About Qwen Desktop"), ["F1"], self.open_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        about = QToolButton(self)
        about.setObjectName("aboutButton")
        about.setAccessibleName("aboutButton")
        about.setDefaultAction(self.about_action)
        about.setText(self.tr("About"))
        about.setAutoRaise(True)
        self.header.add_trailing(about)
        data = self.data_actions
        self.menuBar().setObjectName("menuBar")
        assistants = self.assistant_actions
        build_menu_bar(self.menuBar(), [
            ("fileMenu", self.tr("&File"), [self.new_action, assistants.new_with_action, assistants.library_action,
                                            None, data.export_action, data.export_all_action,
                                            data.import_action,
                                            data.backup_action, None, self.settings_action, None,
                                            self.quit_action]),
            ("editMenu", self.tr("&Edit"), [self.search_action, self.composer_action, self.prompts_action,
                                            self.stop_action, None, self.palette_action]),
            ("viewMenu", self.tr("&View"), [self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action,
                                            None, self.usage_action]),
            ("goMenu", self.tr("&Go"), [self.next_conversation_action, self.previous_conversation_action, None,
                                        self.previous_message_action, self.next_message_action]),
            ("helpMenu", self.tr("&Help"), [self.shortcuts_action, self.about_action]),
        ])
        self.tray = Tray(app_icon(), self.quit_action, self)
        self.tray.showRequested.connect(self.bring_forward)
        self.tray.conversationRequested.connect(self.open_conversation)

    def commands(self) -> list[MenuEntry]:
        return list(menu_entries(self.menuBar()))

    def open_palette(self) -> None:
        def conversations() -> list[tuple[int, str]]:
            ids = self.store.conversation_ids(PALETTE_CONVERSATIONS)
            found = self.store.summaries(ids)
            return [(cid, found[cid].title) for cid in ids if cid in found]

        file_menu = plain_label(self.tr("&File"))
        commands = self.commands() + [MenuEntry(file_menu, entry) for entry in self.assistant_actions.palette_actions()]
        palette = CommandPalette(commands, conversations, self)
        palette.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        palette.conversationChosen.connect(self.open_conversation)
        self.palette = palette
        palette.open()

    def open_shortcuts(self) -> None:
        inside = self.tr("In the conversation list")
        composer = self.tr("In the message box")
        send, newline = ("Ctrl+Enter", "Enter") if self.services.config.send_with == "ctrl_enter" \
            else ("Enter", "Shift+Enter")
        extra = [
            (composer, self.tr("Send"), send),
            (composer, self.tr("New line"), newline),
            (inside, self.tr("Open the conversation"), "Enter"),
            (inside, self.tr("Rename"), "F2"),
            (inside, self.tr("Delete"), "Del"),
        ]
        sheet = ShortcutSheet(self.commands(), extra, self)
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcut_sheet = sheet
        sheet.open()

    def step_recent(self, forward: bool) -> None:
        target = self.recent.step(self.current_id, forward)
        if target is not None:
            self.open_conversation(target)

    def quit(self) -> None:
        """Close for good, also when the window would otherwise stay in the tray."""
        self._quitting = True
        self.close()

    def bring_forward(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # ------------------------------------------------------------ preferences
    def _remember_font_size(self, size: int | None) -> None:
        self.services.config.font_size = size
        try:
            self.services.save_config()
        except (e.QwenError, OSError) as error:
            self.show_notice(self.tr("The text size could not be saved: %1").replace("%1", str(error)))

    def apply_preferences(self) -> None:
        config = self.services.config
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, config.theme)
        if config.font_size != self.zoom.size:
            self.zoom.apply(config.font_size, remember=False)
        self.composer.set_send_with_enter(config.send_with != "ctrl_enter")
        self.services.client.idle_timeout = float(config.idle_timeout_s)
        self.services.client.total_timeout = float(config.total_timeout_s)
        self.bar.refresh_regions()
        if self.current_id is None:
            aid = self.draft_settings.assistant_id
            self.draft_settings = self.assistant_actions.starting_settings(aid) if aid else config.default_settings()
            self.bar.set_settings(self.draft_settings)
        self._refresh_key_state()
        self._show_welcome_if_needed()

    def has_any_key(self) -> bool:
        try:
            return any(self.services.keys.get(r.id) for r in self.services.regions.all())
        except e.QwenError as error:
            self.show_notice(error_sentence(error))
            return False

    def _show_welcome_if_needed(self) -> None:
        first_run = not self.has_any_key() and not self.store.has_conversations()
        self.stack.setCurrentWidget(self.welcome if first_run else self.view)
        self.composer.setVisible(not first_run)
        self.bar.setVisible(not first_run)

    def _welcome_done(self, region_id: str) -> None:
        self.services.config.default_region = region_id
        self.services.save_config()
        self.apply_preferences()
        self.composer.edit.setFocus()

    def current_settings(self) -> ConversationSettings:
        if self.current_id is None:
            return self.draft_settings
        conversation = self.store.conversation(self.current_id)
        return conversation.settings if conversation else self.draft_settings

    def _refresh_key_state(self) -> None:
        settings = self.current_settings()
        try:
            region = self.services.regions.get(settings.region_id)
        except e.ConfigError as error:
            self.composer.set_blocked(describe(error))
            return
        try:
            found = self.services.keys.get(region.id)
        except e.QwenError as error:
            self.composer.set_blocked(error_sentence(error))
            return
        if found is None:
            self.composer.set_blocked(
                self.tr("No API key for %1 — add one in Settings (Ctrl+,).").replace("%1", region_name(region))
            )
        else:
            self.composer.set_blocked("")
        self._update_thinking_hint()
        plan = plan_thinking(self.services.catalog.get(settings.model, settings.region_id), settings)
        if plan.thinks and plan.budget:
            thinking = self.tr("thinking on, budget %1").replace("%1", number(plan.budget))
        elif plan.thinks:
            thinking = self.tr("thinking on")
        else:
            thinking = self.tr("thinking off")
        parts = [settings.model, region_name(region), thinking]
        if found and found[1] == "environment":
            parts.append(self.tr("key from %1").replace("%1", "DASHSCOPE_API_KEY"))
        self.composer.set_status(" · ".join(parts))

    def _update_thinking_hint(self) -> None:
        settings = self.current_settings()
        info = self.services.catalog.get(settings.model, settings.region_id)
        plan = plan_thinking(info, settings, self.composer.text())
        self.composer.set_thinking_hint(thinking_hint(plan, settings.model))

    def refresh_model_list(self, force: bool = False) -> None:
        """Show the region's cached model list now; fetch a new one in the background when due."""
        lists = self.services.model_lists
        if lists is None:
            return
        region = self.current_settings().region_id
        self.bar.set_listed(lists.cached(region))
        try:
            task = (asyncio.ensure_future(lists.refresh(region)) if force
                    else lists.refresh_in_background(region))
        except RuntimeError:
            return
        if task is not None:
            self._list_task = task
            task.add_done_callback(lambda t, region=region: self._model_list_done(region, t))

    def _model_list_done(self, region: str, task: asyncio.Future[Any]) -> None:
        if task.cancelled() or task.exception() is not None or self.services.model_lists is None:
            return
        result = task.result()
        self.bar.set_listed(self.services.model_lists.cached(region), result.error)

    # ---------------------------------------------------------- conversations
    def new_conversation(self) -> None:
        """Ctrl+N: a new conversation from the default assistant (the defaults when there is none)."""
        self.new_conversation_from(self.assistant_actions.starting_settings())

    def new_conversation_from(self, settings: ConversationSettings) -> None:
        self.cancel_edit()
        self.current_id = None
        self.draft_settings = settings
        self.sidebar.select_conversation(None)
        self.view.clear()
        self.bar.set_settings(self.draft_settings)
        self.assistant_actions.settings_shown(settings)
        self.header.set_conversation(None, [])
        self._update_title()
        self._sync_streaming_state()
        self._refresh_key_state()
        self._context_shown()
        self.stack.setCurrentWidget(self.view)
        self.composer.setVisible(True)
        self.bar.setVisible(True)
        self.composer.edit.setFocus()

    def open_conversation(self, cid: int) -> None:
        conversation = self.store.conversation(cid)
        if conversation is None or conversation.deleted_at is not None:
            return
        self.cancel_edit()
        self.current_id = cid
        self.stack.setCurrentWidget(self.view)
        self.composer.setVisible(True)
        self.bar.setVisible(True)
        if cid in self._tasks:
            self.store.flush().result(timeout=2)
        outline = self.store.outline(cid)
        live_ids = [mid for mid in outline.ids if mid in outline.streaming] if cid in self._tasks else []
        self.view.set_outline(outline.ids, outline.roles, outline.versions, self.store.messages_by_id, live_ids)
        for message in self.store.messages_by_id(live_ids):
            self.view.begin_reply(message.id, message.model or conversation.settings.model)
            if message.reasoning:
                self.view.append_reasoning(message.id, message.reasoning)
            if message.content:
                self.view.append_content(message.id, message.content)
        self._ask_pending_consents(cid)
        self.bar.set_settings(conversation.settings)
        self.assistant_actions.settings_shown(conversation.settings)
        self._show_totals(conversation, outline)
        self.sidebar.select_conversation(cid)
        self.recent.opened(cid)
        self._update_title()
        self._sync_streaming_state()
        self._refresh_key_state()
        self._context_shown()

    def refresh_sidebar(self) -> None:
        """Catch the list up with the store, keeping the open conversation the highlighted one."""
        self.sidebar.refresh()
        self.sidebar.select_conversation(self.current_id)

    def _after_pull(self) -> None:
        """Other devices' changes arrived: the list and the open conversation show them."""
        self.refresh_sidebar()
        self.assistant_actions.pulled()
        if self.sidebar.is_showing_trash():
            self.sidebar.trash.refresh()
        cid = self.current_id
        if cid is None or self.is_streaming(cid):
            return
        conversation = self.store.conversation(cid)
        if conversation is None or conversation.deleted_at is not None:
            self.new_conversation()  # deleted on another computer: it is in the trash here too
        else:
            self._reload_current()

    def _reveal_message(self, message_id: int) -> None:
        """A search found text in a version not shown: show that version (unless a reply streams)."""
        message = self.store.message(message_id)
        if message is None or self.is_streaming(message.conversation_id):
            return
        if all(m.id != message_id for m in self.store.messages(message.conversation_id)):
            self.store.select_message(message_id).result(timeout=5)

    def _open_search_hit(self, cid: int, query: str) -> None:
        self.open_conversation(cid)
        self.view.highlight(query)

    def delete_conversation(self, cid: int) -> None:
        task = self._tasks.get(cid)
        if task is not None:
            task.cancel()
        self.store.delete_conversation(cid).result(timeout=5)
        self.recent.forget(cid)
        self.refresh_sidebar()
        if self.current_id == cid:
            self.new_conversation()
        self._deleted_messages = None
        self.undo_bar.show_for(cid, self.tr("Conversation moved to the trash."))

    def undo_delete(self, cid: int) -> None:
        if self._deleted_messages is not None:
            mids, self._deleted_messages = self._deleted_messages, None
            self.store.restore_messages(mids).result(timeout=5)
            if cid == self.current_id:
                self._reload_current()
            return
        self.store.restore_conversation(cid).result(timeout=5)
        self.refresh_sidebar()
        self.open_conversation(cid)

    # ------------------------------------------------- versions, forks, trash
    def select_version(self, message_id: int) -> None:
        """Show another version of a reply, or another branch of an edited question."""
        if self.current_id is None:
            return
        if self.is_streaming():
            self.show_notice(self.tr("A reply is still streaming in this conversation: stop it first."))
            return
        self.store.select_message(message_id).result(timeout=5)
        self._reload_current()

    def fork_from(self, message_id: int) -> None:
        """Continue in a new conversation with a copy of everything down to this message."""
        conversation = self.store.conversation(self.current_id) if self.current_id else None
        if conversation is None:
            return
        title = self.tr("%1 (branch)").replace("%1", conversation.title) if conversation.title else ""
        cid = self.store.fork_conversation(message_id, title).result(timeout=5)
        self.sidebar.conversation_added(cid)
        self.open_conversation(cid)
        self.composer.edit.setFocus()

    def delete_message(self, message_id: int) -> None:
        """Delete a reply (with its tool rounds), or a question with its answer; Undo brings it back."""
        if self.current_id is None:
            return
        if self.is_streaming():
            self.show_notice(self.tr("A reply is still streaming in this conversation: stop it first."))
            return
        path = self.store.messages(self.current_id)
        index = next((i for i, m in enumerate(path) if m.id == message_id), None)
        if index is None:
            return
        end = index + 1
        while end < len(path) and path[end].role in (Role.ASSISTANT, Role.TOOL):
            end += 1
        mids = [m.id for m in path[index:end]]
        self.store.delete_messages(mids).result(timeout=5)
        self._reload_current()
        sentence = (self.tr("Question and answer deleted.") if path[index].role is Role.USER
                    else self.tr("Reply deleted."))
        self.undo_bar.show_for(self.current_id, sentence)
        self._deleted_messages = mids

    def restore_from_trash(self, cid: int) -> None:
        self.store.restore_conversation(cid).result(timeout=5)
        self.sidebar.trash.refresh()
        self.sidebar.refresh()

    def purge_from_trash(self, cid: int) -> None:
        self._in_background(self.engine.purge_conversation(cid))

    def empty_trash(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Empty trash"),
                          self.tr("Delete every conversation in the trash forever? This cannot be undone."),
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("emptyTrashConfirm")
        empty = box.addButton(self.tr("Delete forever"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            if box.clickedButton() is empty:
                self._in_background(self.engine.purge_deleted(None))

        box.finished.connect(answered)
        box.open()

    def _in_background(self, job: Coroutine[Any, Any, object]) -> None:
        """Purges run off the Qt thread's way; the trash list follows when they are done."""
        async def run() -> None:
            try:
                await job
            except e.QwenError as error:
                self.show_notice(describe(error))
            self.sidebar.trash.refresh()

        task = asyncio.ensure_future(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _trash_days_changed(self, days: int) -> None:
        self.services.config.trash_days = days
        self.services.save_config()
        self.sidebar.trash.refresh()

    def _renamed(self, cid: int, title: str) -> None:
        if cid == self.current_id:
            self._update_title()

    def _pin_toggled(self, cid: int, pinned: bool) -> None:
        self.refresh_sidebar()

    def _apply_settings(self, settings: ConversationSettings) -> None:
        """Settings chosen on the user's behalf (the context meter's offer): shown, then applied."""
        self.bar.set_settings(settings)
        self._settings_changed(settings)

    def _settings_changed(self, settings: ConversationSettings) -> None:
        before = self.current_settings()
        if (settings.protocol is Protocol.RESPONSES and (before.protocol, before.model) != (
                settings.protocol, settings.model) and self.engine.responses_refused(settings)):
            self.show_notice(lesson_text("no_responses_api", settings.model))
        if self.current_id is None:
            self.draft_settings = settings
        else:
            self.store.update_settings(self.current_id, settings)
            self.sidebar.conversation_changed(self.current_id)
        self._refresh_key_state()
        if settings.region_id != before.region_id:
            self.refresh_model_list()
        if self.context_actions is not None:
            self.context_actions.settings_changed(before, settings)
        self.assistant_actions.settings_changed(settings)

    def _context_shown(self) -> None:
        if self.context_actions is not None:
            self.context_actions.conversation_shown()

    def _update_title(self) -> None:
        conversation = self.store.conversation(self.current_id) if self.current_id else None
        title = conversation.title if conversation and conversation.title else None
        self.setWindowTitle(self.tr("%1 — Qwen Desktop").replace("%1", title) if title else "Qwen Desktop")
        self.header.set_title(title or self.tr("New conversation"))

    # ------------------------------------------------------------- replies
    def send(self, text: str) -> None:
        self.notice.hide()
        images = self.composer.tray.images()
        settings = self.current_settings()
        documents = self.composer.tray.documents()
        scans = any(item.document.scanned for item in documents)
        if (images or scans) and not self.services.catalog.get(settings.model, settings.region_id).vision:
            self.vision_banner.offer(self.current_settings().model, VISION_DEFAULT)
            return
        self.vision_banner.hide()
        if self.editing_message_id is not None and self.current_id is not None:
            mid, self.editing_message_id = self.editing_message_id, None
            self.edit_banner.hide()
            self.view.remove_from(mid)
            self._run(self.current_id, self.engine.edit_and_resend(self.current_id, mid, text),
                      clear_composer=True)
            return
        cid = self.current_id
        if cid is None:
            try:
                self.engine.endpoint(self.draft_settings.region_id)
            except e.QwenError as error:
                self.show_notice(describe(error))
                return
            try:
                cid = self.store.create_conversation(self.draft_settings).result(timeout=5)
            except e.QwenError as error:  # a full disk: say so, the question stays in the box
                self.show_notice(describe(error))
                return
            self.current_id = cid
            self.sidebar.conversation_added(cid)
            self.sidebar.select_conversation(cid)
        events = (self.images.send(cid, text, images, documents) if images or documents
                  else self.engine.send(cid, text))
        self._run(cid, events, clear_composer=True)

    # -------------------------------------------------------------- images
    def offer_images(self, sources: list[object]) -> None:
        self.images.offer(sources)

    def _switch_to_vision(self, model: str) -> None:
        settings = self.current_settings().with_(model=model)
        if self.current_id is None:
            self.draft_settings = settings
        else:
            self.store.update_settings(self.current_id, settings)
        self.bar.set_settings(settings)
        self.vision_banner.hide()
        self._refresh_key_state()
        self.send(self.composer.text())

    def _leave_responses(self, message_id: int) -> None:
        """The offer beside "this model does not take the Responses API": switch, then ask again."""
        self._apply_settings(self.current_settings().with_(protocol=Protocol.OPENAI))
        self.regenerate(message_id)

    def _switch_to_native(self) -> None:
        """The one-click answer to "sources are only returned on the DashScope protocol"."""
        self._apply_settings(self.current_settings().with_(protocol=Protocol.DASHSCOPE))

    def _remove_images(self) -> None:
        self.composer.tray.clear()
        self.vision_banner.hide()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.images.drag_enter(event, self.splitter.widget(1).geometry())

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.drop_overlay.isVisible():
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.drop_overlay.hide()

    def dropEvent(self, event: QDropEvent) -> None:
        self.images.drop(event)

    def regenerate(self, message_id: int) -> None:
        """A new version of the answer; the old one stays behind the version switcher."""
        if self.current_id is None or self.is_streaming():
            return
        path = self.store.messages(self.current_id)
        index = next((i for i, m in enumerate(path) if m.id == message_id), None)
        if index is not None:
            while index > 0 and path[index - 1].role in (Role.ASSISTANT, Role.TOOL):
                index -= 1
            self.view.remove_from(path[index].id)
        self._run(self.current_id, self.engine.regenerate(self.current_id, message_id))

    def continue_reply(self, message_id: int) -> None:
        if self.current_id is not None:
            self._run(self.current_id, self.engine.continue_reply(self.current_id, message_id))

    def begin_edit(self, message_id: int) -> None:
        message = self.store.message(message_id)
        if message is None or self.current_id in self._tasks:
            return
        self.editing_message_id = message_id
        self.composer.set_text(message.content)
        self.edit_banner.show()
        self.composer.edit.setFocus()

    def cancel_edit(self) -> None:
        if self.editing_message_id is not None:
            self.editing_message_id = None
            self.composer.clear()
        self.edit_banner.hide()

    def stop(self) -> None:
        if self.editing_message_id is not None and self.current_id not in self._tasks:
            self.cancel_edit()
            return
        task = self._tasks.get(self.current_id) if self.current_id is not None else None
        if task is not None:
            task.cancel()

    def replies_streaming(self) -> bool:
        """True while a reply streams in any conversation."""
        return bool(self._tasks)

    def is_streaming(self, cid: int | None = None) -> bool:
        return (self.current_id if cid is None else cid) in self._tasks

    def _run(self, cid: int, events: AsyncIterator[EngineEvent], *, clear_composer: bool = False) -> None:
        if cid in self._tasks:
            self.show_notice(self.tr("A reply is still streaming in this conversation: stop it first."))
            return
        use_system_certificates()
        task = asyncio.ensure_future(self._consume(cid, events, clear_composer))
        self._tasks[cid] = task
        self._sync_streaming_state()
        task.add_done_callback(lambda t, cid=cid: self._task_done(cid, t))

    async def _consume(self, cid: int, events: AsyncIterator[EngineEvent], clear: bool) -> None:
        try:
            deadline = time.perf_counter() + CONSUME_SLICE_S
            async for event in events:
                self._dispatch(cid, event, clear)
                if time.perf_counter() >= deadline:
                    await asyncio.sleep(0)
                    deadline = time.perf_counter() + CONSUME_SLICE_S
        except VisionRequiredError as error:
            if cid == self.current_id:
                self.vision_banner.offer(error.model, error.suggestion)
        except ContextTooLongError as error:
            if cid == self.current_id:
                if self.context_actions is not None and not isinstance(error, MessageTooLongError):
                    self.context_actions.refused(error)
                else:
                    self.show_notice(describe(error))
        except e.QwenError as error:
            if cid == self.current_id:
                self.show_notice(describe(error))
        except asyncio.CancelledError:
            self._after_stop(cid)
            raise
        finally:
            await events.aclose()  # type: ignore[attr-defined]

    def _after_stop(self, cid: int) -> None:
        if cid != self.current_id:
            return
        self.store.flush()

    def _task_done(self, cid: int, task: asyncio.Task[None]) -> None:
        self._tasks.pop(cid, None)
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            log.error("reply task failed", exc_info=error)
            sys.excepthook(type(error), error, error.__traceback__)  # type: ignore[arg-type]
        if cid == self.current_id:
            self._sync_streaming_state()
            if task.cancelled():
                self._reload_current()
        self.sidebar.conversation_changed(cid)

    def _reload_current(self) -> None:
        if self.current_id is not None:
            conversation = self.store.conversation(self.current_id)
            outline = self.store.outline(self.current_id)
            self.view.set_outline(outline.ids, outline.roles, outline.versions, self.store.messages_by_id)
            self._ask_pending_consents(self.current_id)
            if conversation is not None:
                self._show_totals(conversation, outline)
            self._context_shown()

    def _dispatch(self, cid: int, event: EngineEvent, clear: bool) -> None:
        visible = cid == self.current_id
        if isinstance(event, UserMessageAdded):
            if visible:
                if clear:
                    self.composer.clear()
                    if event.message.attachments:
                        self.composer.tray.clear()
                self.view.add_message(event.message)
        elif isinstance(event, ReplyStarted):
            if visible:
                self.view.begin_reply(event.message_id, event.model)
        elif isinstance(event, ReasoningDelta):
            if visible:
                self.view.append_reasoning(self._streaming_id(cid), event.text)
        elif isinstance(event, ContentDelta):
            if visible:
                self.view.append_content(self._streaming_id(cid), event.text)
        elif isinstance(event, ReplyFinished):
            if visible:
                self.view.finish_reply(event.message)
                self.view.set_versions(self.store.outline(cid).versions)
                self._refresh_header()
            if self.context_actions is not None:
                self.context_actions.reply_done(cid)
            self._reply_ended(cid, failed=False)
        elif isinstance(event, SourcesFound):
            if visible:
                self.view.show_sources(self._streaming_id(cid), event.sources)
        elif isinstance(event, ReplyFailed):
            if isinstance(event.error, e.SearchNotSupportedError):
                self.bar.refresh_search()
            if visible:
                self.view.finish_reply(event.message)
                self.view.show_error(event.message.id, event.error.to_json(),
                                     bool(event.message.content))
                self.view.set_versions(self.store.outline(cid).versions)
                self._refresh_header()
            self._reply_ended(cid, failed=True)
        elif isinstance(event, ModelNotice):
            if event.learned:
                self.bar.refresh_model()
                self._refresh_key_state()
                if visible:
                    self.show_notice(lesson_text(event.learned, event.model, event.value)
                                     or event.sentence)
        elif isinstance(event, TitleChanged):
            self.sidebar.conversation_changed(cid)
            if visible:
                self._update_title()
        elif visible and isinstance(event, ToolCallStarted):
            self.view.add_tool_call(event.message_id, event.call, event.title)
        elif isinstance(event, ToolConsentRequested):
            self._consents[(event.message_id, event.call.id)] = event
            if visible:
                self.view.ask_tool_consent(event.message_id, event.call, event.request.subject)
        elif isinstance(event, ToolCallFinished):
            self._consents.pop((event.message_id, event.call.id), None)
        if visible and isinstance(event, ToolCallFinished):
            self.view.finish_tool_call(event.message_id, event.call, event.result, event.error,
                                       event.duration_ms, event.denied)
        if isinstance(event, ReplyStarted):
            self._streaming_ids[cid] = event.message_id

    def _reply_ended(self, cid: int, failed: bool) -> None:
        conversation = self.store.conversation(cid)
        self.tray.reply_ended(cid, conversation.title if conversation else "", failed)

    def _answer_tool(self, message_id: int, call_id: str, decision: str) -> None:
        """The answer goes to the prompt of that reply and call only, never to a call of the same
        id waiting in another conversation."""
        asked = self._consents.pop((message_id, call_id), None)
        if asked is not None:
            self.services.tools.gate.answer(asked.request, Decision(decision))

    def _ask_pending_consents(self, cid: int) -> None:
        """Prompts still waiting in a conversation shown again (they were asked while it was hidden)."""
        for asked in list(self._consents.values()):
            if asked.request.conversation_id == cid:
                self.view.ask_tool_consent(asked.message_id, asked.call, asked.request.subject)

    def _streaming_id(self, cid: int) -> int:
        return self._streaming_ids.get(cid, -1)

    def _refresh_header(self) -> None:
        if self.current_id is None:
            return
        conversation = self.store.conversation(self.current_id)
        if conversation is not None:
            self._show_totals(conversation, self.store.outline(self.current_id))

    def _show_totals(self, conversation: Conversation, outline: Outline) -> None:
        """The header's token and cost totals. A long conversation's are added up a batch of
        replies per turn of the event loop (reading a reply's usage takes about 17 µs)."""
        replies = outline.ids_of(Role.ASSISTANT)
        adder = Totals(self.services.catalog)
        self._totals_timer.stop()
        self._totals_job = None
        if len(replies) <= EAGER_TOTALS:
            adder.add(self.store.messages_by_id(replies))
            self.header.show_totals(*adder.result())
            return
        self.header.totals.clear()
        self._totals_job = (adder, replies, 0)
        self._totals_timer.start()

    def _add_totals_batch(self) -> None:
        if self._totals_job is None:
            return
        adder, replies, start = self._totals_job
        end = start + TOTALS_BATCH
        try:
            adder.add(self.store.messages_by_id(replies[start:end]))
        except e.QwenError as error:
            log.info("conversation totals unavailable: %s", error)
            self._totals_job = None
            return
        if end < len(replies):
            self._totals_job = (adder, replies, end)
            self._totals_timer.start()
        else:
            self._totals_job = None
            self.header.show_totals(*adder.result())

    def _sync_streaming_state(self) -> None:
        self.composer.set_streaming(self.is_streaming())

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    # ---------------------------------------------------------------- misc
    def focus_search(self) -> None:
        self.sidebar.focus_search()

    def open_link(self, url: str) -> None:
        qurl = QUrl(url)
        if qurl.scheme() in ("http", "https"):
            QDesktopServices.openUrl(qurl)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Open link?"),
                          self.tr("This link does not point to a web page:\n%1\n\nOpen it anyway?")
                          .replace("%1", url[:300]),
                          QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirmLinkBox")
        box.finished.connect(
            lambda result: QDesktopServices.openUrl(qurl)
            if result == QMessageBox.StandardButton.Open else None
        )
        box.open()

    def open_settings(self) -> None:
        if self._dialog is not None and self._dialog.isVisible():
            self._dialog.raise_()
            return
        from .settings.dialog import SettingsDialog

        self._dialog = SettingsDialog(self.services, self)
        self._dialog.settingsChanged.connect(self.apply_preferences)
        self._dialog.keysChanged.connect(lambda _region: self._refresh_key_state())
        self._dialog.restartRequested.connect(self.restart)
        self._dialog.finished.connect(lambda _r: self.apply_preferences())
        self._dialog.sync_page = SyncPage(self.sync, self._dialog)
        self._dialog.tabs.addTab(self._dialog.sync_page, self.tr("Sync"))
        self._dialog.open()

    def open_sync_settings(self) -> None:
        self.open_settings()
        if self._dialog is not None:
            self._dialog.tabs.setCurrentWidget(self._dialog.sync_page)

    def restart(self) -> None:
        """Close (saving the window's state, stopping replies) and ask the app to start again."""
        self.restart_requested = True
        self.close()

    def open_about(self) -> None:
        if self._about is not None and self._about.isVisible():
            self._about.raise_()
            return
        self._about = AboutDialog(self)
        self._about.open()

    def _draft_attachments(self) -> list[dict[str, Any]]:
        """The images and documents waiting in the composer, as the context meter counts them."""
        tray = self.composer.tray
        return [{"width": image.width, "height": image.height} for image in tray.images()] + [
            {**item.ref(), "kind": "document", "sha256": item.sha256, "text": item.document.text}
            for item in tray.documents()]

    def open_prompts(self) -> None:
        """The prompt library (add, edit, delete, import, export); ``/`` in the composer inserts one."""
        if self._prompt_manager is None:
            self._prompt_manager = PromptManager(self.prompts, self)
        self._prompt_manager.reload()
        self._prompt_manager.show()
        self._prompt_manager.raise_()
        self._prompt_manager.activateWindow()

    def open_usage(self) -> None:
        if self._usage is None:
            from .usage.window import UsageWindow

            self._usage = UsageWindow(self.services, self)
        self._usage.show()
        self._usage.raise_()
        self._usage.activateWindow()

    def add_custom_region(self) -> None:
        """From the welcome panel: Settings on the regions page with the new-region form open."""
        self.open_region_settings()
        if self._dialog is not None:
            self._dialog.keys_page.start_add()
            self._dialog.keys_page.regionsChanged.connect(self.welcome.regions_changed)

    def open_region_settings(self) -> None:
        self.open_settings()
        if self._dialog is not None:
            self._dialog.tabs.setCurrentWidget(self._dialog.keys_page)

    # ---------------------------------------------------------- persistence
    def _restore_state(self) -> None:
        geometry = self._state.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = self._state.value("splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        last = self.store.last_conversation_id()
        if last is not None:
            self.open_conversation(last)
        else:
            self.new_conversation()
            self._show_welcome_if_needed()

    def save_state(self) -> None:
        self._state.setValue("geometry", self.saveGeometry())
        self._state.setValue("splitter", self.splitter.saveState())
        self._state.sync()

    async def shutdown(self) -> None:
        """Stop every reply (their partial text stays stored) and wait for the writes."""
        tasks = list(self._tasks.values()) + [t for t in (self._list_task,) if t is not None]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)
        await self.sync.shutdown()
        await asyncio.wrap_future(self.store.flush())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Sync's first round starts once the window is on screen, never on the way to it."""
        super().showEvent(event)
        if not self._sync_started:
            self._sync_started = True
            QTimer.singleShot(SYNC_START_DELAY_MS, self.sync.start)

    def closeEvent(self, event: QCloseEvent) -> None:
        if (self.services.config.keep_in_tray and not self._quitting and not self.restart_requested
                and self.tray.available()):
            self.save_state()
            event.ignore()
            self.hide()
            return
        self.save_state()
        self.tray.hide()
        self.zoom.restore_system_font()
        for task in [*self._tasks.values(), *(t for t in (self._list_task,) if t is not None)]:
            task.cancel()
        super().closeEvent(event)
        self.closed.emit()
